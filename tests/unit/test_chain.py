"""core.chain: one tape over two layers against the formulas, finite differences and PyTorch.

The formulas are written again here, independently of core, so a wrong formula in core cannot
agree with itself; the tape and finite differences are then checked against them for every
activation, with and without biases, on shapes from 1×1 to 8×8.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from core import chain
from core.errors import InputError

VALUE = st.floats(-2, 2, allow_nan=False, allow_subnormal=False)
DIM = st.integers(1, 8)


@st.composite
def networks(draw: st.DrawFn) -> dict:
    """X (m×k), W1 (k×h), W2 (h×n), maybe b1 and b2, an activation and a seed in one of its forms."""
    m, k, h, n = (draw(DIM) for _ in range(4))
    net = {
        "X": draw(hnp.arrays(np.float64, (m, k), elements=VALUE)),
        "W1": draw(hnp.arrays(np.float64, (k, h), elements=VALUE)),
        "W2": draw(hnp.arrays(np.float64, (h, n), elements=VALUE)),
        "b1": draw(st.none() | hnp.arrays(np.float64, (h,), elements=VALUE)),
        "b2": draw(st.none() | hnp.arrays(np.float64, (n,), elements=VALUE)),
        "act": draw(st.sampled_from(chain.ACTIVATIONS)),
    }
    net["seed"] = draw(
        st.one_of(
            st.none(),
            hnp.arrays(np.float64, (m, n), elements=VALUE),
            st.builds(lambda i, j: f"entry:{i},{j}", st.integers(0, m - 1), st.integers(0, n - 1)),
            st.builds(lambda i: f"row:{i}", st.integers(0, m - 1)),
            st.builds(lambda j: core.SeedSpec("col", index=j), st.integers(0, n - 1)),
        )
    )
    return net


ACTS = {
    "relu": (lambda Z: np.maximum(Z, 0), lambda Z: (Z > 0).astype(float)),
    "tanh": (np.tanh, lambda Z: 1 / np.cosh(Z) ** 2),
    "sigmoid": (lambda Z: 1 / (1 + np.exp(-Z)), lambda Z: np.exp(-Z) / (1 + np.exp(-Z)) ** 2),
    "identity": (lambda Z: Z, np.ones_like),
}


def by_hand(net: dict) -> dict[str, np.ndarray]:
    """The forward pass and backprop written out in NumPy, independently of core."""
    X, W1, W2, b1, b2 = (net[name] for name in ("X", "W1", "W2", "b1", "b2"))
    f, slope = ACTS[net["act"]]
    m, n = X.shape[0], W2.shape[1]
    G = core.seeds.ones(m, n) if net["seed"] is None else chain._seed(net["seed"], m, n)[0]
    Z = X @ W1 + (0 if b1 is None else b1)
    H = f(Z)
    dH = G @ W2.T
    dZ = dH * slope(Z)
    out = {"Y": H @ W2 + (0 if b2 is None else b2), "dW2": H.T @ G, "dH": dH, "dZ": dZ, "dW1": X.T @ dZ}
    out |= {"dX": dZ @ W1.T, "db1": dZ.sum(0) if b1 is not None else None, "db2": G.sum(0) if b2 is not None else None}
    return out


def close(a: np.ndarray | None, b: np.ndarray | None, tol: float) -> None:
    assert (a is None) == (b is None)
    if a is not None:
        np.testing.assert_allclose(np.asarray(a, np.float64), b, rtol=tol, atol=tol)


def far_from_kinks(net: dict) -> bool:
    """No ReLU sits within reach of its kink, where finite differences straddle two slopes."""
    if net["act"] != "relu":
        return True
    Z = net["X"] @ net["W1"] + (0 if net["b1"] is None else net["b1"])
    return bool(np.all(np.abs(Z) > 1e-4))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(networks())
def test_one_tape_agrees_with_the_formulas_in_float64(net):
    tape = core.tf_chain(**net, dtype="float64")
    # TensorFlow flushes subnormal numbers to zero: a Z of 1e-308 is 0 to its ReLU, on the kink.
    assume(not chain.kinks(tape))
    formulas = core.chain_formulas(**net)
    expected = by_hand(net)
    for name, value in expected.items():
        close(getattr(formulas, name), value, 1e-12)
        close(getattr(tape, name), value, 1e-9)
    np.testing.assert_array_equal(formulas.dY, formulas.G)
    np.testing.assert_array_equal(tape.dY, formulas.G)
    assert tape.dW1.dtype == tape.dX.dtype == np.float64
    assert tape.dW1.shape == net["W1"].shape and tape.dX.shape == net["X"].shape


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(networks())
def test_finite_differences_agree_with_the_formulas(net):
    assume(far_from_kinks(net))
    numeric = core.chain_numeric(**net)
    formulas = core.chain_formulas(**net)
    scale = max(1.0, *(float(np.max(np.abs(g))) for g in formulas.gradients().values()))
    for name in ("dX", "dW1", "db1", "dW2", "db2"):
        close(numeric.get(name), getattr(formulas, name), 1e-6 * scale)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.sampled_from(["float32", "float64"]))
def test_as_two_playgrounds_gives_the_tapes_gradients(net, dtype):
    """dL/dZ fed to Z = X @ W1 alone as output_gradients is the first matmul's seed: same dW1 and dX."""
    tape = core.tf_chain(**net, dtype=dtype)
    two = core.as_two_playgrounds(tape)
    tol = 1e-5 if dtype == "float32" else 1e-12
    scale = max(1.0, float(np.max(np.abs(tape.dZ))) * max(1.0, float(np.max(np.abs(net["X"])))) * 8)
    for name in ("dW1", "dX", "dW2", "dH"):
        close(getattr(two, name), getattr(tape, name).astype(np.float64), tol * scale)
    check = core.check_chain_gradients(tape, core.chain_formulas(**net), core.chain_numeric(**net), two)
    assert check.two_ok and (check.tf_ok or check.kinks)  # float32 can round a ReLU's Z onto its kink


def test_the_presets_check_out_and_the_dead_relu_stops_its_column():
    for problem in core.CHAIN_PRESETS.values():
        args = {n: getattr(problem, n) for n in ("X", "W1", "W2", "b1", "b2", "act")}
        tape = core.tf_chain(**args)
        two = core.as_two_playgrounds(tape)
        check = core.check_chain_gradients(tape, core.chain_formulas(**args), core.chain_numeric(**args), two)
        assert check.ok and not check.kinks, problem.preset
    dead = core.tf_chain(**{n: getattr(core.CHAIN_PRESETS["dead-relu"], n) for n in ("X", "W1", "W2", "b1")})
    assert np.all(dead.Z[:, 2] < 0) and np.all(dead.act_slope[:, 2] == 0)
    assert np.all(dead.dW1[:, 2] == 0) and dead.db1[2] == 0 and np.any(dead.dH[:, 2] != 0)


def test_the_question_preset_is_the_playgrounds_matmul_as_its_first_layer():
    q = core.CHAIN_PRESETS["question"]
    p = core.preset("so-question")
    np.testing.assert_array_equal(q.X, p.T)
    np.testing.assert_array_equal(q.W1, p.B)
    tape = core.tf_chain(q.X, q.W1, q.W2, act="identity")
    np.testing.assert_array_equal(tape.Z, core.tf_gradients(p.T, p.B).y)


def test_the_default_seed_is_no_output_gradients_and_the_seeds_forms_agree():
    p = core.CHAIN_PRESETS["two-layer"]
    args = (p.X, p.W1, p.W2, p.b1, p.b2)
    default = core.tf_chain(*args)
    assert default.default_seed and np.all(default.dY == 1) and default.dY.dtype == np.float32
    for seed in ("ones", core.seeds.ones(3, 2), core.SeedSpec("ones")):
        np.testing.assert_array_equal(core.tf_chain(*args, seed=seed).dW1, default.dW1)
    row = core.tf_chain(*args, seed="row:1")
    np.testing.assert_array_equal(row.G, core.seeds.row(3, 2, 1))
    assert np.all(row.dX[[0, 2]] == 0)  # only row 1 of X reaches row 1 of Y


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"X": [[1, 2, 3]], "W1": np.ones((4, 2)), "W2": np.ones((2, 1))}, "W1 has 4 rows but X has 3 columns"),
        ({"X": [[1, 2]], "W1": np.ones((2, 3)), "W2": np.ones((2, 1))}, "W2 has 2 rows but W1 has 3 columns"),
        ({"X": [[1, 2]], "W1": np.ones((2, 3)), "W2": np.ones((3, 1)), "b1": [1, 2]}, "b1 has 2 entries but W1 has 3"),
        ({"X": [[1, 2]], "W1": np.ones((2, 3)), "W2": np.ones((3, 1)), "b2": [1, 2]}, "b2 has 2 entries but W2 has 1"),
        ({"X": [[1, 2]], "W1": np.ones((2, 3)), "W2": np.ones((3, 1)), "b1": [[1, 2, 3], [1, 2, 3]]}, "b1 is one row"),
        ({"X": [[1, float("nan")]], "W1": np.ones((2, 3)), "W2": np.ones((3, 1))}, "X[0,1] is NaN"),
        ({"X": [[1, 2]], "W1": [[1, 2], [3, "x"]], "W2": np.ones((2, 1))}, "W1[1,1] is “x”"),
        ({"X": [[1, 2]], "W1": np.ones((2, 1)), "W2": [["inf"]]}, "W2[0,0] is infinite"),
        ({"X": [[1, 2]], "W1": np.ones((2, 1)), "W2": [[1]], "b2": ["1e999"]}, "b2[0,0] is infinite"),
        ({"X": np.ones((9, 2)), "W1": np.ones((2, 1)), "W2": [[1]]}, "X is 9×2, beyond this app's limit"),
        ({"X": [[1, 2]], "W1": np.ones((2, 1)), "W2": [[1]], "act": "gelu"}, "no activation called “gelu”"),
        ({"X": [[1, 2]], "W1": np.ones((2, 1)), "W2": [[1]], "seed": np.ones((2, 2))}, "Y = H @ W2 is 1×1"),
        ({"X": [[1, 2]], "W1": np.ones((2, 1)), "W2": [[1]], "seed": "row:3"}, "row 3 of Y"),
        ({"X": [[1, 2]], "W1": np.ones((2, 1)), "W2": [[1]], "dtype": "float16"}, "float32 or float64"),
        ({"X": [[1e30, 2]], "W1": np.full((2, 1), 1e10), "W2": [[1]]}, "too large for float32"),
    ],
)
def test_bad_input_names_the_matrix_and_the_cell(args, message):
    with pytest.raises(InputError) as caught:
        core.tf_chain(**args)
    assert message in str(caught.value)
    assert caught.value.message_in("zh") != str(caught.value)  # a Chinese sentence exists for it


def test_share_links_round_trip_and_name_each_bad_parameter():
    problem, errors = chain.chain_from_query(
        {"X": "1,2;3,4", "W1": "1,-1;0.5,2", "W2": "1;2", "b2": "0.5", "act": "tanh"}
    )
    assert errors == [] and problem.b1 is None and problem.act == "tanh"
    again, errors = chain.chain_from_query(chain.chain_to_query(problem))
    assert errors == [] and again.act == problem.act and again.seed == problem.seed and again.b1 is None
    for name in ("X", "W1", "W2", "b2"):
        np.testing.assert_array_equal(getattr(again, name), getattr(problem, name))
    _, errors = chain.chain_from_query(
        {"preset": "nope", "W1": "1,2,3", "act": "gelu", "seed": "row:9", "dtype": "f16", "b1": "1;2"}
    )
    assert [e.param for e in errors] == ["preset", "b1", "act", "W1", "seed", "dtype"]
    default, errors = chain.chain_from_query({})
    assert (
        errors == []
        and default.preset == "two-layer"
        and chain.chain_to_query(default)
        == {
            "preset": "two-layer",
            "seed": "ones",
        }
    )


def test_pytorch_autograd_gives_the_same_gradients():
    """The issue's test: tanh, float64, a weights seed, biases; PyTorch's autograd on the same network."""
    torch = pytest.importorskip("torch")
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
    W1 = np.array([[0.3, -0.2, 0.1, 0.7], [-0.6, 0.4, 0.9, -0.1], [0.2, 0.8, -0.5, 0.3]])
    W2 = np.array([[1.0, -0.5], [0.25, 0.75], [-1.5, 0.5], [0.6, -0.4]])
    b1, b2 = np.array([0.1, -0.2, 0.3, 0.0]), np.array([-0.5, 0.25])
    seed = "weights:1,-2;0.5,3"
    ours = core.tf_chain(X, W1, W2, b1, b2, act="tanh", seed=seed, dtype="float64")

    x, w1, w2, c1, c2 = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (X, W1, W2, b1, b2))
    y = torch.tanh(x @ w1 + c1) @ w2 + c2
    y.backward(torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64))
    for name, tensor in (("dX", x), ("dW1", w1), ("dW2", w2), ("db1", c1), ("db2", c2)):
        np.testing.assert_allclose(getattr(ours, name), tensor.grad.numpy(), rtol=1e-12, atol=1e-14, err_msg=name)
    np.testing.assert_allclose(ours.Y, y.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("preset", list(core.CHAIN_PRESETS))
def test_every_written_out_entry_adds_up_to_the_gradient(preset):
    """chain_sum's terms, read back from its numbers, add up to the formulas' entry; its cells exist."""
    p = core.CHAIN_PRESETS[preset]
    f = core.chain_formulas(p.X, p.W1, p.W2, p.b1, p.b2, p.act, "weights:" + ";".join(["1,-2"] * p.X.shape[0]))
    shapes = {"X": f.X, "W1": f.W1, "W2": f.W2, "H": f.H, "G": f.G, "dH": f.dH, "dZ": f.dZ, "act'(Z)": f.Z, "Z": f.Z}
    for name, gradient in f.gradients().items():
        M = np.atleast_2d(gradient)
        for i, j in np.ndindex(M.shape):
            worked = chain.chain_sum(f, name, i, j)
            assert worked.value == pytest.approx(M[i, j], abs=1e-12), (name, i, j)
            for matrix, cells in worked.cells.items():
                assert all(a < shapes[matrix].shape[0] and b < shapes[matrix].shape[1] for a, b in cells)
            if name == "dZ":
                assert worked.stopped == (f.act_slope[i, j] == 0)
    dead = core.chain_formulas(*(getattr(core.CHAIN_PRESETS["dead-relu"], n) for n in ("X", "W1", "W2", "b1")))
    assert chain.chain_sum(dead, "dZ", 0, 2).stopped
    assert chain.chain_sum(dead, "db1", 0, 2).symbols == "dZ[0,2] + dZ[1,2] + dZ[2,2]"
