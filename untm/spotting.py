"""Translation spotting: which words of each other language render the query, in the memory units
a concordance shows, and a summary of those renderings with their counts.

A bilingual concordancer is opened to see how a phrase was translated; highlighting only the
query leaves the translator hunting line by line. The evidence, combined per candidate phrase
(a run of words of the other language, not starting or ending with a function word):

- **the termbase**: when the query holds a term, that concept's terms in the other language,
  found by the one term finder (``uncore.lang.terms``: inflection, longest match);
- **the memory itself**: a phrase that occurs in the units holding the query much more often
  than in the memory at large (a sample of it, ``Background``) is what the query is translated
  by; this is what finds "устойчивого развития" for "sustainable development";
- **CC-CEDICT** for Chinese against an English query: a Chinese word whose glosses are the
  query's words;
- **length and position**: a rendering takes about as much of its segment as the query of its
  own, at about the same place (which decides when a query occurs only once or twice).

Russian phrases are grouped by their lemmas (pymorphy3), so the summary says "устойчивое
развитие (38, all cases)". Everything here is pure: the caller supplies the hits, the
background and the term finder.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from uncore.lang import data_language
from uncore.lang.words import STOP_WORDS, TOKEN, jieba, ru_modifier, word_key

MAX_WORDS = 6  # the longest rendering considered, in words
MAX_PIECES = 10  # in Chinese, pieces of jieba words (朝鲜|民主|主义|人民|共和|国)
ORDER_STEP = 32  # phrases valued at a time when they are given best first (``_Ranked.ordered``)
CLOSED_MIN_HITS = 3  # a phrase inside a longer one in the same hits gives way from this many
MIN_SCORE = 0.5  # below this no phrase is highlighted: better nothing than a wrong word
WORD_CUT = 0.5  # the cost of a rendering that cuts a word or a noun phrase (塞浦|路斯, Арабские | Эмираты)
COVER = 2.0  # the weight of the share of the query's words a phrase renders (glosses)
LONGEST_FACTOR = 4  # phrases longer than this many times the expected length (+12) are not tried
_JOINERS = re.compile(r"[\s\-‐'’]*")  # what may stand between the words of one phrase
_WORD_SPLIT = re.compile(f"({TOKEN.pattern})")  # a text into its words (``TOKEN``) and what is between
_ALNUM = re.compile(r"[^\W_]")  # a character str.isalnum() accepts (\w is those and "_")


class Token(NamedTuple):
    start: int
    end: int
    key: str
    stop: bool
    word_start: bool = True  # False: a piece that starts inside a jieba word (路斯 of 塞浦路斯)
    word_end: bool = True  # False: a phrase cannot end here (inside a Chinese word; a Russian adjective)


# Token(...) goes through namedtuple's __new__ written in Python; a segment has dozens of
# tokens and a rare query tokenises hundreds of segments, so they are built in C instead
_new_token: Callable[[type[Token], tuple[int, int, str, bool, bool, bool]], Token] = tuple.__new__
_WORDS: dict[str, _Words] = {}  # a spaced language's words as tokens see them
MAX_WORDS_KNOWN = 200_000  # per language; then forgotten and learnt again


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


def tokens(text: str, lang: str) -> tuple[Token, ...]:
    """The words of ``text`` with their keys: Chinese by jieba's dictionary, Russian by lemma,
    other spaced languages by Snowball stem."""
    starts, ends, about = _columns(text, lang)
    return tuple(
        _new_token(Token, (start, end, *fields))
        for start, end, fields in zip(starts, ends, about, strict=True)
    )


_PUNCTUATION = ("", True, True, True)  # a token's (key, stop, word_start, word_end) where a phrase stops


def _columns(text: str, lang: str) -> tuple[list[int], list[int], list[tuple[str, bool, bool, bool]]]:
    """``tokens`` as columns: each token's start, end, and (key, function word, word_start,
    word_end); a segment table is built from them without a ``Token`` made per word."""
    stops = STOP_WORDS.get(lang, frozenset())
    starts: list[int] = []
    ends: list[int] = []
    about: list[tuple[str, bool, bool, bool]] = []
    if not data_language(lang).joins_words:
        # a run of Chinese (a jieba block) is cut into pieces alone, and UN text repeats its
        # clauses: each block's pieces are kept (``_block_pieces``); anything else between
        # them is a character a token (punctuation stops a phrase; white space is no token)
        segmenter = jieba()
        state = _jieba_state(segmenter)
        pieces: dict[str, _Pieces] = state[4]
        han = segmenter.re_han_default
        at = 0
        for block in han.split(text):
            if not block:
                continue
            if han.match(block):
                found = pieces.get(block)
                if found is None:
                    if len(pieces) >= MAX_BLOCKS:
                        pieces.clear()  # (a long-running server: forgotten, not grown without end)
                        state[5].clear()
                    found = pieces[block] = _block_pieces(segmenter, state, block, stops)
                starts.extend(map(at.__add__, found[0]))
                ends.extend(map(at.__add__, found[1]))
                about.extend(found[2])
            else:
                for i, char in enumerate(block, at):
                    if _ALNUM.search(char):
                        about.append((char, char in stops, True, True))
                    elif not char.isspace():
                        about.append(_PUNCTUATION)
                    else:
                        continue
                    starts.append(i)
                    ends.append(i + 1)
            at += len(block)
        return starts, ends, about
    known = _WORDS.get(lang)
    if known is None or len(known) > MAX_WORDS_KNOWN:
        known = _WORDS[lang] = _Words(lang)  # (a long-running server: forgotten, not grown without end)
    # the text as [gap, word, gap, word, …, gap]: the words' spans are the parts' lengths summed
    parts = _WORD_SPLIT.split(text)
    about.extend(map(known.__getitem__, parts[1::2]))
    reached = list(itertools.accumulate(map(len, parts)))
    starts.extend(reached[0:-1:2])
    ends.extend(reached[1::2])
    # punctuation between two words (not a space, hyphen or apostrophe) stops a phrase there
    for k in reversed(
        [k for k, gap in enumerate(parts[2:-1:2], 1) if gap != " " and not _JOINERS.fullmatch(gap)]
    ):
        starts.insert(k, ends[k - 1])
        ends.insert(k, starts[k + 1])
        about.insert(k, _PUNCTUATION)
    return starts, ends, about


class _Words(dict[str, tuple[str, bool, bool, bool]]):
    """A spaced language's words as tokens see them: (key, function word, word_start,
    word_end), found at a word's first sight, then one look-up a word instead of the
    stemmer's, pymorphy3's and the stop list's."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.stops = STOP_WORDS.get(lang, frozenset())
        self.key = word_key(lang) or str.lower
        self.russian = lang == "ru"

    def __missing__(self, word: str) -> tuple[str, bool, bool, bool]:
        stop = word.lower() in self.stops or (len(word) <= 2 and word.islower())  # of, to, в, на
        modifier = self.russian and ru_modifier(word)
        found = self[word] = (self.key(word), stop, True, not modifier)
        return found


# jieba's default cut without its HMM (``Tokenizer.cut(text, HMM=False)``, with its own
# patterns), word for word the same (tests/untm/test_spotting.py compares them on unpc-dev) at
# ~0.6x its CPU: the dictionary route is found in one loop, without building the DAG, and each
# word's log-probability is computed once, not at every sight
_jieba_logs: dict[str, Any] = {}
MAX_BLOCKS = 30_000  # runs of Chinese whose tokens are kept (~0.5 KB each)


def _jieba_state(segmenter: Any) -> tuple[Any, ...]:
    """(FREQ, total, log-probabilities, log of total, each block's pieces, the pieces' fields
    (key, function word, word_start, word_end) each kept once) of jieba's dictionary as it is
    now (all made again when a word is added)."""
    freq, total = segmenter.dt.FREQ, segmenter.dt.total
    state = _jieba_logs.get("state")
    if state is None or state[0] is not freq or state[1] != total:  # (a word added since)
        state = _jieba_logs["state"] = (freq, total, {}, math.log(total), {}, {})
    return state


def _jieba_cut(segmenter: Any, text: str) -> list[str]:
    han, skip = segmenter.re_han_default, segmenter.re_skip_default
    state = _jieba_state(segmenter)
    out: list[str] = []
    for block in han.split(text):
        if not block:
            continue
        if not han.match(block):
            for part in skip.split(block):
                if skip.match(part):
                    out.append(part)
                else:
                    out.extend(part)
            continue
        out.extend(_cut_block(block, state[0], state[2], state[3], segmenter.re_eng))
    return out


_Pieces = tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[str, bool, bool, bool], ...]]


def _block_pieces(segmenter: Any, state: tuple[Any, ...], block: str, stops: frozenset[str]) -> _Pieces:
    """The tokens of a run of Chinese: jieba's words, cut further where its search mode sees a
    word inside a word (塞浦路斯共和国 → 塞浦路斯 | 共和国), since a rendering may be part of a
    longer name. What jieba's ``tokenize(mode="search")`` yields, without its generators: the
    default cut (which tiles the text), plus the dictionary's 2- and 3-character words inside
    the words longer than them."""
    freq = state[0]  # the default tokenizer's dictionary (what tokenize looks in)
    words = {0}
    cuts: set[int] = set()
    start = 0
    for word in _cut_block(block, freq, state[2], state[3], segmenter.re_eng):
        width = len(word)
        if width > 2:
            for size in (2, 3) if width > 3 else (2,):
                for i in range(width - size + 1):
                    if freq.get(word[i : i + size]):
                        cuts.update((start + i, start + i + size))
        start += width
        words.add(start)
    starts: list[int] = []
    ends: list[int] = []
    about: list[tuple[str, bool, bool, bool]] = []
    kept: dict[tuple[str, bool, bool, bool], tuple[str, bool, bool, bool]] = state[5]
    for start, end in itertools.pairwise(sorted(cuts | words)):
        word = block[start:end]
        if _ALNUM.search(word):
            fields = (word, word in stops, start in words, end in words)
            about.append(kept.setdefault(fields, fields))  # (one tuple for every sight)
        elif not word.isspace():  # punctuation: a phrase stops here
            about.append(_PUNCTUATION)
        else:
            continue
        starts.append(start)
        ends.append(end)
    return tuple(starts), tuple(ends), tuple(about)


def _cut_block(
    block: str, freq: dict[str, int], logs: dict[str, float], logtotal: float, eng: Any
) -> tuple[str, ...]:
    """jieba's cut of one run of Chinese (``_jieba_cut``)."""
    out: list[str] = []
    # the likeliest route from each character to the end, from the end backwards: the
    # dictionary words starting there (or the character alone), the greatest log-probability
    # + the rest's, the longest of equals
    n = len(block)
    score = [0.0] * (n + 1)
    step = [0] * (n + 1)
    for start in range(n - 1, -1, -1):
        best, at = 0.0, -1
        i, frag = start, block[start]
        while i < n and frag in freq:
            if freq[frag]:
                value = logs.get(frag)
                if value is None:
                    value = logs[frag] = math.log(freq[frag]) - logtotal
                value += score[i + 1]
                if at < 0 or value >= best:
                    best, at = value, i
            i += 1
            frag = block[start : i + 1]
        if at < 0:
            frag = block[start]
            value = logs.get(frag)
            if value is None:
                value = logs[frag] = math.log(freq.get(frag) or 1) - logtotal
            best, at = value + score[start + 1], start
        score[start], step[start] = best, at
    x, run = 0, ""
    while x < n:
        y = step[x] + 1
        word = block[x:y]
        if y - x == 1 and eng.match(word):
            run += word
        else:
            if run:
                out.append(run)
                run = ""
            out.append(word)
        x = y
    if run:
        out.append(run)
    return tuple(out)


def _longest(lang: str) -> int:
    return MAX_WORDS if data_language(lang).joins_words else MAX_PIECES


def phrases(toks: Sequence[Token], max_words: int = MAX_WORDS) -> tuple[list[str], list[int], list[int]]:
    """Every phrase: up to ``max_words`` words, no punctuation inside, no function word at
    either end; as three lists: its key, its first token, its last token + 1."""
    keys: list[str] = []
    firsts: list[int] = []
    afters: list[int] = []
    add_key, add_first, add_after = keys.append, firsts.append, afters.append
    words = [tok.key for tok in toks]
    stops = [tok.stop for tok in toks]
    n_toks = len(toks)
    for i, key in enumerate(words):
        if not key or stops[i]:
            continue
        add_key(key)
        add_first(i)
        add_after(i + 1)
        for j in range(i + 1, min(n_toks, i + max_words)):
            word = words[j]
            if not word:
                break
            key = f"{key} {word}"
            if not stops[j]:
                add_key(key)
                add_first(i)
                add_after(j + 1)
    return keys, firsts, afters


class _Numbers(dict[str, int]):
    """A language's token keys as numbers (1, 2, …; 0 is punctuation's ""), so that phrases
    are compared as runs of numbers, not as strings built for each phrase; ``words`` gives a
    number's key back."""

    def __init__(self) -> None:
        super().__init__({"": 0})
        self.words: list[str] = [""]
        self._lock = threading.Lock()  # (a server without its lane spots in several threads)

    def __missing__(self, key: str) -> int:
        with self._lock:
            number = self.get(key)
            if number is None:
                number = len(self.words)
                self.words.append(key)
                self[key] = number
            return number


_NUMBERS: dict[str, _Numbers] = {}
MAX_NUMBERS = 2_000_000  # keys numbered per language; then numbered again (the tables rebuilt)
START, END, NUMBER, STOP, WORD_START, WORD_END = range(6)  # the rows of a table's ``tokens``


@dataclass(frozen=True, slots=True)
class _Table:
    """What spotting needs of one segment whatever the query (built once, cached): its tokens
    as the columns of one array (rows ``START``… ``WORD_END``: span, key as a number of
    ``numbers``, function word, whether a word starts and ends there), ending with a column of
    punctuation (so that the tables of a query's hits, side by side, hold no phrase across
    two). The phrases are found from these for all the hits of a query at once (``_Phrases``).

    No ``Token`` is kept, nor a tuple or a string per phrase: the garbage collector never
    untracks a tuple subclass, and 4,000 cached segments' Tokens (~130,000) made each full
    collection of the lane cost 100–200 ms (43 % of the CPU of the slowest tenth of renderings
    requests); an array it never sees."""

    tokens: np.ndarray  # (6, tokens + 1) int64
    chars: int  # the segment's length
    numbers: _Numbers
    phrases: bool  # it has a phrase (a word that is not a function word)

    def spans(self, key: str, longest: int) -> list[tuple[int, int]]:
        """The spans of its phrases (of at most ``longest`` tokens) whose key is ``key``."""
        words = key.split(" ")
        found: list[tuple[int, int]] = []
        if "" in words or len(words) > longest:
            return found
        row, stop = self.tokens[NUMBER].tolist(), self.tokens[STOP].tolist()
        numbers = [self.numbers.get(word, -1) for word in words]
        size, at = len(numbers), -1
        with contextlib.suppress(ValueError):  # (list.index: the scan in C; most keys occur once)
            while True:
                at = row.index(numbers[0], at + 1)
                if not stop[at] and row[at : at + size] == numbers and not stop[at + size - 1]:
                    found.append((int(self.tokens[START, at]), int(self.tokens[END, at + size - 1])))
        return found


_SEPARATOR = (0, 0, 0, 1, 1, 1)  # the column after a table's tokens: punctuation


@lru_cache(maxsize=16_000)  # a page's hits and its words' hits (~4 KB each)
def _table(text: str, lang: str) -> _Table:
    return _build_table(text, lang)


def _build_table(text: str, lang: str, numbers: _Numbers | None = None) -> _Table:
    """``text``'s table, its keys numbered by ``numbers`` (None: the language's)."""
    if numbers is None:
        numbers = _NUMBERS.get(lang)
        if numbers is None or len(numbers) > MAX_NUMBERS:
            # (a long-running server: numbered again rather than grown without end; a table of
            # the old numbers is built again when a rank meets it)
            numbers = _NUMBERS[lang] = _Numbers()
    starts, ends, about = _columns(text, lang)
    n_toks = len(about)
    words, stops, word_start, word_end = zip(*about, strict=True) if about else ((), (), (), ())
    tokens = np.empty((6, n_toks + 1), dtype=np.int64)
    tokens[:, n_toks] = _SEPARATOR
    if n_toks:
        tokens[START, :n_toks] = starts
        tokens[END, :n_toks] = ends
        tokens[NUMBER, :n_toks] = list(map(numbers.__getitem__, words))
        tokens[STOP, :n_toks] = stops
        tokens[WORD_START, :n_toks] = word_start
        tokens[WORD_END, :n_toks] = word_end
    return _Table(
        tokens, len(text), numbers, not all(stop or not word for word, stop in zip(words, stops, strict=True))
    )


class _Phrases:
    """Every phrase of the tables of a query's hits (``phrases`` for each, in order, side by
    side), found for all of them at once by array operations on their tokens: its table
    (``which``), first token and the token after its last (in the tables' tokens side by side),
    key as a number (equal keys, equal numbers), span, and the terms of its fit that do not
    depend on the query."""

    def __init__(self, tables: Sequence[_Table], longest: int) -> None:
        self.tables = tables
        tokens = np.concatenate([table.tokens for table in tables], axis=1)
        self.ids = ids = tokens[NUMBER]
        n_toks = len(ids)
        self.content = content = (ids > 0) & (tokens[STOP] == 0)
        # a phrase runs from a word that is not a function word up to one, at most ``longest``
        # tokens, none of them punctuation
        places = np.arange(n_toks)
        stopped = np.minimum.accumulate(np.where(ids == 0, places, n_toks)[::-1])[::-1]
        reach = np.minimum(places + longest, stopped)
        last = places[:, None] + np.arange(longest)[None, :]
        inside = last < reach[:, None]
        inside &= content[:, None]
        inside &= content[np.minimum(last, n_toks - 1)]
        self.first, width = np.nonzero(inside)
        self.after = after = self.first + width + 1
        widths = [table.tokens.shape[1] for table in tables]
        self.which = np.repeat(np.arange(len(tables)), widths)[self.first]
        self.sizes = np.bincount(self.which, minlength=len(tables))
        self.start, self.end = tokens[START][self.first], tokens[END][after - 1]
        # a phrase cuts a word where it starts inside one, or ends inside one that goes on
        cut_end = np.zeros(n_toks, dtype=np.int64)
        cut_end[:-1] = (1 - tokens[WORD_END][:-1]) & (ids[1:] > 0)
        self.cut = ((1 - tokens[WORD_START])[self.first] + cut_end[after - 1]).astype(float)
        self.extent = (self.end - self.start).astype(float)
        chars = np.array([max(1, table.chars) for table in tables], dtype=np.int64)[self.which]
        self.position = (self.start + self.end).astype(float) / 2 / chars
        self.numbers = _phrase_numbers(ids, self.first, width + 1)
        self._ids_listed: list[int] | None = None  # ``ids`` as a list, made for ``key``

    def key(self, phrase: int) -> str:
        if self._ids_listed is None:
            self._ids_listed = self.ids.tolist()
        words = self.tables[0].numbers.words
        return " ".join(map(words.__getitem__, self._ids_listed[self.first[phrase] : self.after[phrase]]))


class Background:
    """How often each phrase occurs in a sample of the memory, per language: the "at large"
    that the units holding the query are compared with. Built once per memory revision."""

    def __init__(self, samples: Mapping[str, Iterable[str]]) -> None:
        self.df: dict[str, Counter[str]] = {}
        self.size: dict[str, int] = {}
        self.glosses: dict[tuple[str, str, str], frozenset[str]] = {}
        for lang, texts in samples.items():
            counts: Counter[str] = Counter()
            n = 0
            for text in texts:
                n += 1
                counts.update(set(phrases(tokens(text, lang), _longest(lang))[0]))
            self.df[lang], self.size[lang] = counts, n

    def share(self, lang: str, key: str) -> float:
        """Smoothed share of the sample's segments that hold ``key``."""
        counts = self.df.get(lang)  # (asked for every candidate phrase: no Counter made per call)
        return ((counts.get(key, 0) if counts is not None else 0) + 0.5) / (self.size.get(lang, 0) + 1)

    def least(self, lang: str) -> float:
        """The smallest ``share`` in ``lang``: that of a phrase the sample does not hold."""
        return 0.5 / (self.size.get(lang, 0) + 1)


@lru_cache(maxsize=10_000)
def _query_keys(query: str, lang: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokens(query, lang) if t.key and not t.stop)


def _phrase_numbers(ids: np.ndarray, first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Each phrase (of ``size`` tokens from ``first``, in the tokens' key numbers ``ids``) as a
    number: equal keys, equal numbers. The runs of ``k`` tokens starting where a phrase of ``k``
    tokens or more starts are numbered from those of ``k - 1`` there and the token that follows
    them, a size at a time."""
    out = np.zeros(len(first), dtype=np.int64)
    if not len(first):
        return out
    longest = int(size.max())
    # (``first`` ascends, and each first's phrases by size: its last is its longest)
    last = np.append(first[1:] != first[:-1], True)
    starts, reach = first[last], size[last]
    runs = ids[starts]  # the number of the run of ``k`` tokens at each of ``starts``
    base = int(ids.max()) + 1
    for k in range(1, longest + 1):
        if k > 1:
            going = reach >= k
            starts, reach = starts[going], reach[going]
            _, numbered = np.unique(runs[going] * base + ids[starts + k - 1], return_inverse=True)
            runs = numbered.reshape(-1) + 1
        sized = np.flatnonzero(size == k)
        # each phrase of size k is at one of ``starts``
        out[sized] = runs[np.searchsorted(starts, first[sized])] * (longest + 1) + k
    return out


class _Ranked:
    """Every phrase found in the hits (a candidate rendering): its best place in each hit that
    has it (the first of equal fits) with its fit there (length, position, glosses), and its
    association with the query over the hits.

    Held as arrays over the (phrase, hit) pairs, grouped by phrase (a *run*), and answered only
    for the phrases asked for: a rank has thousands of phrases, and a page needs the few that
    can be chosen somewhere (``candidates``), a word's glosses the few best (``ordered``)."""

    def __init__(
        self,
        hits: int,
        lang: str,
        background: Background | None,
        hit_of: Sequence[int],
        phrases: _Phrases | None,
        fit: np.ndarray,
        kept: np.ndarray,
    ) -> None:
        self.n, self.lang, self.background, self.phrases = hits, lang, background, phrases
        self.fit, self.kept = fit, kept
        self.hit_of = np.array(hit_of, dtype=np.intp)  # each table's hit
        empty = np.zeros(0, dtype=np.int64)
        sizes = phrases.sizes if phrases is not None else empty
        self.offsets = np.concatenate(([0], np.cumsum(sizes)))
        self.start = phrases.start if phrases is not None else empty
        self.end = phrases.end if phrases is not None else empty
        # each phrase's key as a number (equal keys, equal numbers), each its table
        self.ids = phrases.numbers if phrases is not None else empty
        self.which = phrases.which if phrases is not None else empty
        # the best place of each phrase in each table: by key, table, best fit, first place
        # ((key, table) as one number; lexsort is stable, so equal fits keep their order)
        places = np.flatnonzero(kept)
        pair = self.ids[places] * max(1, len(hit_of)) + self.which[places]
        order = np.lexsort((-fit[places], pair))
        at, pair = places[order], pair[order]
        if len(at):
            at = at[np.concatenate(([True], pair[1:] != pair[:-1]))]
        self.at = at
        ids = self.ids[at]
        self.starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1]))) if len(at) else at
        self.ends = np.append(self.starts[1:], len(at))
        self.run_ids = ids[self.starts]  # ascending
        self.counts = self.ends - self.starts  # hits that have the phrase
        self.best = np.maximum.reduceat(fit[at], self.starts) if len(at) else fit[at]
        # a sum of a weight per hit (Fibonacci hashing; the sums wrap around): equal sets of
        # hits, equal signatures
        weights = np.arange(1, len(hit_of) + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        self.signature = (
            np.add.reduceat(weights[self.which[at]], self.starts) if len(at) else np.zeros(0, np.uint64)
        )

    def places(self, phrases: Sequence[int]) -> list[list[tuple[int, int]]]:
        """For each of ``phrases``, the spans of the phrases of its segment with its key."""
        if not phrases:
            return []
        code = self.which * (int(self.ids.max()) + 1) + self.ids  # (segment, key) as one number
        wanted = code[np.array(phrases)]
        same = np.flatnonzero(np.isin(code, wanted))
        spans: dict[int, list[tuple[int, int]]] = {}
        for number, start, end in zip(
            code[same].tolist(), self.start[same].tolist(), self.end[same].tolist(), strict=True
        ):
            spans.setdefault(number, []).append((start, end))
        return [spans[number] for number in wanted.tolist()]

    def _key(self, phrase: int) -> str:
        assert self.phrases is not None
        return self.phrases.key(phrase)

    def _value(self, run: int) -> tuple[float, str]:
        """The association of run ``run``'s phrase with the query, and its key."""
        key = self._key(int(self.at[self.starts[run]]))
        share = int(self.counts[run]) / self.n
        base = self.background.share(self.lang, key) if self.background is not None else 0.01
        return (share * math.log(share / base) if share > base else 0.0), key

    def choose(self, minimum: float) -> dict[int, tuple[str, int]]:
        """hit → (key, phrase) of the rendering chosen there: the phrase with the greatest
        association + fit there, at least ``minimum``, that does not give way to a longer one
        (``_inside_longer``); among equals the one of greater association, then of greater key
        (the order of ``ordered``). ``phrase`` is its best place there (``self.start``/``end``)."""
        if not len(self.at):
            return {}
        # only a phrase whose association and best fit reach ``minimum`` is chosen anywhere; its
        # association is at most that with the background's share of a phrase it never saw
        found = []
        for run in np.flatnonzero(self._bounds() + self.best >= minimum - 1e-9).tolist():
            value, key = self._value(run)
            if value + float(self.best[run]) >= minimum:
                found.append((value, key, run))
        if not found:
            return {}
        found.sort(reverse=True)
        runs = [run for _, _, run in found]
        # every place of these phrases (rank: the phrase's place in that order), by hit, best
        # total first; in each hit the first that does not give way is chosen
        rank = np.repeat(np.arange(len(runs)), self.counts[runs])
        at = np.concatenate([self.at[self.starts[run] : self.ends[run]] for run in runs])
        total = np.array([value for value, _, _ in found])[rank] + self.fit[at]
        which = self.which[at]
        order = np.lexsort((rank, -total, which))
        rank, at, total, which = rank[order], at[order], total[order], which[order]
        bounds = [*np.flatnonzero(np.concatenate(([True], which[1:] != which[:-1]))).tolist(), len(at)]
        chosen: dict[int, tuple[str, int]] = {}
        gives_way: dict[int, bool] = {}
        for begin, end in itertools.pairwise(bounds):
            for i in range(begin, end):
                if total[i] < minimum:
                    break
                run = runs[rank[i]]
                if run not in gives_way:
                    gives_way[run] = self._inside_longer(run)
                if not gives_way[run]:
                    chosen[int(self.hit_of[which[i]])] = (found[rank[i]][1], int(at[i]))
                    break
        return chosen

    def ordered(self) -> Iterator[str]:
        """Every phrase's key, best association first (then key, descending), leaving out those
        inside a longer one found in the same hits. Lazily: the phrases are valued in the order
        of their bounds (``_bounds``), and one is given once no phrase not yet valued can come
        before it (a word's glosses take the first few)."""
        bound = self._bounds() + 1e-9  # (numpy's log against math.log: a margin for rounding)
        order = np.argsort(-bound, kind="stable").tolist()
        ceilings = bound[order].tolist()
        pending: list[tuple[float, str, int]] = []
        done = 0
        while done < len(order) or pending:
            ceiling = ceilings[done] if done < len(order) else -math.inf
            pending.sort(reverse=True)
            given = 0
            while given < len(pending) and pending[given][0] > ceiling:
                if not self._inside_longer(pending[given][2]):
                    yield pending[given][1]
                given += 1
            del pending[:given]
            pending.extend((*self._value(run), run) for run in order[done : done + ORDER_STEP])
            done += ORDER_STEP

    def _bounds(self) -> np.ndarray:
        """For each phrase, the greatest association it can have: with the background's share
        of a phrase it never saw."""
        least = self.background.least(self.lang) if self.background is not None else 0.01
        share = self.counts / self.n
        with np.errstate(divide="ignore", invalid="ignore"):
            bound: np.ndarray = np.where(share > least, share * np.log(share / least), 0.0)
        return bound

    def _inside_longer(self, run: int) -> bool:
        """Whether run ``run``'s phrase gives way to a longer one (``CLOSED_MIN_HITS`` hits or
        more, exactly the same ones, and around it in the first of them: 塞浦路斯, not 路斯 or
        浦路斯, when every hit that has one has the others around it). With fewer hits every
        phrase shares them, and fit decides."""
        if self.counts[run] < CLOSED_MIN_HITS:
            return False
        begin, end = self.starts[run], self.ends[run]
        p = self.at[begin]
        tables = self.which[self.at[begin:end]]
        assert self.phrases is not None
        number = self.which[p]
        offset, until = self.offsets[number], self.offsets[number + 1]
        first, after = self.phrases.first[offset:until], self.phrases.after[offset:until]
        start, stop = self.start[p], self.end[p]
        around = np.flatnonzero(
            (first <= self.phrases.first[p]) & (after >= self.phrases.after[p]) & self.kept[offset:until]
        )
        # the phrases around it there whose hits are the same (by count and signature, then
        # exactly)
        others = self.ids[offset + around]
        runs = np.searchsorted(self.run_ids, others[others != self.ids[p]])
        runs = runs[(self.counts[runs] == self.counts[run]) & (self.signature[runs] == self.signature[run])]
        for m in runs.tolist():
            if not np.array_equal(self.which[self.at[self.starts[m] : self.ends[m]]], tables):
                continue
            best = self.at[self.starts[m]]  # its best place there
            if self.start[best] <= start and self.end[best] >= stop:
                return True
        return False


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


def _token_masks(glosses: Sequence[frozenset[str]], ids: np.ndarray, words: Sequence[str]) -> np.ndarray:
    """For each token (row; ``ids``: their keys' numbers, ``words`` the keys of the numbers),
    the query words (columns) it renders by the glosses (CC-CEDICT keys of a Chinese word count
    as English stems); each key is looked at once."""
    distinct, where = np.unique(ids, return_inverse=True)
    masks = np.zeros((len(distinct), len(glosses)), dtype=bool)
    for row, number in enumerate(distinct.tolist()):
        if keys := _word_glosses(words[number]):
            masks[row] = [not gloss.isdisjoint(keys) for gloss in glosses]
    found: np.ndarray = masks[where.reshape(-1)]
    return found


@lru_cache(maxsize=100_000)
def _word_glosses(word: str) -> frozenset[str]:
    """What a token of key ``word`` renders: the word itself, and its CC-CEDICT gloss stems as
    ``en:`` keys (none for punctuation)."""
    from aligner.scorers.lexical import cedict_keys

    return frozenset({word, *(f"en:{k}" for k in cedict_keys(word))}) if word else frozenset()


def _gloss_cover(glosses: Sequence[frozenset[str]], phrases: _Phrases) -> np.ndarray:
    """For every phrase, the share of the query's words it renders by the glosses, less half
    the share of its content words that render none."""
    masks = _token_masks(glosses, phrases.ids, phrases.tables[0].numbers.words)
    idle = ~masks.any(axis=1) & phrases.content
    # words rendered (and idle words) up to each token: a phrase's are the difference at its ends
    rendered = np.concatenate((np.zeros((1, len(glosses)), dtype=np.intp), np.cumsum(masks, axis=0)))
    idle_sum = np.concatenate(([0], np.cumsum(idle)))
    first, after = phrases.first, phrases.after
    covered = (rendered[after] - rendered[first] > 0).sum(axis=1)
    cover: np.ndarray = covered / len(glosses) - 0.5 * (idle_sum[after] - idle_sum[first]) / (after - first)
    return cover


def _rank(
    query: str,
    query_lang: str,
    lang: str,
    hits: Sequence[Mapping[str, str]],
    background: Background | None,
    glosses: Sequence[frozenset[str]],
) -> _Ranked:
    """Every phrase of ``lang`` in ``hits`` with its association with the query over the hits,
    best first, and (in the candidates) its fit in each hit: length, position, glosses."""
    # every hit's phrases scored at once: their tables side by side, with each hit's own
    # expected length and place of the rendering repeated over its phrases
    lowered = query.lower()
    hit_of: list[int] = []
    tables: list[_Table] = []
    places: list[float] = []
    expected: list[float] = []
    for index, hit in enumerate(hits):
        source, text = hit[query_lang], hit[lang]
        table = _table(text, lang)
        if not table.phrases:
            continue
        where = source.lower().find(lowered)
        hit_of.append(index)
        tables.append(table)
        places.append((where + len(query) / 2) / max(1, len(source)) if where >= 0 else 0.5)
        expected.append(len(query) * len(text) / max(1, len(source)))
    if not tables:
        return _Ranked(len(hits), lang, background, hit_of, None, np.zeros(0), np.zeros(0, dtype=bool))
    numbers = tables[-1].numbers
    if any(table.numbers is not numbers for table in tables):  # (numbered again meanwhile)
        tables = [
            table if table.numbers is numbers else _build_table(hits[index][lang], lang, numbers)
            for index, table in zip(hit_of, tables, strict=True)
        ]
    phrases = _Phrases(tables, _longest(lang))
    near = np.repeat(np.maximum(1.0, np.array(expected)), phrases.sizes)
    place = np.repeat(np.array(places), phrases.sizes)
    # the fit of a phrase in its hit: how close its length is to the expected one, its place
    # to the query's, whether it cuts a word; and how many of the query's words it renders
    length_fit = -np.abs(np.log(np.maximum(phrases.extent, 1.0) / near))
    position_fit = -np.abs(phrases.position - place)
    fit = length_fit + 2 * position_fit - WORD_CUT * phrases.cut
    if any(glosses):
        fit += COVER * _gloss_cover(glosses, phrases)
    # phrases much longer than expected are not candidates (longer ones only fit worse)
    short = phrases.extent <= np.repeat(LONGEST_FACTOR * np.array(expected) + 12, phrases.sizes)
    return _Ranked(len(hits), lang, background, hit_of, phrases, fit, short)
