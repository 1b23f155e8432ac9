"""Reading UN documents, rebuilding paragraphs, segmenting sentences and aligning versions."""

from aligner.document import Block, BlockKind, Document

__all__ = ["Block", "BlockKind", "Document"]
