"""Anchors: things a translator copies or converts mechanically, so they survive translation.

Numbers, Chinese numerals, dates, percentages, paragraph labels and UN document symbols come
from ``uncore.lang.numbers.extract_numbers`` (normalised so ``第七十二届`` = ``seventy-second`` =
``семьдесят второй`` = ``72``); URLs and e-mail addresses are copied verbatim; brackets and
quotation marks are weak evidence that two sentences have the same shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.scorers.base import Item
from uncore.lang.numbers import extract_numbers

_URL = re.compile(r"(?:https?://|www\.)[^\s\"<>()（）。，]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PAREN = re.compile(r"[()（）\[\]【】]")
_QUOTE = re.compile(r"[\"“”«»„「」『』]")


@dataclass(frozen=True)
class AnchorScorer:
    """Numbers, dates, symbols, labels, URLs, e-mails, brackets and quotes as evidence items."""

    name: str = "anchors"
    exact_weight: float = 2.0  # symbols, dates, URLs: almost never coincide by chance
    number_weight: float = 1.0
    spelled_weight: float = 0.5  # "one", 一, "второй": also used as ordinary words
    shape_weight: float = 0.25  # brackets / quotes

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        return True

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        return [self.sentence_items(text, lang) for text in texts]

    def sentence_items(self, text: str, lang: str) -> list[Item]:
        items: list[Item] = []
        for token in extract_numbers(text, lang):
            if token.kind in ("symbol", "date"):
                weight = self.exact_weight
            elif token.spelled:
                weight = self.spelled_weight
            else:
                weight = self.number_weight
            items.append(Item(frozenset({f"#{token.value}"}), weight))
        # the two patterns cost a third of the scorer's time on text that has neither (most
        # sentences): look for what each match must contain first
        if "://" in text or "www." in text.lower():
            for match in _URL.finditer(text):
                items.append(
                    Item(frozenset({"url:" + match.group().rstrip(".,;").lower()}), self.exact_weight)
                )
        if "@" in text:
            for match in _EMAIL.finditer(text):
                items.append(Item(frozenset({"mail:" + match.group().lower()}), self.exact_weight))
        if _PAREN.search(text):
            items.append(Item(frozenset({"shape:bracket"}), self.shape_weight))
        if _QUOTE.search(text):
            items.append(Item(frozenset({"shape:quote"}), self.shape_weight))
        return items

    def signature(self) -> str:
        return (
            f"anchors(exact={self.exact_weight:g},number={self.number_weight:g},"
            f"spelled={self.spelled_weight:g},shape={self.shape_weight:g})"
        )
