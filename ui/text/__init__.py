"""Every sentence of the interface, and the one lookup the pages use: `text(key, lang, **params)`.

Why two places: `core` is a plain math library, so it keeps only the sentences it produces itself
(`core.strings`: the messages of `core.InputError`, `core.explain`'s explanation, the presets'
descriptions, the quiz's answer errors). Everything the pages say (titles, labels, help, the
teaching prose) lives here, next to the pages: `ui.text.en.EN_PAGES` and `ui.text.zh.ZH_PAGES`.

How: `CATALOGUES` is the union of core's catalogue and the pages', built once at import. `ui`
may import `core` but never the other way round, so the union is made here rather than registered
into `core.strings`: `core.strings.text` stays a plain function of core's own keys, and no import
order can change what it finds. A key lives in exactly one of the two catalogues, and both languages
have exactly the same keys and placeholders (tests/unit/test_strings.py checks all of it).
`ui.language.t` and `translator` look sentences up through `text`.
"""

from __future__ import annotations

from typing import Any

from core import strings
from core.strings import DEFAULT_LANGUAGE
from ui.text.en import EN_PAGES
from ui.text.zh import ZH_PAGES

PAGES: dict[str, dict[str, str]] = {"en": EN_PAGES, "zh": ZH_PAGES}
"""The pages' catalogue in each language of `core.strings.LANGUAGES`."""

CATALOGUES: dict[str, dict[str, str]] = {lang: {**strings.CATALOGUES[lang], **PAGES[lang]} for lang in PAGES}
"""Every sentence of the interface by language: core's and the pages' (no key is in both)."""


def text(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The sentence for `key`, core's or a page's, in `lang` with `params` put in (English if `lang` is unknown)."""
    template = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])[key]
    return template.format(**params)
