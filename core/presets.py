"""Named example matrices a teacher can put on screen in one click or one URL (`?preset=NAME`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.strings import clip, text
from core.textforms import parse_matrix


@dataclass(frozen=True)
class Preset:
    """A pair T, B, with a one-line description (in the strings catalogue) of what it is good for in class."""

    name: str
    T: np.ndarray
    B: np.ndarray

    def __post_init__(self) -> None:
        # Every session that opens a preset shares these arrays: read-only, so no in-place write
        # anywhere could change another student's matrices.
        self.T.setflags(write=False)
        self.B.setflags(write=False)

    def description(self, lang: str = "en") -> str:
        """What the preset is good for, in `lang` (key `preset.NAME` of core.strings)."""
        return text(f"preset.{self.name}", lang)


def _random_pair() -> tuple[np.ndarray, np.ndarray]:
    """Fixed-seed random matrices rounded to two decimals, so the numbers stay readable."""
    rng = np.random.default_rng(2024)
    return np.round(rng.uniform(-1, 1, (4, 3)), 2), np.round(rng.uniform(-1, 1, (3, 2)), 2)


_SO_T = parse_matrix(
    "0.8363,0.4719,0.9783;0.3379,0.6548,0.3835;0.7846,0.9173,0.2393;0.5418,0.3875,0.4276;0.0948,0.2637,0.8039",
    "T",
)
_SO_B = parse_matrix(
    "0.43842274,-0.53439844,-0.07710262;1.5658046,-0.1012345,-0.2744976;1.4204658,1.2609464,-0.43640924",
    "B",
)

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("so-question", _SO_T, _SO_B),
        Preset(
            "identity",
            _SO_T,
            np.eye(3),
        ),
        Preset(
            "small-integers",
            parse_matrix("1,2,0;3,-1,2", "T"),
            parse_matrix("2,1;0,-1;1,3", "B"),
        ),
        Preset("random", *_random_pair()),
    )
}

DEFAULT_PRESET = "so-question"


def preset(name: str) -> Preset:
    """The preset called `name`, or an InputError listing the ones there are."""
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError("err.preset_unknown", name=clip(name), names=", ".join(PRESETS)) from None
