"""core.frameworks: every program the /frameworks page shows, run by TensorFlow, PyTorch and JAX.

The page states, for each program, what it prints or the exact error it raises; these tests run the
very same source text and compare. PyTorch and JAX are not app dependencies:
requirements-frameworks.txt installs them for the tests. Where they are missing, the tests that
need them are skipped, except in CI (CI=true), where a missing framework is a failure. Tests that
need neither (the programs compile, carry the exact matrices, the TensorFlow ones run) always run.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import importlib
import io
import os
import re
import sys
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import core
from core import frameworks as fw
from tests.helpers.paths import ROOT
from tests.helpers.programs import NUMBER, assert_prints_as_the_page_says
from ui.text.en import EN_PAGES

CI = os.environ.get("CI") == "true"

SO = core.preset("so-question")
RNG = np.random.default_rng(20240611)


def _random(m: int, k: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return RNG.uniform(-2, 2, (m, k)), RNG.uniform(-2, 2, (k, n)), RNG.uniform(-1, 1, (m, n))


R1, R2, R3, R4 = _random(1, 1, 1), _random(4, 2, 1), _random(1, 3, 4), _random(8, 8, 8)


def _negative_zeros() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random 4×3 @ 3×2 with -0.0 in T (a whole column), B (a whole row) and the seed."""
    T, B, G = _random(4, 3, 2)
    T[:, 1], T[2, 0] = -0.0, -0.0
    B[0, :] = -0.0
    G[3, :], G[0, 1] = -0.0, -0.0
    return T, B, G


def _signed_zeros(m: int, k: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries from {-0, 0, ±1, 0.5, -2}: many sums of zeros, and of terms that cancel."""
    values = np.array([-0.0, 0.0, -1.0, 1.0, 0.5, -2.0])
    return tuple(RNG.choice(values, shape) for shape in ((m, k), (k, n), (m, n)))  # type: ignore[return-value]


R5, R6, R7 = _negative_zeros(), _signed_zeros(3, 4, 2), _signed_zeros(1, 3, 4)

CASES: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray | None, str]] = {
    "reference": (SO.T, SO.B, None, "float32"),
    "reference-float64": (SO.T, SO.B, None, "float64"),
    "one-entry": (SO.T, SO.B, core.parse_seed("entry:0,0").matrix(5, 3), "float32"),
    "weights": (
        SO.T,
        SO.B,
        np.array([[0.5, -1.0, 2.0], [0.0, 0.25, 1.0], [1, 1, 1], [-3, 0, 0], [0, 0, 7.5]]),
        "float32",
    ),
    "1x1": (R1[0], R1[1], None, "float32"),
    "1x1-seeded": (*R1, "float32"),
    "mx1": (*R2, "float32"),
    "mx1-ones": (R2[0], R2[1], None, "float32"),
    "1xn": (*R3, "float32"),
    "8x8-float64": (*R4, "float64"),
    "negative-zeros": (*R5, "float32"),
    "negative-zeros-ones": (R5[0], R5[1], None, "float32"),
    "1x1-negative-zero": (np.array([[-0.0]]), R1[1], None, "float32"),
    "1x1-negative-zeros-seeded": (np.array([[2.5]]), np.array([[-0.0]]), np.array([[-0.0]]), "float64"),
    "signed-zeros": (*R6, "float32"),
    "signed-zeros-1xn": (*R7, "float64"),
}
PROGRAMS = [(case, framework, step) for case in CASES for framework in fw.FRAMEWORKS for step in fw.STEPS]


@functools.cache
def comparison(case: str) -> fw.Comparison:
    return fw.compare(*CASES[case])


def snippet(case: str, framework: str, step: str) -> fw.Snippet:
    return comparison(case).snippets[framework][step]


# --- running a program as a learner would ---------------------------------------------------------


def need(module: str) -> ModuleType:
    """`module`, or a skip where it is not installed; in CI it must be there."""
    if not CI:
        return pytest.importorskip(module)
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.fail(f"{module} must be installed in CI (pip install -r requirements-frameworks.txt): {error}")


FRAMEWORK_MODULES = {"tensorflow": "tensorflow", "pytorch": "torch", "jax": "jax"}


@pytest.fixture(autouse=True)
def restore_jax_precision():
    """A float64 JAX program turns on jax_enable_x64 for the whole process; turn it back."""
    before = sys.modules["jax"].config.jax_enable_x64 if "jax" in sys.modules else None
    yield
    if "jax" in sys.modules:
        sys.modules["jax"].config.update("jax_enable_x64", bool(before))


def run(code: str) -> tuple[str, dict[str, Any], BaseException | None]:
    """Execute a program; return what it printed, its variables, and the exception it raised, if any."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "<program>", "exec"), namespace)
    except Exception as error:  # the framework's own error is the point of the default programs
        return printed.getvalue(), namespace, error
    return printed.getvalue(), namespace, None


def as_array(x: Any) -> np.ndarray:
    """A TensorFlow, PyTorch or JAX array as NumPy."""
    if hasattr(x, "detach"):
        x = x.detach()
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def printed_numbers(text: str) -> np.ndarray:
    return np.array([float(x) for x in NUMBER.findall(text)])


def zero_signs(text: str) -> list[str | None]:
    """Each printed number's sign if it is a zero ('-' for -0., '+' for 0.), else None."""
    return [("-" if x.startswith("-") else "+") if float(x) == 0 else None for x in NUMBER.findall(text)]


def stated_zero_signs(outcome: fw.Outcome) -> list[str | None]:
    """The sign the page states for each printed zero: '-', '+', or '±' where the kernel decides."""
    signs: list[str | None] = []
    for what, value in outcome.printed:
        if isinstance(value, str):
            continue
        unsigned = outcome.unsigned_zeros.get(what, np.zeros(value.shape, bool))
        for x, either in zip(value.ravel(), unsigned.ravel(), strict=True):
            signs.append(None if x != 0 else "±" if either else "-" if np.signbit(x) else "+")
    return signs


def check_program(case: str, framework: str, step: str) -> None:
    """Run the program the page shows and compare with the outcome the page states."""
    s, c = snippet(case, framework, step), comparison(case)
    printed, namespace, error = run(s.code)
    expected = s.outcome
    if expected.error:
        assert error is not None, f"the page says it raises {expected.text}, but it printed {printed!r}"
        kind, message = expected.error
        assert type(error) is getattr(builtins, kind)
        assert str(error) == message
        return
    assert error is None, f"{type(error).__name__}: {error}"
    tolerance = 2 * c.tolerance + np.finfo(c.dtype).tiny  # two roundings: the framework's and TensorFlow's
    for name, value in expected.values.items():
        got = as_array(namespace[name])
        assert got.dtype == np.dtype(c.dtype), name
        assert got.shape == value.shape, name
        np.testing.assert_allclose(got, value, rtol=0, atol=tolerance, err_msg=name)
    # What it printed: the shape lines verbatim, the numbers as NumPy prints them (8 digits).
    lines = printed.rstrip("\n").split("\n")
    shapes = [str(v) for _, v in expected.printed if isinstance(v, str)]
    assert lines[: len(shapes)] == shapes
    got_numbers = printed_numbers("\n".join(lines[len(shapes) :]))
    want_numbers = printed_numbers("\n".join(str(v) for _, v in expected.printed if not isinstance(v, str)))
    assert got_numbers.shape == want_numbers.shape
    scale = max(1.0, float(np.max(np.abs(want_numbers), initial=0.0)))
    np.testing.assert_allclose(got_numbers, want_numbers, rtol=0, atol=tolerance + 1e-7 * scale)
    # and every zero with the sign the page states (TensorFlow's always; ±0.0 may print either way)
    got_signs = zero_signs("\n".join(lines[len(shapes) :]))
    stated = stated_zero_signs(expected)
    for index, (got, want) in enumerate(zip(got_signs, stated, strict=True)):
        if want in ("+", "-") or got is not None:
            assert want in (got, "±"), f"number {index}: the program prints {got}0., the page states {want}0."
    assert not expected.unsigned_zeros or framework != "tensorflow"


# --- every program, by every framework ----------------------------------------------------------


@pytest.mark.parametrize(("case", "step"), [(c, s) for c in CASES for s in fw.STEPS])
def test_tensorflow_programs_do_what_the_page_says(case, step):
    check_program(case, "tensorflow", step)


@pytest.mark.parametrize(("case", "step"), [(c, s) for c in CASES for s in fw.STEPS])
def test_pytorch_programs_do_what_the_page_says(case, step):
    need("torch")
    check_program(case, "pytorch", step)


@pytest.mark.parametrize(("case", "step"), [(c, s) for c in CASES for s in fw.STEPS])
def test_jax_programs_do_what_the_page_says(case, step):
    need("jax")
    check_program(case, "jax", step)


@pytest.mark.parametrize("framework", fw.FRAMEWORKS)
@pytest.mark.parametrize("step", fw.STEPS)
def test_reference_case_prints_exactly_what_the_page_shows(framework, step):
    """For the case from the question, TensorFlow prints the page's text to the last digit, the others up to it.

    The page's outputs are TensorFlow's, computed here; PyTorch's and JAX's may differ in the last
    digit, as the page says, because each adds in the order its CPU kernel chooses.
    """
    need(FRAMEWORK_MODULES[framework])
    s = snippet("reference", framework, step)
    printed, _, error = run(s.code)
    if s.outcome.error:
        assert f"{type(error).__name__}: {error}" == s.outcome.text
    else:
        assert error is None
        assert_prints_as_the_page_says(framework, printed, s.outcome.text + "\n")


def test_pytorch_refuses_a_matrix_and_jax_even_a_1x1_exactly_as_the_page_quotes():
    torch, jax = need("torch"), need("jax")
    Y = torch.ones(2, 2, requires_grad=True) @ torch.ones(2, 2)
    with pytest.raises(RuntimeError) as raised:
        Y.backward()
    assert str(raised.value) == fw.TORCH_SCALAR_ERROR[1] == "grad can be implicitly created only for scalar outputs"
    one = torch.ones(1, 1, requires_grad=True)
    (one @ torch.full((1, 1), 3.0)).backward()  # one entry counts as a scalar
    assert one.grad.item() == 3.0
    for shape in [(2, 3), (1, 1)]:
        with pytest.raises(TypeError) as raised:
            jax.grad(jax.numpy.matmul)(jax.numpy.ones(shape), jax.numpy.ones((shape[1], shape[1])))
        assert str(raised.value) == fw.JAX_SCALAR_ERROR[1].format(shape=shape)
    assert str(raised.value) == "Gradient only defined for scalar-output functions. Output had shape: (1, 1)."


def test_the_outcomes_follow_each_frameworks_rule_for_scalars():
    for case, (T, B, _, _) in CASES.items():
        default = comparison(case).snippets
        one_entry = T.shape[0] * B.shape[1] == 1
        assert default["tensorflow"]["default"].outcome.error is None
        assert (default["pytorch"]["default"].outcome.error is None) == one_entry, case
        assert default["jax"]["default"].outcome.error == (
            "TypeError",
            f"Gradient only defined for scalar-output functions. Output had shape: {(T.shape[0], B.shape[1])}.",
        )


# --- the numbers of docs/math.md ------------------------------------------------------------------


def test_reference_numbers_are_the_ones_from_the_question():
    snippets = comparison("reference").snippets
    row = np.array([-0.17307831, 1.1900724, 2.245003], dtype=np.float32)
    for framework in fw.FRAMEWORKS:
        for step in ("seeded", "jacobian"):
            values = snippets[framework][step].outcome.values
            np.testing.assert_array_equal(values["dT"], np.tile(row, (5, 1)))
    assert "[[-0.17307831  1.1900724   2.245003  ]" in snippets["tensorflow"]["default"].outcome.text
    assert snippets["pytorch"]["jacobian"].outcome.text.startswith("torch.Size([5, 3, 5, 3])\ntorch.Size([5, 3, 3, 3])")
    assert snippets["jax"]["jacobian"].outcome.text.startswith("(5, 3, 5, 3)\n(5, 3, 3, 3)")


def test_one_entry_seed_gives_column_0_of_b_in_row_0():
    dT = comparison("one-entry").snippets["pytorch"]["seeded"].outcome.values["dT"]
    np.testing.assert_array_equal(dT[0], np.array([0.43842274, 1.5658046, 1.4204658], dtype=np.float32))
    assert not dT[1:].any()


def test_every_comparison_agrees_with_the_formula():
    for case in CASES:
        assert comparison(case).ok, case


# --- the programs as text (no PyTorch or JAX needed) ----------------------------------------------


@pytest.mark.parametrize(("case", "framework", "step"), PROGRAMS)
def test_programs_are_valid_python(case, framework, step):
    compile(snippet(case, framework, step).code, f"<{framework} {step}>", "exec")


def _literal_of(code: str, name: str) -> list[list[float]] | None:
    """The nested list that `name = <constructor>([[…]], …)` writes, read back exactly."""
    for node in ast.parse(code).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == [name]
            and isinstance(node.value, ast.Call)
            and node.value.args
            and isinstance(node.value.args[0], ast.List)
        ):
            return ast.literal_eval(node.value.args[0])
    return None


@pytest.mark.parametrize(("case", "framework", "step"), PROGRAMS)
def test_programs_carry_the_exact_matrices_and_the_seed(case, framework, step):
    T, B, G, dtype = CASES[case]
    code = snippet(case, framework, step).code
    assert _literal_of(code, "T") == T.tolist()
    assert _literal_of(code, "B") == B.tolist()
    if step == "default":
        assert _literal_of(code, "G") is None and "G" not in re.findall(r"\b\w+\b", code)
    elif G is None:
        assert _literal_of(code, "G") is None
        assert "ones_like(" in code
    else:
        assert _literal_of(code, "G") == G.tolist()
    assert (
        f"dtype={'tf' if framework == 'tensorflow' else 'torch' if framework == 'pytorch' else 'jnp'}.{dtype}" in code
    )
    assert ("jax_enable_x64" in code) == (framework == "jax" and dtype == "float64")


def test_the_calls_the_issue_names_are_in_the_programs():
    snippets = comparison("weights").snippets
    calls = {
        ("tensorflow", "default"): "tape.gradient(Y, [T, B])",
        ("tensorflow", "seeded"): "output_gradients=G",
        ("tensorflow", "jacobian"): "tape.jacobian(Y, T)",
        ("pytorch", "default"): "Y.backward()",
        ("pytorch", "seeded"): "Y.backward(gradient=G)",
        ("pytorch", "jacobian"): "from torch.autograd.functional import jacobian",
        ("jax", "default"): "jax.grad(f, argnums=(0, 1))",
        ("jax", "seeded"): "jax.vjp(f, T, B)",
        ("jax", "jacobian"): "jax.jacrev(f, argnums=(0, 1))",
    }
    for (framework, step), call in calls.items():
        assert call in snippets[framework][step].code


def test_bad_input_is_an_input_error_with_a_clear_message():
    with pytest.raises(core.InputError, match=r"T\[0,1\] is NaN"):
        fw.compare([[1.0, float("nan")]], [[1.0], [2.0]])
    with pytest.raises(core.InputError, match="T's number of columns"):
        fw.compare(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(core.InputError, match="the seed needs Y's shape"):
        fw.compare(SO.T, SO.B, np.ones((2, 2)))
    with pytest.raises(core.InputError, match="float16"):
        fw.compare(SO.T, SO.B, None, "float16")
    with pytest.raises(core.InputError, match="float32"):
        fw.compare([[1e30]], [[1e30]])


# --- versions and the naming trap -----------------------------------------------------------------


def test_the_tested_versions_are_the_pinned_ones():
    pins = dict(
        line.split("==")
        for line in (ROOT / "requirements-frameworks.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert pins["torch"] == fw.TESTED_WITH["torch"]
    assert pins["jax"] == pins["jaxlib"] == fw.TESTED_WITH["jax"]


def test_installed_frameworks_are_the_tested_versions():
    torch, jax = need("torch"), need("jax")
    assert torch.__version__.split("+")[0] == fw.TESTED_WITH["torch"]
    assert jax.__version__ == fw.TESTED_WITH["jax"]


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def test_the_naming_trap_quotes_pytorchs_own_documentation():
    torch = need("torch")
    backward_doc = _words(torch.autograd.backward.__doc__)
    grad_doc = _words(torch.autograd.grad.__doc__)
    trap = EN_PAGES["fw.trap"]
    for quoted in re.findall(r"“([^”]+)”", trap):
        assert quoted in backward_doc or quoted in grad_doc, quoted
    assert "the Jacobian-vector product would be computed" in backward_doc
    assert "vector-Jacobian product" in grad_doc
    # and what backward(gradient=v) computes is vᵀJ: v has Y's shape, the result T's shape
    T = torch.tensor(SO.T.tolist(), requires_grad=True)
    B = torch.tensor(SO.B.tolist())
    v = torch.tensor(np.arange(15.0).reshape(5, 3).tolist())
    (T @ B).backward(gradient=v)
    J = torch.autograd.functional.jacobian(lambda T: T @ B, T.detach()).reshape(15, 15)
    np.testing.assert_allclose(T.grad.numpy().ravel(), (v.reshape(1, 15) @ J).numpy().ravel(), rtol=1e-6)


# --- the sign of a zero ---------------------------------------------------------------------------


def test_a_1x1_negative_zero_prints_minus_in_tensorflow_and_jax_and_plus_in_pytorch():
    """core.frameworks' example: T = -0 gives dL/dB = -0. in TensorFlow and JAX, 0. in PyTorch.

    The page shows TensorFlow's -0.0, and ±0.0 for the frameworks it does not run.
    """
    need("torch"), need("jax")
    snippets = comparison("1x1-negative-zero").snippets
    prints = {framework: run(snippets[framework]["seeded"].code)[0].split("\n")[1] for framework in fw.FRAMEWORKS}
    assert prints == {"tensorflow": "[[-0.]]", "pytorch": "[[0.]]", "jax": "[[-0.]]"}
    tables = {framework: snippets[framework]["seeded"].outcome.table("dL/dB") for framework in fw.FRAMEWORKS}
    assert tables == {"tensorflow": [["-0.0"]], "pytorch": [["±0.0"]], "jax": [["±0.0"]]}


def _seeded_gradients(framework: str, T: np.ndarray, B: np.ndarray, G: np.ndarray) -> list[np.ndarray]:
    """dL/dT and dL/dB of the seeded call, computed by `framework` itself in float32."""
    T, B, G = (X.astype(np.float32) for X in (T, B, G))
    if framework == "tensorflow":
        tf = core.engine.tensorflow()
        t, b = tf.constant(T), tf.constant(B)
        with tf.GradientTape() as tape:
            tape.watch([t, b])
            y = tf.matmul(t, b)
        return [x.numpy() for x in tape.gradient(y, [t, b], output_gradients=tf.constant(G))]
    if framework == "pytorch":
        torch = need("torch")
        t, b = torch.tensor(T, requires_grad=True), torch.tensor(B, requires_grad=True)
        (t @ b).backward(gradient=torch.tensor(G))
        return [t.grad.numpy(), b.grad.numpy()]
    jnp = need("jax").numpy
    _, vjp = need("jax").vjp(jnp.matmul, jnp.array(T), jnp.array(B))
    return [np.asarray(x) for x in vjp(jnp.array(G))]


@pytest.mark.parametrize("framework", fw.FRAMEWORKS)
def test_a_gradient_is_negative_zero_only_where_every_term_is(framework):
    """The rule behind ±0.0: a -0. needs every product of the sum to be -0 (whatever the kernel)."""
    rng = np.random.default_rng(7)
    values = np.array([-0.0, 0.0, -1.0, 1.0, 0.5, -2.0])
    for m, k, n in [tuple(rng.integers(1, 9, 3)) for _ in range(40)]:
        T, B, G = (rng.choice(values, shape).astype(np.float32) for shape in ((m, k), (k, n), (m, n)))
        dT, dB = _seeded_gradients(framework, T, B, G)
        may_T = fw.may_be_negative_zero(G[:, None, :], B[None, :, :], axis=2)
        may_B = fw.may_be_negative_zero(T[:, :, None], G[:, None, :], axis=0)
        for got, may in ((dT, may_T), (dB, may_B)):
            assert not ((got == 0) & np.signbit(got) & ~may).any(), (m, k, n)


# --- the sentences about the frameworks, checked against them ------------------------------------


def test_a_second_backward_raises_unless_the_graph_is_kept_and_then_gradients_add_up():
    """fw.pytorch.seeded: a second `backward` through the same Y raises a RuntimeError; with
    `retain_graph=True` first, or after a new forward pass, the gradients add up."""
    torch = need("torch")
    T = torch.tensor(SO.T.tolist(), requires_grad=True)
    B, G = torch.tensor(SO.B.tolist()), torch.ones(5, 3)
    Y = T @ B
    Y.backward(gradient=G)
    once = T.grad.clone()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        Y.backward(gradient=G)
    (T @ B).backward(gradient=G)  # a new forward pass
    assert torch.equal(T.grad, 2 * once)
    T.grad = None
    Y = T @ B
    Y.backward(gradient=G, retain_graph=True)
    Y.backward(gradient=G)
    assert torch.equal(T.grad, 2 * once)
    sentence = EN_PAGES["fw.pytorch.seeded"]
    assert "RuntimeError" in sentence and "`retain_graph=True`" in sentence and "new forward pass" in sentence


def test_tensorflow_makes_python_floats_float32_and_keeps_a_numpy_float64_array():
    """pg.precision_text: float32 unless told otherwise holds for Python floats, not NumPy's float64."""
    tf = core.engine.tensorflow()
    assert tf.constant(0.5).dtype == tf.constant([[1.0, 2.0], [3.0, 4.0]]).dtype == tf.float32
    assert tf.constant(np.array([[1.0, 2.0]])).dtype == tf.float64
    assert tf.constant(np.array([[1.0, 2.0]], dtype=np.float32)).dtype == tf.float32
    assert "(a float64 NumPy array stays float64)" in EN_PAGES["pg.precision_text"]


def _tf32(X: np.ndarray) -> np.ndarray:
    """X rounded to TensorFloat-32 (10 bits of mantissa, to nearest)."""
    bits = np.asarray(X, np.float32).view(np.uint32).astype(np.uint64) + 0x1000
    return (bits & ~np.uint64(0x1FFF)).astype(np.uint32).view(np.float32)


def test_on_recent_nvidia_gpus_tensorflow_and_jax_default_to_tf32_and_pytorch_does_not():
    """fw.numbers_source, pg.precision_text: the defaults the sentences name, as each framework states them."""
    torch, jax = need("torch"), need("jax")
    tf = core.engine.tensorflow()
    assert tf.config.experimental.tensor_float_32_execution_enabled() is True
    tf_doc = " ".join(tf.config.experimental.enable_tensor_float_32_execution.__doc__.split())
    assert "TensorFloat-32 is enabled by default" in tf_doc and "Ampere" in tf_doc
    assert jax.config.jax_default_matmul_precision is None  # lax.Precision.DEFAULT:
    assert "On GPU: uses tensorfloat32 if available (e.g. on A100 and H100 GPUs)" in " ".join(
        jax.lax.Precision.__doc__.split()
    )
    assert torch.backends.cuda.matmul.allow_tf32 is False
    assert torch.get_float32_matmul_precision() == "highest"
    # TF32 in the reference case: the digits part from about the fourth significant one
    T, B = SO.T.astype(np.float32), SO.B.astype(np.float32)
    G = np.ones((5, 3), np.float32)
    exact = np.concatenate([(G @ B.T).ravel(), (T.T @ G).ravel()])
    tf32 = np.concatenate([(G @ _tf32(B).T).ravel(), (_tf32(T).T @ G).ravel()])
    relative = np.abs(tf32 / exact - 1)
    assert 1e-4 < relative.max() < 1e-2 and np.median(relative) > 1e-5
    for key in ("fw.numbers_source", "pg.precision_text"):
        assert "TensorFloat-32" in EN_PAGES[key] and "Ampere" in EN_PAGES[key] and "fourth significant" in EN_PAGES[key]
    assert "`torch.backends.cuda.matmul.allow_tf32` is False" in EN_PAGES["fw.numbers_source"]
