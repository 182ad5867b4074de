"""What the class pages share: the one store per process, the rate limits, links and the QR code.

The store is created (and the database migrated, old classes purged) on first use, once per
process; if the database cannot be reached, nothing is cached and the next run tries again. The
rate limits live in this process's memory only, keyed by the browser session (answers) or the
client's address (new classes), which is never stored.
"""

from __future__ import annotations

import io
import uuid

import streamlit as st

import store
from core.classroom import RateLimiter

REFRESH_SECONDS = 2
"""How often the dashboard reads the class again (the issue asks for at most 3 s)."""
NEW_CLASSES = RateLimiter(capacity=5, rate=1 / 60)
"""Per client address: 5 classes at once, then one a minute."""
ANSWERS = RateLimiter(capacity=20, rate=1.0)
"""Per browser session: a burst of 20 checks, then one a second (a class shares one address behind NAT)."""


@st.cache_resource(show_spinner=False)
def _store(url: str) -> store.ClassStore:
    store.migrate(url)  # raises when unreachable: nothing is cached, the next run retries
    class_store = store.ClassStore(url)
    class_store.purge_older_than(store.class_days())
    return class_store


def class_store() -> store.ClassStore | None:
    """The process's store, or None while the database cannot be reached."""
    try:
        return _store(store.database_url())
    except store.StoreError:
        return None


def session_id() -> str:
    """This browser session's anonymous id (random; nothing about the person)."""
    ss = st.session_state
    if "class_anon_id" not in ss:
        ss.class_anon_id = uuid.uuid4().hex
    return ss.class_anon_id


def client_address() -> str:
    """The client's address for the new-class limit (kept in memory only), else the session's id."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a server (AppTest) there is none
        address = None
    return address if isinstance(address, str) and address else session_id()  # AppTest gives a mock


def page_url(page: str, query: dict[str, str]) -> str:
    """The absolute address of `page` (its url_path) with `query`, on the server the reader uses."""
    from urllib.parse import urlencode

    here = (st.context.url or "").split("?", 1)[0].split("#", 1)[0]
    base = here.rsplit("/", 1)[0] if here.count("/") > 2 else here  # drop this page's name, keep a base path
    return f"{base}/{page}?{urlencode(query)}"


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG bytes, large enough to scan from the back of a room."""
    import qrcode

    image = qrcode.make(text, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
