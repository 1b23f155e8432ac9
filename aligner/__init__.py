"""Reading UN documents, rebuilding paragraphs, segmenting sentences and aligning versions."""

from aligner.document import Block, BlockKind, Document

__all__ = ["Block", "BlockKind", "Document"]
from aligner.align import AlignConfig, Side, align, align_pair, align_sides, document_side
from aligner.beads import Bead, PairBead

__all__ += ["AlignConfig", "Bead", "PairBead", "Side", "align", "align_pair", "align_sides", "document_side"]
from aligner.evaluate import Scores, score, score_paths  # noqa: E402

__all__ += ["Scores", "score", "score_paths"]
from aligner.read import read_document  # noqa: E402
from aligner.segment import Segmenter  # noqa: E402  (not segment(): it would shadow the module)

__all__ += ["Segmenter", "read_document"]
