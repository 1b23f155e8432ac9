"""What a reader makes of a file: an ordered list of blocks in one language.

Alignment, segmentation and QA all work on ``Document``; the readers (PDF text, PDF, DOCX,
HTML, plain text) only differ in how they find the blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    SIGNATURE = "signature"
    NOTE = "note"  # e.g. [原件：俄文] / [Original: Russian]


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or list item, with its original label (``1.``, ``(a)``, ``第一条``)
    kept apart from the text so aligners can use it as an anchor and writers can restore it."""

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    label: str | None = None
    source_line: int | None = None  # 1-based line in the input where the block starts

    @property
    def full_text(self) -> str:
        return f"{self.label} {self.text}" if self.label else self.text


@dataclass(frozen=True)
class Document:
    lang: str
    blocks: tuple[Block, ...]
    path: str | None = None
    meta: tuple[tuple[str, str], ...] = field(default=())

    @property
    def paragraphs(self) -> list[str]:
        return [b.full_text for b in self.blocks]
