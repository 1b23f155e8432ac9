"""The optional embedding scorer: the interface, the model-free hashing encoder on the UDHR,
and refusing (never downloading) when no local model is given."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from lxml import html

from aligner.align import AlignConfig, Side, align_pair
from aligner.scorers.embedding import EmbeddingScorer, Encoder, HashingEncoder, SentenceTransformerEncoder
from tests.conftest import shared_path
from uncore.errors import UsageError


def udhr_articles(stem: str) -> list[str]:
    tree = html.fromstring(shared_path("udhr", f"{stem}.html").read_text(encoding="utf-8"))
    return [" ".join(" ".join(a.itertext()).split()) for a in tree.xpath("//article")]


def test_hashing_encoder_is_an_encoder_with_unit_rows() -> None:
    encoder = HashingEncoder()
    assert isinstance(encoder, Encoder)
    vectors = encoder.encode(["Article 1", "", "Статья 1"])
    assert vectors.shape == (3, encoder.dim)
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0)
    assert not vectors[1].any()


def test_embedding_evidence_alone_aligns_udhr_en_fr() -> None:
    """No dictionary, no anchors: length + hashed character n-grams on 30 articles."""
    en, fr = udhr_articles("eng"), udhr_articles("fra")
    config = AlignConfig(scorers=(EmbeddingScorer(HashingEncoder()),))
    beads = align_pair(Side("en", tuple(en)), Side("fr", tuple(fr)), config)
    correct = sum(1 for b in beads if b.src == b.tgt and len(b.src) == 1)
    assert correct >= 28


def test_missing_model_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="never downloads"):
        SentenceTransformerEncoder(tmp_path / "LaBSE")
