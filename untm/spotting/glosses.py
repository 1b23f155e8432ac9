"""The query's words one by one (``_glosses``): which words of the other language render each,
by CC-CEDICT and by spotting the word over the memory units that hold it. A rare query (in few
units) borrows its words' evidence: Equatorial Guinea occurs once, Guinea often."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

from uncore.lang import data_language
from untm.spotting.background import Background
from untm.spotting.ranking import _rank
from untm.spotting.words import tokens

WordHits = Callable[[str], Sequence[Mapping[str, str]]]
FEW_HITS = 5  # a word of the query found in fewer units says nothing about its rendering
GLOSS_BELOW = 20  # the query's words are spotted one by one when it is in fewer units
WORD_SAMPLE = 30  # units per word of the query for its glosses
MAX_GLOSSES = 20_000  # words' renderings remembered per memory revision
WORD_RENDERINGS = 3


def _glosses(
    query: str,
    query_lang: str,
    lang: str,
    background: Background | None,
    word_hits: WordHits | None,
) -> list[frozenset[str]]:
    """For each content word of the query, the word keys of ``lang`` that render it: CC-CEDICT
    for an English word against Chinese, and the memory's own renderings of the word, spotted
    over the units that hold the word (Equatorial Guinea occurs once, Guinea often). Cached in
    ``background`` (per memory revision)."""
    words = [t for t in tokens(query, query_lang) if t.key and not t.stop]
    found: list[set[str]] = [set() for _ in words]
    if query_lang == "en" and not data_language(lang).joins_words:
        for position, word in enumerate(words):  # matched by the CC-CEDICT glosses (_covers)
            found[position].add(f"en:{word.key}")
    if word_hits is not None and len(words) > 1:
        for position, word in enumerate(words):
            surface = query[word.start : word.end]
            cache = background.glosses if background is not None else {}
            key = (surface.lower(), query_lang, lang)
            if key not in cache:
                sub = [h for h in word_hits(surface)[:WORD_SAMPLE] if h.get(lang) and h.get(query_lang)]
                keys: set[str] = set()
                if len(sub) >= FEW_HITS:
                    # a word is rendered by a word (in Chinese, a few pieces: 阿|拉伯)
                    spaces = 1 if data_language(lang).joins_words else 3
                    ordered = _rank(surface, query_lang, lang, sub, background, []).ordered()
                    short = (k for k in ordered if k.count(" ") < spaces)
                    for phrase in itertools.islice(short, WORD_RENDERINGS):
                        keys.update(phrase.split(" "))
                if len(cache) >= MAX_GLOSSES:
                    cache.clear()  # a long-running server: forget, rather than grow without end
                cache[key] = frozenset(keys)
            found[position].update(cache[key])
    return [frozenset(keys) for keys in found]
