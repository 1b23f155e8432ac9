"""Normalisation of terms and queries, so that variants of writing compare equal.

Full-width and half-width forms (NFKC), Traditional and Simplified Chinese (OpenCC ``t2s``),
Russian ё and е (UN Russian writes е), letter case, curly and straight apostrophes and runs of
white space. Lookup, matching and the store all use these functions, so a term typed as
``聯合國`` or ``ＵＮＯＤＣ`` finds what is stored as ``联合国`` or ``UNODC``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from uncore.lang.scripts import has_han

_T2S = opencc.OpenCC("t2s")
_SPACES = re.compile(r"\s+")
_CHAR_FOLD = str.maketrans({"ё": "е", "Ё": "е", "’": "'", "ʼ": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})
_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_FOLD) + "]")  # translate() only if needed


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).translate(_CHAR_FOLD).casefold()


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese; text without Han characters comes back unchanged."""
    if not has_han(text):
        return text
    return _T2S.convert(text)


def normalize(text: str) -> str:
    """The comparison key of ``text``: NFKC, Simplified Chinese, ё→е, casefolded, single spaces."""
    folded = unicodedata.normalize("NFKC", text).translate(_CHAR_FOLD).casefold()
    return _SPACES.sub(" ", to_simplified(folded)).strip()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` character by character and return, for every character of the result,
    the index of the character of ``text`` it came from — so matches found in the normalised
    text can be reported at their place in the original. White space is kept as is (one for
    one) so word boundaries stay where they were."""
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        origin.extend([index] * len(folded))
    joined = "".join(out)
    simplified = to_simplified(joined)
    if len(simplified) != len(joined):  # a phrase rule changed the length: convert per character
        simplified = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in joined)
    return simplified, origin


# What NFKC changes in most Chinese text: full-width punctuation. Replacing a character by its own
# NFKC leaves the NFKC of the whole text the same (NFKC is the composition of the characters'
# decompositions), so when the text is NFKC after these replacements, that is its NFKC: five
# replace() calls and a check, a tenth of the cost of normalising.
_WIDE = (("，", ","), ("；", ";"), ("：", ":"), ("（", "("), ("）", ")"))


def _nfkc(text: str) -> str:
    narrow = text
    for wide, plain in _WIDE:
        narrow = narrow.replace(wide, plain)
    return narrow if unicodedata.is_normalized("NFKC", narrow) else unicodedata.normalize("NFKC", text)


def normalize_1to1(text: str) -> str | None:
    """``text`` normalised character for character (NFKC, ё→е, case, Simplified), or None when
    that would change its length (then offsets need ``normalize_with_offsets``). White space is
    kept, so offsets in the result are offsets in ``text``."""
    # the checks skip work that would change nothing (this runs on every Chinese segment)
    folded = text if unicodedata.is_normalized("NFKC", text) else _nfkc(text)
    if len(folded) != len(text):
        return None
    if _FOLDED.search(folded):
        folded = folded.translate(_CHAR_FOLD)
    folded = folded.casefold()
    if len(folded) != len(text):
        return None
    simplified = to_simplified(folded)
    return simplified if len(simplified) == len(text) else None
