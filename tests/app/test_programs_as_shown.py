"""Every program every page shows, copied as shown and run in a fresh Python, prints what the page claims.

This is what a learner does: open a page, copy a code block into a new Python file, run it. Each
page is opened with AppTest at a share link; its Python code blocks are taken from the page as
drawn (not from the functions that write them). One fresh interpreter per case runs every block,
each in a namespace of its own, so a missing import is a NameError here as it would be there. A
mistake on /pitfalls may raise TensorFlow's own error (that is its point, and the page quotes it);
nothing may raise NameError, ImportError or SyntaxError. What each program prints is then compared
with the numbers the page shows: the gradients core computed for it, the outcome each /frameworks
program states, and, on /pitfalls, the printed output the page shows under the snippet.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core import frameworks as fw
from core import losses, quiz
from core.textforms import format_matrix
from tests.helpers.apptest import APP, TIMEOUT
from tests.helpers.programs import as_shown, run_fresh
from tests.helpers.real_app import pin_navigation_mode

CI = os.environ.get("CI") == "true"
SO = core.preset("so-question")
RNG = np.random.default_rng(20261204)


@dataclass(frozen=True)
class Case:
    """A share link's problem: T, B, the seed (None: all ones) and the precision."""

    T: np.ndarray
    B: np.ndarray
    seed: str
    dtype: str

    def query(self) -> dict[str, str]:
        return {"T": format_matrix(self.T), "B": format_matrix(self.B), "seed": self.seed, "dtype": self.dtype}

    def G(self) -> np.ndarray:
        return core.parse_seed(self.seed).matrix(self.T.shape[0], self.B.shape[1])


def _with_negative_zeros(M: np.ndarray) -> np.ndarray:
    M = np.round(M, 3)
    M[::2, 0] = -0.0
    return M


CASES = {
    "reference-float32": Case(SO.T, SO.B, "ones", "float32"),
    "reference-float64": Case(SO.T, SO.B, "ones", "float64"),
    "random-1x1": Case(
        np.round(RNG.uniform(-2, 2, (1, 1)), 4), np.round(RNG.uniform(-2, 2, (1, 1)), 4), "ones", "float32"
    ),
    "random-4x3-negative-zeros": Case(
        _with_negative_zeros(RNG.uniform(-2, 2, (4, 3))),
        _with_negative_zeros(RNG.uniform(-2, 2, (3, 2))),
        "weights:" + format_matrix(_with_negative_zeros(RNG.uniform(-1, 1, (4, 2)))),
        "float64",
    ),
}
PAGES = ("playground", "jacobian", "losses", "pitfalls", "frameworks")
QUIZZES = (1, 2, 3, 4)


# --- the page as drawn ------------------------------------------------------------------------


def page_code(path: str, query: dict[str, str]) -> list[tuple[str, str]]:
    """(language, text) of every code block `path` draws at `?query`, in page order."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    if path != "playground":
        at.switch_page(f"pages/{path}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [(block.proto.language, block.value) for block in at.code]


def python_blocks(blocks: list[tuple[str, str]]) -> list[str]:
    return [text for language, text in blocks if language == "python"]


# --- running them as a learner would ------------------------------------------------------------

NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|-?nan|-?inf")


def numbers(text: str) -> np.ndarray:
    """The numbers in what a program printed, shapes and dtype names excluded."""
    text = re.sub(r"shape=\([^)]*\)|dtype=\w+|float(?:32|64)|\(\d+(?:, \d+)*\)", " ", text)
    return np.array([float(x) for x in NUMBER.findall(text)])


def assert_prints(printed: str, arrays: list[np.ndarray], dtype: str, what: str) -> None:
    """The numbers printed are the arrays' entries, to the digits NumPy/TensorFlow print (8 significant)."""
    want = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    got = numbers(printed)
    assert got.shape == want.shape, f"{what}: printed {printed!r}"
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    eps = float(np.finfo(dtype).eps)
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-8 * scale + 64 * eps * scale, err_msg=what)


def assert_no_python_error(result: dict, what: str) -> None:
    if result["error"]:
        assert result["error"][0] not in ("NameError", "ImportError", "ModuleNotFoundError", "SyntaxError"), (
            what,
            result["error"],
        )


# --- what each page claims ------------------------------------------------------------------------


def check_playground(case: Case, blocks: list[tuple[str, str]], results: list[dict]) -> None:
    assert len(results) == 1
    assert results[0]["error"] is None, results[0]["error"]
    g = core.tf_gradients(case.T, case.B, case.G(), case.dtype)
    assert_prints(results[0]["printed"], [g.dT, g.dB], case.dtype, "playground")


def check_jacobian(case: Case, blocks: list[tuple[str, str]], results: list[dict]) -> None:
    assert len(results) == 1
    assert results[0]["error"] is None, results[0]["error"]
    m, k, n = case.T.shape[0], case.T.shape[1], case.B.shape[1]
    first, rest = results[0]["printed"].split("\n", 1)
    assert first == f"{(m, n, m, k)} {(m, n, k, n)} {(m, n, k)}"
    g = core.tf_gradients(case.T, case.B, case.G(), case.dtype)
    assert_prints(rest, [g.dT], case.dtype, "jacobian")


def check_losses(case: Case, blocks: list[tuple[str, str]], results: list[dict]) -> None:
    assert len(results) == 1
    assert results[0]["error"] is None, results[0]["error"]
    r = losses.loss_gradients(case.T, case.B, "mean", dtype=case.dtype)  # the page's default loss
    assert_prints(results[0]["printed"], [r.seed_tf, r.from_loss.dT, r.from_loss.dB], case.dtype, "losses")


def check_pitfalls(case: Case, blocks: list[tuple[str, str]], results: list[dict]) -> None:
    """Setup + each snippet prints exactly the output block the page shows under that snippet."""
    setup = python_blocks(blocks)[0]
    outputs: list[str | None] = []  # the block after each snippet: what the page says it printed
    for index, (language, _) in enumerate(blocks):
        if language == "python" and index > 0:
            after = blocks[index + 1] if index + 1 < len(blocks) else ("python", "")
            outputs.append(after[1] if after[0] != "python" else None)
    assert len(results) == len(outputs) == len(python_blocks(blocks)) - 1 >= 22
    for result, shown in zip(results, outputs, strict=True):
        assert_no_python_error(result, "pitfalls")
        assert shown == as_shown(result)
    assert setup.startswith("import tensorflow as tf\n")


def check_frameworks(case: Case, blocks: list[tuple[str, str]], results: list[dict]) -> None:
    comparison = fw.compare(case.T, case.B, None if case.seed == "ones" else case.G(), case.dtype)
    stated = [comparison.snippets[framework][step] for step in fw.STEPS for framework in fw.FRAMEWORKS]
    assert [s.code.rstrip("\n") for s in stated] == python_blocks(blocks)
    for snippet, result in zip(stated, results, strict=True):
        what = f"{snippet.framework} {snippet.step}"
        if snippet.outcome.error:
            assert result["error"] == list(snippet.outcome.error), what
            continue
        assert result["error"] is None, (what, result["error"])
        shapes = [v for _, v in snippet.outcome.printed if isinstance(v, str)]
        lines = result["printed"].split("\n")
        assert lines[: len(shapes)] == shapes, what
        arrays = [v for _, v in snippet.outcome.printed if not isinstance(v, str)]
        assert_prints("\n".join(lines[len(shapes) :]), arrays, case.dtype, what)


CHECKS = {
    "playground": check_playground,
    "jacobian": check_jacobian,
    "losses": check_losses,
    "pitfalls": check_pitfalls,
    "frameworks": check_frameworks,
}


@functools.cache
def frameworks_installed() -> bool:
    try:
        import jax  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        if CI:
            pytest.fail("torch and jax must be installed in CI (pip install -r requirements-frameworks.txt)")
        return False
    return True


@pytest.mark.parametrize("case_name", list(CASES))
def test_every_program_on_every_page_runs_as_shown_and_prints_what_the_page_claims(case_name, monkeypatch, tmp_path):
    pin_navigation_mode(monkeypatch)
    case = CASES[case_name]
    pages = [p for p in PAGES if p != "frameworks" or frameworks_installed()]
    shown = {page: page_code(page, case.query()) for page in pages}
    programs: list[str] = []
    owners: list[str] = []
    for page, blocks in shown.items():
        code = python_blocks(blocks)
        if page == "pitfalls":  # each snippet runs after the setup block, as the page says
            code = [code[0] + "\n" + snippet for snippet in code[1:]]
        assert code, f"{page} shows no program"
        programs += code
        owners += [page] * len(code)
    results = run_fresh(programs, tmp_path)
    for page, blocks in shown.items():
        mine = [r for r, owner in zip(results, owners, strict=True) if owner == page]
        for result in mine:
            assert_no_python_error(result, page)
        CHECKS[page](case, blocks, mine)


def test_every_quiz_program_runs_as_shown_and_prints_the_answer(monkeypatch, tmp_path):
    """The question's program prints the asked-for value: the answer the quiz checks against."""
    pin_navigation_mode(monkeypatch)
    programs, answers = [], []
    for q in QUIZZES:
        code = python_blocks(page_code("quiz", {"q": str(q)}))
        assert code, f"quiz {q} shows no program"
        problem = quiz.make_problem(q)
        programs.append(code[0])
        answers.append(problem.answer if problem.cell is None else problem.answer[problem.cell])
    results = run_fresh(programs, tmp_path)
    for q, result, answer in zip(QUIZZES, results, answers, strict=True):
        assert result["error"] is None, (q, result["error"])
        assert_prints(result["printed"], [answer], "float64", f"quiz {q}")


CHAIN_LINKS = {
    "two-layer": {"preset": "two-layer"},
    "dead-relu-row-seed": {"preset": "dead-relu", "seed": "row:1", "dtype": "float64"},
    "tanh-weights-float64": {
        "X": "0.5,-1,2;1.5,0.25,-0.5",
        "W1": "0.3,-0.2,0.1,0.7;-0.6,0.4,0.9,-0.1;0.2,0.8,-0.5,0.3",
        "W2": "1,-0.5;0.25,0.75;-1.5,0.5;0.6,-0.4",
        "b1": "0.1,-0.2,0.3,0",
        "b2": "-0.5,0.25",
        "act": "tanh",
        "seed": "weights:1,-2;0.5,3",
        "dtype": "float64",
    },
    "sigmoid-no-bias-entry": {"X": "1,2;3,-4", "W1": "0.5;-0.25", "W2": "2,-1", "act": "sigmoid", "seed": "entry:1,0"},
}


def test_the_chain_program_runs_as_shown_and_prints_the_gradients_the_page_shows(monkeypatch, tmp_path):
    """/chain's program, copied into a fresh Python, prints every gradient core.tf_chain gives the page."""
    from core import chain

    pin_navigation_mode(monkeypatch)
    programs, expected = [], []
    for query in CHAIN_LINKS.values():
        (program,) = python_blocks(page_code("chain", query))
        programs.append(program)
        p, errors = chain.chain_from_query(query)
        assert errors == []
        c = core.tf_chain(p.X, p.W1, p.W2, p.b1, p.b2, p.act, p.seed, p.dtype)
        order = ["db2", "dW2", "dH", "dZ", "db1", "dW1", "dX"]  # as printed: from the seed down
        expected.append(([getattr(c, name) for name in order if getattr(c, name) is not None], p.dtype))
    results = run_fresh(programs, tmp_path)
    for name, result, (arrays, dtype) in zip(CHAIN_LINKS, results, expected, strict=True):
        assert result["error"] is None, (name, result["error"])
        printed = re.sub(r"^d\w+ =", "", result["printed"], flags=re.MULTILINE)  # the labels name, not number
        assert_prints(printed, arrays, dtype, f"chain {name}")
