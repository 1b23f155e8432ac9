"""Alignment of two or more language versions: pairwise search, paragraphs, multi-way merge.

* ``align_pair``: one language pair. Below ``max_cells`` DP cells the whole matrix is searched;
  above, the texts are grouped into blocks, aligned at that coarse resolution (recursively) and
  the sentence-level search runs in a band around the projected path (Vecalign's
  coarse-to-fine), so cost grows linearly with length.
* Paragraphs: when the units carry paragraph numbers (every reader's output; presegmented text
  with blank lines), a sentence that starts a paragraph is a paragraph break inside a merged
  side, priced like a labelled paragraph (``Weights.label``, about an omission): translators
  keep paragraphs, so a bead rarely crosses one, but the one search over the whole text still
  sees every sentence's neighbours (no paragraph alignment to get wrong first, no tiny inner
  texts to estimate rates on).
* Anchors: a bead whose sentences on one side carry a number, date or symbol that the other
  side lacks pays ``AlignConfig.anchor_mismatch`` per missing one (at most ``anchor_cap``):
  translations keep their numbers, and without it two sentences with no shared evidence looked
  alike whether or not their numbers agreed (the wrong one of two neighbours was left out).
* ``align``: N ≥ 2 languages, starting from the pivot (by default the first document,
  conventionally the original). Default ("progressive", flat or with paragraphs): languages
  join one at a time, each aligned to the multi-way beads built so far with the evidence of
  all their languages. Alternative ("pivot"): each language is aligned to the pivot alone and
  the pairwise beads are merged; sentences without a pivot counterpart are aligned among
  themselves (recursively, next language as pivot), so a sentence the pivot dropped still
  pairs across the other languages. Either way every multi-way bead is consistent in all
  languages, and a language with nothing for a bead is left out of it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.beads import Bead, PairBead
from aligner.document import Document
from aligner.dp import DEFAULT_MOVES, Band, Step, margins, search
from aligner.read.furniture import furniture_kind
from aligner.scorers.anchors import AnchorScorer
from aligner.scorers.base import EvidenceScorer, Item
from aligner.scorers.combine import BeadCoster, Evidence, Weights
from aligner.scorers.embedding import EmbeddingScorer
from aligner.scorers.length import LengthModel
from aligner.scorers.lexical import CognateScorer, DictionaryScorer
from uncore.errors import UsageError
from uncore.lang import language

VERSION = "2"  # 2: paragraphs as breaks in one progressive search (was: paragraphs first, pivot merge)


def default_scorers() -> tuple[EvidenceScorer, ...]:
    """Anchors, the CC-CEDICT dictionary and cognates: no model, no network, no termbase
    (callers add a ``TermbaseScorer``: the aligner library does not open termbases itself)."""
    return (AnchorScorer(), DictionaryScorer(), CognateScorer())


@dataclass(frozen=True)
class RegionRule:
    """``--scorer neural-regions`` on the progressive path (the CLI's, two languages too): after
    the cpu search of a join, the beads the cpu evidence leaves in doubt — those whose
    ``Weakness.margin`` is below ``margin``, i.e. some path that changes the bead costs less than
    ``margin`` more than the cpu path (page furniture left alone excepted) — are taken with
    ``context`` beads either side, and each such window (a rectangle of the DP between two
    corners of the cpu path; neighbouring doubtful beads form one) is searched again, on the cpu
    costs less ``weight * (cos - offset)`` for every bead with both sides, ``cos`` between the
    embeddings of its sentences on each side (the mean over the languages of a multi-way unit; a
    side of up to ``joined`` sentences embedded as one joined text, a longer one as the sum of
    its sentences' vectors); omissions keep their cpu cost. Only the windows' sentences are
    embedded, and the beads outside them are the cpu beads.

    The margin and not the confidence: the cpu path is right on ~99 % of the beads of UN
    documents, and a bead with little evidence (a short heading, an omission) is usually right
    when nothing else comes close. A bead the cheapest alternative path leaves alone has a large
    margin, and no context is needed: every bead an alternative path changes has a margin no
    larger than that path's excess cost, so the beads of a close alternative are all below the
    threshold and form one window. On the tuning half of unpc-align-dev
    (``benchmarks/align_unpc.py --weak-report``): windows of margin < 3 hold 2.5 % of the joins'
    sentences and every sentence of 74 % of the cpu path's errors; the earlier rule (a
    non-furniture omission or a confidence below 0.5, one bead either side) held 22.8 % and
    72 %. Aligned with the encoder (``--scorer neural-regions --half tuning``), margin 2 / 3 / 4
    encode 802 / 1,267 / 2,089 texts for 33,138 sentences (the earlier rule 14,960) and keep
    74 / 92 / 96 % of the earlier rule's gain over cpu, no row below cpu; margin 3 with one bead
    of context encodes 3,567 and loses 0.0003 on a row. Weight, offset and ``joined`` were
    chosen with the earlier rule (docs/neural.md): weight
    8 / 16 / 24 / 32 / 48 / 64 / 96 gain more up to 48-64; an omission surcharge of 2 loses;
    spans joined up to 2 score as up to 4 with a quarter fewer texts.

    In a run of ``keep_beads_from`` languages or more, a window's new path is taken only if it
    has no more beads with both sides than the cpu path there: it may move a boundary, not split
    a merge into 1-1 beads. The cosine reward is per bead, so three 1-1 beads with middling
    cosines can out-score a 2-1 and a 1-2 with good ones; in a multi-way join a split bead
    carries into every pair. On the tuning half this left three-way runs with no document worse
    than cpu (one before: doc024, three pairs) for one or two fewer better; two-language runs
    keep every new path (with the guard: 8 / 14 documents better instead of 12 / 18, pairwise
    paragraphs / flat). Scaling the reward by the bead's size instead (per sentence) lost on 10
    of the 25 documents three-way flat (docs/neural.md)."""

    margin: float = 3.0
    context: int = 0
    weight: float = 48.0
    offset: float = 0.05
    # a span of more sentences is the sum of its sentences' embeddings, not one more text
    joined: int = 2
    # in runs of this many languages or more, a window's new path is taken only if it has no
    # more beads with both sides than the cpu path there (the class docstring)
    keep_beads_from: int = 3
    # when the windows hold more than this share of a run's sentences, the run is aligned again
    # with the encoder on every sentence (``everywhere``; ``LITERARY_DOUBT``); None: never
    everywhere_above: float | None = None

    def signature(self) -> str:
        return (
            f"regions(margin<{self.margin:g},context={self.context},weight={self.weight:g}-{self.offset:g},"
            f"joined<={self.joined},keep-beads>={self.keep_beads_from}"
            + (f",everywhere>{self.everywhere_above:g}" if self.everywhere_above is not None else "")
            + ")"
        )

    def weak(self, weakness: Weakness) -> np.ndarray:
        """Which steps the cpu evidence leaves in doubt."""
        return (weakness.margin < self.margin) & ~weakness.furniture

    def windows(self, weakness: Weakness) -> list[tuple[int, int]]:
        """The step ranges ``[a, b)`` searched again: each weak step with ``context`` steps
        either side, overlapping or touching windows merged."""
        return self.around(self.weak(weakness), self.context)

    @staticmethod
    def around(weak: np.ndarray, context: int) -> list[tuple[int, int]]:
        """Ranges ``[a, b)`` of the steps within ``context`` of a step marked in ``weak``."""
        spans: list[list[int]] = []
        for k in np.flatnonzero(weak).tolist():
            a, b = max(0, k - context), min(len(weak), k + context + 1)
            if spans and a <= spans[-1][1]:
                spans[-1][1] = b
            else:
                spans.append([a, b])
        return [(a, b) for a, b in spans]


#: ``RegionRule.everywhere_above`` for ``untm align --scorer neural``: the share of a run's
#: sentences in the windows of doubt above which the text is not one the cpu evidence aligns
#: (literary or free translation) and every sentence is worth embedding. Fixed on the tuning
#: halves (``benchmarks/align_doubt.py``): the 25 tuning documents of unpc-align-dev in eight
#: runs each (three-way and the three pairs, paragraphs and flat) hold at most 0.101 of their
#: sentences in windows; mac-dev's half A chapters 0.172, 0.759 and 0.697. 0.13 is the middle
#: of that gap on a log scale. A UN document taken for literary text costs little: the encoder
#: everywhere gave pairwise runs the cpu figures within 0.0006 (docs/neural.md).
LITERARY_DOUBT = 0.13


@dataclass(frozen=True)
class AlignConfig:
    moves: tuple[tuple[int, int], ...] = DEFAULT_MOVES
    weights: Weights = field(default_factory=Weights)
    scorers: tuple[EvidenceScorer, ...] = field(default_factory=default_scorers)
    # "progressive": languages join one at a time, each aligned to the multi-way beads so far
    # (all their languages' evidence at once); "pivot": each aligned to the pivot alone, merged.
    # Both with or without paragraphs.
    multiway: str = "progressive"
    # second pass: re-estimate the unsupported-merge cost and the merge priors (bead kinds
    # with both sides) from a first alignment of the text
    two_pass: bool = True
    adapt_priors: bool = True
    max_cells: int = 40_000  # full DP up to this many cells; coarse-to-fine above
    block: int = 6  # at most this many units per block at each coarser level
    # A bead pays this per number, date or symbol of one side that the other lacks, for at
    # most ``anchor_cap`` of them: a translation keeps its numbers. On the tuning half of
    # unpc-align-dev 90 % of the gold 1-1 pairs lack none and 1.3 % two or more, but 72 % of
    # the pairs shifted by one sentence lack one or more (log-likelihood ratios 2.3, 3.9, 4.6
    # for 1, 2, 3+ missing). The coster's similarity sees these anchors only when something
    # else matches, so two sentences with no shared evidence looked alike whether or not their
    # numbers agreed. Weight 2 follows the ratios but moved beads of existing tests (a
    # partly translated sentence next to a merge); 1 keeps them and is better than 0 on every
    # row of the tuning half (docs/bench-align.md).
    anchor_mismatch: float = 1.0
    anchor_cap: int = 2
    # ``--scorer neural-regions``: weak windows of the progressive joins searched again with the
    # encoder of the embedding scorer that has ``regions`` set (``RegionRule``); None: never
    regions: RegionRule | None = None
    # told how many source sentences (or units) each finished block covered: for a progress
    # bar; changes no result, so it is neither compared nor in the signature
    progress: Callable[[int], None] | None = field(default=None, compare=False, repr=False)
    # told each join of the progressive code: the units so far, the language that joined and
    # its cpu beads' ``Weakness`` (benchmarks/align_unpc.py --weak-report); changes no result
    observe_joins: Callable[[Sequence[Unit], str, Weakness], None] | None = field(
        default=None, compare=False, repr=False
    )
    # told the share of the run's sentences in the windows of doubt when that share is above
    # ``RegionRule.everywhere_above`` and the run is aligned again with ``everywhere(config)``
    # (a progress bar starts again, the caller notes it); changes no result
    on_everywhere: Callable[[float], None] | None = field(default=None, compare=False, repr=False)

    def signature(self) -> str:
        """Every setting that changes a result, for TMX header props and reports."""
        moves = ",".join(f"{a}-{b}" for a, b in self.moves)
        scorers = "+".join(s.signature() for s in self.scorers)
        return (
            f"untm-align/{VERSION} moves={moves} multiway={self.multiway} two_pass={self.two_pass} "
            f"adapt_priors={self.adapt_priors} anchor_mismatch={self.anchor_mismatch:g}x{self.anchor_cap} "
            f"{self.weights.signature()} scorers={scorers}"
            + (f" {self.regions.signature()}" if self.regions is not None else "")
        )


def prepare(config: AlignConfig, langs: Sequence[str]) -> None:
    """Load now what the scorers load on first use for ``langs`` — a termbase's term automata
    and lemmatisers, CC-CEDICT and jieba, number words — so that a batch worker pays it once
    before its first document instead of inside it. Changes no result."""
    for lang in langs:
        for other in langs:
            for scorer in config.scorers:
                if other != lang and scorer.applies(lang, other):
                    scorer.items(["1."], lang, other)
                    if hasattr(scorer, "prepare"):  # a scorer with resources of its own
                        scorer.prepare(lang)


@dataclass(frozen=True)
class Side:
    """One language's sentences, with the paragraph each belongs to (or None: flat text)."""

    lang: str
    sentences: tuple[str, ...]
    paragraphs: tuple[int, ...] | None = None


# -- one pair ----------------------------------------------------------------------------------


def _search_evidence(
    src: Evidence,
    tgt: Evidence,
    model: LengthModel,
    config: AlignConfig,
    moves: Sequence[tuple[int, int]],
    anchors: tuple[Sequence[Anchors], Sequence[Anchors]] | None = None,
    windows: _Windows | None = None,
    observe: Callable[[Weakness], None] | None = None,
) -> tuple[list[PairBead], BeadCoster]:
    n, m = len(src), len(tgt)
    # A bead larger than the texts can never be chosen: leave it out of the cost matrix (the
    # result is the same). Most UN paragraphs are one sentence, and their inner search with all
    # eleven moves cost ~7 ms, three quarters of a document's alignment.
    moves = [(a, b) for a, b in moves if a <= n and b <= m] or list(moves)
    coster = BeadCoster(src, tgt, model, config.weights)
    if (n + 1) * (m + 1) <= config.max_cells or min(n, m) < 8:
        band = Band.full(n, m)
    else:
        band = _coarse_band(src, tgt, model, config, moves)
    extra = None
    if anchors is not None and config.anchor_mismatch:
        extra = config.anchor_mismatch * _anchor_mismatch(
            anchors[0], anchors[1], band, moves, config.anchor_cap
        )

    def costs() -> np.ndarray:
        table = coster.costs(band, moves)
        if extra is not None:
            table += extra
        return table

    table = costs()
    steps = first = search(table, band, moves)
    if config.two_pass:
        coster.set_unlinked_from([(s.i0, s.i1, s.j0, s.j1) for s in steps])
        if config.adapt_priors:
            coster.model = model.with_priors_from([(s.i1 - s.i0, s.j1 - s.j0) for s in steps])
        table = costs()
        steps = search(table, band, moves)
    if windows is not None or observe is not None:
        weakness = Weakness.of(steps, first, table, band, moves, coster)
        if observe is not None:
            observe(weakness)
        if windows is not None:
            steps = windows.research(weakness, table, band, moves)
    beads = [
        PairBead(
            tuple(range(s.i0, s.i1)),
            tuple(range(s.j0, s.j1)),
            s.cost,
            coster.confidence(s.i0, s.i1, s.j0, s.j1, s.cost),
        )
        for s in steps
    ]
    return beads, coster


@dataclass(frozen=True, eq=False)
class Weakness:
    """What ``RegionRule`` judges the cpu beads of one search on, a value per step of ``steps``:
    ``omission`` (one side empty), ``furniture`` (an omission of page furniture), ``margin``
    (how much more the cheapest path without the step costs: ``dp.margins``), and, computed
    only when asked for (``benchmarks/align_unpc.py --weak-report``), ``confidence``
    (``BeadCoster.confidence``: 0 for an omission, 1 for page furniture left alone) and
    ``changed`` (the step is not in the first pass's path)."""

    steps: list[Step]
    omission: np.ndarray
    furniture: np.ndarray
    margin: np.ndarray
    first: Sequence[Step] = field(repr=False)
    coster: BeadCoster = field(repr=False)

    @classmethod
    def of(
        cls,
        steps: list[Step],
        first: Sequence[Step],
        table: np.ndarray,
        band: Band,
        moves: Sequence[tuple[int, int]],
        coster: BeadCoster,
    ) -> Weakness:
        omission = np.array([s.i0 == s.i1 or s.j0 == s.j1 for s in steps], dtype=bool)
        alone = [
            (coster.cum_fs[s.i1] - coster.cum_fs[s.i0]) + (coster.cum_ft[s.j1] - coster.cum_ft[s.j0])
            for s in steps
        ]
        furniture = omission & (np.array(alone) > 0)
        return cls(
            steps,
            omission,
            furniture,
            margins(table, band, moves, steps) if steps else np.zeros(0),
            first,
            coster,
        )

    @functools.cached_property
    def confidence(self) -> np.ndarray:
        return np.array([self.coster.confidence(s.i0, s.i1, s.j0, s.j1, s.cost) for s in self.steps])

    @functools.cached_property
    def changed(self) -> np.ndarray:
        before = {(s.i0, s.i1, s.j0, s.j1) for s in self.first}
        return np.array([(s.i0, s.i1, s.j0, s.j1) not in before for s in self.steps], dtype=bool)


def _both_sided(steps: Sequence[Step]) -> int:
    return sum(1 for s in steps if s.i1 > s.i0 and s.j1 > s.j0)


@dataclass(frozen=True)
class _Windows:
    """The ``RegionRule`` pass of one progressive join: ``src[u]`` is unit ``u``'s text in each
    of its languages, ``tgt`` the joining language's sentences; ``vectors`` embeds texts (the
    embedding scorer's cache)."""

    rule: RegionRule
    src: Sequence[Mapping[str, tuple[str, ...]]]
    tgt: tuple[str, ...]
    tgt_lang: str
    vectors: Callable[[Sequence[str]], np.ndarray]
    keep_beads: bool = False  # a new path with more beads with both sides is not taken

    def research(
        self, weakness: Weakness, table: np.ndarray, band: Band, moves: Sequence[tuple[int, int]]
    ) -> list[Step]:
        """The steps with every window around a weak step searched again (the class docstring);
        a new step keeps its cpu cost, so its confidence is the cpu one."""
        steps = weakness.steps
        out: list[Step] = []
        done = 0
        for a, b in self.rule.windows(weakness):
            out.extend(steps[done:a])
            found = self._window(
                steps[a].i0, steps[b - 1].i1, steps[a].j0, steps[b - 1].j1, table, band, moves
            )
            if self.keep_beads and _both_sided(found) > _both_sided(steps[a:b]):
                found = list(steps[a:b])
            out.extend(found)
            done = b
        out.extend(steps[done:])
        return out

    def _window(
        self,
        i0: int,
        i1: int,
        j0: int,
        j1: int,
        table: np.ndarray,
        band: Band,
        moves: Sequence[tuple[int, int]],
    ) -> list[Step]:
        n, m = i1 - i0, j1 - j0
        sub = Band.full(n, m)
        rows = np.arange(i0, i1 + 1)
        k = np.arange(j0, j1 + 1)[None, :] - band.lo[rows][:, None]  # the cpu band's column
        inside = (k >= 0) & (k < band.width)
        cpu = np.where(inside[None], table[:, rows[:, None], np.clip(k, 0, band.width - 1)], np.inf)
        costs = cpu.copy()
        rule = self.rule
        for t, (a, b) in enumerate(moves):
            if a and b and a <= n and b <= m:  # a bead with both sides that fits the window
                cos = self._cosines(i0, i1, j0, j1, a, b)  # [i - a, j - b] for beads ending at (i, j)
                costs[t, a:, b:] -= rule.weight * (cos - rule.offset)
        costs[~np.isfinite(cpu)] = np.inf
        found = search(costs, sub, moves)
        index = {move: t for t, move in enumerate(moves)}
        return [
            Step(
                s.i0 + i0,
                s.i1 + i0,
                s.j0 + j0,
                s.j1 + j0,
                float(cpu[index[(s.i1 - s.i0, s.j1 - s.j0)], s.i1, s.j1]),
            )
            for s in found
        ]

    def _cosines(self, i0: int, i1: int, j0: int, j1: int, a: int, b: int) -> np.ndarray:
        """``out[p, q]``: the mean over the languages of units ``i0+p .. i0+p+a-1`` of the cosine
        between their text in that language and sentences ``j0+q .. j0+q+b-1`` of the joining
        language, each side embedded as one joined text up to ``RegionRule.joined`` sentences
        (units) and as the sum of its sentences' vectors above."""
        tgt = self._spans([self.tgt[j : j + b] for j in range(j0, j1 - b + 1)], self.tgt_lang, b)
        langs = sorted({lang for u in range(i0, i1) for lang in self.src[u]})
        total = np.zeros((i1 - i0 - a + 1, j1 - j0 - b + 1))
        count = np.zeros((i1 - i0 - a + 1, 1))
        for lang in langs:
            parts = [
                tuple(t for u in range(i, i + a) for t in self.src[u].get(lang, ()))
                for i in range(i0, i1 - a + 1)
            ]
            present = np.array([bool(x) for x in parts])
            if not present.any():
                continue
            vectors = self._spans(parts, lang, a)
            total += np.where(present[:, None], vectors @ tgt.T, 0.0)
            count[:, 0] += present
        return total / np.maximum(count, 1)

    def _spans(self, spans: Sequence[tuple[str, ...]], lang: str, units: int) -> np.ndarray:
        """A unit vector per span of sentences (zero for an empty span): the joined text's
        embedding for a span of at most ``joined`` units, else the normalised sum of its
        sentences' embeddings."""
        full = [k for k, x in enumerate(spans) if x]
        if not full:
            return np.zeros((len(spans), 1))
        if units <= self.rule.joined:
            joiner = language(lang).joiner
            found = self.vectors([joiner.join(spans[k]) for k in full])
        else:
            sentences = self.vectors([t for k in full for t in spans[k]])
            ends = np.cumsum([len(spans[k]) for k in full])
            found = np.add.reduceat(sentences, np.concatenate([[0], ends[:-1]]), axis=0)
            found = found / np.maximum(np.linalg.norm(found, axis=1, keepdims=True), 1e-12)
        out = np.zeros((len(spans), found.shape[1]))
        out[full] = found
        return out


@dataclass(frozen=True)
class Anchors:
    """A unit's anchors (``AnchorScorer`` keys): ``strong`` the numbers, dates and symbols
    written as such (weight ≥ 1), ``every`` those and the spelled ones, which may answer a
    number on the other side but are no evidence of their own.

    A date stands for its year here: versions write a date with different precision ("к июлю
    2015 года" / "2015年7月", "1 января -- 31 декабря 2014 года" / "2014年1月1日至12月31日"), and
    on the tuning half of unpc-align-dev 24 gold beads in 10 documents lacked a date whose year
    the other side had."""

    strong: frozenset[str] = frozenset()
    every: frozenset[str] = frozenset()

    @classmethod
    def of(cls, items: Sequence[Sequence[Item]], scorer: AnchorScorer) -> list[Anchors]:
        """The anchors of each sentence, from the ``AnchorScorer``'s items for it."""
        out = []
        for found in items:
            keys = [
                (_year(k), it.weight) for it in found if it.weight >= scorer.spelled_weight for k in it.keys
            ]
            strong = frozenset(k for k, w in keys if w >= scorer.number_weight)
            out.append(cls(strong, frozenset(k for k, _ in keys)))
        return out

    @staticmethod
    def union(parts: Iterable[Anchors]) -> Anchors:
        return functools.reduce(operator.or_, parts, Anchors())

    def __or__(self, other: Anchors) -> Anchors:
        return Anchors(self.strong | other.strong, self.every | other.every)


_DATE = re.compile(r"(#\d{4})-\d\d(?:-\d\d)?")  # an anchor key of a date (uncore.lang.numbers: 2017-11-14)


def _year(key: str) -> str:
    """The year of a date's anchor key; any other key as it is."""
    match = _DATE.fullmatch(key)
    return match.group(1) if match else key


def _anchor_mismatch(
    src: Sequence[Anchors], tgt: Sequence[Anchors], band: Band, moves: Sequence[tuple[int, int]], cap: int
) -> np.ndarray:
    """For every bead with both sides that ends in a cell of ``band``: how many strong anchors
    of its sentences on one side the other side lacks (in any form), at most ``cap``; shape
    ``(len(moves), n+1, width)`` like the coster's, 0 for omissions and cells outside the text.

    Vectorised over *events*, one per (source sentence, anchor) and row it reaches (a bead
    ending at row ``i`` covers the ``a`` source sentences before it): a strong source anchor is
    missing from a target span ``[j-b, j)`` when the last target sentence before ``j`` with it
    (in any form) is more than ``b`` back; the target span's strong anchors are counted with
    running sums, less those the source span has (each anchor once: at its last occurrence in
    the span)."""
    n, m, width = band.n, band.m, band.width
    out = np.zeros((len(moves), n + 1, width))
    paired = [(t, a, b) for t, (a, b) in enumerate(moves) if a > 0 and b > 0]
    if not paired or (not any(x.strong for x in src) and not any(x.strong for x in tgt)):
        return out
    longest = max(a for _, a, _ in paired)
    rows = np.arange(n + 1)[:, None]
    j = band.lo[:, None] + np.arange(width)[None, :]  # the column of every cell
    jc = np.minimum(j, m)
    ids: dict[str, int] = {}
    # target postings as sorted codes key * (m + 2) + position: a key's postings before j are
    # those below key * (m + 2) + j
    every_codes = np.array(
        sorted(ids.setdefault(k, len(ids)) * (m + 2) + q for q, x in enumerate(tgt) for k in x.every),
        dtype=np.int64,
    )
    strong_codes = np.array(
        sorted(ids.setdefault(k, len(ids)) * (m + 2) + q for q, x in enumerate(tgt) for k in x.strong),
        dtype=np.int64,
    )
    running = np.concatenate([[0], np.cumsum([len(x.strong) for x in tgt])])  # strong anchors before j

    def events(which: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, key, distance d) for every source anchor of kind ``which`` and row it reaches;
        for ``every``, only while no later sentence of the span has the same anchor."""
        last: dict[str, int] = {}
        found: list[tuple[int, int, int]] = []
        for i0 in range(n - 1, -1, -1):
            for key in getattr(src[i0], which):
                stop = min(n, i0 + longest, last.get(key, n) if which == "every" else n)
                found.extend((i0 + d, ids.setdefault(key, len(ids)), d) for d in range(1, stop - i0 + 1))
            if which == "every":
                for key in src[i0].every:
                    last[key] = i0
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        arr = np.array(found, dtype=np.int64)
        return arr[:, 0], arr[:, 1], arr[:, 2]

    # source side: strong anchors absent from the target span
    s_row, s_key, s_dist = events("strong")
    if len(s_row):
        code = s_key[:, None] * (m + 2) + jc[s_row]
        k = np.searchsorted(every_codes, code, side="left") - 1
        prev = every_codes[np.maximum(k, 0)]
        same = (k >= 0) & (prev // (m + 2) == s_key[:, None])
        gap = np.where(same, jc[s_row] - prev % (m + 2), m + 1)  # back to the last target with it
    # target side: strong anchors of the span that the source span has
    e_row, e_key, e_dist = events("every")
    if len(e_row):
        base = e_key[:, None] * (m + 2)
        upto = np.searchsorted(strong_codes, base + jc[e_row], side="left")
    for t, a, b in paired:
        start = np.maximum(jc - b, 0)
        count = (running[jc] - running[start]).astype(np.float64)
        if len(s_row):
            live = s_dist <= a
            np.add.at(count, s_row[live], (gap[live] > b).astype(np.float64))
        if len(e_row):
            live = e_dist <= a
            since = np.searchsorted(strong_codes, base[live] + start[e_row[live]], side="left")
            np.add.at(count, e_row[live], -(upto[live] - since).astype(np.float64))
        ok = (j <= m) & (j - b >= 0) & (rows >= a)
        out[t] = np.where(ok, np.minimum(count, cap), 0.0)
    return out


def _coarse_band(
    src: Evidence, tgt: Evidence, model: LengthModel, config: AlignConfig, moves: Sequence[tuple[int, int]]
) -> Band:
    """Align blocks of ``k`` sentences (recursively coarser while the block grid is too
    large), then search a band of ``±(3k+4)`` sentences around the projected path."""
    n, m = len(src), len(tgt)
    k = max(2, min(config.block, math.ceil(math.sqrt((n + 1) * (m + 1) / config.max_cells))))
    coarse, _ = _search_evidence(src.coarsen(k), tgt.coarsen(k), model, config, DEFAULT_MOVES)
    centers = np.zeros(n + 1)
    for bead in coarse:
        i0, j0 = (bead.src[0] * k if bead.src else None), (bead.tgt[0] * k if bead.tgt else None)
        if bead.src:
            i0 = bead.src[0] * k
            i1 = min((bead.src[-1] + 1) * k, n)
            if bead.tgt:
                j0, j1 = bead.tgt[0] * k, min((bead.tgt[-1] + 1) * k, m)
            else:
                j0 = j1 = _tgt_position(coarse, bead, k, m)
            rows = np.arange(i0, i1 + 1)
            centers[rows] = j0 + (rows - i0) * (j1 - j0) / max(i1 - i0, 1)
    centers[0], centers[n] = 0, m
    return Band.around(centers, 3 * k + 4, n, m)


def _tgt_position(coarse: list[PairBead], bead: PairBead, k: int, m: int) -> int:
    """Target position where a source-only coarse bead sits (after the previous target block)."""
    position = 0
    for other in coarse:
        if other is bead:
            break
        if other.tgt:
            position = min((other.tgt[-1] + 1) * k, m)
    return position


def align_pair(src: Side, tgt: Side, config: AlignConfig | None = None) -> list[PairBead]:
    """Pairwise alignment of two sides; a side's paragraph starts are breaks (module docstring)."""
    config = config or AlignConfig()
    scorers = [s for s in config.scorers if s.applies(src.lang, tgt.lang)]
    model = LengthModel.for_pair(src.lang, tgt.lang)
    src_ev, src_anchors = _gather(src.sentences, src.lang, tgt.lang, scorers, src.paragraphs)
    tgt_ev, tgt_anchors = _gather(tgt.sentences, tgt.lang, src.lang, scorers, tgt.paragraphs)
    beads, _ = _search_evidence(src_ev, tgt_ev, model, config, config.moves, (src_anchors, tgt_anchors))
    if config.progress is not None:
        config.progress(len(src.sentences))
    return beads


@dataclass(frozen=True)
class _Found:
    """A scorer whose items for one text are already known: ``Evidence.gather`` takes them
    from here, so the anchors are extracted once for the evidence and for ``Anchors``."""

    scorer: EvidenceScorer
    found: list[list[Item]]

    @property
    def name(self) -> str:
        return self.scorer.name

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        return True

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        return self.found

    def signature(self) -> str:
        return self.scorer.signature()


def _gather(
    texts: Sequence[str],
    lang: str,
    other: str,
    scorers: Sequence[EvidenceScorer],
    paragraphs: Sequence[int] | None,
) -> tuple[Evidence, list[Anchors]]:
    """The evidence of ``texts`` (paragraph starts marked) and their anchors."""
    anchor = next((s for s in scorers if isinstance(s, AnchorScorer)), None)
    if anchor is None:
        return _paragraph_breaks(Evidence.gather(texts, lang, other, scorers), paragraphs), [Anchors()] * len(
            texts
        )
    found = anchor.items(texts, lang, other)
    given: list[EvidenceScorer] = [_Found(anchor, found) if s is anchor else s for s in scorers]
    evidence = Evidence.gather(texts, lang, other, given)
    return _paragraph_breaks(evidence, paragraphs), Anchors.of(found, anchor)


def _paragraph_breaks(evidence: Evidence, paragraphs: Sequence[int] | None) -> Evidence:
    """``evidence`` with every sentence that starts a paragraph (after the first) marked as a
    paragraph break: a label that cannot be compared (``""``), which the coster prices inside a
    merged side (``Weights.label``) and never compares across languages. A sentence with a
    label of its own keeps it."""
    if paragraphs is None:
        return evidence
    labels = list(evidence.labels or (None,) * len(evidence))
    for i in range(1, len(paragraphs)):
        if paragraphs[i] != paragraphs[i - 1] and labels[i] is None:
            labels[i] = ""
    return dataclasses.replace(evidence, labels=tuple(labels))


# -- many languages ----------------------------------------------------------------------------


def align_sides(
    sides: Sequence[Side], pivot: str | None = None, config: AlignConfig | None = None
) -> list[Bead]:
    """Multi-way alignment of ``sides`` (one per language); see the module docstring."""
    config = config or AlignConfig()
    if len(sides) < 2:
        raise UsageError("alignment needs at least two language versions")
    codes = [s.lang for s in sides]
    if len(set(codes)) != len(codes):
        raise UsageError(f"each language may be given once (got {', '.join(codes)})")
    by_lang = {s.lang: s for s in sides}
    pivot_lang = pivot or sides[0].lang
    if pivot_lang not in by_lang:
        matches = [s.lang for s in sides if language(s.lang).code == language(pivot_lang).code]
        if not matches:
            raise UsageError(f"pivot language {pivot_lang!r} is not among {', '.join(codes)}")
        pivot_lang = matches[0]
    order = [pivot_lang] + [c for c in codes if c != pivot_lang]
    config = _scorers_for_run(config, codes)
    if config.multiway == "progressive":
        beads = _progressive_or_everywhere({c: by_lang[c] for c in order}, config)
    else:
        beads = _multi({c: by_lang[c] for c in order}, dict.fromkeys(order, 0), config)
    flag = config.weights.flag_below
    return [
        Bead(
            {c: b.indices[c] for c in codes if b.indices.get(c)},
            b.score,
            b.score < flag or (b.score < 1.0 and any(not b.indices.get(c) for c in codes)),
        )
        for b in beads
    ]


def _scorers_for_run(config: AlignConfig, langs: Sequence[str]) -> AlignConfig:
    """The scorers of a run of ``langs``. A ``pairwise_only`` scorer is left out of a run of
    three or more languages, and in a run of two a scorer that applies names the scorers it
    ``supersedes`` for that pair (``aligner.scorers.russian``: the Russian dictionary
    dilutes the zh-en dictionary that English carries into every bead of a longer run, and in a
    pair it replaces the cognate heuristics it contains)."""
    if len(langs) > 2:
        kept = tuple(s for s in config.scorers if not getattr(s, "pairwise_only", False))
    else:
        a, b = langs
        superseded = {
            name for s in config.scorers if s.applies(a, b) for name in getattr(s, "supersedes", ())
        }
        kept = tuple(s for s in config.scorers if s.name not in superseded)
    return config if len(kept) == len(config.scorers) else dataclasses.replace(config, scorers=kept)


def everywhere(config: AlignConfig) -> AlignConfig:
    """``config`` with the encoder on every sentence instead of in the windows of doubt: its
    region scorer made eager (the same encoder and cache, so nothing is embedded twice) and no
    ``RegionRule`` (``--scorer neural-all``'s configuration)."""
    scorers = tuple(
        dataclasses.replace(s, regions=False) if isinstance(s, EmbeddingScorer) and s.regions else s
        for s in config.scorers
    )
    return dataclasses.replace(config, scorers=scorers, regions=None)


@dataclass
class Doubt:
    """Counts, over the joins of a run (``AlignConfig.observe_joins``), the sentences in the
    windows ``rule`` would search again and all the joins' sentences; ``chained`` is told each
    join too."""

    rule: RegionRule
    chained: Callable[[Sequence[Unit], str, Weakness], None] | None = None
    inside: int = 0
    total: int = 0

    def __call__(self, units: Sequence[Unit], lang: str, weakness: Weakness) -> None:
        def sentences(steps: Sequence[Step]) -> int:
            return sum(
                sum(len(idx) for u in range(s.i0, s.i1) for idx in units[u].values()) + s.j1 - s.j0
                for s in steps
            )

        self.total += sentences(weakness.steps)
        self.inside += sum(sentences(weakness.steps[a:b]) for a, b in self.rule.windows(weakness))
        if self.chained is not None:
            self.chained(units, lang, weakness)

    @property
    def share(self) -> float:
        return self.inside / self.total if self.total else 0.0


def _progressive_or_everywhere(sides: Mapping[str, Side], config: AlignConfig) -> list[Bead]:
    """The progressive alignment; with ``RegionRule.everywhere_above``, aligned again with the
    encoder on every sentence when the cpu beads leave more than that share of the sentences
    in doubt. The windows find the few doubtful beads of a document the cpu evidence aligns;
    on literary text (mac-dev) they hold 17-76 % of the sentences, and there the encoder on
    every sentence is better than in windows (0.9035 against 0.8635 strict F1, docs/neural.md)."""
    rule = config.regions
    if rule is None or rule.everywhere_above is None:
        return _progressive(sides, config)
    doubt = Doubt(rule, config.observe_joins)
    beads = _progressive(sides, dataclasses.replace(config, observe_joins=doubt))
    if doubt.share <= rule.everywhere_above:
        return beads
    if config.on_everywhere is not None:
        config.on_everywhere(doubt.share)
    return _progressive(sides, everywhere(config))


def _progressive(sides: Mapping[str, Side], config: AlignConfig) -> list[Bead]:
    """Progressive multi-way alignment (as in multiple sequence alignment): start from the
    pivot's sentences; at each step align every remaining language to the current beads, using
    the evidence of all languages already in them (English meets Chinese through the dictionary
    and Russian through cognates in the same bead), and add the language whose alignment is
    most confident. Pivot first keeps the original's sentence structure as the backbone."""
    langs = list(sides)
    pivot = langs[0]
    units: list[dict[str, tuple[int, ...]]] = [{pivot: (i,)} for i in range(len(sides[pivot].sentences))]
    scores = [1.0] * len(units)
    done, remaining = [pivot], langs[1:]
    cache: dict[tuple[str, str], tuple[Evidence, list[Anchors]]] = {}

    def gathered(lang: str, partner: str) -> tuple[Evidence, list[Anchors]]:
        if (lang, partner) not in cache:
            scorers = [s for s in config.scorers if s.applies(lang, partner)]
            cache[(lang, partner)] = _gather(
                sides[lang].sentences, lang, partner, scorers, sides[lang].paragraphs
            )
        return cache[(lang, partner)]

    def evidence(lang: str, partner: str) -> Evidence:
        return gathered(lang, partner)[0]

    def anchors(lang: str, partner: str) -> list[Anchors]:
        return gathered(lang, partner)[1]

    texts = (lambda lang: sides[lang].sentences) if config.regions is not None else None
    while remaining:
        seen: dict[str, Weakness] = {}
        # the windows pass repeats the chosen trial's cpu search: the weakness is read there,
        # and the trials not chosen compute no margins
        research = config.regions is not None and len(remaining) > 1
        watching = config.observe_joins is not None
        trials = {
            lang: _align_units(
                units,
                done,
                lang,
                evidence,
                config,
                anchors,
                texts if len(remaining) == 1 else None,  # the one language left joins anyway
                functools.partial(seen.__setitem__, lang) if watching and not research else None,
                languages=len(langs),
            )
            for lang in remaining
        }
        best = max(remaining, key=lambda lang: _mean_confidence(trials[lang]))
        if research:  # the cpu trials chose; its windows now
            again = dataclasses.replace(config, progress=None)  # the trial reported this work
            trials[best] = _align_units(
                units,
                done,
                best,
                evidence,
                again,
                anchors,
                lambda lang: sides[lang].sentences,
                functools.partial(seen.__setitem__, best) if watching else None,
                languages=len(langs),
            )
        if config.observe_joins is not None:
            config.observe_joins(units, best, seen[best])
        units, scores = _join_language(units, scores, trials[best], best)
        done.append(best)
        remaining.remove(best)
    furniture = {
        lang: [furniture_kind(t) is not None for t in side.sentences] for lang, side in sides.items()
    }
    units, scores = _join_complements(units, scores, evidence, furniture)
    # ``_reattach`` corrects the search with the lexical evidence of the other languages; with
    # two there is no other language, and it would only second-guess the search greedily on
    # the evidence the search already weighed: mac-dev half A through the CLI, cpu 0.752
    # with it, 0.778 without (every chapter better), neural 0.857 / 0.897; unpc-align-dev
    # pairwise runs identical on both halves (docs/neural.md, docs/bench-align.md)
    if len(langs) > 2:
        units = _reattach(units, evidence)
    return [Bead(u, s, False) for u, s in zip(units, scores, strict=True)]


def _join_complements(
    units: Sequence[Unit], scores: Sequence[float], evidence, furniture: Mapping[str, Sequence[bool]]
) -> tuple[list[Unit], list[float]]:
    """Join neighbouring beads that hold disjoint languages and share evidence across them.

    A sentence whose translation in one language is much shorter (that version left part of
    it out) is split off by the first pairwise join on length alone; the language that joins
    later pairs with one side only, and the other is left as a bead of its own right next to
    a bead that lacks exactly its language. Languages joined one at a time never compare the
    two again, so this is done once at the end: a shared anchor, dictionary or cognate key
    says the two halves are one translation unit."""
    out: list[Unit] = []
    out_scores: list[float] = []
    for unit, score in zip(units, scores, strict=True):
        found = None if _is_furniture(unit, furniture) else _complement(out, unit, evidence, furniture)
        if found is None:
            out.append(dict(unit))
            out_scores.append(score)
        elif found[1]:  # the earlier bead moves forward to this one
            joined, earlier = out.pop(found[0]), out_scores.pop(found[0])
            out.append({**joined, **unit})
            out_scores.append(min(earlier, score))
        else:
            out[found[0]] = {**out[found[0]], **unit}
            out_scores[found[0]] = min(out_scores[found[0]], score)
    return out, out_scores


def _complement(
    out: Sequence[Unit], unit: Unit, evidence, furniture: Mapping[str, Sequence[bool]], reach: int = 4
) -> tuple[int, bool] | None:
    """The earlier bead ``unit`` joins, and whether that bead moves forward (True) or ``unit``
    back (False); None when there is none.

    The nearest bead before ``unit`` with disjoint languages and shared evidence, looking past
    page furniture (a page break inside the paragraph) and past sentences left unpaired in
    one language: the order of the omissions in one gap is arbitrary (the search puts a 0-1
    before or after a 1-0 on equal cost), so the complement of ``unit`` may sit behind them.
    Either bead may move as long as every language keeps its sentence order."""
    between: list[Unit] = []
    for k in range(len(out) - 1, max(-1, len(out) - 1 - reach), -1):
        other = out[k]
        if _is_furniture(other, furniture):
            between.append(other)
            continue
        if not set(other) & set(unit) and _linked(other, unit, evidence):
            content = [w for w in between if not _is_furniture(w, furniture)]
            if not any(set(w) & set(unit) for w in content):
                return k, False
            if not any(set(w) & set(other) for w in content):
                return k, True
        if len(other) > 1:
            return None
        between.append(other)
    return None


def _is_furniture(unit: Unit, furniture: Mapping[str, Sequence[bool]]) -> bool:
    """Whether every sentence of ``unit`` is page furniture."""
    return all(furniture[lang][i] for lang, idx in unit.items() for i in idx)


def _shared(lang: str, idx: tuple[int, ...], unit: Unit, evidence) -> float:
    """Weight of the items of ``lang``'s sentences ``idx`` that find a partner among the
    sentences of the other languages in ``unit``."""
    total = 0.0
    for other, oidx in unit.items():
        if other == lang:
            continue
        ev_a, ev_b = evidence(lang, other), evidence(other, lang)
        keys = {k for j in oidx for it in ev_b.items[j] for k in it.keys}
        total += sum(it.weight for i in idx for it in ev_a.items[i] if it.keys & keys)
    return total


def _reattach(units: Sequence[Unit], evidence) -> list[Unit]:
    """Move one language's sentences to the neighbouring bead that lacks that language when
    they share more than twice as much evidence (and at least one item's worth) with the neighbour's other
    languages as with their own bead's.

    The language that joins first is aligned on its evidence with the pivot alone (ru-en:
    cognates only); when it has nothing for one of two neighbouring sentences, it may pair with
    the wrong one, and the languages joining later follow that backbone. Their evidence (the
    zh-en dictionary) shows where the sentence belongs. Both beads keep two languages or more."""
    out = [dict(u) for u in units]
    for n in range(len(out) - 1):
        a, b = out[n], out[n + 1]
        for lang in set(a) ^ set(b):
            src, dst = (a, b) if lang in a else (b, a)
            if len(src) < 3 or len(dst) < 2:
                continue
            idx = src[lang]
            here, there = _shared(lang, idx, src, evidence), _shared(lang, idx, dst, evidence)
            if there > 2 * here and there >= 1.0:
                dst[lang] = idx
                del src[lang]
        moves = [m for lang in sorted(set(a) & set(b)) if (m := _boundary_move(a, b, lang, evidence))]
        if moves:  # one language per boundary: a moved sentence would pull the next one along
            _, lang, forward = max(moves)
            if forward:
                a[lang], b[lang] = a[lang][:-1], a[lang][-1:] + b[lang]
            else:
                a[lang], b[lang] = a[lang] + b[lang][:1], b[lang][1:]
    return out


def _boundary_move(a: Unit, b: Unit, lang: str, evidence) -> tuple[float, str, bool] | None:
    """Whether the last of ``lang``'s sentences in ``a`` should move to the next bead ``b``
    (True) or the first in ``b`` to ``a`` (False): it shares more than twice as much evidence
    (and at least one item's worth) with the other languages there; each bead keeps one sentence
    of ``lang``. A merge boundary set on length by the first pairwise join (Russian ``16, 17``
    against English ``17``) is corrected by the evidence of the languages that joined later,
    provided none of them points the other way (a partial translation shares words with both).
    Returns the margin, the language and the direction."""
    best = None
    for forward, idx, home, away in ((True, a[lang][-1:], a, b), (False, b[lang][:1], b, a)):
        if len(home[lang]) < 2:
            continue
        others = [k for k in home if k != lang and k in away]
        here = [_shared(lang, idx, {k: home[k]}, evidence) for k in others]
        there = [_shared(lang, idx, {k: away[k]}, evidence) for k in others]
        margin = sum(there) - 2 * sum(here)
        if (
            margin > 0
            and sum(there) >= 1.0
            and all(t >= h for t, h in zip(there, here, strict=True))
            and (best is None or margin > best[0])
        ):
            best = (margin, lang, forward)
    return best


def _linked(first: Unit, second: Unit, evidence) -> bool:
    """Whether items of weight ≥ 1 (a number, a symbol, a dictionary word; not a bracket)
    of one bead find a partner in the other; page furniture is never joined."""
    for a, ia in first.items():
        for b, ib in second.items():
            ev_a, ev_b = evidence(a, b), evidence(b, a)
            if ev_a.standalone is not None and any(ev_a.standalone[i] for i in ia):
                return False
            if ev_b.standalone is not None and any(ev_b.standalone[j] for j in ib):
                return False
            keys_b = {k for j in ib for it in ev_b.items[j] for k in it.keys}
            if sum(it.weight for i in ia for it in ev_a.items[i] if it.keys & keys_b) >= 1.0:
                return True
    return False


Unit = dict[str, tuple[int, ...]]


def _join_language(
    units: Sequence[Mapping[str, tuple[int, ...]]],
    scores: Sequence[float],
    beads: Sequence[PairBead],
    lang: str,
) -> tuple[list[Unit], list[float]]:
    """New multi-way beads from an alignment of ``units`` (as source) with ``lang``."""
    new_units: list[dict[str, tuple[int, ...]]] = []
    new_scores: list[float] = []
    for b in beads:
        merged: dict[str, tuple[int, ...]] = {}
        for u in b.src:
            for k, idx in units[u].items():
                merged[k] = merged.get(k, ()) + idx
        if b.tgt:
            merged[lang] = b.tgt
        new_units.append(merged)
        new_scores.append(min([scores[u] for u in b.src] + [b.score]))
    return new_units, new_scores


def _mean_confidence(beads: Sequence[PairBead]) -> float:
    paired = [b.score for b in beads if b.src and b.tgt]
    return float(np.mean(paired)) if paired else 0.0


def _align_units(
    units: Sequence[Mapping[str, tuple[int, ...]]],
    done: Sequence[str],
    lang: str,
    evidence,
    config: AlignConfig,
    anchors: Callable[[str, str], list[Anchors]] | None = None,
    windows: Callable[[str], tuple[str, ...]] | None = None,
    observe: Callable[[Weakness], None] | None = None,
    languages: int = 2,
) -> list[PairBead]:
    """Align the current multi-way beads (as units) with the sentences of ``lang``; with
    ``windows`` (each language's sentences) and ``config.regions``, the weak windows are
    searched again with the encoder (``RegionRule``; ``languages``: the run's). Unit
    lengths are converted into ``lang``'s characters through every language present in the
    unit and averaged, so one length model serves every unit: each version is an independent
    estimate of how long the translation should be (a Russian sentence padded by a long
    compound name and its English version together say more than either alone)."""
    parts = {k: evidence(k, lang) for k in done}
    ratio = {k: LengthModel.for_pair(k, lang).c for k in done}
    lengths = np.zeros(len(units))
    items = []
    standalone = np.zeros(len(units))
    for n, unit in enumerate(units):
        present = [k for k in done if unit.get(k)]
        lengths[n] = sum(sum(parts[k].lengths[i] for i in unit[k]) * ratio[k] for k in present) / len(present)
        items.append(tuple(it for k, idx in unit.items() for i in idx for it in parts[k].items[i]))
        flags = [
            parts[k].standalone[i] for k, idx in unit.items() for i in idx if parts[k].standalone is not None
        ]
        standalone[n] = float(bool(flags) and all(flags))
    vectors = None
    if all(parts[k].vectors is not None for k in done):
        vectors = np.array(
            [sum(parts[k].vectors[i] for k, idx in unit.items() for i in idx) for unit in units]
        )
    labels = tuple(
        (parts[k].labels or ())[unit[k][0]] if parts[k].labels else None
        for unit in units
        for k in [next(k for k in done if unit.get(k))]
    )
    headings = np.array(
        [
            float(
                all(
                    parts[k].headings[i]
                    for k, idx in unit.items()
                    for i in idx
                    if parts[k].headings is not None
                )
            )
            for unit in units
        ]
    )
    # The first language to join meets the pivot's own sentences: a bead is then scored on the
    # embeddings of its joined sentences on both sides (``Evidence.spans``), as ``align_pair``
    # scores it; later units hold several languages and are scored on summed vectors. Not
    # with lazy spans (``neural-regions``): on the tuning half of unpc-align-dev they cost
    # 0.015 strict F1 (pairwise zh-en) there, where they were never used before.
    first = (
        len(done) == 1
        and vectors is not None
        and all(unit == {done[0]: (n,)} for n, unit in enumerate(units))
    )
    unit_ev = Evidence(
        lengths, tuple(items), standalone, vectors, labels, headings, parts[done[0]].spans if first else None
    )
    mine = [evidence(lang, k) for k in done]
    lang_ev = Evidence(
        mine[0].lengths,
        tuple(tuple(it for ev in mine for it in ev.items[i]) for i in range(len(mine[0]))),
        mine[0].standalone,
        mine[0].vectors,
        mine[0].labels,
        mine[0].headings,
        mine[0].spans if first else None,
    )
    pivot_model = LengthModel.for_pair(done[0], lang)
    model = LengthModel(1.0, pivot_model.s2 / pivot_model.c, f"{pivot_model.source} in {lang} units")
    unit_anchors = None
    if anchors is not None:
        parts_a = {k: anchors(k, lang) for k in done}
        mine_a = [anchors(lang, k) for k in done]
        unit_anchors = (
            [Anchors.union(parts_a[k][i] for k, idx in unit.items() for i in idx) for unit in units],
            [Anchors.union(a[i] for a in mine_a) for i in range(len(mine_a[0]))],
        )
    region_pass = None
    encoder = next((s for s in config.scorers if isinstance(s, EmbeddingScorer) and s.regions), None)
    if windows is not None and config.regions is not None and encoder is not None:
        texts = {k: windows(k) for k in done}
        region_pass = _Windows(
            config.regions,
            [{k: tuple(texts[k][i] for i in idx) for k, idx in unit.items() if idx} for unit in units],
            windows(lang),
            lang,
            encoder.vectors,
            languages >= config.regions.keep_beads_from,
        )
    beads, _ = _search_evidence(
        unit_ev, lang_ev, model, config, config.moves, unit_anchors, region_pass, observe
    )
    if config.progress is not None:
        config.progress(len(units))
    return beads


def _sub(side: Side, a: int, b: int) -> Side:
    return Side(side.lang, side.sentences[a:b], side.paragraphs[a:b] if side.paragraphs else None)


def _multi(sides: Mapping[str, Side], offsets: Mapping[str, int], config: AlignConfig) -> list[Bead]:
    """Beads over ``sides`` (first = pivot), indices shifted by ``offsets``."""
    langs = [c for c, s in sides.items() if s.sentences]
    if not langs:
        return []
    if len(langs) == 1:
        c = langs[0]
        return [
            Bead({c: (i + offsets[c],)}, 1.0 if furniture_kind(text) else 0.0, True)
            for i, text in enumerate(sides[c].sentences)
        ]
    pivot, others = langs[0], langs[1:]
    n = len(sides[pivot].sentences)
    pairs = {c: align_pair(sides[pivot], sides[c], config) for c in others}
    joined = np.zeros(max(n - 1, 0), dtype=bool)  # pivot sentence p and p+1 in one bead
    for beads in pairs.values():
        for b in beads:
            if len(b.src) > 1:
                joined[b.src[0] : b.src[-1]] = True
    group_of = np.concatenate([[0], np.cumsum(~joined)]) if n else np.zeros(0, dtype=int)
    n_groups = int(group_of[-1]) + 1 if n else 0
    members: list[dict[str, list[int]]] = [{pivot: []} for _ in range(n_groups)]
    scores = [1.0] * n_groups
    for p in range(n):
        members[group_of[p]][pivot].append(p)
    gaps: list[dict[str, list[int]]] = [{} for _ in range(n_groups + 1)]  # gap g: before group g
    for c, beads in pairs.items():
        position = 0  # pivot sentences consumed so far
        for b in beads:
            if b.src:
                g = group_of[b.src[0]]
                members[g].setdefault(c, []).extend(b.tgt)
                scores[g] = min(scores[g], b.score)
                position = b.src[-1] + 1
            elif 0 < position < n and group_of[position - 1] == group_of[position]:
                members[group_of[position]].setdefault(c, []).extend(b.tgt)  # inside a group
            else:
                gap = group_of[position] if position < n else n_groups
                gaps[gap].setdefault(c, []).extend(b.tgt)
    out: list[Bead] = []
    for g in range(n_groups + 1):
        if gaps[g]:
            sub_sides = {}
            sub_offsets = {}
            for c in others:
                idx = sorted(gaps[g].get(c, []))
                if idx:
                    sub_sides[c] = _sub(sides[c], idx[0], idx[-1] + 1)
                    sub_offsets[c] = offsets[c] + idx[0]
            out.extend(_multi(sub_sides, sub_offsets, config))
        if g < n_groups:
            indices = {c: tuple(sorted(i + offsets[c] for i in idx)) for c, idx in members[g].items() if idx}
            out.append(Bead(indices, scores[g] if len(indices) > 1 else 0.0, False))
    return out


# -- documents ---------------------------------------------------------------------------------


def document_side(document: Document, presegmented: bool = False) -> Side:
    """Sentences of a document with their paragraph numbers; with ``presegmented`` every block
    is one sentence and the text is flat (no paragraph numbers)."""
    if presegmented:
        return Side(document.lang, tuple(document.paragraphs))
    from aligner.segment import segment

    sentences: list[str] = []
    paragraphs: list[int] = []
    for number, text in enumerate(document.paragraphs):
        for sentence in segment(text, document.lang) or [text]:
            sentences.append(sentence)
            paragraphs.append(number)
    return Side(document.lang, tuple(sentences), tuple(paragraphs))


def align(
    documents: Sequence[Document],
    pivot: str | None = None,
    *,
    presegmented: bool = False,
    config: AlignConfig | None = None,
) -> list[Bead]:
    """Multi-way beads over the sentences of ``documents`` (``document_side`` numbering)."""
    return align_sides([document_side(d, presegmented) for d in documents], pivot, config)
