"""Two students on one server see only their own numbers; no state is shared between sessions.

The browser test opens two browser contexts (two Streamlit sessions) on the same server with
different share links, then interleaves their edits and clicks, including two reruns started at the
same moment. After every step each page must show its own matrices and gradients, computed here with
NumPy (Y = T @ B, dL/dT = G @ Bᵀ, dL/dB = Tᵀ @ G), and its own share link. Both students' matrices
have the same shapes (5×3 and 3×3), so a leak could not hide behind a change of shape. Each
student types a single edit; a second edit in one session, whose follow-up runs once carried a
stale URL that undid it, has a test of its own below.

The static tests read core/, ui/, server/ and pages/ (they need no browser; they live here until
the owner moves them next to the unit tests): what core/, ui/ and server/ keep at module level is
shared by every session of the process, so it must be constant; and every cache must be bounded.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page

import core
from tests.helpers.browser import (
    PLAYGROUND_CHARTS,
    assert_chart_shows,
    chart_values,
    click_chart_cell,
    new_context,
    query,
    script_state_changes,
    type_into_cell,
    wait_for_app,
)
from tests.helpers.paths import ROOT
from ui.text import text

SETTLE_MS = 3_000  # the two-edit test: the editors' follow-up runs are not started by the test


# --- two students ---------------------------------------------------------------------------------

SO = core.preset("so-question")
OWN_T = np.array([[1.0, 2, 0], [0, 1, 3], [2, 0, 1], [1, 1, 1], [3, 2, 1]])
OWN_B = np.array([[1.0, 0, 2], [0, 1, -1], [2, 1, 0]])


@dataclass
class Student:
    """One browser context (one session) and what its page must show."""

    name: str
    page: Page
    T: np.ndarray
    B: np.ndarray
    G: np.ndarray

    def expected(self) -> dict[str, np.ndarray]:
        T, B, G = self.T, self.B, self.G
        return {"T": T, "B": B, "Y": T @ B, "G": G, "dL/dT": G @ B.T, "dL/dB": T.T @ G}


def one_hot(i: int, j: int, shape: tuple[int, int] = (5, 3)) -> np.ndarray:
    G = np.zeros(shape)
    G[i, j] = 1.0
    return G


def shows_own_numbers(student: Student, other: Student) -> None:
    """Every chart of `student` shows its own values, and Y is not the other student's Y."""
    page = student.page
    for name, values in student.expected().items():
        assert_chart_shows(page, name, values)
    theirs = other.T @ other.B
    assert not np.allclose(chart_values(page, "Y"), theirs, rtol=6e-4), f"{student.name} shows {other.name}'s Y"
    link = query(page)
    if "T" in link:  # edited matrices travel in the link, to the last bit
        np.testing.assert_array_equal(core.parse_matrix(link["T"], "T"), student.T)
        np.testing.assert_array_equal(core.parse_matrix(link["B"], "B"), student.B)
    else:
        assert link.get("preset") == "so-question" and np.array_equal(student.T, SO.T), link
    assert link["seed"] == seed_text(student.G), link


def seed_text(G: np.ndarray) -> str:
    """The seed part of the share link for G (all ones, one entry, one row or one column)."""
    if np.all(G == 1):
        return "ones"
    cells = list(zip(*np.nonzero(G), strict=True))
    rows = {int(i) for i, _ in cells}
    cols = {int(j) for _, j in cells}
    if len(cells) == G.shape[1] and len(rows) == 1:
        return f"row:{rows.pop()}"
    if len(cells) == G.shape[0] and len(cols) == 1:
        return f"col:{cols.pop()}"
    (i, j), *_ = cells
    return f"entry:{i},{j}"


def both_show_their_own(a: Student, b: Student) -> None:
    shows_own_numbers(a, b)
    shows_own_numbers(b, a)


@pytest.fixture
def two_contexts(browser: Browser) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    contexts = []
    for _ in range(2):
        context = new_context(browser)
        contexts.append(context)
    yield contexts[0], contexts[1]
    for context in contexts:
        context.close()


def open_student(context: BrowserContext, app_url: str, name: str, link: str, T: np.ndarray, B: np.ndarray) -> Student:
    page = context.new_page()
    page.goto(f"{app_url}/?{link}")
    wait_for_app(page, charts=PLAYGROUND_CHARTS)
    return Student(name, page, T.copy(), B.copy(), np.ones((T.shape[0], B.shape[1])))


def seed_mode_radio(page: Page, option_key: str) -> Locator:
    group = page.get_by_test_id("stRadio").filter(has=page.get_by_text(text("pg.seed_mode"), exact=True))
    return group.get_by_text(text(option_key), exact=True)


def start_together(students: tuple[Student, ...], action: str) -> None:
    """Click the seed mode `action` on every page at once, then wait for every page's run."""
    before = {s.name: script_state_changes(s.page) for s in students}
    for s in students:
        seed_mode_radio(s.page, action).click()
    for s in students:
        wait_for_app(s.page, charts=PLAYGROUND_CHARTS, after=before[s.name])


def test_two_students_interleaved_keep_their_own_numbers(
    two_contexts: tuple[BrowserContext, BrowserContext], app_url: str
) -> None:
    # Each student types one edit: a second edit in a session is lost to an app bug of its own
    # (see test_an_edit_after_an_edit_of_the_other_matrix_is_kept), which must not mask a leak here.
    own_link = f"T={core.format_matrix(OWN_T)}&B={core.format_matrix(OWN_B)}&seed=ones"
    a = open_student(two_contexts[0], app_url, "A", "preset=so-question&seed=ones", SO.T, SO.B)
    b = open_student(two_contexts[1], app_url, "B", own_link, OWN_T, OWN_B)
    both_show_their_own(a, b)

    click_chart_cell(a.page, "Y", 1, 2)  # A seeds one entry of Y
    a.G = one_hot(1, 2)
    both_show_their_own(a, b)

    click_chart_cell(b.page, "Y", 3, 0)  # then B another
    b.G = one_hot(3, 0)
    both_show_their_own(a, b)

    start_together((a, b), "seed.row")  # two script runs on the server at the same time
    a.G = np.zeros((5, 3))
    a.G[1] = 1.0  # the row of the entry each had picked
    b.G = np.zeros((5, 3))
    b.G[3] = 1.0
    both_show_their_own(a, b)

    type_into_cell(a.page, "T", 0, 0, "2")  # A edits a cell of T
    a.T[0, 0] = 2.0
    both_show_their_own(a, b)

    type_into_cell(b.page, "B", 1, 2, "5")  # then B a cell of B
    b.B[1, 2] = 5.0
    both_show_their_own(a, b)

    start_together((b, a), "seed.col")  # together again, B first; from a row seed both get column 0
    a.G = np.zeros((5, 3))
    a.G[:, 0] = 1.0
    b.G = a.G.copy()
    both_show_their_own(a, b)

    for student in (a, b):  # a fresh session for each, built from its own share link
        student.page.reload()
        wait_for_app(student.page, charts=PLAYGROUND_CHARTS)
    both_show_their_own(a, b)


def test_an_edit_after_an_edit_of_the_other_matrix_is_kept(page: Page, app_url: str) -> None:
    link = f"T={core.format_matrix(OWN_T)}&B={core.format_matrix(OWN_B)}&seed=ones"
    page.goto(f"{app_url}/?{link}")
    wait_for_app(page, charts=PLAYGROUND_CHARTS)
    student = Student("A", page, OWN_T.copy(), OWN_B.copy(), np.ones((5, 3)))
    type_into_cell(page, "B", 1, 2, "5")
    student.B[1, 2] = 5.0
    type_into_cell(page, "T", 4, 1, "7")
    student.T[4, 1] = 7.0
    page.wait_for_timeout(SETTLE_MS)  # the editors' follow-up runs start by themselves
    wait_for_app(page, charts=PLAYGROUND_CHARTS)
    for name, values in student.expected().items():
        assert_chart_shows(page, name, values)
    np.testing.assert_array_equal(core.parse_matrix(query(page)["T"], "T"), student.T)


# --- no state shared between sessions (static) -----------------------------------------------------

SHARED_DIRS = ("core", "ui", "server")  # imported once per process: their module globals are shared by all sessions
ALL_DIRS = ("core", "ui", "server", "pages")  # pages/ are re-executed on every run: their top level is per run
EXTRA_FILES = ("app.py", "serve.py")  # serve.py: process set-up before Streamlit starts, no session code
CONSTANT_NAME = re.compile(r"_?[A-Z][A-Z0-9_]*|__\w+__")
PER_SESSION_ROOTS = ("st.session_state", "st.query_params")  # Streamlit's per-session objects
MUTATORS = frozenset(
    {
        *("append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault"),
        *("add", "discard", "sort", "reverse", "fill", "put", "itemset", "resize", "setflags"),
        *("__setitem__", "__delitem__", "__iadd__"),
    }
)
CACHE_DECORATORS = frozenset(
    {"cache", "lru_cache", "cache_data", "cache_resource", "memo", "singleton", "experimental_memo", "cached"}
)
BOUND_KEYWORDS = ("max_entries", "maxsize")
KNOWN_GLOBAL_WRITES = (  # (file, the statement, why it is acceptable)
    (
        "ui/common.py",
        "PagesManager.uses_pages_directory = False",
        "a deliberate, idempotent server-wide switch into st.navigation mode (see ensure_app_navigation)",
    ),
    ("core/engine.py", "os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL'", "process-wide TensorFlow log level, idempotent"),
    ("core/engine.py", "os.environ[ONEDNN_ENV] = '0'", "process-wide TensorFlow kernel choice, idempotent"),
    # Keras and JAX are blocked only while TensorFlow is imported (once per process, functools.cache)
    # and unblocked right after; tests/unit/test_engine.py checks both are importable again.
    ("core/engine.py", "sys.modules[name] = None", "an import blocked for TensorFlow's one import"),
    ("core/engine.py", "del sys.modules[name]", "the block lifted after TensorFlow's one import"),
    (
        "server/network.py",
        "net_util._external_ip = ",
        "Streamlit told its own address once by serve.py, before the server starts (server/network.py)",
    ),
    (
        "server/workers.py",
        "starlette_server._bind_socket = bind",
        "Streamlit's socket set-up replaced once by serve.py, before the server starts (docs/server.md)",
    ),
)


def sources(dirs: tuple[str, ...], extra: tuple[str, ...] = ()) -> list[Path]:
    files = [p for d in dirs for p in sorted((ROOT / d).glob("*.py"))]
    return files + [ROOT / f for f in extra if (ROOT / f).exists()]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def top_level_assignments(tree: ast.Module) -> Iterator[tuple[str, ast.stmt]]:
    """(name, statement) for every name bound at module level, including inside top-level if/try/with."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target] if getattr(node, "value", None) is not None else []
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                pending += [n for n in getattr(node, field, []) if isinstance(n, ast.stmt)]
            continue
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    yield name.id, node


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def mutable_parts(value: object, where: str, arrays: bool, seen: set[int] | None = None) -> list[str]:
    """Where `value` can be changed in place: mutable containers, non-frozen objects, (writeable arrays)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    atoms = (str, bytes, int, float, complex, bool, type(None), range, re.Pattern, np.generic, np.dtype, enum.Enum)
    if isinstance(value, atoms) or callable(value) or isinstance(value, (types.ModuleType, typing.TypeVar)):
        return []
    if isinstance(value, (types.GenericAlias, types.UnionType)) or type(value).__module__ == "typing":
        return []
    if isinstance(value, np.ndarray):
        return [f"{where} (writeable array)"] if arrays and value.flags.writeable else []
    if isinstance(value, (tuple, frozenset)):
        return [p for i, item in enumerate(value) for p in mutable_parts(item, f"{where}[{i}]", arrays, seen)]
    if isinstance(value, types.MappingProxyType):
        return [p for k, item in value.items() for p in mutable_parts(item, f"{where}[{k!r}]", arrays, seen)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = [
            p
            for f in dataclasses.fields(value)
            for p in mutable_parts(getattr(value, f.name), f"{where}.{f.name}", arrays, seen)
        ]
        return inner if type(value).__dataclass_params__.frozen else [f"{where} (not frozen)", *inner]
    if isinstance(value, (list, set, dict)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        inner = [p for k, item in items for p in mutable_parts(item, f"{where}[{k!r}]", arrays, seen)]
        return [f"{where} ({type(value).__name__})", *inner]
    return [f"{where} ({type(value).__name__})"]


def module_globals() -> Iterator[tuple[str, str, object]]:
    """(file, name, value) for every name core/, ui/ and server/ bind at module level by assignment."""
    for path in sources(SHARED_DIRS):
        module = importlib.import_module(module_name(path))
        for name, _ in top_level_assignments(ast.parse(path.read_text(encoding="utf-8"))):
            yield rel(path), name, getattr(module, name)


def is_per_session(value: object) -> bool:
    import streamlit as st

    return value is st.session_state or value is st.query_params


SHARED_ON_PURPOSE = {  # (file, name): why every session may share it
    ("server/turns.py", "TURNS"): "the queue in which runs take turns: only who runs and who waits, under a lock",
    ("ui/classes.py", "NEW_CLASSES"): "the per-client rate limit on new classes: must span sessions; under a lock",
    ("ui/classes.py", "ANSWERS"): "the per-session rate limit on answers: counts only, under a lock",
}


def test_module_level_state_in_core_ui_and_server_is_constant() -> None:
    """Lower-case module globals hold nothing mutable; UPPER_CASE constants may be plain containers
    of constants only because no code writes to them (the next test); shared arrays are read-only."""
    problems, by_convention = [], []
    for file, name, value in module_globals():
        if is_per_session(value) or (file, name) in SHARED_ON_PURPOSE:
            continue
        parts = mutable_parts(value, f"{file}:{name}", arrays=False)
        if not parts:
            continue
        containers_only = all(re.search(r"\((list|dict|set)\)$", p) for p in parts)
        if CONSTANT_NAME.fullmatch(name) and containers_only:
            by_convention.append(f"{file}:{name}")
        else:
            problems += parts
    assert not problems, "mutable module-level state shared by every session:\n" + "\n".join(problems)
    print("constants that are mutable containers, read-only by convention:", ", ".join(by_convention))


def root_and_chain(node: ast.expr) -> list[str]:
    """`a.b[c].d` → ['a', 'b', 'd']: the names along an attribute/subscript chain, root first."""
    chain: list[str] = []
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Attribute):
            chain.append(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Name):
        chain.append(node.id)
    return chain[::-1]


def imported_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def test_no_code_writes_to_module_level_state() -> None:
    """No statement in core/, ui/, server/, pages/ or app.py changes a module constant, another module's
    attributes, or a `global`: each would be seen by every session."""
    shared = {
        name
        for _, name, value in module_globals()
        if not is_per_session(value) and mutable_parts(value, name, arrays=True)
    }
    writes = []
    for path in sources(ALL_DIRS, ("app.py",)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = imported_names(tree)
        for node in ast.walk(tree):
            line = f"{rel(path)}:{getattr(node, 'lineno', '?')}: {ast.unparse(node)[:100]}"
            if isinstance(node, ast.Global):
                writes.append(line)
                continue
            targets: list[ast.expr] = []
            if isinstance(node, (ast.Assign, ast.Delete)):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                targets = [node.func.value]
            for target in targets:
                if not isinstance(target, (ast.Attribute, ast.Subscript)) and not isinstance(node, ast.Call):
                    continue  # rebinding a plain name is local to its scope (or a page's run)
                chain = root_and_chain(target)
                dotted = ".".join(chain)
                if any(dotted.startswith(root) for root in PER_SESSION_ROOTS) or not chain:
                    continue
                if shared & set(chain) or (chain[0] in imported and len(chain) > 1):
                    statement = ast.unparse(node)
                    if not any(rel(path) == f and known in statement for f, known, _ in KNOWN_GLOBAL_WRITES):
                        writes.append(line)
    assert not writes, "writes to state shared by every session:\n" + "\n".join(writes)


def test_arrays_shared_by_every_session_are_read_only() -> None:
    writeable = [
        p
        for file, name, value in module_globals()
        for p in mutable_parts(value, f"{file}:{name}", arrays=True)
        if p.endswith("(writeable array)")
    ]
    assert not writeable, "writeable arrays at module level:\n" + "\n".join(writeable)


def decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def bounded(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg in BOUND_KEYWORDS:
            return not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
    first = call.args[0] if call.args else None  # functools.lru_cache(128)
    return isinstance(first, ast.Constant) and isinstance(first.value, int)


def takes_no_arguments(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    a = function.args
    return not (a.posonlyargs or a.args or a.kwonlyargs or a.vararg or a.kwarg)


def test_every_cache_is_bounded_or_a_per_process_resource() -> None:
    """st.cache_data / st.cache_resource / functools caches: max_entries or maxsize, or no arguments
    (one value per process, like core.tensorflow()). tf.function traces: reduce_retracing or a signature."""
    unbounded, found = [], []
    for path in sources(ALL_DIRS, EXTRA_FILES):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        decorators = set()
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in function.decorator_list:
                decorators.add(id(decorator))
                name = decorator_name(decorator)
                where = f"{rel(path)}:{function.lineno} {function.name}() @{ast.unparse(decorator)}"
                if name in CACHE_DECORATORS:
                    found.append(where)
                    call_bounded = isinstance(decorator, ast.Call) and bounded(decorator)
                    if not (call_bounded or takes_no_arguments(function)):
                        unbounded.append(where)
                elif name == "function" and "tf" in ast.unparse(decorator):
                    found.append(where)
                    keywords = {k.arg for k in getattr(decorator, "keywords", [])}
                    if not keywords & {"reduce_retracing", "input_signature"}:
                        unbounded.append(where)
        for call in ast.walk(tree):  # cache(...) used as a plain call, e.g. lru_cache()(f)
            if isinstance(call, ast.Call) and id(call) not in decorators and decorator_name(call) in CACHE_DECORATORS:
                found.append(f"{rel(path)}:{call.lineno} {ast.unparse(call)[:80]}")
                if not bounded(call):
                    unbounded.append(found[-1])
    assert not unbounded, "caches that grow with every new input:\n" + "\n".join(unbounded)
    print("caches found:", *found, sep="\n  ")
