"""The rules of a class: codes, teacher keys, nicknames, rate limits and what a wrong answer reveals.

Pure functions and small classes with no Streamlit and no database, so that the storage (`store/`)
and the pages only apply them, and a test can check each rule alone.

- A **class code** is 6 characters from an alphabet without look-alikes, because students type it
  from a projector: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
- A **teacher key** is 192 random bits (`secrets.token_urlsafe`); only a salted scrypt hash of it is
  stored, so a copy of the database does not open any class, and it is compared in constant time.
- A **nickname** is what a student chose to be called: at most 24 characters, no control
  characters; the pages still show it escaped (it is user text).
- A **rate limit** is a token bucket per client, with an injectable clock so that tests do not sleep.
- A **diagnosis** names the known mistake a wrong value matches (the sum of a column of B instead
  of a row, the all-ones seed when the seed was one entry, …): the teacher sees how many students
  hold which misconception, not only that they are wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from core.errors import InputError
from core.strings import clip

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
"""Letters and digits a projector cannot make ambiguous: no 0/O, 1/I/L, 2/Z, 5/S, 8/B."""
CODE_LENGTH = 6
CODE_TEXT = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
KEY_BYTES = 24  # 192 bits, above the 128 the issue asks for
SALT_BYTES = 16
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
"""scrypt's cost: about 16 MB and a few tens of milliseconds per check, once per teacher session."""
NICKNAME_LENGTH = 24
DIAGNOSIS_TOLERANCE = 1e-9  # quiz answers are integers (core.quiz.TOLERANCE)


# --- class codes and teacher keys -----------------------------------------------------------------


def new_code() -> str:
    """A fresh class code: 6 characters of `CODE_ALPHABET`, from `secrets` (codes cannot be guessed in order)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def parse_code(text: object) -> str | None:
    """The class code a link or a student typed, upper-cased and trimmed; None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 4 * CODE_LENGTH:
        return None
    code = text.strip().upper()
    return code if CODE_TEXT.fullmatch(code) else None


KEY_TEXT = re.compile(r"[A-Za-z0-9_-]{16,64}", re.ASCII)


def parse_code_param(text: str) -> str:
    """The `class=` of a link as a code, or an InputError saying what a class code looks like."""
    code = parse_code(text)
    if code is None:
        raise InputError("class.err.code", text=clip(text))
    return code


def parse_key_param(text: str) -> str:
    """The `key=` of a teacher link, if it has a key's form (whether it opens a class is the store's to say)."""
    if not isinstance(text, str) or not KEY_TEXT.fullmatch(text):
        raise InputError("class.err.key", text=clip(text))
    return text


def new_key() -> str:
    """A fresh teacher key: 192 random bits, URL-safe (it travels in the teacher link)."""
    return secrets.token_urlsafe(KEY_BYTES)


def hash_key(key: str, salt: bytes | None = None) -> tuple[str, str]:
    """(hash, salt) of a teacher key, both hex: what is stored instead of the key."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(key.encode("utf-8"), salt=salt, **SCRYPT)
    return digest.hex(), salt.hex()


def verify_key(key: object, stored_hash: str, salt: str) -> bool:
    """Whether `key` is the teacher key whose hash is stored, compared in constant time.

    A non-string or over-long key is hashed anyway (as an empty string), so a wrong key and a
    malformed one take the same time and give the same answer.
    """
    text = key if isinstance(key, str) and len(key) <= 256 else ""
    try:
        salt_bytes = bytes.fromhex(salt)
    except ValueError:
        salt_bytes = b""
    candidate, _ = hash_key(text, salt_bytes)
    return hmac.compare_digest(candidate, stored_hash) and bool(text)


def spend_like_a_check() -> None:
    """The work of one key check, for an unknown class: so that it cannot be told from a wrong key by time."""
    hash_key("", b"\0" * SALT_BYTES)


# --- nicknames --------------------------------------------------------------------------------------


def clean_nickname(text: object) -> str:
    """A nickname as stored: control and format characters removed, spaces collapsed, ≤ 24 characters.

    Empty means anonymous. The result is still user text: pages show it escaped.
    """
    if not isinstance(text, str):
        return ""
    kept = "".join(
        " " if ch.isspace() else ch for ch in text[:1000] if unicodedata.category(ch)[0] != "C" or ch.isspace()
    )
    return " ".join(kept.split())[:NICKNAME_LENGTH].strip()


# --- rate limits ----------------------------------------------------------------------------------


@dataclass
class TokenBucket:
    """`capacity` actions at once, refilled at `rate` per second: bursts allowed, floods refused."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    def take(self, now: float) -> bool:
        """Spend one token if there is one (refilling first for the time since the last call)."""
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class RateLimiter:
    """One token bucket per client (a browser session), the oldest forgotten beyond `max_clients`.

    Kept in memory only: nothing about a client is stored, and a restart forgives everyone.
    """

    capacity: float
    rate: float
    clock: Callable[[], float] = time.monotonic
    max_clients: int = 10_000
    buckets: OrderedDict[str, TokenBucket] = field(default_factory=OrderedDict)

    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def allow(self, client: str) -> bool:
        """Whether `client` may act now (and, if so, the action is counted).

        Under a lock: one limiter serves every session of the server, each in its own thread.
        """
        with self.lock:
            now = self.clock()
            bucket = self.buckets.pop(client, None)
            if bucket is None:
                bucket = TokenBucket(self.capacity, self.rate, self.capacity, now)
            self.buckets[client] = bucket  # most recent last
            while len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)
            return bucket.take(now)


# --- what a wrong answer reveals -------------------------------------------------------------------


class QuizLike(Protocol):
    """What a diagnosis needs of a quiz problem (core.quiz.QuizProblem has it)."""

    T: np.ndarray
    B: np.ndarray
    G: np.ndarray
    wrt: str
    answer: np.ndarray


MISTAKES = ("ones_seed", "column_not_row", "transpose", "forward_y", "other_gradient", "sign", "whole_sum")
"""The known mistakes, in the order they are named; the pages translate `class.diag.<name>`."""


def _at(matrix: np.ndarray, i: int, j: int) -> float | None:
    return float(matrix[i, j]) if 0 <= i < matrix.shape[0] and 0 <= j < matrix.shape[1] else None


def mistake_values(problem: QuizLike, cell: tuple[int, int]) -> dict[str, float]:
    """For the asked entry `cell`, the value each known mistake gives (only mistakes that apply here).

    - ones_seed: the gradient with TensorFlow's default all-ones seed, when the seed was another.
    - column_not_row: B (or T) used without its transpose, e.g. a column sum of B where dL/dT
      wants a row sum (the reference case's 3.424693).
    - transpose: the entry [j,i] of the right gradient instead of [i,j].
    - forward_y: the forward value Y[i,j] instead of a gradient.
    - other_gradient: the same entry of the other gradient (dL/dB instead of dL/dT).
    - sign: the right value with the opposite sign.
    - whole_sum: the sum of every entry of the gradient.
    """
    T, B, G = (np.asarray(x, dtype=np.float64) for x in (problem.T, problem.B, problem.G))
    i, j = cell
    ones = np.ones_like(G)
    if problem.wrt == "T":
        with_ones, other = ones @ B.T, T.T @ G
        unturned = G @ B if G.shape[1] == B.shape[0] else None  # B where Bᵀ belongs
    else:
        with_ones, other = T.T @ ones, G @ B.T
        unturned = T @ G if T.shape[1] == G.shape[0] else None  # T where Tᵀ belongs
    answer = np.asarray(problem.answer, dtype=np.float64)
    candidates: dict[str, float | None] = {
        "ones_seed": None if np.array_equal(G, ones) else _at(with_ones, i, j),
        "column_not_row": None if unturned is None else _at(unturned, i, j),
        "transpose": _at(answer, j, i) if i != j else None,
        "forward_y": _at(T @ B, i, j),
        "other_gradient": _at(other, i, j),
        "sign": -float(answer[i, j]),
        "whole_sum": float(answer.sum()) if answer.size > 1 else None,
    }
    return {name: value for name, value in candidates.items() if value is not None}


def diagnose(problem: QuizLike, cell: tuple[int, int], value: float) -> tuple[str, ...]:
    """The known mistakes (names from `MISTAKES`) that give `value` for the entry `cell`; () if none or right.

    A value that is the right answer is never a mistake, even when a mistake would give it too.
    """
    if not math.isfinite(value):
        return ()
    right = float(problem.answer[cell])
    if abs(value - right) <= DIAGNOSIS_TOLERANCE:
        return ()
    found = mistake_values(problem, cell)
    return tuple(
        name
        for name in MISTAKES
        if name in found
        and abs(found[name] - value) <= DIAGNOSIS_TOLERANCE
        and abs(found[name] - right) > DIAGNOSIS_TOLERANCE
    )
