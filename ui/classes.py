"""What the class pages share: the one store per process, the rate limits, links and the QR code.

The store is created (and the database migrated, old classes purged) on first use, once per
process; if the database cannot be reached, nothing is cached and the next run tries again. The
rate limits live in this process's memory only, keyed by the browser session (answers) or the
client's address (new classes), which is never stored.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

import streamlit as st

import store
from core import classroom
from core.classroom import RateLimiter
from core.quiz import QuizCheck

REFRESH_SECONDS = 2
"""How often the dashboard reads the class again (the issue asks for at most 3 s)."""
FOLLOW_SECONDS = 5
"""How often a student's page asks whether the teacher put a new problem or ended the class: one
small query per student per 5 s (200 students: 40 a second, each a fragment run of ~2 ms)."""
NEW_CLASSES = RateLimiter(capacity=5, rate=1 / 60)
"""Per client address: 5 classes at once, then one a minute."""
ANSWERS = RateLimiter(capacity=20, rate=1.0)
"""Per browser session: a burst of 20 checks, then one a second (a class shares one address behind NAT)."""


@st.cache_resource(show_spinner=False, max_entries=4)  # one database URL per process, in practice
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


# --- a student in a class (the quiz with ?class=CODE) ----------------------------------------------

MAX_PENDING = 200
"""Answers a session keeps while the database is away (a bound on the session's size)."""


def class_status(code: str) -> tuple[store.ClassInfo | None, bool]:
    """(the class, or None if there is no such class; whether the database answered)."""
    db = class_store()
    if db is None:
        return None, False
    try:
        return db.class_info(code), True
    except store.StoreError:
        return None, False


def teachers_new_problem(info: store.ClassInfo) -> int | None:
    """The problem the teacher put in front of the class, if this session has not switched to it yet."""
    if info.problem is None or info.problem == st.session_state.get("class_seen_problem"):
        return None
    return info.problem


@st.fragment(run_every=FOLLOW_SECONDS)
def follow_teacher(code: str) -> None:
    """Rerun the student's whole page when the teacher puts a new problem or ends the class.

    The quiz page switches to the teacher's problem (once) on its next run; without this a student
    would see it only after their next Check. Polled in a fragment, so a poll that finds nothing
    new reruns nothing else, and the answer being typed in the form is untouched.
    """
    info, reachable = class_status(code)
    if not reachable or info is None:
        return  # the page already says so; the next poll tries again
    if teachers_new_problem(info) is not None or info.ended is not None:
        st.rerun(scope="app")


def join(code: str, nickname: str) -> None:
    """Count this session as a student of the class (once per nickname); retried on a later run if it fails."""
    ss = st.session_state
    nickname = classroom.clean_nickname(nickname)
    if ss.get("class_joined") == (code, nickname):
        return
    db = class_store()
    try:
        if db is not None:
            db.join(code, session_id(), nickname)
            ss.class_joined = (code, nickname)
    except store.StoreError:
        pass


def queue_answer(code: str, q: int, check: QuizCheck, nickname: str) -> None:
    """Keep one Check in the session, with a fresh answer id, until it is written (`flush`)."""
    ss = st.session_state
    answer = {
        "answer_id": uuid.uuid4().hex,
        "code": code,
        "problem": q,
        "entered": [(i, j, e.predicted) for e in check.entries for i, j in [e.cell]],
        "right": check.correct,
        "at": datetime.now(UTC),
        "nickname": classroom.clean_nickname(nickname),
    }
    pending = ss.setdefault("class_pending", [])
    pending.append(answer)
    del pending[:-MAX_PENDING]
    ss.class_last = answer["answer_id"]
    ss.class_outcome = "pending"


def flush() -> None:
    """Write the session's waiting answers, oldest first; stop at the first that cannot be written now.

    Each is written with its own answer id, so an answer whose write succeeded but whose reply was
    lost is not stored twice. An ended or unknown class drops its answers (they cannot be collected).
    """
    ss = st.session_state
    pending = ss.get("class_pending", [])
    db = class_store() if pending else None
    while pending and db is not None:
        answer = pending[0]
        if not ANSWERS.allow(session_id()):
            ss.class_outcome = "limited"  # the rest waits for the session's next run
            break
        try:
            db.record_answer(
                answer["code"],
                answer_id=answer["answer_id"],
                anon_id=session_id(),
                problem=answer["problem"],
                entered=answer["entered"],
                right=answer["right"],
                nickname=answer["nickname"],
                at=answer["at"],
            )
            outcome = "saved"
        except store.ClassEndedError:
            outcome = "ended"
        except store.UnknownClassError:
            outcome = "unknown"
        except store.StoreError:
            break
        pending.pop(0)
        if answer["answer_id"] == ss.get("class_last"):
            ss.class_outcome = outcome


def last_outcome() -> tuple[str | None, int]:
    """What became of the last Check ('saved', 'pending', 'limited', 'ended', 'unknown' or None) and how many wait."""
    ss = st.session_state
    return ss.get("class_outcome"), len(ss.get("class_pending", []))
