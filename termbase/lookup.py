"""Look a term up in any language and get the concept in all languages.

Exact matches come first, then terms that start with the query, then fuzzy matches (rapidfuzz
``ratio`` on normalised text, so 聯合國, ＵＮＯＤＣ and Кыргызстан/кыргызстан find their
entries). A deprecated or superseded hit carries the term to use instead, in its language and
in every other one, so the CLI can print it loudly.

Works on either store (``termbase.store.TermStore``: SQLite or PostgreSQL) with the same results:
the word-inside-a-name candidates and the fuzzy candidates come from indexes built here from the
store's ``norms()``, once per termbase and revision, and shared by every handle on it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from termbase.model import Concept, Status, Term
from termbase.store import TermStore
from uncore.errors import UsageError
from uncore.lang import dominant_script, language
from uncore.lang.normalize import normalize
from uncore.lang.scripts import has_han
from uncore.lang.terms import TermHit, TermMatcher, lemma_key

KINDS = ("exact", "lemma", "text", "prefix", "word", "fuzzy")
# Language whose word keys an unlabelled query is given, by script (--lang overrides).
_SCRIPT_LANG = {"Cyrl": "ru", "Latn": "en"}
# Languages a sentence pasted as a query may be in, by script, for the term finder.
_SCRIPT_LANGS = {"Cyrl": ("ru",), "Latn": ("en", "fr", "es"), "Hans": ("zh",), "Arab": ("ar",)}
_TEXT_WORDS = 5  # a query of this many words (or twice as many Han characters) is running text


@dataclass(frozen=True)
class LookupResult:
    """One concept found for a query: which of its terms matched, how, and how well (0–100)."""

    concept: Concept
    term: Term
    # exact | lemma (same words, other inflection) | text (a term in a pasted sentence) | prefix
    # | word (a word inside a term) | fuzzy
    match: str
    score: float

    @property
    def concept_id(self) -> str:
        return self.concept.id

    @property
    def status(self) -> Status:
        return self.term.status

    @property
    def replacement(self) -> Term | None:
        """The preferred term in the matched term's language, when the match is deprecated."""
        return self.concept.replacement(self.term)

    @property
    def preferred(self) -> dict[str, Term]:
        """The term to use in every language, in the register of the matched term (a full name
        answers with full names, a short form with short forms, an acronym with acronyms)."""
        return self.concept.preferred_terms(like=self.term)


class _FuzzyIndex:
    """Character n-gram inverted index (trigrams; bigrams for Chinese) over the normalised
    terms. A fuzzy query scores with rapidfuzz only the few hundred terms that share the most
    n-grams with it (counted with numpy), instead of every term in the termbase."""

    CANDIDATES = 300

    def __init__(self, norms: list[tuple[str, int]]) -> None:
        self.strings = [norm for norm, _ in norms]
        self.concepts = np.fromiter((concept for _, concept in norms), dtype=np.int64, count=len(norms))
        postings: dict[str, list[int]] = {}
        for index, text in enumerate(self.strings):
            for gram in _grams(text):
                postings.setdefault(gram, []).append(index)
        self.postings = {gram: np.asarray(ids, dtype=np.int32) for gram, ids in postings.items()}

    def search(self, query: str, cutoff: float, limit: int) -> list[tuple[str, float, int]]:
        arrays = [self.postings[g] for g in _grams(query) if g in self.postings]
        if not arrays:
            return []
        counts = np.bincount(np.concatenate(arrays))
        # Terms sharing at least half as many n-grams as the best one; argpartition over the
        # whole array is slow when most counts tie at zero, so select by threshold first.
        top = np.flatnonzero(counts >= max(1, int(counts.max()) // 2))
        if len(top) > self.CANDIDATES:
            top = top[np.argpartition(counts[top], -self.CANDIDATES)[-self.CANDIDATES :]]
        choices = [self.strings[i] for i in top]
        found = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        return [(text, score, int(self.concepts[top[index]])) for text, score, index in found]


class _NameIndex:
    """Every normalised term, shortest first (ties in insertion order), joined into one string:
    the terms containing a query are found by ``str.find`` over it, in C, stopping at the
    ``limit``-th, instead of by a scan of every term in the database per query (which was about
    70 % of a lookup's time at 5,000 concepts). Gives exactly what ``TermStore.find_containing``
    gives (the same order, the same limit)."""

    SEPARATOR = "\x00"  # never in a term (the store refuses control characters)

    def __init__(self, norms: list[tuple[str, int]]) -> None:
        order = sorted(range(len(norms)), key=lambda i: len(norms[i][0]))  # stable: ties by insertion
        self.norms = [norms[i][0] for i in order]
        self.concepts = [norms[i][1] for i in order]
        self.starts = [0, *accumulate(len(norm) + 1 for norm in self.norms)]
        self.text = self.SEPARATOR.join(self.norms)

    def search(self, query: str, limit: int) -> list[tuple[int, str]]:
        if self.SEPARATOR in query:
            return []
        found: list[tuple[int, str]] = []
        at = self.text.find(query)
        while at >= 0 and len(found) < limit:
            index = bisect_right(self.starts, at) - 1
            found.append((self.concepts[index], self.norms[index]))
            at = self.text.find(query, self.starts[index + 1])  # the next term on
        return found


def _grams(text: str) -> set[str]:
    """Trigrams of `` text ``, or bigrams when it is Chinese (terms of two or three characters
    would otherwise have almost none)."""
    n = 2 if has_han(text) else 3
    padded = f" {text} "
    return {padded[i : i + n] for i in range(len(padded) - n + 1)}


def _script(text: str) -> str | None:
    """The script of the first letter (ISO 15924)."""
    for ch in text:
        if ch.isalpha():
            return dominant_script(ch)
    return None


_FUZZY: dict[tuple[object, int], _FuzzyIndex] = {}
_NAMES: dict[tuple[object, int], _NameIndex] = {}
_CACHED = 8  # termbases (file and revision) whose indexes are kept


def _identity(termbase: TermStore) -> tuple[object, int]:
    """What a cached index of ``termbase`` is good for: its file (or database URL) and revision.
    The server opens one handle per thread on the same termbase: they share the indexes (keyed by
    handle, each thread evicted the others' and rebuilt them, 100 ms a query under load). A
    change through another connection raises the revision, so the next lookup sees it."""
    path = termbase.path
    where = _resolved(path) if isinstance(path, Path) else path if path is not None else id(termbase)
    return (where, termbase.revision)


@lru_cache(maxsize=64)
def _resolved(path: Path) -> str:
    return str(path.resolve())


def _remember(cache: dict[Any, Any], key: Any, build: Callable[[], Any]) -> Any:
    found = cache.get(key)
    if found is None:
        found = build()
        while len(cache) >= _CACHED:
            cache.pop(next(iter(cache)))
        cache[key] = found
    return found


def _fuzzy_index(termbase: TermStore) -> _FuzzyIndex:
    return _remember(_FUZZY, _identity(termbase), lambda: _FuzzyIndex(termbase.norms()))


def _name_index(termbase: TermStore) -> _NameIndex:
    return _remember(_NAMES, _identity(termbase), lambda: _NameIndex(termbase.norms()))


def lookup(
    termbase: TermStore,
    query: str,
    lang: str | None = None,
    *,
    limit: int = 20,
    cutoff: float = 75.0,
    fuzzy: bool = True,
) -> list[LookupResult]:
    """Concepts matching ``query``: exact, then the same words in another inflection (lemma
    keys: Южной Кореи finds Южная Корея), then prefix, then fuzzy. Fuzzy matching only runs
    when nothing else matched (a typo, a variant spelling): padding real hits with look-alikes
    would only cost time.

    ``lang`` restricts which language's terms may match (the results still show all languages).
    """
    wanted = language(lang).code if lang else None
    norm = normalize(query)
    if not norm:
        raise UsageError("empty query")
    results: list[LookupResult] = []
    seen: set[str] = set()
    key_lang = wanted or _SCRIPT_LANG.get(_script(norm) or "")
    key = lemma_key(query, key_lang) if key_lang else None

    def add(rowids: list[int], kind: str, scores: dict[int, float] | None = None) -> None:
        concepts = termbase.concepts_by_rowid(rowids)
        for rowid in rowids:
            concept = concepts.get(rowid)
            if concept is None or concept.id in seen:
                continue
            term = _best_term(concept, norm, kind, wanted, key)
            if term is None:
                continue
            seen.add(concept.id)
            if kind in ("exact", "lemma"):
                score = 100.0 if kind == "exact" else 99.0
            else:
                score = (scores or {}).get(rowid, _prefix_score(norm, term))
            results.append(LookupResult(concept, term, kind, round(score, 1)))

    add(termbase.find_exact(norm, limit), "exact")
    if key and len(results) < limit:
        add(termbase.find_lemma(key, limit), "lemma")
    if not results and _is_running_text(norm):
        # a pasted sentence: the terms in it, found as QA finds them (inflected, exceptions)
        for hit in terms_in_text(termbase, query, wanted):
            if hit.concept_id not in seen and len(results) < limit:
                seen.add(hit.concept_id)
                results.append(LookupResult(hit.concept, hit.term, "text", 100.0))
    if len(results) < limit:
        add([c for c, _ in termbase.find_prefix(norm, limit * 3)], "prefix")
    if len(results) < limit:
        # a word inside a term: Korea → Republic of Korea and the DPRK; 安理会 inside a name
        add([c for c, t in _name_index(termbase).search(norm, limit * 5) if _inside(norm, t)], "word")
    if fuzzy and not results:
        found = _fuzzy_index(termbase).search(norm, cutoff, limit * 3)
        scores: dict[int, float] = {}
        for _, score, rowid in found:
            scores[rowid] = max(score, scores.get(rowid, 0.0))
        add(list(scores), "fuzzy", scores)
    order = {kind: i for i, kind in enumerate(KINDS)}
    results.sort(key=lambda r: (order[r.match], -r.score))
    return results[:limit]


def _is_running_text(norm: str) -> bool:
    han = sum(1 for ch in norm if has_han(ch))
    return han >= 2 * _TEXT_WORDS or len(norm.split()) >= _TEXT_WORDS


_MATCHERS: dict[tuple[object, int, tuple[str, ...]], TermMatcher] = {}


def term_finder(termbase: TermStore, langs: tuple[str, ...]) -> TermMatcher:
    """The one term finder over ``termbase`` for ``langs``, built once per termbase revision."""
    return _remember(_MATCHERS, (*_identity(termbase), langs), lambda: TermMatcher(termbase, langs))


def terms_in_text(termbase: TermStore, text: str, lang: str | None = None) -> list[TermHit]:
    """The termbase's terms in running ``text`` (in ``lang``, or the languages its script is
    written in), found by the one term finder QA and the aligner use. The finder is built once
    per termbase revision and language set."""
    if lang:
        langs: tuple[str, ...] = (language(lang).code,)
    else:
        langs = _SCRIPT_LANGS.get(dominant_script(text) or "", ())
    if not langs:
        return []
    matcher = term_finder(termbase, langs)
    hits = [hit for code in langs for hit in matcher.find(text, code)]
    return sorted(hits, key=lambda h: (h.start, -h.end))


def _best_term(concept: Concept, norm: str, kind: str, lang: str | None, key: str | None) -> Term | None:
    """The concept's term the query matched (the closest one, in ``lang`` when given)."""
    terms = [t for t in concept.terms if lang is None or t.lang == lang]
    if not terms:
        return None
    if kind == "exact":
        exact = [t for t in terms if normalize(t.text) == norm]
        return exact[0] if exact else None
    if kind == "lemma":
        return max(
            terms, key=lambda t: (lemma_key(t.text, t.lang) == key, fuzz.ratio(norm, normalize(t.text)))
        )
    if kind == "prefix":
        prefixed = [t for t in terms if normalize(t.text).startswith(norm)]
        return min(prefixed, key=lambda t: len(t.text)) if prefixed else None
    if kind == "word":
        inside = [t for t in terms if _inside(norm, normalize(t.text))]
        return min(inside, key=lambda t: (t.status.is_bad, len(t.text))) if inside else None
    return max(terms, key=lambda t: fuzz.ratio(norm, normalize(t.text)))


def _inside(norm: str, term: str) -> bool:
    """``norm`` occurs in ``term``: as whole words where words are spaced (Korea in Republic of
    Korea, not in Koreans), anywhere in Chinese and Japanese. What ``(?<!\\w)norm(?!\\w)``
    matches, without compiling a pattern per query (that was a fifth of a lookup's time)."""
    at = term.find(norm)
    if at < 0:
        return False
    if not (norm[:1].isascii() or (norm[:1].isalpha() and ord(norm[0]) < 0x2E80)):
        return True
    size = len(norm)
    while at >= 0:
        after = at + size
        if (at == 0 or not _word_char(term[at - 1])) and (after == len(term) or not _word_char(term[after])):
            return True
        at = term.find(norm, at + 1)
    return False


def _word_char(ch: str) -> bool:
    """``re``'s ``\\w`` for one character of a ``str``: a letter, digit or number, or ``_``."""
    return ch.isalnum() or ch == "_"


def _prefix_score(norm: str, term: Term) -> float:
    return 100.0 * len(norm) / max(len(normalize(term.text)), 1)
