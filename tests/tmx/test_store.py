"""The SQLite memory store on real UN sentences (the unpc-dev tuples)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import shared_path
from tmx.reader import read_tmx
from tmx.store import MemoryStore, default_path
from tmx.units import TranslationUnit, Variant
from tmx.writer import TmxWriter
from uncore.errors import InputError, UsageError

LANGS = ("en", "ru", "zh")
N = 400


@pytest.fixture(scope="module")
def lines() -> dict[str, list[str]]:
    return {
        lang: shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[:N]
        for lang in LANGS
    }


def _units(lines: dict[str, list[str]]) -> list[TranslationUnit]:
    return [
        TranslationUnit.from_texts({lang: lines[lang][i] for lang in LANGS}, tuid=str(i)) for i in range(N)
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, lines: dict[str, list[str]]) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("tm") / "memory.sqlite")
    store.import_units(_units(lines), origin="unpc-dev", batch_size=64)
    return store


def test_import_counts_and_languages(store: MemoryStore, lines: dict[str, list[str]]) -> None:
    distinct = len({tuple(lines[lang][i] for lang in LANGS) for i in range(N)})
    assert len(store) == distinct
    assert store.languages() == ["en", "ru", "zh"]


def test_reimport_adds_nothing(tmp_path: Path, lines: dict[str, list[str]]) -> None:
    with MemoryStore(tmp_path / "m.sqlite") as store:
        first = store.import_units(_units(lines), batch_size=100)
        again = store.import_units(_units(lines), batch_size=7)
        assert first.read == again.read == N
        assert again.added == 0 and again.duplicates == N
        assert first.added == len(store)


def test_concordance_in_each_language(store: MemoryStore, lines: dict[str, list[str]]) -> None:
    for lang, query in (
        ("zh", "大韩民国"),
        ("ru", "Организации Объединенных Наций"),
        ("en", "security council"),
    ):
        hits = store.search(query, lang, limit=1000)
        expected = [i for i, text in enumerate(lines[lang]) if query.lower() in text.lower()]
        literal = [h for h in hits if query.lower() in h.text.lower()]
        assert [int(h.unit.tuid or -1) for h in literal] == expected
        for hit in literal:
            start, end = hit.spans[0]
            assert hit.text[start:end].lower() == query.lower()
            assert hit.unit.text("en") == lines["en"][int(hit.unit.tuid or -1)]
        _only_inflected_besides(hits, literal, query, lang)


def _only_inflected_besides(hits: list[Any], literal: list[Any], query: str, lang: str) -> None:
    """Beyond the literal hits, only Russian ones holding the query's words inflected, marked."""
    from tmx.store.inflection import lemma_spans

    others = [h for h in hits if h not in literal]
    if lang != "ru":
        assert others == []
    for hit in others:
        assert hit.spans and hit.spans == lemma_spans(hit.text, query.lower())
    ids = [h.tu_id for h in hits]
    assert ids == sorted(ids)


def test_word_index_search_is_a_substring_search(store: MemoryStore, lines: dict[str, list[str]]) -> None:
    # English and Russian have a word index: a query may start or end inside a word, or be a
    # piece of one word, and still finds what a substring scan finds, in the same order.
    for lang, query in (
        ("en", "nited Nation"),
        ("en", "ecurity Counc"),
        ("en", "ation"),
        ("en", "the of"),
        ("en", ". 1"),
        ("en", "of the"),
        ("ru", "рганизации Объединенных Нац"),
        ("ru", "ций"),
        ("ru", "в том числе"),
        ("en", "—"),
        ("en", "no such words at all"),
    ):
        for limit in (1000, 7):
            hits = store.search(query, lang, limit=limit)
            expected = [
                i for i, text in enumerate(lines[lang]) if query.lower() in " ".join(text.split()).lower()
            ]
            literal = [h for h in hits if query.lower() in " ".join(h.text.split()).lower()]
            found = [int(h.unit.tuid or -1) for h in literal]
            assert found == expected[: len(found)], (query, limit)
            assert len(hits) <= limit
            if len(hits) < limit:  # not cut by the limit: every literal hit is there
                assert found == expected, (query, limit)
            assert all(h.spans for h in hits)
            _only_inflected_besides(hits, literal, query, lang)


def test_word_parts_from_the_trigram_index_are_those_a_scan_finds(
    store: MemoryStore, lines: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the words standing for a query's first or last word: from the vocabulary's trigram
    # index, the same as reading every word, for starts, ends and insides of real words
    words = sorted({w for lang in ("en", "ru") for line in lines[lang][:60] for w in line.lower().split()})
    parts = {w[a:b] for w in words[::7] for a, b in ((0, 3), (1, 5), (-4, None), (2, -1)) if w[a:b]}
    assert len(parts) > 300 and store._part_indexes() == {"en", "ru"}
    indexed = {
        (key, part, mode): store._vocabulary(key, part, *mode)
        for key in ("en", "ru")
        for part in parts
        for mode in ((True, True), (True, False), (False, True))
    }
    monkeypatch.setattr(store, "_parts", set())  # as a memory without the index: every word read
    scanned = {(key, part, mode): store._vocabulary(key, part, *mode) for key, part, mode in indexed}
    assert indexed == scanned
    assert sum(v is None for v in scanned.values()) > 10 and sum(bool(v) for v in scanned.values()) > 300


def test_a_memory_from_before_the_trigram_index_gets_it_at_its_next_write_open(
    tmp_path: Path, lines: dict[str, list[str]]
) -> None:
    path = tmp_path / "old.sqlite"
    with MemoryStore(path) as store:
        store.import_units(_units(lines)[:200])
        expected = [h.tu_id for h in store.search("ecurity Counc", "en", limit=100)]
        for key in ("en", "ru"):  # what a memory made before it looks like
            store.conn.execute(f"DROP TRIGGER words_{key}_parts")
            store.conn.execute(f"DROP TABLE parts_{key}")
        store.conn.commit()
    with MemoryStore(path, readonly=True) as store:  # the server's open: read every word instead
        assert store._part_indexes() == set()
        assert [h.tu_id for h in store.search("ecurity Counc", "en", limit=100)] == expected
    with MemoryStore(path) as store:
        assert store._part_indexes() == {"en", "ru"}
        store.import_units(_units(lines)[200:])  # the new words reach the index (its trigger)
        vocabulary = store.conn.execute("SELECT count(*) FROM words_en").fetchone()[0]
        assert store.conn.execute("SELECT count(*) FROM parts_en").fetchone()[0] == vocabulary
        assert [h.tu_id for h in store.search("ecurity Counc", "en", limit=100)][: len(expected)] == expected


def test_search_without_language_follows_the_script(store: MemoryStore) -> None:
    hits = store.search("联合国", limit=1000)
    assert hits and {h.lang for h in hits} == {"zh"}
    assert len(hits) == len(store.search("联合国", "zh", limit=1000))


def test_two_and_one_character_queries(store: MemoryStore, lines: dict[str, list[str]]) -> None:
    for query, limit in (("会议", 1000), ("会议", 5), ("缅甸", 1000), ("UN", 1000), ("届", 30)):
        lang = "en" if query.isascii() else "zh"
        hits = store.search(query, lang, limit=limit)
        expected = [i for i, text in enumerate(lines[lang]) if query.lower() in text.lower()][:limit]
        assert [int(h.unit.tuid or -1) for h in hits] == expected, query
        assert all(h.spans for h in hits)
    assert lines["zh"][0].endswith("会议")  # "第六十九届会议": found although nothing follows it
    assert store.search("韩国", "zh") == []


def test_bad_queries_are_user_errors(store: MemoryStore) -> None:
    with pytest.raises(UsageError, match="empty"):
        store.search("   ")
    with pytest.raises(UsageError, match="too long"):
        store.search("大" * 5000)
    with pytest.raises(UsageError):
        store.match("x", "ru", "zh", minimum=120)


def test_quotes_and_fts_syntax_are_literal(store: MemoryStore) -> None:
    assert store.search('"based on AND NOT*', "en") == []
    assert store.search('sovereign equality of all its Members"', "en")


def test_fuzzy_match_finds_the_edited_sentence_first(store: MemoryStore, lines: dict[str, list[str]]) -> None:
    ru = lines["ru"][5]
    edited = ru.replace("и ", "", 1)
    matches = store.match(edited, "ru", "zh", minimum=70)
    assert matches[0].unit.tuid == "5"
    assert matches[0].target == lines["zh"][5]
    assert 70 <= matches[0].score < 100
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_exact_match_is_100_and_context_ranks_first(tmp_path: Path, lines: dict[str, list[str]]) -> None:
    # The same English sentence translated twice, after different predecessors (as a memory
    # built from two documents would have it); the one after the given context ranks first.
    en, ru = lines["en"], lines["ru"]
    units = [
        TranslationUnit.from_texts({"en": en[10], "ru": ru[10]}),
        TranslationUnit.from_texts({"en": en[2], "ru": ru[2]}),
        TranslationUnit.from_texts({"en": en[11], "ru": ru[11]}),
        TranslationUnit.from_texts({"en": en[2], "ru": ru[2] + " (вариант)"}),
    ]
    with MemoryStore(tmp_path / "m.sqlite") as store:
        store.import_units(units)
        plain = store.match(en[2], "en", "ru", minimum=100)
        assert [m.score for m in plain] == [100, 100] and not any(m.context for m in plain)
        assert plain[0].target == ru[2]
        after_11 = store.match(en[2], "en", "ru", minimum=100, context=en[11])
        assert after_11[0].context and after_11[0].target == ru[2] + " (вариант)"
        assert not after_11[1].context
        after_10 = store.match(en[2], "en", "ru", context=en[10])
        assert after_10[0].context and after_10[0].target == ru[2]


def test_match_with_missing_language_is_empty(store: MemoryStore, lines: dict[str, list[str]]) -> None:
    assert store.match(lines["en"][2], "fr", "zh") == []


def test_export_is_lossless(tmp_path: Path) -> None:
    when = datetime(2017, 11, 14, 9, 30, tzinfo=UTC)
    unit = TranslationUnit(
        variants=(
            Variant(
                "ru-RU",
                "Доклад A/72/1",
                markup='Доклад <ph x="1">&lt;b&gt;</ph>A/72/1',
                props=(("x-origin", "pdf"),),
                notes=("проверено",),
                creationdate=when,
                extra_attrs=(("o-encoding", "utf-8"),),
            ),
            Variant("zh-CN", "报告A/72/1", creationid="translator"),
        ),
        tuid="t1",
        props=(("x-document", "A/72/1"), ("x-document", "dup")),
        notes=("n1", "n2"),
        srclang="ru-RU",
        creationdate=when,
        usagecount=3,
        extra_attrs=(("o-tmf", "x"),),
    )
    path = tmp_path / "in.tmx"
    with TmxWriter(path, srclang="ru-RU") as writer:
        writer.write(unit)
    read_back = list(read_tmx(path))
    with MemoryStore(tmp_path / "m.sqlite") as store:
        store.import_units(read_back)
        assert list(store.export_units()) == read_back


def test_readonly_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no translation memory"):
        MemoryStore(tmp_path / "absent.sqlite", readonly=True)
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_text("not a database at all " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="not an untm translation memory"):
        MemoryStore(foreign, readonly=True)


def test_a_read_only_look_up_refuses_writes_and_leaves_only_the_memory_file(
    tmp_path: Path, lines: dict[str, list[str]]
) -> None:
    """A translator copies memory.sqlite alone: nothing may stay in -wal/-shm files beside it."""
    path = tmp_path / "memory.sqlite"
    with MemoryStore(path) as writer:
        writer.import_units(_units(lines)[:50])
    with MemoryStore(path, readonly=True) as reader:
        assert reader.search("United Nations", "en")
        with pytest.raises(UsageError, match="read-only"):
            reader.import_units(_units(lines)[50:60])
        import sqlite3

        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.conn.execute("DELETE FROM tu")
    assert sorted(f.name for f in tmp_path.iterdir()) == ["memory.sqlite"]


def test_default_path_honours_untm_tm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("UNTM_TM", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("UNTM_TM")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == tmp_path / "untm" / "memory.sqlite"


def test_a_memory_in_another_format_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    MemoryStore(path).close()
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    with pytest.raises(InputError, match="format 3, this untm reads format 4: export it"):
        MemoryStore(path, readonly=True)
