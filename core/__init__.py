"""Gradflow's core: gradients of Y = T @ B by TensorFlow, by formula and by finite differences.

A plain library with no Streamlit in it, usable from a notebook::

    import core
    p = core.preset("so-question")
    core.tf_gradients(p.T, p.B).dT        # five identical rows: B's row sums
    core.tf_chain(X, W1, W2, act="tanh").dW1   # backprop through two layers, one tape

TensorFlow is imported on the first call that needs it, once per process.
"""

from core import seeds
from core.chain import (
    CHAIN_PRESETS,
    Chain,
    ChainCheck,
    ChainProblem,
    as_two_playgrounds,
    chain_formulas,
    chain_numeric,
    check_chain,
    check_chain_gradients,
    tf_chain,
)
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
    "CHAIN_PRESETS",
    "DEFAULT_PRESET",
    "MAX_DIM",
    "MAX_TEXT_LENGTH",
    "PRESETS",
    "Chain",
    "ChainCheck",
    "ChainProblem",
    "Contributions",
    "Gradients",
    "InputError",
    "Preset",
    "Result",
    "SeedSpec",
    "analytic_gradients",
    "as_matrix",
    "as_two_playgrounds",
    "chain_formulas",
    "chain_numeric",
    "check_chain",
    "check_chain_gradients",
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
    "tf_chain",
    "tf_gradients",
    "tf_jacobians",
]
