"""The termbase on disk: one SQLite file with a versioned schema — or, for a team, a PostgreSQL
database (``termbase.store_postgres``) behind the same interface, ``TermStore``.

``open_termbase(location)`` picks the store: a ``postgresql://`` URL, else a SQLite file
(``None``: ``$UNTM_TERMBASE``, which may hold either, or ``~/.local/share/untm/termbase.sqlite``).
A new termbase is seeded with the bundled UN termbase (``termbase/bundled/un-terms.tsv``) and only
appears once complete. Every import runs in one transaction: a bad row rolls back the whole import
so nothing is half-imported. The ``revision`` counter goes up with every change, so a QA report
can record exactly which state of the termbase it was checked against.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from termbase.model import Concept, Status, Term, TermbaseStats, TermType, storable, storable_term
from uncore.atomic import atomic_path
from uncore.errors import InputError, UsageError
from uncore.lang.normalize import normalize
from uncore.lang.terms import lemma_key

SCHEMA_VERSION = 2  # 2: terms.lemma (inflection-aware lookup); version 1 files are migrated
BUNDLED_TSV = Path(__file__).resolve().parent / "bundled" / "un-terms.tsv"
ENV = "UNTM_TERMBASE"
URL_SCHEMES = ("postgresql://", "postgres://")
BATCH = 2000  # concepts written at a time by an import

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE concepts (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    subject TEXT, definition TEXT, note TEXT, source TEXT, date TEXT
);
CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    concept INTEGER NOT NULL REFERENCES concepts(seq) ON DELETE CASCADE,
    lang TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL, lemma TEXT,
    status TEXT NOT NULL, type TEXT NOT NULL, pos TEXT, context TEXT, source TEXT, note TEXT,
    date TEXT, not_inside TEXT NOT NULL DEFAULT ''
);
CREATE INDEX terms_norm ON terms(norm);
CREATE INDEX terms_lemma ON terms(lemma);
CREATE INDEX terms_concept ON terms(concept);
"""

# The columns a concept is read back from, joined with its terms (both stores, in this order).
CONCEPT_COLUMNS = (
    "c.seq, c.id, c.subject, c.definition, c.note, c.source, c.date,"
    " t.lang, t.text, t.status, t.type, t.pos, t.context, t.source, t.note, t.date, t.not_inside"
)
TERM_COLUMNS = "concept, lang, text, norm, lemma, status, type, pos, context, source, note, date, not_inside"


def is_url(location: object) -> bool:
    """A PostgreSQL termbase's location (``postgresql://user@host/db``), not a file."""
    return str(location).startswith(URL_SCHEMES)


def default_path() -> Path:
    """``$UNTM_TERMBASE``, else ``$XDG_DATA_HOME/untm/termbase.sqlite`` (``~/.local/share``)."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "untm" / "termbase.sqlite"


def open_termbase(location: str | Path | None = None, *, seed: bool = True) -> TermStore:
    """The termbase at ``location``: a ``postgresql://`` URL (``PostgresTermbase``, a team's),
    else a SQLite file (``Termbase``; ``":memory:"`` a private in-memory one). ``None`` →
    ``$UNTM_TERMBASE`` (a URL or a path), else the default file. A new termbase is seeded with
    the bundled UN termbase unless ``seed=False``."""
    if location is None:
        location = os.environ.get(ENV) or None
    if location is not None and is_url(location):
        from termbase.store_postgres import PostgresTermbase

        return PostgresTermbase.open(str(location), seed=seed)
    return Termbase.open(location, seed=seed)


def bundled_concepts() -> list[Concept]:
    """The bundled UN termbase as concepts (built by ``python -m termbase.build``); read once
    per process (the concepts are frozen, so callers may share them)."""
    return list(_bundled())


@lru_cache(maxsize=1)
def _bundled() -> tuple[Concept, ...]:
    from termbase.tabular import read_table

    return tuple(read_table(BUNDLED_TSV, "tsv"))


@lru_cache(maxsize=1)
def bundled_digest() -> str:
    """Fingerprint of the bundled data, stored in a termbase seeded from it, so that a newer untm
    can tell the user their copy of the UN termbase is out of date."""
    return hashlib.sha256(BUNDLED_TSV.read_bytes()).hexdigest()[:16]


class TermStore:
    """What every termbase store offers: the interface lookup, QA, the CLI and the web page use.

    A store keeps concepts with a number of their own (their *rowid*, in insertion order) and,
    per term, its normalised form (``norm``) and lemma key; the ``find_*`` methods answer with
    rowids so lookup can fetch only the concepts it shows. Both stores order every answer the
    same way (rowids by their first term, ties by term id), so a lookup gives the same results
    on either. Iterating yields ``Concept``s in insertion order.

    The subclasses implement the storage (``Termbase``: SQLite; ``PostgresTermbase``); what is
    the same for both — the bundled termbase's update, the candidate lists, the checks on an
    import's input — lives here once.
    """

    path: Path | str | None  # a file, a URL without its password (for messages), or None

    def __init__(self) -> None:
        self._norm_cache: tuple[int, list[tuple[str, int]]] | None = None

    # -- implemented by each store ------------------------------------------------------------
    def close(self) -> None:
        raise NotImplementedError

    def _meta(self, key: str, default: str) -> str:
        raise NotImplementedError

    def _set_meta(self, key: str, value: str) -> None:
        """Store a meta value (committed; not a change of the terms, so no new revision)."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Concept]:
        raise NotImplementedError

    def __contains__(self, concept_id: object) -> bool:
        raise NotImplementedError

    def concepts_by_id(self, concept_ids: Sequence[str]) -> dict[str, Concept]:
        raise NotImplementedError

    def concepts_by_rowid(self, rowids: Iterable[int]) -> dict[int, Concept]:
        raise NotImplementedError

    # -- the look-ups: one SQL for both stores, in each store's dialect -----------------------
    _db: Any  # a DB-API connection whose ``execute`` returns an iterable cursor
    _TERMS = "terms"  # the table of terms
    _MARK = "?"  # the parameter placeholder
    _CONTAINS = "instr(norm, ?) > 0"  # ``norm`` contains the parameter

    def _sql(self, query: str, args: tuple[object, ...]) -> Any:
        return self._db.execute(query.format(t=self._TERMS, p=self._MARK, contains=self._CONTAINS), args)

    def find_exact(self, norm: str, limit: int = 50) -> list[int]:
        """Concept rowids with a term whose normalised form is ``norm`` (indexed), in the order
        of their first such term."""
        query = "SELECT concept FROM {t} WHERE norm = {p} GROUP BY concept ORDER BY min(id) LIMIT {p}"
        return [int(r[0]) for r in self._sql(query, (norm, limit))]

    def find_lemma(self, key: str, limit: int = 50) -> list[int]:
        """Concept rowids with a term whose lemma key is ``key`` (Южной Кореи → южный корея)."""
        query = "SELECT concept FROM {t} WHERE lemma = {p} GROUP BY concept ORDER BY min(id) LIMIT {p}"
        return [int(r[0]) for r in self._sql(query, (key, limit))]

    def find_prefix(self, norm: str, limit: int = 50) -> list[tuple[int, str]]:
        """(concept rowid, normalised term) for terms starting with (and longer than) ``norm``,
        shortest first, then in code-point order (an index range scan, not a LIKE)."""
        query = (
            "SELECT concept, norm FROM {t} WHERE norm > {p} AND norm < {p}"
            " ORDER BY length(norm), norm, id LIMIT {p}"
        )
        return [(r[0], r[1]) for r in self._sql(query, (norm, norm + "\U0010ffff", limit))]

    def find_containing(self, norm: str, limit: int = 100) -> list[tuple[int, str]]:
        """(concept rowid, normalised term) for terms containing ``norm``, shortest first, then
        in insertion order: a scan of every term. ``termbase.lookup`` answers the same from an
        index it builds from ``norms()`` (a scan per query was most of a lookup's time)."""
        query = "SELECT concept, norm FROM {t} WHERE {contains} ORDER BY length(norm), id LIMIT {p}"
        return [(r[0], r[1]) for r in self._sql(query, (norm, limit))]

    def _load_norms(self) -> list[tuple[str, int]]:
        """(normalised term, concept rowid) for every term, in insertion order."""
        return [(r[0], r[1]) for r in self._sql("SELECT norm, concept FROM {t} ORDER BY id", ())]

    def stats(self) -> TermbaseStats:
        return stats_from(
            len(self),
            list(self._sql("SELECT lang, count(*) FROM {t} GROUP BY lang", ())),
            list(self._sql("SELECT status, count(*) FROM {t} GROUP BY status", ())),
        )

    def import_concepts(self, concepts: Iterable[Concept], *, replace: bool = False) -> int:
        """Add concepts in one transaction. An id seen twice in the input, or already present
        (unless ``replace``), raises ``InputError`` and leaves the termbase as it was."""
        raise NotImplementedError

    def add_term(self, concept_id: str, term: Term, *, create: bool = True) -> None:
        """Add one term to a concept (created when missing and ``create``)."""
        raise NotImplementedError

    # -- the same for every store ---------------------------------------------------------------
    def __enter__(self) -> TermStore:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    @property
    def revision(self) -> int:
        """Goes up by one with every committed change (by any connection)."""
        return int(self._meta("revision", "0"))

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts_by_id([concept_id]).get(concept_id)

    def norms(self) -> list[tuple[str, int]]:
        """(normalised term, concept rowid) for every term, in insertion order: the candidate
        list of fuzzy and word-inside-a-name lookup, kept until the revision changes (a change
        made through another connection included)."""
        revision = self.revision
        if self._norm_cache is None or self._norm_cache[0] != revision:
            self._norm_cache = (revision, self._load_norms())
        return self._norm_cache[1]

    @property
    def bundled_outdated(self) -> bool:
        """True when this termbase was seeded from an older bundled UN termbase than the one
        this untm ships (``untm term update`` brings it up to date)."""
        seeded = self._meta("bundled_digest", "")
        return bool(seeded) and seeded != bundled_digest()

    def local_terms(self) -> dict[str, list[Term]]:
        """Per bundled concept, the terms the user added to it (a language and text the bundled
        version does not have): what a plain reload of the bundled termbase would lose."""
        shipped_concepts = bundled_concepts()
        mine = self.concepts_by_id([c.id for c in shipped_concepts])
        out: dict[str, list[Term]] = {}
        for concept in shipped_concepts:
            found = mine.get(concept.id)
            if found is None:
                continue
            shipped = {(t.lang, t.text) for t in concept.terms}
            extra = [t for t in found.terms if (t.lang, t.text) not in shipped]
            if extra:
                out[concept.id] = extra
        return out

    def update_bundled(self, *, discard_local: bool = False) -> int:
        """Load the bundled UN termbase, replacing the bundled concepts already present. The
        user's own concepts are kept, and so are the terms the user added to a bundled concept
        (``local_terms``) unless ``discard_local``."""
        local = {} if discard_local else self.local_terms()
        concepts = [
            replace(c, terms=(*c.terms, *local[c.id])) if c.id in local else c for c in bundled_concepts()
        ]
        count = self.import_concepts(concepts, replace=True)
        self._set_meta("bundled_digest", bundled_digest())
        return count


def checked_batches(concepts: Iterable[Concept], size: int = BATCH) -> Iterator[list[Concept]]:
    """``concepts`` as the store keeps them (``storable``), ``size`` at a time, refusing what no
    store may hold: a concept id twice in the input, a term twice in a concept (``InputError``,
    raised inside the importing transaction, so nothing is kept)."""
    seen: set[str] = set()
    batch: list[Concept] = []
    for given in concepts:
        concept = storable(given)
        if concept.id in seen:
            raise InputError(f"duplicate concept id {concept.id!r} in the input", element=concept.id)
        seen.add(concept.id)
        pairs: set[tuple[str, str]] = set()
        for term in concept.terms:
            if (term.lang, term.text) in pairs:
                raise InputError(
                    f"duplicate term {term.text!r} ({term.lang}) in concept {concept.id!r}",
                    element=concept.id,
                )
            pairs.add((term.lang, term.text))
        batch.append(concept)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def already_there(existing: Sequence[str], replace: bool) -> None:
    """Refuse to import over existing concepts unless ``replace``."""
    if existing and not replace:
        raise InputError(
            f"concept {existing[0]!r} already exists (use --replace to overwrite)", element=existing[0]
        )


def concept_row(seq: int, concept: Concept) -> tuple[object, ...]:
    return (seq, concept.id, concept.subject, concept.definition, concept.note, concept.source, concept.date)


def term_row(concept_seq: int, term: Term) -> tuple[object, ...]:
    """A term as both stores keep it (``TERM_COLUMNS``): with its normalised form and lemma key."""
    return (
        concept_seq,
        term.lang,
        term.text,
        normalize(term.text),
        lemma_key(term.text, term.lang),
        term.status.value,
        term.type.value,
        term.pos,
        term.context,
        term.source,
        term.note,
        term.date,
        "|".join(term.not_inside),
    )


def assemble(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[int, Concept]]:
    """(rowid, Concept) from ``CONCEPT_COLUMNS`` rows ordered by concept, then term."""
    current: Sequence[Any] | None = None
    terms: list[Term] = []
    for row in rows:
        if current is None or row[0] != current[0]:
            if current is not None:
                yield current[0], _concept(current, terms)
            current, terms = row, []
        if row[7] is not None:
            terms.append(
                Term(
                    lang=row[7],
                    text=row[8],
                    status=Status(row[9]),
                    type=TermType(row[10]),
                    pos=row[11],
                    context=row[12],
                    source=row[13],
                    note=row[14],
                    date=row[15],
                    not_inside=tuple(p for p in row[16].split("|") if p),
                )
            )
    if current is not None:
        yield current[0], _concept(current, terms)


def stats_from(concepts: int, by_lang: Iterable[Any], by_status: Iterable[Any]) -> TermbaseStats:
    langs = Counter(dict(by_lang))
    statuses = Counter(dict(by_status))
    return TermbaseStats(
        concepts=concepts,
        terms=sum(langs.values()),
        by_lang=tuple(sorted(langs.items())),
        by_status=tuple(sorted(statuses.items())),
    )


class Termbase(TermStore):
    """A concept-oriented termbase in SQLite: one user's file."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        super().__init__()
        self._db = connection
        self.path = path
        version = int(self._meta("schema_version", "0"))
        if version == 1:
            self._migrate_1_to_2()
            version = SCHEMA_VERSION
        if version != SCHEMA_VERSION:
            raise InputError(
                f"termbase schema version {version}, this untm reads {SCHEMA_VERSION}", path=path
            )

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, seed: bool = True) -> Termbase:
        """Open (or create) the termbase file at ``path``; ``None`` → ``default_path()``;
        ``":memory:"`` → a private in-memory one. New termbases get the bundled UN termbase
        unless ``seed=False``. A ``postgresql://`` URL is ``open_termbase``'s to open."""
        where = path if path is not None else os.environ.get(ENV)
        if where is not None and is_url(where):
            raise UsageError(
                "a PostgreSQL termbase is opened by `untm term`, `untm qa` and `untm serve`; "
                "this command reads a termbase file (export one with `untm term export FILE.tsv`)"
            )
        if path is not None and str(path) == ":memory:":
            connection = _connect(":memory:")
            connection.executescript(_SCHEMA)
            _init_meta(connection)
            base = cls(connection, None)
            if seed:
                base.update_bundled()
            return base
        target = Path(path).expanduser() if path is not None else default_path()
        if not target.exists():
            with atomic_path(target) as tmp:
                connection = _connect(str(tmp))
                connection.executescript(_SCHEMA)
                _init_meta(connection)
                fresh = cls(connection, tmp)
                if seed:
                    fresh.update_bundled()
                connection.commit()
                connection.close()
        try:
            connection = _connect(str(target))
            connection.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.DatabaseError as error:
            raise InputError(f"not an untm termbase: {error}", path=target) from None
        return cls(connection, target)

    def close(self) -> None:
        self._db.close()

    # -- reading ---------------------------------------------------------------------------
    def _meta(self, key: str, default: str) -> str:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return "0"
        return row[0] if row else default

    def _set_meta(self, key: str, value: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM concepts").fetchone()[0])

    def __iter__(self) -> Iterator[Concept]:
        return self._concepts("", ())

    def __contains__(self, concept_id: object) -> bool:
        return self._db.execute("SELECT 1 FROM concepts WHERE id=?", (concept_id,)).fetchone() is not None

    def concepts_by_id(self, concept_ids: Sequence[str]) -> dict[str, Concept]:
        out: dict[str, Concept] = {}
        ids = list(dict.fromkeys(concept_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for concept in self._concepts(f"WHERE c.id IN ({marks})", tuple(chunk)):
                out[concept.id] = concept
        return out

    def concepts_by_rowid(self, rowids: Iterable[int]) -> dict[int, Concept]:
        ids = sorted(set(rowids))
        out: dict[int, Concept] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, concept in self._concepts_with_rowid(f"WHERE c.seq IN ({marks})", tuple(chunk)):
                out[rowid] = concept
        return out

    def _concepts(self, where: str, args: tuple[object, ...]) -> Iterator[Concept]:
        for _, concept in self._concepts_with_rowid(where, args):
            yield concept

    def _concepts_with_rowid(self, where: str, args: tuple[object, ...]) -> Iterator[tuple[int, Concept]]:
        query = f"""
            SELECT {CONCEPT_COLUMNS}
            FROM concepts c LEFT JOIN terms t ON t.concept = c.seq {where}
            ORDER BY c.seq, t.id"""
        return assemble(self._db.execute(query, args))

    def _migrate_1_to_2(self) -> None:
        """Add the lemma key column (``uncore.lang.terms.lemma_key``) and fill it."""
        with self._db:
            self._db.execute("ALTER TABLE terms ADD COLUMN lemma TEXT")
            rows = self._db.execute("SELECT id, lang, text FROM terms").fetchall()
            self._db.executemany(
                "UPDATE terms SET lemma=? WHERE id=?",
                [(lemma_key(text, lang), tid) for tid, lang, text in rows],
            )
            self._db.execute("CREATE INDEX terms_lemma ON terms(lemma)")
            self._db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    # -- writing ---------------------------------------------------------------------------
    def import_concepts(self, concepts: Iterable[Concept], *, replace: bool = False) -> int:
        """Add concepts in one transaction (see ``TermStore.import_concepts``). Rows are
        written in batches (``executemany``) with concept numbers assigned here."""
        count = 0
        db = self._db
        with self._writing():
            next_seq = int(db.execute("SELECT coalesce(max(seq), 0) FROM concepts").fetchone()[0]) + 1
            for batch in checked_batches(concepts):
                next_seq = self._insert_batch(batch, next_seq, replace)
                count += len(batch)
            self._bump()
        return count

    def _insert_batch(self, batch: list[Concept], seq: int, replace: bool) -> int:
        db = self._db
        ids = [c.id for c in batch]
        marks = ",".join("?" * len(ids))
        existing = [r[0] for r in db.execute(f"SELECT id FROM concepts WHERE id IN ({marks})", ids)]
        already_there(existing, replace)
        if existing:
            emarks = ",".join("?" * len(existing))
            seqs = f"SELECT seq FROM concepts WHERE id IN ({emarks})"
            db.execute(f"DELETE FROM terms WHERE concept IN ({seqs})", existing)
            db.execute(f"DELETE FROM concepts WHERE id IN ({emarks})", existing)
        concept_rows: list[tuple[object, ...]] = []
        term_rows: list[tuple[object, ...]] = []
        for concept in batch:
            concept_rows.append(concept_row(seq, concept))
            term_rows.extend(term_row(seq, term) for term in concept.terms)
            seq += 1
        db.executemany(
            "INSERT INTO concepts (seq, id, subject, definition, note, source, date) VALUES (?,?,?,?,?,?,?)",
            concept_rows,
        )
        db.executemany(_INSERT_TERM, term_rows)
        return seq

    def add_term(self, concept_id: str, term: Term, *, create: bool = True) -> None:
        term = storable_term(term, concept_id)
        with self._writing():
            row = self._db.execute("SELECT seq FROM concepts WHERE id=?", (concept_id,)).fetchone()
            if row is None:
                if not create:
                    raise UsageError(f"no concept {concept_id!r}")
                seq = int(self._db.execute("SELECT coalesce(max(seq), 0) FROM concepts").fetchone()[0]) + 1
                self._insert_batch([Concept(id=concept_id, terms=(term,))], seq, replace=False)
            else:
                dup = self._db.execute(
                    "SELECT 1 FROM terms WHERE concept=? AND lang=? AND text=?",
                    (row[0], term.lang, term.text),
                ).fetchone()
                if dup:
                    raise UsageError(f"{term.text!r} ({term.lang}) is already in concept {concept_id!r}")
                self._db.execute(_INSERT_TERM, term_row(row[0], term))
            self._bump()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction that holds SQLite's write lock from its first statement
        (``BEGIN IMMEDIATE``): concept numbers are read and then used, so two imports at once
        must not both read the same highest number (the second waits, up to the timeout)."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.rollback()
            raise
        db.commit()

    def _bump(self) -> None:
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='revision'")


_INSERT_TERM = f"INSERT INTO terms ({TERM_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, check_same_thread=False)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _init_meta(connection: sqlite3.Connection) -> None:
    with connection:
        connection.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("schema_version", str(SCHEMA_VERSION)), ("revision", "0")],
        )


def _concept(row: Sequence[Any], terms: list[Term]) -> Concept:
    return Concept(
        id=row[1],
        terms=tuple(terms),
        subject=row[2],
        definition=row[3],
        note=row[4],
        source=row[5],
        date=row[6],
    )
