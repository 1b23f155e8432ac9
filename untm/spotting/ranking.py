"""The candidate renderings of one language ranked over a query's hits (``_rank``, ``_Ranked``):
each phrase's association with the query (its share of the hits against the background's) and
its fit in each hit (length, position, word cuts, glosses), and the choice of one per hit."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from untm.spotting.background import Background
from untm.spotting.gloss_cover import _gloss_cover
from untm.spotting.phrase_arrays import _Phrases
from untm.spotting.tables import _build_table, _Table, _table
from untm.spotting.words import _longest

ORDER_STEP = 32  # phrases valued at a time when they are given best first (``_Ranked.ordered``)
CLOSED_MIN_HITS = 3  # a phrase inside a longer one in the same hits gives way from this many
WORD_CUT = 0.5  # the cost of a rendering that cuts a word or a noun phrase (塞浦|路斯, Арабские | Эмираты)
COVER = 2.0  # the weight of the share of the query's words a phrase renders (glosses)
LONGEST_FACTOR = 4  # phrases longer than this many times the expected length (+12) are not tried


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
