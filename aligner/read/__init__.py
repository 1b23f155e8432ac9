"""Reading documents: one entry point for PDF-extracted text, PDF, DOCX, HTML and plain text.

``read_document(path, lang, fmt=None)`` picks the reader from ``fmt`` or, when not given, from
the file's magic bytes and extension; ``.txt`` files in the shape PDF extractors produce (a
blank line after every line, form feeds) are re-flowed as PDF text, others read as plain text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from aligner.document import Block, Document
from uncore.errors import InputError, UsageError
from uncore.lang import language
from uncore.xmlchars import XML_INVALID, first_invalid

FORMATS = ("pdftext", "text", "pdf", "docx", "html")
_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html"}


def detect_format(path: Path, head: bytes) -> str:
    """The reader for a file, from its first bytes (magic) and then its extension."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    sniff = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sniff.startswith((b"<!doctype html", b"<html")):
        return "html"
    return _EXTENSIONS.get(path.suffix.lower(), "text")


def read_text_file(path: Path) -> str:
    """Decode a text file as UTF-8 (BOM allowed, UTF-16 with BOM too); binary data is refused.
    Form feeds are kept: the PDF-text reader uses them as page breaks."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not a text file", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 text (byte {error.start}); convert it to UTF-8 first", path=path, line=line
        ) from error


def read_document(path: str | Path, lang: str, fmt: str | None = None) -> Document:
    """Read ``path`` into a ``Document`` in ``lang``.

    ``fmt`` forces a reader (``pdftext``, ``text``, ``pdf``, ``docx``, ``html``). Without it a
    text file is re-flowed as PDF-extracted text when it looks like one (``looks_like_pdf_text``)
    and read as blank-line paragraphs otherwise; ``fmt="text"`` and ``fmt="pdftext"`` settle it.
    Layout control characters (form feeds, vertical tabs) become the breaks they meant
    (``uncore.xmlchars``): nothing XML cannot carry reaches a translation unit.
    """
    document = _read_document(path, lang, fmt)
    blocks = tuple(_xml_safe(block) for block in document.blocks)
    return replace(document, blocks=blocks) if blocks != document.blocks else document


def _xml_safe(block: Block) -> Block:
    """A block without characters XML cannot carry (inside a paragraph they are white space)."""
    if not (first_invalid(block.text) or (block.label and first_invalid(block.label))):
        return block
    label = XML_INVALID.sub(" ", block.label) if block.label else block.label
    return replace(block, text=XML_INVALID.sub(" ", block.text), label=label)


def _read_document(path: str | Path, lang: str, fmt: str | None) -> Document:
    code = language(lang).code
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r} (known: {', '.join(FORMATS)})")
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not a document", path=path)
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", path=path) from error
    chosen = fmt or detect_format(path, head)
    if chosen == "pdf":
        from aligner.read.pdf import read_pdf

        return read_pdf(str(path), code)
    if chosen == "docx":
        from aligner.read.docx import read_docx

        return read_docx(str(path), code)
    if chosen == "html":
        from aligner.read.html import read_html

        data = path.read_bytes()
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError("binary data, not an HTML page", path=path)
        return read_html(data, code, path=str(path))
    from aligner.read.pdftext import looks_like_pdf_text, read_pdf_text
    from aligner.read.plain import read_plain_text

    text = read_text_file(path)
    if chosen == "pdftext" or (fmt is None and looks_like_pdf_text(text)):
        return read_pdf_text(text, code, path=str(path))
    return read_plain_text(text, code, path=str(path))


__all__ = ["FORMATS", "detect_format", "read_document"]
