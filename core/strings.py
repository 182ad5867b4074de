"""Every user-facing sentence of Gradflow, in one place so that the interface can be translated.

Pages and core alike look text up by key with `text(key, **params)`; a translation is a second
catalogue with the same keys. Keys are grouped by where the text appears. Numbers, code and
formulas are put in by the caller, never translated.
"""

from __future__ import annotations

from typing import Any

CLIP = 24
"""Longest piece of user-typed text repeated inside a message (a 100 kB URL stays out of the page)."""


def clip(value: object, limit: int = CLIP) -> str:
    """User text shortened for quoting in a message, so a huge or odd value cannot flood the page."""
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


EN: dict[str, str] = {
    # --- input errors (core.InputError) ---------------------------------------------------
    "err.empty_matrix": "{name} is empty: it needs at least one row and one column.",
    "err.not_2d": "{name} must be a matrix (rows and columns), but it has {ndim} dimension(s).",
    "err.too_large": (
        "{name} is {rows}×{cols}, beyond this app's limit: each side can be at most {limit}."
    ),
    "err.empty_cell": "{name}[{i},{j}] is empty: type a number there.",
    "err.not_a_number": "{name}[{i},{j}] is “{value}”, which is not a number.",
    "err.nan_cell": "{name}[{i},{j}] is NaN (not a number): type a real number there.",
    "err.inf_cell": "{name}[{i},{j}] is infinite: type a finite number there.",
    "err.ragged": (
        "{name}: row {row} has {got} number(s) but row 0 has {expected}; "
        "every row needs the same count."
    ),
    "err.inner_mismatch": (
        "T is {m}×{k} and B is {k2}×{n}: for Y = T @ B, T's number of columns ({k}) "
        "must equal B's number of rows ({k2})."
    ),
    "err.seed_shape": (
        "The seed G is {rows}×{cols} but Y = T @ B is {m}×{n}: the seed needs Y's shape."
    ),
    "err.text_too_long": "{name} is {length} characters long; the limit is {limit}.",
    "err.seed_unknown": (
        "The seed “{text}” is not understood. Use one of: ones, entry:i,j, entries:i,j;i,j, "
        "row:i, col:j, weights:a,b;c,d (indices count from 0)."
    ),
    "err.index_malformed": (
        "The seed “{text}”: “{index}” is not an index; indices are whole numbers counted from 0."
    ),
    "err.entry_malformed": (
        "The seed “{text}”: an entry is written as two indices “i,j” (row, column), counted from 0."
    ),
    "err.entry_out_of_range": (
        "The seed picks Y[{i},{j}], but Y is {m}×{n}: rows run 0 to {m_last} "
        "and columns 0 to {n_last}."
    ),
    "err.row_out_of_range": "The seed picks row {i} of Y, but Y has {m} row(s) (0 to {m_last}).",
    "err.col_out_of_range": (
        "The seed picks column {j} of Y, but Y has {n} column(s) (0 to {n_last})."
    ),
    "err.no_entries": "The seed “{text}” picks no entry of Y: pick at least one.",
    "err.too_many_entries": (
        "The seed lists {count} entries, but Y has only {cells} cell(s); list each entry once."
    ),
    "err.dtype": "The dtype must be float32 or float64, not “{dtype}”.",
    "err.preset_unknown": "There is no preset called “{name}”. The presets are: {names}.",
    "err.target_shape": "The target is {rows}×{cols} but Y is {m}×{n}: it needs Y's shape.",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN}
"""Every language's catalogue; each must have exactly the keys of `EN`."""


def text(key: str, lang: str = "en", **params: Any) -> str:
    """The sentence for `key` in `lang`, with `params` put in (English when `lang` lacks it)."""
    catalogue = CATALOGUES.get(lang, EN)
    template = catalogue.get(key, EN[key])
    return template.format(**params)
