"""The termbase on PostgreSQL: one database a team's translators and terminologists share.

The same interface and behaviour as the SQLite ``Termbase`` (``termbase.store.TermStore``):
concepts and terms with their normalised forms and lemma keys, a revision counter, imports in
one transaction (all or nothing), the bundled UN termbase loaded when the termbase is created.
Lookups give the same results on both (``tests/termbase/test_store_backends.py``): every answer
is ordered as the SQLite store orders it, and the normalised forms are compared in code-point
order (``COLLATE "C"``), as SQLite compares them, whatever the database's locale.

The tables are prefixed ``untm_tb_``, so the termbase can live in the same database as the
team's translation memory (``tmx.store.postgres``, tables ``untm_*``). Readers never wait for a
writer (MVCC); writers take one advisory lock for the length of their transaction, so two
imports at once are applied one after the other (concept numbers, the "already exists" check
and the revision stay consistent) and a term added is seen by every connection's next lookup.
Needs ``psycopg`` (``pip install 'untm[postgres]'``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from termbase.model import Concept, Term, storable_term
from termbase.store import (
    CONCEPT_COLUMNS,
    SCHEMA_VERSION,
    TERM_COLUMNS,
    TermStore,
    already_there,
    assemble,
    checked_batches,
    concept_row,
    term_row,
)
from uncore.errors import InputError, UsageError

_LOCK = 7244  # advisory lock of the termbase's writers (the memory's first import takes 7243)

_SCHEMA = """
CREATE TABLE untm_tb_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE untm_tb_concept (
    seq bigint PRIMARY KEY, id text NOT NULL UNIQUE,
    subject text, definition text, note text, source text, date text
);
CREATE TABLE untm_tb_term (
    id bigserial PRIMARY KEY,
    concept bigint NOT NULL REFERENCES untm_tb_concept(seq) ON DELETE CASCADE,
    lang text NOT NULL, text text NOT NULL, norm text COLLATE "C" NOT NULL, lemma text COLLATE "C",
    status text NOT NULL, type text NOT NULL, pos text, context text, source text, note text,
    date text, not_inside text NOT NULL DEFAULT ''
);
CREATE INDEX untm_tb_term_norm ON untm_tb_term (norm);
CREATE INDEX untm_tb_term_lemma ON untm_tb_term (lemma);
CREATE INDEX untm_tb_term_concept ON untm_tb_term (concept);
"""

_CURSORS = itertools.count(1)  # names of server-side cursors (two iterations may overlap)

_SELECT = f"""
    SELECT {CONCEPT_COLUMNS}
    FROM untm_tb_concept c LEFT JOIN untm_tb_term t ON t.concept = c.seq {{where}}
    ORDER BY c.seq, t.id"""


def safe_url(url: str) -> str:
    """The URL without its password, for messages and reports."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


class PostgresTermbase(TermStore):
    """A concept-oriented termbase in a PostgreSQL database (``postgresql://user@host/db``)."""

    _TERMS = "untm_tb_term"
    _MARK = "%s"
    _CONTAINS = "strpos(norm, %s) > 0"

    def __init__(self, connection: Any, url: str) -> None:
        super().__init__()
        self._db = connection
        self.path = safe_url(url)
        version = self._meta("schema_version", "0")
        if version != str(SCHEMA_VERSION):
            connection.close()
            raise InputError(
                f"termbase schema version {version}, this untm reads {SCHEMA_VERSION}", path=self.path
            )

    @classmethod
    def open(cls, url: str, *, seed: bool = True) -> PostgresTermbase:
        """Connect to the termbase at ``url``; the first connection to a database without one
        creates it, seeded with the bundled UN termbase (unless ``seed=False``) in the same
        transaction, so no one ever sees it half made."""
        try:
            import psycopg
        except ImportError as error:
            raise UsageError("a PostgreSQL termbase needs psycopg: pip install 'untm[postgres]'") from error
        try:
            connection = psycopg.connect(url, autocommit=True)
        except psycopg.Error as error:
            raise InputError(
                f"cannot connect to the termbase's database: {str(error).strip()}", path=safe_url(url)
            ) from None
        if not _exists(connection):
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                if not _exists(connection):  # not made meanwhile by another first connection
                    connection.execute(_SCHEMA)
                    connection.execute(
                        "INSERT INTO untm_tb_meta (key, value)"
                        " VALUES ('schema_version', %s), ('revision', '0')",
                        (str(SCHEMA_VERSION),),
                    )
                    if seed:
                        cls(connection, url).update_bundled()
        return cls(connection, url)

    def close(self) -> None:
        self._db.close()

    # -- reading ---------------------------------------------------------------------------
    def _meta(self, key: str, default: str) -> str:
        row = self._db.execute("SELECT value FROM untm_tb_meta WHERE key = %s", (key,)).fetchone()
        return str(row[0]) if row else default

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO untm_tb_meta (key, value) VALUES (%s, %s)"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (key, value),
        )

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM untm_tb_concept").fetchone()[0])

    def __iter__(self) -> Iterator[Concept]:
        """Every concept, in insertion order, read through a server-side cursor (a large
        termbase is never in memory at once), in one snapshot."""
        with self._db.transaction(), self._db.cursor(name=f"untm_tb_{next(_CURSORS)}") as cursor:
            cursor.itersize = 2000
            cursor.execute(_SELECT.format(where=""))
            for _, concept in assemble(cursor):
                yield concept

    def __contains__(self, concept_id: object) -> bool:
        found = self._db.execute("SELECT 1 FROM untm_tb_concept WHERE id = %s", (concept_id,))
        return found.fetchone() is not None

    def concepts_by_id(self, concept_ids: Sequence[str]) -> dict[str, Concept]:
        rows = self._db.execute(_SELECT.format(where="WHERE c.id = ANY(%s)"), (list(concept_ids),))
        return {concept.id: concept for _, concept in assemble(rows)}

    def concepts_by_rowid(self, rowids: Iterable[int]) -> dict[int, Concept]:
        rows = self._db.execute(_SELECT.format(where="WHERE c.seq = ANY(%s)"), (sorted(set(rowids)),))
        return dict(assemble(rows))

    # -- writing ---------------------------------------------------------------------------
    def import_concepts(self, concepts: Iterable[Concept], *, replace: bool = False) -> int:
        """Add concepts in one transaction (see ``TermStore.import_concepts``), written with
        ``COPY`` a batch at a time; concept numbers are assigned here, under the writers' lock."""
        count = 0
        with self._db.transaction():
            self._lock()
            row = self._db.execute("SELECT coalesce(max(seq), 0) FROM untm_tb_concept").fetchone()
            next_seq = int(row[0]) + 1
            for batch in checked_batches(concepts):
                next_seq = self._insert_batch(batch, next_seq, replace)
                count += len(batch)
            self._bump()
        return count

    def _insert_batch(self, batch: list[Concept], seq: int, replace: bool) -> int:
        db = self._db
        ids = [c.id for c in batch]
        existing = [r[0] for r in db.execute("SELECT id FROM untm_tb_concept WHERE id = ANY(%s)", (ids,))]
        already_there(existing, replace)
        if existing:
            db.execute("DELETE FROM untm_tb_concept WHERE id = ANY(%s)", (existing,))  # terms cascade
        concept_rows: list[tuple[object, ...]] = []
        term_rows: list[tuple[object, ...]] = []
        for concept in batch:
            concept_rows.append(concept_row(seq, concept))
            term_rows.extend(term_row(seq, term) for term in concept.terms)
            seq += 1
        with db.cursor() as cursor:
            with cursor.copy(
                "COPY untm_tb_concept (seq, id, subject, definition, note, source, date) FROM STDIN"
            ) as copy:
                for record in concept_rows:
                    copy.write_row(record)
            with cursor.copy(f"COPY untm_tb_term ({TERM_COLUMNS}) FROM STDIN") as copy:
                for record in term_rows:  # in order: term ids keep the input's order
                    copy.write_row(record)
        return seq

    def add_term(self, concept_id: str, term: Term, *, create: bool = True) -> None:
        term = storable_term(term, concept_id)
        with self._db.transaction():
            self._lock()
            row = self._db.execute("SELECT seq FROM untm_tb_concept WHERE id = %s", (concept_id,)).fetchone()
            if row is None:
                if not create:
                    raise UsageError(f"no concept {concept_id!r}")
                top = self._db.execute("SELECT coalesce(max(seq), 0) FROM untm_tb_concept").fetchone()
                self._insert_batch([Concept(id=concept_id, terms=(term,))], int(top[0]) + 1, replace=False)
            else:
                dup = self._db.execute(
                    "SELECT 1 FROM untm_tb_term WHERE concept = %s AND lang = %s AND text = %s",
                    (row[0], term.lang, term.text),
                ).fetchone()
                if dup:
                    raise UsageError(f"{term.text!r} ({term.lang}) is already in concept {concept_id!r}")
                self._db.execute(
                    f"INSERT INTO untm_tb_term ({TERM_COLUMNS}) VALUES ({', '.join(['%s'] * 13)})",
                    term_row(row[0], term),
                )
            self._bump()

    def _lock(self) -> None:
        self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))

    def _bump(self) -> None:
        self._db.execute("UPDATE untm_tb_meta SET value = (value::bigint + 1)::text WHERE key = 'revision'")


def _exists(connection: Any) -> bool:
    found = connection.execute("SELECT to_regclass('untm_tb_meta')").fetchone()
    return found is not None and found[0] is not None
