"""The text forms of matrices, indices and gradient entries used in share URLs, both ways.

Matrices: rows separated by ';', entries by ',' (`1,2;3,4`); a gradient entry `dT:i,j`, indices
counted from 0. Anything malformed raises `InputError`; `parse(format(x)) == x` holds exactly.
The seed's text forms (`ones`, `entry:i,j`, …) are parsed by each kind's row of core.seeds.KINDS,
with the helpers here.
"""

from __future__ import annotations

import re

import numpy as np

from core.errors import InputError
from core.limits import MAX_DIM, MAX_TEXT_LENGTH
from core.strings import clip
from core.validate import as_matrix

INDEX = re.compile(r"\d{1,4}", re.ASCII)


def check_length(text: str, name: str) -> str:
    """`text` stripped, or an InputError if a link or a form sent more than MAX_TEXT_LENGTH characters."""
    if len(text) > MAX_TEXT_LENGTH:
        raise InputError("err.text_too_long", name=name, length=len(text), limit=MAX_TEXT_LENGTH)
    return text.strip()


def parse_matrix(text: str, name: str = "T") -> np.ndarray:
    """The matrix written as `1,2;3,4`, as float64, checked like any typed matrix."""
    text = check_length(text, name)
    if not text:
        raise InputError("err.empty_matrix", name=name)
    rows = [r.split(",") for r in text.rstrip(";").split(";")]
    if len(rows) > MAX_DIM or any(len(r) > MAX_DIM for r in rows):
        cols = max(len(r) for r in rows)
        raise InputError("err.too_large", name=name, rows=len(rows), cols=cols, limit=MAX_DIM)
    return as_matrix(rows, name)


def format_number(x: float) -> str:
    """The shortest text that reads back as exactly `x` ('1' rather than '1.0')."""
    s = repr(float(x))
    return s[:-2] if s.endswith(".0") else s


def format_matrix(M: np.ndarray) -> str:
    """`M` in the `1,2;3,4` form, exact to the last bit of each float64."""
    return ";".join(",".join(format_number(x) for x in row) for row in np.asarray(M, dtype=float))


def parse_index(part: str, text: str) -> int:
    """An index (0 to 9999) written in `part` of the seed text `text`, named in the message if malformed."""
    part = part.strip()
    if not INDEX.fullmatch(part):
        raise InputError("err.index_malformed", text=clip(text), index=clip(part, 8))
    return int(part)


def parse_pair(pair: str, text: str) -> tuple[int, int]:
    """A cell `i,j` written in `pair` of the seed text `text` (not checked against a shape)."""
    parts = pair.split(",")
    if len(parts) != 2:
        raise InputError("err.entry_malformed", text=clip(text))
    return parse_index(parts[0], text), parse_index(parts[1], text)


FOCUS_KINDS = ("dT", "dB")


def parse_focus(text: str) -> tuple[str, int, int]:
    """A gradient entry written as `dT:i,j` or `dB:j,p`, returned as ("T" or "B", row, column)."""
    text = check_length(text, "focus")
    kind, _, body = text.partition(":")
    if kind.strip() not in FOCUS_KINDS:
        raise InputError("err.focus_malformed", text=clip(text))
    try:
        i, j = parse_pair(body, text)
    except InputError:  # parse_pair's messages speak of a seed; say what a gradient entry looks like
        raise InputError("err.focus_malformed", text=clip(text)) from None
    return kind.strip()[1], i, j


def format_focus(focus: tuple[str, int, int]) -> str:
    """The text form `dT:i,j` / `dB:j,p` of a gradient entry, the inverse of `parse_focus`."""
    wrt, i, j = focus
    return f"d{wrt}:{i},{j}"


def shortest_text(M: np.ndarray) -> list[list[str]]:
    """Each entry as the shortest decimal that identifies it in its own dtype (what NumPy/TF print).

    float32 results show as '-0.17307831', float64 as '-0.17307832000000006': the digits the
    learner sees in their own output, never rounded for display.
    """
    M = np.asarray(M)
    if M.dtype not in (np.float32, np.float64):
        M = M.astype(np.float64)
    return [[str(x) for x in row] for row in M]  # NumPy scalars print their shortest round-trip form


def matrices_csv(matrices: dict[str, np.ndarray]) -> str:
    """Several matrices in one CSV text, each under a '# name (rows×cols)' line, exact digits."""
    lines: list[str] = []
    for name, M in matrices.items():
        rows = shortest_text(M)
        lines.append(f"# {name} ({len(rows)}×{len(rows[0])})")
        lines += [",".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def parse_choice(text: str, choices: tuple[str, ...]) -> str:
    """`text` if it is one of `choices` (a page's own parameter such as `wrt=B`), else InputError."""
    value = check_length(text, "value")
    if value not in choices:
        raise InputError("err.choice", text=clip(value), choices=", ".join(choices))
    return value


def parse_cell(text: str, m: int, n: int) -> tuple[int, int]:
    """A cell `i,j` of an m×n matrix (such as Y), checked to lie inside it."""
    text = check_length(text, "entry")
    parts = text.split(",")
    if len(parts) != 2 or not all(INDEX.fullmatch(part.strip()) for part in parts):
        raise InputError("err.cell_malformed", text=clip(text))
    i, j = int(parts[0]), int(parts[1])
    if not (i < m and j < n):
        raise InputError("err.cell_out_of_range", i=i, j=j, m=m, n=n, m_last=m - 1, n_last=n - 1)
    return i, j
