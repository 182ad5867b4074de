"""The catalogues: every sentence the code asks for exists, formats with what the code passes, is used.

The sentences live in two places: core's own (`core.strings`, `core.strings_zh`) and the pages'
(`ui.text.en.EN_PAGES`, `ui.text.zh.ZH_PAGES`). The checks run over their union (`ui.text.CATALOGUES`,
here `EN` and `ZH`), and a few check the split itself: a key is in one place only, and core holds
exactly the keys that core's code asks for.

The code base is read with `ast`: each call `text("key", …)`, `t("key", …)` or
`InputError("key", …)` names a key of `EN` and passes keyword parameters. f-string keys such as
`seed.{kind}` are expanded over their known values (`SEED_KINDS`, the gradient's "T"/"B").
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import itertools
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import strings
from core.errors import InputError
from core.seeds import SEED_KINDS
from core.strings import CLIP, clip, text
from core.strings_zh import GLOSSARY
from tests.helpers.paths import ROOT
from ui import text as ui_text
from ui.text.en import EN_PAGES
from ui.text.zh import ZH_PAGES

CATALOGUES = ui_text.CATALOGUES
EN = CATALOGUES["en"]  # core's sentences and the pages'
ZH = CATALOGUES["zh"]

SOURCES = sorted(
    [*ROOT.glob("*.py"), *(p for d in ("core", "ui", "pages") for p in (ROOT / d).rglob("*.py"))],
    key=lambda p: p.relative_to(ROOT).as_posix(),
)
LOOKUPS = {"text", "t", "InputError"}
"""The names the code base looks sentences up with (`from core.strings import text as t`)."""


def _values(module: str, attribute: str, field: str | None = None) -> tuple[str, ...]:
    """The names a page loops over (seed kinds, losses, pitfalls), or () while that module is absent."""
    try:
        items = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError):
        return ()
    return tuple(getattr(item, field) if field else item for item in items)


EXPANSIONS: dict[str, tuple[str, ...]] = {
    "kind": tuple(SEED_KINDS),  # seed.{kind}, seed.{kind}.help
    "wrt": ("T", "B"),  # which gradient: dL/dT or dL/dB
    "name": _values("core.losses", "LOSSES"),  # loss.{name}
    "loss": _values("core.losses", "LOSSES"),  # loss.seed.{loss}
    "pitfall.key": _values("core.pitfalls", "PITFALLS", "key"),  # pf.{pitfall.key}.title
}
"""The values an f-string key's variable takes, by the variable's source text.

An f-string whose variable is not listed here counts as using every key it matches (one dotted
segment per variable), and must match at least one; its parameters are then not checked.
"""

KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+")


@dataclass(frozen=True)
class Lookup:
    where: str  # file:line
    keys: tuple[str, ...]  # the EN keys this call can ask for
    params: frozenset[str] | None  # keyword names passed; None when **params forwards unknown ones


def _placeholders(template: str) -> set[str]:
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field}


def _func_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _expand(joined: ast.JoinedStr, where: str) -> tuple[tuple[str, ...], bool]:
    """The keys an f-string key can produce, and whether they are known exactly (from EXPANSIONS)."""
    parts: list[tuple[str, ...]] = []
    pattern = ""
    for value in joined.values:
        if isinstance(value, ast.Constant):
            parts.append((value.value,))
            pattern += re.escape(value.value)
        else:
            parts.append(EXPANSIONS.get(ast.unparse(value.value), ()))
            pattern += "[^.]+"
    if all(parts):
        return tuple("".join(p) for p in itertools.product(*parts)), True
    matches = tuple(k for k in EN if re.fullmatch(pattern, k))
    assert matches, f"{where}: f-string key {ast.unparse(joined)} matches no key of EN"
    return matches, False


def _key_constants(node: ast.AST) -> tuple[str, ...]:
    return tuple(
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and KEY_SHAPE.fullmatch(n.value)
    )


def _lookups(path: Path, names: set[str] = LOOKUPS) -> list[Lookup]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _func_name(node) in names and node.args):
            continue
        if _func_name(node) == "text" and path.name == "strings.py":
            continue
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            keys: tuple[str, ...] = (first.value,)
        elif isinstance(first, ast.JoinedStr):
            keys, exact = _expand(first, where)
            if not exact:
                found.append(Lookup(where, keys, None))
                continue
        elif isinstance(first, ast.Name):
            # a key chosen just before the call (`key = "err.nan_cell" if … else "err.inf_cell"`)
            scope = next(
                (f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)),
                tree,
            )
            assigned = [
                a.value
                for a in ast.walk(scope)
                if isinstance(a, ast.Assign) and any(isinstance(t, ast.Name) and t.id == first.id for t in a.targets)
            ]
            keys = tuple(k for value in assigned for k in _key_constants(value))
            if not keys:  # a generic forwarder such as InputError.__init__ → strings.text(key, **params)
                continue
        else:
            continue
        forwards = any(kw.arg is None for kw in node.keywords)
        params = None if forwards else frozenset(kw.arg for kw in node.keywords if kw.arg != "lang")
        found.append(Lookup(where, keys, params))
    return found


LOOKED_UP = [lookup for path in SOURCES for lookup in _lookups(path)]
USED_KEYS = {key for lookup in LOOKED_UP for key in lookup.keys}
CORE_USED_KEYS = {key for lookup in LOOKED_UP if lookup.where.startswith("core/") for key in lookup.keys}
RAISED_KEYS = {key for path in SOURCES for lookup in _lookups(path, {"InputError"}) for key in lookup.keys}


def test_the_scan_finds_the_code_base():
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"app.py", "core/strings.py", "core/validate.py", "pages/playground.py", "ui/text/__init__.py"} <= names
    assert not any(n.startswith(("tests/", ".venv/")) for n in names)
    assert len(LOOKED_UP) > 50
    # the three ways keys are written are all seen
    assert "err.ragged" in USED_KEYS  # InputError("err.ragged", …)
    assert {"err.nan_cell", "err.inf_cell"} <= USED_KEYS  # key = … if … else …; InputError(key, …)
    assert {f"seed.{kind}" for kind in SEED_KINDS} <= USED_KEYS  # t(f"seed.{kind}")
    assert {f"seed.{kind}.help" for kind in SEED_KINDS} <= USED_KEYS


def test_every_key_the_code_asks_for_exists():
    missing = sorted({f"{lookup.where}: {key}" for lookup in LOOKED_UP for key in lookup.keys if key not in EN})
    assert missing == []


def test_every_call_passes_the_parameters_its_sentence_needs():
    problems = []
    for lookup in LOOKED_UP:
        for key in lookup.keys:
            if key not in EN or lookup.params is None:
                continue
            needed = _placeholders(EN[key])
            if not needed <= lookup.params:
                problems.append(f"{lookup.where}: {key} needs {sorted(needed - lookup.params)}")
            try:
                EN[key].format(**dict.fromkeys(lookup.params, "x"))
            except (KeyError, IndexError, ValueError) as e:
                problems.append(f"{lookup.where}: {key} does not format: {e!r}")
    assert problems == []


def test_every_key_is_used_somewhere():
    dead = sorted(set(EN) - USED_KEYS)
    assert dead == [], f"strings no code asks for: {dead}"


# --- the catalogue itself ------------------------------------------------------------------------


def test_every_catalogue_has_the_keys_of_en():
    assert set(CATALOGUES) == set(strings.CATALOGUES) == set(ui_text.PAGES) == set(strings.LANGUAGES)
    assert strings.CATALOGUES["en"] is strings.EN and ui_text.PAGES == {"en": EN_PAGES, "zh": ZH_PAGES}
    for lang, catalogue in CATALOGUES.items():
        assert set(catalogue) == set(EN), lang
        assert set(strings.CATALOGUES[lang]) == set(strings.EN), lang  # core's, in every language
        assert set(ui_text.PAGES[lang]) == set(EN_PAGES), lang  # the pages', in every language


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_a_key_lives_in_one_place_only(lang):
    assert set(strings.CATALOGUES[lang]) & set(ui_text.PAGES[lang]) == set()
    assert len(CATALOGUES[lang]) == len(strings.CATALOGUES[lang]) + len(ui_text.PAGES[lang])


def test_core_holds_exactly_the_sentences_core_asks_for():
    """Page text stays out of the math package, and core's own sentences need no `ui` to be found."""
    assert "preset.so-question" in CORE_USED_KEYS and "explain.all_ones" in CORE_USED_KEYS  # the scan sees core
    assert sorted(set(strings.EN) - CORE_USED_KEYS) == [], "page text in core: move it to ui/text/"
    assert sorted(CORE_USED_KEYS - set(strings.EN)) == [], "a sentence core asks for is not in core.strings"


def test_every_input_error_key_is_core_s():
    """`InputError` renders its message with `core.strings.text`, so each key it is raised with is core's."""
    assert "err.ragged" in RAISED_KEYS
    assert sorted(RAISED_KEYS - set(strings.EN)) == []


@pytest.mark.parametrize("key", sorted(EN))
def test_every_template_formats_with_its_placeholders(key):
    template = EN[key]
    assert template.strip() == template and template
    fields = list(string.Formatter().parse(template))
    for _, field, spec, conversion in fields:
        if field is not None:
            assert field.isidentifier(), f"{key}: positional or indexed field {{{field}}}"
            assert not spec and not conversion, f"{key}: the caller formats numbers, not the template"
    formatted = template.format(**dict.fromkeys(_placeholders(template), "VALUE"))
    assert "{" not in formatted.replace("{{", "") and "}" not in formatted.replace("}}", "")
    with pytest.raises(KeyError) if _placeholders(template) else contextlib.nullcontext():
        template.format()


def test_error_messages_are_sentences():
    for key, template in EN.items():
        if key.startswith("err."):
            assert template.rstrip("”").endswith((".", ":", "{message}")), key


def test_text_puts_parameters_in():
    assert text("err.dtype", dtype="float16") == "The dtype must be float32 or float64, not “float16”."
    assert text("err.empty_matrix", "en", name="B").startswith("B is empty")


def test_text_falls_back_to_english_for_an_unknown_language():
    assert text("err.dtype", "xx", dtype="int8") == text("err.dtype", dtype="int8")
    assert ui_text.text("nav.jacobian", "xx") == ui_text.text("nav.jacobian") == EN_PAGES["nav.jacobian"]


def test_the_pages_lookup_finds_core_s_sentences_and_the_pages():
    for lang in CATALOGUES:
        assert ui_text.text("err.dtype", lang, dtype="int8") == text("err.dtype", lang, dtype="int8")
        assert ui_text.text("nav.jacobian", lang) == ui_text.PAGES[lang]["nav.jacobian"]
    with pytest.raises(KeyError):
        text("nav.jacobian")  # core's lookup holds only core's sentences


def test_text_unknown_key_and_missing_parameter_raise_key_error():
    with pytest.raises(KeyError):
        text("no.such.key")
    with pytest.raises(KeyError):
        text("err.dtype")
    with pytest.raises(KeyError):
        ui_text.text("no.such.key")


def test_input_error_carries_key_params_and_the_english_sentence():
    e = InputError("err.row_out_of_range", i=7, m=2, m_last=1)
    assert e.key == "err.row_out_of_range"
    assert e.params == {"i": 7, "m": 2, "m_last": 1}
    assert e.message == str(e) == "The seed picks row 7 of Y, but Y has 2 row(s) (0 to 1)."
    assert isinstance(e, ValueError)


# --- clip ----------------------------------------------------------------------------------------


def test_clip_keeps_short_text():
    assert clip("float16") == "float16"
    assert clip("x" * CLIP) == "x" * CLIP
    assert clip(12) == "12"


def test_clip_shortens_long_text_to_the_limit_with_an_ellipsis():
    clipped = clip("x" * 100_000)
    assert len(clipped) == CLIP == strings.CLIP
    assert clipped == "x" * (CLIP - 1) + "…"
    assert clip("abcdefghij", 8) == "abcdefg…"


# --- the Chinese catalogue -------------------------------------------------------------------------

SAME_IN_BOTH = {
    # code, formulas and names only: nothing to translate
    "pg.T_label",
    "pg.B_label",
    "pg.Y_title",
    "pg.grad_title",
    "pg.sum_symbols",
    "pg.sum_numbers",
    "quiz.sum_symbols",
    "jac.shapes",
    "pf.unconnected.title",
    "quiz.col_answer",
    "fw.tensorflow.name",
    "fw.pytorch.name",
    "fw.jax.name",
    "lang.label",
    "nav.frameworks",
    "jac.grad_title",
    "chain.X_title",
    "chain.W1_title",
    "chain.Z_title",
    "chain.H_title",
    "chain.W2_title",
    "chain.dY_title",
    "chain.dW2_title",
    "chain.db2_title",
    "chain.dW1_title",
    "chain.db1_title",
    "chain.dX_title",
    "chain.sum_symbols",
    "chain.sum_numbers",
}


@pytest.mark.parametrize("key", sorted(EN))
def test_chinese_template_keeps_the_placeholders_code_and_markdown(key):
    zh, en = ZH[key], EN[key]
    assert _placeholders(zh) == _placeholders(en), key
    assert zh.count("`") == en.count("`") and zh.count("**") == en.count("**"), key
    assert zh.format(**dict.fromkeys(_placeholders(zh), "VALUE"))


def test_chinese_catalogue_translates_every_sentence():
    untranslated = sorted(k for k in EN if ZH[k] == EN[k] and k not in SAME_IN_BOTH)
    assert untranslated == []
    no_chinese = sorted(k for k in EN if k not in SAME_IN_BOTH and not re.search(r"[\u4e00-\u9fff]", ZH[k]))
    assert no_chinese == []


@pytest.mark.parametrize(
    ("english", "wrong"),
    [("Jacobian", "雅克比"), ("gradient", "斜率"), ("upstream gradient", "上流梯度")],
)
def test_chinese_uses_the_glossary_terms(english, wrong):
    term = GLOSSARY[english]
    assert any(term in template for template in ZH.values())
    assert not any(wrong in template for template in ZH.values())


def test_chinese_row_sum_means_only_a_row_sum():
    """行和 is the sum within a row; the Jacobian's rows weighted and added are a 加权和, not a 行和."""
    misused = sorted(k for k, v in ZH.items() if GLOSSARY["row sum"] in v and "row sum" not in EN[k].lower())
    assert misused == []
    assert GLOSSARY["weighted sum"] in ZH["jac.sum_title"] and GLOSSARY["Jacobian"] in ZH["jac.sum_title"]


FIRST_SEED = {  # page → the text where it first says 种子 (the titles before it do not, but /losses's)
    "playground": "pg.intro",
    "jacobian": "jac.intro",
    "losses": "loss.title",
    "quiz": "quiz.intro",
    "frameworks": "fw.intro",
    "pitfalls": "pf.intro",
    "chain": "chain.intro",
}


@pytest.mark.parametrize("key", FIRST_SEED.values())
def test_chinese_seed_is_glossed_as_the_upstream_gradient_where_a_page_first_says_it(key):
    zh = ZH[key]
    after = zh[zh.index(GLOSSARY["seed"]) :]
    gloss = re.search(r"（([^）]*)）", after)
    assert gloss and gloss.start() <= len("种子 1"), key  # right after the word (or its value, 种子 1)
    assert GLOSSARY["upstream gradient"] in gloss.group(1) and "dL/dY" in gloss.group(1), key


@pytest.mark.parametrize("title", ["pg.title", "jac.title", "quiz.title", "fw.title"])
def test_no_page_title_says_seed_before_its_gloss(title):
    assert GLOSSARY["seed"] not in ZH[title]


def test_text_in_chinese():
    assert text("err.dtype", "zh", dtype="float16") == ZH["err.dtype"].format(dtype="float16")
    assert "float16" in text("err.dtype", "zh", dtype="float16")
    assert ui_text.text("nav.jacobian", "zh") != ui_text.text("nav.jacobian", "en")


@pytest.mark.parametrize(
    ("locale", "lang"),
    [("zh-CN", "zh"), ("zh-TW", "zh"), ("ZH", "zh"), ("en-US", "en"), ("fr", "en"), ("", "en"), (None, "en")],
)
def test_browser_locale_picks_the_language(locale, lang):
    assert strings.language_for_locale(locale) == lang


def test_input_error_renders_in_each_language():
    error = InputError("err.empty_cell", name="T", i=1, j=2)
    assert error.message == error.message_in("en") == "T[1,2] is empty: type a number there."
    assert error.message_in("zh") == ZH["err.empty_cell"].format(name="T", i=1, j=2)
    assert "T[1,2]" in error.message_in("zh")
