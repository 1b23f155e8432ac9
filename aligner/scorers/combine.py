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
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.document import BlockKind
from aligner.dp import Band, mask_invalid
from aligner.read.blocks import CLOSERS, classify
from aligner.read.furniture import furniture_kind, split_label
from aligner.scorers.base import EvidenceScorer, Item
from aligner.scorers.embedding import span_cosines
from aligner.scorers.length import LengthModel, lengths


@dataclass(frozen=True)
class Weights:
    """Every number that changes a result besides the estimated length parameters."""

    lexical: float = 16.0  # cost units per unit of item similarity
    furniture_pair: float = 20.0  # cost of pairing a page-furniture line with anything
    furniture_omit: float = 0.5  # cost of leaving a page-furniture line unpaired
    embedding: float = 8.0  # cost units per unit of cosine, when an embedding scorer is on
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
            f"unsupported_one={int(self.unsupported_one)})"
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

    @classmethod
    def gather(
        cls, texts: Sequence[str], lang: str, other: str, scorers: Sequence[EvidenceScorer]
    ) -> Evidence:
        per_sentence: list[list[Item]] = [[] for _ in texts]
        for scorer in scorers:
            for bucket, found in zip(per_sentence, scorer.items(texts, lang, other), strict=True):
                bucket.extend(found)
        furniture = np.array([furniture_kind(t) is not None for t in texts], dtype=np.float64)
        vectors = None
        for scorer in scorers:
            if hasattr(scorer, "vectors"):
                vectors = scorer.vectors(texts)
        headings = np.array([is_heading(t) for t in texts], dtype=np.float64)
        return cls(
            lengths(texts),
            tuple(tuple(b) for b in per_sentence),
            furniture,
            vectors,
            tuple(label_key(t) for t in texts),
            headings,
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
        for key in it.keys:
            out[key] = max(out.get(key, 0.0), it.weight)
    return out


class BeadCoster:
    """Costs and confidences of beads between two sides, for any band."""

    def __init__(self, src: Evidence, tgt: Evidence, model: LengthModel, weights: Weights) -> None:
        self.src, self.tgt, self.model, self.weights = src, tgt, model, weights
        self.src_items, self.tgt_items = _filter_common(src, tgt, weights)
        self.cum_ls = np.concatenate([[0.0], np.cumsum(src.lengths)])
        self.cum_lt = np.concatenate([[0.0], np.cumsum(tgt.lengths)])
        ws = np.array([sum(it.weight for it in s) for s in self.src_items], dtype=np.float64)
        wt = np.array([sum(it.weight for it in s) for s in self.tgt_items], dtype=np.float64)
        self.ws, self.wt = ws, wt
        self.cum_vs = self.cum_vt = None
        if src.vectors is not None and tgt.vectors is not None and len(src) and len(tgt):
            self.cum_vs = np.vstack([np.zeros((1, src.vectors.shape[1])), np.cumsum(src.vectors, axis=0)])
            self.cum_vt = np.vstack([np.zeros((1, tgt.vectors.shape[1])), np.cumsum(tgt.vectors, axis=0)])
        self.src_labels = src.labels or (None,) * len(src)
        self.tgt_labels = tgt.labels or (None,) * len(tgt)
        self.cum_lab_s = np.concatenate([[0], np.cumsum([x is not None for x in self.src_labels])])
        self.cum_lab_t = np.concatenate([[0], np.cumsum([x is not None for x in self.tgt_labels])])
        self.cum_head_s = np.concatenate(
            [[0.0], np.cumsum(src.headings if src.headings is not None else np.zeros(len(src)))]
        )
        self.cum_head_t = np.concatenate(
            [[0.0], np.cumsum(tgt.headings if tgt.headings is not None else np.zeros(len(tgt)))]
        )
        self.cum_ws = np.concatenate([[0.0], np.cumsum(ws)])
        self.cum_wt = np.concatenate([[0.0], np.cumsum(wt)])
        self.cum_fs = np.concatenate(
            [[0.0], np.cumsum(src.standalone if src.standalone is not None else np.zeros(len(src)))]
        )
        self.cum_ft = np.concatenate(
            [[0.0], np.cumsum(tgt.standalone if tgt.standalone is not None else np.zeros(len(tgt)))]
        )
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
        limit = max(2.0, weights.specific_keys * (self.n + self.m))
        self.specific = frozenset(k for k, v in df.items() if v <= limit)
        self.unsupported = -math.log(max(self.unlinked_rate(), weights.unlinked_floor))

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
        where = np.searchsorted(self.cum_lt / self.cum_lt[-1], self.cum_ls[:-1] / self.cum_ls[-1])
        with_items = unlinked = 0
        for i, keys in enumerate(self.src_keys):
            if self.ws[i] < 1.0:
                continue
            with_items += 1
            lo, hi = max(0, int(where[i]) - window), min(self.m, int(where[i]) + window + 1)
            if not any(keys & self.tgt_keys[c] & self.specific for c in range(lo, hi)):
                unlinked += 1
        return (unlinked + 1) / (with_items + 2) if with_items else 1.0

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
        keep = self.specific
        for i in range(n):
            mine = self.src_key_weight[i]
            if not mine:
                continue
            base = int(off[i])
            start, stop = max(base, 0), min(base + span, self.m)
            row, srow = matrix[i], support[i]
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
        return matrix, support, off

    # -- costs for the DP ---------------------------------------------------------------------

    def costs(self, band: Band, moves: Sequence[tuple[int, int]]) -> np.ndarray:
        max_a = max(a for a, _ in moves)
        max_b = max(b for _, b in moves)
        # ``support``: what counts as support for a merged sentence (specific keys only)
        matrix, support, off = self._match_matrix(
            band, max_a, max_b, self.weights.specific_keys < 1.0 and any(a > 1 or b > 1 for a, b in moves)
        )
        prefix = np.concatenate([np.zeros((matrix.shape[0], 1)), np.cumsum(matrix, axis=1)], axis=1)
        span = prefix.shape[1] - 1
        rows, cols = band.grid()
        colsc = np.clip(cols, 0, self.m)
        out = np.empty((len(moves), band.n + 1, band.width), dtype=np.float64)
        for t, (a, b) in enumerate(moves):
            i0 = np.clip(rows - a, 0, self.n)
            j0 = np.clip(colsc - b, 0, self.m)
            ls = self.cum_ls[rows] - self.cum_ls[i0]
            lt = self.cum_lt[colsc] - self.cum_lt[j0]
            cost = self.model.cost(ls, lt, a, b)
            furniture = (self.cum_fs[rows] - self.cum_fs[i0]) + (self.cum_ft[colsc] - self.cum_ft[j0])
            if a and b:
                sim = self._similarity(rows, colsc, a, b, prefix, off, span)
                cost = cost - self.weights.lexical * sim + self.weights.furniture_pair * (furniture > 0)
                cost = cost + self.weights.label * self._label_breaks(rows, colsc, a, b)
                if self.cum_vs is not None and self.cum_vt is not None:
                    cosine = span_cosines(self.cum_vs, self.cum_vt, rows, colsc, a, b)
                    cost = cost - self.weights.embedding * cosine
                if a > 1 or b > 1:
                    cost = cost + self.unsupported * self._unsupported(rows, colsc, a, b, support, off)
                elif self.weights.unsupported_one:
                    cost = cost + self.unsupported * self._unlinked_pair(rows, colsc, sim)
            elif a + b == 1:
                cost = np.where(furniture > 0, self.weights.furniture_omit, cost)
            out[t] = cost
        return mask_invalid(out, band, moves)

    def _label_breaks(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """Numbered paragraphs start new paragraphs and headings stand alone (UN editorial
        rules): count labelled sentences inside a merged side and headings anywhere in one,
        plus 1 when both sides start with comparable labels that differ (``6.`` against ``8.``)."""
        i0 = np.clip(rows - a, 0, self.n)
        j0 = np.clip(cols - b, 0, self.m)
        inner = np.zeros(rows.shape)
        if a > 1:
            inner += self.cum_lab_s[rows] - self.cum_lab_s[np.minimum(i0 + 1, self.n)]
            inner += self.cum_head_s[rows] - self.cum_head_s[i0]
        if b > 1:
            inner += self.cum_lab_t[cols] - self.cum_lab_t[np.minimum(j0 + 1, self.m)]
            inner += self.cum_head_t[cols] - self.cum_head_t[j0]
        if not self._label_codes:
            return inner
        src_code, tgt_code = self._label_codes
        first_s = src_code[np.minimum(i0, max(self.n - 1, 0))]
        first_t = tgt_code[np.minimum(j0, max(self.m - 1, 0))]
        conflict = (first_s > 0) & (first_t > 0) & (first_s != first_t)
        return inner + conflict

    @property
    def _label_codes(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Comparable labels as integer codes shared by both sides (0: none or not comparable)."""
        if self.n == 0 or self.m == 0:
            return None
        if not hasattr(self, "_codes"):
            table: dict[str, int] = {}
            src = np.array([table.setdefault(x, len(table) + 1) if x else 0 for x in self.src_labels])
            tgt = np.array([table.setdefault(x, len(table) + 1) if x else 0 for x in self.tgt_labels])
            self._codes = (src, tgt)
        return self._codes

    def _unlinked_pair(self, rows: np.ndarray, cols: np.ndarray, sim: np.ndarray) -> np.ndarray:
        """1 for a 1-1 bead whose sentences both carry evidence and share none of it: in a
        literal translation that is as unlikely as a merged sentence without support (a shift
        by one sentence pairs each sentence with its neighbour's translation)."""
        i = np.clip(rows - 1, 0, max(self.n - 1, 0))
        j = np.clip(cols - 1, 0, max(self.m - 1, 0))
        return ((self.ws[i] >= 1.0) & (self.wt[j] >= 1.0) & (sim <= 0)).astype(np.float64)

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
            rr = np.clip(r, 0, max(self.n - 1, 0))
            for p in range(b):
                k = cols - b + p - off[rr]
                ok = (r >= 0) & (k >= 0) & (k < span)
                link[q, p] = np.where(ok, matrix[rr, np.clip(k, 0, span - 1)], 0.0)
        count = np.zeros(rows.shape)
        if a > 1:
            for q in range(a):
                r = np.clip(rows - a + q, 0, max(self.n - 1, 0))
                count += (self.ws[r] >= 1.0) & (link[q].sum(axis=0) == 0)
        if b > 1:
            for p in range(b):
                c = np.clip(cols - b + p, 0, max(self.m - 1, 0))
                count += (self.wt[c] >= 1.0) & (link[:, p].sum(axis=0) == 0)
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
            hi = np.clip(cols - off[rr], 0, span)
            low = np.clip(cols - b - off[rr], 0, span)
            matched += np.where(ok, prefix[rr, hi] - prefix[rr, low], 0.0)
        i0 = np.clip(rows - a, 0, self.n)
        j0 = np.clip(cols - b, 0, self.m)
        total = (self.cum_ws[rows] - self.cum_ws[i0]) + (self.cum_wt[cols] - self.cum_wt[j0])
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
