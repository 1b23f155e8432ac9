"""Optional sentence-embedding evidence, behind a small interface; off by default.

An ``Encoder`` turns sentences into unit vectors; a bead's similarity is the cosine between
the sums of its sentences' vectors on each side (Vecalign/Bertalign, Thompson & Koehn 2019).
``SentenceTransformerEncoder`` loads a multilingual model the user already has on disk (LaBSE,
paraphrase-multilingual-…): it never downloads anything (the Hugging Face hub is switched to
offline mode before the library loads) and ``sentence-transformers`` is not a dependency of
untm. ``HashingEncoder`` needs no model: character n-grams hashed into a fixed space, useful
between languages that share a script and many cognates (en-fr, en-es).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from aligner.scorers.base import Item
from uncore.errors import UsageError
from uncore.lang import language


@runtime_checkable
class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Shape ``(len(texts), dim)``, rows of unit length (zero rows for empty text)."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


@dataclass(frozen=True)
class HashingEncoder:
    """Character n-grams (of lower-cased text) hashed into ``dim`` buckets."""

    n: int = 3
    dim: int = 512
    name: str = "hashing"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim))
        for row, text in enumerate(texts):
            padded = f" {' '.join(text.lower().split())} "
            for k in range(max(len(padded) - self.n + 1, 0)):
                out[row, zlib.crc32(padded[k : k + self.n].encode("utf-8")) % self.dim] += 1.0
        return _normalise(out)


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local directory; never downloads."""

    def __init__(self, path: str | Path, batch_size: int = 64) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise UsageError(
                f"embedding model directory not found: {self.path} (untm never downloads "
                "models; give the folder of a sentence-transformers model you have)"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise UsageError(
                "the embedding scorer needs the sentence-transformers package "
                "(pip install sentence-transformers); untm does not install it"
            ) from error
        self.model = SentenceTransformer(str(self.path), device="cpu")
        self.batch_size = batch_size
        self.name = f"sentence-transformers:{self.path.name}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return _normalise(np.asarray(vectors, dtype=np.float64))


class EmbeddingCache:
    """Sentence (or joined-span) text -> unit vector, for one run: a multi-way alignment gathers
    each language's evidence once per partner, and spans overlap, so the same text is asked for
    again and again. Bounded: a long-running batch worker clears it when it fills."""

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.vectors: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts actually sent to the encoder (for benchmarks)

    def lookup(self, encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            if len(self.vectors) + len(missing) > self.limit:
                self.vectors.clear()
            self.encoded += len(missing)
            self.vectors.update(
                zip(missing, np.asarray(encoder.encode(missing), dtype=np.float64), strict=True)
            )
        if not texts:
            return np.zeros((0, 1))
        return np.array([self.vectors[t] for t in texts])


@dataclass(frozen=True)
class EmbeddingScorer:
    """Sentence-embedding evidence: the coster adds ``-Weights.embedding * cos(src, tgt)`` to
    every two-sided bead. With ``span`` > 1 the text of up to ``span`` consecutive sentences,
    joined as the language joins sentences, is embedded too, and a merged bead is scored on the
    embedding of its joined text (Vecalign's overlaps, Thompson & Koehn 2019) rather than on the
    sum of its sentences' vectors: a sentence encoder reads a joined text as one meaning."""

    encoder: Encoder
    span: int = 1
    name: str = "embedding"
    # embed only what the coster asks for (``LazySpans``): the sentences of weakly linked regions
    regions: bool = False
    cache: EmbeddingCache = field(default_factory=EmbeddingCache, compare=False, repr=False)

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        return True

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        return [[] for _ in texts]  # evidence comes as vectors, not items

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        return self.cache.lookup(self.encoder, texts)

    def span_vectors(self, texts: Sequence[str], lang: str) -> tuple[np.ndarray | LazySpans, ...]:
        """``out[k - 1][i]``: unit vector of sentences ``i .. i+k-1`` joined, for k = 1..span;
        with ``regions``, ``LazySpans`` that encode a row only when it is read."""
        joiner = language(lang).joiner
        if self.regions:
            return tuple(LazySpans(self, tuple(texts), joiner, k) for k in range(1, self.span + 1))
        out = [self.vectors(texts)]
        for k in range(2, self.span + 1):
            joined = [joiner.join(texts[i : i + k]) for i in range(len(texts) - k + 1)]
            out.append(self.vectors(joined) if joined else np.zeros((0, out[0].shape[1])))
        return tuple(out)

    def signature(self) -> str:
        return f"{self.name}({self.encoder.name},span={self.span}{',regions' if self.regions else ''})"


class LazySpans:
    """Rows ``start .. stop-1`` of the joined-span vectors of ``k`` sentences, encoded (through
    the scorer's cache) only for the rows an index array reads; a slice is another view."""

    def __init__(
        self,
        scorer: EmbeddingScorer,
        texts: tuple[str, ...],
        joiner: str,
        k: int,
        start: int = 0,
        stop: int = -1,
    ) -> None:
        self.scorer, self.texts, self.joiner, self.k = scorer, texts, joiner, k
        self.start = start
        self.stop = max(len(texts) - k + 1, 0) if stop < 0 else stop

    def __len__(self) -> int:
        return max(self.stop - self.start, 0)

    def __getitem__(self, index: slice | np.ndarray) -> LazySpans | np.ndarray:
        if isinstance(index, slice):
            a, b, _ = index.indices(len(self))
            return LazySpans(
                self.scorer, self.texts, self.joiner, self.k, self.start + a, self.start + max(a, b)
            )
        rows = np.asarray(index) + self.start
        joined = [self.joiner.join(self.texts[r : r + self.k]) for r in rows.tolist()]
        return self.scorer.vectors(joined)


def span_cosines(
    cum_src: np.ndarray,
    cum_tgt: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    a: int,
    b: int,
    chunk: int = 256,
) -> np.ndarray:
    """Cosine between summed sentence vectors of ``src[i-a:i]`` and ``tgt[j-b:j]`` for every
    cell (``cum_*`` are cumulative sums with a leading zero row), computed in row chunks so
    memory stays at ``chunk * width * dim``."""
    n, m = cum_src.shape[0] - 1, cum_tgt.shape[0] - 1
    out = np.zeros(rows.shape)
    for start in range(0, rows.shape[0], chunk):
        r = rows[start : start + chunk]
        c = np.clip(cols[start : start + chunk], 0, m)
        s = cum_src[np.clip(r, 0, n)] - cum_src[np.clip(r - a, 0, n)]
        t = cum_tgt[c] - cum_tgt[np.clip(c - b, 0, m)]
        dot = np.einsum("rkd,rkd->rk", s, t)
        norm = np.linalg.norm(s, axis=-1) * np.linalg.norm(t, axis=-1)
        out[start : start + chunk] = np.where(norm > 0, dot / np.maximum(norm, 1e-12), 0.0)
    return out
