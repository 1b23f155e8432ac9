"""The contract between scorers and the cost combiner.

An *evidence scorer* turns each sentence into a list of ``Item``s in a space shared by both
languages: a number's normalised value, a UN symbol, the termbase concept a term belongs to,
the English stems a Chinese word translates to. Two sentences are likely translations when
many of their items find a partner on the other side (the fraction of "translated" items, as in
Hunalign's dictionary score, Varga et al. 2005). Items never compare words directly, so one
combiner serves every kind of evidence and the DP stays independent of all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Item:
    """One piece of evidence in a sentence: it matches an item on the other side when they
    share at least one key. ``weight`` says how much a match is worth (an exact UN symbol is
    worth more than a dictionary word)."""

    keys: frozenset[str]
    weight: float = 1.0


@runtime_checkable
class EvidenceScorer(Protocol):
    """Produces evidence items for the sentences of one side of a language pair.

    Optional, read with ``getattr`` by ``aligner.align.align_sides`` (``_scorers_for_run``):
    ``pairwise_only`` (True: left out of runs of three or more languages) and ``supersedes``
    (names of the scorers it replaces in a two-language run whose pair it applies to), as the
    Russian dictionary (``aligner.scorers.russian``) has them; ``prepare(lang)`` loads a
    scorer's own resources ahead of the first document (``aligner.align.prepare``)."""

    @property
    def name(self) -> str: ...

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        """Whether this scorer has anything to say about this pair (e.g. a zh-en dictionary)."""
        ...

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        """Items per sentence of ``texts`` (in ``lang``), for comparison with ``other``."""
        ...

    def signature(self) -> str:
        """Short text naming the scorer and every parameter that changes a result."""
        ...
