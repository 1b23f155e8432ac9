"""Turn evidence into the DP's cost array.

``cost(bead) = length_cost(bead) - lexical * sim(bead)`` for beads with both sides, and the
length model's prior alone for omissions. ``sim`` is the weighted share of evidence items, on
both sides of the bead, that find a partner on the other side (a Dice coefficient over items;
Hunalign's dictionary score, Varga et al. 2005, generalised to any ``EvidenceScorer``).

Span sums are what makes this fast: the matched weight of a bead is the sum of the
sentence-pair matched weights inside it, so it is read off per-row prefix sums of a banded
sentence × sentence matrix for every cell of the band at once.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

import numpy as np

from aligner.document import BlockKind
from aligner.dp import Band, valid_cells
from aligner.read.blocks import CLOSERS, classify
from aligner.read.furniture import furniture_kind, split_label
from aligner.scorers.base import EvidenceScorer, Item
from aligner.scorers.embedding import LazySpans, span_cosines
from aligner.scorers.length import LengthModel, lengths


@dataclass(frozen=True)
class Weights:
    """Every number that changes a result besides the estimated length parameters."""

    lexical: float = 16.0  # cost units per unit of item similarity
    furniture_pair: float = 20.0  # cost of pairing a page-furniture line with anything
    furniture_omit: float = 0.5  # cost of leaving a page-furniture line unpaired
    embedding: float = 8.0  # cost units per unit of cosine, when an embedding scorer is on
    # subtracted from every bead's cosine: a bead is rewarded only for the similarity above
    # this, so two half-matching 1-1 beads no longer outscore the one 2-2 bead they split
    embedding_offset: float = 0.0
    # added to the cost of every omitted sentence (1-0, 0-1) that is not page furniture
    omission: float = 0.0
    # Vecalign's normalisation (Thompson & Koehn 2019, eq. 1): with this many sampled spans of
    # the other side, a bead's cosine is replaced by 1 - (1 - cos) / mean(1 - cos with samples)
    embedding_norm: int = 0
    confident_cost: float = 1.5  # bead cost (without prior) at which confidence is 0.5
    # Per merged sentence whose evidence finds nothing on the other side: -log P(no link | the
    # sentence belongs), with P estimated from the text itself (``BeadCoster.unlinked_rate``,
    # Laplace's (k+1)/(n+2), so a clean sample of n sentences gives about 1/n, never zero) and
    # never below this floor. Free translations (literature) are not punished like stray
    # headings in a literal UN translation: their own rate is high.
    unlinked_floor: float = 0.01
    # A merged sentence is supported only through keys found in at most this share of the
    # sentences of both texts (a word that turns up in one sentence in twenty — "year",
    # "people", "receive" among a Chinese word's many glosses — links anything to anything).
    specific_keys: float = 0.05
    # A 1-1 bead whose two sentences both carry evidence and share no key at all pays the same
    # unsupported cost: a sentence shifted against its neighbour's translation.
    unsupported_one: bool = True
    label: float = 5.0  # per paragraph-label break inside a bead (about the cost of an omission)
    flag_below: float = 0.4  # beads with a lower confidence are flagged for review
    common_keys: float = 0.25  # keys found in more than this share of sentences are ignored...
    common_min_sentences: int = 40  # ...in texts at least this long

    def signature(self) -> str:
        return (
            f"weights(lexical={self.lexical:g},flag<{self.flag_below:g},common>{self.common_keys:g},"
            f"unlinked>={self.unlinked_floor:g},specific<={self.specific_keys:g},"
            f"unsupported_one={int(self.unsupported_one)},embedding={self.embedding:g}-{self.embedding_offset:g}"
            + (f",omission+{self.omission:g}" if self.omission else "")
            + (f",norm={self.embedding_norm}" if self.embedding_norm else "")
            + ")"
        )


@dataclass(frozen=True)
class Evidence:
    """What the coster needs of one side: lengths and evidence items per unit (sentence or
    block of sentences)."""

    lengths: np.ndarray
    items: tuple[tuple[Item, ...], ...]
    standalone: np.ndarray | None = None  # units that are page furniture: never paired
    vectors: np.ndarray | None = None  # sentence embeddings (sums over a unit), when enabled
    labels: tuple[str | None, ...] | None = None  # paragraph label a unit starts with ("" if unreadable)
    headings: np.ndarray | None = None  # units that are headings (no sentence-final punctuation): 1.0
    # ``spans[k - 1][i]``: embedding of units ``i .. i+k-1`` joined (``EmbeddingScorer.span``);
    # a bead of k units on a side is scored on it instead of on the sum of ``vectors``
    spans: tuple[np.ndarray | LazySpans, ...] | None = None

    @classmethod
    def gather(
        cls, texts: Sequence[str], lang: str, other: str, scorers: Sequence[EvidenceScorer]
    ) -> Evidence:
        per_sentence: list[list[Item]] = [[] for _ in texts]
        for scorer in scorers:
            for bucket, found in zip(per_sentence, scorer.items(texts, lang, other), strict=True):
                bucket.extend(found)
        furniture = np.array([furniture_kind(t) is not None for t in texts], dtype=np.float64)
        vectors = spans = None
        for scorer in scorers:
            if hasattr(scorer, "span_vectors"):
                spans = scorer.span_vectors(texts, lang)
                # lazy spans (``EmbeddingScorer.regions``) give no sums: paragraphs and
                # multi-way units are aligned without embeddings
                vectors = spans[0] if isinstance(spans[0], np.ndarray) else None
            elif hasattr(scorer, "vectors"):
                vectors = scorer.vectors(texts)
        headings = np.array([is_heading(t) for t in texts], dtype=np.float64)
        return cls(
            lengths(texts),
            tuple(tuple(b) for b in per_sentence),
            furniture,
            vectors,
            tuple(label_key(t) for t in texts),
            headings,
            spans,
        )

    def __len__(self) -> int:
        return len(self.items)

    def coarsen(self, size: int) -> Evidence:
        """Blocks of ``size`` consecutive units (the last may be shorter)."""
        n = len(self)
        starts = list(range(0, n, size))
        return Evidence(
            np.add.reduceat(self.lengths, starts) if n else self.lengths,
            tuple(tuple(it for k in range(s, min(s + size, n)) for it in self.items[k]) for s in starts),
            None,  # a block is never all furniture in practice; let the length model place it
            np.add.reduceat(self.vectors, starts, axis=0) if self.vectors is not None and n else self.vectors,
        )

    def select(self, ranges: Sequence[tuple[int, int]]) -> Evidence:
        """Units joined over each ``(start, end)`` range (paragraphs from sentences)."""
        return Evidence(
            np.array([self.lengths[a:b].sum() for a, b in ranges]),
            tuple(tuple(it for k in range(a, b) for it in self.items[k]) for a, b in ranges),
            None
            if self.standalone is None
            else np.array([float(self.standalone[a:b].all()) for a, b in ranges]),
            None if self.vectors is None else np.array([self.vectors[a:b].sum(axis=0) for a, b in ranges]),
            None if self.labels is None else tuple(self.labels[a] for a, _ in ranges),
            None if self.headings is None else np.array([float(self.headings[a:b].all()) for a, b in ranges]),
        )

    def slice(self, a: int, b: int) -> Evidence:
        return Evidence(
            self.lengths[a:b],
            self.items[a:b],
            None if self.standalone is None else self.standalone[a:b],
            None if self.vectors is None else self.vectors[a:b],
            None if self.labels is None else self.labels[a:b],
            None if self.headings is None else self.headings[a:b],
            None if self.spans is None else tuple(v[a : max(a, b - k)] for k, v in enumerate(self.spans)),
        )


def _filter_common(
    src: Evidence, tgt: Evidence, weights: Weights
) -> tuple[list[list[Item]], list[list[Item]]]:
    """Drop keys present in too many sentences: in a long text they are function words or
    boilerplate and match everywhere."""
    total = len(src) + len(tgt)
    if total < weights.common_min_sentences:
        return [list(x) for x in src.items], [list(x) for x in tgt.items]
    df: dict[str, int] = {}
    for side in (src, tgt):
        for sentence in side.items:
            for key in {k for it in sentence for k in it.keys}:
                df[key] = df.get(key, 0) + 1
    limit = weights.common_keys * total
    common = {k for k, v in df.items() if v > limit}
    if not common:  # what ``clean`` returns then: every item with a key, as it is
        return [[it for it in x if it.keys] for x in src.items], [
            [it for it in x if it.keys] for x in tgt.items
        ]

    def clean(side: Evidence) -> list[list[Item]]:
        out = []
        for sentence in side.items:
            kept = []
            for it in sentence:
                keys = it.keys - common
                if keys:
                    kept.append(it if len(keys) == len(it.keys) else Item(frozenset(keys), it.weight))
            out.append(kept)
        return out

    return clean(src), clean(tgt)


_LABEL_KEY = re.compile(r"[0-9]+(?:\.[0-9]+)*|[ivxlc]+|[a-z]")


def label_key(text: str) -> str | None:
    """The paragraph label a sentence starts with, normalised for comparison across languages
    (``"6."`` → ``6``, ``"(a)"`` → ``a``, ``"III."`` → ``iii``); ``""`` for a label that cannot
    be compared (``第三条``); None without a label."""
    label, _ = split_label(text)
    if label is None:
        return None
    key = label.strip("()（）.、 ").lower()
    return key if _LABEL_KEY.fullmatch(key) else ""


def is_heading(text: str) -> bool:
    """A title or heading: short and without sentence-final punctuation (``aligner.read.blocks``'
    rule). In UN documents a heading is a paragraph of its own, so a translator never runs it
    into the neighbouring sentence: a heading inside a merge is a paragraph break. A line that
    ends in a dash or a comma is an interrupted sentence (dialogue), not a heading; page
    furniture is no heading either."""
    if classify(text).kind is not BlockKind.HEADING or furniture_kind(text) is not None:
        return False
    body = text.rstrip().rstrip(CLOSERS + " ")
    return bool(body) and body[-1].isalnum()


def _key_weights(items: Sequence[Item]) -> dict[str, float]:
    out: dict[str, float] = {}
    for it in items:
        weight = it.weight
        for key in it.keys:
            held = out.get(key, 0.0)
            out[key] = weight if weight > held else held  # max(held, weight), without the call
    return out


def _clip(x: np.ndarray, low: int, high: int) -> np.ndarray:
    """``np.clip`` for integer index arrays, without its Python-level checks (a fifth of a small
    block's cost went to them)."""
    return np.minimum(np.maximum(x, low), high)


def _running(values: Sequence[float]) -> list[float]:
    """``[0, v0, v0+v1, …]``, summed left to right as ``np.cumsum`` sums."""
    return list(accumulate(values, initial=0.0))


class _Arrays(NamedTuple):
    cum_ls: np.ndarray
    cum_lt: np.ndarray
    ws: np.ndarray
    wt: np.ndarray
    cum_ws: np.ndarray
    cum_wt: np.ndarray
    cum_fs: np.ndarray
    cum_ft: np.ndarray
    cum_lab_s: np.ndarray
    cum_lab_t: np.ndarray
    cum_head_s: np.ndarray
    cum_head_t: np.ndarray


@dataclass(frozen=True, eq=False)
class _CostParts:
    """The terms of the costs of one band's valid cells that do not change between the two
    passes of a search: cells of beads with both sides (``paired_*``) and the others."""

    band: Band
    key: tuple[tuple[tuple[int, int], ...], float, float]  # moves, length c and s2
    paired_move: np.ndarray
    paired_flat: np.ndarray
    mismatch: np.ndarray  # the length model's cost without the prior
    lexical: np.ndarray  # lexical weight * similarity
    furniture: np.ndarray  # furniture_pair where page furniture is paired, else 0
    labels: np.ndarray  # label weight * label breaks
    embedding: np.ndarray | None  # embedding weight * cosine, when vectors are on
    penalty: np.ndarray  # unsupported sentences (merges) or an unlinked 1-1 (0/1)
    penalised: np.ndarray  # cells that pay ``unsupported * penalty``
    single_move: np.ndarray
    single_flat: np.ndarray
    omitted_furniture: np.ndarray  # a 1-0 or 0-1 bead of page furniture: furniture_omit
    # a 1-0 or 0-1 bead whose sentence the embedding term reaches: pays ``Weights.omission``
    omitted_embedded: np.ndarray


@dataclass(frozen=True, eq=False)
class _SmallParts:
    """``_CostParts`` of a small full matrix, cell by cell: ``paired`` rows are
    ``[move, i, j, mismatch, lexical, furniture, labels, penalty, penalised]``, ``single`` rows
    ``(move, i, j, omitted_furniture)``."""

    band: Band
    key: tuple[tuple[tuple[int, int], ...], float, float]
    paired: list[list]
    single: list[tuple[int, int, int, bool]]


def _weak(
    keys: Sequence[frozenset[str]],
    other: Sequence[frozenset[str]],
    cum: Sequence[float],
    cum_other: Sequence[float],
    specific: frozenset[str],
    window: int = 3,
    margin: int = 2,
) -> np.ndarray:
    """Sentences that link to nothing specific within ``window`` sentences of where the length
    proportions put their translation (or carry no evidence at all), with ``margin`` sentences
    either side: where the cpu evidence cannot place a bead and an encoder is worth asking."""
    n, m = len(keys), len(other)
    weak = np.ones(n, dtype=bool)
    if n and m and cum[-1] > 0 and cum_other[-1] > 0:
        target = [x / cum_other[-1] for x in cum_other]
        for i, mine in enumerate(keys):
            where = bisect.bisect_left(target, cum[i] / cum[-1])
            lo, hi = max(0, where - window), min(m, where + window + 1)
            weak[i] = not any(mine & other[c] & specific for c in range(lo, hi))
    out = weak.copy()
    for d in range(1, margin + 1):
        out[d:] |= weak[:-d]
        out[:-d] |= weak[d:]
    return out


#: a full matrix of at most this many cells is costed in plain Python (``BeadCoster._small_parts``)
SMALL_BAND = 36


class BeadCoster:
    """Costs and confidences of beads between two sides, for any band.

    Per-sentence sums are plain Python lists (a block is often one sentence, and numpy's cost
    per call is then most of the work); numpy copies are made for a large band's vectorised
    costs (``_arrays``). Both give the same numbers: the same sums in the same order."""

    def __init__(self, src: Evidence, tgt: Evidence, model: LengthModel, weights: Weights) -> None:
        self.src, self.tgt, self.model, self.weights = src, tgt, model, weights
        self._parts: _CostParts | _SmallParts | None = None
        n, m = len(src), len(tgt)
        self.src_items, self.tgt_items = _filter_common(src, tgt, weights)
        self.ws = [sum(it.weight for it in s) for s in self.src_items]
        self.wt = [sum(it.weight for it in s) for s in self.tgt_items]
        self.cum_ls = _running(np.asarray(src.lengths, dtype=np.float64).tolist())
        self.cum_lt = _running(np.asarray(tgt.lengths, dtype=np.float64).tolist())
        self.cum_vs = self.cum_vt = None
        if src.vectors is not None and tgt.vectors is not None and n and m:
            self.cum_vs = np.vstack([np.zeros((1, src.vectors.shape[1])), np.cumsum(src.vectors, axis=0)])
            self.cum_vt = np.vstack([np.zeros((1, tgt.vectors.shape[1])), np.cumsum(tgt.vectors, axis=0)])
        self.src_labels = src.labels or (None,) * n
        self.tgt_labels = tgt.labels or (None,) * m
        self.cum_lab_s = list(accumulate((x is not None for x in self.src_labels), initial=0))
        self.cum_lab_t = list(accumulate((x is not None for x in self.tgt_labels), initial=0))
        self.cum_head_s = _running(src.headings.tolist() if src.headings is not None else [0.0] * n)
        self.cum_head_t = _running(tgt.headings.tolist() if tgt.headings is not None else [0.0] * m)
        self.cum_ws = _running(self.ws)
        self.cum_wt = _running(self.wt)
        self.cum_fs = _running(src.standalone.tolist() if src.standalone is not None else [0.0] * n)
        self.cum_ft = _running(tgt.standalone.tolist() if tgt.standalone is not None else [0.0] * m)
        self.src_keys = [frozenset(k for it in s for k in it.keys) for s in self.src_items]
        self.tgt_keys = [frozenset(k for it in s for k in it.keys) for s in self.tgt_items]
        # key -> weight of the items holding it, per sentence; and the target sentences per key.
        # A match is counted per shared key (an item rarely shares more than one).
        self.src_key_weight = [_key_weights(items) for items in self.src_items]
        self.tgt_key_weight = [_key_weights(items) for items in self.tgt_items]
        self.tgt_postings: dict[str, list[int]] = {}
        for c, weights_c in enumerate(self.tgt_key_weight):
            for key in weights_c:
                self.tgt_postings.setdefault(key, []).append(c)
        df: dict[str, int] = {}
        for keys in (*self.src_keys, *self.tgt_keys):
            for key in keys:
                df[key] = df.get(key, 0) + 1
        limit = max(2.0, weights.specific_keys * (n + m))
        self.specific = frozenset(k for k, v in df.items() if v <= limit)
        self.unsupported = -math.log(max(self.unlinked_rate(), weights.unlinked_floor))

    @functools.cached_property
    def _arrays(self) -> _Arrays:
        """numpy copies of the per-sentence sums, for the vectorised costs of a large band."""
        return _Arrays(
            *(
                np.array(values, dtype=dtype)
                for values, dtype in (
                    (self.cum_ls, np.float64),
                    (self.cum_lt, np.float64),
                    (self.ws, np.float64),
                    (self.wt, np.float64),
                    (self.cum_ws, np.float64),
                    (self.cum_wt, np.float64),
                    (self.cum_fs, np.float64),
                    (self.cum_ft, np.float64),
                    (self.cum_lab_s, np.int64),
                    (self.cum_lab_t, np.int64),
                    (self.cum_head_s, np.float64),
                    (self.cum_head_t, np.float64),
                )
            )
        )

    def set_unlinked_from(self, pairs: Sequence[tuple[int, int, int, int]]) -> None:
        """Re-estimate the unsupported-merge cost from the 1-1 beads of a first alignment:
        the share of their sentences with evidence that match nothing specific across the bead."""
        sides = unlinked = 0
        for i0, i1, j0, j1 in pairs:
            if i1 - i0 != 1 or j1 - j0 != 1:
                continue
            shared = self.src_keys[i0] & self.tgt_keys[j0] & self.specific
            for weight in (self.ws[i0], self.wt[j0]):
                if weight >= 1.0:
                    sides += 1
                    unlinked += not shared
        if sides >= 20:
            self.unsupported = -math.log(max((unlinked + 1) / (sides + 2), self.weights.unlinked_floor))

    def unlinked_rate(self, window: int = 3) -> float:
        """Share of sentences with evidence that link to nothing within ``window`` sentences of
        where the length proportions put their translation: how often a true translation
        shows no shared evidence in this text (few for a literal UN text with a dictionary,
        many for a literary one). Laplace's rule of succession: a text in which every sentence
        links gets about 1/n, not zero."""
        if self.n == 0 or self.m == 0 or self.cum_ls[-1] == 0 or self.cum_lt[-1] == 0:
            return 1.0
        with_items = unlinked = 0
        target = None
        for i, keys in enumerate(self.src_keys):
            if self.ws[i] < 1.0:
                continue
            if target is None:  # where the length proportions put each source sentence
                target = [x / self.cum_lt[-1] for x in self.cum_lt]
            where = bisect.bisect_left(target, self.cum_ls[i] / self.cum_ls[-1])
            with_items += 1
            lo, hi = max(0, where - window), min(self.m, where + window + 1)
            if not any(keys & self.tgt_keys[c] & self.specific for c in range(lo, hi)):
                unlinked += 1
        return (unlinked + 1) / (with_items + 2) if with_items else 1.0

    @functools.cached_property
    def region(self) -> np.ndarray | None:
        """With lazy spans (``EmbeddingScorer.regions``): the source sentences whose beads get
        the embedding term (``_weak``); None with eager spans (every sentence)."""
        spans = self.src.spans
        if spans is None or isinstance(spans[0], np.ndarray):
            return None
        return _weak(self.src_keys, self.tgt_keys, self.cum_ls, self.cum_lt, self.specific)

    @functools.cached_property
    def tgt_region(self) -> np.ndarray:
        """The same for the target side: a bead gets the term when both its sides touch a region."""
        return _weak(self.tgt_keys, self.src_keys, self.cum_lt, self.cum_ls, self.specific)

    def _span_term(self, a: int, b: int, i0: np.ndarray, j0: np.ndarray) -> np.ndarray:
        """``weight * (cos - offset)`` between the joined spans of each cell's bead; with lazy
        spans only for beads that start or end in ``region`` (0 elsewhere: no evidence)."""
        assert self.src.spans is not None and self.tgt.spans is not None
        w = self.weights
        src, tgt = self.src.spans[a - 1], self.tgt.spans[b - 1]
        if self.region is None:
            chosen = np.ones(i0.shape, dtype=bool)
        else:
            tgt_region = self.tgt_region
            chosen = (self.region[i0] | self.region[i0 + a - 1]) & (tgt_region[j0] | tgt_region[j0 + b - 1])
        out = np.zeros(i0.shape)
        if chosen.any():
            s, t = src[i0[chosen]], tgt[j0[chosen]]
            assert isinstance(s, np.ndarray) and isinstance(t, np.ndarray)
            cos = np.einsum("cd,cd->c", s, t)
            if w.embedding_norm and self.region is None:  # lazy spans: no samples to compare with
                ns, nt = self._span_norms(0, a), self._span_norms(1, b)
                cos = 1.0 - 2.0 * (1.0 - cos) / np.maximum(ns[i0[chosen]] + nt[j0[chosen]], 1e-6)
            out[chosen] = w.embedding * (cos - w.embedding_offset)
        return out

    def _embedded(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """For the cells of a one-sided bead: whether the embedding term reaches its sentence
        (every sentence with eager spans or summed vectors, a region's with lazy spans)."""
        if not (a + b == 1 and (self.cum_vs is not None or self.src.spans is not None)):
            return np.zeros(rows.shape, dtype=bool)
        if self.region is None:
            return np.ones(rows.shape, dtype=bool)
        if a:
            return self.region[_clip(rows - 1, 0, self.n - 1)]
        return self.tgt_region[_clip(cols - 1, 0, self.m - 1)]

    def _span_norms(self, side: int, k: int) -> np.ndarray:
        """Mean cosine distance of each span of ``k`` sentences on ``side`` (0: source) to
        ``embedding_norm`` spans of the same size spread evenly over the other side."""
        cache = self.__dict__.setdefault("_norms", {})
        if (side, k) not in cache:
            assert self.src.spans is not None and self.tgt.spans is not None
            mine = (self.src.spans, self.tgt.spans)[side][k - 1]
            other = (self.tgt.spans, self.src.spans)[side][k - 1]
            assert isinstance(mine, np.ndarray) and isinstance(other, np.ndarray)
            if len(other) == 0 or len(mine) == 0:
                cache[side, k] = np.ones(len(mine))
            else:
                pick = np.unique(np.linspace(0, len(other) - 1, self.weights.embedding_norm).astype(np.int64))
                cache[side, k] = (1.0 - mine @ other[pick].T).mean(axis=1)
        return cache[side, k]

    @property
    def n(self) -> int:
        return len(self.src)

    @property
    def m(self) -> int:
        return len(self.tgt)

    # -- matched weight between single sentences, inside the band -----------------------------

    def _match_matrix(
        self, band: Band, max_a: int, max_b: int, specific: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``M[r, c - off[r]]``: weight of items of src sentence r and tgt sentence c that find a
        partner in the other sentence, for every c a bead containing r could reach; with
        ``specific``, also the same through specific keys only (else the same array twice).
        Returns both and ``off``."""
        n, lo, width = self.n, band.lo, band.width
        if n == 0:
            empty = np.zeros((0, 1))
            return empty, empty, np.zeros(0, dtype=np.int64)
        r = np.arange(n)
        first = lo[r + 1] - max_b
        last = lo[np.minimum(r + max_a, n)] + width
        off = first
        span = int((last - first).max())
        matrix = np.zeros((n, span))
        support = np.zeros((n, span)) if specific else matrix
        for i in range(n):
            base = int(off[i])
            self._fill_row(i, max(base, 0), min(base + span, self.m), base, matrix[i], support[i], specific)
        return matrix, support, off

    def _fill_row(self, i: int, start: int, stop: int, base: int, row, srow, specific: bool) -> None:
        """Add to ``row[c - base]`` the matched weight of src sentence ``i`` and each tgt sentence
        ``c`` in ``start .. stop-1``, key by key (with ``specific``, the specific keys' share to
        ``srow`` too); ``row`` is a numpy row or a list, summed in the same order either way."""
        mine = self.src_key_weight[i]
        keep = self.specific
        for key, weight in mine.items():
            posting = self.tgt_postings.get(key)
            if posting is None:
                continue
            both = specific and key in keep
            for c in posting[bisect.bisect_left(posting, start) : bisect.bisect_left(posting, stop)]:
                value = weight + self.tgt_key_weight[c][key]
                row[c - base] += value
                if both:
                    srow[c - base] += value

    # -- costs for the DP ---------------------------------------------------------------------

    def costs(self, band: Band, moves: Sequence[tuple[int, int]]) -> np.ndarray:
        """``costs[t, i, k]`` for ``aligner.dp.search``: +inf where a bead cannot end.

        Only the cells where a bead can end are costed (``aligner.dp.valid_cells``). Everything
        but the bead-kind priors and the unsupported cost is kept for the band, so the second
        pass of a search (new priors, new unsupported cost) only adds them up again, in the
        same order as the first."""
        moves = tuple(moves)
        parts = self._parts
        if parts is None or parts.band is not band or parts.key != (moves, self.model.c, self.model.s2):
            small = (
                (band.n + 1) * band.width <= SMALL_BAND
                and band.width == band.m + 1  # the full matrix
                and self.cum_vs is None
                and not (self.region is not None and self.region.any())
            )
            parts = self._parts = self._small_parts(band, moves) if small else self._cost_parts(band, moves)
        if isinstance(parts, _SmallParts):
            return self._small_costs(parts, band, moves)
        prior = np.array([-math.log(self.model.prior(a, b)) for a, b in moves])
        cost = parts.mismatch + prior[parts.paired_move]
        cost = cost - parts.lexical + parts.furniture
        cost = cost + parts.labels
        if parts.embedding is not None:
            cost = cost - parts.embedding
        cost = np.where(parts.penalised, cost + self.unsupported * parts.penalty, cost)
        out = np.full(len(moves) * (band.n + 1) * band.width, np.inf)
        out[parts.paired_flat] = cost
        out[parts.single_flat] = np.where(
            parts.omitted_furniture,
            self.weights.furniture_omit,
            prior[parts.single_move] + self.weights.omission * parts.omitted_embedded,
        )
        return out.reshape(len(moves), band.n + 1, band.width)

    def _cost_parts(self, band: Band, moves: tuple[tuple[int, int], ...]) -> _CostParts:
        """The terms of every valid cell's cost that stay the same in both passes."""
        cells = valid_cells(band, moves)
        max_a = max(a for a, _ in moves)
        max_b = max(b for _, b in moves)
        # ``support``: what counts as support for a merged sentence (specific keys only)
        matrix, support, off = self._match_matrix(
            band, max_a, max_b, self.weights.specific_keys < 1.0 and any(a > 1 or b > 1 for a, b in moves)
        )
        prefix = np.concatenate([np.zeros((matrix.shape[0], 1)), np.cumsum(matrix, axis=1)], axis=1)
        span = prefix.shape[1] - 1
        w = self.weights
        paired: dict[str, list[np.ndarray]] = {
            name: [] for name in ("move", "flat", "mismatch", "lexical", "furniture", "labels", "penalty")
        }
        embedding: list[np.ndarray] = []
        penalised: list[np.ndarray] = []
        single_move, single_flat, omitted, embedded = [], [], [], []
        for t, (a, b) in enumerate(moves):
            lo, hi = cells.bounds[t], cells.bounds[t + 1]
            if lo == hi:
                continue
            rows, cols, flat = cells.i[lo:hi], cells.j[lo:hi], cells.flat[lo:hi]
            i0, j0 = rows - a, cols - b
            furniture = (self._arrays.cum_fs[rows] - self._arrays.cum_fs[i0]) + (
                self._arrays.cum_ft[cols] - self._arrays.cum_ft[j0]
            )
            if not (a and b):
                single_move.append(cells.move[lo:hi])
                single_flat.append(flat)
                omitted.append(furniture > 0 if a + b == 1 else np.zeros(hi - lo, dtype=bool))
                embedded.append(self._embedded(rows, cols, a, b))
                continue
            ls = self._arrays.cum_ls[rows] - self._arrays.cum_ls[i0]
            lt = self._arrays.cum_lt[cols] - self._arrays.cum_lt[j0]
            sim = self._similarity(rows, cols, a, b, prefix, off, span)
            paired["move"].append(cells.move[lo:hi])
            paired["flat"].append(flat)
            paired["mismatch"].append(self.model.mismatch(ls, lt))
            paired["lexical"].append(w.lexical * sim)
            paired["furniture"].append(w.furniture_pair * (furniture > 0))
            paired["labels"].append(w.label * self._label_breaks(rows, cols, a, b))
            if (
                self.src.spans is not None
                and self.tgt.spans is not None
                and (a <= len(self.src.spans) and b <= len(self.tgt.spans))
            ):
                # joined spans embedded as one text: one dot product per cell
                embedding.append(self._span_term(a, b, i0, j0))
            elif self.cum_vs is not None and self.cum_vt is not None:
                # on the band's whole grid, as ever: einsum's sums are not promised to be
                # the same for another shape of the same cells
                grid_rows, grid_cols = band.grid()
                cosine = span_cosines(
                    self.cum_vs, self.cum_vt, grid_rows, np.minimum(grid_cols, self.m), a, b
                )
                embedding.append(w.embedding * (cosine.ravel()[flat - t * cosine.size] - w.embedding_offset))
            if a > 1 or b > 1:
                paired["penalty"].append(self._unsupported(rows, cols, a, b, support, off))
                penalised.append(np.ones(hi - lo, dtype=bool))
            else:
                paired["penalty"].append(self._unlinked_pair(rows, cols, sim))
                penalised.append(np.full(hi - lo, w.unsupported_one))

        def joined(arrays: list[np.ndarray], dtype: type = np.float64) -> np.ndarray:
            return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)

        return _CostParts(
            band,
            (moves, self.model.c, self.model.s2),
            joined(paired["move"], np.int64),
            joined(paired["flat"], np.int64),
            joined(paired["mismatch"]),
            joined(paired["lexical"]),
            joined(paired["furniture"]),
            joined(paired["labels"]),
            joined(embedding) if embedding else None,
            joined(paired["penalty"]),
            joined(penalised, bool),
            joined(single_move, np.int64),
            joined(single_flat, np.int64),
            joined(omitted, bool),
            joined(embedded, bool),
        )

    # The same terms in plain Python for a small full matrix: one UN paragraph of a sentence or
    # two. Every sum and product is the vectorised one's, in the same order (tested on random
    # evidence and on every unpc-align-dev document); the length term goes through numpy, whose
    # logarithm can differ from ``math.log`` in the last bit.

    def _small_parts(self, band: Band, moves: tuple[tuple[int, int], ...]) -> _SmallParts:
        n, m, w = self.n, self.m, self.weights
        specific = w.specific_keys < 1.0 and any(a > 1 or b > 1 for a, b in moves)
        matched = [[0.0] * m for _ in range(n)]
        support = [[0.0] * m for _ in range(n)] if specific else matched
        for i in range(n):
            self._fill_row(i, 0, m, 0, matched[i], support[i], specific)
        prefix = [_running(row) for row in matched]
        cum_ls, cum_lt, cum_ws, cum_wt = self.cum_ls, self.cum_lt, self.cum_ws, self.cum_wt
        cum_fs, cum_ft, ws, wt = self.cum_fs, self.cum_ft, self.ws, self.wt
        codes = self._label_code_lists
        src_code, tgt_code = codes or ([], [])
        paired: list[list] = []
        single: list[tuple[int, int, int, bool]] = []
        ls: list[float] = []
        lt: list[float] = []
        for t, (a, b) in enumerate(moves):
            for i in range(a, n + 1):
                i0 = i - a
                for j in range(b, m + 1):
                    j0 = j - b
                    furniture = (cum_fs[i] - cum_fs[i0]) + (cum_ft[j] - cum_ft[j0])
                    if not (a and b):
                        single.append((t, i, j, a + b == 1 and furniture > 0))
                        continue
                    ls.append(cum_ls[i] - cum_ls[i0])
                    lt.append(cum_lt[j] - cum_lt[j0])
                    hit = 0.0
                    for r in range(i0, i):
                        hit += prefix[r][j] - prefix[r][j0]
                    total = (cum_ws[i] - cum_ws[i0]) + (cum_wt[j] - cum_wt[j0])
                    sim = min(hit / max(total, 1e-9), 1.0) if total > 0 else 0.0
                    inner = 0.0
                    if a > 1:
                        inner += self.cum_lab_s[i] - self.cum_lab_s[min(i0 + 1, n)]
                        inner += self.cum_head_s[i] - self.cum_head_s[i0]
                    if b > 1:
                        inner += self.cum_lab_t[j] - self.cum_lab_t[min(j0 + 1, m)]
                        inner += self.cum_head_t[j] - self.cum_head_t[j0]
                    if codes:
                        first_s, first_t = src_code[i0], tgt_code[j0]
                        inner = inner + (first_s > 0 and first_t > 0 and first_s != first_t)
                    if a > 1 or b > 1:
                        link = [support[r][j0:j] for r in range(i0, i)]
                        penalty = 0.0
                        if a > 1:
                            for q in range(a):
                                penalty += ws[i0 + q] >= 1.0 and sum(link[q]) == 0
                        if b > 1:
                            for p in range(b):
                                penalty += wt[j0 + p] >= 1.0 and sum(row[p] for row in link) == 0
                        penalised = True
                    else:
                        penalty = float(ws[i - 1] >= 1.0 and wt[j - 1] >= 1.0 and sim <= 0)
                        penalised = w.unsupported_one
                    paired.append(
                        [
                            t,
                            i,
                            j,
                            0.0,  # the length term, below
                            w.lexical * sim,
                            w.furniture_pair * (furniture > 0),
                            w.label * inner,
                            penalty,
                            penalised,
                        ]
                    )
        for cell, mismatch in zip(paired, self.model.mismatches(ls, lt), strict=True):
            cell[3] = mismatch
        return _SmallParts(band, (moves, self.model.c, self.model.s2), paired, single)

    def _small_costs(self, parts: _SmallParts, band: Band, moves: tuple[tuple[int, int], ...]) -> np.ndarray:
        prior = [-math.log(self.model.prior(a, b)) for a, b in moves]
        unsupported, omit = self.unsupported, self.weights.furniture_omit
        table = [[[math.inf] * band.width for _ in range(band.n + 1)] for _ in moves]
        for t, i, j, mismatch, lexical, furniture, labels, penalty, penalised in parts.paired:
            cost = mismatch + prior[t]
            cost = cost - lexical + furniture
            cost = cost + labels
            if penalised:
                cost = cost + unsupported * penalty
            table[t][i][j] = cost
        for t, i, j, omitted in parts.single:
            table[t][i][j] = omit if omitted else prior[t]
        return np.array(table)

    def _label_breaks(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """Numbered paragraphs start new paragraphs and headings stand alone (UN editorial
        rules): count labelled sentences inside a merged side and headings anywhere in one,
        plus 1 when both sides start with comparable labels that differ (``6.`` against ``8.``)."""
        i0 = _clip(rows - a, 0, self.n)
        j0 = _clip(cols - b, 0, self.m)
        inner = np.zeros(rows.shape)
        if a > 1:
            inner += self._arrays.cum_lab_s[rows] - self._arrays.cum_lab_s[np.minimum(i0 + 1, self.n)]
            inner += self._arrays.cum_head_s[rows] - self._arrays.cum_head_s[i0]
        if b > 1:
            inner += self._arrays.cum_lab_t[cols] - self._arrays.cum_lab_t[np.minimum(j0 + 1, self.m)]
            inner += self._arrays.cum_head_t[cols] - self._arrays.cum_head_t[j0]
        if not self._label_codes:
            return inner
        src_code, tgt_code = self._label_codes
        first_s = src_code[np.minimum(i0, max(self.n - 1, 0))]
        first_t = tgt_code[np.minimum(j0, max(self.m - 1, 0))]
        conflict = (first_s > 0) & (first_t > 0) & (first_s != first_t)
        return inner + conflict

    @functools.cached_property
    def _label_code_lists(self) -> tuple[list[int], list[int]] | None:
        """Comparable labels as integer codes shared by both sides (0: none or not comparable)."""
        if self.n == 0 or self.m == 0:
            return None
        table: dict[str, int] = {}
        src = [table.setdefault(x, len(table) + 1) if x else 0 for x in self.src_labels]
        tgt = [table.setdefault(x, len(table) + 1) if x else 0 for x in self.tgt_labels]
        return src, tgt

    @functools.cached_property
    def _label_codes(self) -> tuple[np.ndarray, np.ndarray] | None:
        codes = self._label_code_lists
        return None if codes is None else (np.array(codes[0]), np.array(codes[1]))

    def _unlinked_pair(self, rows: np.ndarray, cols: np.ndarray, sim: np.ndarray) -> np.ndarray:
        """1 for a 1-1 bead whose sentences both carry evidence and share none of it: in a
        literal translation that is as unlikely as a merged sentence without support (a shift
        by one sentence pairs each sentence with its neighbour's translation)."""
        i = _clip(rows - 1, 0, max(self.n - 1, 0))
        j = _clip(cols - 1, 0, max(self.m - 1, 0))
        return ((self._arrays.ws[i] >= 1.0) & (self._arrays.wt[j] >= 1.0) & (sim <= 0)).astype(np.float64)

    def _unsupported(
        self, rows: np.ndarray, cols: np.ndarray, a: int, b: int, matrix: np.ndarray, off: np.ndarray
    ) -> np.ndarray:
        """How many sentences of a merged side carry evidence of their own and yet match
        nothing on the other side (a heading or a stray sentence glued onto a neighbour);
        ``matrix`` holds the matches through specific keys."""
        span = matrix.shape[1]
        link = np.zeros((a, b, *rows.shape))
        for q in range(a):
            r = rows - a + q
            rr = _clip(r, 0, max(self.n - 1, 0))
            for p in range(b):
                k = cols - b + p - off[rr]
                ok = (r >= 0) & (k >= 0) & (k < span)
                link[q, p] = np.where(ok, matrix[rr, _clip(k, 0, span - 1)], 0.0)
        count = np.zeros(rows.shape)
        if a > 1:
            for q in range(a):
                r = _clip(rows - a + q, 0, max(self.n - 1, 0))
                count += (self._arrays.ws[r] >= 1.0) & (link[q].sum(axis=0) == 0)
        if b > 1:
            for p in range(b):
                c = _clip(cols - b + p, 0, max(self.m - 1, 0))
                count += (self._arrays.wt[c] >= 1.0) & (link[:, p].sum(axis=0) == 0)
        return count

    def _similarity(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        a: int,
        b: int,
        prefix: np.ndarray,
        off: np.ndarray,
        span: int,
    ) -> np.ndarray:
        matched = np.zeros(rows.shape)
        for q in range(a):
            r = rows - a + q
            ok = r >= 0
            rr = np.where(ok, r, 0)
            hi = _clip(cols - off[rr], 0, span)
            low = _clip(cols - b - off[rr], 0, span)
            matched += np.where(ok, prefix[rr, hi] - prefix[rr, low], 0.0)
        i0 = _clip(rows - a, 0, self.n)
        j0 = _clip(cols - b, 0, self.m)
        total = (self._arrays.cum_ws[rows] - self._arrays.cum_ws[i0]) + (
            self._arrays.cum_wt[cols] - self._arrays.cum_wt[j0]
        )
        return np.where(total > 0, np.minimum(matched / np.maximum(total, 1e-9), 1.0), 0.0)

    # -- confidence of a chosen bead ----------------------------------------------------------

    def similarity(self, i0: int, i1: int, j0: int, j1: int) -> float:
        keys_s = frozenset(k for r in range(i0, i1) for k in self.src_keys[r])
        keys_t = frozenset(k for c in range(j0, j1) for k in self.tgt_keys[c])
        shared = keys_s & keys_t
        got = sum(it.weight for r in range(i0, i1) for it in self.src_items[r] if it.keys & shared)
        got += sum(it.weight for c in range(j0, j1) for it in self.tgt_items[c] if it.keys & shared)
        total = (self.cum_ws[i1] - self.cum_ws[i0]) + (self.cum_wt[j1] - self.cum_wt[j0])
        return float(got / total) if total > 0 else math.nan

    def confidence(self, i0: int, i1: int, j0: int, j1: int, cost: float) -> float:
        """In [0, 1]: a logistic of the bead's cost without its kind's prior (so a well-matched
        merge is as confident as a well-matched 1-1). Omissions get 0 (a reviser should confirm
        every one), except page furniture, which is expected to stand alone."""
        if i0 == i1 or j0 == j1:
            furniture = (self.cum_fs[i1] - self.cum_fs[i0]) + (self.cum_ft[j1] - self.cum_ft[j0])
            return 1.0 if furniture > 0 else 0.0
        evidence = cost + math.log(self.model.prior(i1 - i0, j1 - j0))
        return float(1.0 / (1.0 + math.exp(min(50.0, evidence - self.weights.confident_cost))))
