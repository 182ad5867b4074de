"""core.problem and core.seeds.resize_seed: share URLs restore the exact problem; bad links still open.

`to_query` then `from_query` must give back the same problem to the last bit, a problem that is
still a preset travels as `preset=NAME`, and every bad parameter is reported by name, in a
sentence, while the others still apply.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import problem as state
from core.problem import ParamError, Problem, default_problem, focus_in_range, from_query, to_query
from core.seeds import SEED_KINDS, SeedSpec, format_seed, resize_seed
from core.textforms import format_matrix
from ui.text import text

SO = core.preset("so-question")
SMALL = core.preset("small-integers")


def assert_same_problem(got: Problem, expected: Problem) -> None:
    assert got.T.dtype == got.B.dtype == np.float64
    assert got.T.shape == expected.T.shape and got.B.shape == expected.B.shape
    assert got.T.tobytes() == np.asarray(expected.T, dtype=np.float64).tobytes()  # every bit, -0.0 too
    assert got.B.tobytes() == np.asarray(expected.B, dtype=np.float64).tobytes()
    assert got.seed == expected.seed
    assert format_seed(got.seed) == format_seed(expected.seed)
    assert got.dtype == expected.dtype
    assert got.focus == expected.focus
    assert got.preset == expected.preset


# --- round trips ---------------------------------------------------------------------------------

any_float = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def seed_specs(draw, m: int, n: int) -> SeedSpec:
    kind = draw(st.sampled_from(SEED_KINDS))
    cell = st.tuples(st.integers(0, m - 1), st.integers(0, n - 1))
    if kind == "ones":
        return SeedSpec("ones")
    if kind == "entry":
        return SeedSpec("entry", cells=(draw(cell),))
    if kind == "entries":
        return SeedSpec("entries", cells=tuple(draw(st.lists(cell, min_size=1, max_size=m * n, unique=True))))
    if kind == "row":
        return SeedSpec("row", index=draw(st.integers(0, m - 1)))
    if kind == "col":
        return SeedSpec("col", index=draw(st.integers(0, n - 1)))
    W = draw(hnp.arrays(np.float64, (m, n), elements=any_float))
    return SeedSpec("weights", weights=tuple(tuple(r) for r in W.tolist()))


@st.composite
def problems(draw) -> Problem:
    m, k, n = (draw(st.integers(1, 8)) for _ in range(3))
    T = draw(hnp.arrays(np.float64, (m, k), elements=any_float))
    B = draw(hnp.arrays(np.float64, (k, n), elements=any_float))
    wrt = draw(st.sampled_from("TB"))
    rows, cols = (m, k) if wrt == "T" else (k, n)
    focus = draw(st.none() | st.tuples(st.just(wrt), st.integers(0, rows - 1), st.integers(0, cols - 1)))
    return Problem(
        T=T,
        B=B,
        seed=draw(seed_specs(m, n)),
        dtype=draw(st.sampled_from(["float32", "float64"])),
        preset=None,
        focus=focus,
    )


@settings(max_examples=100, deadline=None)
@given(problems())
def test_round_trip_of_random_problems(problem):
    query = to_query(problem)
    assert "preset" not in query
    assert set(query) <= set(state.PARAMS)
    assert all(isinstance(v, str) for v in query.values())
    back, errors = from_query(query)
    assert errors == []
    assert_same_problem(back, problem)
    assert to_query(back) == query
    # through a real URL too: urlencode escapes the '+' of '1e+16', which a bare '+' would turn into a space
    url_query = {key: values[-1] for key, values in parse_qs(urlencode(query), keep_blank_values=True).items()}
    assert url_query == query


@pytest.mark.parametrize("name", list(core.PRESETS))
def test_round_trip_of_each_preset(name):
    p = core.preset(name)
    problem = Problem(T=p.T, B=p.B, preset=name)
    assert to_query(problem) == {"preset": name, "seed": "ones"}
    back, errors = from_query(to_query(problem))
    assert errors == []
    assert_same_problem(back, problem)


def test_round_trip_of_a_preset_with_seed_dtype_and_focus():
    problem = Problem(T=SMALL.T, B=SMALL.B, seed=SeedSpec("row", index=1), dtype="float64", preset=SMALL.name)
    problem = replace(problem, focus=("B", 2, 1))
    query = to_query(problem)
    assert query == {"preset": "small-integers", "seed": "row:1", "dtype": "float64", "focus": "dB:2,1"}
    back, errors = from_query(query)
    assert errors == []
    assert_same_problem(back, problem)


def test_first_visit_is_the_reference_case_with_the_default_seed():
    problem, errors = from_query({})
    assert errors == []
    assert_same_problem(problem, default_problem())
    assert problem.preset == "so-question"
    assert problem.seed == SeedSpec("ones") and problem.dtype == "float32" and problem.focus is None
    np.testing.assert_array_equal(problem.T, SO.T)
    assert to_query(problem) == {"preset": "so-question", "seed": "ones"}


def test_float32_is_left_out_of_the_link_and_float64_kept():
    assert "dtype" not in to_query(default_problem())
    assert to_query(Problem(T=SO.T, B=SO.B, dtype="float64"))["dtype"] == "float64"


def test_matrices_are_exact_to_the_last_bit():
    T = np.array([[0.1 + 0.2, -0.0, 5e-324], [1.7976931348623157e308, -1 / 3, 1e-300]])
    B = np.array([[1.0], [2.0**-30], [-123456789.123456789]])
    back, errors = from_query(to_query(Problem(T=T, B=B, preset=None)))
    assert errors == []
    assert back.T.tobytes() == T.tobytes()
    assert back.B.tobytes() == B.tobytes()
    assert np.signbit(back.T[0, 1])


# --- preset detection ----------------------------------------------------------------------------


def test_edited_preset_travels_as_matrices():
    T = SO.T.copy()
    T[2, 1] = 0.5
    query = to_query(Problem(T=T, B=SO.B, preset=None))
    assert "preset" not in query
    assert query["T"] == format_matrix(T)
    assert query["B"] == format_matrix(SO.B)
    back, errors = from_query(query)
    assert errors == []
    assert back.preset is None
    np.testing.assert_array_equal(back.T, T)


def test_edited_preset_with_its_name_still_travels_as_matrices():
    T = SO.T.copy()
    T[0, 0] = -1.0
    problem = Problem(T=T, B=SO.B, preset="so-question")
    assert not problem.matches_preset()
    query = to_query(problem)
    assert "preset" not in query and "T" in query and "B" in query


def test_matrices_equal_to_the_default_preset_are_recognised():
    problem, errors = from_query({"T": format_matrix(SO.T), "B": format_matrix(SO.B)})
    assert errors == []
    assert problem.preset == "so-question"
    assert to_query(problem) == {"preset": "so-question", "seed": "ones"}


def test_matrices_equal_to_the_named_preset_are_recognised():
    problem, errors = from_query({"preset": "small-integers", "T": "1,2,0;3,-1,2"})
    assert errors == []
    assert problem.preset == "small-integers"
    problem, errors = from_query({"preset": "small-integers", "T": "1,2,0;3,-1,5"})
    assert errors == []
    assert problem.preset is None
    np.testing.assert_array_equal(problem.B, SMALL.B)  # B still comes from the preset
    np.testing.assert_array_equal(problem.T, [[1, 2, 0], [3, -1, 5]])


def test_matches_preset():
    assert Problem(T=SO.T, B=SO.B).matches_preset()
    assert not Problem(T=SO.T, B=SO.B, preset=None).matches_preset()
    assert not Problem(T=SO.T, B=SO.B, preset="nope").matches_preset()
    assert not Problem(T=SO.T, B=SO.B, preset="small-integers").matches_preset()
    assert Problem(T=SO.T, B=np.eye(3), preset="identity").matches_preset()
    assert Problem(T=SO.T, B=SO.B).shape == (5, 3, 3)


def test_focus_in_range():
    assert focus_in_range(("T", 4, 2), 5, 3, 2)
    assert not focus_in_range(("T", 5, 0), 5, 3, 2)
    assert not focus_in_range(("T", 0, 3), 5, 3, 2)
    assert focus_in_range(("B", 2, 1), 5, 3, 2)
    assert not focus_in_range(("B", 2, 2), 5, 3, 2)
    assert not focus_in_range(("B", 3, 0), 5, 3, 2)


# --- bad parameters ------------------------------------------------------------------------------

GOOD = {"preset": "small-integers", "seed": "row:1", "dtype": "float64", "focus": "dB:2,1"}
"""A link whose every parameter works: T 2×3, B 3×2, Y 2×2."""

HUGE = "1," * 50_000  # a 100 kB value

BAD = [
    # param, value, error key, words the message must contain
    ("T", "1,2;3", "err.ragged", "T: row 1 has 1 number(s) but row 0 has 2"),
    ("B", "abc", "err.not_a_number", "B[0,0] is “abc”, which is not a number"),
    ("seed", "entry:99,99", "err.entry_out_of_range", "The seed picks Y[99,99], but Y is 2×2"),
    ("seed", "row:2", "err.row_out_of_range", "Y has 2 row(s)"),
    ("seed", "bogus", "err.seed_unknown", "The seed “bogus” is not understood"),
    ("seed", "weights:1,2;3,4;5,6", "err.seed_shape", "The seed G is 3×2 but Y = T @ B is 2×2"),
    ("preset", "nope", "err.preset_unknown", "There is no preset called “nope”"),
    ("dtype", "float16", "err.dtype", "The dtype must be float32 or float64, not “float16”"),
    ("focus", "dZ:0,0", "err.focus_malformed", "“dZ:0,0” is not a gradient entry"),
    ("focus", "dT:1", "err.focus_malformed", "“dT:1” is not a gradient entry"),
    ("focus", "dT:99999,0", "err.focus_malformed", "is not a gradient entry"),
    ("focus", "dT:9,9", "err.focus_out_of_range", "“dT:9,9” is outside the gradients: dL/dT is 2×3"),
    ("T", "1,2", "err.inner_mismatch", "T is 1×2 and B is 3×2"),
    ("B", "1,2", "err.inner_mismatch", "T is 2×3 and B is 1×2"),
    ("T", "", "err.empty_matrix", "T is empty"),
    ("B", " ; ", "err.empty_cell", "B[0,0] is empty"),
    ("T", "1,2,3;4,5,inf", "err.inf_cell", "T[1,2] is infinite"),
    ("T", "1,2,3;4,5,nan", "err.nan_cell", "T[1,2] is NaN"),
    ("T", ";".join(["1,2,3"] * 9), "err.too_large", "T is 9×3, beyond this app's limit"),
    ("T", HUGE, "err.text_too_long", "T is 100000 characters long; the limit is 4096"),
    ("B", HUGE, "err.text_too_long", "B is 100000 characters long"),
    ("seed", HUGE, "err.text_too_long", "seed is 100000 characters long"),
    ("focus", HUGE, "err.text_too_long", "focus is 100000 characters long"),
    ("preset", HUGE, "err.preset_unknown", "There is no preset called “1,1,1"),
    ("dtype", HUGE, "err.dtype", "The dtype must be float32 or float64, not “1,1,1"),
]


@pytest.mark.parametrize(("param", "value", "key", "words"), BAD, ids=[f"{b[0]}={b[1][:12]}" for b in BAD])
def test_a_bad_parameter_is_named_and_the_rest_still_applies(param, value, key, words):
    problem, errors = from_query({**GOOD, param: value})
    assert len(errors) == 1
    (error,) = errors
    assert isinstance(error, ParamError)
    assert error.param == param
    assert isinstance(error.error, core.InputError)
    assert error.error.key == key
    message = error.error.message
    assert words in message
    assert message[0].isupper() or message[0] == "“" or message.startswith(f"{param} ")
    assert message.endswith(".")
    assert "{" not in message and "}" not in message
    assert len(message) < 300  # a 100 kB value is never repeated in full
    assert "Traceback" not in message and "Error" not in message

    # everything else in the link still applies
    if param not in ("preset", "T", "B"):
        np.testing.assert_array_equal(problem.T, SMALL.T)
        np.testing.assert_array_equal(problem.B, SMALL.B)
        assert problem.preset == "small-integers"
    if param in ("T", "B"):  # the matrices fall back to the preset's, which still fit the rest
        np.testing.assert_array_equal(problem.T, SMALL.T)
        np.testing.assert_array_equal(problem.B, SMALL.B)
        assert problem.preset == "small-integers"
    if param == "preset":  # the default preset, 5×3 @ 3×3, fits the seed and focus too
        np.testing.assert_array_equal(problem.T, SO.T)
        assert problem.preset == "so-question"
    assert problem.seed == (SeedSpec("ones") if param == "seed" else SeedSpec("row", index=1))
    assert problem.dtype == ("float32" if param == "dtype" else "float64")
    assert problem.focus == (None if param == "focus" else ("B", 2, 1))
    # and the page's warning sentence can be built from it
    sentence = text("err.url_param", param=error.param, message=message)
    assert sentence.startswith(f"The link's “{param}” value was not used: ")


def test_mismatched_t_and_b_both_given_fall_back_together():
    problem, errors = from_query({**GOOD, "T": "1,2", "B": "1;2;3"})
    assert [(e.param, e.error.key) for e in errors] == [("B", "err.inner_mismatch")]
    assert "T is 1×2 and B is 3×1" in errors[0].error.message
    np.testing.assert_array_equal(problem.T, SMALL.T)
    np.testing.assert_array_equal(problem.B, SMALL.B)
    assert problem.preset == "small-integers"
    assert problem.seed == SeedSpec("row", index=1)


def test_one_bad_matrix_with_a_good_one():
    problem, errors = from_query({"T": "1,2;3", "B": "1,2;3,4"})
    assert [(e.param, e.error.key) for e in errors] == [("T", "err.ragged"), ("B", "err.inner_mismatch")]
    np.testing.assert_array_equal(problem.T, SO.T)  # B alone (2×2) does not fit the default T
    assert problem.preset == "so-question"
    problem, errors = from_query({"T": "1,2;3", "B": "1;2;3"})
    assert [(e.param, e.error.key) for e in errors] == [("T", "err.ragged")]
    np.testing.assert_array_equal(problem.B, [[1], [2], [3]])  # B fits the default T, so it applies
    assert problem.preset is None


def test_every_parameter_bad_at_once():
    query = {"preset": "nope", "T": "x", "B": "1,2;3", "seed": "col:7", "dtype": "int8", "focus": "dB:3,0"}
    problem, errors = from_query(query)
    assert [e.param for e in errors] == ["preset", "T", "B", "seed", "dtype", "focus"]
    assert_same_problem(problem, default_problem())


def test_a_seed_or_focus_valid_only_for_the_fallback_shape_is_checked_against_it():
    problem, errors = from_query({"preset": "small-integers", "seed": "entry:4,2", "focus": "dT:4,2"})
    assert [e.param for e in errors] == ["seed", "focus"]
    problem, errors = from_query({"preset": "so-question", "seed": "entry:4,2", "focus": "dT:4,2"})
    assert errors == []
    assert problem.seed == SeedSpec("entry", cells=((4, 2),))
    assert problem.focus == ("T", 4, 2)


# --- resize_seed ---------------------------------------------------------------------------------


def test_resize_keeps_ones():
    assert resize_seed(SeedSpec("ones"), 1, 1) == SeedSpec("ones")


def test_resize_drops_entries_outside():
    spec = SeedSpec("entries", cells=((0, 0), (2, 3), (4, 1), (1, 1)))
    assert resize_seed(spec, 3, 2) == SeedSpec("entries", cells=((0, 0), (1, 1)))
    assert resize_seed(spec, 5, 4) == spec
    assert resize_seed(SeedSpec("entry", cells=((1, 1),)), 2, 2) == SeedSpec("entry", cells=((1, 1),))


def test_resize_falls_back_to_entry_0_0_when_no_entry_is_left():
    fallback = SeedSpec("entry", cells=((0, 0),))
    assert resize_seed(SeedSpec("entry", cells=((4, 2),)), 2, 2) == fallback
    assert resize_seed(SeedSpec("entries", cells=((4, 2), (0, 2))), 3, 2) == fallback
    assert resize_seed(SeedSpec("entries", cells=((2, 0),)), 2, 8) == fallback


def test_resize_clamps_row_and_column():
    assert resize_seed(SeedSpec("row", index=4), 2, 9) == SeedSpec("row", index=1)
    assert resize_seed(SeedSpec("row", index=1), 5, 1) == SeedSpec("row", index=1)
    assert resize_seed(SeedSpec("col", index=7), 9, 3) == SeedSpec("col", index=2)
    assert resize_seed(SeedSpec("col", index=0), 1, 1) == SeedSpec("col", index=0)


def test_resize_pads_weights_with_zeros_and_crops_them():
    spec = SeedSpec("weights", weights=((1.0, -2.0), (3.0, 0.5)))
    assert resize_seed(spec, 3, 3) == SeedSpec("weights", weights=((1.0, -2.0, 0.0), (3.0, 0.5, 0.0), (0.0, 0.0, 0.0)))
    assert resize_seed(spec, 1, 1) == SeedSpec("weights", weights=((1.0,),))
    assert resize_seed(spec, 1, 3) == SeedSpec("weights", weights=((1.0, -2.0, 0.0),))
    assert resize_seed(spec, 2, 2) == spec


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(st.integers(1, 8), st.integers(1, 8)).flatmap(
        lambda mn: st.tuples(seed_specs(*mn), st.integers(1, 8), st.integers(1, 8))
    )
)
def test_a_resized_seed_is_valid_for_the_new_shape(case):
    spec, m, n = case
    resized = resize_seed(spec, m, n)
    G = resized.matrix(m, n)  # never raises
    assert G.shape == (m, n)
    old = spec.matrix(*((len(spec.weights), len(spec.weights[0])) if spec.kind == "weights" else (8, 8)))
    if spec.kind in ("ones", "row", "col"):
        assert resized.kind == spec.kind
    if spec.kind == "weights":
        rows, cols = min(m, old.shape[0]), min(n, old.shape[1])
        np.testing.assert_array_equal(G[:rows, :cols], old[:rows, :cols])
        assert not G[rows:, :].any() and not G[:, cols:].any()
    if spec.kind in ("entry", "entries"):
        kept = [c for c in spec.cells if c[0] < m and c[1] < n]
        assert resized.cells == (tuple(kept) or ((0, 0),))
    # and the resized seed still survives a share link
    assert (
        from_query(
            {"T": format_matrix(np.ones((m, 1))), "B": format_matrix(np.ones((1, n))), "seed": format_seed(resized)}
        )[1]
        == []
    )
