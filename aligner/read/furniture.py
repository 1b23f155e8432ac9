"""Page furniture (what a PDF repeats on every page) and paragraph labels.

Furniture is recognised by its *shape*, never by language: a UN document symbol standing alone
(``A/72/565``, ``E/CN.6/2015/1``), a job number (``17-20555 (C)``, ``GE.17-12345 (E)``), a
barcode (``*1720555*``), a page number (``7``, ``3/72``, ``- 7 -``) or the recycling line that
the UN prints in each language (``Please recycle``, ``请回收``, ``Просьба отправить на вторичную
переработку``…). Real content such as ``[Original: Russian]`` or a heading is never furniture.

Labels are the numbering UN paragraphs carry (``1.``, ``12.3``, ``(a)``, ``(iv)``, ``IV.``,
``A.``, ``第一条``, ``一、``, ``（三）``, bullets): kept apart from the text so aligners can use
them as anchors (see ``aligner.document.Block.label``).
"""

from __future__ import annotations

import re

_SYMBOL = re.compile(r"(?=.*\d)(?:\d{4}/)?[A-Z]{1,8}(?:/[A-Za-z0-9._\-]+){1,7}(?:\s*\*)?")
_JOB = re.compile(r"(?:GE\.)?\d{2}-\d{5}\s*[(（][A-Z]{1,2}[)）](?:\s+\d{6}){0,2}(?:\s*\*\d{7}\*)?")
_BARCODE = re.compile(r"\*\d{7,8}\*")
_PAGE = re.compile(
    r"\d{1,3}|\d{1,3}\s*/\s*\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]|(?:Page|page|Стр\.|Pág\.)\s*\d{1,3}"
    r"|第\s*\d{1,3}\s*页"
)
_RECYCLE = re.compile(
    r"(?:♲\s*)?(?:Please\s+recycle|请回收|請回收|Просьба\s+отправить\s+на\s+вторичную\s+переработку"
    r"|Merci\s+de\s+recycler|Se\s+ruega\s+reciclar|يرجى\s+إعادة\s+الاستعمال)(?:\s*♲)?",
    re.IGNORECASE,
)
_FURNITURE = (_SYMBOL, _JOB, _BARCODE, _PAGE, _RECYCLE, re.compile(r"♲"))


def furniture_kind(line: str) -> str | None:
    """``symbol``, ``job``, ``page``… when the whole ``line`` is page furniture, else None."""
    text = line.strip()
    if not text:
        return None
    for kind, pattern in zip(
        ("symbol", "job", "barcode", "page", "recycle", "recycle"), _FURNITURE, strict=True
    ):
        if pattern.fullmatch(text):
            return kind
    return None


_CN_NUM = "一二三四五六七八九十百零〇两"
_LABEL = re.compile(
    r"""(?x)
    (?: \(\d{1,3}\) | \d{1,3}\) | \d{1,3}(?:\.\d{1,3})*\.(?!\d) | \d{1,3}(?:\.\d{1,3})+  # 1. 1.2. (1) 1) 1.2
      | [(（](?:[a-z]{1,2}|[ivxlc]{1,6}|[A-Z])[)）] | [a-z]\)                       # (a) (iv) (A) a)
      | [IVXLC]{1,6}\.(?:[A-Z]\.)? | [A-Z]\.                                       # IV.  IV.G.  A.
      | 第["""
    + _CN_NUM
    + r"""\d]+[条章节款项部编篇]
      | ["""
    + _CN_NUM
    + r"""]{1,3}、 | ["""
    + _CN_NUM
    + r"""]{1,3}\.      # 二. the Chinese of a "II." heading (UN Chinese: 18 in unpc-dev, 22 "II." in English)
      | （["""
    + _CN_NUM
    + r"""]{1,3}）
      | Статья\s+\d{1,3}\.? | Article\s+\d{1,3}\.? | Artículo\s+\d{1,3}\.? | المادة\s+\d{1,3}
      | [•·▪◦‣●\-–—]
    )
    (?=\s|[^\x00-\x7f])   # a label is followed by a space, or directly by non-ASCII text (1.减少)
    """
)


def split_label(text: str) -> tuple[str | None, str]:
    """``("1.", "The Committee…")`` for ``"1. The Committee…"``; ``(None, text)`` without a label.

    A bare ``A.`` or ``I.`` counts only when a capital or non-Latin word follows, so initials in
    running text are not mistaken for labels.
    """
    stripped = text.strip()
    match = _LABEL.match(stripped)
    if not match:
        return None, stripped
    label = match.group(0)
    rest = stripped[match.end() :].strip()
    if not rest:
        return None, stripped
    if re.fullmatch(r"[A-Z]\.|[IVXLC]{1,6}\.", label) and rest[0].islower():
        return None, stripped
    return label, rest
