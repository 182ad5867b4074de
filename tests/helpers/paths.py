"""Paths the tests and benchmarks share."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository root: where app.py, serve.py and the Makefile are."""
APP = str(ROOT / "app.py")
DATA = ROOT / "tests" / "data"
"""Data files the tests read (the hostile-input corpus)."""
