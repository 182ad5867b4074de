"""A long session with ever new links keeps a bounded widget state (the soak's memory leak)."""

from __future__ import annotations

from tests.helpers.apptest import start


def _retained(at) -> tuple[int, int]:
    state = at._session_state._state  # SessionState under the AppTest's SafeSessionState
    return len(state._new_widget_state.widget_metadata), len(state._key_id_mapper.id_key_mapping)


def test_new_links_do_not_pile_up_widget_metadata():
    at = start(preset="so-question", seed="ones")
    sizes = []
    for i in range(8):
        for key in list(at.query_params):
            del at.query_params[key]
        at.query_params["T"] = f"{i},1;2,{i + 3}"
        at.query_params["B"] = f"1,{i};{i + 2},3"
        at.query_params["seed"] = "ones"
        at.run()
        assert not at.exception
        sizes.append(_retained(at))
    assert sizes[-1] == sizes[2], sizes  # each new link replaces the editors and charts, adds nothing
