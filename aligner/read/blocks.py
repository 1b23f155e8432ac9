"""Turning rebuilt paragraph texts into typed ``Block``s, shared by every reader.

A reader decides where paragraphs start and end; this module decides what each one *is*
(heading, paragraph, list item, signature, note) and splits off its label. The cues are
typographic and hold across the UN languages: a heading has no closing punctuation, a note is
wholly in square brackets (``[原件：俄文]``, ``[Original: Russian]``), a signature ends with the
word "signed" in brackets, a sub-paragraph carries a letter or bullet label.
"""

from __future__ import annotations

import re

from aligner.document import Block, BlockKind
from aligner.read.furniture import split_label

# What can end a sentence or a list-item paragraph, followed by optional closing quotes/brackets.
TERMINAL = "。！？.?!；;：:…"
CLOSERS = "”’」』）)》〉】］]\"'»"
_ENDS_SENTENCE = re.compile(f"[{re.escape(TERMINAL)}][{re.escape(CLOSERS)}]*$")
NOTE_RE = re.compile(r"^[\[［].*[\]］]$")
_SIGNED_WORD = (
    r"[(（](?:签名|簽名|Signed|signed|Подпись|подпись|Signé|signé|Signée|Firmado|firmado|Firmada|توقيع)[)）]"
)
_SIGNED = re.compile(f"^{_SIGNED_WORD}|{_SIGNED_WORD}$")
_LIST_LABEL = re.compile(
    r"^(?:[(（]?[a-z]{1,2}[)）]|[(（][ivxlc]{1,6}[)）]|[•·▪◦‣●\-–—]"
    r"|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)$"
)
HEADING_MAX_CHARS = 160


def is_list_label(label: str) -> bool:
    """``(a)``, ``(iv)``, bullets, ``一、`` mark list items; ``1.``, ``IV.``, ``A.`` number paragraphs."""
    return bool(_LIST_LABEL.match(label))


def ends_sentence(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text.rstrip()))


def classify(text: str, *, source_line: int | None = None, heading: bool | None = None) -> Block:
    """A ``Block`` for one rebuilt paragraph; ``heading`` forces the decision (e.g. from a style)."""
    text = text.strip()
    if NOTE_RE.match(text):
        return Block(text, BlockKind.NOTE, None, source_line)
    if _SIGNED.search(text) and len(text) < HEADING_MAX_CHARS:
        return Block(text, BlockKind.SIGNATURE, None, source_line)
    label, body = split_label(text)
    if heading is None:
        heading = not ends_sentence(body) and len(body) <= HEADING_MAX_CHARS
    if heading:
        kind = BlockKind.HEADING
    elif label and is_list_label(label):
        kind = BlockKind.LIST_ITEM
    else:
        kind = BlockKind.PARAGRAPH
    return Block(body, kind, label, source_line)
