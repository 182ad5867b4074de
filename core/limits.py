"""The app's size limits, stated once so that validation, widgets and messages agree."""

MAX_DIM = 8
"""Largest m, k or n a matrix may have: 8×8 still fits a screen with a number in every cell."""

MAX_TEXT_LENGTH = 4096
"""Longest text form (a URL parameter) that is parsed; longer text is refused before any work."""
