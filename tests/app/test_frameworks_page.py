"""The /frameworks page driven through Streamlit's AppTest, opened as a link would open it.

Each test starts its own session of app.py, opens /frameworks with a query string, and checks what
the page shows against core.frameworks: the nine programs, the PyTorch and JAX error messages, the
naming trap and the reference case's numbers. Bad links and bad numbers give a message, never a
traceback. (Whether the programs really do what the page says is tests/unit/test_frameworks.py's job.)
"""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core import frameworks as fw
from core.textforms import shortest_text
from tests.helpers.apptest import APP, TIMEOUT, url
from tests.helpers.apptest import values as texts
from ui.text import text as t

SO = core.preset("so-question")
ROW_SUMS = ["-0.17307831", "1.1900724", "2.245003"]  # every row of dL/dT, as float32 prints it
TORCH_ERROR = "RuntimeError: grad can be implicitly created only for scalar outputs"
JAX_ERROR = "TypeError: Gradient only defined for scalar-output functions. Output had shape: {shape}."


@pytest.fixture(scope="module", autouse=True)
def tensorflow_imported():
    """Import TensorFlow (and trace the Jacobian) before the first run, so no run waits seconds for it."""
    core.tf_jacobians(SO.T, SO.B)


# Run pages through app.py's st.navigation, as a server does, and record the pages it registers
# (tests/app/conftest.py). With a pages/ folder next to app.py, AppTest would otherwise run
# pages/frameworks.py on its own (Streamlit's legacy multipage mode) after switching to it; see
# tests/app/test_teaching_pages.py.
pytestmark = pytest.mark.usefixtures("app_navigation")


def open_frameworks(**query: str) -> AppTest:
    """A fresh session: the app's first page, then /frameworks?query… as a link opens it."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/frameworks.py")
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("fw.title")
    return at


def programs(at: AppTest) -> list[str]:
    return [c.value for c in at.code if c.language == "python"]


def outputs(at: AppTest) -> list[str]:
    return [c.value for c in at.code if c.language != "python"]


def tables(at: AppTest) -> list[list[list[str]]]:
    return [[[str(x) for x in row] for row in df.value.to_numpy()] for df in at.dataframe]


def test_the_page_is_in_the_apps_navigation(app_navigation):
    open_frameworks(preset="so-question")
    assert app_navigation and all(t("nav.frameworks") in titles for titles in app_navigation)


def test_reference_case_three_frameworks_their_errors_the_trap_and_the_numbers():
    at = open_frameworks(preset="so-question")
    comparison = fw.compare(SO.T, SO.B)
    # the nine programs, as core writes them, three per framework
    code = programs(at)
    assert code == [comparison.snippets[f][s].code.rstrip("\n") for s in fw.STEPS for f in fw.FRAMEWORKS]
    assert [c.split("\n")[0] for c in code] == ["import tensorflow as tf", "import torch", "import jax"] * 3
    for c in code:
        assert "[[0.43842274, -0.53439844, -0.07710262]," in c  # B, to the last digit
        assert "[0.0948, 0.2637, 0.8039]]" in c  # T's last row
    # the default behaviours: TensorFlow's silence, PyTorch's and JAX's errors verbatim
    assert texts(at.warning) == [t("fw.tensorflow.default")]
    assert texts(at.error) == [t("fw.pytorch.default"), t("fw.jax.default")]
    assert TORCH_ERROR in outputs(at)
    assert JAX_ERROR.format(shape=(5, 3)) in outputs(at)
    # the numbers: seven dL/dT tables (TensorFlow's default, three seeded, three from the Jacobian)
    dT_tables = [table for table in tables(at) if len(table) == 5]
    assert dT_tables == [[ROW_SUMS] * 5] * 7
    dB = shortest_text(core.tf_gradients(SO.T, SO.B).dB)
    assert [table for table in tables(at) if len(table) == 3] == [dB] * 7
    assert ["2.5954", "2.5954", "2.5954"] in dB
    assert "torch.Size([5, 3, 5, 3])\ntorch.Size([5, 3, 3, 3])" in outputs(at)
    assert outputs(at).count("(5, 3, 5, 3)\n(5, 3, 3, 3)") == 2  # TensorFlow and JAX
    # the naming trap
    assert t("fw.trap_heading") in texts(at.subheader)
    trap = [m for m in texts(at.markdown) if "the Jacobian-vector product would be computed" in m]
    assert trap == [t("fw.trap")]
    assert "**vᵀJ**" in trap[0] and "vector-Jacobian" in trap[0]
    # where the numbers come from, the check against the formula, the link
    assert texts(at.info) == [t("fw.numbers_source", dtype="float32", torch="2.13.0", jax="0.10.2")]
    assert texts(at.success)[0].startswith("TensorFlow's seeded gradients agree with the formulas")
    assert "Showing **so-question**: T is 5×3, B is 3×3, seed `ones`, float32." in texts(at.markdown)
    assert url(at) == {"preset": "so-question", "seed": "ones"}


def test_a_one_entry_seed_is_written_into_the_seeded_programs_and_gives_column_0_of_b():
    at = open_frameworks(preset="so-question", seed="entry:0,0")
    code = programs(at)
    assert "G = torch.tensor([[1, 0, 0]," in code[4]
    assert "G = jnp.array([[1, 0, 0]," in code[5]
    assert "output_gradients=G" in code[3]
    dT_tables = [table for table in tables(at) if len(table) == 5]
    assert dT_tables[0] == [ROW_SUMS] * 5  # TensorFlow's default ignores the seed: all ones
    column_0 = ["0.43842274", "1.5658046", "1.4204658"]
    assert dT_tables[1:] == [[column_0] + [["0.0", "0.0", "0.0"]] * 4] * 6
    assert not [c for c in texts(at.caption) if c == t("fw.seed_default")]
    assert url(at) == {"preset": "so-question", "seed": "entry:0,0"}


def test_a_1x1_product_pytorch_accepts_as_a_scalar_and_jax_still_refuses():
    at = open_frameworks(T="2", B="3")
    assert t("fw.pytorch.default_scalar", message=fw.TORCH_SCALAR_ERROR[1]) in texts(at.warning)
    assert TORCH_ERROR not in outputs(at)
    assert JAX_ERROR.format(shape=(1, 1)) in outputs(at)
    assert tables(at)[:4] == [[["3.0"]], [["2.0"]], [["3.0"]], [["2.0"]]]  # TF and PyTorch defaults


def test_a_negative_zero_shows_tensorflows_sign_and_plus_minus_where_a_kernel_decides():
    at = open_frameworks(T="-0", B="2")
    assert "T = tf.constant([[-0.0]], dtype=tf.float32)" in programs(at)[0]
    # dL/dT, dL/dB of TensorFlow and PyTorch (default), then of all three (seeded, Jacobian)
    tensorflow, other = [[["2.0"]], [["-0.0"]]], [[["2.0"]], [["±0.0"]]]
    assert tables(at) == tensorflow + other + (tensorflow + other + other) * 2
    captions = [c for c in texts(at.caption) if c.startswith("±0.0")]
    assert captions == [t("fw.zero_sign", framework=name) for name in ["PyTorch"] + ["PyTorch", "JAX"] * 2]
    assert url(at) == {"T": "-0", "B": "2", "seed": "ones"}


def test_float64_programs_turn_on_jax_x64_and_show_float64_digits():
    at = open_frameworks(preset="so-question", dtype="float64")
    code = programs(at)
    assert all('jax.config.update("jax_enable_x64", True)' in c for c in code[2::3])
    assert all(".float64" in c and ".float32" not in c for c in code)
    assert t("fw.jax_x64") in texts(at.caption)
    expected = shortest_text(core.tf_gradients(SO.T, SO.B, None, "float64").dT)
    assert tables(at)[0] == expected
    assert url(at) == {"preset": "so-question", "seed": "ones", "dtype": "float64"}


def test_a_tampered_link_names_t_in_a_warning_and_shows_the_reference_case():
    at = open_frameworks(preset="so-question", T="abc")
    assert "The link's “T” value was not used: T[0,0] is “abc”, which is not a number." in texts(at.warning)
    assert "Showing **so-question**: T is 5×3, B is 3×3, seed `ones`, float32." in texts(at.markdown)
    assert len(programs(at)) == 9
    assert tables(at)[0] == [ROW_SUMS] * 5
    assert url(at) == {"preset": "so-question", "seed": "ones"}


def test_numbers_too_large_for_float32_give_the_overflow_message_not_a_traceback():
    at = open_frameworks(T="1e30,1e30", B="1e30;1e30")
    (error,) = texts(at.error)
    assert error.startswith("These numbers are too large for float32")
    assert programs(at) == []
    assert not at.dataframe


def test_the_tables_hold_every_digit_tensorflow_prints():
    T, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.1, 0.2], [0.3, 0.7]])
    at = open_frameworks(T="1,2;3,4", B="0.1,0.2;0.3,0.7", seed="weights:1,-2;0.5,3")
    G = np.array([[1.0, -2.0], [0.5, 3.0]])
    seeded = core.tf_gradients(T, B, G)
    assert tables(at)[2:4] == [shortest_text(seeded.dT), shortest_text(seeded.dB)]  # TensorFlow, seeded
    assert "G = tf.constant([[1, -2]," in programs(at)[3]
