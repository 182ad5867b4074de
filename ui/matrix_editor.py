"""The matrix editor: a grid of text cells that sends a finished cell to the server at once.

Streamlit's `st.data_editor` waits a fixed 150 ms after each edit before it asks for a rerun
(a debounce inside its frontend), which was half of what an edit cost in the browser
(bench/browser_bench.py, docs/speed.md). This editor is a small `st.components.v2` component
instead: plain `<input>` cells that commit on Enter, Tab, an arrow key or a click elsewhere, and
send the whole matrix as the texts typed. Nothing is parsed in the browser: `core.validate` turns
the texts into numbers and names the cell of anything else, and the text stays in its cell.

Keys work like a spreadsheet's: Enter commits and moves down (Shift+Enter up), Tab and the arrow
keys move between cells (sending a changed one), Escape puts back the cell's last sent text. A
block copied from a spreadsheet (tabs and new lines) or written as `1,2;3,4` is pasted from the
cell the cursor is in, and sent as one edit. A cell holding something that is not a number is
marked red as it is typed; the page's message names it once it is sent.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.textforms import format_number
from core.validate import NUMBER

Cells = list[list[Any]]

MAX_CELL_CHARS = 64
"""Longest text a cell takes: any float's shortest form has at most 24 characters. The editor's
texts are sent back with every run, so a megabyte pasted into a cell would slow its session."""

CSS = """
.mx { max-width: 100%; overflow-x: auto; font-family: var(--st-font, sans-serif);
      font-size: var(--st-base-font-size, 14px); }
.mx table { border-collapse: collapse; border: 1px solid var(--st-dataframe-border-color, #e6e9ef);
            border-radius: var(--st-base-radius, 0.5rem); }
.mx th { background: var(--st-dataframe-header-background-color, #f8f9fb);
         color: var(--st-dataframe-header-text-color, #6b7280); font-weight: normal;
         font-size: 0.875em; padding: 0.3em 0.6em; min-width: 1.5em;
         border: 1px solid var(--st-dataframe-border-color, #e6e9ef); }
.mx td { padding: 0; border: 1px solid var(--st-dataframe-border-color, #e6e9ef); }
.mx input { field-sizing: content; min-width: 4.5em; max-width: 14em; box-sizing: border-box;
            border: 0; margin: 0; padding: 0.25em 0.6em; font: inherit; text-align: right;
            color: var(--st-text-color, #31333f); background: var(--st-background-color, #fff);
            outline: none; }
.mx td input { width: 100%; }  /* a column is as wide as its widest number */
@supports not (field-sizing: content) { .mx input { min-width: 7.5em; } }
.mx input:focus { box-shadow: inset 0 0 0 2px var(--st-primary-color, #ff4b4b); }
.mx input.bad { color: var(--st-red-color, #d33); background: var(--st-red-background-color, #fde8e8); }
"""

JS = r"""
const NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function build(parentElement, name, rows, cols, maxLength, setStateValue) {
  const box = document.createElement('div');
  box.className = 'mx';
  box.dataset.shape = `${name}:${rows}x${cols}`;
  const table = document.createElement('table');
  table.setAttribute('aria-label', name);
  const head = table.createTHead().insertRow();
  head.appendChild(document.createElement('th'));
  for (let j = 0; j < cols; j++) head.appendChild(Object.assign(document.createElement('th'), { textContent: j }));
  const body = table.createTBody();
  const inputs = [];
  for (let i = 0; i < rows; i++) {
    const tr = body.insertRow();
    tr.appendChild(Object.assign(document.createElement('th'), { textContent: i, scope: 'row' }));
    inputs.push([]);
    for (let j = 0; j < cols; j++) {
      // No inputMode="decimal": iOS's decimal pad has no minus sign.
      const input = Object.assign(document.createElement('input'), {
        type: 'text', spellcheck: false, autocomplete: 'off', maxLength,
      });
      input.setAttribute('aria-label', `${name}[${i},${j}]`);
      input.dataset.i = i;
      input.dataset.j = j;
      tr.insertCell().appendChild(input);
      inputs[i].push(input);
    }
  }
  box.appendChild(table);
  const all = () => inputs.flat();
  const mark = (input) => input.classList.toggle('bad', input.value.trim() !== '' && !NUMBER.test(input.value));
  const commit = () => {
    if (!all().some((x) => x.value !== x.dataset.committed)) return;
    for (const x of all()) x.dataset.committed = x.value;
    setStateValue('cells', inputs.map((row) => row.map((x) => x.value)));
  };
  const at = (i, j) => (inputs[i] || [])[j];
  box.addEventListener('input', (e) => mark(e.target));
  box.addEventListener('focusout', (e) => {
    if (e.target.value !== e.target.dataset.committed) commit();
  });
  box.addEventListener('keydown', (e) => {
    const x = e.target;
    if (x.tagName !== 'INPUT') return;
    const i = Number(x.dataset.i), j = Number(x.dataset.j);
    const atStart = x.selectionStart === 0 && x.selectionEnd === 0;
    const atEnd = x.selectionStart === x.value.length && x.selectionEnd === x.value.length;
    let next;
    if (e.key === 'Enter') {
      commit();
      next = at(e.shiftKey ? i - 1 : i + 1, j);
    } else if (e.key === 'Escape') {
      x.value = x.dataset.committed;
      x.select();  // as a spreadsheet's cell after Escape: typing replaces it
      mark(x);
    } else if (e.key === 'ArrowDown') next = at(i + 1, j);
    else if (e.key === 'ArrowUp') next = at(i - 1, j);
    else if (e.key === 'ArrowLeft' && atStart) next = at(i, j - 1);
    else if (e.key === 'ArrowRight' && atEnd) next = at(i, j + 1);
    else return;
    e.preventDefault();
    if (next) {
      next.focus();
      next.select();
    }
  });
  box.addEventListener('paste', (e) => {
    const x = e.target;
    const text = (e.clipboardData && e.clipboardData.getData('text')) || '';
    const lines = text.replace(/\r/g, '').replace(/\n+$/, '').split(/\n|;/);
    const block = lines.map((line) => line.split(/\t|,/));
    if (block.length === 1 && block[0].length === 1) return;  // one value: the input pastes it
    e.preventDefault();
    const i0 = Number(x.dataset.i), j0 = Number(x.dataset.j);
    block.forEach((row, di) => row.forEach((value, dj) => {
      const cell = at(i0 + di, j0 + dj);
      if (cell) {
        cell.value = value.trim().slice(0, maxLength);
        mark(cell);
      }
    }));
    commit();
  });
  parentElement.appendChild(box);
  return box;
}

export default function ({ data, parentElement, setStateValue }) {
  const { name, cells, maxLength } = data;
  const rows = cells.length, cols = cells[0].length;
  let box = parentElement.querySelector('.mx');
  if (!box || box.dataset.shape !== `${name}:${rows}x${cols}`) {
    if (box) box.remove();
    box = build(parentElement, name, rows, cols, maxLength, setStateValue);
  }
  const focused = parentElement.activeElement || document.activeElement;
  for (const x of box.querySelectorAll('input')) {
    const value = cells[x.dataset.i][x.dataset.j];
    if (x.dataset.committed === value) continue;
    // A cell being typed in keeps what it holds; it is sent when it is finished.
    if (x !== focused || x.value === x.dataset.committed || x.dataset.committed === undefined) x.value = value;
    x.dataset.committed = value;
    x.classList.toggle('bad', x.value.trim() !== '' && !NUMBER.test(x.value));
  }
}
"""

NAME = "gradflow.matrix_editor"
_COMPONENT = st.components.v2.component(NAME, css=CSS, js=JS)


def cell_text(value: Any) -> str:
    """A cell as the editor writes it: a number's shortest exact text, '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return format_number(value)


def cell_value(text: str) -> float | str | None:
    """What a typed text means: a number, None for an empty cell, else the text for the check to name."""
    s = text.strip()
    if not s:
        return None
    return float(s) if NUMBER.fullmatch(s) else text


def committed_texts(state: object, rows: int, cols: int) -> list[list[str]] | None:
    """The texts in an editor's `state` (its session state value), if they are a rows×cols grid of strings.

    Anything else (no edit yet, or a tampered message) is None: the editor starts from its cells.
    """
    texts = state.get("cells") if isinstance(state, dict) else None
    if not isinstance(texts, list) or len(texts) != rows:
        return None
    for row in texts:
        if not isinstance(row, list) or len(row) != cols:
            return None
        if not all(isinstance(x, str) and len(x) <= MAX_CELL_CHARS for x in row):
            return None
    return texts


def matrix_editor(name: str, cells: Cells, key: str) -> Cells:
    """Draw matrix `name` for editing and return it as the student last committed it.

    `cells` is what the editor starts from (numbers, None, or a text that is not a number); the
    editor's own state, kept under `key`, holds every later edit. The result has a float for
    each number, None for each empty cell and the typed text for anything else.
    """
    rows, cols = len(cells), len(cells[0])
    texts = committed_texts(st.session_state.get(key), rows, cols) or [[cell_text(x) for x in row] for row in cells]
    data = {"name": name, "cells": texts, "maxLength": MAX_CELL_CHARS}
    _COMPONENT(key=key, data=data, on_cells_change=_rerun, width="content")
    return [[cell_value(x) for x in row] for row in texts]


def _rerun() -> None:
    """A committed edit only needs the rerun it causes (a named callback: the state key needs one)."""
