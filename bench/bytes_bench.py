"""Bytes over a classroom network: a cold first page, straight from Streamlit and through the proxy.

    .venv/bin/python bench/bytes_bench.py [--goal-mb 2.5] [--nginx /usr/sbin/nginx]

Starts the server as `make run` does (`python serve.py` on a free port of 127.0.0.1) and, in front
of it, nginx serving deploy/nginx/gradflow.conf, the file compose.yaml mounts into its proxy, with
only the upstream address and the listening port replaced. A fresh Chromium context (an empty
cache: a student's first visit) opens the playground through each, waits until every chart has
drawn its numbers, and counts what crossed the network, from Chromium's own accounting (DevTools
protocol): every HTTP response's encoded length (headers and body, compressed where it was) and
every WebSocket frame received. Prints both totals, the largest responses, and whether the proxy's
total meets the goal (default ≤ 2.5 MB, 10⁶ bytes); exits 1 when it does not, 2 without nginx
(`apt-get install nginx-light`). A benchmark, not a test: `make test` never runs it.

The floor, in the same run: the one-heatmap Streamlit page of bench/first_chart_bench.py, behind
its own copy of the same proxy, measured the same way. What Streamlit and its Plotly chunk alone
move is fixed for as long as the charts are drawn with st.plotly_chart.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ws_client import Server as FloorServer  # noqa: E402

from tests.helpers.browser import PLAYGROUND_CHARTS, find_chromium, launch_chromium, new_context, wait_for_app  # noqa: E402
from tests.helpers.server import Server, free_port, healthy, serve_command  # noqa: E402

CONF = ROOT / "deploy" / "nginx" / "gradflow.conf"
DAEMON_OFF = ("-g", "daemon off;")  # nginx in the foreground, stopped by this script


def nginx_conf(folder: Path, upstream_port: int, port: int) -> Path:
    """A whole nginx.conf around deploy/nginx/gradflow.conf, pointed at 127.0.0.1:upstream_port."""
    site = CONF.read_text()
    for old, new in (
        ("server app:8501;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
    ):
        assert old in site, f"{CONF} no longer holds {old!r}"
        site = site.replace(old, new)
    temp = folder / "temp"
    temp.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(
        f"worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n"
        + "".join(
            f"  {kind}_temp_path {temp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + site
        + "\n}\n"
    )
    return conf


def first_page_bytes(browser, url: str, floor: bool = False) -> tuple[int, int, list[tuple[int, str]]]:
    """(HTTP bytes, WebSocket bytes received, the largest responses) of a cold first page at `url`:
    the playground, or (`floor`) the one-heatmap page, which writes its numbers as heatmap labels."""
    context = new_context(browser)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    frames: list[int] = []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.on("Network.webSocketFrameReceived", lambda e: frames.append(frame_bytes(e["response"])))
    page.goto(url)
    if floor:
        page.wait_for_selector(".js-plotly-plot .heatmap-label text", timeout=90_000)
    else:
        wait_for_app(page, charts=PLAYGROUND_CHARTS)
    page.wait_for_timeout(1500)  # late chunks (fonts, the icons) and the last frames
    context.close()
    largest = sorted(((size, urls.get(rid, "?")) for rid, size in sizes.items()), reverse=True)[:25]
    return sum(sizes.values()), sum(frames), largest


def frame_bytes(response: dict) -> int:
    data = response.get("payloadData", "")
    return len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())


def megabytes(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--goal-mb", type=float, default=2.5)
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    args = parser.parse_args()
    if not Path(args.nginx).exists():
        print("bytes: skipped, nginx is not installed (apt-get install nginx-light)")
        sys.exit(2)
    chromium = find_chromium()
    if chromium is None:
        print("bytes: skipped, Chromium is not installed")
        sys.exit(2)
    app_port, proxy_port, floor_proxy_port = free_port(), free_port(), free_port()
    floor = FloorServer("heatmap")
    try:
        with (
            tempfile.TemporaryDirectory() as folder,
            tempfile.TemporaryDirectory() as floor_folder,
            Server(serve_command(app_port), port=app_port) as server,
        ):
            floor.start()
            server.wait_healthy(180)
            sites = ((app_port, proxy_port, folder), (floor.port, floor_proxy_port, floor_folder))
            proxies = [
                subprocess.Popen(
                    [args.nginx, "-c", str(nginx_conf(Path(where), upstream, port)), "-p", where, *DAEMON_OFF]
                )
                for upstream, port, where in sites
            ]
            try:
                started = time.time()
                while not (healthy(proxy_port) and healthy(floor_proxy_port)) and time.time() - started < 10:
                    time.sleep(0.05)
                with sync_playwright() as playwright:
                    browser = launch_chromium(playwright, chromium)
                    direct = first_page_bytes(browser, f"http://127.0.0.1:{app_port}/")
                    proxied = first_page_bytes(browser, f"http://127.0.0.1:{proxy_port}/")
                    floor_proxied = first_page_bytes(browser, f"http://127.0.0.1:{floor_proxy_port}/", floor=True)
                    browser.close()
            finally:
                for proxy in proxies:
                    proxy.terminate()
                    proxy.wait(10)
    finally:
        floor.stop()
    for name, (http, ws, largest) in (
        ("straight from Streamlit", direct),
        ("through the nginx proxy", proxied),
        ("floor (one heatmap, Streamlit alone) through the same proxy", floor_proxied),
    ):
        print(f"cold first page, {name}: {megabytes(http + ws)} (HTTP {megabytes(http)}, WebSocket {megabytes(ws)})")
        for size, url in largest[:12] if name.startswith("floor") else largest:
            print(f"    {megabytes(size):>9}  {url.rsplit('/', 1)[-1][:70]}")
    total = proxied[0] + proxied[1]
    floor_total = floor_proxied[0] + floor_proxied[1]
    print(
        f"through the proxy, Gradflow moves {megabytes(total - floor_total)} more than the floor "
        f"({megabytes(floor_total)}: Streamlit and its Plotly chunk, fixed while the charts are st.plotly_chart)"
    )
    verdict = "met" if total <= args.goal_mb * 1e6 else "MISSED"
    print(f"goal: a cold first page through the proxy ≤ {args.goal_mb:g} MB: {megabytes(total)}, {verdict}")
    sys.exit(0 if verdict == "met" else 1)


if __name__ == "__main__":
    main()
