"""Every text parser in core, fed any text: it parses, or raises core.InputError, and nothing else.

A share link reaches these functions unchanged, so whatever a link can carry (any Unicode, numbers
in every spelling, separators in every arrangement, text past the length limit) must end as a
value that obeys the parser's contract or as an InputError whose message renders in every language,
is of sentence length, and quotes user text only clipped. `core.problem.from_query` goes further:
it never raises, and what it returns survives a round trip through `to_query`.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import core
from core import losses, quiz, strings
from core import problem as qs
from core.limits import MAX_DIM, MAX_TEXT_LENGTH
from core.seeds import format_seed, parse_seed
from core.textforms import (
    format_focus,
    format_matrix,
    parse_cell,
    parse_choice,
    parse_focus,
    parse_matrix,
)
from core.validate import as_matrix, check_dtype, parse_number

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MESSAGE_LIMIT = 600
"""Longest message any input may produce: a sentence with clipped quotes, whatever was typed."""

# --- what a link can carry ----------------------------------------------------------------------

SEPARATORS = st.sampled_from([",", ";", ":", " ", "", ",,", ";;", "\t", "\n", ", ", " ;"])
ODD_NUMBERS = st.sampled_from(
    [
        "nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "1e308", "-1e308", "1e309", "1e999",
        "1e-400", "0x10", "0b1", "1_000", "１２", "٣", "²", "½", "Ⅻ", "+", "-", ".", "e5", "1e", "--1",
        "+-1", "0", "-0", "00", "", " ", "\u22122", "7/2", "1/0", "9" * 40, "1.", ".5", "1e+5", "1E5",
        "\x00", "\u200b1", "1\u00a0",
    ]
)  # fmt: skip
NUMBER_TOKENS = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.integers().map(str),
    st.floats().map(repr),
    st.floats(width=32).map(str),
    ODD_NUMBERS,
    st.text(st.characters(categories=["Nd"]), min_size=1, max_size=4),  # digits of every script
    st.text(alphabet=string.digits + "-+.eE", min_size=1, max_size=6),
)
NUMBERS_AND_SEPARATORS = st.lists(st.tuples(NUMBER_TOKENS, SEPARATORS), max_size=24).map(
    lambda parts: "".join(token + sep for token, sep in parts)
)
PREFIXED = st.tuples(
    st.sampled_from(
        ["ones", "entry:", "entries:", "row:", "col:", "weights:", "dT:", "dB:", "ENTRY:", " row :", "dT", ":", ""]
    ),
    NUMBERS_AND_SEPARATORS,
).map("".join)
LONG = st.builds(lambda piece, count: piece * count, st.text(min_size=1, max_size=8), st.integers(300, 1500))
ANY_TEXT = st.one_of(st.text(), NUMBERS_AND_SEPARATORS, PREFIXED, LONG, st.text(st.characters(categories=["Nd"])))
EXAMPLES = ["", " ", "1,2;3", "１２", "0x10", "nan", "inf", "-inf", "1e308", "1e999", "1," * 51_200, "<script>"]


def rendered(error: core.InputError) -> str:
    """The error's message in every language, checked; the English one is returned."""
    assert error.key in strings.EN, error.key
    for value in error.params.values():
        if isinstance(value, str):
            assert len(value) <= MESSAGE_LIMIT, f"a parameter of {len(value)} characters"
    for lang in strings.LANGUAGES:
        message = error.message_in(lang)
        assert isinstance(message, str)
        assert message.strip()
        assert len(message) <= MESSAGE_LIMIT, f"a {lang} message of {len(message)} characters"
    assert error.message == str(error) == strings.text(error.key, **error.params)
    return error.message


def parses_or_input_error(parse: Callable[[str], Any], text: str) -> Any:
    """`parse(text)`, or None after checking the InputError it raised; any other exception fails."""
    try:
        return parse(text)
    except core.InputError as error:
        rendered(error)
        return None


def with_examples(test: Callable[..., Any]) -> Callable[..., Any]:
    for text in EXAMPLES:
        test = example(text)(test)
    return test


# --- core.textforms ---------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(ANY_TEXT, NUMBERS_AND_SEPARATORS))
@with_examples
def test_parse_matrix(text: str) -> None:
    M = parses_or_input_error(lambda s: parse_matrix(s, "T"), text)
    if M is not None:
        assert M.dtype == np.float64 and M.ndim == 2
        assert 1 <= M.shape[0] <= MAX_DIM and 1 <= M.shape[1] <= MAX_DIM
        assert np.isfinite(M).all()
        np.testing.assert_array_equal(parse_matrix(format_matrix(M)), M)
        assert len(text) <= MAX_TEXT_LENGTH


@SETTINGS
@given(st.one_of(ANY_TEXT, PREFIXED))
@with_examples
@example("entries:" + "0,0;" * 1000)
@example("weights:" + ";".join(["1e308,1e308,1e308"] * 5))
def test_parse_seed(text: str) -> None:
    spec = parses_or_input_error(parse_seed, text)
    if spec is not None:
        assert isinstance(spec, core.SeedSpec)
        assert parse_seed(format_seed(spec)) == spec
        try:  # against Y's shape the seed either fits or says why not
            G = spec.matrix(5, 3)
        except core.InputError as error:
            rendered(error)
        else:
            assert G.shape == (5, 3) and np.isfinite(G).all()


@SETTINGS
@given(st.one_of(ANY_TEXT, PREFIXED))
@with_examples
def test_parse_focus(text: str) -> None:
    focus = parses_or_input_error(parse_focus, text)
    if focus is not None:
        wrt, i, j = focus
        assert wrt in ("T", "B")
        assert min(i, j) >= 0
        assert parse_focus(format_focus(focus)) == focus


@SETTINGS
@given(ANY_TEXT)
@with_examples
@example("T")
@example("B ")
def test_parse_choice(text: str) -> None:
    choice = parses_or_input_error(lambda s: parse_choice(s, ("T", "B")), text)
    assert choice in (None, "T", "B")


@SETTINGS
@given(st.one_of(ANY_TEXT, NUMBERS_AND_SEPARATORS), st.integers(1, MAX_DIM), st.integers(1, MAX_DIM))
@example("4,2", 5, 3)
@example("5,0", 5, 3)
@example("０,１", 5, 3)
def test_parse_cell(text: str, m: int, n: int) -> None:
    cell = parses_or_input_error(lambda s: parse_cell(s, m, n), text)
    if cell is not None:
        i, j = cell
        assert 0 <= i < m and 0 <= j < n


# --- core.validate ------------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(NUMBER_TOKENS, ANY_TEXT))
@with_examples
def test_parse_number(text: str) -> None:
    x = parses_or_input_error(lambda s: parse_number(s, "T", 0, 0), text)
    if x is not None:
        assert isinstance(x, float) and math.isfinite(x)


@SETTINGS
@given(st.lists(st.lists(st.one_of(NUMBER_TOKENS, st.text(max_size=5)), max_size=MAX_DIM + 1), max_size=MAX_DIM + 1))
def test_as_matrix_of_typed_text(rows: list[list[str]]) -> None:
    M = parses_or_input_error(lambda cells: as_matrix(cells, "B"), rows)
    if M is not None:
        assert M.dtype == np.float64 and np.isfinite(M).all()
        assert M.shape == (len(rows), len(rows[0]))


@SETTINGS
@given(ANY_TEXT)
@with_examples
@example("float64")
@example("float32 ")
def test_check_dtype(text: str) -> None:
    assert parses_or_input_error(check_dtype, text) in (None, "float32", "float64")


# --- the pages' own parameters and the presets ----------------------------------------------------


@SETTINGS
@given(ANY_TEXT)
@with_examples
@example("sq-error")
def test_check_loss(text: str) -> None:
    assert parses_or_input_error(losses.check_loss, text) in (None, *losses.LOSSES)


@SETTINGS
@given(st.one_of(ANY_TEXT, NUMBER_TOKENS))
@with_examples
@example("+7")
@example("0042")
@example("999999")
@example("1000000")
@example("9" * 5000)
def test_parse_q(text: str) -> None:
    q = parses_or_input_error(quiz.parse_q, text)
    assert q is None or (isinstance(q, int) and quiz.Q_MIN <= q <= quiz.Q_MAX)


@pytest.mark.parametrize("text", ["0" * 5000 + "7", "-" + "0" * 4400])
def test_parse_q_of_thousands_of_leading_zeros(text: str) -> None:
    """'0…07' is the whole number 7 (as '0042' is 42), and '-0…0' is 0: numbers, not a crash."""
    assert quiz.parse_q(text) == int(text.lstrip("+-").lstrip("0") or "0")


@SETTINGS
@given(st.one_of(NUMBER_TOKENS, ANY_TEXT))
@with_examples
@example("7/2")
@example("1/0")
@example("\u22122.5")
def test_parse_prediction(text: str) -> None:
    x = parses_or_input_error(lambda s: quiz.parse_prediction(s, "dL/dT[0,0]"), text)
    assert x is None or math.isfinite(x)


@SETTINGS
@given(ANY_TEXT)
@with_examples
@example("so-question")
@example("__class__")
@example("../../etc/passwd")
def test_preset(text: str) -> None:
    chosen = parses_or_input_error(core.preset, text)
    assert chosen is None or chosen.name in core.PRESETS


# --- core.problem.from_query --------------------------------------------------------------------

PARAM_VALUE = st.one_of(ANY_TEXT, PREFIXED, st.sampled_from(["so-question", "identity", "float64", "dT:0,0"]))
QUERIES = st.dictionaries(st.one_of(st.sampled_from(qs.PARAMS), st.text(max_size=6)), PARAM_VALUE, max_size=10)


def same_problem(a: qs.Problem, b: qs.Problem) -> bool:
    return (
        np.array_equal(a.T, b.T)
        and np.array_equal(a.B, b.B)
        and (a.seed, a.dtype, a.preset, a.focus) == (b.seed, b.dtype, b.preset, b.focus)
    )


@SETTINGS
@given(QUERIES)
@example({})
@example({key: "1," * 51_200 for key in qs.PARAMS})
@example({"T": ";".join(["1e308,1e308,1e308"] * 5), "seed": "weights:" + ";".join(["1e308,1e308,1e308"] * 5)})
@example({"T": "1,2;3,4", "B": "1;2;3", "focus": "dB:2,0", "seed": "col:1"})
@example({"preset": "random", "T": "1,2,3", "dtype": "float64", "focus": "dT:0,2", "seed": "entries:0,1;0,1"})
def test_from_query_never_raises_and_round_trips(query: dict[str, str]) -> None:
    problem, errors = qs.from_query(query)
    m, k, n = problem.shape
    assert problem.T.shape == (m, k) and problem.B.shape == (k, n)
    assert max(m, k, n) <= MAX_DIM
    assert np.isfinite(problem.T).all() and np.isfinite(problem.B).all()
    assert problem.seed.matrix(m, n).shape == (m, n)
    assert problem.dtype in ("float32", "float64")
    assert problem.focus is None or qs.focus_in_range(problem.focus, m, k, n)
    for error in errors:
        assert error.param in qs.PARAMS and error.param in query
        rendered(error.error)
    assert len({e.param for e in errors}) == len(errors), "one message per parameter"
    for key in set(query) & set(qs.PARAMS):  # a parameter it used must be in the share link it writes
        if key not in {e.param for e in errors} and key not in ("preset", "T", "B"):
            assert key in qs.to_query(problem) or (key == "dtype" and problem.dtype == "float32")

    again, errors_again = qs.from_query(qs.to_query(problem))
    assert errors_again == []
    assert same_problem(again, problem)


@pytest.mark.parametrize("param", qs.PARAMS)
def test_from_query_names_a_100_kb_value_without_quoting_it(param: str) -> None:
    value = "1," * 51_200
    _, errors = qs.from_query({param: value})
    (error,) = errors
    assert error.param == param
    assert len(rendered(error.error)) < 300
