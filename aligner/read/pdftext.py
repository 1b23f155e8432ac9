"""Re-flow text extracted from a PDF into the document's real paragraphs.

PDF text arrives as *physical* lines: wrapped at the column edge, split at page ends, with page
furniture (symbols, job numbers, page numbers, "Please recycle") in between. The UN seed file
(``A72-samarkand-communique.zh.txt``) shows the shape this module is built on:

* a blank line after every physical line ("double spacing"); where it is missing, a page ended;
* a line that ends a paragraph (or a heading, or a signature) keeps a trailing space, a line
  that was wrapped does not — the extractor's trace of a hard line end;
* paragraphs start with a leading space, but so may a wrapped line after a page break, so
  indentation alone is not trusted.

When a file has no trailing-space cue (other extractors), a line ends a paragraph when it
stops clearly short of the text column (in display width), or when it ends a sentence and the
next line is indented, starts a labelled paragraph or follows a page break. Wrapped lines are
joined without a space between CJK characters and with one otherwise; end-of-line hyphens are
undone unless the hyphenated form occurs elsewhere in the document (``self-determination``).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from aligner.document import Block, Document
from aligner.read.blocks import NOTE_RE, classify, ends_sentence
from aligner.read.furniture import furniture_kind, split_label
from uncore.lang import display_width, is_wide


@dataclass(frozen=True)
class Line:
    """One physical line of extracted text.

    ``page_break``: a page boundary (or removed furniture) precedes it; ``gap``: an empty line
    precedes it, which always separates paragraphs.
    """

    raw: str
    number: int
    page_break: bool = False
    gap: bool = False

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip())

    @property
    def hard_end(self) -> bool:
        return self.raw != self.raw.rstrip()


WRAP_MAX_WIDTH = 160  # display columns; PDF text lines are wrapped well below this


def looks_like_pdf_text(text: str) -> bool:
    """True for the seed's shape: form feeds, or most lines followed by a blank line *and* the
    lines wrapped at a column (nine in ten no wider than ``WRAP_MAX_WIDTH``).

    The width test keeps out plain text that puts each paragraph on one long line with blank
    lines between, which is double-spaced too but must be read paragraph per line.
    """
    if "\f" in text:
        return True
    lines = text.replace("\r\n", "\n").split("\n")
    if not _double_spaced(lines):
        return False
    widths = sorted(display_width(line.strip()) for line in lines if line.strip())
    return widths[int(0.9 * (len(widths) - 1))] <= WRAP_MAX_WIDTH


def _double_spaced(raw_lines: Sequence[str]) -> bool:
    content = [i for i, line in enumerate(raw_lines[:-1]) if line.strip()]
    if len(content) < 3:
        return False
    followed = sum(1 for i in content if raw_lines[i + 1] == "")
    return followed / len(content) >= 0.6


def physical_lines(text: str, meta: dict[str, str] | None = None) -> list[Line]:
    """Lines with their page-break and gap marks; furniture removed (and noted in ``meta``)."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    double = _double_spaced(raw_lines)
    lines: list[Line] = []
    page = gap = False
    previous_blank = True
    for number, raw in enumerate(raw_lines, 1):
        if "\f" in raw:
            page = True
            raw = raw.replace("\f", "")
        if raw == "" and double:
            previous_blank = True
            continue
        if not raw.strip():
            gap = True
            previous_blank = True
            continue
        kind = furniture_kind(raw)
        if kind is not None:
            if meta is not None:
                meta.setdefault(kind, raw.strip())
            page, gap, previous_blank = True, False, True
            continue
        if double and not previous_blank and lines:
            page = True
        lines.append(Line(raw, number, page_break=page and bool(lines), gap=gap and bool(lines)))
        page = gap = previous_blank = False
    return lines


def reflow(lines: Sequence[Line], lang: str, full_text: str = "") -> list[Block]:
    """Group physical lines into paragraphs and classify each one."""
    if not lines:
        return []
    hard_ends = sum(line.hard_end for line in lines) / len(lines)
    use_hard_end = 0.05 <= hard_ends <= 0.85
    lengths = [display_width(line.text) for line in lines]
    column = statistics.quantiles(lengths, n=10)[7] if len(lengths) >= 10 else max(lengths)
    base_indent = min(line.indent for line in lines)
    hyphenated = {word.lower() for word in re.findall(r"\b\w+-\w+\b", full_text)}

    groups: list[list[Line]] = [[lines[0]]]
    for prev, line in itertools.pairwise(lines):
        if _starts_new(prev, line, use_hard_end=use_hard_end, column=column, base_indent=base_indent):
            groups.append([line])
        else:
            groups[-1].append(line)
    texts = [(_join(group, hyphenated), group[0].number) for group in groups]
    return [classify(text, source_line=number) for text, number in _merge_broken_headings(texts)]


def _starts_new(prev: Line, line: Line, *, use_hard_end: bool, column: float, base_indent: int) -> bool:
    if line.gap or NOTE_RE.match(line.text) or NOTE_RE.match(prev.text):
        return True
    label, _ = split_label(line.text)
    if label and ends_sentence(prev.text):
        return True
    if use_hard_end:
        return prev.hard_end or (ends_sentence(prev.text) and line.indent > base_indent)
    if display_width(prev.text) < 0.8 * column:  # the line stopped before the column edge: a hard end
        return True
    return ends_sentence(prev.text) and (line.page_break or line.indent > base_indent)


def _join(group: Iterable[Line], hyphenated: set[str]) -> str:
    return join_lines((line.text for line in group), hyphenated)


def join_lines(pieces: Iterable[str], hyphenated: Collection[str] = frozenset()) -> str:
    """Join wrapped lines: no space next to a CJK character, undo end-of-line hyphens."""
    text = ""
    for raw in pieces:
        piece = raw.strip()
        if not piece:
            continue
        if not text:
            text = piece
        elif text.endswith("\u00ad"):
            text = text[:-1] + piece
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha() and piece[:1].islower():
            head = re.search(r"(\w+)-$", text)
            tail = re.match(r"\w+", piece)
            whole = f"{head.group(1)}-{tail.group(0)}" if head and tail else ""
            text = (text if whole.lower() in hyphenated else text[:-1]) + piece
        elif is_wide(text[-1]) or is_wide(piece[0]):
            text += piece
        else:
            text += " " + piece
    return text


_CONTINUES = tuple("、，,—–")
# A title line cannot end on a conjunction, preposition or article, nor can its next line start
# with "and …": UN agenda titles are broken across hard lines exactly there
# ("…世界首脑会议和" / "联合国可持续发展大会成果的执行情况").
_OPEN_END = re.compile(r"(?:[和及与的]|\b(?:and|of|the|on|for|to|in|et|de|des|du|y|del|и|в|по|на|о|об|для))$")
_AND_START = re.compile(r"^(?:以及|及|和|and\b|et\b|y\b|и\b|а также\b)")
_ENDS_SENTENCE = tuple("。；：！？.;:!?")


def _continues(last: str, text: str) -> bool:
    if last.endswith(_CONTINUES) or _OPEN_END.search(last):
        return True
    return not last.endswith(_ENDS_SENTENCE) and _AND_START.match(text) is not None


def _merge_broken_headings(texts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A title broken over hard lines (``可持续发展：《21 世纪议程》、`` / ``《进一步执行…》``)
    is one heading: join a heading-like line ending in a continuing mark with the next line."""
    merged: list[tuple[str, int]] = []
    for text, number in texts:
        if merged:
            last, first_line = merged[-1]
            if len(last) < 120 and not split_label(text)[0] and _continues(last, text):
                sep = "" if is_wide(last[-1]) or is_wide(text[0]) else " "
                merged[-1] = (last + sep + text, first_line)
                continue
        merged.append((text, number))
    return merged


def read_pdf_text(text: str, lang: str, path: str | None = None) -> Document:
    """A ``Document`` from PDF-extracted text."""
    meta: dict[str, str] = {}
    lines = physical_lines(text, meta)
    blocks = reflow(lines, lang, text)
    return Document(lang=lang, blocks=tuple(blocks), path=path, meta=tuple(meta.items()))
