"""ui/matrix_editor.py: how cells are written and read, and what a tampered editor state falls back to."""

from __future__ import annotations

import pytest

from ui.matrix_editor import MAX_CELL_CHARS, cell_text, cell_value, committed_texts


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (1.0, "1"),
        (-0.53439844, "-0.53439844"),
        (1e16, "1e+16"),
        (0.1 + 0.2, "0.30000000000000004"),
        ("abc", "abc"),
    ],
)
def test_a_cell_is_written_exactly_and_an_empty_one_blank(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", 2.0), (" -1.5 ", -1.5), ("1e-3", 0.001), (".5", 0.5), ("", None), ("   ", None)],
)
def test_a_typed_number_is_read_as_a_float_and_blank_as_empty(text, value):
    assert cell_value(text) == value


@pytest.mark.parametrize("text", ["abc", "1,5", "−2", "nan", "inf", "1_0", "<b>1</b>"])
def test_anything_else_stays_the_text_typed_for_the_check_to_name(text):
    assert cell_value(text) == text


def test_what_the_editor_sent_is_used_when_it_is_a_grid_of_the_matrix_shape():
    assert committed_texts({"cells": [["1", ""], ["x", "2"]]}, 2, 2) == [["1", ""], ["x", "2"]]
    longest = "-" + "9" * (MAX_CELL_CHARS - 1)
    assert committed_texts({"cells": [[longest]]}, 1, 1) == [[longest]]


@pytest.mark.parametrize(
    "state",
    [
        None,
        {},
        {"cells": None},
        "cells",
        {"cells": "1,2;3,4"},
        {"cells": [["1", "2"]]},  # too few rows
        {"cells": [["1", "2"], ["3"]]},  # ragged
        {"cells": [["1", "2"], ["3", 4]]},  # not all text
        {"cells": [["1", "2"], "34"]},
        {"cells": [["1", "2"], ["3", "4" * 65]]},  # longer than a cell takes
    ],
)
def test_a_missing_or_tampered_state_is_ignored(state):
    assert committed_texts(state, 2, 2) is None
