"""The entry point (``spot``): for each other language of a query's hits, the rendering chosen
in each hit (the termbase's when the query is a term, else the best ranked phrase), every place
a hit uses it, and the summary of the renderings with their counts (``Spotting``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from uncore.lang import data_language
from untm.spotting.background import Background
from untm.spotting.glosses import GLOSS_BELOW, WordHits, _glosses
from untm.spotting.ranking import _rank
from untm.spotting.tables import _table
from untm.spotting.words import _longest, tokens

MIN_SCORE = 0.5  # below this no phrase is highlighted: better nothing than a wrong word


@dataclass(frozen=True)
class Rendering:
    """One way the query is rendered in ``lang``: its commonest form, the hits that use it, and
    every form grouped under it (Russian cases)."""

    lang: str
    key: str
    text: str
    count: int
    forms: tuple[str, ...] = ()

    @property
    def inflected(self) -> bool:
        return len(self.forms) > 1


@dataclass(frozen=True)
class Spotting:
    """For hit ``i`` and language ``lang``, ``spans[(i, lang)]`` are the highlighted (start, end);
    ``renderings[lang]`` the summary, commonest first; ``keys[(i, lang)]`` the rendering each hit
    uses (to filter the hits by rendering)."""

    spans: dict[tuple[int, str], tuple[tuple[int, int], ...]] = field(default_factory=dict)
    renderings: dict[str, tuple[Rendering, ...]] = field(default_factory=dict)
    keys: dict[tuple[int, str], str] = field(default_factory=dict)


def spot(
    query: str,
    query_lang: str,
    hits: Sequence[Mapping[str, str]],
    background: Background | None = None,
    *,
    terms: Any = None,
    word_hits: WordHits | None = None,
) -> Spotting:
    """Spot the rendering of ``query`` (in ``query_lang``) in every other language of ``hits``
    (each a ``{lang: text}`` of one memory unit that holds the query). ``terms`` is a
    ``TermMatcher`` over the termbase, or None; ``word_hits`` gives the memory units that hold
    one word of the query (for queries found in few units), or None."""
    result = Spotting()
    langs = sorted({lang for hit in hits for lang in hit if lang != query_lang})
    term_concepts = _query_concepts(terms, query, query_lang)
    for lang in langs:
        chosen = _spot_language(query, query_lang, lang, hits, background, terms, term_concepts, word_hits)
        forms: dict[str, Counter[str]] = {}
        for index, (key, start, end, surface, places) in chosen.items():
            result.spans[(index, lang)] = _occurrences(hits[index][lang], lang, key, (start, end), places)
            result.keys[(index, lang)] = key
            forms.setdefault(key, Counter())[surface] += 1
        summary = [
            Rendering(lang, key, counts.most_common(1)[0][0], sum(counts.values()), tuple(sorted(counts)))
            for key, counts in forms.items()
        ]
        summary.sort(key=lambda r: (-r.count, r.text))
        result.renderings[lang] = tuple(summary)
    return result


def _occurrences(
    text: str, lang: str, key: str, chosen: tuple[int, int], places: Sequence[tuple[int, int]] | None = None
) -> tuple[tuple[int, int], ...]:
    """Every place ``text`` uses the rendering ``key`` (a segment may name the Council twice),
    not overlapping, the chosen one included. ``places``: those of a ranked phrase (its key's
    places in its segment, ``_Ranked.places``); None: a rendering the termbase found, which in
    Chinese needs no table (no jieba cut) when its characters cannot be elsewhere."""
    found = {chosen}
    if places is not None:
        found.update(places)
    elif data_language(lang).joins_words:
        found.update(_table(text, lang).spans(key, _longest(lang)))
    elif _only_inside(text, key, chosen):
        return (chosen,)
    elif "".join(key.split()) in "".join(text.split()):
        # (a Chinese phrase's key is its pieces, so its text without spaces is the key's: absent
        # from the text, it is in no phrase)
        found.update(_table(text, lang).spans(key, _longest(lang)))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return tuple(kept)


def _only_inside(text: str, key: str, chosen: tuple[int, int]) -> bool:
    """Whether a Chinese phrase of key ``key`` can only be inside ``chosen`` (or nowhere): its
    characters (a phrase's are its key's, spaces aside) occur once in ``text``, spaces aside,
    and that once is inside ``chosen``. Then every phrase of that key lies within ``chosen``
    and gives way to it, so ``text`` need not be cut by jieba to know it."""
    chars, whole = "".join(key.split()), "".join(text.split())
    first = whole.find(chars)
    return first < 0 or (
        whole.find(chars, first + 1) < 0 and chars in "".join(text[chosen[0] : chosen[1]].split())
    )


def _query_concepts(terms: Any, query: str, lang: str) -> set[str]:
    if terms is None:
        return set()
    try:
        return {hit.concept_id for hit in terms.find(query, lang)}
    except Exception:  # a language the term finder does not know: no term evidence
        return set()


def _spot_language(
    query: str,
    query_lang: str,
    lang: str,
    hits: Sequence[Mapping[str, str]],
    background: Background | None,
    terms: Any,
    term_concepts: set[str],
    word_hits: WordHits | None,
) -> dict[int, tuple[str, int, int, str, list[tuple[int, int]] | None]]:
    """hit index → (key, start, end, surface, places) of the rendering chosen in ``lang``
    (places: where its key is in its segment when chosen by its phrases' scores, None when
    by the termbase)."""
    chosen: dict[int, tuple[str, int, int, str, list[tuple[int, int]] | None]] = {}
    # 1. the termbase: the query's concept, where the unit's other language writes it
    if term_concepts:
        for index, hit in enumerate(hits):
            text = hit.get(lang)
            if not text or query_lang not in hit:
                continue
            for concept, start, end, surface in _terms_in(terms, text, lang):
                if concept in term_concepts:
                    key = " ".join(_query_keys(surface, lang)) or surface
                    chosen[index] = (key, start, end, surface, None)
                    break
    # 2. statistics, dictionaries, length and position for the other hits
    rest = [i for i, hit in enumerate(hits) if i not in chosen and hit.get(lang) and hit.get(query_lang)]
    if not rest:
        return chosen
    # the query's words one by one help when the query itself is rare; a frequent query's
    # renderings stand out by association alone (and glosses cost a search per word)
    glosses = _glosses(query, query_lang, lang, background, word_hits if len(rest) < GLOSS_BELOW else None)
    ranked = _rank(query, query_lang, lang, [hits[i] for i in rest], background, glosses)
    choice = ranked.choose(MIN_SCORE)
    places = ranked.places([phrase for _, phrase in choice.values()])
    for (local, (key, phrase)), where in zip(choice.items(), places, strict=True):
        index = rest[local]
        start, end = int(ranked.start[phrase]), int(ranked.end[phrase])
        chosen[index] = (key, start, end, hits[index][lang][start:end], where)
    return chosen


# the term finder, and what it found in each (text, lang): replaced together, as one tuple
_TERMS_IN: list[tuple[Any, dict[tuple[str, str], tuple[tuple[str, int, int, str], ...]]]] = [(None, {})]
MAX_TERMS_IN = 16_000  # segments whose terms are kept


def _terms_in(terms: Any, text: str, lang: str) -> tuple[tuple[str, int, int, str], ...]:
    """The terms ``terms`` finds in ``text`` as (concept id, start, end, surface), kept per
    segment while the term finder is the same (a segment comes back in other queries' hits)."""
    finder, found = _TERMS_IN[0]
    if finder is not terms:
        finder, found = _TERMS_IN[0] = (terms, {})
    there = found.get((text, lang))
    if there is None:
        if len(found) >= MAX_TERMS_IN:
            found.clear()  # (a long-running server: forgotten rather than grown without end)
        there = found[(text, lang)] = tuple(
            (hit.concept_id, hit.start, hit.end, hit.surface) for hit in terms.find(text, lang)
        )
    return there


@lru_cache(maxsize=10_000)
def _query_keys(query: str, lang: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokens(query, lang) if t.key and not t.stop)
