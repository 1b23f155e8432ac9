"""Scorers: how much a candidate bead looks like a translation.

``length`` is the Gale–Church length model; ``anchors``, ``lexical`` and ``embedding`` supply
evidence items or vectors; ``combine`` turns them into the cost array the DP (``aligner.dp``)
searches. The DP never sees a scorer.
"""

from aligner.scorers.anchors import AnchorScorer
from aligner.scorers.base import EvidenceScorer, Item
from aligner.scorers.combine import BeadCoster, Weights
from aligner.scorers.length import LengthModel
from aligner.scorers.lexical import DictionaryScorer, TermbaseScorer

__all__ = [
    "AnchorScorer",
    "BeadCoster",
    "DictionaryScorer",
    "EvidenceScorer",
    "Item",
    "LengthModel",
    "TermbaseScorer",
    "Weights",
]
