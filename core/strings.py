"""The sentences `core` itself produces, by key, so that they can be translated.

Core keeps only what it says on its own: the messages of `core.InputError` (`err.*`, `quiz.err.*`),
`core.explain`'s explanation and the presets' descriptions; `text(key, lang, **params)` finds them
with no `ui` imported. The pages' sentences live next to the pages, in `ui/text/` (`EN_PAGES`,
`ZH_PAGES`), and `ui.text.text` looks a key up in both; core never imports `ui`, so nothing is
registered here. A translation is a second catalogue with the same keys (`core.strings_zh.ZH`).
Keys are grouped by the code that asks for them. Numbers, code and formulas are put in by the
caller, never translated.
"""

from __future__ import annotations

from typing import Any

from core.strings_zh import ZH

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
    "err.too_large": ("{name} is {rows}×{cols}, beyond this app's limit: each side can be at most {limit}."),
    "err.empty_cell": "{name}[{i},{j}] is empty: type a number there.",
    "err.not_a_number": "{name}[{i},{j}] is “{value}”, which is not a number.",
    "err.nan_cell": "{name}[{i},{j}] is NaN (not a number): type a real number there.",
    "err.inf_cell": "{name}[{i},{j}] is infinite: type a finite number there.",
    "err.ragged": ("{name}: row {row} has {got} number(s) but row 0 has {expected}; every row needs the same count."),
    "err.inner_mismatch": (
        "T is {m}×{k} and B is {k2}×{n}: for Y = T @ B, T's number of columns ({k}) "
        "must equal B's number of rows ({k2})."
    ),
    "err.seed_shape": ("The seed G is {rows}×{cols} but Y = T @ B is {m}×{n}: the seed needs Y's shape."),
    "err.text_too_long": "{name} is {length} characters long; the limit is {limit}.",
    "err.seed_unknown": (
        "The seed “{text}” is not understood. Use one of: ones, entry:i,j, entries:i,j;i,j, "
        "row:i, col:j, weights:a,b;c,d (indices count from 0)."
    ),
    "err.index_malformed": ("The seed “{text}”: “{index}” is not an index; indices are whole numbers counted from 0."),
    "err.entry_malformed": (
        "The seed “{text}”: an entry is written as two indices “i,j” (row, column), counted from 0."
    ),
    "err.entry_out_of_range": (
        "The seed picks Y[{i},{j}], but Y is {m}×{n}: rows run 0 to {m_last} and columns 0 to {n_last}."
    ),
    "err.row_out_of_range": "The seed picks row {i} of Y, but Y has {m} row(s) (0 to {m_last}).",
    "err.col_out_of_range": ("The seed picks column {j} of Y, but Y has {n} column(s) (0 to {n_last})."),
    "err.no_entries": "The seed “{text}” picks no entry of Y: pick at least one.",
    "err.too_many_entries": ("The seed lists {count} entries, but Y has only {cells} cell(s); list each entry once."),
    "err.seed_text_too_many": "The seed lists {count} entries; a seed can list at most {limit}, one per cell of Y.",
    "err.dtype": "The dtype must be float32 or float64, not “{dtype}”.",
    "err.preset_unknown": "There is no preset called “{name}”. The presets are: {names}.",
    "err.target_shape": "The target is {rows}×{cols} but Y is {m}×{n}: it needs Y's shape.",
    "err.focus_malformed": ("“{text}” is not a gradient entry: write dT:i,j for dL/dT[i,j] or dB:j,p for dL/dB[j,p]."),
    "err.focus_out_of_range": (
        "“{text}” is outside the gradients: dL/dT is {m}×{k} and dL/dB is {k}×{n} (indices count from 0)."
    ),
    "err.overflow": (
        "These numbers are too large for {dtype}: a sum of products of T, B and the seed could "
        "reach {bound}, beyond {dtype}'s largest value {largest}. Use smaller numbers"
        " (or float64, whose range is far wider)."
    ),
    "err.loss_unknown": "There is no loss called “{name}”. The losses are: {names}.",
    "err.cell_malformed": "“{text}” is not a cell of Y: write it as two indices i,j counted from 0, such as 0,1.",
    "err.cell_out_of_range": (
        "Y[{i},{j}] is outside Y, which is {m}×{n}: rows run 0 to {m_last} and columns 0 to {n_last}."
    ),
    "err.choice": "“{text}” is not one of the choices: {choices}.",
    # --- explanations (core.explain) -----------------------------------------------------
    "explain.all_ones": (
        "With the all-ones seed, every row of dL/dT is the same: B's row sums [{sums}]. "
        "dL/dT[i,j] = Σ_p G[i,p]·B[j,p] = Σ_p B[j,p] when every G[i,p] is 1, and that sum does "
        "not depend on i. This is what tape.gradient(Y, T) returns for a non-scalar Y."
    ),
    # --- what the seed makes true (core.lesson) ------------------------------------------
    "lesson.zero": "The seed is all zeros: L does not depend on Y, so every gradient is 0.",
    "lesson.ones": "Every row of dL/dT is B's row sums: {values}.",
    "lesson.row": "Row {i} of dL/dT is B's row sums: {values}. Every other row is 0.",
    "lesson.entry": "Row {i} of dL/dT is column {j} of B: {values}. Every other row is 0.",
    "lesson.col": "Every row of dL/dT is column {j} of B: {values}.",
    "lesson.mixed": "Row i of dL/dT adds up B's columns, weighted by row i of the seed: dL/dT = G @ Bᵀ.",
    "lesson.same_T": "dL/dT did not change: dL/dT = G @ Bᵀ has no T in it.",
    "lesson.same_B": "dL/dB did not change: dL/dB = Tᵀ @ G has no B in it.",
    # --- what each preset is good for (core.presets) --------------------------------------
    "preset.so-question": "The learner's 5×3 @ 3×3 case: every row of tape.gradient(Y, T) is B's row sums.",
    "preset.identity": "B is the identity, so Y = T and every row sum of B is 1.",
    "preset.small-integers": "Small integers you can add in your head.",
    "preset.random": "Random numbers from a fixed seed, the same every time.",
    # --- the quiz's answers and problem numbers (core.quiz) --------------------------------
    "quiz.err.q_malformed": "“{text}” is not a problem number: use a whole number from {low} to {high}.",
    "quiz.err.q_range": "“{text}” is not a problem number: problem numbers run from {low} to {high}.",
    "quiz.err.empty": "Your {entry} is empty: type a number there.",
    "quiz.err.not_a_number": "Your {entry} is “{value}”, which is not a number. Type it like 3, −2, 2.5 or 7/2.",
    "quiz.err.not_finite": "Your {entry} is “{value}”, which is too large: type a finite number.",
    "quiz.err.shape": "Your {name} needs {rows}×{cols} entries, one for every cell.",
    # --- the two-layer chain (core.chain) ---------------------------------------------------
    "err.act_unknown": "There is no activation called “{name}”. The activations are: {names}.",
    "err.chain_inner": (
        "{right} has {rows} rows but {left} has {cols} columns: in {left} @ {right} each row of {right} "
        "multiplies one column of {left}, so the two counts must be equal."
    ),
    "err.bias_rows": "{name} is one row of numbers (one per column), but it has {rows} rows.",
    "err.bias_length": (
        "{name} has {length} entries but {weights} has {cols} columns: {name} adds one number to each column."
    ),
    "err.chain_seed_shape": "The seed G is {rows}×{cols} but Y = H @ W2 is {m}×{n}: the seed needs Y's shape.",
    "err.chain_overflow": (
        "These numbers are too large for {dtype}: a value or gradient of the network could reach {bound}, "
        "beyond {dtype}'s largest value {largest}. Use smaller numbers (or float64, whose range is far wider)."
    ),
    "chain.preset.two-layer": "A small two-layer network with biases: 3×2 inputs, 3 hidden units, 2 outputs.",
    "chain.preset.dead-relu": (
        "Hidden unit 2 is a dead ReLU: Z[:,2] < 0 for every row, so no gradient passes it and dL/dW1's column 2 is 0."
    ),
    "chain.preset.question": "X is the question's T (5×3) and W1 its B: the playground's matmul is the first layer.",
    "class.err.code": "“{text}” is not a class code: a class code is 6 letters and digits, as the teacher shows it.",
    "class.err.key": "“{text}” is not a teacher key: copy the whole teacher link.",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}
"""Core's catalogue in every language; each has exactly the keys of `EN` (tests/unit/test_strings.py checks)."""

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
"""The `lang=` values a link may carry, each with its name as its readers write it."""

DEFAULT_LANGUAGE = "en"


def language_for_locale(locale: str | None) -> str:
    """The interface language for a browser locale such as `zh-CN` or `en-US`: Chinese for any zh-*."""
    return "zh" if (locale or "").strip().lower().startswith("zh") else DEFAULT_LANGUAGE


def text(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Core's sentence for `key` in `lang`, with `params` put in (English for an unknown language).

    A page's key is not here (KeyError): pages look sentences up with `ui.text.text`, which has both.
    """
    template = CATALOGUES.get(lang, EN)[key]
    return template.format(**params)
