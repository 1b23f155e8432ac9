"""The translation memory on PostgreSQL: one database that a team's translators share.

The same public interface as the SQLite ``MemoryStore`` (import, export, concordance, fuzzy
match), the same units and the same match percentages, on a server many read and a few write at
once. What differs is how candidates are found:

* **Word languages** (en, ru, fr, es, ar, …): ``pg_trgm``'s GIN index on the lower-cased,
  whitespace-normalised text answers ``LIKE '%query%'`` for queries of three characters and
  more, and trigram similarity gives the fuzzy-match candidates.
* **Chinese and Japanese**: trigrams are useless for the one- and two-character queries that
  matter (朝鲜, 缅甸: ``pg_trgm`` extracts no trigram a two-character query can be checked
  against, so the planner scans), so each segment also gets its distinct characters and
  character bigrams as a ``text[]`` with a GIN index; a query is the array of its bigrams
  (``@>``), then checked as a substring. ``docs/bench-tm.md`` shows the plans and timings.
* **Russian inflection**: each Russian segment also gets its words' lemmas (pymorphy3), so a
  concordance query for *Совет Безопасности* also finds *Совета Безопасности*.

Imports run in one transaction (all or nothing; readers keep reading the committed memory
meanwhile, MVCC); a unit whose key is already stored is skipped with ``ON CONFLICT DO NOTHING``,
so two imports at once both land without duplicates (the second waits on the first's keys).
Needs ``psycopg`` (``pip install 'untm[postgres]'``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tmx.fuzzy import normalize
from tmx.store.memory import (
    _LETTERS,
    CHAR_PROBES,
    MAX_CANDIDATES,
    MAX_PROBES,
    PROBE_LIMIT,
    PROBE_WIDTH,
    ConcordanceHit,
    FuzzyMatch,
    ImportStats,
    _checked_query,
    _may_contain,
    highlight_spans,
    rank_matches,
)
from tmx.store.rows import Batch, decode_unit, lang_key, prepare_batch, texts_in, word_language
from tmx.units import TranslationUnit
from uncore.errors import InputError, UsageError
from uncore.lang.words import ru_lemma

SCHEMA_VERSION = "pg1"
DEFAULT_BATCH = 5000
_WORD = re.compile(r"\w+")

_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS untm_meta(key text PRIMARY KEY, value text);
CREATE TABLE IF NOT EXISTS untm_source(id bigserial PRIMARY KEY, path text, header text);
CREATE TABLE IF NOT EXISTS untm_tu(id bigserial PRIMARY KEY, key bigint NOT NULL UNIQUE,
    source bigint REFERENCES untm_source(id), body text, data text);
CREATE TABLE IF NOT EXISTS untm_lang(lang text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS untm_seg(tu bigint NOT NULL REFERENCES untm_tu(id) ON DELETE CASCADE,
    lang text NOT NULL, text text NOT NULL, grams text[]);
INSERT INTO untm_meta VALUES ('schema', 'pg1') ON CONFLICT (key) DO NOTHING;
"""


_INDEXES = (
    # (lang, tu): a frequent query is answered by reading the language's segments in import
    # order until the limit is reached, instead of collecting every hit and sorting them
    "CREATE INDEX IF NOT EXISTS untm_seg_tu ON untm_seg(lang, tu)",
    "CREATE INDEX IF NOT EXISTS untm_seg_trgm ON untm_seg USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS untm_seg_grams ON untm_seg USING gin (grams)",
    "CREATE INDEX IF NOT EXISTS untm_seg_exact ON untm_seg USING hash (text)",  # 100% matches
)


def is_url(location: object) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def char_grams(text: str) -> list[str]:
    """The distinct characters and character bigrams of ``text`` (lower-cased), whitespace left
    out: what a Chinese or Japanese segment is indexed by, and what a query is looked up by."""
    chars = [ch for ch in text if not ch.isspace()]
    grams = set(chars)
    grams.update(a + b for a, b in itertools.pairwise(chars))
    return sorted(grams)


def query_grams(text: str) -> list[str]:
    """The grams a segment must have to contain ``text``: its bigrams (its one character)."""
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < 2:
        return chars
    return sorted({a + b for a, b in itertools.pairwise(chars)})


def lemma_keys(text: str, lang: str) -> list[str]:
    """The lemmas of ``text``'s words, marked ``=`` (no bigram starts with it), for inflected
    languages (Russian); nothing for the others."""
    if lang != "ru":
        return []
    return sorted({"=" + _lemma(word) for word in _WORD.findall(text.lower())})


_lemma = ru_lemma  # the word's lemma, as the term finder and the termbase key it


def _segment_rows(batch: Batch) -> Iterator[tuple[int, str, str, list[str] | None]]:
    """(offset, language, lower-cased normalised text, grams) for every indexed segment."""
    for lang in batch.index.keys() | batch.ready.keys():
        chars = not word_language(lang)
        for offset, text in batch.index.get(lang, ()):
            low = text.lower()
            grams = char_grams(low) if chars else (lemma_keys(low, lang) or None)
            yield offset, lang, low, grams
        for offset, text in batch.ready.get(lang, ()):
            # two variants in one language: the index text of both (with its exact token)
            low = " ".join(t for t in text.split() if not t.startswith("\u01c5"))
            low = low.replace(" ", "") if chars and " " not in normalize(low) else low
            grams = char_grams(low) if chars else (lemma_keys(low, lang) or None)
            yield offset, lang, low, grams


class PostgresMemoryStore:
    """A translation memory in a PostgreSQL database (``postgresql://user@host/db``)."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        try:
            import psycopg
        except ImportError as error:
            raise UsageError("a PostgreSQL memory needs psycopg: pip install 'untm[postgres]'") from error
        self.path = url
        self.readonly = readonly
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as error:
            raise InputError(
                f"cannot connect to the memory's database: {str(error).strip()}", path=_safe(url)
            ) from None
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
                    cur.execute("SELECT pg_advisory_xact_lock(7243)")  # two first imports at once
                    cur.execute(_SCHEMA)
                    for statement in _INDEXES:
                        cur.execute(statement)
            row = cur.execute("SELECT value FROM untm_meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            self.conn.close()
            raise InputError(
                f"memory in format {row[0] if row else '?'}, this untm reads {SCHEMA_VERSION}",
                path=_safe(url),
            )

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

    def import_units(
        self,
        units: Iterable[TranslationUnit],
        *,
        origin: str | None = None,
        header: dict[str, Any] | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> ImportStats:
        """Add ``units`` in one transaction (all or nothing), ``batch_size`` at a time through
        ``COPY`` into staging tables; units already stored (by anyone) are skipped. ``progress``
        is called with the number of units read after each batch."""
        if self.readonly:
            raise UsageError("this memory was opened read-only", path=_safe(self.path))
        read = added = 0
        stream = iter(units)
        with self.conn.transaction(), self.conn.cursor() as cur:
            source = cur.execute(
                "INSERT INTO untm_source(path, header) VALUES (%s, %s) RETURNING id",
                (origin, json.dumps(header, ensure_ascii=False) if header else None),
            ).fetchone()[0]  # type: ignore[index]
            bulk = cur.execute("SELECT NOT EXISTS (SELECT 1 FROM untm_tu)").fetchone()[0]  # type: ignore[index]
            if bulk:
                # an empty memory: index once at the end (in this transaction: all or nothing);
                # GIN upkeep row by row costs several times the import itself
                cur.execute("LOCK TABLE untm_tu IN SHARE ROW EXCLUSIVE MODE")
                cur.execute("DROP INDEX IF EXISTS untm_seg_trgm, untm_seg_grams, untm_seg_tu, untm_seg_exact")
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS untm_st_tu(ord int, key bigint, body text, "
                "data text) ON COMMIT DROP"
            )
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS untm_st_seg(ord int, lang text, text text, "
                "grams text) ON COMMIT DROP"
            )
            while True:
                batch = prepare_batch(stream, batch_size, vocabulary=False)
                if batch.read == 0:
                    break
                read += batch.read
                cur.execute("TRUNCATE untm_st_tu, untm_st_seg")
                with cur.copy("COPY untm_st_tu(ord, key, body, data) FROM STDIN") as copy:
                    for row in batch.units:
                        copy.write_row(row)
                with cur.copy("COPY untm_st_seg(ord, lang, text, grams) FROM STDIN") as copy:
                    for offset, lang, low, grams in _segment_rows(batch):
                        copy.write_row((offset, lang, low, _array(grams)))
                cur.execute(
                    "WITH ins AS (INSERT INTO untm_tu(key, source, body, data) "
                    "  SELECT key, %s, body, data FROM untm_st_tu ORDER BY ord "
                    "  ON CONFLICT (key) DO NOTHING RETURNING id, key), "
                    "seg AS (INSERT INTO untm_seg(tu, lang, text, grams) "
                    "  SELECT ins.id, s.lang, s.text, s.grams::text[] FROM ins "
                    "  JOIN untm_st_tu t ON t.key = ins.key "
                    "  JOIN untm_st_seg s ON s.ord = t.ord) "
                    "SELECT count(*) FROM ins",
                    (source,),
                )
                added += int(cur.fetchone()[0])  # type: ignore[index]
                cur.execute(
                    "INSERT INTO untm_lang SELECT DISTINCT lang FROM untm_st_seg ON CONFLICT DO NOTHING"
                )
                if progress is not None:
                    progress(batch.read)
            if bulk:
                cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for statement in _INDEXES:
                    cur.execute(statement)
        self.conn.execute("ANALYZE untm_seg")
        return ImportStats(read=read, added=added, duplicates=read - added)

    def import_from(
        self,
        reader: Any,
        *,
        origin: str | None = None,
        header: dict[str, Any] | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> ImportStats:
        """``import_units(reader())``: the server does the indexing, so no second process here."""
        return self.import_units(
            reader(), origin=origin, header=header, batch_size=batch_size, progress=progress
        )

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
        like = _like(needle)
        if not word_language(key):
            sql = (
                "SELECT tu FROM untm_seg WHERE lang = %s AND grams @> %s::text[] "
                "AND strpos(text, %s) > 0 ORDER BY tu LIMIT %s"
            )
            params: tuple[Any, ...] = (key, query_grams(needle), needle, limit)
        elif lemmas := lemma_keys(needle, key):
            sql = (
                "SELECT tu FROM untm_seg WHERE lang = %s "
                "AND (text LIKE %s OR grams @> %s::text[]) ORDER BY tu LIMIT %s"
            )
            params = (key, like, lemmas, limit * 4)
        else:
            sql = "SELECT tu FROM untm_seg WHERE lang = %s AND text LIKE %s ORDER BY tu LIMIT %s"
            params = (key, like, limit)
        ids = list(dict.fromkeys(tu for (tu,) in self.conn.execute(sql, params)))
        hits = []
        for tu, record in self._records(ids):
            for seg_text in texts_in(record, key):
                spans = highlight_spans(seg_text, text) or _lemma_spans(seg_text, needle, key)
                if spans:
                    hits.append(ConcordanceHit(tu, key, seg_text, spans, decode_unit(record)))
        return hits[:limit]

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
        """As ``MemoryStore.match``: candidates by trigram similarity (bigram overlap for short
        Chinese/Japanese segments), scored with the same CAT-style percentage."""
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
            if word_language(src):
                sql, params = "text LIKE %s", (_like(probe),)
            else:
                sql, params = "grams @> %s::text[] AND strpos(text, %s) > 0", (query_grams(probe), probe)
            for (tu,) in self.conn.execute(
                f"SELECT tu FROM untm_seg WHERE lang = %s AND {sql} LIMIT %s", (src, *params, PROBE_LIMIT)
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


def _lemma_spans(text: str, needle: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Where the words of ``needle`` occur in ``text`` inflected (same lemmas, in order)."""
    wanted = [_lemma(w) for w in _WORD.findall(needle)]
    if not wanted:
        return ()
    words = list(_WORD.finditer(text.lower()))
    lemmas = [_lemma(m.group()) for m in words]
    spans = []
    for i in range(len(words) - len(wanted) + 1):
        if lemmas[i : i + len(wanted)] == wanted:
            spans.append((words[i].start(), words[i + len(wanted) - 1].end()))
    return tuple(spans)


def _array(items: list[str] | None) -> str | None:
    """A ``text[]`` literal (psycopg's list dumper costs ~0.15 ms a segment in Python)."""
    if items is None:
        return None
    return "{" + ",".join('"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items) + "}"


def _like(text: str) -> str:
    """A LIKE pattern for ``text`` anywhere (its ``\\``, ``%`` and ``_`` escaped)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _probes(text: str, words: bool) -> list[str]:
    """The match probes of a lower-cased segment: its longest words (of three letters and more:
    trigrams), or evenly spaced 4-character windows of its runs of non-ASCII letters."""
    if words:
        found = sorted(dict.fromkeys(w for w in _WORD.findall(text) if len(w) >= 3), key=len, reverse=True)
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
