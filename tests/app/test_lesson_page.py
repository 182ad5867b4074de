"""The playground's lesson at a glance, as AppTest sees it: the live sentence, B's row sums and the
link to dL/dT, the stepper through a sum, what changed, and the presenter view."""

from __future__ import annotations

import json

import numpy as np

from core.figures import FONT
from core.presets import PRESETS
from tests.helpers.apptest import chart_titles, edit, start, url, values
from ui import playground as ps
from ui.present import FONT as PRESENT_FONT

SO = PRESETS["so-question"]
SENTENCE = "**Every row of dL/dT is B's row sums: −0.1731, 1.19, 2.245.**"


def specs(at) -> dict[str, dict]:
    """Each chart's figure by its title's first word (B, dL/dT, …)."""
    found = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"].split(" ")[0]: s for s in found if "title" in s["layout"]}


def frames(spec: dict, dash: str, width: float | None = None) -> list[tuple[int, int]]:
    """The cells framed with line style `dash` (and `width`) in a chart's spec."""
    return [
        (round((s["y0"] + s["y1"]) / 2), round((s["x0"] + s["x1"]) / 2))
        for s in spec["layout"].get("shapes", [])
        if s["type"] == "rect" and s["line"].get("dash") == dash and width in (None, s["line"]["width"])
    ]


def corners(spec: dict) -> int:
    return sum(1 for s in spec["layout"].get("shapes", []) if s["type"] == "path")


def test_the_first_thing_after_the_seed_is_the_sentence_and_the_lesson_row():
    at = start(preset="so-question")
    assert values(at.info)[0] == SENTENCE
    assert chart_titles(at)[:3] == ["B (3×3) and its row sums Σ", "dL/dT (5×3)", "dL/dB (3×3)"]
    b = specs(at)["B"]
    assert b["data"][1]["text"][3::4] == ["−0.1731", "1.19", "2.245"]  # the Σ column
    assert specs(at)["dL/dT"]["data"][1]["textfont"]["size"] == FONT


def test_the_sentence_follows_the_seed():
    at = start(preset="so-question", seed="entry:2,1")
    assert values(at.info)[0] == "**Row 2 of dL/dT is column 1 of B: −0.5344, −0.1012, 1.261. Every other row is 0.**"
    assert chart_titles(at)[0] == "B (3×3)"  # no row sums: this lesson is about a column of B
    at = start(preset="so-question", seed="col:2", lang="zh")
    assert values(at.info)[0] == "**dL/dT 的每一行都是 B 的第 2 列：−0.0771, −0.2745, −0.4364。**"


def test_following_a_row_of_b_frames_it_and_the_column_of_dl_dt_it_becomes():
    at = start(preset="so-question")
    at.selectbox(key="w_link").set_value("1").run()
    assert at.session_state[ps.KEY].link == 1
    assert frames(specs(at)["B"], "dot") == [(1, 0), (1, 1), (1, 2), (1, 3)]
    assert frames(specs(at)["dL/dT"], "dot") == [(i, 1) for i in range(5)]
    at.selectbox(key="w_link").set_value("none").run()
    assert frames(specs(at)["dL/dT"], "dot") == []


def test_the_stepper_walks_every_term_with_its_running_total():
    at = start(preset="so-question", focus="dT:0,0")
    assert frames(specs(at)["B"], "dash") == [(0, 0), (0, 1), (0, 2)]
    at.button(key="w_step_start").click().run()
    totals = []
    for p in (1, 2, 3):
        text = [v for v in values(at.markdown) if v.startswith(f"Term {p} of 3")]
        assert text, values(at.markdown)
        totals.append(text[0].split("Running total: **")[1].rstrip("*."))
        assert frames(specs(at)["B"], "solid", 5) == [(0, p - 1)]  # the current term, heavy
        assert frames(specs(at)["seed"], "solid", 5) == [(0, p - 1)]
        assert (0, p - 1) not in frames(specs(at)["B"], "dash")
        if p < 3:
            at.button(key="w_step_next").click().run()
    assert totals == ["0.43842274", "−0.0959757", "−0.17307832"]
    assert at.button(key="w_step_next").disabled
    assert any("All 3 terms added: dL/dT[0,0] = **−0.17307832**" in v for v in values(at.success))
    at.button(key="w_step_all").click().run()
    assert at.session_state[ps.KEY].step == 0 and not frames(specs(at)["B"], "solid", 5)


def test_an_edit_of_t_marks_what_changed_and_says_dl_dt_could_not():
    at = start(preset="so-question")
    assert not [c for c in values(at.caption) if "did not change" in c]
    edit(at, "T", {(1, 1): 2.5})
    assert "dL/dT did not change: dL/dT = G @ Bᵀ has no T in it." in values(at.caption)
    shown = specs(at)
    assert corners(shown["T"]) == 1 and corners(shown["Y"]) == 3  # T[1,1]; Y's row 1
    assert corners(shown["dL/dT"]) == 0 and corners(shown["dL/dB"]) == 3  # dL/dB's row 1
    at.run()  # a rerun without an edit: nothing changed, nothing marked
    assert corners(specs(at)["T"]) == 0
    assert not [c for c in values(at.caption) if "did not change" in c]


def test_the_presenter_view_enlarges_numbers_folds_the_check_and_stays_in_the_link():
    at = start(preset="so-question", present="1")
    assert specs(at)["dL/dT"]["data"][1]["textfont"]["size"] == PRESENT_FONT
    assert at.expander[0].label == "Check, code and numbers"
    assert url(at)["present"] == "1"
    assert values(at.code)[-1].endswith("present=1")  # the share link
    assert at.toggle(key="w_present").value
    at.toggle(key="w_present").set_value(False).run()
    assert "present" not in url(at)
    assert specs(at)["dL/dT"]["data"][1]["textfont"]["size"] == FONT


def test_a_bad_present_value_is_named_and_ignored():
    at = start(preset="so-question", present="banana")
    assert not at.exception
    assert any("present" in w and "banana" in w for w in values(at.warning))
    assert specs(at)["dL/dT"]["data"][1]["textfont"]["size"] == FONT
    assert np.allclose(SO.B.sum(axis=1)[0], -0.17307832)
