"""core.textforms: the `1,2;3,4` and `entry:i,j` text forms used in share URLs, both ways."""

from __future__ import annotations

import contextlib
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import SeedSpec, format_matrix, format_seed, parse_matrix, parse_seed
from core.textforms import format_number

# --- matrices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,2;3,4", [[1, 2], [3, 4]]),
        ("1", [[1]]),
        ("1,2,3", [[1, 2, 3]]),
        ("1;2;3", [[1], [2], [3]]),
        (" 1 , 2 ; 3 , 4 ", [[1, 2], [3, 4]]),
        ("1,2;3,4;", [[1, 2], [3, 4]]),
        ("-0.5,1e-3;+2,.25", [[-0.5, 1e-3], [2, 0.25]]),
    ],
)
def test_parse_matrix_examples(text, expected):
    M = parse_matrix(text)
    assert M.dtype == np.float64
    np.testing.assert_array_equal(M, expected)


def test_format_matrix_examples():
    assert format_matrix(np.array([[1.0, 2.0], [3.0, 4.0]])) == "1,2;3,4"
    assert format_matrix([[0.1, -2.5]]) == "0.1,-2.5"
    assert format_matrix(np.array([[-0.0]])) == "-0"
    assert format_matrix(np.array([[1e300, 5e-324]])) == "1e+300,5e-324"


@pytest.mark.parametrize(("x", "text"), [(1.0, "1"), (-3.0, "-3"), (0.1, "0.1"), (1e16, "1e+16"), (2.5e-8, "2.5e-08")])
def test_format_number(x, text):
    assert format_number(x) == text
    assert float(text) == x


def test_reference_matrices_round_trip():
    p = core.preset("so-question")
    assert format_matrix(p.T).startswith("0.8363,0.4719,0.9783;0.3379")
    assert format_matrix(p.B).startswith("0.43842274,-0.53439844,-0.07710262;")
    np.testing.assert_array_equal(parse_matrix(format_matrix(p.T)), p.T)
    np.testing.assert_array_equal(parse_matrix(format_matrix(p.B)), p.B)


FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)
INTERESTING = st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1])


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=core.MAX_DIM),
        elements=st.one_of(FINITE, INTERESTING),
    )
)
def test_matrix_round_trip_is_exact(M):
    text = format_matrix(M)
    back = parse_matrix(text)
    assert back.shape == M.shape
    assert back.dtype == np.float64
    # Bit for bit, so that -0.0 stays -0.0.
    assert back.tobytes() == M.tobytes()
    assert format_matrix(back) == text


def test_negative_zero_round_trips():
    back = parse_matrix(format_matrix(np.array([[-0.0, 0.0]])))
    assert math.copysign(1, back[0, 0]) == -1
    assert math.copysign(1, back[0, 1]) == 1


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("1,2;3", "err.ragged", "row 1 has 1"),
        ("abc", "err.not_a_number", "T[0,0] is “abc”"),
        ("1,abc", "err.not_a_number", "T[0,1]"),
        ("", "err.empty_matrix", "T is empty"),
        ("   ", "err.empty_matrix", "T is empty"),
        (";", "err.empty_cell", "T[0,0] is empty"),
        ("1,,2", "err.empty_cell", "T[0,1] is empty"),
        ("1;;2", "err.empty_cell", "T[1,0] is empty"),
        ("nan", "err.nan_cell", "T[0,0] is NaN"),
        ("1,NaN", "err.nan_cell", "T[0,1] is NaN"),
        ("inf", "err.inf_cell", "T[0,0] is infinite"),
        ("1;-inf", "err.inf_cell", "T[1,0] is infinite"),
        ("1e999", "err.inf_cell", "T[0,0] is infinite"),
        ("-1e999", "err.inf_cell", "T[0,0] is infinite"),
        ("0x10", "err.not_a_number", "T[0,0]"),
        ("1_000", "err.not_a_number", "T[0,0]"),
        ("１", "err.not_a_number", "T[0,0]"),
        ("1 2", "err.not_a_number", "T[0,0]"),
        (",".join(["1"] * 9), "err.too_large", "1×9"),
        (";".join(["1"] * 9), "err.too_large", "9×1"),
        (";".join([",".join(["1"] * 100)] * 10), "err.too_large", "10×100"),
    ],
    ids=lambda x: x[:20] if isinstance(x, str) else x,
)
def test_malformed_matrix_text(text, key, fragment):
    with pytest.raises(core.InputError) as info:
        parse_matrix(text, "T")
    assert info.value.key == key
    assert fragment in str(info.value)


def test_matrix_text_uses_the_given_name():
    with pytest.raises(core.InputError, match=r"B\[0,1\] is NaN"):
        parse_matrix("1,nan", "B")


def test_matrix_text_too_long():
    text = "1," * (core.MAX_TEXT_LENGTH // 2) + "1"
    assert len(text) > core.MAX_TEXT_LENGTH
    with pytest.raises(core.InputError) as info:
        parse_matrix(text, "T")
    assert info.value.key == "err.text_too_long"
    assert str(core.MAX_TEXT_LENGTH) in str(info.value)
    assert str(len(text)) in str(info.value)


def test_matrix_text_at_the_length_limit_is_read():
    text = "1" + " " * (core.MAX_TEXT_LENGTH - 1)
    assert len(text) == core.MAX_TEXT_LENGTH
    np.testing.assert_array_equal(parse_matrix(text), [[1.0]])


# --- seeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("ones", SeedSpec("ones")),
        (" ONES ", SeedSpec("ones")),
        ("ones:", SeedSpec("ones")),
        ("entry:0,0", SeedSpec("entry", cells=((0, 0),))),
        ("entry: 1 , 2 ", SeedSpec("entry", cells=((1, 2),))),
        ("entries:0,0;1,2", SeedSpec("entries", cells=((0, 0), (1, 2)))),
        ("entries:0,0;1,2;0,0;", SeedSpec("entries", cells=((0, 0), (1, 2)))),
        ("row:1", SeedSpec("row", index=1)),
        ("col:2", SeedSpec("col", index=2)),
        ("weights:1,0;0,2", SeedSpec("weights", weights=((1.0, 0.0), (0.0, 2.0)))),
    ],
)
def test_parse_seed_examples(text, spec):
    assert parse_seed(text) == spec


def test_parsed_seeds_make_the_right_matrices():
    np.testing.assert_array_equal(parse_seed("entry:0,0").matrix(5, 3), core.seeds.one_entry(5, 3, 0, 0))
    np.testing.assert_array_equal(parse_seed("row:1").matrix(2, 2), [[0, 0], [1, 1]])
    np.testing.assert_array_equal(parse_seed("col:2").matrix(1, 3), [[0, 0, 1]])
    np.testing.assert_array_equal(parse_seed("weights:1,0;0,2").matrix(2, 2), [[1, 0], [0, 2]])
    np.testing.assert_array_equal(parse_seed("entries:0,0;1,2").matrix(2, 3), [[1, 0, 0], [0, 0, 1]])


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (SeedSpec("ones"), "ones"),
        (SeedSpec("entry", cells=((0, 0),)), "entry:0,0"),
        (SeedSpec("entries", cells=((0, 0), (1, 2))), "entries:0,0;1,2"),
        (SeedSpec("row", index=1), "row:1"),
        (SeedSpec("col", index=2), "col:2"),
        (SeedSpec("weights", weights=((1.0, 0.0), (0.0, 2.0))), "weights:1,0;0,2"),
        (SeedSpec("weights", weights=((0.5, -0.0),)), "weights:0.5,-0"),
    ],
)
def test_format_seed_examples(spec, text):
    assert format_seed(spec) == text
    assert parse_seed(text) == spec


CELL = st.tuples(st.integers(0, 9999), st.integers(0, 9999))
WEIGHT = st.one_of(FINITE, INTERESTING)


@st.composite
def seed_specs(draw):
    kind = draw(st.sampled_from(core.seeds.SEED_KINDS))
    if kind == "ones":
        return SeedSpec("ones")
    if kind == "entry":
        return SeedSpec("entry", cells=(draw(CELL),))
    if kind == "entries":
        cells = draw(st.lists(CELL, min_size=1, max_size=core.MAX_DIM * core.MAX_DIM, unique=True))
        return SeedSpec("entries", cells=tuple(cells))
    if kind in ("row", "col"):
        return SeedSpec(kind, index=draw(st.integers(0, 9999)))
    rows, cols = draw(st.integers(1, core.MAX_DIM)), draw(st.integers(1, core.MAX_DIM))
    W = draw(st.lists(st.lists(WEIGHT, min_size=cols, max_size=cols), min_size=rows, max_size=rows))
    return SeedSpec("weights", weights=tuple(tuple(r) for r in W))


@settings(max_examples=300, deadline=None)
@given(seed_specs())
def test_seed_round_trip(spec):
    text = format_seed(spec)
    back = parse_seed(text)
    assert back == spec
    assert format_seed(back) == text
    if spec.kind == "weights":  # == cannot tell -0.0 from 0.0; the bits can
        assert np.array(back.weights).tobytes() == np.array(spec.weights).tobytes()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "err.seed_unknown"),
        ("foo:1", "err.seed_unknown"),
        ("foo", "err.seed_unknown"),
        ("one", "err.seed_unknown"),
        ("ones:1", "err.seed_unknown"),
        ("entry:99", "err.entry_malformed"),
        ("entry:", "err.entry_malformed"),
        ("entry:1,2,3", "err.entry_malformed"),
        ("entry:a,b", "err.index_malformed"),
        ("entry:-1,0", "err.index_malformed"),
        ("entry:1.0,0", "err.index_malformed"),
        ("entry:１,0", "err.index_malformed"),
        ("entry:0,12345", "err.index_malformed"),
        ("entries:", "err.no_entries"),
        ("entries:;;", "err.no_entries"),
        ("entries:0,0;1", "err.entry_malformed"),
        ("entries:" + ";".join(["0,0"] * 65), "err.seed_text_too_many"),
        ("row:", "err.index_malformed"),
        ("row:x", "err.index_malformed"),
        ("row:-1", "err.index_malformed"),
        ("row:1,2", "err.index_malformed"),
        ("col:", "err.index_malformed"),
        ("col:٣", "err.index_malformed"),
        ("weights:", "err.empty_matrix"),
        ("weights:1,2;3", "err.ragged"),
        ("weights:nan", "err.nan_cell"),
        ("weights:inf", "err.inf_cell"),
        ("weights:1e999", "err.inf_cell"),
        ("weights:abc", "err.not_a_number"),
        ("x" * (core.MAX_TEXT_LENGTH + 1), "err.text_too_long"),
        ("entries:" + "0,0;" * core.MAX_TEXT_LENGTH, "err.text_too_long"),
    ],
    ids=lambda x: x[:24],
)
def test_malformed_seed_text(text, key):
    with pytest.raises(core.InputError) as info:
        parse_seed(text)
    assert info.value.key == key
    assert len(str(info.value)) < 300  # the typed text is clipped, never repeated in full


def test_malformed_seed_messages_say_what_is_wrong():
    with pytest.raises(core.InputError, match=r"“a” is not an index"):
        parse_seed("entry:a,b")
    with pytest.raises(core.InputError, match=r"two indices “i,j”"):
        parse_seed("entry:99")
    with pytest.raises(core.InputError, match=r"“foo:1” is not understood.*ones, entry:i,j"):
        parse_seed("foo:1")
    with pytest.raises(core.InputError, match=r"G\[0,0\] is NaN"):
        parse_seed("weights:nan")


def test_parsed_index_beyond_y_is_refused_when_the_seed_is_built():
    spec = parse_seed("entry:9,0")
    with pytest.raises(core.InputError, match=r"Y\[9,0\], but Y is 5×3"):
        spec.matrix(5, 3)


# --- any text at all ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("1,2;3,4")
@example("entry:１,0")
@example("\x00")
@example(";" * 20)
@example("," * 20)
@example("weights:" + "9" * 400)
def test_any_text_is_a_value_or_an_input_error(text):
    for parse in (parse_matrix, parse_seed):
        try:
            value = parse(text)
        except core.InputError:
            continue
        if parse is parse_matrix:
            assert value.ndim == 2
            assert value.dtype == np.float64
            assert np.isfinite(value).all()
            assert min(value.shape) >= 1
            assert max(value.shape) <= core.MAX_DIM
        else:
            assert isinstance(value, SeedSpec)
            assert value.kind in core.seeds.SEED_KINDS


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789,;:.-+eE nainfowsrytcl_x", max_size=60))
def test_number_like_text_is_a_value_or_an_input_error(text):
    for parse in (
        parse_matrix,
        parse_seed,
        lambda t: parse_seed("entries:" + t),
        lambda t: parse_seed("weights:" + t),
    ):
        with contextlib.suppress(core.InputError):
            parse(text)
