"""The notebook to take home: core.notebook, the button on every page, and the notebooks really run.

Three layers. core.notebook alone: valid nbformat v4, the cells in order, the programs verbatim.
The pages through AppTest: each draws a "Download as notebook" button (seen in the element tree),
and the notebook its callable builds holds exactly the programs of the page's `st.code` blocks
(a spy on `st.download_button` keeps the callable the page passed). And a few of those notebooks
executed headless by nbclient in a python3 kernel of this interpreter: what they print is what
TensorFlow computes through `core` (each kernel imports TensorFlow, so only five are run).
"""

from __future__ import annotations

import os
from typing import Any

import nbformat
import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import core
from core import frameworks as fw
from core import losses, quiz
from core.codegen import chain_code, jacobian_code, loss_code, tensorflow_code
from core.notebook import notebook
from tests.helpers.programs import assert_prints_as_the_page_says, tensors
from ui.text import text as t

CI = os.environ.get("CI") == "true"
SO = core.preset("so-question")
ENTRY_00 = core.parse_seed("entry:0,0").matrix(5, 3)
ROW_SUMS_LINE = "[-0.17307831  1.1900724   2.245003  ]"  # a row of dL/dT as TensorFlow prints it (float32)
COLUMN_0_LINE = "[0.43842274 1.5658046  1.4204658 ]"  # row 0 of dL/dT for the seed on Y[0,0]
MIME = "application/x-ipynb+json"
KERNEL_TIMEOUT = 120  # seconds per cell; each kernel imports TensorFlow first


def need(module: str) -> None:
    """Skip where `module` is not installed; in CI it must be there (as in tests/unit/test_frameworks.py)."""
    if CI:
        __import__(module)
    else:
        pytest.importorskip(module)


def read(data: bytes) -> nbformat.NotebookNode:
    """The notebook in `data`, checked against the nbformat v4 schema."""
    book = nbformat.reads(data.decode("utf-8"), as_version=nbformat.NO_CONVERT)
    nbformat.validate(book)
    assert book.nbformat == 4
    return book


def codes(book: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in book.cells if cell.cell_type == "code"]


def markdowns(book: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in book.cells if cell.cell_type == "markdown"]


# --- core.notebook --------------------------------------------------------------------------------


def test_a_notebook_is_valid_nbformat_4_with_the_title_then_each_sentence_before_its_program():
    first, second = tensorflow_code(SO.T, SO.B, None), jacobian_code(SO.T, SO.B)
    data = notebook("Gradflow · Playground", [("one", first), ("two", second)], intro="about **so-question**")
    assert isinstance(data, bytes)
    book = read(data)
    assert book.metadata.kernelspec.name == "python3"
    assert book.metadata.kernelspec.language == "python"
    assert book.metadata.language_info.name == "python"
    assert [cell.cell_type for cell in book.cells] == ["markdown", "markdown", "code", "markdown", "code"]
    assert book.cells[0].source == "# Gradflow · Playground\n\nabout **so-question**"
    assert [book.cells[1].source, book.cells[3].source] == ["one", "two"]
    # the programs verbatim, without the one trailing newline a code cell does not store
    assert codes(book) == [first.removesuffix("\n"), second.removesuffix("\n")]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in book.cells if cell.cell_type == "code")


def test_a_program_that_raises_is_tagged_and_an_empty_sentence_adds_no_cell():
    book = read(notebook("t", [("", "print(1)"), ("boom", "1 / 0", True), ("fine", "print(2)", False)]))
    assert [cell.cell_type for cell in book.cells] == ["markdown", "code", "markdown", "code", "markdown", "code"]
    tags = [cell.metadata.get("tags") for cell in book.cells if cell.cell_type == "code"]
    assert tags == [None, ["raises-exception"], None]
    assert book.cells[0].source == "# t"  # no intro: the title alone


def test_the_same_cells_give_the_same_file_and_chinese_stays_readable():
    cells = [(t("nb.pg.program", "zh", seed="ones", dtype="float32"), tensorflow_code(SO.T, SO.B, None))]
    data = notebook(t("nav.playground", "zh"), cells)
    assert data == notebook(t("nav.playground", "zh"), cells)  # cell ids are numbered, not random
    assert t("nav.playground", "zh").encode("utf-8") in data  # UTF-8, not \\u escapes
    assert [cell.id for cell in read(data).cells] == ["cell-0", "cell-1", "cell-2"]


def test_the_quiz_matrices_are_the_problems_exactly_and_g_only_for_a_seed_other_than_ones():
    ones = next(p for q in range(200) if (p := quiz.make_problem(q)).seed.is_default)
    other = next(p for q in range(200) if not (p := quiz.make_problem(q)).seed.is_default)
    for problem in (ones, other):
        scope: dict[str, Any] = {}
        exec(quiz.matrices_code(problem).replace("import tensorflow as tf\n", ""), {"tf": Constants()}, scope)
        np.testing.assert_array_equal(scope["T"], problem.T)
        np.testing.assert_array_equal(scope["B"], problem.B)
        if problem.seed.is_default:
            assert "G" not in scope
        else:
            np.testing.assert_array_equal(scope["G"], problem.G)


class Constants:
    """A stand-in for `tf` that turns `tf.constant(rows, dtype=tf.float64)` into a NumPy array."""

    float64 = np.float64

    @staticmethod
    def constant(rows: list[list[float]], dtype: Any) -> np.ndarray:
        return np.array(rows, dtype=dtype)


# --- the pages offer it -----------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def tensorflow_imported():
    """Import TensorFlow (and trace the Jacobian) before the first run, so no run waits seconds for it."""
    core.tf_jacobians(SO.T, SO.B)


@pytest.fixture
def offered(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every `st.download_button` the pages draw, with its arguments (the callable `data` among them)."""
    calls: list[dict[str, Any]] = []
    real = st.download_button

    def spy(label: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        calls.append({"label": label, "data": data, **kwargs})
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return calls


def offered_notebook(at: AppTest, calls: list[dict[str, Any]], page: str, lang: str = "en") -> nbformat.NotebookNode:
    """The notebook the page's last run offers: its button is on the page and built only on a click."""
    buttons = [b for b in at.get("download_button") if b.proto.label == t("nb.download", lang)]
    assert len(buttons) == 1, [b.proto.label for b in at.get("download_button")]
    assert buttons[0].proto.ignore_rerun  # on_click="ignore": the download makes no rerun
    assert buttons[0].proto.HasField("deferred_file_id")  # the file is made when it is asked for
    (call,) = [c for c in calls if c["label"] == t("nb.download", lang)][-1:]
    assert callable(call["data"])
    assert call["file_name"] == f"gradflow-{page}.ipynb"
    assert call["mime"] == MIME
    assert call["on_click"] == "ignore"
    assert call["icon"] == ":material/download:"
    del calls[:]
    return read(call["data"]())


def programs(at: AppTest) -> list[str]:
    """The programs the page shows, in page order."""
    return [c.value for c in at.code if c.language == "python"]


def test_playground_offers_its_program_for_the_links_problem(app, offered):
    at = app.open("playground", preset="so-question", seed="ones")
    book = offered_notebook(at, offered, "playground")
    assert codes(book) == programs(at) == [tensorflow_code(SO.T, SO.B, None, "float32").removesuffix("\n")]
    first = markdowns(book)[0]
    assert first.startswith("# Gradflow · Playground\n\n")
    assert "**so-question**, T is 5×3, B is 3×3, seed `ones`, float32." in first
    assert "?preset=so-question&seed=ones" in first  # the share link
    assert markdowns(book)[1] == t("nb.pg.program", seed="ones", dtype="float32")


def test_playground_notebook_follows_the_seed_and_the_precision(app, offered):
    at = app.open("playground", T="1,2;3,4", B="5,6;7,8", seed="weights:1,0;0,2", dtype="float64")
    book = offered_notebook(at, offered, "playground")
    T, B, G = np.array([[1.0, 2], [3, 4]]), np.array([[5.0, 6], [7, 8]]), np.array([[1.0, 0], [0, 2]])
    assert codes(book) == programs(at) == [tensorflow_code(T, B, G, "float64").removesuffix("\n")]
    assert "your own matrices" in markdowns(book)[0]
    assert "?T=1,2;3,4&B=5,6;7,8&seed=weights:1,0;0,2&dtype=float64" in markdowns(book)[0]


def test_jacobian_page_offers_its_program(app, offered):
    at = app.open("jacobian", preset="so-question", seed="entry:0,0", wrt="B")
    book = offered_notebook(at, offered, "jacobian")
    assert codes(book) == programs(at) == [jacobian_code(SO.T, SO.B, ENTRY_00, "float32").removesuffix("\n")]
    assert markdowns(book)[0].startswith(f"# Gradflow · {t('nav.jacobian')}")
    assert "seed=entry:0,0&wrt=B" in markdowns(book)[0]


def test_losses_page_offers_its_program_for_the_loss_picked(app, offered):
    at = app.open("losses", preset="so-question", loss="entry", entry="1,2")
    book = offered_notebook(at, offered, "losses")
    assert codes(book) == programs(at) == [loss_code(SO.T, SO.B, "entry", None, (1, 2)).removesuffix("\n")]
    assert markdowns(book)[1] == t("nb.loss.program", loss="L = Y[1, 2]")
    assert "loss=entry&entry=1,2" in markdowns(book)[0]


def quiz_with_a_seed() -> quiz.QuizProblem:
    """The first quiz problem asking for one entry, with a seed other than all ones (so G is written)."""
    return next(p for q in range(1000) if (p := quiz.make_problem(q)).cell is not None and not p.seed.is_default)


def test_quiz_offers_the_question_and_the_answer_only_once_it_is_shown(app, offered):
    problem = quiz_with_a_seed()
    at = app.open("quiz", q=str(problem.q))
    book = offered_notebook(at, offered, "quiz")
    assert programs(at) == [quiz.question_code(problem)]
    assert codes(book) == [quiz.question_code(problem)]
    assert quiz.question_code(problem).startswith(quiz.matrices_code(problem))  # complete as shown
    assert f"Problem **{problem.q}**" in markdowns(book)[0] and f"?q={problem.q}" in markdowns(book)[0]

    at.text_input(key=f"quiz_entry_{problem.q}").input("12345")
    (check,) = [b for b in at.button if b.label == t("quiz.check")]
    check.click()
    at = app.run(at)
    book = offered_notebook(at, offered, "quiz")
    answer = tensorflow_code(problem.T, problem.B, problem.G, "float64").removesuffix("\n")
    assert programs(at) == [quiz.question_code(problem), answer]
    assert codes(book) == [quiz.question_code(problem), answer]
    assert markdowns(book)[-1] == t("nb.quiz.answer")


def test_frameworks_page_offers_its_nine_programs_by_step_the_failing_ones_tagged(app, offered):
    at = app.open("frameworks", preset="so-question")
    book = offered_notebook(at, offered, "frameworks")
    comparison = fw.compare(SO.T, SO.B)
    assert codes(book) == programs(at)
    snippets = [comparison.snippets[f][s] for s in fw.STEPS for f in fw.FRAMEWORKS]
    assert codes(book) == [s.code.removesuffix("\n") for s in snippets]
    tagged = [cell.metadata.get("tags") == ["raises-exception"] for cell in book.cells if cell.cell_type == "code"]
    assert tagged == [s.outcome.error is not None for s in snippets]
    assert tagged[:3] == [False, True, True]  # PyTorch and JAX refuse the default on a matrix
    steps = [m for m in markdowns(book) if m.startswith("## ")]
    assert steps == [f"## {t(f'fw.step.{s}')}\n\n**TensorFlow**" for s in fw.STEPS]


def test_chain_page_offers_its_program_for_the_links_network(app, offered):
    from core import chain

    link = {"X": "1,2;3,-4", "W1": "0.5;-0.25", "W2": "2,-1", "b2": "0.5,0", "act": "sigmoid", "seed": "row:1"}
    at = app.open("chain", **link)
    book = offered_notebook(at, offered, "chain")
    p, _ = chain.chain_from_query(link)
    G = p.seed.matrix(2, 2)
    assert codes(book) == programs(at) == [chain_code(p.X, p.W1, p.W2, None, p.b2, "sigmoid", G).removesuffix("\n")]
    first = markdowns(book)[0]
    assert first.startswith(f"# Gradflow · {t('nav.chain')}")
    assert "act = sigmoid, seed `row:1`, float32." in first
    assert "?X=1,2;3,-4&W1=0.5;-0.25&W2=2,-1&b2=0.5,0&act=sigmoid&seed=row:1" in first  # the share link
    assert markdowns(book)[1] == t("chain.nb_program")


def test_a_page_in_chinese_offers_a_chinese_notebook(app, offered):
    at = app.open("jacobian", preset="so-question", lang="zh")
    book = offered_notebook(at, offered, "jacobian", lang="zh")
    assert markdowns(book)[0].startswith(f"# Gradflow · {t('nav.jacobian', 'zh')}")
    assert markdowns(book)[1] == t("nb.jac.program", "zh")
    assert "lang=zh" in markdowns(book)[0]
    assert codes(book) == programs(at)  # code is the same in both languages


# --- the notebooks run and print the page's numbers -------------------------------------------------


def execute(book: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell as Jupyter's "Run all" does, in a python3 kernel of this interpreter."""
    from nbclient import NotebookClient

    NotebookClient(book, timeout=KERNEL_TIMEOUT, kernel_name="python3", startup_timeout=KERNEL_TIMEOUT).execute()
    return book


def stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def close(printed: np.ndarray, computed: np.ndarray) -> None:
    """Printed (8 digits at most after the point) and computed numbers agree."""
    assert printed.shape == computed.shape
    np.testing.assert_allclose(printed, computed, rtol=1e-7, atol=1e-8)


def code_cells(book: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in book.cells if cell.cell_type == "code"]


def test_playground_notebook_prints_b_row_sums_as_tensorflow_does(app, offered):
    book = execute(offered_notebook(app.open("playground", preset="so-question", seed="ones"), offered, "playground"))
    (cell,) = code_cells(book)
    printed = stdout(cell)
    assert printed.count(ROW_SUMS_LINE) == 5, printed  # the reference case, to the last digit
    dT, dB = tensors(printed)
    computed = core.tf_gradients(SO.T, SO.B, None, "float32")
    close(dT, computed.dT)
    close(dB, computed.dB)
    np.testing.assert_array_equal(dT.astype(np.float32), computed.dT.astype(np.float32))


def test_jacobian_notebook_with_one_entry_prints_the_shapes_and_column_0_of_b(app, offered):
    at = app.open("jacobian", preset="so-question", seed="entry:0,0")
    (cell,) = code_cells(execute(offered_notebook(at, offered, "jacobian")))
    printed = stdout(cell)
    assert printed.startswith("(5, 3, 5, 3) (5, 3, 3, 3) (5, 3, 3)\n"), printed
    assert COLUMN_0_LINE in printed
    (dT,) = tensors(printed)
    close(dT, core.tf_gradients(SO.T, SO.B, ENTRY_00, "float32").dT)
    assert not dT[1:].any()


def test_losses_notebook_with_the_mean_prints_the_seed_and_the_gradients(app, offered):
    at = app.open("losses", preset="so-question", loss="mean")
    (cell,) = code_cells(execute(offered_notebook(at, offered, "losses")))
    seed, dT, dB = tensors(stdout(cell))
    result = losses.loss_gradients(SO.T, SO.B, "mean", None, (0, 0), "float32")
    close(seed, result.seed_tf)
    close(seed, np.full((5, 3), 1 / 15))
    close(dT, result.from_loss.dT)
    close(dB, result.from_loss.dB)


def test_quiz_notebook_prints_the_asked_entry_and_then_the_answer(app, offered):
    problem = quiz_with_a_seed()
    at = app.open("quiz", q=str(problem.q))
    at.text_input(key=f"quiz_entry_{problem.q}").input("12345")
    (check,) = [b for b in at.button if b.label == t("quiz.check")]
    check.click()
    question, answer = code_cells(execute(offered_notebook(app.run(at), offered, "quiz")))
    (asked,) = tensors(stdout(question))
    assert asked.shape == ()
    assert float(asked) == problem.answer[problem.cell]  # integers, exactly
    dT, dB = tensors(stdout(answer))
    np.testing.assert_array_equal(dT if problem.wrt == "T" else dB, problem.answer)
    computed = core.tf_gradients(problem.T, problem.B, problem.G, "float64")
    np.testing.assert_array_equal(dT, computed.dT)
    np.testing.assert_array_equal(dB, computed.dB)


def test_frameworks_notebook_runs_all_nine_programs_as_the_page_says(app, offered):
    need("torch")
    need("jax")
    book = execute(offered_notebook(app.open("frameworks", preset="so-question"), offered, "frameworks"))
    comparison = fw.compare(SO.T, SO.B)
    snippets = [comparison.snippets[f][s] for s in fw.STEPS for f in fw.FRAMEWORKS]
    cells = code_cells(book)
    assert len(cells) == len(snippets) == 9
    for cell, snippet in zip(cells, snippets, strict=True):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if snippet.outcome.error:
            (error,) = errors
            assert (error.ename, error.evalue) == snippet.outcome.error
        else:
            assert errors == [], (snippet.framework, snippet.step, errors)
            # the reference case prints the page's text (PyTorch's and JAX's last digit may differ)
            assert_prints_as_the_page_says(snippet.framework, stdout(cell), snippet.outcome.text + "\n")
    assert stdout(cells[0]).split("\n")[0] == "[" + ROW_SUMS_LINE  # TensorFlow's default: B's row sums


def pitfall_outputs(at: AppTest) -> list[str]:
    """What the pitfalls page says each snippet printed (or raised), in page order."""
    blocks = [(c.language, c.value) for c in at.code]
    return [
        after[1]
        for (language, _), after in zip(blocks[1:], [*blocks[2:], ("python", "")], strict=True)
        if language == "python" and after[0] != "python"
    ]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pitfalls_page_offers_the_setup_and_every_snippet_the_failing_ones_tagged(app, offered, dtype):
    at = app.open("pitfalls", preset="so-question", dtype=dtype)
    book = offered_notebook(at, offered, "pitfalls")
    assert codes(book) == programs(at)
    assert codes(book)[0].startswith("import tensorflow as tf\n")
    raised = [text.split(":")[0].endswith("Error") for text in pitfall_outputs(at)]
    tagged = [cell.metadata.get("tags") == ["raises-exception"] for cell in code_cells(book)]
    assert tagged == [False, *raised]
    assert sum(tagged) == 3  # twice, the seed's shape, the seed's dtype


def test_pitfalls_notebook_prints_what_the_page_shows_under_each_snippet(app, offered):
    at = app.open("pitfalls", preset="so-question", dtype="float64")
    book = execute(offered_notebook(at, offered, "pitfalls"))
    setup, *snippets = code_cells(book)
    assert setup.outputs == []
    shown = pitfall_outputs(at)
    assert len(snippets) == len(shown) == 2 * 11
    for cell, text in zip(snippets, shown, strict=True):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            (error,) = errors
            assert text == f"{error.ename}: {error.evalue.strip()}".replace("\n", " "), cell.source
        else:
            # In a notebook TensorFlow logs to stdout: the integer pitfall's warning, which its text names
            printed = [line for line in stdout(cell).split("\n") if not line.startswith("WARNING:tensorflow:")]
            assert "\n".join(printed) == text + "\n", cell.source
