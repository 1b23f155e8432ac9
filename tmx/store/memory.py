"""The translation memory store: one SQLite file, one row per unit, a full-text index per language.

Both kinds of FTS5 index answer a concordance query as a case-insensitive *substring* search
(the same results as a scan, in import order): the index narrows the units down, and every
candidate is checked for the query as a substring. Both use the ``ascii`` tokenizer on text
lower-cased by untm (``tmx.store.rows``):

* **Words** (languages that separate words: English, Russian, French, …): the text's words,
  without positions (``detail=none``). The query's inner words must be whole words of the
  segment; its first word may be the end of a word and its last word the start of one (a single
  word: any part of one) — these are looked up in a vocabulary table, ``words_<lang>``, and OR-ed.
* **Characters** (languages written without spaces: Chinese, Japanese): the text's characters as
  tokens, with positions; a query of any length is a phrase of its characters.

Layout (``SCHEMA_VERSION`` 4)::

    meta(key, value)                  schema version
    source(id, path, header)          every imported file, its TMX header as JSON (for export)
    tu(id, key, source, body, data)   one row per unit; ``key`` is the de-duplication hash of its
                                      (language, normalised text) pairs; ``body`` its language
                                      tags and texts as imported, ``data`` the JSON of everything
                                      else (props, notes, dates, markup, attributes; NULL if none),
                                      so an export gives back what was imported (tmx.store.rows)
    fts_<lang>(text)                  contentless FTS5 index, rowid = tu.id: the lower-cased,
                                      whitespace-normalised text (characters spaced out for zh/ja)
                                      + one token standing for the whole segment (100% look-up)
    words_<lang>(term)                word-indexed languages: every whitespace-separated word
                                      of the normalised text, lower-cased
    parts_<lang>(term)                the same words in an FTS5 trigram index, filled by a
                                      trigger on words_<lang>: which words contain a part of
                                      three characters or more, without reading them all
                                      (memories made before it get it at their next
                                      read-write open; until then, and for shorter parts,
                                      the words are scanned)

Import streams units in batches: one transaction and one ``executemany`` per table per batch,
ids assigned here so that no row has to be read back. A unit whose (language, text) pairs are
already stored is skipped (the first one imported wins).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tmx.fuzzy import match_percentages, normalize
from tmx.store.importer import Finish, Reader, process_batches, threaded_batches
from tmx.store.inflection import inflected, lemma_spans, query_forms
from tmx.store.rows import (
    EXACT_END,
    EXACT_MARK,
    TOKEN,
    Batch,
    Record,
    char_tokens,
    decode_unit,
    exact_token,
    lang_key,
    texts_in,
    word_language,
)
from tmx.units import TranslationUnit
from uncore.errors import InputError, UsageError
from uncore.lang import script_matches

SCHEMA_VERSION = "4"  # 2: END_MARK; 3: word index for spaced languages; 4: one row per unit, ascii
DEFAULT_BATCH = 5000
MAX_QUERY_CHARS = 2000  # a concordance query or a segment to match; longer is a paste gone wrong
PROBE_LIMIT = 100  # rows read per candidate probe in `match`
MAX_PROBES = 8
PROBE_WIDTH = 4  # characters per probe in the character index
CHAR_PROBES = 6  # probes per segment in the character index
_LETTERS = re.compile(r"[^\W\d_]+")  # runs of letters (汉字 are letters; digits, punctuation not)
WORD_INDEX = "tokenize='ascii', content='', columnsize=0, detail=none"
CHAR_INDEX = "tokenize='ascii', content='', columnsize=0"
PART_INDEX = "tokenize='trigram case_sensitive 1'"  # the words are lower-cased already
PART_CHARS = 3  # the trigram index answers parts of at least this many characters
VERIFY_CHUNK = 256  # candidate units read per round when checking a concordance hit
FIRST_CHUNK = 64  # … in the first round (most queries need no more), growing 4× a round to this
MAX_INFIX_TERMS = 200  # vocabulary words standing for a query's first or last word, OR-ed
MAX_CANDIDATES = 100  # candidates scored with the edit distance per `match`
_SQL_VARS = 900  # stay below SQLite's host-parameter limit on old builds
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers (the web page) are not blocked by an import
    "PRAGMA synchronous=NORMAL",  # safe with WAL; a crash loses at most the last batch
    "PRAGMA cache_size=-65536",  # 64 MB page cache
    "PRAGMA temp_store=MEMORY",
)

_KEY_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS tu_key ON tu(key)"
_Row = tuple[int, str, Record]  # tu id, text of the language asked for (as imported), the unit


def default_path() -> Path:
    """``$UNTM_TM``, else ``$XDG_DATA_HOME/untm/memory.sqlite`` (``~/.local/share/...``)."""
    env = os.environ.get("UNTM_TM")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "untm" / "memory.sqlite"


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


def _phrase(text: str) -> str:
    """An FTS5 phrase query for a literal substring (double quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


@contextmanager
def import_lock(path: str | Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the right to import into the memory at ``path`` (a new one included) until the
    block ends: a second import waits here, told through ``waiting`` once, instead of failing
    with "database is locked" or, for a new memory, replacing the first one's file.

    The lock is an advisory ``flock`` on the memory's folder: it creates no file, works between
    users of a shared folder, and is released when the process ends, however it ends. (Imports
    into two memories of one folder also take turns; imports are rare enough for that.)"""
    folder = Path(path).resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own locking still keeps the file whole
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(f"another import into a memory in {folder} is running; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


class BatchImports:
    """``import_units`` and ``import_from`` for a store that writes prepared batches (SQLite,
    PostgreSQL): where the batches are prepared is the same for both; ``_import`` writes them.
    ``_finish`` is the store's own work on a batch, done where the batch is prepared."""

    _finish: Finish | None = None

    def import_units(
        self,
        units: Iterable[TranslationUnit],
        *,
        origin: str | None = None,
        header: dict[str, Any] | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> ImportStats:
        """Add ``units`` (any iterable, consumed lazily) in batches of ``batch_size``; duplicates
        of stored units, or of units earlier in the same stream, are counted and skipped. The
        next batch is prepared in a thread (``tmx.store.importer``). ``progress`` is called with
        the number of units read after each stored batch."""
        finish = self._finish
        return self._import(
            lambda stored: threaded_batches(units, batch_size, stored, finish), origin, header, progress
        )

    def import_from(
        self,
        reader: Reader,
        *,
        origin: str | None = None,
        header: dict[str, Any] | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> ImportStats:
        """Like ``import_units(reader())``, but reading and preparing the units in a second
        process while this one writes them: ``reader`` must be picklable
        (``functools.partial(tmx.convert.read_units, path)``). For files of a few megabytes
        and more (starting the process takes ~0.3 s)."""
        finish = self._finish
        return self._import(
            lambda stored: process_batches(reader, batch_size, stored, finish), origin, header, progress
        )

    def _import(
        self,
        batches: Callable[[int], Iterator[Batch]],
        origin: str | None,
        header: dict[str, Any] | None,
        progress: Callable[[int], None] | None,
    ) -> ImportStats:
        raise NotImplementedError


class MemoryStore(BatchImports):
    """A translation memory on disk. ``readonly`` opens an existing store only (the web page and
    the look-up commands), reporting a missing or foreign file as ``InputError``."""

    def __init__(self, path: str | Path | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.readonly = readonly
        self._parts: set[str] | None = None  # languages whose vocabulary has its trigram index
        if readonly:
            if not self.path.is_file():
                raise InputError(
                    "no translation memory here; create one with `untm tm import FILE.tmx`", path=self.path
                )
            # read-write at the SQLite level, refused writes at ours (query_only): a ``mode=ro``
            # connection cannot remove the -wal/-shm pair when it closes, and left them beside
            # the memory after every search
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.execute("PRAGMA query_only=ON")
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
            if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
                # a new file: 16 KB pages (SQLite's default 4 KB). The unit rows are ~0.7 KB and
                # the index pages ~4 KB blobs; a 100,000-unit import took ~25 % less wall time.
                conn.execute("PRAGMA page_size=16384")
            for pragma in _PRAGMAS:
                conn.execute(pragma)
            with conn:
                conn.executescript(
                    """
                    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
                    CREATE TABLE IF NOT EXISTS source(id INTEGER PRIMARY KEY, path TEXT, header TEXT);
                    CREATE TABLE IF NOT EXISTS tu(id INTEGER PRIMARY KEY, key INTEGER NOT NULL,
                        source INTEGER, body TEXT, data TEXT);
                    """
                )
                conn.execute(_KEY_INDEX)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        else:
            conn.execute("PRAGMA cache_size=-65536")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            raise sqlite3.DatabaseError("no untm schema")
        if not self.readonly and row[0] == SCHEMA_VERSION:
            if not self.consistent():
                self._vocabulary_from_index()  # an import was stopped: complete what it left
            self._index_word_parts()  # a memory from before the trigram index gets it
        if row[0] != SCHEMA_VERSION:
            self.conn.close()
            raise InputError(
                f"memory in format {row[0]}, this untm reads format {SCHEMA_VERSION}: "
                "export it with the untm that made it and import it again",
                path=self.path,
            )

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Queries in this block stop after ``seconds`` with a ``UsageError`` ("took too
        long"): a server must answer every client, not spend a minute on one odd query."""
        deadline = time.monotonic() + seconds

        def check() -> int:
            return 1 if time.monotonic() > deadline else 0

        self.conn.set_progress_handler(check, 20_000)  # every 20,000 SQLite VM steps
        try:
            yield
        except sqlite3.OperationalError as error:
            if "interrupted" not in str(error):
                raise
            raise UsageError(f"the search took longer than {seconds:g} s and was stopped") from None
        finally:
            self.conn.set_progress_handler(None, 0)

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
        """Every indexed language → whether its index is the word index (else characters)."""
        rows = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name GLOB 'fts_*' "
            "AND name NOT GLOB 'fts_*_*' ORDER BY name"
        ).fetchall()
        return {name[4:]: "detail=none" in sql for name, sql in rows}

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM tu").fetchone()[0])

    def revision(self) -> int:
        """A number that changes whenever units are added (the highest unit id): what a cache
        of answers keys on."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM tu").fetchone()[0])

    def size(self) -> int:
        """Bytes the memory takes on disk."""
        return self.path.stat().st_size

    def header(self) -> dict[str, Any]:
        """The TMX header of the first imported file that had one (``{}`` if none), for export."""
        row = self.conn.execute(
            "SELECT header FROM source WHERE header IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
        return json.loads(row[0]) if row else {}

    def _part_indexes(self) -> set[str]:
        """The languages whose vocabulary has its trigram index (``parts_<lang>``)."""
        if self._parts is None:
            rows = self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'parts_*' "
                "AND name NOT GLOB 'parts_*_*'"
            ).fetchall()
            self._parts = {name[6:] for (name,) in rows}
        return self._parts

    def _index_parts_of(self, key: str) -> None:
        """The trigram index of ``words_<key>`` and the trigger that keeps it filled (the
        caller holds the transaction)."""
        if key in self._part_indexes():
            return
        self.conn.execute(f"CREATE VIRTUAL TABLE parts_{key} USING fts5(term, {PART_INDEX})")
        self.conn.execute(f"INSERT INTO parts_{key}(term) SELECT term FROM words_{key}")
        self.conn.execute(
            f"CREATE TRIGGER IF NOT EXISTS words_{key}_parts AFTER INSERT ON words_{key} "
            f"BEGIN INSERT INTO parts_{key}(term) VALUES (new.term); END"
        )
        self._part_indexes().add(key)

    def _index_word_parts(self) -> None:
        """Give every word vocabulary its trigram index, for memories made before it (one read
        of the vocabulary: 0.4 s for 135,000 words)."""
        with self.conn:
            for key, words in self._indexes().items():
                if words:
                    self._index_parts_of(key)  # (nothing for a vocabulary that has it)

    # -- import ------------------------------------------------------------------------------

    def _ensure_index(self, key: str) -> None:
        if word_language(key):
            self.conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS fts_{key} USING fts5(text, {WORD_INDEX})")
            self.conn.execute(f"CREATE TABLE IF NOT EXISTS words_{key}(term TEXT PRIMARY KEY) WITHOUT ROWID")
            self._index_parts_of(key)
        else:
            self.conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS fts_{key} USING fts5(text, {CHAR_INDEX})")

    def _import(
        self,
        batches: Callable[[int], Iterator[Batch]],
        origin: str | None,
        header: dict[str, Any] | None,
        progress: Callable[[int], None] | None,
    ) -> ImportStats:
        if self.readonly:
            raise UsageError("this memory was opened read-only", path=self.path)
        conn = self.conn
        with conn:
            source_id = int(
                conn.execute(
                    "INSERT INTO source(path, header) VALUES (?, ?)",
                    (origin, json.dumps(header, ensure_ascii=False) if header else None),
                ).lastrowid
                or 0
            )
        next_tu = int(conn.execute("SELECT coalesce(max(id), 0) FROM tu").fetchone()[0]) + 1
        stored = len(self)
        indexed = self._indexes()
        known_words: dict[str, set[str]] = {}  # written to words_<lang> during this import
        scan_vocabulary = bulk = False
        read = added = 0
        if stored == 0:
            # A new memory: nothing to lose, so no waiting for the disk at each checkpoint (the
            # import's wall time on a VM: −25–35 %). An OS crash or power cut during this first
            # import can leave a file to delete and import again; later imports sync as usual.
            conn.execute("PRAGMA synchronous=OFF")
            # Nor anything to look up: repeats within the import are found in a set of its keys
            # (~60 bytes a unit), and the key index is built once at the end — random 64-bit
            # keys in a b-tree cost ~5 s of CPU per million units (look-ups + inserts).
            conn.execute("DROP INDEX IF EXISTS tu_key")
        seen: set[int] | None = set() if stored == 0 else None
        try:
            for batch in batches(stored):
                read += batch.read
                _drop_stored(conn, batch, seen)
                rows = batch.units
                if batch.vocabulary is None and not bulk:
                    scan_vocabulary = bulk = True
                    # the word vocabulary is read from the index at the end: until then the
                    # units are stored but not all findable; say so on disk, for `tm info` and
                    # for the next import, which completes it (whatever stopped this one)
                    with conn:
                        conn.execute("INSERT OR REPLACE INTO meta VALUES ('vocabulary', 'pending')")
                    self._merge_later(indexed)
                with conn:
                    for lang in (batch.index.keys() | batch.ready.keys()) - indexed.keys():
                        self._ensure_index(lang)
                        indexed[lang] = word_language(lang)
                        if bulk:
                            self._merge_later({lang: indexed[lang]})
                    # ids: the batch's offsets + the first id, as SQL literals (integers)
                    conn.executemany(f"INSERT INTO tu VALUES (? + {next_tu}, ?, {source_id}, ?, ?)", rows)
                    for lang in batch.index.keys() | batch.ready.keys():
                        conn.executemany(
                            f"INSERT INTO fts_{lang}(rowid, text) VALUES (? + {next_tu}, ?)",
                            batch.index_rows(lang, indexed[lang]),
                        )
                        if indexed[lang] and batch.vocabulary is not None:
                            known = known_words.setdefault(lang, set())
                            new = batch.vocabulary.get(lang, set()) - known
                            known |= new
                            conn.executemany(
                                f"INSERT OR IGNORE INTO words_{lang} VALUES (?)", ((term,) for term in new)
                            )
                next_tu += (rows[-1][0] + 1) if rows else 0
                added += len(rows)
                if progress is not None:
                    progress(batch.read)
        finally:
            if bulk:
                self._merge_now()
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:
                conn.execute(_KEY_INDEX)
            if scan_vocabulary:  # also when the input broke off: what was stored is findable
                self._vocabulary_from_index()
        if added and added * 10 >= len(self):
            self.optimize()
        return ImportStats(read=read, added=added, duplicates=read - added)

    def _merge_later(self, indexes: dict[str, bool]) -> None:
        """A bulk import: no incremental merging of the index segments (FTS5 ``automerge`` 0,
        ``crisismerge`` 256: one segment per batch, merged when 256 have piled up) — the final
        ``optimize`` merges everything once. Measured (one language's index, CPU): at 200,000
        units 15–25 % less than FTS5's default merging (Russian, Chinese); at 400,000 units
        crisismerge 1,000 against 64, Chinese 3.3 s against 4.2–5.1 s, Russian 5.5–5.7 s
        against 5.5–7.0 s. (FTS5 keeps at most 2,000 segments per index.)"""
        with self.conn:
            for key in indexes:
                self.conn.execute(f"INSERT INTO fts_{key}(fts_{key}, rank) VALUES ('automerge', 0)")
                self.conn.execute(f"INSERT INTO fts_{key}(fts_{key}, rank) VALUES ('crisismerge', 256)")

    def _merge_now(self) -> None:
        """Back to FTS5's default merging, for the small imports that follow."""
        with self.conn:
            for key in self.languages():
                self.conn.execute(f"INSERT INTO fts_{key}(fts_{key}, rank) VALUES ('automerge', 4)")
                self.conn.execute(f"INSERT INTO fts_{key}(fts_{key}, rank) VALUES ('crisismerge', 16)")

    def optimize(self) -> None:
        """Merge each full-text index into one b-tree (FTS5 ``optimize``). A bulk import leaves
        dozens of index segments that every query has to merge; one segment made ``match`` about
        1.5× faster at 300,000 units. ``import_units`` calls this when an import at least a tenth
        the size of the memory finished (rewriting a big index for a small import is not worth it)."""
        with self.conn:
            for key in self.languages():
                self.conn.execute(f"INSERT INTO fts_{key}(fts_{key}) VALUES ('optimize')")

    def consistent(self) -> bool:
        """False while a bulk import's word vocabulary is incomplete (an import was stopped):
        some units are stored but concordance in word languages may miss them until the next
        import (or any read-write open) completes it."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'vocabulary'").fetchone()
        return row is None or row[0] != "pending"

    def _vocabulary_from_index(self) -> None:
        """Add every word of the word indexes to their ``words_<lang>`` tables, from the index's
        own vocabulary (``fts5vocab``), skipping the exact-match tokens."""
        with self.conn:
            self.conn.execute("DELETE FROM meta WHERE key = 'vocabulary'")
            for key, words in self._indexes().items():
                if not words:
                    continue
                vocab = f"temp.vocab_{key}"
                self.conn.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(main, fts_{key}, row)"
                )
                for condition, bound in (("term < ?", EXACT_MARK), ("term >= ?", EXACT_END)):
                    self.conn.execute(
                        f"INSERT OR IGNORE INTO words_{key} SELECT term FROM {vocab} WHERE {condition}",
                        (bound,),
                    )

    # -- read back ---------------------------------------------------------------------------

    def units(self, tu_ids: Iterable[int]) -> dict[int, TranslationUnit]:
        """The stored units with these ids."""
        return {tu_id: decode_unit(record) for tu_id, record in self._records(list(dict.fromkeys(tu_ids)))}

    def _records(self, tu_ids: Sequence[int]) -> list[tuple[int, Record]]:
        """These units as stored, in the order of ``tu_ids`` (missing ones left out)."""
        rows: dict[int, Record] = {}
        for start in range(0, len(tu_ids), _SQL_VARS):
            chunk = list(tu_ids[start : start + _SQL_VARS])
            marks = ",".join("?" * len(chunk))
            for tu_id, body, data in self.conn.execute(
                f"SELECT id, body, data FROM tu WHERE id IN ({marks})", chunk
            ):
                rows[tu_id] = (body, data)
        return [(i, rows[i]) for i in tu_ids if i in rows]

    def export_units(self) -> Iterator[TranslationUnit]:
        """Every stored unit in import order, streaming."""
        for record in self.conn.execute("SELECT body, data FROM tu ORDER BY id"):
            yield decode_unit(record)

    def sample_units(self, count: int) -> list[TranslationUnit]:
        """About ``count`` units spread evenly over the memory (every n-th in import order): what
        "the memory at large" looks like, for statistics such as translation spotting."""
        step = max(1, max(1, len(self)) // max(1, count))
        rows = self.conn.execute(
            "SELECT body, data FROM tu WHERE id % ? = 0 ORDER BY id LIMIT ?", (step, count)
        )
        return [decode_unit(record) for record in rows]

    # -- concordance -------------------------------------------------------------------------

    def search(self, query: str, lang: str | None = None, limit: int = 50) -> list[ConcordanceHit]:
        """Units whose ``lang`` segment contains ``query`` (every language when ``lang`` is None),
        in import order, at most ``limit``."""
        text = _checked_query(query, "search query")
        present = self.languages()
        langs = [lang_key(lang)] if lang else [key for key in present if _may_contain(key, text)]
        found: list[tuple[str, _Row]] = []
        for key in langs:
            if key not in present or len(found) >= limit:
                continue
            found.extend((key, row) for row in self._contains(key, text, limit - len(found)))
        needle = text.lower()
        return [
            ConcordanceHit(
                tu,
                key,
                seg_text,
                highlight_spans(seg_text, text) or (lemma_spans(seg_text, needle) if inflected(key) else ()),
                decode_unit(record),
            )
            for key, (tu, seg_text, record) in found
        ]

    def _contains(self, key: str, text: str, limit: int) -> list[_Row]:
        """The first ``limit`` units whose ``key`` text contains ``text`` or, in an inflected
        language, its words inflected (``tmx.store.inflection``), in import order."""
        literal = self._literal(key, text, limit)
        needle = text.lower()
        if not inflected(key, needle):
            return literal
        groups = query_forms(needle)
        if not groups:
            return literal
        expression = " AND ".join(
            "(" + " OR ".join(_phrase(form) for form in group) + ")" for group in groups
        )
        # when the literal hits fill the limit, only inflected forms before the last of them
        # can be among the first ``limit``; at most 4 × ``limit`` candidates are read (their
        # words may be out of order), as on PostgreSQL
        bound = literal[-1][0] if len(literal) >= limit else None
        extra: list[_Row] = []
        read = 0
        try:
            for tu_id, record in itertools.chain.from_iterable(self._candidates(key, expression, bound)):
                if read >= 4 * limit:
                    break
                others = [seg for seg in texts_in(record, key) if needle not in normalize(seg).lower()]
                read += bool(others)
                extra.extend((tu_id, seg, record) for seg in others if lemma_spans(seg, needle))
        except sqlite3.OperationalError:  # a form SQLite's tokenizer splits: literal hits only
            return literal
        return sorted(literal + extra, key=lambda row: row[0])[:limit]

    def _literal(self, key: str, text: str, limit: int) -> list[_Row]:
        """The first ``limit`` units whose ``key`` text contains ``text``: the candidates the
        index gives, or every unit when it cannot narrow the search down, each checked for the
        query as a substring — so the result is that of a substring search."""
        needle = text.lower()
        if self._indexes()[key]:
            expression = self._word_expression(key, needle)
        else:
            tokens = char_tokens(needle)
            expression = _phrase(" ".join(tokens)) if tokens else None
        if expression == "":
            return []
        if expression is not None:
            try:
                return _first_containing(needle, key, limit, self._candidates(key, expression))
            except sqlite3.OperationalError:  # a word SQLite splits differently: scan instead
                pass
        scan = self.conn.execute("SELECT id, body, data FROM tu ORDER BY id")
        chunks = (
            [(tu_id, (body, data)) for tu_id, body, data in rows]
            for rows in iter(lambda: scan.fetchmany(VERIFY_CHUNK), [])
        )
        return _first_containing(needle, key, limit, chunks)

    def _candidates(
        self, key: str, expression: str, before: int | None = None
    ) -> Iterator[list[tuple[int, Record]]]:
        """The units an FTS5 query hits (with ids below ``before``), in id order, ``FIRST_CHUNK``
        at first, then growing up to ``VERIFY_CHUNK`` at a time (each is read whole: all its
        languages)."""
        bound = "" if before is None else f" AND rowid < {int(before)}"
        cursor = self.conn.execute(
            f"SELECT rowid FROM fts_{key} WHERE fts_{key} MATCH ?{bound}", (expression,)
        )
        size = FIRST_CHUNK
        while ids := cursor.fetchmany(size):
            yield self._records([i for (i,) in ids])
            size = min(size * 4, VERIFY_CHUNK)

    def _word_expression(self, key: str, text: str) -> str | None:
        """The FTS5 query whose hits are a superset of the units whose text contains ``text``
        (lower-cased). Its inner words must be whole words of the segment; its first word may
        be the end of a word and its last word the start of one (a single word: any part of
        one), so these stand for the words of the vocabulary that end, start with or contain
        them, OR-ed — or for nothing when they are so common that the condition would cost more
        than it saves. ``None``: the index cannot narrow this down (read everything); ``""``:
        nothing can match."""
        conditions = []
        for match in TOKEN.finditer(text):
            word = match.group()
            at_start, at_end = match.start() == 0, match.end() == len(text)
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
        contain it (both); ``None`` if there are more than ``MAX_INFIX_TERMS``. The words that
        contain ``part`` come from the vocabulary's trigram index, or, for a part shorter than
        three characters (or a memory without that index), from reading every word: ~1 ms per
        10,000 words, and 300,000 distinct UN units hold ~75,000–160,000 English and
        ~150,000–360,000 Russian ones (unpc-dev's growth extrapolated)."""
        if len(part) >= PART_CHARS and key in self._part_indexes():
            rows = self.conn.execute(
                f"SELECT term FROM parts_{key} WHERE parts_{key} MATCH ? LIMIT ?",
                (_phrase(part), MAX_INFIX_TERMS + 1),
            ).fetchall()
        else:
            rows = self.conn.execute(
                f"SELECT term FROM words_{key} WHERE instr(term, ?) LIMIT ?", (part, MAX_INFIX_TERMS + 1)
            ).fetchall()
        if len(rows) > MAX_INFIX_TERMS:
            return None
        terms = {token for (entry,) in rows for token in TOKEN.findall(entry) if part in token}
        if not prefix:
            terms = {t for t in terms if t.endswith(part)}
        elif not suffix:
            terms = {t for t in terms if t.startswith(part)}
        return sorted(terms)

    # -- fuzzy matches -----------------------------------------------------------------------

    def match(
        self,
        segment: str,
        source: str,
        target: str,
        minimum: int = 70,
        limit: int = 10,
        context: str | None = None,
    ) -> list[FuzzyMatch]:
        """Stored translations into ``target`` for a ``source`` segment, best first: exact-context
        matches, then by match percentage (tmx.fuzzy), keeping those ≥ ``minimum``.

        Candidates come from the index, not a scan: the 100% look-up (the segment's
        ``exact_token``), plus up to ``MAX_PROBES`` probes (its longest words; evenly spaced
        4-character phrases for languages written without spaces) each read ``PROBE_LIMIT``
        rows deep; the units hit by most probes are then scored exactly. ``context`` is the
        preceding source segment: a 100% match whose unit has the same predecessor (its
        ``prev``/``x-context-pre`` prop, else the unit imported just before it from the same
        file) ranks first, like a CAT tool's context match.
        """
        text = _checked_query(segment, "segment")
        if not 0 <= minimum <= 100:
            raise UsageError(f"--min must be between 0 and 100, not {minimum}")
        src, tgt = lang_key(source), lang_key(target)
        indexes = self._indexes()
        if src not in indexes:
            return []
        hits: Counter[int] = Counter()
        probes = _word_probes(text) if indexes[src] else _char_probes(text)
        for weight, probe in ((MAX_PROBES + 1, _phrase(exact_token(text))), *((1, p) for p in probes)):
            try:
                for (tu_id,) in self.conn.execute(
                    f"SELECT rowid FROM fts_{src} WHERE fts_{src} MATCH ? LIMIT ?", (probe, PROBE_LIMIT)
                ):
                    hits[tu_id] += weight
            except sqlite3.OperationalError:  # a word SQLite splits differently
                continue
        best = [tu_id for tu_id, _ in hits.most_common(MAX_CANDIDATES)]
        return rank_matches(text, self._records(best), src, tgt, minimum, limit, context, self._context_of)

    def _context_of(self, tu_id: int, unit: TranslationUnit, src: str) -> str | None:
        for name in ("x-context-pre", "prev"):
            value = unit.prop(name)
            if value is not None:
                return normalize(value)
        # the unit stored just before it (ids skip the duplicates an import left out)
        row = self.conn.execute(
            "SELECT prev.body, prev.data, prev.source = cur.source FROM tu AS cur JOIN tu AS prev "
            "ON prev.id = (SELECT max(id) FROM tu WHERE id < cur.id) WHERE cur.id = ?",
            (tu_id,),
        ).fetchone()
        row = row[:2] if row and row[2] else None
        texts = texts_in(row, src) if row else []
        return normalize(texts[0]) if texts else None


def rank_matches(
    text: str,
    records: Iterable[tuple[int, Record]],
    src: str,
    tgt: str,
    minimum: int,
    limit: int,
    context: str | None,
    context_of: Callable[[int, TranslationUnit, str], str | None],
) -> list[FuzzyMatch]:
    """The candidates' translations into ``tgt`` scored against ``text`` (tmx.fuzzy), at least
    ``minimum``, best first: exact-context matches, then by percentage, then import order. Every
    store finds candidates its own way and ranks them here."""
    candidates = [(tu, seg_text, record) for tu, record in records for seg_text in texts_in(record, src)]
    scores = match_percentages(text, [seg_text for _, seg_text, _ in candidates], src)
    wanted_context = normalize(context) if context else None
    results: list[FuzzyMatch] = []
    for score, (tu, seg_text, record) in zip(scores, candidates, strict=True):
        if score < minimum or src == tgt:
            continue
        unit = decode_unit(record)
        translation = unit.text(tgt)
        if translation is None:
            continue
        in_context = bool(wanted_context and score == 100 and context_of(tu, unit, src) == wanted_context)
        results.append(FuzzyMatch(tu, score, in_context, seg_text, translation, unit))
    results.sort(key=lambda m: (not m.context, -m.score, m.tu_id))
    return results[:limit]


def _drop_stored(conn: sqlite3.Connection, batch: Batch, seen: set[int] | None) -> None:
    """Leave out of ``batch`` the units whose key the memory already holds — or, for the import
    into a new memory, whose key is in ``seen`` (the import's keys so far, updated here)."""
    rows = batch.units
    if seen is not None:
        found = {row[1] for row in rows if row[1] in seen}
        seen.update(row[1] for row in rows)
    else:
        found = set()
        for start in range(0, len(rows), _SQL_VARS):
            keys = [row[1] for row in rows[start : start + _SQL_VARS]]
            marks = ",".join("?" * len(keys))
            found.update(key for (key,) in conn.execute(f"SELECT key FROM tu WHERE key IN ({marks})", keys))
    if found:
        batch.drop({offset for offset, key, _, _ in rows if key in found})


def _word_probes(text: str) -> list[str]:
    """Match probes for a word index: the segment's longest words, each a whole-word query
    (an inflected word is one probe lost of ``MAX_PROBES``; the edit distance counts it as one
    changed word anyway)."""
    words = sorted(
        dict.fromkeys(w for w in TOKEN.findall(text.lower()) if len(w) >= 3), key=len, reverse=True
    )
    return [_phrase(word) for word in words[:MAX_PROBES]]


def _char_probes(text: str) -> list[str]:
    """Match probes for a character index: up to ``CHAR_PROBES`` evenly spaced phrases of
    ``PROBE_WIDTH`` characters, taken inside runs of non-ASCII letters (汉字, kana): a phrase that
    is not in the memory costs a scan of its rarest character's positions, and digits, Latin
    letters and punctuation are in nearly every segment. Measured at 1,000,000 units (200
    Chinese two-edit queries): p95 50 → 28 ms against windows over every character, top-1 the
    same (200/200)."""
    runs = [run for run in _LETTERS.findall(text.lower()) if not run.isascii()]
    windows = [run[i : i + PROBE_WIDTH] for run in runs for i in range(max(1, len(run) - PROBE_WIDTH + 1))]
    windows = [w for w in windows if len(w) >= 2]
    if not windows:  # no letters: any characters
        tokens = char_tokens(text.lower())
        return [_phrase(" ".join(tokens[:PROBE_WIDTH]))] if tokens else []
    count = min(CHAR_PROBES, len(windows))
    step = (len(windows) - 1) / max(1, count - 1)
    picked = dict.fromkeys(windows[round(i * step)] for i in range(count))
    return [_phrase(" ".join(window)) for window in picked]


def _first_containing(
    needle: str, key: str, limit: int, chunks: Iterable[Sequence[tuple[int, Record]]]
) -> list[_Row]:
    """The first ``limit`` (unit, ``key`` text) whose whitespace-normalised, lower-cased text
    contains ``needle``, reading ``chunks`` of stored units only as far as needed."""
    found: list[_Row] = []
    for rows in chunks:
        for tu_id, record in rows:
            found.extend(
                (tu_id, text, record) for text in texts_in(record, key) if needle in normalize(text).lower()
            )
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
