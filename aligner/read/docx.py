"""Word files: paragraph styles say what a block is, automatic numbering gives its label.

UN Word documents mark headings with heading/title styles and number paragraphs either by hand
(``1.<tab>``, found by ``split_label``) or with Word's automatic numbering, which is not in the
text at all: it is computed here from ``numbering.xml`` (format, level text such as ``%1.`` or
``(%2)``, start value) the way Word counts it, so ``(a)`` labels survive the trip.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from aligner.document import Block, BlockKind, Document
from aligner.read.blocks import classify, is_list_label
from uncore.errors import InputError


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


def read_docx(path: str, lang: str) -> Document:
    try:
        document = docx.Document(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(f"not a readable Word (.docx) file: {error}", path=path) from error
    numbering = _Numbering(document)
    blocks: list[Block] = []
    for index, paragraph in enumerate(_paragraphs(document), 1):
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = style.lower().startswith(("heading", "title", "subtitle")) or None
        block = classify(text, source_line=index, heading=heading)
        auto = numbering.label(paragraph)
        if auto is not None and block.label is None:
            if block.kind != BlockKind.HEADING:  # same rule as typed labels: (a) lists, 1. numbers
                kind = (
                    BlockKind.LIST_ITEM
                    if is_list_label(auto) or style.lower().startswith("list")
                    else BlockKind.PARAGRAPH
                )
                block = Block(block.text, kind, auto, block.source_line)
            else:
                block = Block(block.text, block.kind, auto, block.source_line)
        elif style.lower().startswith("list") and block.kind == BlockKind.PARAGRAPH:
            block = Block(block.text, BlockKind.LIST_ITEM, block.label, block.source_line)
        blocks.append(block)
    return Document(lang=lang, blocks=tuple(blocks), path=path)


def _paragraphs(document: DocxDocument) -> Iterator[Paragraph]:
    """Body paragraphs in order, including those inside table cells."""
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        else:
            yield item


class _Numbering:
    """Word's list counters: one per (numId, level); a level restarts when a higher one moves."""

    def __init__(self, document: DocxDocument) -> None:
        self.levels: dict[tuple[str, int], _Level] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if definition is None:
                continue
            for lvl in definition.iter(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                self.levels[(num.get(qn("w:numId")), int(lvl.get(qn("w:ilvl"), "0")))] = _Level(
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )

    def label(self, paragraph: Paragraph) -> str | None:
        num_pr = _num_pr(paragraph)
        if num_pr is None:
            return None
        num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        if num_id_el is None:
            return None
        num_id = num_id_el.get(qn("w:val"))
        ilvl = int(ilvl_el.get(qn("w:val"))) if ilvl_el is not None else 0
        level = self.levels.get((num_id, ilvl))
        if level is None or num_id == "0":
            return None
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, level.start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]
        if level.fmt == "bullet":
            return "•"
        label = level.text
        for i in range(ilvl + 1):
            count = self.counters.get((num_id, i), self.levels.get((num_id, i), level).start)
            fmt = self.levels.get((num_id, i), level).fmt
            label = label.replace(f"%{i + 1}", _format(count, fmt))
        return label.strip() or None


def _num_pr(paragraph: Paragraph):
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return p_pr.numPr
    style = paragraph.style
    while style is not None:  # numbering inherited from the paragraph style (List Number …)
        s_pr = style.element.pPr
        if s_pr is not None and s_pr.numPr is not None:
            return s_pr.numPr
        style = style.base_style
    return None


def _format(number: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        n = number
        while n > 0:
            n, rem = divmod(n - 1, 26)
            letters = chr(ord("a") + rem) + letters
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(number)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(number)


def _roman(number: int) -> str:
    values = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = ""
    for value, glyph in values:
        while number >= value:
            out += glyph
            number -= value
    return out
