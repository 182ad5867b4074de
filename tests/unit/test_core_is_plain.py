"""`core` is a plain library: no Streamlit, and TensorFlow only when a computation needs it."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.paths import ROOT


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_importing_core_does_not_import_streamlit():
    result = _run("import core, sys; assert 'streamlit' not in sys.modules, 'streamlit was imported'")
    assert result.returncode == 0, result.stderr


def test_importing_core_does_not_import_tensorflow():
    result = _run("import core, sys; assert 'tensorflow' not in sys.modules, 'tensorflow was imported'")
    assert result.returncode == 0, result.stderr


def test_validation_and_formulas_work_without_tensorflow():
    code = (
        "import sys, core\n"
        "p = core.preset('so-question')\n"
        "g = core.analytic_gradients(p.T, p.B)\n"
        "core.parse_seed('entry:0,0').matrix(5, 3)\n"
        "try:\n"
        "    core.as_matrix([['abc']], 'T')\n"
        "except core.InputError:\n"
        "    pass\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
        "print(round(float(g.dT[0, 0]), 8))\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-0.17307832"


def test_tensorflow_is_imported_on_first_use_and_core_still_has_no_streamlit():
    code = (
        "import sys, core\n"
        "p = core.preset('so-question')\n"
        "print(core.tf_gradients(p.T, p.B).dT[4])\n"
        "assert 'tensorflow' in sys.modules\n"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert "-0.17307831" in result.stdout
    assert "1.1900724" in result.stdout
    assert "2.245003" in result.stdout
