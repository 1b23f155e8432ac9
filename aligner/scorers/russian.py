"""Russian word evidence from a general English–Russian dictionary read from the system.

Without it, a Russian sentence meets English only through cognates (*Конвенция* /
*Convention*) and Chinese only through CC-CEDICT's glosses bridged by the same cognates: native
words (*представитель*, *здоровье*, *продление*) carry nothing, and two Russian sentences of
similar length next to an omission look alike. With it, a Russian word becomes the English
stems of the headwords it translates — the key space of the zh-en dictionary — so it meets an
English word directly and a Chinese word through its CC-CEDICT glosses.

No dictionary of that kind ships on PyPI; Debian and Ubuntu ship V. K. Müller's
English–Russian dictionary (``apt install mueller7-dict``: 42,700 entries, GPL-2+), which untm
reads where it is installed and never copies: nothing of it is in this repository.
``UNTM_RU_DICTIONARY`` names another copy (a ``mueller7.dict.dz`` or its plain text), or
``none`` to align without one. The entries are reversed once (1.4 s) and kept in the user's
cache folder.

Measured on the tuning half of unpc-align-dev (``benchmarks/align_unpc.py``, docs/aligner.md):
pairwise runs gain (flat ru-en 0.9868 → 0.9950, ru-zh 0.9855 → 0.9917); runs of three
languages lose (flat 68 → 137 strict errors), because there English already carries the zh-en
dictionary into every bead and the Russian keys — up to eight English stems a word, some of
them rare senses — only dilute it. So the scorer is ``pairwise_only``: ``align_sides`` leaves it
out of runs of more than two languages. In a pair it ``supersedes`` the cognate scorer and
CC-CEDICT's cognate bridge: against English it keeps the cognate key of a word it lacks (a
name), so the heuristics it replaces are inside it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from aligner.scorers.base import Item
from aligner.scorers.lexical import CognateScorer, cedict_keys, cognate_key
from uncore.errors import UsageError
from uncore.lang import language
from uncore.lang.normalize import normalize
from uncore.lang.words import STOP_WORDS, chinese_words, ru_lemma, stem

ENV = "UNTM_RU_DICTIONARY"
SYSTEM_PATHS = (Path("/usr/share/dictd/mueller7.dict.dz"),)

_HEADWORD = re.compile(r"[a-z][a-z-]*[a-z]")
_ABBREVIATION = re.compile(r"_[^\s.]+\.?")  # _n. _v. _уст. _перен.
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # usage notes, transcriptions
_SENSE_NUMBER = re.compile(r"^\s*(?:\d+[.)]|[а-я]\))\s*")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")
_TEXT_WORD = re.compile(r"[А-Яа-яЁё]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_COGNATE_PREFIX = CognateScorer.prefix


def find_dictionary() -> Path | None:
    """The dictionary to read: ``UNTM_RU_DICTIONARY`` when set (``none``: no dictionary),
    else the first of ``SYSTEM_PATHS`` that exists."""
    named = os.environ.get(ENV, "").strip()
    if named:
        return None if named.lower() == "none" else Path(named)
    return next((p for p in SYSTEM_PATHS if p.is_file()), None)


def read_entries(lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """``(headword, Russian words)`` of each one-word entry of Müller's dictionary, the words
    in the order of its senses. Only translations are read: a segment (between ``;`` or ``,``)
    holding Latin letters is an example phrase (*on a large scale в крупном масштабе*) or a
    cross-reference, and a segment of more than three words a definition, not a word."""
    headword: str | None = None
    words: list[str] = []
    for line in lines:
        if line and not line[0].isspace():
            if headword and words:
                yield headword, words
            stripped = line.strip()
            headword = stripped if _HEADWORD.fullmatch(stripped) else None
            words = []
            continue
        if headword is None:
            continue
        text = _SENSE_NUMBER.sub("", _BRACKETS.sub(" ", _ABBREVIATION.sub(" ", line)))
        for segment in re.split(r"[;,]", text):
            if _LATIN.search(segment) or "см." in segment:
                continue
            found = _CYRILLIC_WORD.findall(segment)
            if 0 < len(found) <= 3:
                words.extend(normalize(w.lower()) for w in found if len(w) > 3)
    if headword and words:
        yield headword, words


def reverse(entries: Iterable[tuple[str, list[str]]], keys: int) -> dict[str, tuple[str, ...]]:
    """Russian word → the English stems of up to ``keys`` headwords it translates, those it is
    an earlier sense of first (a word's first translation is its main one)."""
    english_stop, russian_stop = STOP_WORDS["en"], STOP_WORDS["ru"]
    ranked: dict[str, dict[str, int]] = {}
    for headword, words in entries:
        if len(headword) < 3 or headword in english_stop:
            continue
        key = stem("en", headword)
        for rank, word in enumerate(words):
            if word in russian_stop:
                continue
            seen = ranked.setdefault(word, {})
            if rank < seen.get(key, rank + 1):
                seen[key] = rank
    return {word: tuple(sorted(found, key=lambda k: (found[k], k))[:keys]) for word, found in ranked.items()}


@cache
def dictionary_table(path: Path, keys: int) -> Mapping[str, tuple[str, ...]]:
    """The reversed dictionary at ``path`` (gzip or dictzip, or plain text), once a process.
    Reversing takes ~1.4 s; the result is kept in the user's cache folder (JSON, ~2 MB, read
    in ~0.06 s) under a name that changes with the file's size and time and with ``keys``, so
    each ``untm align`` call with Russian does not pay it again."""
    try:
        stat = path.stat()
        kept = (
            _cache_folder() / f"{path.name}-{stat.st_size}-{stat.st_mtime_ns}-k{keys}-v{_CACHE_VERSION}.json"
        )
        try:
            found = json.loads(kept.read_text(encoding="utf-8"))
            if found:  # an empty or damaged file is made again (and an empty table refused)
                return {word: tuple(stems) for word, stems in found.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            pass  # not made yet, or unreadable: build it
        opener = gzip.open if path.suffix in {".dz", ".gz"} else open
        with opener(path, "rt", encoding="utf-8") as lines:
            table = reverse(read_entries(lines), keys)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise UsageError(f"{path}: cannot read the Russian dictionary ({ENV}): {exc}") from None
    if not table:  # a file of another kind: aligning without evidence would hide the mistake
        raise UsageError(
            f"{path}: no English headword with a Russian translation found: not Müller's "
            f"English–Russian dictionary ({ENV}; Debian package mueller7-dict)"
        )
    _keep(kept, table)
    return table


_CACHE_VERSION = 1  # raise when read_entries or reverse change what they make


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "untm"


def _keep(path: Path, table: Mapping[str, tuple[str, ...]]) -> None:
    """Write the cache atomically (temp file, rename); a folder that cannot be written only
    means the next process reverses the dictionary again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as out:
            json.dump(table, out, ensure_ascii=False)
        os.replace(out.name, path)
    except OSError:
        pass


@dataclass(frozen=True)
class RussianDictionaryScorer:
    """A Russian word's English stems (through its lemma) against English stems or CC-CEDICT
    glosses. ``path`` is read on the first Russian text (``dictionary_table``, once a process):
    a run without Russian, or a command that never aligns, does not pay for it."""

    path: Path = field(default=SYSTEM_PATHS[0], compare=False, hash=False)
    source: str = "mueller7"
    name: str = "ru-dictionary"
    weight: float = 1.0
    keys: int = 8
    cognates: float = 0.5  # ru-en: a word the dictionary lacks (a name) keeps its cognate key
    pairwise_only: bool = True
    supersedes: tuple[str, ...] = ("cognates", "dictionary")

    def applies(self, src_lang: str, tgt_lang: str) -> bool:
        codes = {language(src_lang).code, language(tgt_lang).code}
        return codes in ({"ru", "en"}, {"ru", "zh"})

    def prepare(self, lang: str) -> None:
        """Read the dictionary now (a batch worker, before its first document)."""
        if language(lang).code == "ru":
            dictionary_table(self.path, self.keys)

    def items(self, texts: Sequence[str], lang: str, other: str) -> list[list[Item]]:
        code, other_code = language(lang).code, language(other).code
        cognates = self.cognates if "en" in (code, other_code) else 0.0
        if code == "ru":
            self.prepare(code)  # a dictionary that cannot be read fails here, once
            path, keys, weight = self.path, self.keys, self.weight
            return [
                [
                    it
                    for word in _TEXT_WORD.findall(text)
                    if len(word) > 2 and (it := _russian_item(word, path, keys, weight, cognates))
                ]
                for text in texts
            ]
        if code == "zh":
            return [
                [it for word in chinese_words(text, guess=True) if (it := _gloss_item(word, self.weight))]
                for text in texts
            ]
        spelled = cognates > 0
        return [
            [it for word in _LATIN_WORD.findall(text) if (it := _english_item(word, self.weight, spelled))]
            for text in texts
        ]

    def signature(self) -> str:
        return (
            f"ru-dictionary({self.source},keys={self.keys},weight={self.weight:g},"
            f"cognates={self.cognates:g},pairwise,supersedes={'+'.join(self.supersedes)})"
        )


# One item per word, made once: a UN text repeats its words, and the scorer's work was mostly
# building the same frozensets again (cProfile, pairwise runs of the tuning half).
@lru_cache(maxsize=200_000)
def _russian_item(word: str, path: Path, keys: int, weight: float, cognates: float) -> Item | None:
    table, folded = dictionary_table(path, keys), word.lower()
    stems = table.get(ru_lemma(folded)) or table.get(normalize(folded))
    if stems:
        return Item(frozenset(stems), weight)
    key = cognate_key(word, _COGNATE_PREFIX) if cognates else ""
    return Item(frozenset({key}), cognates) if key else None


@lru_cache(maxsize=200_000)
def _gloss_item(word: str, weight: float) -> Item | None:
    keys = cedict_keys(word)
    return Item(frozenset(keys), weight) if keys else None


@lru_cache(maxsize=200_000)
def _english_item(word: str, weight: float, cognates: bool) -> Item | None:
    """An English word's stem, and with ``cognates`` its cognate key in the same item: it meets
    a Russian word through the dictionary or, for a word the dictionary lacks, by its spelling,
    and counts once either way."""
    folded = word.lower()
    if len(folded) <= 2 or folded in STOP_WORDS["en"]:
        return None
    key = cognate_key(word, _COGNATE_PREFIX) if cognates else ""
    return Item(frozenset({stem("en", folded), key} - {""}), weight)


def russian_dictionary_scorer() -> RussianDictionaryScorer | None:
    """The scorer on the system's dictionary, or None when there is none."""
    path = find_dictionary()
    if path is None:
        return None
    return RussianDictionaryScorer(path, source=path.name.split(".")[0])
