"""core.classroom: class codes, teacher keys, nicknames, the rate limiter and the wrong-answer diagnoses."""

from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np
import pytest

import core
from core import classroom, quiz
from core.presets import preset


def test_codes_are_six_characters_without_look_alikes():
    codes = {classroom.new_code() for _ in range(500)}
    assert len(codes) > 490  # random, not sequential
    for code in codes:
        assert len(code) == 6
        assert set(code) <= set(classroom.CODE_ALPHABET)
    assert not set("0O1IL2Z5S8B") & set(classroom.CODE_ALPHABET)
    assert set(classroom.CODE_ALPHABET) <= set(string.ascii_uppercase + string.digits)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ACDEFG", "ACDEFG"),
        (" acdefg ", "ACDEFG"),
        ("ACDEF0", None),
        ("ACDEFGH", None),
        ("", None),
        (None, None),
        ("<script>", None),
        ("A" * 10_000, None),
        (42, None),
    ],
)
def test_parse_code(typed, code):
    assert classroom.parse_code(typed) == code


def test_keys_have_at_least_128_bits_and_are_stored_as_salted_hashes():
    key = classroom.new_key()
    assert len(key) * 6 >= 128 and key != classroom.new_key()
    digest, salt = classroom.hash_key(key)
    assert key not in digest and len(bytes.fromhex(salt)) == 16
    again, other_salt = classroom.hash_key(key)
    assert (again, other_salt) != (digest, salt)  # a fresh salt each time
    assert classroom.verify_key(key, digest, salt)
    assert classroom.verify_key(key, again, other_salt)


@pytest.mark.parametrize("wrong", ["", "x", None, 42, "k" * 10_000])
def test_a_wrong_or_malformed_key_is_refused(wrong):
    key = classroom.new_key()
    digest, salt = classroom.hash_key(key)
    assert not classroom.verify_key(wrong, digest, salt)
    assert not classroom.verify_key(key[:-1], digest, salt)
    assert not classroom.verify_key(key, digest, "not hex")


def test_an_empty_key_never_opens_a_class_even_if_its_hash_was_stored():
    digest, salt = classroom.hash_key("")
    assert not classroom.verify_key("", digest, salt)


def test_keys_are_compared_in_constant_time(monkeypatch):
    seen = []
    real = classroom.hmac.compare_digest
    monkeypatch.setattr(classroom.hmac, "compare_digest", lambda a, b: seen.append((a, b)) or real(a, b))
    digest, salt = classroom.hash_key("k")
    classroom.verify_key("wrong", digest, salt)
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Ada  ", "Ada"),
        ("Ada\x00\x1b[31mLovelace", "Ada[31mLovelace"),
        ("a\u202eb\u200bc", "abc"),  # bidi override and zero-width space are format characters
        ("tab\tand\nnewline", "tab and newline"),
        ("x" * 100, "x" * 24),
        ("李雷和韩梅梅", "李雷和韩梅梅"),
        ("<b>bold</b>", "<b>bold</b>"),  # kept as typed; the page shows it escaped
        (None, ""),
        ("\x00\x01", ""),
    ],
)
def test_nicknames_are_cleaned(typed, kept):
    assert classroom.clean_nickname(typed) == kept
    assert len(classroom.clean_nickname(typed)) <= classroom.NICKNAME_LENGTH


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limiter_allows_a_burst_then_refills():
    clock = Clock()
    limiter = classroom.RateLimiter(capacity=3, rate=0.5, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # per client
    clock.now += 1.0
    assert not limiter.allow("a")  # half a token
    clock.now += 1.0
    assert limiter.allow("a") and not limiter.allow("a")
    clock.now += 1000
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]  # never above capacity


def test_the_rate_limiter_forgets_the_oldest_clients():
    limiter = classroom.RateLimiter(capacity=1, rate=0, clock=Clock(), max_clients=2)
    assert limiter.allow("a") and limiter.allow("b") and limiter.allow("c")
    assert list(limiter.buckets) == ["b", "c"]
    assert limiter.allow("a")  # forgotten, so a fresh bucket


@dataclass
class Problem:
    T: np.ndarray
    B: np.ndarray
    G: np.ndarray
    wrt: str
    answer: np.ndarray


def reference(G: np.ndarray) -> Problem:
    p = preset("so-question")
    T, B = p.T.astype(np.float64), p.B.astype(np.float64)
    return Problem(T, B, G, "T", G @ B.T)


def test_the_learners_column_sum_is_diagnosed():
    problem = reference(np.ones((5, 3)))
    column_sum = float(problem.B[:, 0].sum())
    assert column_sum == pytest.approx(3.424693, abs=1e-6)
    assert "column_not_row" in classroom.diagnose(problem, (0, 0), column_sum)
    assert classroom.diagnose(problem, (0, 0), float(problem.answer[0, 0])) == ()  # right is no mistake
    assert classroom.diagnose(problem, (0, 0), 123.0) == ()
    assert classroom.diagnose(problem, (0, 0), float("nan")) == ()


def test_the_all_ones_seed_when_the_seed_was_one_entry_is_diagnosed():
    G = np.zeros((5, 3))
    G[0, 0] = 1
    problem = reference(G)
    row_sum = float(problem.B[1].sum())  # dY[0,0]/dT[0,1] is B[1,0]; the all-ones seed gives B's row 1 sum
    assert classroom.diagnose(problem, (0, 1), row_sum) == ("ones_seed",)
    assert "ones_seed" not in classroom.mistake_values(reference(np.ones((5, 3))), (0, 1))


def test_forward_value_transpose_sign_and_other_gradient():
    T = np.array([[1.0, 2.0], [3.0, 4.0]])
    B = np.array([[5.0, 7.0], [11.0, 13.0]])
    G = np.array([[1.0, 0.0], [0.0, 2.0]])
    problem = Problem(T, B, G, "T", G @ B.T)  # [[5, 11], [14, 26]]
    assert classroom.diagnose(problem, (0, 0), float((T @ B)[0, 0])) == ("forward_y",)
    assert "transpose" in classroom.diagnose(problem, (0, 1), 14.0)
    assert classroom.diagnose(problem, (1, 1), -26.0) == ("sign",)
    assert "other_gradient" in classroom.diagnose(problem, (0, 0), float((T.T @ G)[0, 0]))
    assert classroom.diagnose(problem, (0, 0), float(problem.answer.sum())) == ("whole_sum",)
    as_b = Problem(T, B, G, "B", T.T @ G)
    assert "column_not_row" in classroom.diagnose(as_b, (0, 1), float((T @ G)[0, 1]))


def test_every_mistake_is_named_and_applies_to_quiz_problems():
    names = set()
    for q in range(60):
        problem = quiz.make_problem(q)
        for cell in problem.cells():
            for name, value in classroom.mistake_values(problem, cell).items():
                assert name in classroom.MISTAKES
                assert np.isfinite(value)
                if abs(value - problem.answer[cell]) > 1e-9:
                    assert name in classroom.diagnose(problem, cell, value)
                    names.add(name)
    assert names == set(classroom.MISTAKES)


def test_link_parameters_name_what_is_wrong():
    assert classroom.parse_code_param(" acdefg") == "ACDEFG"
    key = classroom.new_key()
    assert classroom.parse_key_param(key) == key
    for bad in ["", "<script>", "x" * 100_000]:
        with pytest.raises(core.InputError) as error:
            classroom.parse_code_param(bad)
        assert error.value.key == "class.err.code" and len(str(error.value)) < 200
        with pytest.raises(core.InputError) as error:
            classroom.parse_key_param(bad)
        assert error.value.key == "class.err.key" and len(str(error.value)) < 200
    assert "班级代码" in core.InputError("class.err.code", text="x").message_in("zh")
