"""core.seeds: the upstream gradient G = dL/dY, named and built for Y's shape."""

from __future__ import annotations

import re

import numpy as np
import pytest

import core
from core import seeds
from core.seeds import SEED_KINDS, SeedSpec
from tests.helpers.paths import ROOT

# --- constructors ----------------------------------------------------------------------------


def test_ones():
    G = seeds.ones(2, 3)
    assert G.dtype == np.float64
    np.testing.assert_array_equal(G, [[1, 1, 1], [1, 1, 1]])


def test_one_entry():
    np.testing.assert_array_equal(seeds.one_entry(5, 3, 0, 0)[0], [1, 0, 0])
    G = seeds.one_entry(3, 4, 2, 1)
    expected = np.zeros((3, 4))
    expected[2, 1] = 1
    np.testing.assert_array_equal(G, expected)
    assert G.sum() == 1


def test_entries():
    G = seeds.entries(3, 3, [(0, 0), (1, 2), (2, 1)])
    np.testing.assert_array_equal(G, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])


def test_entries_listed_twice_still_weigh_one():
    np.testing.assert_array_equal(seeds.entries(1, 2, [(0, 1), (0, 1)]), [[0, 1]])


def test_entries_accepts_any_iterable():
    np.testing.assert_array_equal(seeds.entries(2, 2, iter([(1, 1)])), [[0, 0], [0, 1]])


def test_entries_none_is_all_zeros():
    np.testing.assert_array_equal(seeds.entries(2, 2, []), np.zeros((2, 2)))


def test_row():
    np.testing.assert_array_equal(seeds.row(3, 2, 1), [[0, 0], [1, 1], [0, 0]])


def test_column():
    np.testing.assert_array_equal(seeds.column(2, 3, 2), [[0, 0, 1], [0, 0, 1]])


def test_weights():
    W = [[1, -2.5], [0, "3"]]
    G = seeds.weights(W, 2, 2)
    assert G.dtype == np.float64
    np.testing.assert_array_equal(G, [[1.0, -2.5], [0.0, 3.0]])


def test_weights_of_the_wrong_shape():
    with pytest.raises(core.InputError, match=r"1×2.*2×2"):
        seeds.weights([[1, 2]], 2, 2)


def test_weights_with_a_bad_cell_name_it():
    with pytest.raises(core.InputError, match=r"G\[1,0\] is NaN"):
        seeds.weights([[1, 2], [float("nan"), 4]], 2, 2)


def test_reduce_sum_seed_is_ones():
    np.testing.assert_array_equal(seeds.reduce_sum_seed(4, 2), np.ones((4, 2)))


@pytest.mark.parametrize(("m", "n"), [(1, 1), (5, 3), (2, 7), (8, 8)])
def test_reduce_mean_seed_is_one_over_mn(m, n):
    G = seeds.reduce_mean_seed(m, n)
    assert G.shape == (m, n)
    np.testing.assert_array_equal(G, np.full((m, n), 1.0 / (m * n)))
    assert G.sum() == pytest.approx(1.0, abs=1e-15)


def test_reduce_mean_seed_reference_value():
    assert seeds.reduce_mean_seed(5, 3)[0, 0] == pytest.approx(1 / 15, abs=1e-17)


def test_squared_error_seed_is_two_times_error_over_n():
    Y = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    target = [[0.0, 2.0, 4.0], [4.0, 0.0, 6.5]]
    G = seeds.squared_error_seed(Y, target)
    np.testing.assert_allclose(G, [[2 / 6, 0.0, -2 / 6], [0.0, 10 / 6, -1 / 6]], rtol=0, atol=1e-15)


def test_squared_error_seed_target_shape():
    with pytest.raises(core.InputError, match=r"target is 1×2 but Y is 2×2") as info:
        seeds.squared_error_seed(np.ones((2, 2)), np.ones((1, 2)))
    assert info.value.key == "err.target_shape"


def test_squared_error_seed_checks_its_inputs():
    with pytest.raises(core.InputError, match=r"target\[0,1\] is empty"):
        seeds.squared_error_seed([[1.0, 2.0]], [[1.0, None]])
    with pytest.raises(core.InputError, match=r"Y\[0,0\] is infinite"):
        seeds.squared_error_seed([[float("inf")]], [[1.0]])


# --- out of range ----------------------------------------------------------------------------


@pytest.mark.parametrize(("i", "j"), [(5, 0), (0, 3), (-1, 0), (0, -1), (99, 99)])
def test_one_entry_out_of_range(i, j):
    with pytest.raises(core.InputError) as info:
        seeds.one_entry(5, 3, i, j)
    assert info.value.key == "err.entry_out_of_range"
    message = str(info.value)
    assert f"Y[{i},{j}]" in message
    assert "Y is 5×3" in message
    assert "rows run 0 to 4 and columns 0 to 2" in message


def test_entries_out_of_range_names_the_bad_cell():
    with pytest.raises(core.InputError, match=r"Y\[2,0\]"):
        seeds.entries(2, 2, [(0, 0), (2, 0)])


def test_entries_more_than_cells():
    with pytest.raises(core.InputError, match=r"5 entries.*4 cell") as info:
        seeds.entries(2, 2, [(0, 0)] * 5)
    assert info.value.key == "err.too_many_entries"


@pytest.mark.parametrize("i", [3, -1, 100])
def test_row_out_of_range(i):
    with pytest.raises(core.InputError, match=rf"row {i} of Y, but Y has 3 row\(s\) \(0 to 2\)"):
        seeds.row(3, 2, i)


@pytest.mark.parametrize("j", [2, -1, 100])
def test_column_out_of_range(j):
    with pytest.raises(core.InputError, match=rf"column {j} of Y, but Y has 2 column\(s\) \(0 to 1\)"):
        seeds.column(3, 2, j)


# --- SeedSpec --------------------------------------------------------------------------------


def test_seed_kinds():
    assert set(SEED_KINDS) == {"ones", "entry", "entries", "row", "col", "weights"}


def test_default_spec_is_ones():
    spec = SeedSpec()
    assert spec.kind == "ones"
    assert spec.is_default
    np.testing.assert_array_equal(spec.matrix(5, 3), np.ones((5, 3)))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (SeedSpec("ones"), [[1, 1, 1], [1, 1, 1]]),
        (SeedSpec("entry", cells=((1, 2),)), [[0, 0, 0], [0, 0, 1]]),
        (SeedSpec("entries", cells=((0, 0), (1, 1))), [[1, 0, 0], [0, 1, 0]]),
        (SeedSpec("row", index=1), [[0, 0, 0], [1, 1, 1]]),
        (SeedSpec("col", index=0), [[1, 0, 0], [1, 0, 0]]),
        (SeedSpec("weights", weights=((1.0, 2.0, 3.0), (-1.0, 0.5, 0.0))), [[1, 2, 3], [-1, 0.5, 0]]),
    ],
    ids=lambda x: x.kind if isinstance(x, SeedSpec) else "",
)
def test_seed_spec_matrix(spec, expected):
    G = spec.matrix(2, 3)
    assert G.dtype == np.float64
    np.testing.assert_array_equal(G, expected)
    assert spec.is_default == (spec.kind == "ones")


@pytest.mark.parametrize(
    "spec",
    [
        SeedSpec("entry", cells=((2, 0),)),
        SeedSpec("entries", cells=((0, 0), (0, 3))),
        SeedSpec("row", index=2),
        SeedSpec("col", index=3),
        SeedSpec("weights", weights=((1.0, 2.0),)),
        SeedSpec("weights"),
    ],
    ids=lambda s: s.kind,
)
def test_seed_spec_that_does_not_fit_y(spec):
    with pytest.raises(core.InputError):
        spec.matrix(2, 3)


def test_seed_spec_is_hashable_and_compares_by_value():
    a = SeedSpec("entries", cells=((0, 0), (1, 2)))
    b = SeedSpec("entries", cells=((0, 0), (1, 2)))
    assert a == b
    assert hash(a) == hash(b)
    assert a != SeedSpec("entries", cells=((1, 2), (0, 0)))


# --- loss seeds agree with TensorFlow on the real loss ------------------------------------------


@pytest.fixture(scope="module")
def so():
    return core.preset("so-question")


def _tf_loss_gradients(T, B, loss):
    tf = core.tensorflow()
    t = tf.constant(T, dtype=tf.float64)
    b = tf.constant(B, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([t, b])
        L = loss(tf, tf.matmul(t, b))
    dT, dB = tape.gradient(L, [t, b])
    return dT.numpy(), dB.numpy()


def test_reduce_sum_loss_agrees_with_reduce_sum_seed(so):
    dT, dB = _tf_loss_gradients(so.T, so.B, lambda tf, Y: tf.reduce_sum(Y))
    g = core.tf_gradients(so.T, so.B, seeds.reduce_sum_seed(5, 3), "float64")
    np.testing.assert_allclose(dT, g.dT, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dB, g.dB, rtol=1e-12, atol=1e-12)


def test_reduce_mean_loss_agrees_with_reduce_mean_seed(so):
    dT, dB = _tf_loss_gradients(so.T, so.B, lambda tf, Y: tf.reduce_mean(Y))
    g = core.tf_gradients(so.T, so.B, seeds.reduce_mean_seed(5, 3), "float64")
    np.testing.assert_allclose(dT, g.dT, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dB, g.dB, rtol=1e-12, atol=1e-12)
    # Every row is B's row sums divided by m·n = 15.
    np.testing.assert_allclose(dT[2], so.B.sum(axis=1) / 15, rtol=1e-12, atol=1e-15)


def test_squared_error_loss_agrees_with_squared_error_seed(so):
    target = np.arange(15.0).reshape(5, 3) / 10
    dT, dB = _tf_loss_gradients(so.T, so.B, lambda tf, Y: tf.reduce_mean(tf.square(Y - target)))
    G = seeds.squared_error_seed(so.T @ so.B, target)
    g = core.tf_gradients(so.T, so.B, G, "float64")
    np.testing.assert_allclose(dT, g.dT, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dB, g.dB, rtol=1e-12, atol=1e-12)
    a = core.analytic_gradients(so.T, so.B, G)
    np.testing.assert_allclose(dT, a.dT, rtol=1e-12, atol=1e-12)


def test_single_entry_loss_agrees_with_one_entry_seed(so):
    dT, dB = _tf_loss_gradients(so.T, so.B, lambda tf, Y: Y[3, 2])
    g = core.tf_gradients(so.T, so.B, seeds.one_entry(5, 3, 3, 2), "float64")
    np.testing.assert_array_equal(dT, g.dT)
    np.testing.assert_array_equal(dB, g.dB)


def test_weighted_sum_loss_agrees_with_weights_seed(so):
    W = np.linspace(-1, 1, 15).reshape(5, 3)
    dT, dB = _tf_loss_gradients(so.T, so.B, lambda tf, Y: tf.reduce_sum(W * Y))
    g = core.tf_gradients(so.T, so.B, seeds.weights(W, 5, 3), "float64")
    np.testing.assert_allclose(dT, g.dT, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dB, g.dB, rtol=1e-12, atol=1e-12)


# --- the table of seed kinds: one row per kind, and no other module asks for the kind ------------


G_35 = np.arange(15, dtype=float).reshape(5, 3) - 7


def test_every_kind_has_one_row_and_the_table_is_the_list_of_kinds():
    assert list(seeds.KINDS) == list(SEED_KINDS) == ["ones", "entry", "entries", "row", "col", "weights"]
    assert all(kind.name == name for name, kind in seeds.KINDS.items())
    assert {kind.picker for kind in seeds.KINDS.values()} == {"none", "cell", "cells", "row", "col", "weights"}


@pytest.mark.parametrize(
    ("spec", "cell", "after"),
    [
        (SeedSpec("ones"), (2, 1), SeedSpec("entry", cells=((2, 1),))),
        (SeedSpec("entry", cells=((0, 0),)), (2, 1), SeedSpec("entry", cells=((2, 1),))),
        (SeedSpec("entries", cells=((0, 0),)), (2, 1), SeedSpec("entries", cells=((0, 0), (2, 1)))),
        (SeedSpec("entries", cells=((0, 0), (2, 1))), (0, 0), SeedSpec("entries", cells=((2, 1),))),
        (SeedSpec("entries", cells=((2, 1),)), (2, 1), SeedSpec("ones")),  # the last cell off: all ones
        (SeedSpec("row", index=0), (2, 1), SeedSpec("row", index=2)),
        (SeedSpec("col", index=0), (2, 1), SeedSpec("col", index=1)),
    ],
)
def test_a_click_on_y_seeds_it_as_the_kind_says(spec, cell, after):
    assert seeds.clicked(spec, cell, None) == after


def test_a_click_on_y_flips_a_weight_of_the_current_matrix():
    spec = seeds.switched(SeedSpec("ones"), "weights", G_35)
    after = seeds.clicked(spec, (1, 2), G_35)
    expected = G_35.copy()
    expected[1, 2] = 0.0 if G_35[1, 2] else 1.0
    np.testing.assert_array_equal(after.matrix(5, 3), expected)
    again = seeds.clicked(after, (1, 2), after.matrix(5, 3)).matrix(5, 3)
    assert again[1, 2] == 1.0  # a zero weight becomes 1


@pytest.mark.parametrize(
    ("spec", "kind", "after"),
    [
        (SeedSpec("entry", cells=((2, 1),)), "row", SeedSpec("row", index=2)),
        (SeedSpec("entry", cells=((2, 1),)), "col", SeedSpec("col", index=1)),
        (SeedSpec("entry", cells=((2, 1),)), "entries", SeedSpec("entries", cells=((2, 1),))),
        (SeedSpec("row", index=3), "entry", SeedSpec("entry", cells=((3, 0),))),
        (SeedSpec("col", index=2), "entry", SeedSpec("entry", cells=((0, 2),))),
        (SeedSpec("entries", cells=((1, 1), (4, 2))), "entry", SeedSpec("entry", cells=((1, 1),))),
        (SeedSpec("ones"), "entry", SeedSpec("entry", cells=((0, 0),))),
        (SeedSpec("row", index=3), "ones", SeedSpec("ones")),
    ],
)
def test_switching_kind_keeps_the_cell_the_seed_pointed_at(spec, kind, after):
    assert seeds.switched(spec, kind, spec.matrix(5, 3)) == after


def test_switching_to_weights_keeps_the_seed_as_its_matrix():
    spec = SeedSpec("row", index=1)
    weights = seeds.switched(spec, "weights", spec.matrix(5, 3))
    np.testing.assert_array_equal(weights.matrix(5, 3), spec.matrix(5, 3))
    assert seeds.format_seed(weights) == "weights:0,0,0;1,1,1;0,0,0;0,0,0;0,0,0"


@pytest.mark.parametrize(
    ("kind", "value", "after"),
    [
        ("entry", (1, 2), SeedSpec("entry", cells=((1, 2),))),
        ("entries", [(1, 2), (0, 0)], SeedSpec("entries", cells=((1, 2), (0, 0)))),
        ("entries", [], SeedSpec("ones")),
        ("row", 4, SeedSpec("row", index=4)),
        ("col", 2, SeedSpec("col", index=2)),
    ],
)
def test_each_picker_makes_its_kinds_seed(kind, value, after):
    assert seeds.picked(kind, value) == after


def test_only_weights_change_when_the_weights_editor_sends_a_matrix():
    for kind in ("ones", "entry", "row", "col"):
        spec = seeds.switched(SeedSpec("entry", cells=((1, 1),)), kind, G_35)
        assert seeds.edited(spec, G_35) == spec
    weights = seeds.edited(SeedSpec("weights", weights=((1.0,),)), G_35)
    np.testing.assert_array_equal(weights.matrix(5, 3), G_35)


def test_no_module_but_core_seeds_asks_which_kind_a_seed_is():
    """The done-criterion of the architecture issue: every kind's behaviour is in its row of KINDS."""
    compared = re.compile(r"""kind\s*(==|!=|in)\s*[("'].*(ones|entry|entries|row|col|weights)""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("core", "ui", "pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "seeds.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if compared.search(line)
    ]
    assert offenders == []
