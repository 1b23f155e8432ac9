"""The phrases of all of a query's hits at once (``_Phrases``), by array operations on their
tables side by side rather than a loop per segment; each phrase's key as a number
(``_phrase_numbers``), so that only the few phrases a query values get their key written out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from untm.spotting.tables import END, NUMBER, START, STOP, WORD_END, WORD_START, _Table


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
