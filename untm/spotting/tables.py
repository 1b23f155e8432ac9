"""Each segment's tokens as one small integer array (``_Table``), built once per process and
cached (``_table``): what spotting needs of a segment whatever the query, with each key as a
number of its language's ``_Numbers`` so that phrases are compared as numbers. The cache and the
numbering live here and only here (a forked lane inherits them from its server)."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from untm.spotting.words import _columns


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
