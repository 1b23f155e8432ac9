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
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.beads import Bead, PairBead
from aligner.document import Document
from aligner.dp import DEFAULT_MOVES, Band, search
from aligner.read.furniture import furniture_kind
from aligner.scorers.anchors import AnchorScorer
from aligner.scorers.base import EvidenceScorer
from aligner.scorers.combine import BeadCoster, Evidence, Weights
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
    # told how many source sentences (or units) each finished block covered: for a progress
    # bar; changes no result, so it is neither compared nor in the signature
    progress: Callable[[int], None] | None = field(default=None, compare=False, repr=False)

    def signature(self) -> str:
        """Every setting that changes a result, for TMX header props and reports."""
        moves = ",".join(f"{a}-{b}" for a, b in self.moves)
        scorers = "+".join(s.signature() for s in self.scorers)
        return (
            f"untm-align/{VERSION} moves={moves} multiway={self.multiway} two_pass={self.two_pass} "
            f"adapt_priors={self.adapt_priors} "
            f"{self.weights.signature()} scorers={scorers}"
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
    src: Evidence, tgt: Evidence, model: LengthModel, config: AlignConfig, moves: Sequence[tuple[int, int]]
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
    steps = search(coster.costs(band, moves), band, moves)
    if config.two_pass:
        coster.set_unlinked_from([(s.i0, s.i1, s.j0, s.j1) for s in steps])
        if config.adapt_priors:
            coster.model = model.with_priors_from([(s.i1 - s.i0, s.j1 - s.j0) for s in steps])
        steps = search(coster.costs(band, moves), band, moves)
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
    src_ev = _paragraph_breaks(Evidence.gather(src.sentences, src.lang, tgt.lang, scorers), src.paragraphs)
    tgt_ev = _paragraph_breaks(Evidence.gather(tgt.sentences, tgt.lang, src.lang, scorers), tgt.paragraphs)
    beads, _ = _search_evidence(src_ev, tgt_ev, model, config, config.moves)
    if config.progress is not None:
        config.progress(len(src.sentences))
    return beads


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
    if config.multiway == "progressive":
        beads = _progressive({c: by_lang[c] for c in order}, config)
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
    cache: dict[tuple[str, str], Evidence] = {}

    def evidence(lang: str, partner: str) -> Evidence:
        if (lang, partner) not in cache:
            scorers = [s for s in config.scorers if s.applies(lang, partner)]
            gathered = Evidence.gather(sides[lang].sentences, lang, partner, scorers)
            cache[(lang, partner)] = _paragraph_breaks(gathered, sides[lang].paragraphs)
        return cache[(lang, partner)]

    while remaining:
        trials = {lang: _align_units(units, done, lang, evidence, config) for lang in remaining}
        best = max(remaining, key=lambda lang: _mean_confidence(trials[lang]))
        units, scores = _join_language(units, scores, trials[best], best)
        done.append(best)
        remaining.remove(best)
    furniture = {
        lang: [furniture_kind(t) is not None for t in side.sentences] for lang, side in sides.items()
    }
    units, scores = _join_complements(units, scores, evidence, furniture)
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
) -> list[PairBead]:
    """Align the current multi-way beads (as units) with the sentences of ``lang``. Unit
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
    unit_ev = Evidence(lengths, tuple(items), standalone, vectors, labels, headings)
    mine = [evidence(lang, k) for k in done]
    lang_ev = Evidence(
        mine[0].lengths,
        tuple(tuple(it for ev in mine for it in ev.items[i]) for i in range(len(mine[0]))),
        mine[0].standalone,
        mine[0].vectors,
        mine[0].labels,
        mine[0].headings,
    )
    pivot_model = LengthModel.for_pair(done[0], lang)
    model = LengthModel(1.0, pivot_model.s2 / pivot_model.c, f"{pivot_model.source} in {lang} units")
    beads, _ = _search_evidence(unit_ev, lang_ev, model, config, config.moves)
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
