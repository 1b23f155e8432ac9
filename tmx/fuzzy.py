"""The CAT-style match percentage: how much of a stored segment a translator can reuse.

CAT tools (Trados, memoQ, OmegaT) show a percentage computed from an edit distance over the
segment's tokens, not a bag-of-words similarity: word order and every changed word count. untm
uses the same idea so its numbers read like the ones translators know::

    tokens(s)  = words and punctuation marks of s, case-folded  (languages that separate words)
               = characters of s, spaces dropped       (Chinese, Japanese: no word separators)
    d          = Levenshtein distance between tokens(a) and tokens(b)   (insert/delete/substitute = 1)
    match(a,b) = floor(100 × (1 − d / max(|tokens(a)|, |tokens(b)|)))

    100 only when the two segments are identical after collapsing runs of whitespace; any other
    difference (case, punctuation, a number) caps the score at 99, as CAT tools do, so a "100%"
    can be inserted without reading it. Case is folded before the distance is taken: a segment
    that differs only in capitals is a 99, not a poor match.

The distance is rapidfuzz's C implementation of Levenshtein over token lists.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from uncore.errors import UsageError
from uncore.lang import language

_WORD_TOKENS = re.compile(r"\w+|[^\w\s]")


def normalize(text: str) -> str:
    """``text`` with runs of whitespace collapsed to one space and the ends stripped: spacing
    differences (PDF extraction, double spaces) never cost a translator anything."""
    return " ".join(text.split())


def tokens(text: str, lang: str) -> list[str]:
    """The units the edit distance counts: words and punctuation, or characters for languages
    written without spaces between words (asked of ``uncore.lang``, not guessed here)."""
    if _joins_words(lang):
        return _WORD_TOKENS.findall(text)
    return [ch for ch in text if not ch.isspace()]


@functools.lru_cache(maxsize=64)
def _joins_words(lang: str) -> bool:
    try:
        return language(lang).joins_words
    except UsageError:  # a language untm does not know: treat it like most scripts, word-based
        return True


def match_percentage(a: str, b: str, lang: str) -> int:
    """The CAT-style match percentage of ``b`` for the segment ``a`` (0–100, see the module doc)."""
    return match_percentages(a, [b], lang)[0]


def match_percentages(segment: str, candidates: Sequence[str], lang: str) -> list[int]:
    """``match_percentage(segment, c, lang)`` for every candidate, tokenising ``segment`` once."""
    na = normalize(segment)
    ta = tokens(na.casefold(), lang)
    out = []
    for candidate in candidates:
        nb = normalize(candidate)
        if na == nb:
            out.append(100)
            continue
        tb = tokens(nb.casefold(), lang)
        longest = max(len(ta), len(tb))
        if longest == 0:
            out.append(0)
            continue
        distance = Levenshtein.distance(ta, tb)
        out.append(min(99, max(0, math.floor(100 * (1 - distance / longest)))))
    return out
