"""The one home for language knowledge: codes and tags here; scripts and character classes in
``uncore.lang.scripts``; normalisation in ``uncore.lang.normalize``; word keys (lemmas, stems,
Chinese words) in ``uncore.lang.words``; number conventions in ``uncore.lang.numbers``; the term
finder in ``uncore.lang.terms``. No other module defines a language list, a character class or a
stemmer table.

Code elsewhere asks a ``Language`` (``lang.joins_words``, ``lang.script``) instead of testing
``if lang == "zh"``. Codes are BCP 47; common ISO 639-2/3 forms and region/script subtags are
accepted on input (``zh-CN``, ``zh-Hans``, ``cmn``, ``chi``, ``ru-RU``, ``eng``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from uncore.errors import UsageError
from uncore.lang.scripts import UNKNOWN_SCRIPT, display_width, dominant_script, is_wide

__all__ = [
    "UN_LANGUAGES",
    "Language",
    "data_language",
    "display_width",
    "dominant_script",
    "is_language_tag",
    "is_wide",
    "known_languages",
    "language",
    "output_tag",
    "parse_mapping",
    "primary_subtag",
    "script_matches",
    "tag_code",
]


@dataclass(frozen=True)
class Language:
    """A language as untm handles it.

    ``code`` is the primary BCP 47 subtag (``zh``); ``tag`` the full tag untm writes by default
    (``zh-CN``: the form UN Chinese documents and most CAT-tool projects use). ``joins_words`` is
    false for scripts written without spaces between words, which changes how wrapped PDF lines
    are re-joined and how lengths are counted.
    """

    code: str
    tag: str
    name: str
    script: str  # ISO 15924: Hans, Hant, Cyrl, Latn, Arab
    joins_words: bool = True  # words separated by spaces
    un_official: bool = False

    @property
    def joiner(self) -> str:
        """What goes between two sentences or words of this language when they are joined."""
        return " " if self.joins_words else ""

    @property
    def is_cjk(self) -> bool:
        return self.script in {"Hans", "Hant", "Jpan", "Kore"}

    def __str__(self) -> str:
        return self.code


_LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("zh", "zh-CN", "Chinese", "Hans", joins_words=False, un_official=True),
        Language("ru", "ru-RU", "Russian", "Cyrl", un_official=True),
        Language("en", "en-US", "English", "Latn", un_official=True),
        Language("fr", "fr-FR", "French", "Latn", un_official=True),
        Language("es", "es-ES", "Spanish", "Latn", un_official=True),
        Language("ar", "ar-SA", "Arabic", "Arab", un_official=True),
        Language("de", "de-DE", "German", "Latn"),
        Language("ja", "ja-JP", "Japanese", "Jpan", joins_words=False),
        Language("uz", "uz-UZ", "Uzbek", "Latn"),
    )
}

UN_LANGUAGES: tuple[str, ...] = tuple(lang.code for lang in _LANGUAGES.values() if lang.un_official)
"""The six official languages of the United Nations, in the order untm shows them."""

_ALIASES = {
    "cmn": "zh",
    "chi": "zh",
    "zho": "zh",
    "cmn_hans": "zh",
    "cmn_hant": "zh",
    "yue": "zh",
    "rus": "ru",
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ara": "ar",
    "arb": "ar",
    "deu": "de",
    "ger": "de",
    "jpn": "ja",
    "uzb": "uz",
}


def language(code: str | Language) -> Language:
    """Return the ``Language`` for a code such as ``zh``, ``zh-CN``, ``zh_Hans`` or ``rus``.

    Raises ``UsageError`` naming the code for anything untm does not know, so a typo such as
    ``--lang zn`` stops the run instead of silently producing an untagged memory.
    """
    if isinstance(code, Language):
        return code
    raw = (code or "").strip()
    key = raw.replace("_", "-").lower()
    primary = key.split("-", 1)[0]
    primary = _ALIASES.get(key.replace("-", "_"), _ALIASES.get(primary, primary))
    found = _LANGUAGES.get(primary)
    if found is None:
        known = ", ".join(sorted(_LANGUAGES))
        raise UsageError(f"unknown language code {raw!r} (known: {known})")
    if found.code == "zh" and ("hant" in key or key.endswith(("-tw", "-hk", "-mo"))):
        return Language("zh", raw, "Chinese (Traditional)", "Hant", joins_words=False, un_official=True)
    return found


_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")  # what BCP 47 tags look like


def tag_code(raw: str) -> str:
    """The one rule for language tags that data carries (TMX, tables, termbases): a language
    untm knows gives its code (``zh-CN``, ``cmn`` → ``zh``); another well-formed BCP 47 tag is
    kept by its primary subtag (``it``, ``pt-BR`` → ``pt``), so an Italian column survives; anything
    else (``chinese``, ``12``, empty) is a ``UsageError`` naming it: not a language tag."""
    try:
        return language(raw).code
    except UsageError:
        text = (raw or "").strip()
        if not _BCP47.match(text):
            raise UsageError(f"{raw!r} is not a BCP 47 language tag (e.g. zh, zh-CN, ru, en, fr)") from None
        return text.replace("_", "-").split("-", 1)[0].lower()


_WELL_FORMED = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*"
    r"(-[A-Za-z0-9]{1,8})*$"
)


def is_language_tag(tag: str) -> bool:
    """True when ``tag`` has the shape of a BCP 47 tag as TMX and TBX write it: language,
    optional script, region and variants, hyphens only (``zh-Hans-CN``, ``sr-Latn``, ``es-419``)."""
    return _WELL_FORMED.match(tag) is not None


@lru_cache(maxsize=512)
def data_language(tag: str) -> Language:
    """The language of a tag found in data (a TMX ``xml:lang``, a table column): the one rule
    of ``tag_code``. A language untm knows has its rules; another well-formed tag (``it``,
    ``pt-BR``) gets a plain language with no special rules (script ``Zyyy``: unknown), so an
    Italian column is checked for numbers and brackets instead of stopping the run; anything
    that is not a tag is a ``UsageError``. Flags a user types (``--lang``) go through
    ``language``, which refuses what it does not know: a typo must not pass."""
    try:
        return language(tag)
    except UsageError:
        code = tag_code(tag)
        return Language(code, tag, code, UNKNOWN_SCRIPT)


def primary_subtag(tag: str) -> str:
    """``zh-CN`` → ``zh``: the part of a tag that says which language, lower-cased. Two tags with
    the same primary subtag name the same language for matching variants across tools."""
    return tag.lower().split("-", 1)[0]


def known_languages() -> list[Language]:
    return list(_LANGUAGES.values())


def output_tag(lang: str | Language, mapping: Mapping[str, str] | None = None) -> str:
    """The tag to write for ``lang``: the user's mapping wins (``{"zh": "zh-CN"}``), else the code
    as the user gave it when it carried a region, else the bare primary code."""
    raw = lang.tag if isinstance(lang, Language) else lang
    if isinstance(lang, str) and lang not in mapping_keys(mapping) and _is_unknown_wellformed(lang):
        return lang  # a tag from another tool's memory (ko-KR, pt-BR): keep it as read
    resolved = language(lang)
    if mapping:
        for key in (raw, raw.lower(), resolved.code):
            if key in mapping:
                return mapping[key]
    return raw if isinstance(lang, str) and "-" in lang else resolved.code


def mapping_keys(mapping: Mapping[str, str] | None) -> set[str]:
    return set(mapping or ())


def _is_unknown_wellformed(tag: str) -> bool:
    """A syntactically valid BCP 47 tag whose language untm has no rules for."""
    if not is_language_tag(tag):
        return False
    try:
        language(tag)
    except UsageError:
        return True
    return False


def parse_mapping(spec: str | None) -> dict[str, str]:
    """Parse ``zh=zh-CN,ru=ru-RU`` into a dict (the form ``--lang-map`` takes)."""
    result: dict[str, str] = {}
    if not spec:
        return result
    for part in spec.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise UsageError(f"bad language mapping {part!r}: expected CODE=TAG, e.g. zh=zh-CN")
        key, value = (p.strip() for p in part.split("=", 1))
        language(key)
        result[key] = value
    return result


def script_matches(lang: str | Language, text: str) -> bool:
    """True when ``text`` is mostly in ``lang``'s script (or has no letters to judge by)."""
    found = dominant_script(text)
    if found is None:
        return True
    expected = language(lang).script
    if expected in {"Hans", "Hant"}:
        return found == "Hans"
    if expected == "Jpan":
        return found in {"Jpan", "Hans"}
    return found == expected
