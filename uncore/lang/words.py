"""Word keys: how untm decides that two written words are the same word.

* Russian words become their pymorphy3 lemma (Республики, Республике → республика);
* English, French, Spanish, German and Arabic words their Snowball stem (Korea's → korea);
* Chinese text is cut into words with jieba.

The term finder, the termbase store and lookup, term extraction, the aligner's dictionary
evidence and the PostgreSQL memory all take their keys from here, so they agree on what a word
is. The heavy libraries load on first use: importing this module costs nothing.

Snowball stemmers (PyStemmer's C objects) must not be shared between threads, so each thread
gets its own; the caches in front of them are thread-safe.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from uncore.errors import UsageError
from uncore.lang import data_language
from uncore.lang.normalize import normalize
from uncore.lang.scripts import has_cyrillic

if TYPE_CHECKING:
    import pymorphy3

TOKEN = re.compile(r"\w+(?:['’]\w+)*")
"""A word of a language written with spaces, apostrophes inside it kept (Côte d'Ivoire)."""

SNOWBALL = {"en": "english", "ru": "russian", "fr": "french", "es": "spanish", "ar": "arabic", "de": "german"}
"""Languages with a Snowball stemmer, by code."""

# Function words carry no evidence about which sentence translates which, nor about terms.
# (English has no maintained list in our dependencies: NLTK's needs a corpus download.)
_EN_STOP_WORDS = (
    "the and for that with this from are was were been being have has had not but its their they "
    "them these those which who whom whose what when where while also such than then there into "
    "onto upon over under out about above below between through during before after other any all "
    "each both more most some very can could may might shall should will would our your his her she "
    "him one two"
)
# Russian and Chinese function words: what a phrase (a term, a rendering) neither starts nor
# ends with. Short closed lists: prepositions, conjunctions, particles, Chinese structural words.
_RU_STOP_WORDS = (
    "и в во на по с со о об обо для к ко из от до за при под над что чтобы а но или также не ни "
    "как его ее их этот эта это эти который которая которое которые который же ли бы"
)
_ZH_STOP_WORDS = "的 和 与 及 以及 在 是 了 对 为 并 或 等 之 于 将 把 被 其 这 该 各 由 从 向 也 又 而"
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN_STOP_WORDS.split()),
    "ru": frozenset(_RU_STOP_WORDS.split()),
    "zh": frozenset(_ZH_STOP_WORDS.split()),
}

_LOCAL = threading.local()


def stemmer(code: str) -> Any | None:
    """This thread's Snowball stemmer for ``code`` (None for a language without one)."""
    table: dict[str, Any] | None = getattr(_LOCAL, "stemmers", None)
    if table is None:
        table = _LOCAL.stemmers = {}
    if code not in table:
        name = SNOWBALL.get(code)
        if name is None:
            table[code] = None
        else:
            import snowballstemmer

            table[code] = snowballstemmer.stemmer(name)
    return table[code]


@lru_cache(maxsize=500_000)
def stem(code: str, word: str) -> str:
    """Snowball stem of a lower-cased word (the word itself without a stemmer); cached, since
    running text repeats its words."""
    found = stemmer(code)
    return found.stemWord(word) if found is not None else word


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    """The one pymorphy3 analyser (loading its dictionaries takes about 0.3 s)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_PROPER = ("Geox", "Name", "Orgn", "Abbr", "Trad")


@lru_cache(maxsize=200_000)
def _ru_reading(folded: str) -> tuple[str, str, bool]:
    """One pymorphy3 parse of a folded Cyrillic token, for everything asked of it: its lemma,
    its lemma as a proper noun, whether it is an adjective or participle. (Parsing costs
    ~0.3 ms; the look-up page asked for the lemma and the part of speech apart, twice.)"""
    parses = morph().parse(folded)
    first = parses[0]
    proper = next((p for p in parses if any(g in p.tag for g in _PROPER)), first)
    return (
        str(first.normal_form).replace("ё", "е"),
        str(proper.normal_form).replace("ё", "е"),
        first.tag.POS in ("ADJF", "PRTF"),
    )


@lru_cache(maxsize=200_000)
def ru_lemma(token: str) -> str:
    """The lemma of a Russian token, normalised (ё → е). A capitalised token prefers a
    proper-noun reading, so the country Того stays того instead of becoming the pronoun тот."""
    folded = normalize(token)
    if not has_cyrillic(folded):
        return folded
    plain, proper, _ = _ru_reading(folded)
    return proper if token[:1].isupper() else plain


@lru_cache(maxsize=200_000)
def ru_modifier(token: str) -> bool:
    """True when a Russian token is most likely an adjective or participle (Объединенные,
    Арабские): in a noun phrase it precedes its noun, so a phrase does not end with it."""
    folded = normalize(token)
    if not has_cyrillic(folded):
        return False
    return _ru_reading(folded)[2]


@cache
def word_key(code: str) -> Callable[[str], str] | None:
    """The function from a token to its key in language ``code``: the lemma for Russian, the
    normalised Snowball stem otherwise (digits kept as they are); None for languages written
    without spaces (match those on characters)."""
    if not data_language(code).joins_words:
        return None
    if code == "ru":
        return ru_lemma

    @lru_cache(maxsize=200_000)
    def key(token: str) -> str:
        folded = normalize(token).replace("'", "")
        return folded if folded.isdigit() else stem(code, folded)

    return key


def lemma_key(text: str, lang: str) -> str | None:
    """The keys of the words of ``text`` as one space-separated string; None for languages
    written without spaces or unknown to untm. The termbase store keeps it per term so that
    lookup finds Южной Кореи under Южная Корея."""
    try:
        keyfn = word_key(data_language(lang).code)
    except UsageError:
        return None
    if keyfn is None:
        return None
    return " ".join(keyfn(token) for token in TOKEN.findall(text)) or None


@cache
def jieba() -> Any:
    """jieba, initialised once with its dictionary and its log silenced."""
    import jieba as module

    module.setLogLevel(logging.WARNING)
    module.initialize()
    return module


@lru_cache(maxsize=20_000)
def chinese_words(text: str, guess: bool = False) -> tuple[str, ...]:
    """``text`` cut into Chinese words by jieba's dictionary; ``guess`` lets its HMM join
    characters into words the dictionary lacks (good for alignment evidence, noisy for terms).
    Cached: the aligner's two dictionaries (CC-CEDICT, the Russian one) cut the same Chinese
    sentences one after the other, and jieba is the dearer half of their work."""
    return tuple(jieba().lcut(text, HMM=guess))
