"""The compressing proxy of compose.yaml: deploy/nginx/gradflow.conf, as nginx itself reads it.

bench/bytes_bench.py measures what it saves; here: compose mounts it where the nginx image reads
it, it points at the app's service and port, compresses what Streamlit sends uncompressed, and
upgrades the WebSocket. Where nginx is installed, `nginx -t` parses the file as bytes_bench serves it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "gradflow.conf"
sys.path.insert(0, str(ROOT / "bench"))

from bytes_bench import nginx_conf  # noqa: E402


def test_compose_puts_the_proxy_in_front_of_the_healthy_app() -> None:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["depends_on"] == {"app": {"condition": "service_healthy"}}
    assert "./deploy/nginx/gradflow.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert proxy["ports"] == ["8080:80"]


def test_the_proxy_compresses_scripts_and_upgrades_the_websocket() -> None:
    text = CONF.read_text()
    assert "server app:8501;" in text and "listen 80;" in text
    assert "gzip on;" in text and "application/javascript" in text and "gzip_proxied any;" in text
    stream = text[text.index("location /_stcore/stream") :]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Host $http_host;" in stream  # Streamlit compares it with Origin


def test_nginx_accepts_the_file(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (bench/bytes_bench.py needs it too)")
    conf = nginx_conf(tmp_path, 8501, 8080)
    done = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
