"""Scripts and character classes: the one place that says what a Han character is.

Every module that needs "is this Chinese?", "is this Cyrillic?" or "how wide is this on a
terminal?" asks here, so a change (say, CJK Extension B for rare names) is made once.
"""

from __future__ import annotations

import re
import unicodedata

UNKNOWN_SCRIPT = "Zyyy"  # ISO 15924 for "undetermined": a language untm has no rules for

# Character-class bodies, for building larger patterns (``rf"(?<=[{HAN_CLASS}])[,;]"``).
HAN_CLASS = "\u3400-\u9fff\uf900-\ufaff"  # CJK Unified Ideographs + Extension A + compatibility
KANA_CLASS = "\u3040-\u30ff"
CJK_CLASS = HAN_CLASS + KANA_CLASS  # characters written without spaces between words
CYRILLIC_CLASS = "\u0400-\u04ff"
LATIN_CLASS = "A-Za-z\u00c0-\u024f"
ARABIC_CLASS = "\u0600-\u06ff"

HAN = re.compile(f"[{HAN_CLASS}]")
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
CYRILLIC = re.compile(f"[{CYRILLIC_CLASS}]")
LATIN_OR_CYRILLIC_LETTER = f"[A-Za-z{CYRILLIC_CLASS}]"  # a list label: a), б)

# A cheap first look at the letters of a script (``dominant_script`` names every character).
SCRIPT_PROBES: dict[str, re.Pattern[str]] = {
    "Hans": HAN,
    "Hant": HAN,
    "Jpan": re.compile(f"[{CJK_CLASS}]"),
    "Cyrl": CYRILLIC,
    "Latn": re.compile(f"[{LATIN_CLASS}]"),
    "Arab": re.compile(f"[{ARABIC_CLASS}]"),
}


def is_han(ch: str) -> bool:
    """True for one Han (Chinese) character."""
    return HAN.match(ch) is not None


def has_han(text: str) -> bool:
    """True when ``text`` holds at least one Han character."""
    return HAN.search(text) is not None


def has_cyrillic(text: str) -> bool:
    return CYRILLIC.search(text) is not None


def is_wide(ch: str) -> bool:
    """True for characters a terminal or a PDF column gives two Latin widths (CJK)."""
    return unicodedata.east_asian_width(ch) in "WF"


def display_width(text: str) -> int:
    """Width of ``text`` counting each wide (CJK) character as two."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


_SCRIPT_PREFIXES = (
    ("CJK", "Hans"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("HANGUL", "Kore"),
    ("CYRILLIC", "Cyrl"),
    ("ARABIC", "Arab"),
    ("LATIN", "Latn"),
)


def dominant_script(text: str, sample: int = 20000) -> str | None:
    """The script most letters of ``text`` are written in (ISO 15924), or None if it has none.

    Used to warn when ``--lang zh`` is given for a Russian file: a cheap, dependency-free check
    that never needs a language-identification model.
    """
    counts: dict[str, int] = {}
    for ch in text[:sample]:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for prefix, script in _SCRIPT_PREFIXES:
            if name.startswith(prefix):
                counts[script] = counts.get(script, 0) + 1
                break
    if not counts:
        return None
    return max(counts, key=counts.__getitem__)


# Russian → Latin, close to the UN/ISO 9 romanisation, simplified: the point is only that
# internationalisms (конвенция / convention, программа / programme) meet in one spelling.
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "c",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ъ": "",
        "ы": "i",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
        "і": "i",
        "ї": "i",
        "є": "e",
    }
)


def romanise(text: str) -> str:
    """Lower-case Russian letters in Latin (``конвенция`` → ``konvenciia``); the rest unchanged."""
    return text.translate(_CYRILLIC_TO_LATIN)
