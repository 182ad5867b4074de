"""The language switch through AppTest: `lang=zh` opens the app in Chinese with the same numbers.

The switch lives in app.py's sidebar and the language in the URL (`lang=`), so a teacher's link
opens in the class's language. Every check compares the Chinese page with the English one: the
words change, the numbers, code and URL state do not.
"""

from __future__ import annotations

import numpy as np
import pytest

import core
from core import explain
from tests.helpers.apptest import edit, shown, start, url, values
from ui.text import CATALOGUES, text

ZH = CATALOGUES["zh"]  # core's sentences and the pages'

SO = core.preset("so-question")


@pytest.fixture(scope="module", autouse=True)
def tensorflow_imported():
    """Import TensorFlow before the first AppTest run, so no run waits for the import (seconds)."""
    core.tf_gradients(SO.T, SO.B)


def language_radio(at):
    (radio,) = [r for r in at.sidebar.radio if r.key == "w_lang"]
    return radio


def test_lang_zh_opens_the_playground_in_chinese_with_the_same_numbers():
    english, chinese = start(preset="so-question"), start(preset="so-question", lang="zh")
    assert not chinese.exception
    assert chinese.title[0].value == ZH["pg.title"]
    assert text("pg.intro", "zh") in values(chinese.markdown)
    assert language_radio(chinese).value == "zh"
    for name in ("T", "B", "Y", "G", "dL/dT", "dL/dB"):
        np.testing.assert_array_equal(shown(chinese, name), shown(english, name))
    assert chinese.code[0].value == english.code[0].value  # code stays code
    assert url(chinese) == url(english) | {"lang": "zh"}
    assert chinese.code[-1].value.endswith("?preset=so-question&seed=ones&lang=zh")  # the share link
    assert explain.all_ones_sentence(SO.B, "zh") in values(chinese.info)


def test_switching_language_keeps_the_problem_and_writes_lang_into_the_url():
    at = start(preset="small-integers", seed="row:1")
    assert url(at) == {"preset": "small-integers", "seed": "row:1"}  # English links stay as they were
    language_radio(at).set_value("zh").run()
    assert at.title[0].value == ZH["pg.title"]
    assert url(at) == {"preset": "small-integers", "seed": "row:1", "lang": "zh"}
    before = shown(at, "dL/dT")
    language_radio(at).set_value("en").run()
    assert at.title[0].value == text("pg.title")
    assert url(at)["lang"] == "en"
    np.testing.assert_array_equal(shown(at, "dL/dT"), before)


def test_chinese_stays_on_after_an_edit_and_a_seed_change():
    at = start(preset="so-question", lang="zh")
    edit(at, "T", {(0, 0): 2.0})
    (mode,) = [r for r in at.radio if r.key == "w_seed_mode"]
    assert mode.options[0] == ZH["seed.ones"]
    mode.set_value("row").run()
    assert not at.exception
    assert at.title[0].value == ZH["pg.title"]
    assert url(at)["lang"] == "zh" and url(at)["seed"] == "row:0"
    assert shown(at, "T")[0, 0] == 2.0


def test_bad_input_is_explained_in_chinese():
    at = start(preset="so-question", lang="zh")
    edit(at, "T", {(1, 2): None})
    assert values(at.error) == [ZH["err.empty_cell"].format(name="T", i=1, j=2)]


def test_a_bad_link_parameter_is_named_in_chinese():
    at = start(T="1,2;3", lang="zh")
    (warning,) = at.warning
    assert warning.value.startswith(ZH["err.url_param"].split("{")[0] + "T")


@pytest.mark.parametrize("raw", ["fr", "", "<b>zh</b>", "zh" * 5000])
def test_an_unknown_language_is_named_and_english_is_used(raw):
    at = start(lang=raw)
    assert not at.exception
    (warning,) = at.warning
    assert "“lang”" in warning.value and len(warning.value) < 200
    assert at.title[0].value == text("pg.title")
    assert "lang" not in url(at)  # the bad value is dropped from the link
