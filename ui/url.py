"""The address bar and the playground's state: one way in (`load`), one way out (`publish`).

A share link is read once into the session's `Playground` (core.problem.from_query names each bad
parameter and replaces it), and every run that shows a problem writes it back (core.problem.to_query),
so the address bar is always a share link of what is on screen. Nothing else reads or writes the
problem's URL parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from core import problem as qs
from ui import language, present, viewport
from ui.playground import KEY, OWN_QUERIES, new_playground, state

Query = tuple[tuple[str, str], ...]


def query_key(query: Mapping[str, str]) -> Query:
    """A query as a hashable, order-free value: how a session recognises the URLs it wrote itself."""
    return tuple(sorted(query.items()))


def remembered(own: tuple[Query, ...], query: Mapping[str, str], limit: int) -> tuple[Query, ...]:
    """`own` with `query` as the newest of the last `limit` URLs this session wrote (see `load`)."""
    key = query_key(query)
    return (*(q for q in own if q != key), key)[-limit:]


def load() -> None:
    """Load the problem the URL describes on a session's first run, or when a link changed it.

    Moving between pages drops the query string, and every successful run writes the state back
    into it. So a URL that is empty, unchanged since the previous run (a callback may have loaded
    a preset the URL does not show yet, or a run may have stopped on bad input before writing),
    or equal to one this session wrote recently means "keep the session's state". Recently, not
    only last: the browser sends each rerun with the address bar it has, so a rerun an edit
    triggers can still carry the URL from before the previous run's write; taking that for a new
    link would undo the edit.
    """
    query = {key: value for key, value in st.query_params.to_dict().items() if key in qs.PARAMS}
    if KEY not in st.session_state:
        problem, errors = qs.from_query(query)
        first = new_playground(problem)
        first.url_errors, first.seen_query = errors, query
        st.session_state[KEY] = first
        return
    s = state()
    changed = query != s.seen_query  # by a link or the address bar, not by this session
    s.seen_query = query
    if not query or not changed or query_key(query) in s.own_queries:
        return
    problem, errors = qs.from_query(query)
    s.url_errors = errors
    s.load(problem)


def current_problem() -> qs.Problem:
    """The last valid problem of this session (what pages other than the playground show)."""
    load()
    return state().problem


def publish(problem: qs.Problem, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Remember `problem` and write it (a page's own `extra` parameters and the language too) into the URL.

    Written only when it changed, so the address bar is always a share link of what is shown.
    Returns the link's parameters without the language (`share_link` adds it): the page's share
    link and notebook use them.
    """
    s = state()
    s.problem = problem
    params = qs.to_query(problem)
    s.own_queries = remembered(s.own_queries, params, OWN_QUERIES)
    s.seen_query = params  # our own write is no change "from outside" next run
    shared = params | dict(extra or {})
    write(shared | language.url_param() | present.url_param())
    return shared


def write(query: Mapping[str, str]) -> None:
    """Make the address bar show exactly `query`, writing only when it differs.

    Every page that keeps its state in the URL (the playground, /chain, /teacher) writes through
    here, so an unchanged address never costs the browser a history entry or a rerun.
    """
    query = dict(query)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def share_link(query: Mapping[str, str]) -> str:
    """This page's address with `query` (and the language): what a page shows as its share link."""
    base = st.context.url or ""
    base += "/" if base.count("/") == 2 else ""  # the site root: http://host:port/?…
    query = dict(query) | language.url_param() | present.url_param()
    return f"{base}?{urlencode(query, safe=',;:')}"  # '+' in 1e+16 becomes %2B


def pop_url_errors() -> list[qs.ParamError]:
    """The bad parameters of the link just loaded, once (a page names each in a warning)."""
    if KEY not in st.session_state:  # a page that shows no problem (the quiz) loads none
        return []
    s = state()
    errors, s.url_errors = s.url_errors, []
    return viewport.once("url_errors", errors)
