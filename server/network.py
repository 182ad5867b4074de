"""A server that never asks the internet for its own address: no stall on a network without DNS.

Streamlit 1.67 looks up the machine's external IP address (an HTTP request to checkip.amazonaws.com)
in two places:

- at start-up, for the "External URL" line it prints, when `server.headless` is on and neither
  `browser.serverAddress` nor a specific `server.address` is set (`make run`; the image's 0.0.0.0);
- in the WebSocket origin check, for a cross-origin connection (a proxy that rewrites `Host`, or a
  page on another origin) whose host is not localhost, `browser.serverAddress` or the machine's own
  LAN address: the external address is tried *before* `server.corsAllowedOrigins`.

Its 1 s timeout covers the HTTP request, not the DNS lookup before it: where the resolver does not
answer (a school network without DNS, a container without a resolver) the lookup waits for the
resolver's timeouts, about 20 s, on the server's event loop, so every student waits with it. A
failed lookup is not cached, so in the origin check it happens again for each such connection.

Configuration removes the first: every way of running Gradflow sets `browser.serverAddress` (the
Makefile, the Dockerfile, compose and deploy/ pass it; docs/deployment.md says what to put there).
It removes the second for the origins that are allowed (the address students type is that
setting); `answer_own_address_from_settings` removes it for every other origin too, which a
stranger could otherwise use to stall the server at will: Streamlit's cached answer is set, before
it starts, to the host of `browser.serverAddress`, which the origin check allows anyway, so no
origin is allowed that was not, and none costs a lookup.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_ADDRESS = "localhost"
"""What `browser.serverAddress` is when nothing sets it (the address `make run` prints)."""


def address_host(server_address: str | None) -> str:
    """The host name in a `browser.serverAddress` value ("gradflow.school.example", "10.0.0.5", …)."""
    value = (server_address or "").strip()
    if not value:
        return DEFAULT_ADDRESS
    host = urlsplit(value if "//" in value else f"//{value}").hostname
    return host or DEFAULT_ADDRESS


def server_address(options: list[str]) -> str | None:
    """`browser.serverAddress` as the command line sets it (`--browser.serverAddress=X` or `… X`)."""
    flag = "--browser.serverAddress"
    value = None
    for k, option in enumerate(options):
        if option.startswith(flag + "="):
            value = option.split("=", 1)[1]
        elif option == flag and k + 1 < len(options):
            value = options[k + 1]
    return value


def answer_own_address_from_settings(options: list[str]) -> bool:
    """Give Streamlit its external address from `browser.serverAddress` instead of a lookup.

    `options` is the Streamlit command line: its `--browser.serverAddress` wins over the
    environment (STREAMLIT_BROWSER_SERVER_ADDRESS) and .streamlit/config.toml, as in Streamlit.
    Returns False when Streamlit has no such cache any more (a newer Streamlit: the offline test in
    tests/deploy then fails and says so).
    """
    from streamlit import config, net_util

    if not hasattr(net_util, "_external_ip"):
        return False
    given = server_address(options) or config.get_option("browser.serverAddress")
    net_util._external_ip = address_host(given)  # Streamlit's cache of the lookup (see the module)
    return True
