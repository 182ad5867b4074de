"""Deployment: the warm-start entry, the classroom config, compose.yaml and the Kubernetes manifests.

No Docker engine or cluster is needed. serve.py is started for real (on a free loopback port), the
config is checked against Streamlit's own option table, and deploy/*.yaml is validated against the
Kubernetes JSON schemas that the kubernetes-validate package ships (no network involved).
"""

from __future__ import annotations

import re
import shlex
import signal
import socket
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

import serve
from server import warmup
from tests.deploy.test_dockerfile import healthcheck_code, make_recipe, only
from tests.helpers.paths import ROOT
from tests.helpers.server import HEALTH, START_TIMEOUT_S, Server, free_port, healthy, serve_command

PORT = 8501


# --- serve.py: TensorFlow is loaded before the server answers -----------------------------------


def make_run_command(port: int) -> list[str]:
    """`make run`'s own serving command, with this interpreter, a free port and the loopback address."""
    _, recipe = make_recipe("run")
    line = next(line for line in recipe if "serve.py" in line)
    words = [sys.executable if w == "$(PY)" else str(port) if w == "$(PORT)" else w for w in shlex.split(line)]
    assert not [w for w in words if "$(" in w], f"unexpanded make variable in {line!r}"
    return [*words, "--server.address", "127.0.0.1"]


def tensorflow_mapped(pid: int) -> bool:
    """Whether TensorFlow's shared library is loaded in process `pid` (Linux /proc)."""
    return "libtensorflow" in Path(f"/proc/{pid}/maps").read_text()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Server, int]]:
    """`make run`'s command, up and healthy, with no browser session ever opened."""
    port = free_port()
    with Server(make_run_command(port), port=port) as server:
        server.wait_healthy(START_TIMEOUT_S, poll_s=0.2)
        yield server, port


def test_serve_py_runs_streamlit_on_app_py_with_the_options_it_is_given() -> None:
    args = serve.streamlit_args(["--server.port=1234", "--server.headless=true"])
    assert args == ["run", str(ROOT / "app.py"), "--server.port=1234", "--server.headless=true"]


def test_tensorflow_is_ready_before_streamlit_starts(served: tuple[Server, int]) -> None:
    """The log order: serve.py's READY line comes before anything Streamlit prints."""
    server, _ = served
    ready = server.wait_for_line(warmup.READY, timeout=10)
    started = server.wait_for_line("You can now view your Streamlit app", timeout=10)
    assert ready < started, "\n".join(server.lines)
    assert not [line for line in server.lines[:ready] if "streamlit" in line.lower()], "\n".join(server.lines)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_the_healthy_server_already_holds_tensorflow_before_any_visitor(served: tuple[Server, int]) -> None:
    """No session has run app.py yet, yet TensorFlow is in the server process: nobody waits for it."""
    server, port = served
    assert healthy(port)
    assert tensorflow_mapped(server.process.pid)


def test_sigterm_during_the_warm_up_exits_at_once() -> None:
    """What `docker stop` sends. As PID 1 in a container, an unhandled SIGTERM would be ignored."""
    server = Server(serve_command(free_port()))
    try:
        server.wait_for_line("importing TensorFlow", timeout=60)
    finally:
        code = server.stop()
    assert code == 128 + signal.SIGTERM, "\n".join(server.lines)
    assert server.index(warmup.READY) is None


def test_sigterm_stops_the_running_server_cleanly(served: tuple[Server, int]) -> None:
    """Last of the `served` tests: Streamlit's own handler takes over once it runs, and exits 0."""
    server, _ = served
    assert server.stop() == 0, "\n".join(server.lines)


# --- .streamlit/config.toml ---------------------------------------------------------------------

CLASSROOM = {
    "server.headless": True,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.maxUploadSize": 1,
    "server.maxMessageSize": 20,
    "browser.gatherUsageStats": False,
    "client.toolbarMode": "viewer",
    "client.showErrorDetails": "none",
}


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out |= flatten(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def config_toml() -> dict[str, Any]:
    return flatten(tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()))


def streamlit_options() -> dict[str, Any]:
    from streamlit import config

    config.get_config_options()
    assert config._config_options, "Streamlit's option table is empty"
    return dict(config._config_options)


def test_config_sets_the_classroom_options() -> None:
    settings = config_toml()
    assert {key: settings.get(key) for key in CLASSROOM} == CLASSROOM


def test_every_config_key_is_a_streamlit_option_of_the_right_type() -> None:
    options = streamlit_options()
    settings = config_toml()
    assert sorted(set(settings) - set(options)) == []
    for key, value in settings.items():
        default = options[key].default_val
        if default is not None:
            assert type(value) is type(default), f"{key} = {value!r}, but Streamlit's default is {default!r}"


def test_the_per_deployment_options_the_readme_names_exist() -> None:
    """server.baseUrlPath and server.allowedHosts are set per deployment, through the environment."""
    options = streamlit_options()
    assert options["server.baseUrlPath"].env_var == "STREAMLIT_SERVER_BASE_URL_PATH"
    assert options["server.allowedHosts"].env_var == "STREAMLIT_SERVER_ALLOWED_HOSTS"


# --- compose.yaml -------------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_builds_the_image_and_publishes_8501() -> None:
    app = compose()["services"]["app"]
    build = app["build"]
    assert (build if isinstance(build, str) else build.get("context", ".")) in (".", "./")
    published = {str(p) if not isinstance(p, dict) else f"{p['published']}:{p['target']}" for p in app["ports"]}
    assert any(re.fullmatch(rf"(\S+:)?{PORT}:{PORT}(/tcp)?", p) for p in published), published
    assert app["restart"] == "unless-stopped"


def test_compose_healthcheck_is_the_dockerfile_s() -> None:
    check = compose()["services"]["app"]["healthcheck"]
    assert check["test"] == ["CMD", "python", "-c", healthcheck_code()]
    assert {"interval", "timeout", "retries", "start_period"} <= set(check)


# --- deploy/: Kubernetes ------------------------------------------------------------------------


def manifests() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((ROOT / "deploy").glob("*.yaml")):
        found += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def resource(kind: str) -> dict[str, Any]:
    matches = [doc for _, doc in manifests() if doc["kind"] == kind]
    assert len(matches) == 1, f"expected one {kind} in deploy/, found {len(matches)}"
    return matches[0]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("schema validation tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_deploy_holds_a_deployment_a_service_and_an_ingress() -> None:
    assert sorted(doc["kind"] for _, doc in manifests()) == ["Deployment", "Ingress", "Service"]


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("name, doc", manifests(), ids=lambda v: v if isinstance(v, str) else v["kind"])
def test_manifest_is_valid_against_the_bundled_kubernetes_schema(name: str, doc: dict[str, Any]) -> None:
    """Strict: unknown fields are errors too. The schemas come with the package, not from the network."""
    try:
        kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(p) for p in error.path)
        pytest.fail(f"{name}: {doc['kind']} {path}: {error.message}")


def container() -> dict[str, Any]:
    containers = resource("Deployment")["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def container_port(port: int | str) -> int:
    """A container port by number or by name."""
    if isinstance(port, int):
        return port
    return next(p["containerPort"] for p in container()["ports"] if p.get("name") == port)


@pytest.mark.parametrize("probe", ["startupProbe", "readinessProbe", "livenessProbe"])
def test_probes_ask_streamlit_s_health_endpoint(probe: str) -> None:
    get = container()[probe]["httpGet"]
    assert get["path"] == HEALTH
    assert container_port(get["port"]) == PORT


def test_the_pod_runs_the_image_s_non_root_user() -> None:
    user, _, group = only("USER")[-1].partition(":")
    security = resource("Deployment")["spec"]["template"]["spec"]["securityContext"]
    assert security["runAsNonRoot"] is True
    assert (str(security["runAsUser"]), str(security["runAsGroup"])) == (user, group)


MEBI = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9, "": 1}


def quantity(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([KMG]i?)?", str(text)).groups()
    return int(number) * MEBI[unit or ""]


def test_memory_request_and_limit_are_set_and_ordered() -> None:
    resources = container()["resources"]
    request, limit = quantity(resources["requests"]["memory"]), quantity(resources["limits"]["memory"])
    assert 256 * MEBI["Mi"] <= request <= limit
    assert "cpu" in resources["requests"]


def test_memory_figures_say_where_they_come_from() -> None:
    assert "bench/memory_bench.py" in (ROOT / "deploy" / "deployment.yaml").read_text()


def test_compose_caps_memory_at_the_deployment_s_limit() -> None:
    limit = container()["resources"]["limits"]["memory"]
    assert quantity(compose()["services"]["app"]["mem_limit"].replace("m", "Mi").replace("g", "Gi")) == quantity(limit)


def test_service_selects_the_pods_and_keeps_each_client_on_one() -> None:
    service = resource("Service")
    labels = resource("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    assert [container_port(p["targetPort"]) for p in service["spec"]["ports"]] == [PORT]


def test_ingress_keeps_websockets_open_and_students_on_their_pod() -> None:
    ingress = resource("Ingress")
    notes = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert notes[prefix + "proxy-read-timeout"] == notes[prefix + "proxy-send-timeout"] == "3600"
    service = resource("Service")
    service_ports = {p["name"] for p in service["spec"]["ports"]} | {p["port"] for p in service["spec"]["ports"]}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == service["metadata"]["name"]
            assert next(iter(backend["port"].values())) in service_ports


def test_compose_keeps_class_data_in_a_healthy_postgres_with_a_volume() -> None:
    """Issue 22: a maintained PostgreSQL image, its data in a named volume, a health check the app waits for."""
    services = compose()["services"]
    db, app = services["postgres"], services["app"]
    assert db["image"].startswith("postgres:")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert app["environment"]["GRADFLOW_DATABASE_URL"].startswith("postgresql://")
    assert "@postgres:5432/" in app["environment"]["GRADFLOW_DATABASE_URL"]
    assert "gradflow-data:/data" in app["volumes"]  # SQLite's folder when the URL is removed
    assert {"gradflow-data", "gradflow-db"} <= set(compose()["volumes"])
    assert "GRADFLOW_DATA_DIR=/data" in (ROOT / "Dockerfile").read_text()


def test_the_deployment_reads_the_database_url_from_a_secret() -> None:
    env = {e["name"]: e for e in container()["env"]}
    ref = env["GRADFLOW_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] == "gradflow-db" and ref["key"] == "url"
    assert "value" not in env["GRADFLOW_DATABASE_URL"]  # never written into the manifest
    assert int(env["GRADFLOW_CLASS_DAYS"]["value"]) > 0


def test_kubernetes_gives_the_class_data_folder_a_volume() -> None:
    """The image's GRADFLOW_DATA_DIR (/data) is a mounted volume in each pod, not the container's own layer."""
    spec = resource("Deployment")["spec"]["template"]["spec"]
    mounts = {m["name"]: m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
    assert mounts.get("data") == "/data"
    assert {"name": "data", "emptyDir": {}} in spec["volumes"]


# --- GRADFLOW_WORKERS per deployment ------------------------------------------------------------


def image_env() -> dict[str, str]:
    """The Dockerfile's ENV settings (KEY=VALUE form)."""
    return dict(word.split("=", 1) for args in only("ENV") for word in shlex.split(args) if "=" in word)


def test_make_run_and_the_image_serve_on_every_core_by_default() -> None:
    """A lecture hall of 200 on two cores needs both (docs/speed.md); the environment may still say 1."""
    assert image_env()["GRADFLOW_WORKERS"] == "auto"
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export GRADFLOW_WORKERS ?= auto" in makefile.splitlines()  # `?=`: an exported value wins


def test_compose_and_kubernetes_run_one_worker_behind_their_proxy() -> None:
    """Behind a proxy every connection has one address, so extra workers would hold ~600 MiB for nobody."""
    assert compose()["services"]["app"]["environment"]["GRADFLOW_WORKERS"] == "1"
    env = {e["name"]: e for e in container()["env"]}
    assert env["GRADFLOW_WORKERS"]["value"] == "1"
