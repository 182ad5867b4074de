"""Set for the whole test process before anything imports TensorFlow.

The app imports TensorFlow through `core`, which turns oneDNN's kernels off first (see
`core.engine.ONEDNN_ENV`: on a CPU with AVX-512 they add in another order and print -0.1730783
for the reference case instead of -0.17307831). A test that runs a page's program in-process
(`import tensorflow as tf`) before any test imported it through `core` would otherwise leave
oneDNN on for every later test, and for the Jupyter kernels they start, which inherit this
environment: the page's numbers and the programs' would then depend on the order tests run in.
"""

import os

from core.engine import ONEDNN_ENV

os.environ[ONEDNN_ENV] = "0"
