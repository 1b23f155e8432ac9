"""The translation memory store: one SQLite file with a full-text index per language.

Two kinds of FTS5 index, both answering a concordance query as a case-insensitive *substring*
search (the same results as a scan, in import order):

* **Words** (languages that separate words: English, Russian, French, …; format 3): the
  ``unicode61`` tokenizer without positions (``detail=none``). The index only narrows the
  segments down — the query's inner words must be whole words of the segment, its first word
  may be the end of a word and its last word the start of one (these are looked up in a
  vocabulary table, ``words_<lang>``, and OR-ed), a single word may be inside one — and every
  candidate is then checked for the query as a substring. About 50 tokens per English+Russian
  unit instead of ~370 trigrams with positions: the import is several times cheaper.
* **Trigrams** (languages written without spaces: Chinese, Japanese): the ``trigram``
  tokenizer, which needs no word segmentation; a phrase query is a substring search. A query
  of two characters (``会议``) is too short to be a trigram: it is answered from the index's
  vocabulary, as every trigram that starts with it (each indexed text ends with ``END_MARK`` so
  that a word at the very end also starts a trigram). One-character queries scan, stopping at
  the result limit.

Layout (``SCHEMA_VERSION`` 3)::

    meta(key, value)                  schema version
    source(id, path, header)          every imported file, its TMX header as JSON (for export)
    tu(id, key, source, first_seg, n_seg, data)
                                      one row per unit; ``key`` is the de-duplication hash of its
                                      (language, text) pairs; ``data`` is everything else of the
                                      unit as JSON (props, notes, dates, markup, attributes), so
                                      an export gives back what was imported
    seg(id, tu, lang, h, text)        one row per variant, ids contiguous per unit; ``h`` is a
                                      64-bit hash of the whitespace-normalised text (100% lookup)
    fts_<lang>(text)                  contentless FTS5 index of the normalised text, rowid =
                                      seg.id: words without positions, or trigrams (+ END_MARK)
    words_<lang>(term)                word-indexed languages: every whitespace-separated word
                                      of the normalised text, lower-cased

Import streams units in batches: one transaction and one ``executemany`` per table per batch,
ids assigned here so that no row has to be read back. A unit whose (language, text) pairs are
already stored is skipped (the first one imported wins).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from tmx.fuzzy import match_percentages, normalize
from tmx.units import TranslationUnit, Variant
from uncore.errors import InputError, UsageError
from uncore.lang import language, script_matches

SCHEMA_VERSION = "3"  # 2: indexed text ends with END_MARK; 3: word index for spaced languages
DEFAULT_BATCH = 5000
MAX_QUERY_CHARS = 2000  # a concordance query or a segment to match; longer is a paste gone wrong
MIN_TRIGRAM_QUERY = 3  # the trigram tokenizer indexes nothing shorter
# Appended to every indexed text (never stored, never in XML text): with it, every occurrence of
# a two-character string is the start of some trigram, even at the end of a segment ("第二次会议"),
# so a two-character query is a prefix look-up in the index's vocabulary.
END_MARK = "\x1f"
PROBE_LIMIT = 100  # rows read per candidate probe in `match`
MAX_PROBES = 8
PROBE_CHARS = 6  # word starts used as probes (trigram-indexed languages)
_WORDS = re.compile(r"\w{3,}")
# A token of the word index: what FTS5's unicode61 tokenizer keeps together (letters and digits;
# the underscore, punctuation and marks separate). A concordance query is split the same way.
_TOKEN = re.compile(r"[^\W_]+")
WORD_TOKENIZER = "unicode61 remove_diacritics 0"
VERIFY_CHUNK = 256  # candidate segments read per round when checking a concordance hit
MAX_INFIX_TERMS = 200  # vocabulary words standing for a query's first or last word, OR-ed
MAX_CANDIDATES = 100  # candidates scored with the edit distance per `match`
_SQL_VARS = 900  # stay below SQLite's host-parameter limit on old builds
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers (the web page) are not blocked by an import
    "PRAGMA synchronous=NORMAL",  # safe with WAL; a crash loses at most the last batch
    "PRAGMA cache_size=-65536",  # 64 MB page cache
    "PRAGMA temp_store=MEMORY",
)


def default_path() -> Path:
    """``$UNTM_TM``, else ``$XDG_DATA_HOME/untm/memory.sqlite`` (``~/.local/share/...``)."""
    env = os.environ.get("UNTM_TM")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "untm" / "memory.sqlite"


@functools.lru_cache(maxsize=256)
def lang_key(tag: str) -> str:
    """The language a variant is filed under: the primary code (``zh-CN`` → ``zh``). Codes untm
    does not know are kept by their (sanitised) primary subtag instead of being refused, so an
    Italian column in an imported TMX survives an export."""
    try:
        return language(tag).code
    except UsageError:
        primary = re.sub(r"[^a-z0-9]", "", tag.split("-", 1)[0].split("_", 1)[0].lower())
        return primary or "und"


@dataclass(frozen=True)
class ImportStats:
    read: int
    added: int
    duplicates: int


@dataclass(frozen=True)
class ConcordanceHit:
    """A unit whose ``lang`` segment contains the query; ``spans`` are (start, end) offsets of the
    query in ``text`` for highlighting."""

    tu_id: int
    lang: str
    text: str
    spans: tuple[tuple[int, int], ...]
    unit: TranslationUnit


@dataclass(frozen=True)
class FuzzyMatch:
    """A stored translation for a segment: ``score`` is the CAT-style percentage (tmx.fuzzy);
    ``context`` is true for a 100% match whose preceding segment is also the same."""

    tu_id: int
    score: int
    context: bool
    source: str
    target: str
    unit: TranslationUnit


def highlight_spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where ``query`` occurs in ``text``, case-insensitively, any run of whitespace in the query
    matching any run in the text (the index is built on whitespace-normalised text)."""
    parts = [re.escape(p) for p in query.split()]
    if not parts:
        return ()
    pattern = re.compile(r"\s+".join(parts), re.IGNORECASE)
    return tuple(m.span() for m in pattern.finditer(text))


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big",
                          signed=True)


def _unit_key(pairs: Iterable[tuple[str, str]]) -> int:
    """The de-duplication key: a 64-bit hash of the unit's sorted (language, normalised text)
    pairs (a collision among a million units has a probability of about 3 in 100 million)."""
    return _hash64("\x1e".join(f"{lang}\x1f{text}" for lang, text in sorted(pairs)))


def _phrase(text: str) -> str:
    """An FTS5 phrase query for a literal substring (double quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


# --- lossless (de)serialisation of everything but the variant texts -------------------------

_DATE_FIELDS = {"creationdate", "changedate", "lastusagedate"}




def _encode(obj: Any, skip: str) -> dict[str, Any]:
    # vars(): the dataclasses are not slotted, and this runs for every unit of an import
    out = {name: value for name, value in vars(obj).items()
           if value is not None and value != () and name != skip}
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


def _unit_json(unit: TranslationUnit) -> str:
    data = _encode(unit, "variants")
    data["v"] = [_encode(v, "text") for v in unit.variants]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _unit_from_json(data: str, texts: Sequence[str]) -> TranslationUnit:
    raw = json.loads(data)
    variants = tuple(Variant(text=text, **_decode_fields(v))
                     for v, text in zip(raw.pop("v"), texts, strict=True))
    return TranslationUnit(variants=variants, **_decode_fields(raw))


class MemoryStore:
    """A translation memory on disk. ``readonly`` opens an existing store only (the web page and
    the look-up commands), reporting a missing or foreign file as ``InputError``."""

    def __init__(self, path: str | Path | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.readonly = readonly
        if readonly:
            if not self.path.is_file():
                raise InputError("no translation memory here; create one with `untm tm import FILE.tmx`",
                                 path=self.path)
            uri = "file:" + self.path.resolve().as_posix() + "?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
        try:
            self._prepare()
        except sqlite3.DatabaseError as error:
            self.conn.close()
            raise InputError(f"not an untm translation memory ({error})", path=self.path) from None

    # -- set-up ------------------------------------------------------------------------------

    def _prepare(self) -> None:
        conn = self.conn
        if not self.readonly:
            for pragma in _PRAGMAS:
                conn.execute(pragma)
            with conn:
                conn.executescript(
                    """
                    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
                    CREATE TABLE IF NOT EXISTS source(id INTEGER PRIMARY KEY, path TEXT, header TEXT);
                    CREATE TABLE IF NOT EXISTS tu(id INTEGER PRIMARY KEY, key INTEGER NOT NULL UNIQUE,
                        source INTEGER, first_seg INTEGER NOT NULL, n_seg INTEGER NOT NULL,
                        data TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS seg(id INTEGER PRIMARY KEY, tu INTEGER NOT NULL,
                        lang TEXT NOT NULL, h INTEGER NOT NULL, text TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS seg_h ON seg(h);
                    """
                )
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        else:
            conn.execute("PRAGMA cache_size=-65536")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            raise sqlite3.DatabaseError("no untm schema")
        if row[0] != SCHEMA_VERSION:
            self.conn.close()
            raise InputError(f"memory in format {row[0]}, this untm reads format {SCHEMA_VERSION}: "
                             "export it with the untm that made it and import it again", path=self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- facts -------------------------------------------------------------------------------

    def languages(self) -> list[str]:
        """The languages that have an index, in code order."""
        return list(self._indexes())

    def _indexes(self) -> dict[str, bool]:
        """Every indexed language → whether its index is the word index (else trigrams)."""
        rows = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name GLOB 'fts_*' "
            "AND name NOT GLOB 'fts_*_*' ORDER BY name").fetchall()
        return {name[4:]: "trigram" not in sql for name, sql in rows}

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM tu").fetchone()[0])

    def header(self) -> dict[str, Any]:
        """The TMX header of the first imported file that had one (``{}`` if none), for export."""
        row = self.conn.execute(
            "SELECT header FROM source WHERE header IS NOT NULL ORDER BY id LIMIT 1").fetchone()
        return json.loads(row[0]) if row else {}

    # -- import ------------------------------------------------------------------------------

    def _ensure_index(self, key: str) -> None:
        if _word_language(key):
            self.conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS fts_{key} USING fts5(text, "
                f"tokenize='{WORD_TOKENIZER}', content='', columnsize=0, detail=none)")
            self.conn.execute(f"CREATE TABLE IF NOT EXISTS words_{key}(term TEXT PRIMARY KEY) WITHOUT ROWID")
        else:
            self.conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS fts_{key} USING fts5(text, tokenize='trigram', "
                "content='', columnsize=0)")

    def import_units(self, units: Iterable[TranslationUnit], *, origin: str | None = None,
                     header: dict[str, Any] | None = None, batch_size: int = DEFAULT_BATCH) -> ImportStats:
        """Add ``units`` (any iterable, consumed lazily) in batches of ``batch_size``; duplicates
        of stored units, or of units earlier in the same stream, are counted and skipped."""
        if self.readonly:
            raise UsageError("this memory was opened read-only", path=self.path)
        conn = self.conn
        with conn:
            source_id = conn.execute("INSERT INTO source(path, header) VALUES (?, ?)",
                                     (origin, json.dumps(header, ensure_ascii=False) if header else None)
                                     ).lastrowid
        next_tu = int(conn.execute("SELECT coalesce(max(id), 0) FROM tu").fetchone()[0]) + 1
        next_seg = int(conn.execute("SELECT coalesce(max(id), 0) FROM seg").fetchone()[0]) + 1
        indexed = self._indexes()
        known_words: dict[str, set[str]] = {}  # written to words_<lang> during this import
        read = added = 0
        iterator = iter(units)
        # Parsing and hashing the next batch (Python) overlaps with SQLite indexing this one (C code
        # that releases the GIL): on two cores the import runs about as fast as the slower half.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(_next_batch, iterator, batch_size)
            while True:
                count, prepared, vocabulary = pending.result()
                if count == 0:
                    break
                pending = pool.submit(_next_batch, iterator, batch_size)
                read += count
                keys = list(prepared)
                for start in range(0, len(keys), _SQL_VARS):
                    chunk = keys[start:start + _SQL_VARS]
                    marks = ",".join("?" * len(chunk))
                    for (found,) in conn.execute(f"SELECT key FROM tu WHERE key IN ({marks})", chunk):
                        prepared.pop(found, None)
                tu_rows: list[tuple[Any, ...]] = []
                seg_rows: list[tuple[Any, ...]] = []
                fts_rows: dict[str, list[tuple[int, str]]] = {}
                for key, (data, segments) in prepared.items():
                    tu_rows.append((next_tu, key, source_id, next_seg, len(segments), data))
                    for lang, digest, original, text in segments:
                        seg_rows.append((next_seg, next_tu, lang, digest, original))
                        fts_rows.setdefault(lang, []).append(
                            (next_seg, text if _word_language(lang) else text + END_MARK))
                        next_seg += 1
                    next_tu += 1
                with conn:
                    for lang in fts_rows.keys() - indexed.keys():
                        self._ensure_index(lang)
                        indexed[lang] = _word_language(lang)
                    conn.executemany("INSERT INTO tu VALUES (?, ?, ?, ?, ?, ?)", tu_rows)
                    conn.executemany("INSERT INTO seg VALUES (?, ?, ?, ?, ?)", seg_rows)
                    for lang, rows in fts_rows.items():
                        conn.executemany(f"INSERT INTO fts_{lang}(rowid, text) VALUES (?, ?)", rows)
                        if indexed[lang]:
                            known = known_words.setdefault(lang, set())
                            new = vocabulary.get(lang, set()) - known
                            known |= new
                            conn.executemany(f"INSERT OR IGNORE INTO words_{lang} VALUES (?)",
                                             ((term,) for term in new))
                added += len(tu_rows)
        if added and added * 10 >= len(self):
            self.optimize()
        return ImportStats(read=read, added=added, duplicates=read - added)

    def optimize(self) -> None:
        """Merge each full-text index into one b-tree (FTS5 ``optimize``). A bulk import leaves
        dozens of index segments that every query has to merge; one segment made ``match`` about
        1.5× faster at 300,000 units. ``import_units`` calls this when an import at least a tenth
        the size of the memory finished (rewriting a big index for a small import is not worth it)."""
        with self.conn:
            for key in self.languages():
                self.conn.execute(f"INSERT INTO fts_{key}(fts_{key}) VALUES ('optimize')")

    # -- read back ---------------------------------------------------------------------------

    def units(self, tu_ids: Iterable[int]) -> dict[int, TranslationUnit]:
        """The stored units with these ids."""
        ids = list(dict.fromkeys(tu_ids))
        result: dict[int, TranslationUnit] = {}
        for start in range(0, len(ids), _SQL_VARS):
            chunk = ids[start:start + _SQL_VARS]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT tu.id, tu.data, seg.text FROM tu JOIN seg ON seg.id BETWEEN tu.first_seg "
                f"AND tu.first_seg + tu.n_seg - 1 WHERE tu.id IN ({marks}) ORDER BY tu.id, seg.id",
                chunk).fetchall()
            result.update(_group_units(rows))
        return result

    def export_units(self) -> Iterator[TranslationUnit]:
        """Every stored unit in import order, streaming."""
        cursor = self.conn.execute(
            "SELECT tu.id, tu.data, seg.text FROM seg CROSS JOIN tu ON tu.id = seg.tu ORDER BY seg.id")
        for _tu_id, unit in _group_units(cursor):
            yield unit

    # -- concordance -------------------------------------------------------------------------

    def search(self, query: str, lang: str | None = None, limit: int = 50) -> list[ConcordanceHit]:
        """Units whose ``lang`` segment contains ``query`` (every language when ``lang`` is None),
        in import order, at most ``limit``."""
        text = _checked_query(query, "search query")
        present = self.languages()
        langs = [lang_key(lang)] if lang else [key for key in present if _may_contain(key, text)]
        found: list[tuple[int, int, str, str]] = []  # seg id, tu id, lang, text
        for key in langs:
            if key not in present or len(found) >= limit:
                continue
            found.extend(self._contains(key, text, limit - len(found)))
        units = self.units(tu for _, tu, _, _ in found)
        return [ConcordanceHit(tu, key, seg_text, highlight_spans(seg_text, text), units[tu])
                for _, tu, key, seg_text in found]

    def _contains(self, key: str, text: str, limit: int) -> list[tuple[int, int, str, str]]:
        if self._indexes().get(key):
            return self._contains_words(key, text, limit)
        if len(text) >= MIN_TRIGRAM_QUERY:
            expression = _phrase(text)
        elif len(text) == MIN_TRIGRAM_QUERY - 1:
            # Two characters (会议, 韩国): every indexed trigram that starts with them, from the
            # index's own vocabulary (a range look-up), OR-ed together.
            vocab = f"temp.vocab_{key}"
            self.conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} "
                              f"USING fts5vocab(main, fts_{key}, row)")
            start = text.lower()
            terms = [t for (t,) in self.conn.execute(
                f"SELECT term FROM {vocab} WHERE term >= ? AND term < ?", (start, start + "\U0010ffff"))]
            if not terms:
                return []
            expression = " OR ".join(_phrase(t) for t in terms)
        else:
            # One character: no index can help; scan this language's segments up to `limit`.
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            return [(sid, tu, key, seg_text) for sid, tu, seg_text in self.conn.execute(
                "SELECT id, tu, text FROM seg NOT INDEXED WHERE lang = ? AND text LIKE ? ESCAPE '\\' "
                "LIMIT ?", (key, pattern, limit))]
        ids = [r[0] for r in self.conn.execute(
            f"SELECT rowid FROM fts_{key} WHERE fts_{key} MATCH ? LIMIT ?", (expression, limit))]
        return self._segments(ids)

    def _contains_words(self, key: str, text: str, limit: int) -> list[tuple[int, int, str, str]]:
        """Concordance in a word index: the candidates the index gives (``_word_expression``),
        or every segment of the language when it cannot narrow the search down, each checked
        for the query as a substring — so the result is that of a substring search."""
        expression = self._word_expression(key, text)
        if expression == "":
            return []
        needle = text.lower()
        if expression is not None:
            try:
                return _first_containing(needle, limit, self._candidates(key, expression))
            except sqlite3.OperationalError:  # a word SQLite's Unicode tables split differently
                pass
        scan = self.conn.execute("SELECT id, tu, lang, text FROM seg WHERE lang = ?", (key,))
        return _first_containing(needle, limit, iter(lambda: scan.fetchmany(VERIFY_CHUNK), []))

    def _candidates(self, key: str, expression: str) -> Iterator[list[tuple[int, int, str, str]]]:
        """The segments an FTS5 query hits, in id order, ``VERIFY_CHUNK`` at a time."""
        cursor = self.conn.execute(f"SELECT rowid FROM fts_{key} WHERE fts_{key} MATCH ?", (expression,))
        while ids := cursor.fetchmany(VERIFY_CHUNK):
            yield self._segments([i for (i,) in ids])

    def _word_expression(self, key: str, text: str) -> str | None:
        """The FTS5 query whose hits are a superset of the segments containing ``text``. Its
        inner words must be whole words of the segment; its first word may be the end of a word
        and its last word the start of one (a single word: any part of one), so these stand for
        the words of the vocabulary that end, start with or contain them, OR-ed — or for nothing
        when they are so common that the condition would cost more than it saves.
        ``None``: the index cannot narrow this down (read everything); ``""``: nothing can match."""
        words = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
        conditions = []
        for start, end, word in words:
            at_start, at_end = start == 0, end == len(text)
            if not (at_start or at_end):
                conditions.append(_phrase(word))
                continue
            terms = self._vocabulary(key, word, at_start, at_end)
            if terms is None:
                continue
            if not terms:
                return ""
            conditions.append("(" + " OR ".join(_phrase(term) for term in terms) + ")")
        return " AND ".join(conditions) if conditions else None

    def _vocabulary(self, key: str, part: str, suffix: bool, prefix: bool) -> list[str] | None:
        """The indexed words that end with ``part`` (``suffix``), start with it (``prefix``) or
        contain it (both); ``None`` if there are more than ``MAX_INFIX_TERMS``."""
        rows = self.conn.execute(f"SELECT term FROM words_{key} WHERE instr(term, ?) LIMIT ?",
                                 (part, MAX_INFIX_TERMS + 1)).fetchall()
        if len(rows) > MAX_INFIX_TERMS:
            return None
        terms = {token for (entry,) in rows for token in _TOKEN.findall(entry) if part in token}
        if not prefix:
            terms = {t for t in terms if t.endswith(part)}
        elif not suffix:
            terms = {t for t in terms if t.startswith(part)}
        return sorted(terms)

    def _segments(self, seg_ids: Sequence[int]) -> list[tuple[int, int, str, str]]:
        rows: dict[int, tuple[int, int, str, str]] = {}
        for start in range(0, len(seg_ids), _SQL_VARS):
            chunk = list(seg_ids[start:start + _SQL_VARS])
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT id, tu, lang, text FROM seg WHERE id IN ({marks})", chunk):
                rows[row[0]] = row
        return [rows[i] for i in seg_ids if i in rows]

    # -- fuzzy matches -----------------------------------------------------------------------

    def match(self, segment: str, source: str, target: str, minimum: int = 70, limit: int = 10,
              context: str | None = None) -> list[FuzzyMatch]:
        """Stored translations into ``target`` for a ``source`` segment, best first: exact-context
        matches, then by match percentage (tmx.fuzzy), keeping those ≥ ``minimum``.

        Candidates come from the index, not a scan: the 100% hash look-up, plus up to
        ``MAX_PROBES`` substrings of the segment (the starts of its longest words; character
        4-grams for languages without spaces) each read ``PROBE_LIMIT`` rows deep; the units hit by most
        probes are then scored exactly. ``context`` is the preceding source segment: a 100% match
        whose unit has the same predecessor (its ``prev``/``x-context-pre`` prop, else the unit
        imported just before it from the same file) ranks first, like a CAT tool's context match.
        """
        text = _checked_query(segment, "segment")
        if not 0 <= minimum <= 100:
            raise UsageError(f"--min must be between 0 and 100, not {minimum}")
        src, tgt = lang_key(source), lang_key(target)
        if src not in self.languages():
            return []
        hits: Counter[int] = Counter()
        for (seg_id,) in self.conn.execute("SELECT id FROM seg WHERE h = ? AND lang = ?",
                                           (_hash64(text), src)):
            hits[seg_id] += MAX_PROBES + 1
        word_index = self._indexes()[src]
        for probe in (_word_probes(text) if word_index else _probes(text, src)):
            try:
                for (seg_id,) in self.conn.execute(
                        f"SELECT rowid FROM fts_{src} WHERE fts_{src} MATCH ? LIMIT ?",
                        (probe if word_index else _phrase(probe), PROBE_LIMIT)):
                    hits[seg_id] += 1
            except sqlite3.OperationalError:  # a word SQLite's Unicode tables split differently
                continue
        candidates = self._segments([seg_id for seg_id, _ in hits.most_common(MAX_CANDIDATES)])
        scores = match_percentages(text, [seg_text for _, _, _, seg_text in candidates], src)
        scored = [(score, tu, seg_text)
                  for score, (_, tu, _, seg_text) in zip(scores, candidates, strict=True)]
        scored = [s for s in scored if s[0] >= minimum]
        units = self.units(tu for _, tu, _ in scored)
        wanted_context = normalize(context) if context else None
        results: list[FuzzyMatch] = []
        for score, tu, seg_text in scored:
            unit = units[tu]
            translation = unit.text(tgt)
            if translation is None or src == tgt:
                continue
            in_context = bool(wanted_context and score == 100
                              and self._context_of(tu, unit, src) == wanted_context)
            results.append(FuzzyMatch(tu, score, in_context, seg_text, translation, unit))
        results.sort(key=lambda m: (not m.context, -m.score, m.tu_id))
        return results[:limit]

    def _context_of(self, tu_id: int, unit: TranslationUnit, src: str) -> str | None:
        for name in ("x-context-pre", "prev"):
            value = unit.prop(name)
            if value is not None:
                return normalize(value)
        row = self.conn.execute(
            "SELECT seg.text FROM tu AS cur JOIN tu AS prev ON prev.id = cur.id - 1 "
            "AND prev.source = cur.source JOIN seg ON seg.tu = prev.id AND seg.lang = ? "
            "AND seg.id BETWEEN prev.first_seg AND prev.first_seg + prev.n_seg - 1 "
            "WHERE cur.id = ?", (src, tu_id)).fetchone()
        return normalize(row[0]) if row else None


_Prepared = dict[int, tuple[str, list[tuple[str, int, str, str]]]]


@functools.lru_cache(maxsize=256)
def _word_language(key: str) -> bool:
    """Whether ``key`` gets the word index (languages that separate words with spaces, and
    languages uncore.lang does not know) rather than the trigram index (Chinese, Japanese)."""
    try:
        return language(key).joins_words
    except UsageError:
        return True


def _word_probes(text: str) -> list[str]:
    """Match probes for a word index: the segment's longest words, each a whole-word query."""
    words = sorted(dict.fromkeys(w.lower() for w in _TOKEN.findall(text) if len(w) >= 3),
                   key=len, reverse=True)
    return [_phrase(word) for word in words[:MAX_PROBES]]


def _next_batch(units: Iterator[TranslationUnit],
                size: int) -> tuple[int, _Prepared, dict[str, set[str]]]:
    """Read up to ``size`` units and compute everything about them that needs no database: the
    de-duplication key, the JSON of the unit, per segment (language, hash, text as imported,
    normalised text for the index), and the words of the word-indexed languages (their
    vocabulary, for one-word concordance queries that may sit inside a word). Units repeated
    within the batch are dropped here."""
    prepared: _Prepared = {}
    texts: dict[str, list[str]] = {}
    count = 0
    for unit in islice(units, size):
        count += 1
        segments = []
        for variant in unit.variants:
            text = normalize(variant.text)
            segments.append((lang_key(variant.lang), _hash64(text), variant.text, text))
        key = _unit_key((lang, text) for lang, _, _, text in segments)
        if key not in prepared:
            prepared[key] = (_unit_json(unit), segments)
            for lang, _, _, text in segments:
                texts.setdefault(lang, []).append(text)
    # Whitespace-separated words, punctuation attached ("Council,", "A/72/1"): cheap to collect;
    # a query reads the tokens out of them (_contains_words).
    vocabulary = {lang: set(" ".join(group).lower().split())
                  for lang, group in texts.items() if _word_language(lang)}
    return count, prepared, vocabulary


def _first_containing(needle: str, limit: int, chunks: Iterable[Sequence[tuple[int, int, str, str]]]
                      ) -> list[tuple[int, int, str, str]]:
    """The first ``limit`` segment rows whose whitespace-normalised, lower-cased text contains
    ``needle``, reading ``chunks`` only as far as needed."""
    found: list[tuple[int, int, str, str]] = []
    for rows in chunks:
        found.extend(row for row in rows if needle in normalize(row[3]).lower())
        if len(found) >= limit:
            break
    return found[:limit]


def _may_contain(key: str, text: str) -> bool:
    """Whether a ``key`` segment can contain ``text``: a Chinese query is not looked for in the
    English index (which would cost a scan for a two-character query)."""
    try:
        return script_matches(key, text)
    except UsageError:
        return True


def _checked_query(query: str, what: str) -> str:
    text = normalize(query or "")
    if not text:
        raise UsageError(f"empty {what}")
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"{what} too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    return text


def _probes(text: str, lang: str) -> list[str]:
    """Substrings of ``text`` likely to be rare in the memory, to find candidate matches: the
    first ``PROBE_CHARS`` characters of its longest words (a stem, so Russian inflection does not
    hide a match), or evenly spaced four-character windows for languages written without spaces.

    Measured at 300,000 units: whole words as probes cost 3–4× more at p95 than their 6-character
    starts, with the same recall (FTS5 reads the doclists of every trigram of a phrase until it
    has ``PROBE_LIMIT`` rows; a long, rare word has many trigrams to read far into), and pairs of
    words were slower still."""
    try:
        joins_words = language(lang).joins_words
    except UsageError:
        joins_words = True
    if joins_words:
        words = list(dict.fromkeys(_WORDS.findall(text)))
        if words:
            words.sort(key=len, reverse=True)
            return list(dict.fromkeys(word[:PROBE_CHARS] for word in words))[:MAX_PROBES]
    width = 4
    if len(text) < MIN_TRIGRAM_QUERY:
        return []
    if len(text) <= width:
        return [text]
    count = min(MAX_PROBES, len(text) - width + 1)
    step = (len(text) - width) / max(1, count - 1)
    return list(dict.fromkeys(text[round(i * step):round(i * step) + width] for i in range(count)))


def _group_units(rows: Iterable[tuple[int, str, str]]) -> Iterator[tuple[int, TranslationUnit]]:
    current: int | None = None
    data = ""
    texts: list[str] = []
    for tu_id, tu_data, text in rows:
        if tu_id != current:
            if current is not None:
                yield current, _unit_from_json(data, texts)
            current, data, texts = tu_id, tu_data, []
        texts.append(text)
    if current is not None:
        yield current, _unit_from_json(data, texts)
