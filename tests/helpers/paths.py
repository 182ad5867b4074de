"""Paths the tests and benchmarks share."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository root: where app.py, serve.py and the Makefile are."""
APP = str(ROOT / "app.py")
DATA = ROOT / "tests" / "data"
"""Data files the tests read (the hostile-input corpus)."""

TITLES = {
    "playground": "pg.title",
    "chain": "chain.title",
    "jacobian": "jac.title",
    "losses": "loss.title",
    "pitfalls": "pf.title",
    "frameworks": "fw.title",
    "quiz": "quiz.title",
    "teacher": "teacher.title",
}
"""Each page (by the name in its url_path; the playground is the site root) and its title's text key."""
