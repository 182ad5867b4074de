"""The session's interface language: chosen by the link (`lang=zh`), else the browser, else English.

Every page looks its sentences up through `t`, which reads the language from the session, so a
page never passes it around; `t` finds a key among core's sentences and the pages' alike
(`ui.text`). app.py calls `choose_language` before the page runs: it settles the language for
this run and draws the switch at the top of the sidebar, on every page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.errors import InputError
from core.strings import DEFAULT_LANGUAGE, LANGUAGES, clip, language_for_locale
from ui import viewport
from ui.text import text

PARAM = "lang"
"""The URL parameter carrying the language, so that a shared link opens in the class's language."""


def language() -> str:
    """This session's language (English until app.py has chosen one, e.g. a page run on its own)."""
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def t(key: str, **params: Any) -> str:
    """The sentence for `key` in this session's language."""
    return text(key, language(), **params)


def translator() -> Callable[..., str]:
    """`t` bound to this run's language, for a page's `format_func` lambdas.

    A widget's format function may be called outside the script run (AppTest does, to map a value
    back to its label), where the session is not at hand; a bound language gives the same labels.
    """
    return functools.partial(text, lang=language())


MARKDOWN = re.compile(r"([\\`*_\[\]()<>!~|$#])")
"""Characters that make markdown of plain text: links, images, emphasis, code, HTML, maths."""
AUTOLINK = re.compile(r"(?i)(\bhttps?|\bftp|\bwww)([:.])|(@)")
"""Where GitHub-flavoured markdown makes a link of plain text (`http:`, `https:`, `ftp:`, `www.`,
mail addresses). A backslash does not stop it; an invisible word joiner (U+2060) inside does."""


def inert(value: str) -> str:
    """`value` with its markdown characters backslash-escaped, so it shows as typed and does nothing.

    Alerts render markdown; a message quotes what a student typed or a link carried, and
    `![](http://…)` there would make every reader's browser fetch an image.
    """
    escaped = MARKDOWN.sub(r"\\\1", value)
    return AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u2060" + (m.group(2) or m.group(3)), escaped)


def error_text(error: InputError) -> str:
    """A bad-input message in this session's language, the quoted user text made inert."""
    params = {key: inert(value) if isinstance(value, str) else value for key, value in error.params.items()}
    return text(error.key, language(), **params)


def url_param() -> dict[str, str]:
    """`{"lang": …}` for a page that rewrites its URL, so the share link keeps the language.

    Empty for English unless the link named it, so English links stay as they were.
    """
    lang = language()
    return {PARAM: lang} if lang != DEFAULT_LANGUAGE or PARAM in st.query_params else {}


def _on_switch() -> None:
    st.session_state.lang = st.session_state.w_lang
    st.query_params[PARAM] = st.session_state.lang


def choose_language() -> None:
    """Settle this run's language and draw the switch; a bad `lang=` value is named in a warning."""
    ss = st.session_state
    raw = st.query_params.get(PARAM)
    if raw in LANGUAGES:
        ss.lang = raw
    elif "lang" not in ss:
        ss.lang = language_for_locale(st.context.locale)
    bad = raw is not None and raw not in LANGUAGES
    if bad:
        del st.query_params[PARAM]  # warned once; the link is repaired below or left without it
    shown = viewport.once("lang_error", raw if bad else None)
    if shown is not None:
        message = t("err.choice", text=inert(clip(shown)), choices=", ".join(LANGUAGES))
        st.warning(t("err.url_param", param=PARAM, message=message), icon="🔗")
    if st.query_params.get(PARAM) != ss.lang and ss.lang != DEFAULT_LANGUAGE:
        st.query_params[PARAM] = ss.lang  # the page's link opens in the language it is read in
    ss.w_lang = ss.lang
    st.sidebar.radio(
        t("lang.label"),
        list(LANGUAGES),
        key="w_lang",
        format_func=LANGUAGES.__getitem__,
        on_change=_on_switch,
        horizontal=True,
    )
