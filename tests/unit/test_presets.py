"""core.presets: the named examples a teacher opens with one click or `?preset=NAME`."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core import DEFAULT_PRESET, PRESETS, Preset, preset

SO_T = [
    [0.8363, 0.4719, 0.9783],
    [0.3379, 0.6548, 0.3835],
    [0.7846, 0.9173, 0.2393],
    [0.5418, 0.3875, 0.4276],
    [0.0948, 0.2637, 0.8039],
]
SO_B = [
    [0.43842274, -0.53439844, -0.07710262],
    [1.5658046, -0.1012345, -0.2744976],
    [1.4204658, 1.2609464, -0.43640924],
]


def test_the_presets_there_are():
    assert set(PRESETS) >= {"so-question", "identity", "small-integers", "random"}
    assert DEFAULT_PRESET == "so-question"
    assert DEFAULT_PRESET in PRESETS


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_is_valid_and_compatible(name):
    p = preset(name)
    assert isinstance(p, Preset)
    assert p.name == name
    assert p.description().strip()
    for M in (p.T, p.B):
        assert isinstance(M, np.ndarray)
        assert M.dtype == np.float64
        assert M.ndim == 2
        assert min(M.shape) >= 1
        assert max(M.shape) <= core.MAX_DIM
        assert np.isfinite(M).all()
    assert p.T.shape[1] == p.B.shape[0]
    T, B = core.check_product(p.T, p.B)
    np.testing.assert_array_equal(T, p.T)
    np.testing.assert_array_equal(B, p.B)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_survives_its_text_form(name):
    p = preset(name)
    np.testing.assert_array_equal(core.parse_matrix(core.format_matrix(p.T), "T"), p.T)
    np.testing.assert_array_equal(core.parse_matrix(core.format_matrix(p.B), "B"), p.B)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_gives_agreeing_gradients(name):
    p = preset(name)
    tf64 = core.tf_gradients(p.T, p.B, dtype="float64")
    a = core.analytic_gradients(p.T, p.B)
    np.testing.assert_allclose(tf64.dT, a.dT, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tf64.dB, a.dB, rtol=1e-12, atol=1e-12)


def test_so_question_values_are_the_design_digits():
    p = preset("so-question")
    assert p.T.shape == (5, 3)
    assert p.B.shape == (3, 3)
    assert p.T.tolist() == SO_T
    assert p.B.tolist() == SO_B


def test_identity_preset():
    p = preset("identity")
    assert p.T.tolist() == SO_T
    np.testing.assert_array_equal(p.B, np.eye(3))
    np.testing.assert_array_equal(core.analytic_gradients(p.T, p.B).dT, np.ones((5, 3)))


def test_small_integers_preset():
    p = preset("small-integers")
    np.testing.assert_array_equal(p.T, [[1, 2, 0], [3, -1, 2]])
    np.testing.assert_array_equal(p.B, [[2, 1], [0, -1], [1, 3]])


def test_random_preset_is_fixed_and_rounded():
    p = preset("random")
    assert p.T.shape == (4, 3)
    assert p.B.shape == (3, 2)
    for M in (p.T, p.B):
        np.testing.assert_array_equal(M, np.round(M, 2))
        assert np.all(np.abs(M) <= 1)
    rng = np.random.default_rng(2024)
    np.testing.assert_array_equal(p.T, np.round(rng.uniform(-1, 1, (4, 3)), 2))
    np.testing.assert_array_equal(p.B, np.round(rng.uniform(-1, 1, (3, 2)), 2))


@pytest.mark.parametrize("name", ["nope", "", "SO-QUESTION", "so question", "x" * 1000])
def test_unknown_preset_lists_the_names(name):
    with pytest.raises(core.InputError) as info:
        preset(name)
    assert info.value.key == "err.preset_unknown"
    message = str(info.value)
    assert "no preset called" in message
    for known in PRESETS:
        assert known in message
    assert len(message) < 300
