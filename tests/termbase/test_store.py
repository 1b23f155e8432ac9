"""The SQLite store: seeding, one-transaction imports, duplicates, revisions, default location."""

from __future__ import annotations

import sqlite3

import pytest

from termbase.model import Concept, Status, Term
from termbase.store import Termbase, default_path
from uncore.errors import InputError, UsageError


def test_new_file_is_seeded_with_the_bundled_termbase(tmp_path):
    path = tmp_path / "tb.sqlite"
    with Termbase.open(path) as base:
        assert len(base) >= 195 + 16
        korea = base.get("country-KOR")
        assert korea.preferred("zh").text == "大韩民国"
    assert not list(tmp_path.glob("*.part"))  # the file appeared whole


def test_unseeded_and_reopened(tmp_path):
    path = tmp_path / "tb.sqlite"
    with Termbase.open(path, seed=False) as base:
        assert len(base) == 0
        base.import_concepts([Concept("x1", (Term("en", "widget"),))])
        assert base.revision == 1
    with Termbase.open(path) as base:  # existing file: not re-seeded
        assert [c.id for c in base] == ["x1"]


def test_import_is_all_or_nothing(tmp_path):
    base = Termbase.open(tmp_path / "tb.sqlite", seed=False)
    base.import_concepts([Concept("a", (Term("en", "alpha"),))])
    batch = [Concept("b", (Term("en", "beta"),)), Concept("b", (Term("en", "beta 2"),))]
    with pytest.raises(InputError, match="duplicate concept id 'b'"):
        base.import_concepts(batch)
    assert [c.id for c in base] == ["a"]
    with pytest.raises(InputError, match="already exists"):
        base.import_concepts([Concept("a", (Term("en", "again"),))])
    base.import_concepts([Concept("a", (Term("en", "again"),))], replace=True)
    assert base.get("a").terms[0].text == "again"


def test_a_failing_generator_leaves_nothing_behind(tmp_path):
    base = Termbase.open(tmp_path / "tb.sqlite", seed=False)

    def concepts():
        yield Concept("ok", (Term("en", "fine"),))
        raise InputError("row 3: bad", line=3)

    with pytest.raises(InputError):
        base.import_concepts(concepts())
    assert len(base) == 0 and base.revision == 0


def test_add_term_and_duplicates(tmp_path):
    base = Termbase.open(tmp_path / "tb.sqlite", seed=False)
    base.add_term("kor", Term("zh", "大韩民国"))
    base.add_term("kor", Term("zh", "南朝鲜", Status.DEPRECATED))
    assert base.get("kor").replacement(base.get("kor").terms[1]).text == "大韩民国"
    with pytest.raises(UsageError, match="already in concept"):
        base.add_term("kor", Term("zh", "南朝鲜", Status.DEPRECATED))


def test_default_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("UNTM_TERMBASE", str(tmp_path / "env.sqlite"))
    assert default_path() == tmp_path / "env.sqlite"
    monkeypatch.delenv("UNTM_TERMBASE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "untm" / "termbase.sqlite"


def test_schema_version_is_checked(tmp_path):
    path = tmp_path / "tb.sqlite"
    Termbase.open(path, seed=False).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(InputError, match="schema version 99"):
        Termbase.open(path)


def test_not_a_termbase(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_text("this is not sqlite")
    with pytest.raises(InputError, match="not an untm termbase"):
        Termbase.open(path)


def test_version_1_file_is_migrated(tmp_path):
    path = tmp_path / "v1.sqlite"
    with sqlite3.connect(path) as db:  # the schema untm wrote before lemma keys existed
        db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE concepts (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, subject TEXT,
                                   definition TEXT, note TEXT, source TEXT, date TEXT);
            CREATE TABLE terms (id INTEGER PRIMARY KEY, concept INTEGER NOT NULL REFERENCES concepts(seq),
                lang TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL, status TEXT NOT NULL,
                type TEXT NOT NULL, pos TEXT, context TEXT, source TEXT, note TEXT, date TEXT,
                not_inside TEXT NOT NULL DEFAULT '');
            INSERT INTO meta VALUES ('schema_version', '1'), ('revision', '3');
            INSERT INTO concepts (seq, id) VALUES (1, 'kgz');
            INSERT INTO terms (concept, lang, text, norm, status, type)
                VALUES (1, 'ru', 'Кыргызстан', 'кыргызстан', 'preferred', 'fullForm');
        """)
    with Termbase.open(path) as base:
        assert base.find_lemma("кыргызстан") == [1]
        assert base.revision == 3 and base.get("kgz").terms[0].text == "Кыргызстан"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "2"


def test_a_termbase_seeded_from_an_older_bundle_is_told_and_updated(tmp_path) -> None:
    from termbase.model import Concept, Status, Term
    from termbase.store import Termbase

    path = tmp_path / "tb.sqlite"
    base = Termbase.open(path)
    assert not base.bundled_outdated
    base.import_concepts(
        [Concept(id="mine-1", terms=(Term(lang="en", text="Samarkand conference", status=Status.PREFERRED),))]
    )
    # simulate a termbase seeded by an earlier untm whose bundled data differed
    base._db.execute("UPDATE meta SET value='0000000000000000' WHERE key='bundled_digest'")
    base._db.execute("DELETE FROM concepts WHERE id='country-KOR'")
    base._db.commit()
    assert base.bundled_outdated
    base.update_bundled()
    assert not base.bundled_outdated
    assert base.get("country-KOR") is not None
    assert base.get("mine-1") is not None  # the user's own concepts are kept
    base.close()
