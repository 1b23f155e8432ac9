"""Sentence segmentation driven by SRX 2.0 rules (``aligner/rules/un.srx`` by default).

The rules, not this module, know about languages: abbreviations, Chinese full stops, paragraph
labels. This module only picks the rules for a language (through ``uncore.lang``, so ``zh-CN``,
``cmn`` and ``zh`` get the same ones), compiles them once, and cuts text at the positions they
choose. Users who want other rules pass their own SRX file (``Segmenter.from_srx``).
"""

from __future__ import annotations

import itertools
from functools import cache
from importlib import resources
from pathlib import Path

from aligner.read.furniture import split_label
from aligner.srx import CompiledRules, SrxRules, parse_srx, read_srx, to_xml
from uncore.lang import language

SHIPPED_SRX = "un.srx"


def shipped_srx_bytes() -> bytes:
    """The SRX file untm ships (what ``untm segment --export-srx`` writes)."""
    return resources.files("aligner.rules").joinpath(SHIPPED_SRX).read_bytes()


class Segmenter:
    """Splits text into sentences with one SRX rule set; compiled rules are cached per language."""

    def __init__(self, rules: SrxRules) -> None:
        self.rules = rules
        self._compiled: dict[str, CompiledRules] = {}

    @classmethod
    def from_srx(cls, path: str | Path) -> Segmenter:
        return cls(read_srx(path))

    @classmethod
    def shipped(cls) -> Segmenter:
        return cls(parse_srx(shipped_srx_bytes(), path=SHIPPED_SRX))

    def compiled(self, lang: str) -> CompiledRules:
        code = language(lang).code
        if code not in self._compiled:
            self._compiled[code] = CompiledRules(self.rules.rules_for(code))
        return self._compiled[code]

    def spans(self, text: str, lang: str) -> list[tuple[int, int]]:
        """(start, end) of each sentence in ``text``, surrounding white space excluded."""
        cuts = [0, *self.compiled(lang).breaks(text), len(text)]
        found = []
        for start, end in itertools.pairwise(cuts):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                found.append((start, end))
        return found

    def split(self, text: str, lang: str) -> list[str]:
        """The segments a CAT tool reading the same SRX makes (a paragraph label alone)."""
        return [text[start:end] for start, end in self.spans(text, lang)]

    def sentences(self, text: str, lang: str) -> list[str]:
        """The sentences of one paragraph, its label (``1.``, ``(a)``, ``第一条``) kept with the
        first: the rules cut a label off as CAT tools do, but the aligner reads it as an anchor
        (numbered paragraphs stay apart), and the units put it apart again (``x-untm-label``)."""
        spans = self.spans(text, lang)
        if len(spans) > 1:
            label, _ = split_label(text)
            start, end = spans[0]
            if label is not None and text[start:end] == label:
                spans[:2] = [(start, spans[1][1])]
        return [text[start:end] for start, end in spans]

    def to_xml(self) -> bytes:
        return to_xml(self.rules)


@cache
def default_segmenter() -> Segmenter:
    return Segmenter.shipped()


def segment(text: str, lang: str) -> list[str]:
    """Split ``text`` (one paragraph) into sentences with the shipped UN rules, a paragraph
    label kept with its sentence (``Segmenter.sentences``)."""
    return default_segmenter().sentences(text, lang)
