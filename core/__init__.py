"""Gradflow's core: gradients of Y = T @ B by TensorFlow, by formula and by finite differences.

A plain library with no Streamlit in it, usable from a notebook::

    import core
    p = core.preset("so-question")
    core.tf_gradients(p.T, p.B).dT        # five identical rows: B's row sums

TensorFlow is imported on the first call that needs it, once per process.
"""

from core import seeds
from core.engine import (
    Contributions,
    Gradients,
    analytic_gradients,
    contract,
    contributions,
    numeric_gradients,
    tensorflow,
    tensorflow_problem,
    tf_batch_jacobian,
    tf_gradients,
    tf_jacobians,
)
from core.errors import InputError
from core.limits import MAX_DIM, MAX_TEXT_LENGTH
from core.presets import DEFAULT_PRESET, PRESETS, Preset, preset
from core.result import Result, compute
from core.seeds import SeedSpec, format_seed, parse_seed
from core.textforms import format_matrix, parse_matrix
from core.validate import as_matrix, check_product, check_seed

__all__ = [
    "DEFAULT_PRESET",
    "MAX_DIM",
    "MAX_TEXT_LENGTH",
    "PRESETS",
    "Contributions",
    "Gradients",
    "InputError",
    "Preset",
    "Result",
    "SeedSpec",
    "analytic_gradients",
    "as_matrix",
    "check_product",
    "check_seed",
    "compute",
    "contract",
    "contributions",
    "format_matrix",
    "format_seed",
    "numeric_gradients",
    "parse_matrix",
    "parse_seed",
    "preset",
    "seeds",
    "tensorflow",
    "tensorflow_problem",
    "tf_batch_jacobian",
    "tf_gradients",
    "tf_jacobians",
]
