"""Running the programs the pages show as a learner does, and reading what they print.

`run_fresh` runs programs in one new interpreter, each in an empty namespace (as a new file would
run: a missing import is a NameError), and returns what each printed or raised. `tensors` reads the
`tf.Tensor(...)` values a program printed back into arrays.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

RUNNER = """
import contextlib, io, json, sys
programs = json.load(open(sys.argv[1]))
out = []
for source in programs:
    printed = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "<copied>", "exec"), {"__name__": "__main__"})
    except Exception as e:
        error = [type(e).__name__, str(e).strip().replace("\\n", " ")]
    out.append({"printed": printed.getvalue(), "error": error})
print(json.dumps(out))
"""


def run_fresh(programs: list[str], folder: Path) -> list[dict]:
    """Each program run in one new interpreter, each with an empty namespace: what it printed or raised.

    Each result is {"printed": stdout, "error": [type name, message on one line] or None}.
    """
    (folder / "programs.json").write_text(json.dumps(programs))
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(folder / "programs.json")],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def as_shown(result: dict) -> str:
    """A fresh run's outcome as /pitfalls writes it: what it printed, or `ErrorType: message`."""
    if result["error"]:
        return f"{result['error'][0]}: {result['error'][1]}"
    return result["printed"].rstrip("\n")


NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")
TENSOR = re.compile(r"tf\.Tensor\(\s*(.*?), shape=\(([\d, ]*)\), dtype=(\w+)\)", re.DOTALL)


def tensors(text: str) -> list[np.ndarray]:
    """Every `tf.Tensor(...)` a program printed, as float64 arrays of its shape."""
    found = []
    for body, shape, _ in TENSOR.findall(text):
        dims = tuple(int(d) for d in shape.replace(" ", "").split(",") if d)
        found.append(np.array([float(x) for x in NUMBER.findall(body)]).reshape(dims))
    return found


def assert_prints_as_the_page_says(framework: str, printed: str, shown: str, dtype: str = "float32") -> None:
    """TensorFlow prints `shown` exactly; PyTorch and JAX may put a number a float step or two away.

    The page computes every framework's output with TensorFlow (oneDNN off, as `core` imports it).
    PyTorch and JAX add a product's terms in the order their CPU kernels choose, so the last bit of
    a sum, and with it the last printed digit, can differ, as /frameworks says (on a CPU with
    AVX-512, PyTorch 2.13 prints -0.1730783 for the reference case where the page shows
    -0.17307831). Everything else, the words, shapes and line breaks, must be as shown.
    """
    if framework == "tensorflow":
        assert printed == shown
        return
    assert printed.count("\n") == shown.count("\n"), (printed, shown)
    got, want = NUMBER.findall(printed), NUMBER.findall(shown)
    assert " ".join(NUMBER.split(printed)).split() == " ".join(NUMBER.split(shown)).split(), (printed, shown)
    assert len(got) == len(want), (printed, shown)
    kind = np.dtype(dtype).type
    for g, w in zip(got, want, strict=True):
        step = float(np.spacing(abs(kind(float(w)))))
        assert abs(float(g) - float(w)) <= 2 * step, f"{g} is more than two float steps from the page's {w}"
