"""Widget metadata that Streamlit 1.67 never prunes, pruned once per run so long sessions stay bounded.

app.py calls `forget_stale_widgets` at the top of every full run, inside the run's turn
(server/turns.py). Without it a session that keeps opening new links grows by ~33 KB a rerun:
bench/soak_bench.py measured +31.5 MiB per 1000 reruns before, +0.2 after (docs/speed.md), and
tests/app/test_widget_state_bounded.py fails without it. docs/server.md explains the whole server.
"""

from __future__ import annotations


def forget_stale_widgets() -> None:
    """Drop what Streamlit keeps of widgets that are gone, so a long session does not grow.

    Streamlit 1.67 removes a stale widget's value after a run but keeps its WidgetMetadata in the
    session forever (`SessionState._new_widget_state.widget_metadata`; `del st.session_state[key]`
    does not remove it either). The playground makes new widget ids all the time: its editor keys
    carry a version that every new link bumps, and a plotly chart's id hashes its figure. Each kept
    metadata holds the widget's deserializer (a data editor's holds its DataFrame) and its callback,
    and a callback defined in a page holds that run's whole page namespace: about 33 KB per rerun
    with changing links. Called once per full run, before any widget: after Streamlit's clean-up at
    the end of the previous run, a widget still alive has a value in the current or the compacted
    old state, so metadata of any other id belongs to a widget that is gone (and so does its entry
    in the user key <-> widget id map, which grows the same way). Private API: when it
    changes, this does nothing rather than break the page.
    """
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state

        safe = get_session_state()
        with safe._lock:
            state = safe._state
            widgets = state._new_widget_state
            alive = widgets.states.keys() | state._old_state.keys()
            for widget_id in [w for w in widgets.widget_metadata if w not in alive]:
                del widgets.widget_metadata[widget_id]
            ids = state._key_id_mapper  # user key <-> widget id, also never pruned
            for widget_id in [w for w in ids._id_key_mapping if w not in alive]:
                key = ids._id_key_mapping.pop(widget_id)
                if ids._key_id_mapping.get(key) == widget_id:
                    del ids._key_id_mapping[key]
    except (AttributeError, TypeError):
        return
