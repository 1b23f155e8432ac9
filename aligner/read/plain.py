"""Plain text: paragraphs separated by blank lines, lines inside a paragraph re-joined."""

from __future__ import annotations

import re

from aligner.document import Block, Document
from aligner.read.blocks import classify
from aligner.read.pdftext import join_lines


def read_plain_text(text: str, lang: str, path: str | None = None) -> Document:
    """One block per blank-line-separated paragraph (``source_line`` is its first line)."""
    blocks: list[Block] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current: list[str] = []
    start = 1
    hyphenated = {word.lower() for word in re.findall(r"\b\w+-\w+\b", text)}
    for number, line in enumerate([*lines, ""], 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(classify(join_lines(current, hyphenated), source_line=start))
            current = []
    return Document(lang=lang, blocks=tuple(blocks), path=path)
