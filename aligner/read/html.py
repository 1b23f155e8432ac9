"""HTML pages (e.g. the UDHR in ``../shared/data/udhr``): headings, paragraphs and list items.

Block elements are read in document order; the element says what a block is (``h1``–``h6`` are
headings, ``li`` list items, ``p`` paragraphs), so no guessing from punctuation is needed. An
``<ol>`` item gets its number (``1.``, or the ``start``/``value`` attributes) as its label.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from aligner.document import Block, BlockKind, Document
from aligner.read.blocks import classify
from uncore.errors import InputError

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _HEADINGS | {"p", "li", "dt", "dd", "blockquote", "pre", "td", "th", "caption"}
_SKIP = {"script", "style", "noscript", "template", "nav", "head"}


def read_html(data: bytes, lang: str, path: str | None = None) -> Document:
    try:  # HTML5 pages are UTF-8 unless they say otherwise; lxml alone would assume Latin-1
        data.decode("utf-8")
        encoding: str | None = "utf-8"
    except UnicodeDecodeError:
        encoding = None
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, encoding=encoding)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"cannot parse HTML: {error}", path=path) from error
    blocks: list[Block] = []
    _walk(root, blocks)
    return Document(lang=lang, blocks=tuple(blocks), path=path)


def _text(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _contains_blocks(element: etree._Element) -> bool:
    return any(
        isinstance(child.tag, str) and child.tag in _BLOCKS | {"ol", "ul"}
        for child in element.iterdescendants()
    )


def _walk(element: etree._Element, blocks: list[Block], item: etree._Element | None = None) -> None:
    """Collect blocks; ``item`` is the ``<li>`` whose first inner block takes its label."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP:
            continue
        if tag == "li" and _contains_blocks(child):
            _walk(child, blocks, item=child)
        elif tag in _BLOCKS and not (tag in {"td", "th", "blockquote", "dd"} and _contains_blocks(child)):
            text = _text(child)
            if text:
                block = _block(item if item is not None else child, "li" if item is not None else tag, text)
                blocks.append(block)
                item = None
        else:
            _walk(child, blocks, item)


def _block(element: etree._Element, tag: str, text: str) -> Block:
    line = element.sourceline
    if tag in _HEADINGS:
        return classify(text, source_line=line, heading=True)
    if tag == "li":
        block = classify(text, source_line=line, heading=False)
        label = block.label or _ordinal(element)
        return Block(block.text, BlockKind.LIST_ITEM, label, line)
    return classify(text, source_line=line, heading=False)


def _ordinal(item: etree._Element) -> str | None:
    parent = item.getparent()
    if parent is None or parent.tag != "ol":
        return None
    number = int(parent.get("start", "1")) if parent.get("start", "1").isdigit() else 1
    for sibling in parent:
        if sibling is item:
            break
        if sibling.tag == "li":
            number = int(sibling.get("value")) + 1 if (sibling.get("value") or "").isdigit() else number + 1
    if (item.get("value") or "").isdigit():
        number = int(item.get("value"))
    return f"{number}."
