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
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import core
from core import frameworks as fw
from core.strings import EN

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI") == "true"

SO = core.preset("so-question")
RNG = np.random.default_rng(20240611)


def _random(m: int, k: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return RNG.uniform(-2, 2, (m, k)), RNG.uniform(-2, 2, (k, n)), RNG.uniform(-1, 1, (m, n))


R1, R2, R3, R4 = _random(1, 1, 1), _random(4, 2, 1), _random(1, 3, 4), _random(8, 8, 8)

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


NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def printed_numbers(text: str) -> np.ndarray:
    return np.array([float(x) for x in NUMBER.findall(text)])


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
    """For the case from the question, every framework prints the page's text to the last digit."""
    need(FRAMEWORK_MODULES[framework])
    s = snippet("reference", framework, step)
    printed, _, error = run(s.code)
    if s.outcome.error:
        assert f"{type(error).__name__}: {error}" == s.outcome.text
    else:
        assert error is None
        assert printed == s.outcome.text + "\n"


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


# --- the numbers of DESIGN.md ---------------------------------------------------------------------


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
    trap = EN["fw.trap"]
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
