"""What the memory store writes for a unit, computed without the database (pure functions).

``prepare_batch`` turns translation units into the rows of ``tmx.store`` (store format 4): the
de-duplication key, the unit's stored form (``encode_unit``: one row per unit), and per language
the normalised text its full-text index gets (``Batch.index_rows`` makes the index text). It
runs in a second thread or process during an import (``tmx.store.importer``) while SQLite indexes
the previous batch, so everything here is plain Python on strings.

Both indexes use SQLite's ``ascii`` tokenizer on text lower-cased here: a token is a run of ASCII
letters and digits and of any non-ASCII characters (``TOKEN``). It is measured cheaper than
``unicode61`` (no Unicode case folding or category look-ups in SQLite), and what it keeps
together is easy to say in a regular expression, so a query is split exactly like the index.

* Languages that separate words: the lower-cased text as it is (tokens = words, non-ASCII
  punctuation attached: ``«организации»``), indexed without positions.
* Chinese, Japanese: the lower-cased characters separated by spaces (every non-ASCII character
  and every ASCII letter or digit is a token), indexed with positions: a substring is a phrase of
  characters, of any length — about 47 tokens per Chinese segment from a few thousand distinct
  characters, several times cheaper to index than the trigram tokenizer.

Every indexed text ends with ``exact_token(text)``, a hash of the whitespace-normalised segment
written as one token: a 100% match is one index look-up, with no hash column or b-tree of
its own.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from tmx.units import UNIT_DEFAULTS, VARIANT_DEFAULTS, TranslationUnit, Variant
from uncore.errors import UsageError
from uncore.lang import language, tag_code

# One token of the ascii tokenizer in lower-cased text: ASCII letters/digits and non-ASCII
# characters (SQLite: "all non-ASCII characters are always considered token characters").
TOKEN = re.compile(r"[0-9a-z\u0080-\U0010ffff]+")
# A title-case letter: str.lower() maps it to "ǆ" and never outputs it. Exact tokens sort between
# EXACT_MARK and EXACT_END, a range the vocabulary scan of an index skips.
EXACT_MARK, EXACT_END = "\u01c5", "\u01c6"


@functools.lru_cache(maxsize=256)
def lang_key(tag: str) -> str:
    """The language a variant is filed under: the primary code (``zh-CN`` → ``zh``), by the one
    rule for tags (``uncore.lang.tag_code``): a language untm does not know is kept by its primary
    subtag, so an Italian column in an imported TMX survives an export; a tag that is not BCP 47
    is refused."""
    return tag_code(tag)


@functools.lru_cache(maxsize=256)
def word_language(key: str) -> bool:
    """Whether ``key`` gets the word index (languages that separate words with spaces, and
    languages uncore.lang does not know) rather than the character index (Chinese, Japanese)."""
    try:
        return language(key).joins_words
    except UsageError:
        return True


def hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def exact_token(text: str) -> str:
    """The index token standing for the whole normalised segment ``text`` (100% look-up): a
    CRC-32 — another segment with the same token is one more candidate to score, no error —
    after ``EXACT_MARK``, which no lower-cased text contains, so no word is ever taken for one."""
    return f"{EXACT_MARK}{zlib.crc32(text.encode('utf-8')):08x}"


def index_text(text: str, words: bool) -> str:
    """What a full-text index gets for the normalised segment ``text``: the text lower-cased
    (for the character index, ``words`` false, its characters spaced out), then its
    ``exact_token``."""
    low = text.lower()
    return f"{low if words else ' '.join(low)} {exact_token(text)}"


def char_tokens(text: str) -> list[str]:
    """The tokens of the character index in ``text`` (lower-cased): its characters, without
    whitespace and ASCII punctuation, which the ascii tokenizer drops."""
    return [ch for ch in text if ch > "\x7f" or ch.isalnum()]


# --- lossless (de)serialisation --------------------------------------------------------------
#
# A unit is stored as two columns: ``body``, its variants' language tags then their texts as
# imported, joined by SEP (NULL if one of them contains SEP, which TMX cannot hold), and
# ``data``, the JSON of everything else (props, notes, dates, markup, attributes; "t" = the
# texts when ``body`` is NULL), NULL for a unit that has nothing else. Most units have nothing
# else: for them an import writes no JSON at all (json.dumps of three Cyrillic/Chinese texts
# costs ~4 µs; the join, 0.15 µs).

SEP = "\x1e"
Record = tuple[str | None, str | None]  # (body, data)
_DATE_FIELDS = {"creationdate", "changedate", "lastusagedate"}
# attrgetter + tuple comparison run in C; getattr also finds a default that a unit built by
# tmx.units.assemble leaves on the class
_UNIT_META = operator.attrgetter(*UNIT_DEFAULTS)
_PLAIN_UNIT = tuple(UNIT_DEFAULTS.values())
_VARIANT_META = operator.attrgetter(*VARIANT_DEFAULTS)
_PLAIN_VARIANT = tuple(VARIANT_DEFAULTS.values())


def _encode(obj: Any, skip: str) -> dict[str, Any]:
    out = {
        name: value for name, value in vars(obj).items() if value is not None and value != () and name != skip
    }
    for name in _DATE_FIELDS.intersection(out):
        out[name] = out[name].isoformat()
    return out


def _decode_fields(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name in _DATE_FIELDS:
            out[name] = datetime.fromisoformat(value)
        elif isinstance(value, list):
            out[name] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        else:
            out[name] = value
    return out


def encode_unit(unit: TranslationUnit) -> Record:
    """The stored form of ``unit`` (see above); ``decode_unit`` gives it back unchanged."""
    variants = unit.variants
    parts = [v.lang for v in variants] + [v.text for v in variants]
    body: str | None = SEP.join(parts)
    if parts and body.count(SEP) != len(parts) - 1:  # type: ignore[union-attr]
        body = None
    if (
        body is not None
        and (len(vars(unit)) == 1 or _UNIT_META(unit) == _PLAIN_UNIT)
        and all([len(vars(v)) == 2 or _VARIANT_META(v) == _PLAIN_VARIANT for v in variants])
    ):
        return body, None
    data = _encode(unit, "variants")
    data["v"] = [_encode(v, "text") for v in variants]
    if body is None:
        data["t"] = [v.text for v in variants]
    return body, json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _tags_and_texts(record: Record) -> tuple[list[str], list[str], dict[str, Any] | None]:
    body, data = record
    raw = json.loads(data) if data is not None else None
    if body is None:
        assert raw is not None
        return [v["lang"] for v in raw["v"]], raw.pop("t"), raw
    if not body:
        return [], [], raw
    parts = body.split(SEP)
    half = len(parts) // 2
    return parts[:half], parts[half:], raw


def decode_unit(record: Record) -> TranslationUnit:
    tags, texts, raw = _tags_and_texts(record)
    if raw is None:
        return TranslationUnit(
            variants=tuple(Variant(lang=tag, text=text) for tag, text in zip(tags, texts, strict=True))
        )
    variants = tuple(
        Variant(text=text, **_decode_fields(v)) for v, text in zip(raw.pop("v"), texts, strict=True)
    )
    return TranslationUnit(variants=variants, **_decode_fields(raw))


def texts_in(record: Record, key: str) -> list[str]:
    """The texts (as imported) of the ``key`` variants of a stored unit."""
    tags, texts, _ = _tags_and_texts(record)
    return [text for tag, text in zip(tags, texts, strict=True) if lang_key(tag) == key]


# --- import batches --------------------------------------------------------------------------


@dataclass
class Batch:
    """The rows of up to ``size`` units read (``prepare_batch``), ready to insert. Units are
    numbered from 0 within the batch (``offset``); the importer adds the id of the first."""

    read: int  # units read, repeats included
    units: list[tuple[int, int, str | None, str | None]]  # (offset, key, body, data)
    index: dict[str, list[tuple[int, str]]]  # language → (offset, normalised text): index_text
    vocabulary: dict[str, set[str]] | None  # word-indexed language → words; None: not collected
    # language → (offset, index text as is) for the units with two variants in one language
    ready: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    extra: Any = None  # what a store's own preparation made of it (importer's ``finish``)

    def index_rows(self, lang: str, words: bool) -> list[tuple[int, str]]:
        """The ``lang`` index rows of the batch, in offset order; ``words``: a word index (else
        the characters spaced out).
        The index texts are made here, by the process that inserts them: with a reading
        process, that evens the two halves' work out (~0.6 s per 100,000 units moved)."""
        rows = [(offset, index_text(text, words)) for offset, text in self.index.get(lang, ())]
        if lang in self.ready:
            rows = sorted(rows + self.ready[lang])
        return rows

    def drop(self, offsets: set[int]) -> None:
        """Leave out these units (already stored)."""
        self.units = [row for row in self.units if row[0] not in offsets]
        for rows in (*self.index.values(), *self.ready.values()):
            rows[:] = [row for row in rows if row[0] not in offsets]


def prepare_batch(units: Iterator[TranslationUnit], size: int, vocabulary: bool = True) -> Batch:
    """Read up to ``size`` units and compute their rows: the de-duplication key (a 64-bit hash of
    the sorted (language, normalised text) pairs; a collision among a million units has a
    probability of about 3 in 100 million), the stored unit, the index text per language (two
    variants in one language share one index row), and per word-indexed language the batch's
    vocabulary if ``vocabulary`` (whitespace-separated lower-cased words, punctuation attached,
    for concordance queries that begin or end inside a word; a big import reads it from the
    index at the end instead: ~1 s per 100,000 units saved). Repeats within the batch are
    dropped."""
    rows: list[tuple[int, int, str | None, str | None]] = []
    index: dict[str, list[tuple[int, str]]] = {}
    ready: dict[str, list[tuple[int, str]]] = {}
    seen: set[int] = set()
    lowered: dict[str, list[str]] = {}
    languages: dict[str, tuple[str, bool]] = {}  # tag → (language, word-indexed)
    count = 0
    # the loop runs once per unit of an import: names bound locally, one pass per variant
    join, sep, encode = " ".join, SEP, encode_unit
    collect = vocabulary
    for unit in islice(units, size):
        count += 1
        pairs: list[str] = []
        indexed: list[tuple[str, str]] = []  # (language, normalised text)
        for variant in unit.variants:
            tag = variant.lang
            kind = languages.get(tag)
            if kind is None:
                kind = languages[tag] = (lang_key(tag), word_language(lang_key(tag)))
            lang, spaced = kind
            text = join(variant.text.split())
            pairs.append(f"{lang}\x1f{text}")
            if spaced and collect:
                lowered.setdefault(lang, []).append(text.lower())
            indexed.append((lang, text))
        pairs.sort()
        key = hash64(sep.join(pairs))
        if key in seen:
            continue
        seen.add(key)
        offset = len(rows)
        if len(indexed) > 1 and len({lang for lang, _ in indexed}) < len(indexed):
            for lang, text in _merged(indexed, languages):
                ready.setdefault(lang, []).append((offset, text))
        else:
            for lang, text in indexed:
                index.setdefault(lang, []).append((offset, text))
        rows.append((offset, key, *encode(unit)))
    # Whitespace-separated words, punctuation attached ("council,", "a/72/1"): cheap to collect;
    # a query reads the tokens out of them.
    words = {lang: set(" ".join(group).split()) for lang, group in lowered.items()} if collect else None
    return Batch(count, rows, index, words, ready)


def _merged(
    texts: Sequence[tuple[str, str]], languages: dict[str, tuple[str, bool]]
) -> list[tuple[str, str]]:
    """One index text per language for a unit with two variants in one language: indexed
    together (a phrase across the seam is a false candidate, which the substring check removes),
    each with its own exact-match token."""
    spaced = {lang: words for lang, words in languages.values()}
    merged: dict[str, list[str]] = {}
    for lang, text in texts:
        merged.setdefault(lang, []).append(index_text(text, spaced[lang]))
    return [(lang, " \n ".join(parts)) for lang, parts in merged.items()]
