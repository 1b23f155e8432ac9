"""PDF files, through pypdfium2 (PDFium, the engine of Chrome's PDF viewer).

Why pypdfium2: it ships PDFium's own wheels (Apache-2.0/BSD, no system library or AGPL code
as with PyMuPDF), is actively maintained, and PDFium maps CID fonts to Unicode well enough
that Chinese (Adobe-GB1 CID fonts such as STSong-Light) and Cyrillic (embedded TrueType)
text come out as real characters, where pdfminer-style extractors often need font tables.

Each page's text is turned into the physical lines ``aligner.read.pdftext`` re-flows, with the
same cues the extracted-text files carry: a leading space where a line starts right of the
text column's left edge, a trailing space where it stops clearly short of the right edge (a
hard line end), and a page break between pages. Furniture is then dropped by ``pdftext``.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from aligner.document import Document
from aligner.read.furniture import furniture_kind
from aligner.read.pdftext import Line, reflow
from uncore.errors import InputError


def read_pdf(path: str, lang: str) -> Document:
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        raise InputError(f"not a readable PDF: {error}", path=path) from error
    meta: dict[str, str] = {}
    pages: list[list[tuple[str, float, float]]] = []
    try:
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(_page_lines(textpage))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as error:
        raise InputError(f"cannot extract text from PDF: {error}", path=path) from error
    finally:
        pdf.close()
    lines = _to_lines(pages, meta)
    if not lines:
        raise InputError("the PDF has no extractable text (a scanned image? run OCR first)", path=path)
    full = "\n".join(line.raw for line in lines)
    blocks = reflow(lines, lang, full)
    return Document(lang=lang, blocks=tuple(blocks), path=path, meta=tuple(meta.items()))


def _page_lines(textpage) -> list[tuple[str, float, float]]:
    """(text, left, right) per line of one page, in reading order."""
    text = textpage.get_text_range()
    count = textpage.count_chars()
    geometry = count == len(text)  # PDFium's generated \r\n are chars too, so indexes line up
    found = []
    offset = 0
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if line.strip():
            left = right = 0.0
            if geometry:
                first = offset + (len(line) - len(line.lstrip()))
                last = offset + len(line.rstrip()) - 1
                left = textpage.get_charbox(first)[0]
                right = textpage.get_charbox(last)[2]
            # PDFium already joins a word hyphenated at a line end and marks the join with U+FFFE
            found.append((line.replace("\ufffe", "").replace("\x02", "").strip(), left, right))
        offset += len(raw) + 1
    return found


def _to_lines(pages: list[list[tuple[str, float, float]]], meta: dict[str, str]) -> list[Line]:
    """Physical lines with the seed's cues: leading space = indented, trailing space = short."""
    boxes = [(left, right) for page in pages for (_, left, right) in page if right > left]
    column_left = min((b[0] for b in boxes), default=0.0)
    column_right = max((b[1] for b in boxes), default=0.0)
    width = column_right - column_left
    lines: list[Line] = []
    number = 0
    for page_no, page in enumerate(pages):
        page_start = True
        for text, left, right in page:
            number += 1
            kind = furniture_kind(text)
            if kind is not None:
                meta.setdefault(kind, text)
                continue
            raw = text
            if width > 0:
                if left - column_left > 0.02 * width:
                    raw = " " + raw
                if column_right - right > 0.12 * width:
                    raw = raw + " "
            lines.append(Line(raw, number, page_break=page_start and page_no > 0 and bool(lines)))
            page_start = False
    return lines
