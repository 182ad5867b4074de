"""server/network.py (Streamlit's own address, from the settings) and the remembered trial import."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit import net_util

from server import network, warmup


@pytest.mark.parametrize(
    ("value", "host"),
    [
        (None, "localhost"),
        ("", "localhost"),
        ("gradflow.school.example", "gradflow.school.example"),
        ("https://gradflow.school.example/gradflow", "gradflow.school.example"),
        ("10.0.0.5:8501", "10.0.0.5"),
    ],
)
def test_the_host_of_a_server_address(value, host):
    assert network.address_host(value) == host


def test_the_command_line_address_wins_in_both_spellings():
    assert network.server_address(["--server.port=1", "--browser.serverAddress=a.example"]) == "a.example"
    assert network.server_address(["--browser.serverAddress", "b.example", "--x"]) == "b.example"
    assert network.server_address(["--server.port", "8501"]) is None


def test_streamlit_is_told_its_address_and_never_looks_it_up(monkeypatch):
    monkeypatch.setattr(net_util, "_external_ip", None)
    monkeypatch.setattr(net_util, "_make_blocking_http_get", lambda *a, **k: pytest.fail("looked up"))
    assert network.answer_own_address_from_settings(["--browser.serverAddress=gradflow.school.example"])
    assert net_util.get_external_ip() == "gradflow.school.example"


@pytest.fixture
def places(tmp_path: Path, monkeypatch) -> list[Path]:
    files = [tmp_path / "unwritable" / "probe", tmp_path / "cache" / "probe"]
    (tmp_path / "unwritable").write_text("a file where a folder should be")  # mkdir fails: the next place
    monkeypatch.setattr(warmup, "probe_places", lambda: files)
    return files


def test_a_successful_trial_import_is_remembered_and_not_repeated(places, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(warmup, "probe_key", lambda: "key-1")
    monkeypatch.setattr(warmup, "probe_tensorflow", lambda timeout_s=600: calls.append(1))
    assert warmup.probe_tensorflow_once() is None and warmup.probe_tensorflow_once() is None
    assert len(calls) == 1 and places[1].read_text() == "key-1\n"
    monkeypatch.setattr(warmup, "probe_key", lambda: "key-2")  # TensorFlow reinstalled, or another CPU
    assert warmup.probe_tensorflow_once() is None and len(calls) == 2


def test_a_failed_trial_import_is_never_remembered(places, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(warmup, "probe_key", lambda: "key-1")
    monkeypatch.setattr(warmup, "probe_tensorflow", lambda timeout_s=600: calls.append(1) or "killed by SIGILL")
    assert warmup.probe_tensorflow_once() == warmup.probe_tensorflow_once() == "killed by SIGILL"
    assert len(calls) == 2 and not places[1].exists()


def test_the_key_names_this_tensorflow_and_changes_with_its_files(tmp_path, monkeypatch):
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)  # as in serve.py: found, not imported
    key = warmup.probe_key()
    assert key is not None and len(key) == 64 and key == warmup.probe_key()
    fake = tmp_path / "tensorflow"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert warmup.probe_key() not in (None, key)
