"""The one error type for bad input.

Every check in `core` raises `InputError`; nothing else (in particular no raw TensorFlow error)
is meant to reach a student. The error carries a message key and its parameters as well as the
English text, so that a page shows the message in the reader's language (`message_in`).
"""

from __future__ import annotations

from typing import Any

from core import strings


class InputError(ValueError):
    """Bad input, explained in words a student understands: which matrix, which cell, what is wrong."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(strings.text(key, **params))

    @property
    def message(self) -> str:
        """The English message (the same as `str(error)`)."""
        return str(self)

    def message_in(self, lang: str) -> str:
        """The message in `lang` (see core.strings.LANGUAGES), from the same key and parameters."""
        return strings.text(self.key, lang, **self.params)
