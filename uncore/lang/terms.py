"""The one term finder: where the terms of a termbase occur in running text.

QA, the aligner's termbase evidence, ``untm term lookup`` on running text and the web page all
find terms here, with the same inflection handling and the same exceptions. It works on any
concepts shaped like ``termbase.model.Concept`` (an ``id`` and ``terms`` with ``lang``, ``text``,
``status`` and ``not_inside``), so the aligner can use it without importing ``termbase``.

One Aho-Corasick automaton per language (pyahocorasick), never a loop of regular expressions.

* Languages written with spaces (en, ru, fr, es, ar) are matched on a stream of word keys
  (``uncore.lang.words``): Russian tokens are reduced to their pymorphy3 lemma (Республики Корея,
  Республике Корея → республика корея), the others to their Snowball stem (Korea's → korea).
  Patterns are wrapped in spaces, so a term only matches whole words. Offsets are mapped back
  to the original text.
* Chinese (no spaces) is matched on the normalised characters with spaces and brackets/quotes
  removed (PDF text has ``21 世纪议程``), again with offsets mapped back.

Longest match wins; shorter overlapping hits are dropped (朝鲜 inside 朝鲜民主主义人民共和国,
Iran inside Islamic Republic of Iran). A term's ``not_inside`` contexts (美国 in 南美国家,
США in долл. США) are added to the automaton too and cancel that term where they match: the
exceptions are data, not code. Terms written in capitals (UK, США) only match capitals; terms
starting with a capital only match a capitalised word (Turkey, not turkey).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Any, TypeVar

import ahocorasick

from uncore.lang import Language, data_language
from uncore.lang.normalize import normalize, normalize_1to1, normalize_with_offsets
from uncore.lang.words import TOKEN, lemma_key, word_key

__all__ = ["TermHit", "TermMatcher", "lemma_key"]

_TOKEN = TOKEN
_DROPPED_IN_CJK = {"Zs", "Zl", "Zp", "Cc", "Ps", "Pe", "Pi", "Pf"}


@dataclass(frozen=True)
class TermHit:
    """A term found at ``text[start:end]``. ``status`` is the status of the matched term; for a
    deprecated or superseded one, ``replacement`` is the concept's preferred term in the same
    language and ``preferred(lang)`` gives it in any other."""

    start: int
    end: int
    surface: str
    concept_id: str
    term: Any  # termbase.model.Term or alike
    status: Any  # the term's status (termbase.model.Status)
    concept: Any = field(compare=False, repr=False)  # termbase.model.Concept or alike

    @property
    def replacement(self) -> Any:
        return self.concept.replacement(self.term)

    def preferred(self, lang: str) -> Any:
        return self.concept.preferred(lang)

    @property
    def preferred_terms(self) -> dict[str, Any]:
        return self.concept.preferred_terms()


_V = TypeVar("_V")


class _KeyCache(dict[str, _V]):
    """word → keys, computed on first sight. A look-up is one dict access with no Python call
    (half the cost of an ``lru_cache`` hit, and every word of every segment is looked up); the
    table is emptied when it reaches ``limit`` entries, to bound memory on huge inputs."""

    __slots__ = ("_compute", "_limit")

    def __init__(self, compute: Callable[[str], _V], limit: int = 200_000) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, word: str) -> _V:
        if len(self) >= self._limit:
            self.clear()
        value = self[word] = self._compute(word)
        return value


@dataclass(frozen=True)
class _Entry:
    """What an automaton key stands for: a term of a concept, or an exception context of one."""

    concept: int  # index into TermMatcher._concepts
    term: Any
    blocker: bool = False
    upper: bool = False  # term in capitals: surface must be too
    capital: bool = False  # term starts with a capital: surface must too
    length: int = 0  # length of the automaton key, to find where a match starts
    tail: str = ""  # the term's last character when it is not alphanumeric: Iran (… of)


def _fragment(keys: tuple[str, ...]) -> str:
    """One chunk's part of a key stream: ``" key1 key2"``, empty when it has no token."""
    return " " + " ".join(keys) if keys else ""


def _key_stream(text: str, keys_of: Callable[[str], tuple[str, ...]]) -> str:
    """``" key1 key2 ... "``: the keys of the tokens of ``text``, chunk by chunk (a chunk is a
    run between spaces; tokens never contain a space), as ``_Tokenised`` builds it."""
    return "".join(_fragment(keys_of(chunk)) for chunk in text.split(" ")) + " "


# where the keys of a chunk start and end in its fragment (offset → index), and its tokens' spans
_Layout = tuple[dict[int, int], dict[int, int], tuple[tuple[int, int], ...]]


class _ChunkKeys:
    """The keys of one language's space-delimited chunks of running text, cached per chunk
    (chunks recur): ``fragment`` gives a chunk's part of the key stream, ``" key1 key2"`` (empty
    when it has no token), and ``layout`` where its keys and tokens are, asked only for the
    chunks of a match."""

    __slots__ = ("fragment", "layout")

    def __init__(self, token_key: Callable[[str], str]) -> None:
        def keys(chunk: str) -> tuple[str, ...]:
            return tuple(map(token_key, _TOKEN.findall(chunk)))

        def fragment(chunk: str) -> str:
            return _fragment(keys(chunk))

        def layout(chunk: str) -> _Layout:
            # offsets in the fragment: where key i starts, and where it ends (exclusive)
            starts: dict[int, int] = {}
            ends: dict[int, int] = {}
            at = 0
            for index, key in enumerate(keys(chunk)):
                starts[at + 1] = index
                at += 1 + len(key)
                ends[at] = index
            return starts, ends, tuple(m.span() for m in _TOKEN.finditer(chunk))

        self.fragment = _KeyCache(fragment).__getitem__
        self.layout = _KeyCache(layout).__getitem__


class _Tokenised:
    """A text as a key stream ``" key1 key2 ... "`` (``key``), built from the cached fragments
    of its chunks. Where each chunk starts, in the stream and in the text, is only worked out
    (by running sums, no per-token Python loop) when the automaton found something: most
    segments have no term."""

    __slots__ = ("_chunk_lengths", "_chunks", "_fragment_starts", "_fragments", "_layout", "key")

    def __init__(self, text: str, keys: _ChunkKeys) -> None:
        self._chunks = text.split(" ")
        self._fragments = list(map(keys.fragment, self._chunks))
        self._layout = keys.layout
        self.key = "".join(self._fragments) + " "

    def locate(self) -> None:
        # chunk c's fragment starts at _fragment_starts[c] in self.key, its text at
        # _chunk_lengths[c] + c (the chunks before it and a space after each)
        self._fragment_starts = list(accumulate(map(len, self._fragments), initial=0))
        self._chunk_lengths = list(accumulate(map(len, self._chunks), initial=0))

    def span(self, key_start: int, key_end: int) -> tuple[int, int] | None:
        """The text span of the tokens whose keys run from ``key_start`` to the space at
        ``key_end``; None when these are not token boundaries."""
        starts = self._fragment_starts
        # a key starting (or ending) at x lies in the last chunk whose fragment starts before x
        first_chunk = bisect_left(starts, key_start) - 1
        last_chunk = bisect_left(starts, key_end) - 1
        first_keys, _, first_spans = self._layout(self._chunks[first_chunk])
        first = first_keys.get(key_start - starts[first_chunk])
        if first is None:
            return None
        _, last_keys, last_spans = self._layout(self._chunks[last_chunk])
        last = last_keys.get(key_end - starts[last_chunk])
        if last is None:
            return None
        lengths = self._chunk_lengths
        return (
            lengths[first_chunk] + first_chunk + first_spans[first][0],
            lengths[last_chunk] + last_chunk + last_spans[last][1],
        )


class TermMatcher:
    """Find the terms of ``termbase`` (a ``Termbase`` or any iterable of ``Concept``) in text.

    Build once per run (building reads every concept); ``find`` is then cheap: QA calls it
    once per segment and language.
    """

    def __init__(self, termbase: Iterable[Any], langs: Iterable[str | Language]) -> None:
        self.langs = tuple(data_language(lang).code for lang in langs)
        self._concepts: list[Any] = []
        self._automata: dict[str, ahocorasick.Automaton | None] = {}
        self._keyfns = {lang: self._key_function(lang) for lang in self.langs}
        self._prefixes: dict[str, set[str]] = {lang: set() for lang in self.langs}
        pending: dict[str, dict[str, list[_Entry]]] = {lang: {} for lang in self.langs}
        for concept in termbase:
            index = len(self._concepts)
            self._concepts.append(concept)
            for term in concept.terms:
                lang = data_language(term.lang).code
                if lang not in pending:
                    continue
                entry = _Entry(
                    index,
                    term,
                    upper=_is_upper(term.text),
                    capital=_is_capital(term.text),
                    tail=_tail(term.text),
                )
                self._add(pending[lang], lang, term.text, entry)
                for context in term.not_inside:
                    self._add(pending[lang], lang, context, _Entry(index, term, blocker=True))
        self._gated = {lang: self._gate(lang) for lang in self.langs}
        for lang, entries in pending.items():
            if not entries:
                self._automata[lang] = None
                continue
            automaton = ahocorasick.Automaton()
            for key, values in entries.items():
                automaton.add_word(key, tuple(values))
            automaton.make_automaton()
            self._automata[lang] = automaton

    @staticmethod
    def _key_function(lang: str) -> Callable[[str], str] | None:
        return word_key(lang)

    def _pattern(self, lang: str, text: str) -> str:
        keyfn = self._keyfns[lang]
        if keyfn is None:
            stream, _ = _cjk_stream(text)
            return stream
        for match in _TOKEN.finditer(text):
            self._prefixes[lang].add(_prefix(match.group()))
            self._prefixes[lang].add(_prefix(keyfn(match.group())))
        return _key_stream(text, lambda chunk: tuple(map(keyfn, _TOKEN.findall(chunk))))

    def _gate(self, lang: str) -> _ChunkKeys | None:
        """The keys of a chunk of running text. A token whose first letters begin no word
        (surface or lemma) of any term cannot be part of a match, so it gets a placeholder
        key instead of a pymorphy3 parse or a stem: that is most tokens of a text."""
        keyfn = self._keyfns[lang]
        if keyfn is None:
            return None
        prefixes = self._prefixes[lang]

        def gated(token: str) -> str:
            return keyfn(token) if _prefix(token) in prefixes else "#"

        return _ChunkKeys(_KeyCache(gated).__getitem__)

    def _add(self, table: dict[str, list[_Entry]], lang: str, text: str, entry: _Entry) -> None:
        key = self._pattern(lang, text)
        if key.strip():
            table.setdefault(key, []).append(replace(entry, length=len(key)))

    def find(self, text: str, lang: str | Language) -> list[TermHit]:
        """Every term occurrence in ``text`` (a segment in ``lang``), in text order, longest
        match first among overlaps, exceptions applied."""
        code = _CODES.get(lang) if isinstance(lang, str) else None
        if code is None:
            code = _CODES.setdefault(str(lang), data_language(lang).code)
        automaton = self._automata.get(code)
        if automaton is None or not text:
            return []
        candidates: list[tuple[int, int, _Entry]] = []
        keys = self._gated[code]
        if keys is None:
            stream, origin_of = _cjk_stream(text)
            found_cjk = list(automaton.iter(stream))
            origin = origin_of() if found_cjk else []
            for end, entries in found_cjk:
                for entry in entries:
                    candidates.append((origin[end - entry.length + 1], origin[end] + 1, entry))
        else:
            tokens = _Tokenised(text, keys)
            found = list(automaton.iter(tokens.key))
            if found:
                tokens.locate()
            for end, entries in found:
                for entry in entries:
                    span = tokens.span(end - entry.length + 2, end)
                    if span is not None:
                        candidates.append((span[0], span[1], entry))
        return self._select(text, candidates)

    def _select(self, text: str, candidates: list[tuple[int, int, _Entry]]) -> list[TermHit]:
        if not candidates:
            return []
        # (most texts have one or two candidates: the tests of empty lists below each skip a
        # generator)
        blocked = [(s, e, id(en.term)) for s, e, en in candidates if en.blocker]
        kept = []
        for start, end, entry in candidates:
            if entry.blocker:
                continue
            if blocked and any(
                bs <= start and end <= be and key == id(entry.term) for bs, be, key in blocked
            ):
                continue
            surface = text[start:end]
            if entry.upper and not surface.isupper():
                continue
            if entry.capital and not surface[:1].isupper():
                continue
            if entry.tail and text[end : end + 1] == entry.tail:  # "Iran (Islamic Republic of)"
                end += 1
                surface = text[start:end]
            kept.append((start, end, entry, surface))
        if len(kept) > 1:
            kept.sort(key=lambda c: (c[0] - c[1], c[0]))
        taken: list[tuple[int, int]] = []
        hits: list[TermHit] = []
        for start, end, entry, surface in kept:
            if taken and any(start < te and ts < end and (ts, te) != (start, end) for ts, te in taken):
                continue
            if hits and any(h.start == start and h.end == end and h.term == entry.term for h in hits):
                continue
            taken.append((start, end))
            concept = self._concepts[entry.concept]
            hits.append(TermHit(start, end, surface, concept.id, entry.term, entry.term.status, concept))
        if len(hits) > 1:
            hits.sort(key=lambda h: (h.start, -h.end))
        return hits


_CJK_KEPT = re.compile(r"[^\s\(\)\[\]（）《》〈〉「」『』【】〔〕“”‘’\"'«»]+")
_CJK_DROPPED = re.compile(r"[\s\(\)\[\]（）《》〈〉「」『』【】〔〕“”‘’\"'«»]")  # what _CJK_KEPT is not


def _cjk_stream(text: str) -> tuple[str, Callable[[], Sequence[int]]]:
    """Normalised characters of ``text`` without spaces, brackets and quotes, and a function
    giving where each came from (called only when the automaton found something). Fast path:
    when normalising keeps the length (almost always), characters map one to one, the stream is
    one substitution and where its characters came from is only worked out when asked."""
    normal = normalize_1to1(text)
    if normal is None:
        stream, where = _cjk_stream_slow(text)
        return stream, lambda: where
    stream = _CJK_DROPPED.sub("", normal)
    if len(stream) == len(normal):
        return normal, lambda: range(len(normal))

    def origin() -> list[int]:
        where: list[int] = []
        for run in _CJK_KEPT.finditer(normal):
            where.extend(range(run.start(), run.end()))
        return where

    return stream, origin


def _cjk_stream_slow(text: str) -> tuple[str, list[int]]:
    normal, origin = normalize_with_offsets(text)
    chars: list[str] = []
    where: list[int] = []
    for ch, index in zip(normal, origin, strict=True):
        if unicodedata.category(ch) in _DROPPED_IN_CJK:
            continue
        chars.append(ch)
        where.append(index)
    return "".join(chars), where


_CODES: dict[str, str] = {}


_PREFIX = 3  # Russian adjective stems can be this short: Южной / Южная share only "юж(н)"


def _prefix(token: str) -> str:
    return normalize(token).replace("'", "")[:_PREFIX]


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _is_capital(text: str) -> bool:
    return text[:1].isupper()


def _tail(text: str) -> str:
    last = text[-1:]
    return last if last and not last.isalnum() else ""
