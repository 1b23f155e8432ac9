"""Sub-sentence parts of a bead whose languages divide it into different numbers of sentences.

A translator sometimes joins two sentences into one: the UDHR's "Everyone has the right to
education. Education shall be free, …" is one Chinese sentence, "人人都有受教育的权利,教育应当
免费,…". The bead is right (2-1), and its unit serves a CAT tool that segments by paragraph,
but a tool that segments by sentence (OmegaT, Trados) looks up each English sentence alone and
finds no unit. When the joined sentence has a clause boundary (``，；：``; ``, ; :`` before a
space; ``。”`` inside a sentence) where the other languages have their sentence boundary, the
bead can be cut there into parts that each translate one sentence.

``split_bead`` finds those cuts. For a bead whose largest sentence count is ``k`` (the
*reference* languages have ``k`` sentences), every other language is cut into ``k`` parts: its
own sentence boundaries are kept, and the missing cuts are chosen among its clause boundaries
and the places where the shipped segmenter would end a sentence (a line given presegmented may
hold two; a clause cut costs ``clause_cut`` more). Each choice is scored like a bead of the
aligner, part by part: Gale & Church's length cost against every reference language, minus the
share of evidence items (numbers, dictionary words, cognates) the part shares with its
reference sentence, plus a cost per number one part has and its partner lacks.

The evidence confirms the best choice; it does not pick among weak ones. The bead is left whole
(no parts) unless the best choice is clearly better than the next (``margin``), every part's
length is plausible (``max_mismatch``), every part shares an item with its reference sentence
in some language and none matches another reference sentence clearly better
(``dominance``), and no reference sentence has numbers the joined one lacks altogether (a
sentence the joined one *omits*, not joins: cutting would pair it with a piece of its
neighbour's translation). The bead itself never changes; the parts are extra units for CAT
leverage (``untm.pipeline.beads_to_units``, ``x-untm-kind`` = ``part``). Measured by
``benchmarks/align_parts.py`` (docs/aligner.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from aligner.scorers.base import EvidenceScorer, Item
from aligner.scorers.length import LengthModel, text_length
from aligner.segment import default_segmenter
from uncore.lang import is_wide

# After these a clause ends in any script: the full-width comma, semicolon and colon.
_WIDE_MARKS = "，；："
# ASCII marks end a clause when a space follows (``1,000`` and ``10:30`` are no boundary), or in
# text written without spaces, when a wide character follows (``权利,教育`` on some web pages).
_ASCII_MARKS = ",;:"
# A full stop, question or exclamation mark inside a sentence: before a closing quote that the
# sentence goes on after (the segmenter does not cut there), or in a line given presegmented.
_STOPS = "。！？"
_CLOSERS = "”’」』）)》\"'»"
_OPENERS = {
    "(": ")",
    "（": "）",
    "[": "]",
    "［": "］",
    "“": "”",
    "「": "」",
    "『": "』",
    "《": "》",
    "«": "»",
}
_MIN_PART = 2  # non-space characters a part needs besides its punctuation


@dataclass(frozen=True)
class SplitSettings:
    """Every number that decides whether a bead is cut into parts."""

    lexical: float = 16.0  # cost units per unit of shared-evidence share (Dice): the aligner's weight
    max_mismatch: float = 9.0  # a part pair with a larger length cost (-log P) is implausible
    margin: float = 3.0  # the best choice must cost this much less than the next one
    number: float = 4.0  # per number (date, symbol) that one part has and its partner lacks
    # per cut where only a clause ends (not a sentence: a line given presegmented may hold two).
    # 4, not 2: on the tuning half of unpc-align-dev aligned three-way (benchmarks/align_parts.py
    # --aligned 50 --half tuning) 50 -> 67 beads cut, no wrong part: a translator's own sentence
    # end then wins over a comma by the margin, where at 2 the bead was left whole.
    clause_cut: float = 4.0
    # a part whose evidence share with another sentence exceeds that with its own by more than
    # this is not its translation (a sentence the joined one lacks: its neighbour's words match)
    dominance: float = 0.1
    max_choices: int = 2000  # beads with more ways to cut are left whole

    def signature(self) -> str:
        return (
            f"parts(lexical={self.lexical:g},max_mismatch={self.max_mismatch:g},"
            f"margin={self.margin:g},number={self.number:g},clause_cut={self.clause_cut:g},"
            f"dominance={self.dominance:g},max_choices={self.max_choices})"
        )


def clause_cuts(text: str) -> list[int]:
    """Offsets in ``text`` after which a clause ends inside the sentence (never at its end,
    never inside brackets or quotes), closing quotes and following spaces included in the
    clause that ends."""
    cuts = []
    closing: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if closing and ch == closing[-1]:
            closing.pop()
            continue
        if ch in _OPENERS:
            closing.append(_OPENERS[ch])
            continue
        if i + 1 >= n:
            continue
        nxt = text[i + 1]
        end = i + 1
        if ch in _STOPS:  # (a presegmented line may hold two sentences; 。” ends a quoted one)
            depth = list(closing)
            while end < n and text[end] in _CLOSERS:
                if depth and text[end] == depth[-1]:
                    depth.pop()
                end += 1
            if depth:
                continue
        elif closing or not (ch in _WIDE_MARKS or (ch in _ASCII_MARKS and (nxt.isspace() or is_wide(nxt)))):
            continue
        while end < n and text[end].isspace():
            end += 1
        if end < n and text_length(text[end:]) > _MIN_PART and text_length(text[:end]) > _MIN_PART:
            cuts.append(end)
    return sorted(set(cuts))


def _sentence_cuts(text: str, lang: str) -> list[int]:
    """Where the shipped segmenter divides ``text``: a line given presegmented may hold two
    sentences (``A. B``), and the cut between them is the likeliest of all."""
    spans = default_segmenter().spans(text, lang)
    return [start for start, _ in spans[1:]]


@dataclass(frozen=True)
class _Pieces:
    """One language's sentences of a bead cut at every possible boundary: ``pieces`` in order,
    ``fixed`` the piece indices after which a sentence ends (cuts that every choice keeps),
    ``optional`` the others, ``clause`` those of them where only a clause ends."""

    pieces: tuple[str, ...]
    fixed: frozenset[int]
    optional: tuple[int, ...]
    clause: frozenset[int]

    @classmethod
    def of(cls, sentences: Sequence[str], lang: str) -> _Pieces:
        pieces: list[str] = []
        fixed, optional, clause = set(), [], set()
        for s, sentence in enumerate(sentences):
            inner = set(_sentence_cuts(sentence, lang))
            for a, b in itertools.pairwise(sorted({0, *clause_cuts(sentence), *inner, len(sentence)})):
                pieces.append(sentence[a:b])
                if b < len(sentence):
                    optional.append(len(pieces) - 1)
                    if b not in inner:
                        clause.add(len(pieces) - 1)
            if s < len(sentences) - 1:
                fixed.add(len(pieces) - 1)
        return cls(tuple(pieces), frozenset(fixed), tuple(optional), frozenset(clause))

    def choices(self, parts: int, limit: int) -> list[tuple[int, ...]] | None:
        """Every set of cuts (piece indices, sorted) that makes ``parts`` parts; None when there
        are more than ``limit``."""
        extra = parts - 1 - len(self.fixed)
        if extra < 0 or extra > len(self.optional):
            return []
        count = 1
        for i in range(extra):
            count = count * (len(self.optional) - i) // (i + 1)
        if count > limit:
            return None
        return [tuple(sorted(self.fixed | set(c))) for c in itertools.combinations(self.optional, extra)]


def _dice(a: Sequence[Item], b: Sequence[Item]) -> float:
    """The weighted share of the items of ``a`` and ``b`` that find a partner on the other side."""
    total = sum(i.weight for i in a) + sum(i.weight for i in b)
    if not total:
        return 0.0
    keys_a = frozenset().union(*(i.keys for i in a)) if a else frozenset()
    keys_b = frozenset().union(*(i.keys for i in b)) if b else frozenset()
    matched = sum(i.weight for i in a if i.keys & keys_b) + sum(i.weight for i in b if i.keys & keys_a)
    return matched / total


@cache
def _model(src: str, tgt: str) -> LengthModel:
    return LengthModel.for_pair(src, tgt)


def split_bead(
    sentences: Mapping[str, Sequence[str]],
    scorers: Sequence[EvidenceScorer] = (),
    settings: SplitSettings = SplitSettings(),
) -> list[dict[str, str]]:
    """The parts of one bead (``sentences``: each language's sentences, in order), one dict of
    texts per part, or ``[]`` when the bead is not cut: every language already has the same
    number of sentences, the reference languages do not pair sentence by sentence, or a
    language with fewer sentences has no confirmed choice of cuts (see the module docstring).
    ``scorers`` give the evidence (``aligner.align.default_scorers()``); without them every
    part is unsupported and nothing is cut."""
    counts = {lang: len(s) for lang, s in sentences.items() if s}
    if len(counts) < 2:
        return []
    k = max(counts.values())
    refs = [lang for lang, c in counts.items() if c == k]
    others = [lang for lang, c in counts.items() if c < k]
    if not others:
        return []
    ref_texts = {lang: [s.strip() for s in sentences[lang]] for lang in refs}
    for a, b in itertools.combinations(refs, 2):  # the references must pair sentence by sentence
        if max(_model(a, b).mismatches(_lens(ref_texts[a]), _lens(ref_texts[b]))) > settings.max_mismatch:
            return []
    parts = {lang: ref_texts[lang] for lang in refs}
    for lang in others:
        cut = _best_cut(lang, list(sentences[lang]), ref_texts, k, scorers, settings)
        if cut is None:
            return []
        parts[lang] = cut
    return [{lang: parts[lang][j] for lang in sentences if lang in parts} for j in range(k)]


def _lens(texts: Sequence[str]) -> list[float]:
    return [float(text_length(t)) for t in texts]


def _best_cut(
    lang: str,
    sentences: list[str],
    refs: Mapping[str, list[str]],
    k: int,
    scorers: Sequence[EvidenceScorer],
    settings: SplitSettings,
) -> list[str] | None:
    """``lang``'s ``sentences`` cut into ``k`` parts against the reference sentences ``refs``,
    or None when no choice is confirmed."""
    pieces = _Pieces.of(sentences, lang)
    choices = pieces.choices(k, settings.max_choices)
    if not choices:
        return None
    piece_items: dict[str, list[list[Item]]] = {}
    ref_items: dict[str, list[list[Item]]] = {}
    for ref, texts in refs.items():
        found_p: list[list[Item]] = [[] for _ in pieces.pieces]
        found_r: list[list[Item]] = [[] for _ in texts]
        for scorer in scorers:
            if scorer.applies(lang, ref):
                for i, items in enumerate(scorer.items(list(pieces.pieces), lang, ref)):
                    found_p[i].extend(items)
            if scorer.applies(ref, lang):
                for i, items in enumerate(scorer.items(texts, ref, lang)):
                    found_r[i].extend(items)
        piece_items[ref], ref_items[ref] = found_p, found_r
    numbers_x = _numbers((i for ref in refs for items in piece_items[ref] for i in items), spelled=True)
    for ref in refs:  # a sentence whose numbers the joined one lacks is missing, not joined
        if any(_numbers(items) and not _numbers(items) & numbers_x for items in ref_items[ref]):
            return None
    scored = []
    for cuts in choices:
        bounds = [0, *(c + 1 for c in cuts), len(pieces.pieces)]
        spans = list(itertools.pairwise(bounds))
        texts = ["".join(pieces.pieces[a:b]).strip() for a, b in spans]
        cost = settings.clause_cut * sum(c in pieces.clause for c in cuts)
        worst = 0.0
        supported = [False] * k
        dominated = False
        for ref, ref_texts in refs.items():
            mismatch = _model(ref, lang).mismatches(_lens(ref_texts), _lens(texts))
            worst = max(worst, *mismatch)
            for j, (a, b) in enumerate(spans):
                items = [item for p in range(a, b) for item in piece_items[ref][p]]
                shares = [_dice(ref_items[ref][i], items) for i in range(k)]
                supported[j] = supported[j] or shares[j] > 0
                # a part that matches another sentence better than its own is not its translation
                dominated = dominated or max(shares) > shares[j] + settings.dominance
                cost += mismatch[j] - settings.lexical * shares[j]
                cost += settings.number * _unmatched_numbers(ref_items[ref][j], items)
        scored.append((cost, worst, all(supported) and not dominated, texts))
    scored.sort(key=lambda s: s[0])
    best_cost, worst, confirmed, texts = scored[0]
    # the evidence confirms the best choice, it does not pick among weak ones: a part with no
    # shared item, or that matches another sentence better than its own, leaves the bead whole
    if worst > settings.max_mismatch or not confirmed:
        return None
    if len(scored) > 1 and scored[1][0] - best_cost < settings.margin:
        return None
    return texts


def _numbers(items: Iterable[Item], spelled: bool = False) -> frozenset[str]:
    """The numbers, dates and symbols among ``items`` (anchor keys ``#…``); spelled numbers
    ("one", 一: weight below 1) only with ``spelled``, as they are ordinary words too."""
    return frozenset(
        key for item in items if spelled or item.weight >= 1 for key in item.keys if key.startswith("#")
    )


def _unmatched_numbers(a: Sequence[Item], b: Sequence[Item]) -> int:
    """Numbers written as digits (or dates, symbols) on one side that the other lacks in any form."""
    return len(_numbers(a) - _numbers(b, spelled=True)) + len(_numbers(b) - _numbers(a, spelled=True))
