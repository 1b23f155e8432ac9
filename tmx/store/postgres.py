"""The translation memory on PostgreSQL: one database that a team's translators share.

The same public interface as the SQLite ``MemoryStore`` (import, export, concordance, fuzzy
match), the same units and the same match percentages, on a server many read and a few write at
once. Candidates are found the way the SQLite store finds them, with one GIN index on an array
of integer keys per segment (``keys``; integers build the index twice as fast as text):

* **Word languages** (en, ru, fr, es, ar, …): the segment's distinct words (``TOKEN``, as the
  SQLite store's word index splits them). A concordance query's inner words must be whole words
  of the segment; its first word may be the end of a word and its last the start of one, which
  the vocabulary (``untm_word``, small, with a ``pg_trgm`` index) turns into the words that end,
  start with or contain them; every candidate is checked as a substring in SQL. The first
  design indexed the whole text with ``pg_trgm``: building that index took most of an import
  (``docs/bench-tm-postgres.md``).
* **Chinese and Japanese**: trigrams are useless for the one- and two-character queries that
  matter (朝鲜, 缅甸: ``pg_trgm`` extracts no trigram a two-character query can be checked
  against, so the planner scans), so the keys are the segment's distinct character bigrams and
  its characters but the 300 most common (a query of one of those reads the segments in import
  order); a query is the keys of its bigrams (``@>``), then checked as a substring.
* **Russian inflection**: a concordance query for *Совет Безопасности* also finds *Совета
  Безопасности*: it asks for a segment with a form of each of its words (pymorphy3's lexemes,
  ``tmx.store.inflection.query_forms``, as the SQLite store asks its word index; only the forms
  the vocabulary holds), whose words' lemmas then follow the query's in order. (Segments
  imported before this had their words' lemmas as keys too, marked ``=``; nothing asks for
  them any more.)
* **Adjacent words**: each two neighbouring words of a segment give a key too (the last two
  characters of the first and the first two of the second), so a rare phrase of common words
  (*4. Report on*) does not read every segment that has its words apart (``query_pairs``).
* **Common words** (*the*, *в*) are no condition when a narrower one exists (the planner's
  statistics say which), and a large memory is searched window by window in import order, so a
  frequent phrase reads a part of its candidates (``_ids``), where that costs less than
  reading them all.

Imports run in one transaction (all or nothing; readers keep reading the committed memory
meanwhile, MVCC). Into an empty memory (locked for the import) the rows are copied straight in
and indexed at the end; into a memory in use they go through staging tables and a unit whose key
is already stored is skipped with ``ON CONFLICT DO NOTHING``, so two imports at once both land
without duplicates (the second waits on the first's keys). The keys of a batch, and the lines
``COPY`` reads, are made where it is prepared (a thread, or the reading process of
``import_from``) while this process copies the previous one. Needs ``psycopg`` (``pip install
'untm[postgres]'``).
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tmx.fuzzy import normalize
from tmx.store.inflection import inflected, lemma_spans, query_forms
from tmx.store.memory import (
    _LETTERS,
    CHAR_PROBES,
    MAX_CANDIDATES,
    MAX_INFIX_TERMS,
    MAX_PROBES,
    PROBE_LIMIT,
    PROBE_WIDTH,
    BatchImports,
    ConcordanceHit,
    FuzzyMatch,
    ImportStats,
    _checked_query,
    _may_contain,
    highlight_spans,
    rank_matches,
)
from tmx.store.rows import TOKEN, Batch, decode_unit, lang_key, texts_in, word_language
from tmx.units import TranslationUnit
from uncore.errors import InputError, UsageError

SCHEMA_VERSION = "pg3"  # pg3: pg2 and the keys of adjacent words (``query_pairs``)
_READS = ("pg2", SCHEMA_VERSION)  # a pg2 memory is searched without pair keys
_FEW_TERMS = 32  # vocabulary words a word part may stand for and still be a condition of its own
_WINDOWED = 50_000  # units from which a search reads the index's candidates window by window
_COMMON = 0.05  # share of all segments above which a key is no condition when a narrower one exists
_RANGE_COST = 32  # a window's range costs about a 32nd of reading a candidate a unit (1M units)
_ADVISORY = 7243  # the lock two first imports (or two upgrades) take in turn
_SHIFT, _MASK = 1 << 31, (1 << 32) - 1  # unsigned 32-bit keys into PostgreSQL's int4

_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS untm_meta(key text PRIMARY KEY, value text);
CREATE TABLE IF NOT EXISTS untm_source(id bigserial PRIMARY KEY, path text, header text);
CREATE TABLE IF NOT EXISTS untm_tu(id bigserial PRIMARY KEY, key bigint NOT NULL UNIQUE,
    source bigint, body text, data text);
CREATE TABLE IF NOT EXISTS untm_lang(lang text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS untm_seg(tu bigint NOT NULL, lang text NOT NULL, text text NOT NULL,
    keys int4[]);
CREATE TABLE IF NOT EXISTS untm_word(lang text NOT NULL, word text COLLATE "C" NOT NULL);
ALTER TABLE untm_seg ALTER COLUMN keys SET STATISTICS 1000;
INSERT INTO untm_meta VALUES ('schema', 'pg3') ON CONFLICT (key) DO NOTHING;
"""
# untm_seg.tu and untm_tu.source have no foreign key: the check cost half of every insert
# (untm_tu's: 38 % of the COPY), and units are never deleted one by one (the import that adds a
# unit adds its segments and its source in the same transaction).
# untm_word has no unique key: two imports at once would wait on each other's words (and
# deadlock, each holding some); a word stored twice costs nothing (lookups drop repeats).

# (lang, word): which of a Russian query's inflected forms the memory holds (``_stored``); made
# by the next import in a memory from before it, which is searched without it meanwhile
_WORD_INDEX = "CREATE INDEX IF NOT EXISTS untm_word_lang ON untm_word(lang, word)"
_INDEXES = (
    # (lang, tu): a frequent query is answered by reading the language's segments in import
    # order until the limit is reached, instead of collecting every hit and sorting them
    "CREATE INDEX IF NOT EXISTS untm_seg_tu ON untm_seg(lang, tu)",
    "CREATE INDEX IF NOT EXISTS untm_seg_keys ON untm_seg USING gin (keys)",
    "CREATE INDEX IF NOT EXISTS untm_seg_exact ON untm_seg USING hash (text)",  # 100% matches
    "CREATE INDEX IF NOT EXISTS untm_word_trgm ON untm_word USING gin (word gin_trgm_ops)",
    _WORD_INDEX,
)
_DROP_INDEXES = (
    "DROP INDEX IF EXISTS untm_seg_keys, untm_seg_tu, untm_seg_exact, untm_word_trgm, untm_word_lang"
)


def is_url(location: object) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


# The 300 characters found in the most Chinese segments of UN text (unpc-dev: each in 3.3 % of
# the segments or more), 73 % of a segment's distinct characters: not keys on their own. A query
# of one of them reads the language's segments in import order until it has its hits, which
# come soon; their keys made a quarter of the GIN index and of its build.
_COMMON_CHARS = frozenset(
    '"()-.0123456789、。《》一三上下不与专业个中为主举义之书了事于亚些交产人从他代以们件任会体作使'
    "供促保信入全公共关其具内决况准出分切划列利别到制前力办加务动助包化区十协参及反发取受可各合同名后向"
    "告员和器因团国土在地域基境处外多大女如妇委学安定实审家对导将尔就局届展工已巴席平年并应府度建开式强"
    "当得必性息情意成我或战所执护报拉括持指据措提支政效教数文斯新方施日时明是更最月有服期本机权条来构果"
    "查标核根案次正此武比民求治法注活济特犯现理生用由界的监目相确示社种秘程立第等策管系约组织经结统继续"
    "缔罪美者而联能自至行表被要规解计认议论设该请调责资过还这进通部采重金长问间阿际需非面项预领题高，：；"
)


def char_keys(text: str) -> str:
    """The keys of a Chinese or Japanese segment (lower-cased), as decimal text joined by
    commas: its distinct character bigrams and its distinct characters but the most common
    ones, each an integer (a code point; two code points in one 32-bit number; shifted into
    ``int4``), whitespace left out."""
    chars = "".join(text.split())
    grams = set(chars)
    grams -= _COMMON_CHARS
    grams.update(map(operator.add, chars, chars[1:]))
    return _cached_keys(grams, _GRAM_KEYS, _gram_key)


def query_char_keys(text: str) -> list[int]:
    """The keys a segment must have to contain ``text``: its bigrams' (its one character's;
    none for a common character)."""
    chars = "".join(text.split())
    grams = set(map(operator.add, chars, chars[1:])) if len(chars) > 1 else set(chars) - _COMMON_CHARS
    return sorted(_gram_key(gram) for gram in grams)


def _gram_key(gram: str) -> int:
    if len(gram) == 1:
        return ord(gram) - _SHIFT
    return (((ord(gram[0]) << 16) ^ ord(gram[1])) & _MASK) - _SHIFT


def word_key(word: str, lang: str) -> int:
    """A ``lang`` word's key: the CRC-32 of both, in ``int4``. With the language in it, the
    planner's statistics of a key are those of the word in that language (*the* is common in
    English, rare in Russian segments: a probe for it there read every Russian segment). Two
    words with one key only make a candidate that the substring check then leaves out."""
    return zlib.crc32(f"{lang}\x1f{word}".encode()) - _SHIFT


_GRAM_KEYS: dict[str, str] = {}
_WORD_KEYS: dict[str, dict[str, str]] = {}  # language → word → key
_CACHED = 1_000_000  # keys remembered per kind (a few tens of megabytes at most)


def _cached_keys(items: Iterable[str], cache: dict[str, str], key: Callable[[str], int]) -> str:
    """The keys of ``items`` as decimal text joined by commas, remembered: an import meets the
    same words and bigrams again and again, and a dictionary look-up costs a tenth of computing
    the key and writing it out."""
    try:
        return ",".join(map(cache.__getitem__, items))
    except KeyError:
        if len(cache) > _CACHED:
            cache.clear()
        for item in items:
            if item not in cache:
                cache[item] = str(key(item))
        return ",".join(map(cache.__getitem__, items))


def word_keys(text: str, lang: str) -> tuple[set[str], str]:
    """A word-language segment's distinct words (``TOKEN``) and their keys, and the keys of its
    adjacent words (``pairs``), as decimal text joined by commas. Russian gets no keys of its
    words' lemmas: a query asks for every form of its words instead
    (``tmx.store.inflection.query_forms``), as the SQLite store does."""
    words = set(TOKEN.findall(text))
    runs = _RUN.findall(text)
    keys = words.union(map(_pair, runs, runs[1:]))
    return words, _cached_keys(keys, _WORD_KEYS.setdefault(lang, {}), functools.partial(word_key, lang=lang))


# Adjacent words. A rare phrase of common words (*4. Report on*, *and that all*, *силы в*) had
# tens of thousands of candidates whose words were all there but apart, each read for the
# substring check (80–160 ms at 1M units). A segment also has a key for each two neighbouring
# runs of word characters: the last two characters of the first and the first two of the
# second (*rt on*). A query knows them even where it cuts a word (its first word may end one
# of the segment's, its last begin one), and a Russian query's inflected forms give a few
# such pairs each. The runs are ``\w+``, as ``tmx.store.inflection.lemma_spans`` reads them,
# so the inflected forms it accepts are neighbours here too.
_RUN = re.compile(r"\w+")


def _pair(first: str, second: str) -> str:
    """The pair key's text: never a word (it holds a space)."""
    return f"{first[-2:]} {second[:2]}"


def query_pairs(needle: str) -> list[str]:
    """The pair keys every segment containing ``needle`` has: of each two neighbouring runs
    whose touching ends the query shows (a run cut by the query's start or end shows its
    end or start only if it has two characters or more)."""
    runs = list(_RUN.finditer(needle))
    pairs = []
    for left, right in itertools.pairwise(runs):
        if left.start() == 0 and len(left.group()) < 2:
            continue  # the segment's word may be longer: its last two characters are unknown
        if right.end() == len(needle) and len(right.group()) < 2:
            continue
        pairs.append(_pair(left.group(), right.group()))
    return list(dict.fromkeys(pairs))


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str | None) -> str:
    """``value`` as a field of COPY's text format (``\\N``: NULL)."""
    if value is None:
        return "\\N"
    return value.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(value) else value


@dataclass
class SegmentRows:
    """A batch's rows as lines of COPY's text format, made where the batch is prepared (the
    importing process only puts the unit's id or offset in front): ``units`` one per
    ``Batch.units`` row (``\\t key \\t body \\t data``), ``segments`` (offset, ``\\t lang \\t
    lower-cased text \\t keys``), the languages present and the words of each word language
    (for the vocabulary)."""

    units: list[str]
    segments: list[tuple[int, str]]
    langs: set[str]
    words: dict[str, set[str]]


def segment_rows(batch: Batch) -> SegmentRows:
    """The COPY lines of ``batch`` and the keys of every indexed segment: made where the batch
    is prepared."""
    units = [f"\t{key}\t{_copy_text(body)}\t{_copy_text(data)}\n" for _, key, body, data in batch.units]
    segments: list[tuple[int, str]] = []
    vocabulary: dict[str, set[str]] = {}
    langs = batch.index.keys() | batch.ready.keys()
    for lang in langs:
        chars = not word_language(lang)
        texts = [(offset, text.lower()) for offset, text in batch.index.get(lang, ())]
        for offset, text in batch.ready.get(lang, ()):
            # two variants in one language: the index text of both (with its exact token)
            low = " ".join(t for t in text.split() if not t.startswith("\u01c5"))
            texts.append((offset, low.replace(" ", "") if chars and " " not in normalize(low) else low))
        if chars:
            segments.extend(
                (offset, f"\t{lang}\t{_copy_text(low)}\t{{{char_keys(low)}}}\n") for offset, low in texts
            )
            continue
        seen: list[set[str]] = []
        for offset, low in texts:
            words, keys = word_keys(low, lang)
            seen.append(words)
            segments.append((offset, f"\t{lang}\t{_copy_text(low)}\t{{{keys}}}\n"))
        vocabulary[lang] = set().union(*seen)
    return SegmentRows(units, segments, set(langs), vocabulary)


@dataclass(frozen=True)
class _KeyStats:
    """What the planner's statistics say of the keys: the share of segments each of the most
    common is in, the share put on any other, and the number of segments."""

    read: float  # time.monotonic() when read
    share: dict[int, float]
    unseen: float
    segments: float


class PostgresMemoryStore(BatchImports):
    """A translation memory in a PostgreSQL database (``postgresql://user@host/db``). Imports
    (``BatchImports``): one transaction, each batch's keys made where it is prepared."""

    _finish = staticmethod(segment_rows)

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        try:
            import psycopg
        except ImportError as error:
            raise UsageError("a PostgreSQL memory needs psycopg: pip install 'untm[postgres]'") from error
        self.path = url
        self.readonly = readonly
        self._stats: _KeyStats | None = None
        self._span: tuple[int | None, int | None] = (None, None)  # the ids, as the search began
        self._word_index: bool | None = None  # whether the vocabulary has its (lang, word) index
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as error:
            raise InputError(
                f"cannot connect to the memory's database: {str(error).strip()}", path=_safe(url)
            ) from None
        # a plan for the keys a query has: psycopg prepares a statement run five times, and the
        # server's generic plan for "keys @> $1" (values unknown) walks every segment of the
        # language (50 ms a probe at 20,000 units, against 0.03 ms)
        self.conn.execute("SET plan_cache_mode = force_custom_plan")
        # no JIT compiling: a search that reads every candidate is costed above jit_above_cost,
        # and compiling it took longer than running it (*- 13*: 766 against 193 ms)
        self.conn.execute("SET jit = off")
        with self.conn.cursor() as cur:
            found = cur.execute("SELECT to_regclass('untm_meta')").fetchone()
            if found is None or found[0] is None:
                if readonly:
                    self.conn.close()
                    raise InputError(
                        "no translation memory in this database; create one with "
                        "`untm tm import FILE.tmx --tm URL`",
                        path=_safe(url),
                    )
                with self.conn.transaction():
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY,))  # two first imports at once
                    cur.execute(_SCHEMA)
                    for statement in _INDEXES:
                        cur.execute(statement)
            row = cur.execute("SELECT value FROM untm_meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] == "pg1":
                try:
                    _upgrade_pg1(self.conn)
                except psycopg.Error as error:  # a role that may read but not alter the tables
                    self.conn.close()
                    raise InputError(
                        "this memory is in the format of an earlier untm (pg1) and could not be "
                        f"upgraded: {str(error).strip()}; open it once as the database's owner",
                        path=_safe(url),
                    ) from None
                row = (SCHEMA_VERSION,)
        if row is None or row[0] not in _READS:
            self.conn.close()
            raise InputError(
                f"memory in format {row[0] if row else '?'}, this untm reads {SCHEMA_VERSION}",
                path=_safe(url),
            )
        # a pg2 memory's segments have no pair keys: its searches ask for none (an import into
        # it while empty makes it pg3)
        self._pairs = row[0] == SCHEMA_VERSION
        if not readonly:
            _drop_source_key(self.conn)

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Queries in this block stop after ``seconds`` (the server's ``statement_timeout``)
        with a ``UsageError``, as in the SQLite store."""
        import psycopg

        self.conn.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        try:
            yield
        except psycopg.errors.QueryCanceled:
            raise UsageError(f"the search took longer than {seconds:g} s and was stopped") from None
        finally:
            self.conn.execute("SET statement_timeout = 0")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PostgresMemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- facts -------------------------------------------------------------------------------

    def languages(self) -> list[str]:
        return [lang for (lang,) in self.conn.execute("SELECT lang FROM untm_lang ORDER BY lang")]

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM untm_tu").fetchone()[0])  # type: ignore[index]

    def revision(self) -> int:
        """A number that changes whenever units are added (the highest unit id)."""
        row = self.conn.execute("SELECT coalesce(max(id), 0) FROM untm_tu").fetchone()
        return int(row[0]) if row else 0

    def consistent(self) -> bool:
        """Always: an import is one transaction, so what is stored is fully indexed."""
        return True

    def size(self) -> int:
        """Bytes the memory's tables and indexes take in the database."""
        row = self.conn.execute(
            "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY['untm_tu', 'untm_seg', 'untm_source', "
            "'untm_lang', 'untm_meta']::regclass[]) AS c"
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def header(self) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT header FROM untm_source WHERE header IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
        return json.loads(row[0]) if row else {}

    # -- import ------------------------------------------------------------------------------

    def _import(
        self,
        batches: Callable[[int], Iterator[Batch]],
        origin: str | None,
        header: dict[str, Any] | None,
        progress: Callable[[int], None] | None,
    ) -> ImportStats:
        if self.readonly:
            raise UsageError("this memory was opened read-only", path=_safe(self.path))
        read = added = 0
        self._make_word_index()
        with self.conn.transaction(), self.conn.cursor() as cur:
            # all or nothing either way; a crash of the server in the instant after the commit
            # may lose the import as a whole (never a part), and the commit does not wait for
            # the disk
            cur.execute("SET LOCAL synchronous_commit = off")
            source = cur.execute(
                "INSERT INTO untm_source(path, header) VALUES (%s, %s) RETURNING id",
                (origin, json.dumps(header, ensure_ascii=False) if header else None),
            ).fetchone()[0]  # type: ignore[index]
            bulk = _empty(cur)
            if bulk:
                # an empty memory: rows copied straight in, indexed once at the end (in this
                # transaction: all or nothing); GIN upkeep row by row costs several times the
                # import itself. Empty still once locked: another first import may have won.
                cur.execute("LOCK TABLE untm_tu IN SHARE ROW EXCLUSIVE MODE")
                bulk = _empty(cur)
            langs: set[str] = set()
            loader: _BulkLoader | _StagedLoader
            if bulk:
                cur.execute(_DROP_INDEXES)
                cur.execute("UPDATE untm_meta SET value = %s WHERE key = 'schema'", (SCHEMA_VERSION,))
                loader = _BulkLoader(cur, source)
            else:
                loader = _StagedLoader(cur, source)
            for batch in batches(0):  # no vocabulary collected: the keys carry the words
                read += batch.read
                segments: SegmentRows = batch.extra
                added += loader.add(batch, segments)
                langs |= segments.langs
                if progress is not None:
                    progress(batch.read)
            loader.finish()
            cur.executemany("INSERT INTO untm_lang VALUES (%s) ON CONFLICT DO NOTHING", [(x,) for x in langs])
            if bulk:
                # the GIN build's memory: 64 MB built faster than 512 MB (131 against 141 s at 1M
                # units; 7.9 against 9.7 s at 100,000): its tree of keys stays in the CPU's
                # caches; 16 MB took longer again (more merging)
                cur.execute("SET LOCAL maintenance_work_mem = '64MB'")
                for statement in _INDEXES:
                    cur.execute(statement)
        self._pairs = self._pairs or bulk
        if bulk or added * 10 > len(self):  # statistics for the planner (autovacuum does the rest)
            self.conn.execute("ANALYZE untm_seg")
            self.conn.execute("ANALYZE untm_word")
        return ImportStats(read=read, added=added, duplicates=read - added)

    def _make_word_index(self) -> None:
        """The vocabulary's (lang, word) index, in a memory from before it: made in a
        transaction of its own, one importer at a time (the advisory lock), never inside an
        import's, where the lock it takes on ``untm_word`` until the commit made two imports
        at once deadlock at their vocabulary's insert."""
        if self._has_word_index():
            return
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY,))
            self.conn.execute(_WORD_INDEX)  # (the vocabulary is small: a moment)
        self._word_index = True

    def _has_word_index(self) -> bool:
        """Whether the vocabulary has its (lang, word) index (asked once; an import makes it)."""
        if self._word_index is None:
            row = self.conn.execute("SELECT to_regclass('untm_word_lang') IS NOT NULL").fetchone()
            self._word_index = bool(row and row[0])
        return self._word_index

    def optimize(self) -> None:
        self.conn.execute("ANALYZE")

    # -- read back ---------------------------------------------------------------------------

    def units(self, tu_ids: Iterable[int]) -> dict[int, TranslationUnit]:
        return {i: decode_unit(record) for i, record in self._records(list(dict.fromkeys(tu_ids)))}

    def _records(self, tu_ids: Sequence[int]) -> list[tuple[int, tuple[str | None, str | None]]]:
        rows = {
            i: (body, data)
            for i, body, data in self.conn.execute(
                "SELECT id, body, data FROM untm_tu WHERE id = ANY(%s)", (list(tu_ids),)
            )
        }
        return [(i, rows[i]) for i in tu_ids if i in rows]

    def export_units(self) -> Iterator[TranslationUnit]:
        with self.conn.cursor(name="untm_export") if not self.conn.autocommit else self.conn.cursor() as cur:
            cur.execute("SELECT body, data FROM untm_tu ORDER BY id")
            while rows := cur.fetchmany(2000):
                for record in rows:
                    yield decode_unit(record)

    def sample_units(self, count: int) -> list[TranslationUnit]:
        """About ``count`` units spread evenly over the memory (see ``MemoryStore.sample_units``)."""
        step = max(1, max(1, len(self)) // max(1, count))
        rows = self.conn.execute(
            "SELECT body, data FROM untm_tu WHERE id %% %s = 0 ORDER BY id LIMIT %s", (step, count)
        ).fetchall()
        return [decode_unit(record) for record in rows]

    # -- concordance -------------------------------------------------------------------------

    def search(self, query: str, lang: str | None = None, limit: int = 50) -> list[ConcordanceHit]:
        """Units whose ``lang`` segment contains ``query`` (Russian: or its words inflected), in
        import order, at most ``limit``."""
        text = _checked_query(query, "search query")
        present = self.languages()
        langs = [lang_key(lang)] if lang else [key for key in present if _may_contain(key, text)]
        hits: list[ConcordanceHit] = []
        for key in langs:
            if key not in present or len(hits) >= limit:
                continue
            hits.extend(self._contains(key, text, limit - len(hits)))
        return hits

    def _contains(self, key: str, text: str, limit: int) -> list[ConcordanceHit]:
        needle = text.lower()
        row = self.conn.execute("SELECT min(id), max(id) FROM untm_tu").fetchone()
        self._span = (row[0], row[1]) if row else (None, None)
        found = "strpos(text, %s) > 0"
        groups: list[tuple[str, ...]] = []  # each query word's forms (Russian)
        forms: list[list[int]] = []
        if not word_language(key):
            keys = query_char_keys(needle)
            sql: str | None = f"keys @> %s::int4[] AND {found}" if keys else found
            params: tuple[Any, ...] = (keys, needle) if keys else (needle,)
            expected = self._expected([[k] for k in keys])
        else:
            narrowed = self._word_condition(key, needle)
            if narrowed is None:  # nothing can match as a substring: only inflected forms can
                sql, params, expected = None, (), 0.0
            else:
                sql = f"{narrowed[0]} AND {found}" if narrowed[0] else found
                params, expected = (*narrowed[1], needle), narrowed[2]
            groups = query_forms(needle) if inflected(key, needle) else []
            stored = self._stored(key, groups)
            forms = _form_keys(stored, key) if all(stored) else []
        ids: list[int] = []
        if sql is not None:
            ids = self._ids(key, sql, params, limit, expected=expected)
        if forms:
            # the inflected forms, asked apart: OR-ed with the literal condition, every segment
            # with the query's forms was read and sorted (75 ms for в рамках at 300,000 units,
            # against 4 + 32 ms apart); when the literal hits fill the limit, only inflected
            # forms before the last of them can be among the first ``limit``
            before = ids[-1] if len(ids) >= limit else None
            pairs = _form_pair_keys(groups, key) if self._pairs else []
            # (the common words' forms checked on the candidates: the same candidates as the
            # SQLite store's, of which at most 4 × ``limit`` are read)
            asked, checked = self._selective(forms, pairs)
            has_forms, form_params = _key_conditions(asked, checked)
            ids = sorted(
                {
                    *ids,
                    *self._ids(
                        key,
                        f"{has_forms} AND strpos(text, %s) = 0",
                        (*form_params, needle),
                        limit * 4,  # candidates whose words are out of order are left out below
                        before,
                        self._expected(asked),
                    ),
                }
            )
        hits = []
        for tu, record in self._records(ids):
            for seg_text in texts_in(record, key):
                spans = highlight_spans(seg_text, text) or lemma_spans(seg_text, needle)
                if spans:
                    hits.append(ConcordanceHit(tu, key, seg_text, spans, decode_unit(record)))
        return hits[:limit]

    def _ids(
        self,
        lang: str,
        where: str,
        params: tuple[Any, ...],
        limit: int,
        before: int | None = None,
        expected: float = float("inf"),
    ) -> list[int]:
        """The first ``limit`` units (below ``before``), in import order, with a ``lang`` segment
        meeting ``where``. In a large memory, window by window: the first sixteenth of the units, then
        a range the hits so far say should hold twice the hits still wanted, then the rest. The
        planner cannot know that a phrase of words found in 2 % of the segments is found in most of
        them (*the Secretary-General,*, *15年1*): it read every candidate and sorted them for
        the first 50 (14,000 heap blocks, 150–200 ms at 1M units); in a window it reads the
        index's candidates AND-ed with the units' range. A rare phrase pays up to two more
        looks at the index, each reading the posting lists of its keys whole: the windows
        span only the units below ``before`` (a Russian query's inflected forms, looked for
        before its last literal hit, read three windows of the whole memory, two of them
        empty: 114 ms for *Предварительная повестка дня* at 1M units).

        A window's range is AND-ed from a bitmap of every unit in it, read off the (lang, tu)
        index: 44–48 ms for 265,000 units, where *мандата*'s 4,500 candidates are read and
        checked in ~10. So a window is asked only where that costs less than reading the
        candidates outside it (``_range_pays``, by the ``expected`` candidates); otherwise
        the rest is asked at once, its range, order and language hidden from the planner (``tu
        + 0``: it read every segment of the language in the order of the (lang, tu) index, or
        AND-ed the candidates with a bitmap of all of them)."""
        first, last = self._span
        sql = f"SELECT tu FROM untm_seg WHERE {{}} AND {where} {{}} ORDER BY {{}} LIMIT %s"
        params = (lang, *params)
        if first is None or last is None or last - first < _WINDOWED:
            below = ("AND tu < %s", (before,)) if before is not None else ("", ())
            rows = self.conn.execute(
                sql.format("lang = %s", below[0], "tu"), (*params, *below[1], limit)
            ).fetchall()
            return list(dict.fromkeys(tu for (tu,) in rows))
        units = last + 1 - first
        if before is not None:
            last = min(last, before - 1)
        rows, start, end = [], first, first + (last - first) // 16
        for window in range(3):
            if window == 2 or end >= last or not _range_pays(expected, end - start, units):
                # the rest: its range AND-ed where that pays, else read with the candidates and
                # sorted (in the order of the (lang, tu) index, *- 13* read every English
                # segment for none: 4.6–5.8 s at 1M units; with a bitmap of every English
                # segment 0.35 s; 0.2 s without)
                column = "tu" if _range_pays(expected, last + 1 - start, units) else "tu + 0"
                rest = f"AND {column} >= %s" + (f" AND {column} < %s" if before is not None else "")
                bounds = (start, before) if before is not None else (start,)
                language = "lang = %s" if column == "tu" else "(lang = %s) IS TRUE"
                rows += self.conn.execute(
                    sql.format(language, rest, column), (*params, *bounds, limit - len(rows))
                )
                break
            rows += self.conn.execute(
                sql.format("lang = %s", "AND tu >= %s AND tu < %s", "tu"),
                (*params, start, end, limit - len(rows)),
            )
            if len(rows) >= limit:
                break
            # hits so far: the range expected to hold twice the hits still wanted (else the rest)
            start, end = end, (end + 2 * (end - first) * (limit - len(rows)) // len(rows) if rows else last)
        return list(dict.fromkeys(tu for (tu,) in rows))

    def _stored(self, key: str, groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """Of each query word's forms (``groups``), those the memory's vocabulary holds: a
        segment has keys of its own words only. pymorphy3 gives a Russian verb some 80 forms,
        and a key for each made the index read as many posting lists in every window and the
        planner expect thousands of candidates where there were 250, which it then AND-ed with
        a range of the (lang, tu) index (*рекомендует провести* at 1M units: 45.7 against 4.0
        ms). The pair keys keep every form: a word may stand in the vocabulary only glued to a
        non-ASCII mark (``«рекомендует``) and still be one of a pair's runs. A memory without
        the vocabulary's index (from before it, until its next import) is searched with every form."""
        if not groups or not self._has_word_index():
            return groups
        rows = self.conn.execute(
            "SELECT word FROM untm_word WHERE lang = %s AND word = ANY(%s)",
            (key, sorted({form for group in groups for form in group})),
        ).fetchall()
        held = {word for (word,) in rows}
        return [tuple(form for form in group if form in held) for group in groups]

    def _word_condition(self, key: str, needle: str) -> tuple[str, tuple[Any, ...], float] | None:
        """The condition on a word-language segment's keys that every segment containing
        ``needle`` meets, as the SQLite store's word query: inner words whole, the first and
        last possibly parts of words (the vocabulary's words that end, start with or contain
        them), and how many segments meet it (``_expected``). ``("", (), inf)``: the keys cannot
        narrow this down; ``None``: nothing can match."""
        whole: list[str] = []
        edges: list[list[str]] = []
        for match in TOKEN.finditer(needle):
            word = match.group()
            at_start, at_end = match.start() == 0, match.end() == len(needle)
            if not (at_start or at_end):
                whole.append(word)
                continue
            terms = self._vocabulary(key, word, at_start, at_end)
            if terms is None:
                continue
            if not terms:
                return None
            edges.append(terms)
        # a word part that stands for many words costs a posting list each (200: ~50 ms at
        # 300,000 units) and narrows little: left to the substring check when a narrower
        # condition exists
        narrow = [terms for terms in edges if len(terms) <= _FEW_TERMS]
        if not whole and not narrow and edges:
            narrow = [min(edges, key=len)]
        groups = [[word_key(word, key)] for word in dict.fromkeys(whole)]
        groups += [sorted({word_key(term, key) for term in terms}) for terms in narrow]
        pairs = [[word_key(pair, key)] for pair in query_pairs(needle)] if self._pairs else []
        asked = self._selective(groups, pairs)[0]
        return (*_key_conditions(asked), self._expected(asked))

    def _selective(
        self, groups: list[list[int]], pairs: Sequence[list[int]] = ()
    ) -> tuple[list[list[int]], list[list[int]]]:
        """Of ``groups`` (a segment must have a key of each), those worth asking the index for:
        a group of keys in more than ``_COMMON`` of the segments (by the planner's statistics:
        *the*, *of*, *в*) is left to the substring check when a narrower one exists. Its posting
        list was the slow part of a search (12–18 ms for *the* at 1M units), and the planner,
        expecting few hits, then read every candidate and sorted them (*the Treaty*: 140–180 ms)
        instead of reading the language's segments in import order until the limit (2 ms).
        The ``pairs`` (groups of adjacent words' keys) are asked for only where they narrow:
        in at most ``_COMMON`` of the segments and in a quarter of the narrowest group's (*of
        th*, in a quarter of English segments, made *of the* read its whole posting list in
        each window: 218 against 8 ms at 1M units), or narrower than words that are all
        common, which a pair then replaces. A common group stays only as the narrowest
        condition. Returns the groups to ask the index for and those left out (pairs left out
        are not checked: the substring check does it)."""
        first, last = self._span
        if first is None or last is None or last - first < _WINDOWED:
            # without windows, an ordered read the planner chose for a common word reads far
            # for a rare phrase (200,000 units: p95 52.5 against 29.5 ms unpruned; with
            # windows 37.1 against 35.4; at 1M 59.3 against 75.6)
            return [*groups, *pairs], []
        frequency = self._key_stats().share
        share = [sum(frequency.get(k, 0.0) for k in group) for group in groups]
        least = min(share, default=1.0)
        narrow_pairs = []
        for pair in pairs:
            part = sum(frequency.get(k, 0.0) for k in pair)
            # a pair is asked for where it narrows: a quarter of the narrowest word's share, or
            # narrower than words that are all common (*and the*, *for the*: their words'
            # posting lists were 124–146 ms of 150–177 at 1M units)
            if part <= _COMMON and (4 * part <= least or (part < least and least > _COMMON)):
                narrow_pairs.append((pair, part))
        narrowest = min([least, *(part for _, part in narrow_pairs)])
        # a common group stays only as the narrowest condition there is
        bound = _COMMON if len(groups) + len(narrow_pairs) > 1 else 1.0
        bound = max(bound, narrowest)
        kept = [group for group, part in zip(groups, share, strict=True) if part <= bound]
        kept += [pair for pair, _ in narrow_pairs]
        return kept, [group for group, part in zip(groups, share, strict=True) if part > bound]

    def _key_stats(self) -> _KeyStats:
        """What the planner's statistics say of the keys (``pg_stats`` of ``untm_seg.keys``:
        the share of segments each of the most common is in, empty before the first
        ``ANALYZE``; ``pg_class``: the number of segments), read again every 10 minutes."""
        now = time.monotonic()
        if self._stats is None or now - self._stats.read > 600:
            row = self.conn.execute(
                "SELECT most_common_elems::text::int4[], most_common_elem_freqs, c.reltuples "
                "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = 'untm_seg' "
                "AND s.attname = 'keys' AND s.schemaname = current_schema() "
                "WHERE c.oid = 'untm_seg'::regclass"
            ).fetchone()
            if row and row[0]:
                # pg_stats' frequencies end with the least and the most of them and the nulls'
                share = dict(zip(row[0], row[1], strict=False))
                self._stats = _KeyStats(now, share, row[1][-3] / 2, row[2])
            else:
                self._stats = _KeyStats(now, {}, 1.0, float("inf"))
        return self._stats

    def _expected(self, groups: Sequence[Sequence[int]]) -> float:
        """About how many segments have a key of each of ``groups``: at most as many as the
        rarest group's (its keys' shares, as the planner reckons them: a key not among the
        most common is put at half the least common's share). No groups: every segment."""
        if not groups:
            return float("inf")
        stats = self._key_stats()
        share = min(sum(stats.share.get(k, stats.unseen) for k in group) for group in groups)
        return share * stats.segments

    def _vocabulary(self, key: str, part: str, suffix: bool, prefix: bool) -> list[str] | None:
        """The stored words that end with ``part`` (``suffix``), start with it (``prefix``) or
        contain it (both); ``None`` if there are more than ``MAX_INFIX_TERMS`` (the condition
        would cost more than it saves)."""
        pattern = ("%" if suffix else "") + _escape_like(part) + ("%" if prefix else "")
        rows = self.conn.execute(
            "SELECT word FROM untm_word WHERE lang = %s AND word LIKE %s LIMIT %s",
            (key, pattern, MAX_INFIX_TERMS + 1),
        ).fetchall()
        if len(rows) > MAX_INFIX_TERMS:  # (a word two imports at once both added counts twice)
            return None
        return sorted({word for (word,) in rows})

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
        """As ``MemoryStore.match``: the same candidates (the 100% look-up, then whole-word or
        4-character probes), scored with the same CAT-style percentage."""
        text = _checked_query(segment, "segment")
        if not 0 <= minimum <= 100:
            raise UsageError(f"--min must be between 0 and 100, not {minimum}")
        src, tgt = lang_key(source), lang_key(target)
        low = text.lower()
        # candidates as the SQLite store finds them: the 100% look-up, then probes (the longest
        # words; 4-character windows for Chinese/Japanese), the units hit by most probes first
        hits: Counter[int] = Counter()
        for (tu,) in self.conn.execute(
            "SELECT tu FROM untm_seg WHERE lang = %s AND text = %s LIMIT %s", (src, low, PROBE_LIMIT)
        ):
            hits[tu] += MAX_PROBES + 1
        for probe in _probes(low, word_language(src)):
            params: tuple[Any, ...]
            if word_language(src):  # the key holds the language: no condition on it to mislead the planner
                sql, params = "keys @> %s::int4[]", ([word_key(probe, src)],)
            else:
                sql = "lang = %s AND keys @> %s::int4[] AND strpos(text, %s) > 0"
                params = (src, query_char_keys(probe), probe)
            for (tu,) in self.conn.execute(
                f"SELECT tu FROM untm_seg WHERE {sql} LIMIT %s", (*params, PROBE_LIMIT)
            ):
                hits[tu] += 1
        ids = [tu for tu, _ in hits.most_common(MAX_CANDIDATES)]
        return rank_matches(text, self._records(ids), src, tgt, minimum, limit, context, self._context_of)

    def _context_of(self, tu_id: int, unit: TranslationUnit, src: str) -> str | None:
        for name in ("x-context-pre", "prev"):
            value = unit.prop(name)
            if value is not None:
                return normalize(value)
        row = self.conn.execute(
            "SELECT prev.body, prev.data, prev.source = cur.source FROM untm_tu AS cur "
            "JOIN untm_tu AS prev ON prev.id = (SELECT max(id) FROM untm_tu WHERE id < cur.id) "
            "WHERE cur.id = %s",
            (tu_id,),
        ).fetchone()
        texts = texts_in(row[:2], src) if row and row[2] else []
        return normalize(texts[0]) if texts else None


def _empty(cur: Any) -> bool:
    return bool(cur.execute("SELECT NOT EXISTS (SELECT 1 FROM untm_tu)").fetchone()[0])


def _copy_vocabulary(cur: Any, vocabulary: dict[str, set[str]]) -> None:
    """Every (language, word) of ``vocabulary`` into ``untm_word``, by ``COPY``."""
    with cur.copy("COPY untm_word(lang, word) FROM STDIN") as copy:
        for lang, words in vocabulary.items():
            for word in words:
                copy.write_row((lang, word))


class _BulkLoader:
    """Rows copied straight into an empty memory locked for this import: ids given here,
    repeats dropped here, the vocabulary copied once at the end."""

    def __init__(self, cur: Any, source: int) -> None:
        self.cur, self.source = cur, source
        self.next_id = int(cur.execute("SELECT nextval('untm_tu_id_seq')").fetchone()[0])
        self.seen: set[int] = set()
        self.words: dict[str, set[str]] = {}

    def add(self, batch: Batch, segments: SegmentRows) -> int:
        ids: dict[int, int] = {}
        lines: list[str] = []
        seen, next_id, prefix = self.seen, self.next_id, f"\t{self.source}"
        for (offset, key, _, _), line in zip(batch.units, segments.units, strict=True):
            if key in seen:
                continue
            seen.add(key)
            ids[offset] = next_id
            lines.append(f"{next_id}{prefix}{line}")
            next_id += 1
        self.next_id = next_id
        with self.cur.copy("COPY untm_tu(id, source, key, body, data) FROM STDIN") as copy:
            copy.write("".join(lines))
        with self.cur.copy("COPY untm_seg(tu, lang, text, keys) FROM STDIN") as copy:
            copy.write("".join([f"{ids[at]}{line}" for at, line in segments.segments if at in ids]))
        for lang, words in segments.words.items():
            self.words.setdefault(lang, set()).update(words)
        return len(ids)

    def finish(self) -> None:
        _copy_vocabulary(self.cur, self.words)
        self.cur.execute("SELECT setval('untm_tu_id_seq', %s, false)", (self.next_id,))


class _StagedLoader:
    """Rows through staging tables into a memory in use: a unit whose key is stored (by anyone,
    this import included) is skipped; the vocabulary's new words are added at the end."""

    def __init__(self, cur: Any, source: int) -> None:
        self.cur, self.source = cur, source
        self.words: dict[str, set[str]] = {}
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS untm_st_tu(ord int, key bigint, body text, data text) "
            "ON COMMIT DROP"
        )
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS untm_st_seg(ord int, lang text, text text, keys text) "
            "ON COMMIT DROP"
        )

    def add(self, batch: Batch, segments: SegmentRows) -> int:
        cur = self.cur
        cur.execute("TRUNCATE untm_st_tu, untm_st_seg")
        with cur.copy("COPY untm_st_tu(ord, key, body, data) FROM STDIN") as copy:
            rows = zip(batch.units, segments.units, strict=True)
            copy.write("".join([f"{row[0]}{line}" for row, line in rows]))
        with cur.copy("COPY untm_st_seg(ord, lang, text, keys) FROM STDIN") as copy:
            copy.write("".join([f"{offset}{line}" for offset, line in segments.segments]))
        cur.execute(
            "WITH ins AS (INSERT INTO untm_tu(key, source, body, data) "
            "  SELECT key, %s, body, data FROM untm_st_tu ORDER BY ord "
            "  ON CONFLICT (key) DO NOTHING RETURNING id, key), "
            "seg AS (INSERT INTO untm_seg(tu, lang, text, keys) "
            "  SELECT ins.id, s.lang, s.text, s.keys::int4[] FROM ins "
            "  JOIN untm_st_tu t ON t.key = ins.key "
            "  JOIN untm_st_seg s ON s.ord = t.ord) "
            "SELECT count(*) FROM ins",
            (self.source,),
        )
        for lang, words in segments.words.items():
            self.words.setdefault(lang, set()).update(words)
        return int(cur.fetchone()[0])

    def finish(self) -> None:
        for lang, words in self.words.items():
            self.cur.execute(
                "INSERT INTO untm_word SELECT %s, w FROM unnest(%s::text[]) AS w "
                "WHERE NOT EXISTS (SELECT 1 FROM untm_word WHERE lang = %s AND word = w)",
                (lang, sorted(words), lang),
            )


def _drop_source_key(conn: Any) -> None:
    """The foreign key ``untm_tu.source → untm_source`` of memories made before it was left out
    (it cost 38 % of an import's ``COPY``), dropped in a transaction of its own: in an import's,
    its lock on ``untm_tu`` deadlocked with a second import waiting for the table. Left as it
    is if it cannot be dropped at once (a reader holds the table, a role that may not)."""
    import psycopg

    found = conn.execute(
        "SELECT 1 FROM pg_constraint WHERE conname = 'untm_tu_source_fkey' AND conrelid = 'untm_tu'::regclass"
    ).fetchone()
    if found is None:
        return
    try:
        with conn.transaction():
            conn.execute("SET LOCAL lock_timeout = '2s'")
            conn.execute("ALTER TABLE untm_tu DROP CONSTRAINT IF EXISTS untm_tu_source_fkey")
    except psycopg.Error:
        pass


def _upgrade_pg1(conn: Any) -> None:
    """A memory of the first design (format pg1: ``pg_trgm`` on the whole text of every segment,
    text arrays of bigrams and lemmas, a foreign key) to this one: every segment gets its
    integer keys, the vocabulary is filled, the old indexes, column and foreign key go. One
    transaction, by whoever opens the memory first; the units are not touched."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY,))
        if cur.execute("SELECT value FROM untm_meta WHERE key = 'schema'").fetchone()[0] != "pg1":
            return  # upgraded meanwhile
        cur.execute("ALTER TABLE untm_seg DROP CONSTRAINT IF EXISTS untm_seg_tu_fkey")
        cur.execute("DROP INDEX IF EXISTS untm_seg_trgm, untm_seg_grams")
        cur.execute("ALTER TABLE untm_seg DROP COLUMN IF EXISTS grams, ADD COLUMN keys int4[]")
        cur.execute(_SCHEMA)
        cur.execute("CREATE TEMP TABLE untm_up(row tid, keys text) ON COMMIT DROP")
        vocabulary: dict[str, set[str]] = {}
        with conn.cursor(name="untm_upgrade") as rows:
            rows.execute("SELECT ctid::text, lang, text FROM untm_seg")
            while chunk := rows.fetchmany(10_000):
                with cur.copy("COPY untm_up(row, keys) FROM STDIN") as copy:
                    for ctid, lang, low in chunk:
                        if not word_language(lang):
                            copy.write_row((ctid, "{" + char_keys(low) + "}"))
                            continue
                        words, keys = word_keys(low, lang)
                        vocabulary.setdefault(lang, set()).update(words)
                        copy.write_row((ctid, "{" + keys + "}"))
        cur.execute("UPDATE untm_seg SET keys = u.keys::int4[] FROM untm_up u WHERE untm_seg.ctid = u.row")
        _copy_vocabulary(cur, vocabulary)
        for statement in _INDEXES:
            cur.execute(statement)
        cur.execute("UPDATE untm_meta SET value = %s WHERE key = 'schema'", (SCHEMA_VERSION,))


def _range_pays(expected: float, window: int, units: int) -> bool:
    """Whether AND-ing a range of ``window`` of ``units`` units with the index's candidates
    (``expected`` of them in the memory) costs less than reading the candidates outside it.
    A unit of the range costs about a ``_RANGE_COST``-th of a candidate read and checked (at
    1M units: 0.17–0.18 µs a unit of the bitmap, 3–10 µs a candidate's row and its check)."""
    return expected * (units - window) >= window * units / _RANGE_COST


def _key_conditions(
    groups: list[list[int]], checked: Sequence[list[int]] = ()
) -> tuple[str, tuple[Any, ...]]:
    """SQL for "a segment has a key of each of ``groups``" (one ``@>`` for the single keys),
    and of each of ``checked`` in a form the planner cannot ask the index for (``IS TRUE``):
    checked on the candidates only."""
    single = sorted({group[0] for group in groups if len(group) == 1})
    conditions = ["keys @> %s::int4[]"] if single else []
    params: list[Any] = [single] if single else []
    for group in groups:
        if len(group) > 1:
            conditions.append("keys && %s::int4[]")
            params.append(group)
    for group in checked:
        conditions.append("(keys && %s::int4[]) IS TRUE")
        params.append(group)
    return " AND ".join(conditions), tuple(params)


def _form_keys(groups: Sequence[Sequence[str]], lang: str) -> list[list[int]]:
    """For each word of a query, the keys of its forms (``groups``:
    ``tmx.store.inflection.query_forms``, as the SQLite store asks its index): a segment holding
    the words inflected has a key of each list. Nothing when a word has no such form."""
    return [sorted({word_key(form, lang) for form in group}) for group in groups]


def _form_pair_keys(groups: Sequence[Sequence[str]], lang: str) -> list[list[int]]:
    """For each two neighbouring words of a query (``groups``: their forms), the pair keys of
    their forms: a segment holding the words inflected, side by side, has a key of each list."""
    return [
        sorted({word_key(_pair(a, b), lang) for a in first for b in second})
        for first, second in itertools.pairwise(groups)
    ]


def _escape_like(text: str) -> str:
    """``text`` inside a LIKE pattern (its ``\\``, ``%`` and ``_`` escaped)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _probes(text: str, words: bool) -> list[str]:
    """The match probes of a lower-cased segment: its longest words (of three letters and more),
    each a whole-word look-up, or evenly spaced 4-character windows of its runs of non-ASCII
    letters — as the SQLite store probes."""
    if words:
        found = sorted(dict.fromkeys(w for w in TOKEN.findall(text) if len(w) >= 3), key=len, reverse=True)
        return found[:MAX_PROBES]
    runs = [run for run in _LETTERS.findall(text) if not run.isascii()]
    windows = [run[i : i + PROBE_WIDTH] for run in runs for i in range(max(1, len(run) - PROBE_WIDTH + 1))]
    windows = [w for w in windows if len(w) >= 2]
    if not windows:
        return []
    count = min(CHAR_PROBES, len(windows))
    step = (len(windows) - 1) / max(1, count - 1)
    return list(dict.fromkeys(windows[round(i * step)] for i in range(count)))


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
