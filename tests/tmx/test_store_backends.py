"""One memory interface, two stores: the same behaviour on SQLite (one user) and on a real
PostgreSQL server (a team), started here from Debian's ``postgresql`` package — never a mock.

Real UN text: the 4,000 tuples of the UN Parallel Corpus dev set (en, zh, ru).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import pgserver
from tmx.store import open_memory
from tmx.units import TranslationUnit

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "unpc-dev"
LANGS = ("en", "zh", "ru")
COUNT = 4000


@pytest.fixture(scope="session")
def units() -> list[TranslationUnit]:
    if not DEV.is_dir():
        pytest.fail(f"the UN Parallel Corpus dev set is missing: {DEV}")
    lines = {lang: (DEV / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    return [
        TranslationUnit.from_texts({lang: lines[lang][i] for lang in LANGS}, tuid=str(i))
        for i in range(COUNT)
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty memory lives: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "memory.sqlite")
    return pgserver.new_database(request.getfixturevalue("postgres"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def memory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, units: list[TranslationUnit]
) -> Iterator[Any]:
    """The whole dev set in each store, imported once per module."""
    if request.param == "sqlite":
        place = str(tmp_path_factory.mktemp("sqlite") / "memory.sqlite")
    else:
        place = pgserver.new_database(request.getfixturevalue("postgres"))
    store = open_memory(place)
    stats = store.import_units(units, origin="unpc-dev")
    assert (stats.read, stats.added) == (COUNT, COUNT)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("朝鲜", "zh"),
        ("缅甸", "zh"),
        ("安全理事会", "zh"),
        ("Security Council", "en"),
        ("sustainable development", "en"),
        ("Совета Безопасности", "ru"),
        ("2015", "en"),
        ("ment", "en"),
        ("ecurity Counc", "en"),  # begins and ends inside words
        ("of the United Nations", "en"),  # inner words whole
        ("%", "en"),
        ("self-", "en"),
        (", and", "en"),
        ("(a)", "en"),
        ("совет", "ru"),
        ("国", "zh"),  # one character
    ],
)
def test_concordance_finds_what_a_substring_scan_finds(
    memory: Any, units: list[TranslationUnit], query: str, lang: str
) -> None:
    expected = [
        i
        for i, unit in enumerate(units)
        if query.lower() in " ".join((unit.text(lang) or "").split()).lower()
    ]
    found = memory.search(query, lang, limit=10_000)
    literal = [hit for hit in found if query.lower() in hit.text.lower()]
    assert [int(hit.unit.tuid) for hit in literal] == expected
    assert expected, "a query that finds nothing proves nothing"
    for hit in literal:
        start, end = hit.spans[0]
        assert hit.text[start:end].lower() == query.lower()


def test_russian_concordance_finds_inflected_forms(location: str, units: list[TranslationUnit]) -> None:
    """Совет Безопасности finds Совета / Советом / Совету Безопасности too, on both stores, with
    the inflected words marked, in import order, and the limit holding."""
    store = open_memory(location)
    store.import_units(units[:1500])
    hits = store.search("Совет Безопасности", "ru", limit=10_000)
    texts = [hit.text[s:e] for hit in hits for s, e in hit.spans[:1]]
    assert "Совета Безопасности" in texts and "Совет Безопасности" in texts
    assert any(form in texts for form in ("Советом Безопасности", "Совету Безопасности"))
    assert [h.tu_id for h in hits] == sorted(h.tu_id for h in hits)
    first = store.search("Совет Безопасности", "ru", limit=5)  # the limit holds with inflected forms
    assert [h.tu_id for h in first] == [h.tu_id for h in hits][:5] and len(first) == 5
    genitive = {h.tu_id for h in store.search("Совета Безопасности", "ru", limit=10_000)}
    assert genitive == {h.tu_id for h in hits}  # any case of the name finds every case
    # a phrase finds its words inflected; a pasted sentence (more than MAX_INFLECTED_WORDS
    # words) is looked up as it is written
    hit = next(h for h in hits if h.text[h.spans[0][0] :].startswith("Совета Безопасности "))
    words = hit.text[hit.spans[0][0] :].split()
    assert len(words) >= 7
    phrase = " ".join(["Совет", *words[1:3]])  # nominative: not in the text as written
    assert hit.tu_id in {h.tu_id for h in store.search(phrase, "ru", limit=10_000)}
    sentence = " ".join(["Совет", *words[1:7]])
    assert hit.tu_id not in {h.tu_id for h in store.search(sentence, "ru", limit=10_000)}
    store.close()


@pytest.fixture
def both_stores(tmp_path: Path, postgres: str, units: list[TranslationUnit]) -> Iterator[list[Any]]:
    """The first 1,500 dev-set units in a SQLite memory and in a PostgreSQL one, side by side."""
    stores = [open_memory(str(tmp_path / "m.sqlite")), open_memory(pgserver.new_database(postgres))]
    for store in stores:
        store.import_units(units[:1500])
    yield stores
    for store in stores:
        store.close()


def test_inflected_concordance_agrees_across_stores(both_stores: list[Any]) -> None:
    stores = both_stores
    for query in ("Генеральная Ассамблея", "права человека", "устойчивого развития", "в рамках", "Совете"):
        for limit in (5, 10_000):
            results = [
                [(h.tu_id, h.spans) for h in store.search(query, "ru", limit=limit)] for store in stores
            ]
            assert results[0] == results[1], (query, limit)
            assert results[0], query


def test_phrases_cut_anywhere_agree_across_stores(
    both_stores: list[Any], units: list[TranslationUnit]
) -> None:
    """PostgreSQL asks for the keys of neighbouring words (``query_pairs``, the forms' pairs
    for Russian); a query may begin or end inside a word, hold punctuation or one-letter words:
    what it finds must still be what SQLite finds, cut where it is cut."""
    import random

    from tmx.store.postgres import query_pairs

    stores = both_stores
    assert stores[1]._pairs  # a new memory: pg3, pair keys asked for
    rng = random.Random(20261204)
    asked = with_pairs = 0
    for lang in ("en", "ru"):
        texts = [t for u in units[:1500] if len(t := " ".join((u.text(lang) or "").split())) > 40]
        for _ in range(60):
            text = rng.choice(texts)
            start = rng.randrange(len(text) - 30)
            query = text[start : start + rng.randrange(6, 30)].strip()
            if len(query) < 3:
                continue
            asked += 1
            with_pairs += bool(query_pairs(query.lower()))
            for limit in (5, 10_000):
                results = [
                    [(h.tu_id, h.spans) for h in store.search(query, lang, limit=limit)] for store in stores
                ]
                assert results[0] == results[1], (query, lang, limit)
                assert results[0], query  # cut from a stored segment: it finds that one at least
    assert asked > 100 and with_pairs > asked // 2


def test_a_pg2_memory_is_searched_without_pair_keys(postgres: str, units: list[TranslationUnit]) -> None:
    """A memory made before the pair keys (pg2) has none: its searches must not ask for them.
    Shown on a pg3 memory whose *ty co* key (secur**ity co**uncil) is taken away: as pg3 it
    misses the units, as pg2 it finds every one."""
    import psycopg

    from tmx.store.postgres import word_key

    url = pgserver.new_database(postgres)
    with open_memory(url) as store:
        store.import_units(units[:600])
    expected = [i for i, u in enumerate(units[:600]) if "security council" in (u.text("en") or "").lower()]
    assert expected
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE untm_seg SET keys = array_remove(keys, %s) WHERE lang = 'en'", (word_key("ty co", "en"),)
        )
    with open_memory(url) as store:
        assert store._pairs and not store.search("Security Council", "en", limit=1000)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE untm_meta SET value = 'pg2' WHERE key = 'schema'")
    with open_memory(url) as store:
        assert not store._pairs
        assert [int(h.unit.tuid) for h in store.search("Security Council", "en", limit=1000)] == expected


def test_fuzzy_match_agrees_across_stores(both_stores: list[Any], units: list[TranslationUnit]) -> None:
    stores = both_stores
    for i in (3, 100, 733, 1204):
        for source, target, edit in (
            ("en", "zh", lambda s: s.replace(" the ", " a ", 1)),
            ("zh", "ru", lambda s: s[:-2] + "。"),
            ("ru", "en", lambda s: s.replace(" и ", " или ", 1)),
        ):
            segment = edit(units[i].text(source) or "")
            results = [
                [(m.tu_id, m.score, m.target) for m in store.match(segment, source, target, minimum=75)]
                for store in stores
            ]
            assert results[0] == results[1], (i, source, segment)
            assert results[0] and results[0][0][0] == i + 1  # ids count from 1 in import order


def test_export_gives_back_every_unit_and_duplicates_are_skipped(
    memory: Any, units: list[TranslationUnit]
) -> None:
    again = memory.import_units(units[:100])
    assert (again.added, again.duplicates) == (0, 100)
    exported = list(memory.export_units())
    assert [(u.tuid, [(v.lang, v.text) for v in u.variants]) for u in exported] == [
        (u.tuid, [(v.lang, v.text) for v in u.variants]) for u in units
    ]
    assert len(memory) == COUNT and memory.languages() == sorted(LANGS)


def test_a_second_import_is_found_like_the_first(location: str, units: list[TranslationUnit]) -> None:
    """Into an empty memory and into one in use the rows take different paths (on PostgreSQL:
    copied straight in, or through staging tables): concordance and matches see both."""
    store = open_memory(location)
    store.import_units(units[:1000])
    store.import_units(units[1000:2000], batch_size=300)
    for query, lang in (
        ("Security Council", "en"),
        ("ecurity Counc", "en"),
        ("朝鲜", "zh"),
        ("Совета", "ru"),
    ):
        expected = [
            i
            for i, unit in enumerate(units[:2000])
            if query.lower() in " ".join((unit.text(lang) or "").split()).lower()
        ]
        found = [
            int(hit.unit.tuid)
            for hit in store.search(query, lang, limit=10_000)
            if query.lower() in hit.text.lower()
        ]
        assert found == expected and any(i >= 1000 for i in expected), query
    later = units[1500]
    matches = store.match(later.text("en") or "", "en", "zh", minimum=100)
    assert matches and matches[0].target == later.text("zh")
    store.close()


def test_a_memory_of_the_first_postgresql_format_is_upgraded_on_opening(
    postgres: str, units: list[TranslationUnit]
) -> None:
    """A team's memory made by the previous untm (format pg1: text arrays, pg_trgm on every
    segment, a foreign key) is upgraded in place, losing nothing, the first time it is opened."""
    import psycopg

    url = pgserver.new_database(postgres)
    with open_memory(url) as store:
        store.import_units(units[:600])
        before = [u.tuid for u in store.export_units()]
    with psycopg.connect(url, autocommit=True) as conn:  # back to the pg1 layout
        conn.execute("DROP TABLE untm_word")
        conn.execute("ALTER TABLE untm_seg DROP COLUMN keys, ADD COLUMN grams text[]")
        conn.execute("ALTER TABLE untm_seg ADD FOREIGN KEY (tu) REFERENCES untm_tu(id) ON DELETE CASCADE")
        conn.execute("CREATE INDEX untm_seg_trgm ON untm_seg USING gin (text gin_trgm_ops)")
        conn.execute("CREATE INDEX untm_seg_grams ON untm_seg USING gin (grams)")
        conn.execute("UPDATE untm_meta SET value = 'pg1' WHERE key = 'schema'")
    with open_memory(url, readonly=True) as store:
        assert [u.tuid for u in store.export_units()] == before
        expected = [
            i for i, u in enumerate(units[:600]) if "security council" in (u.text("en") or "").lower()
        ]
        assert expected
        assert [int(h.unit.tuid) for h in store.search("Security Council", "en", limit=1000)] == expected
        assert store.search("朝鲜", "zh") and store.search("Совет Безопасности", "ru")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT value FROM untm_meta WHERE key = 'schema'").fetchone() == ("pg3",)
        indexes = {
            name for (name,) in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'untm_seg'")
        }
        assert "untm_seg_trgm" not in indexes and "untm_seg_keys" in indexes


def test_a_pg1_memory_a_role_cannot_upgrade_is_one_clear_error(
    postgres: str, units: list[TranslationUnit]
) -> None:
    """A translator whose database role may only read opens a pg1 memory: one line, nothing
    changed (the owner's first opening upgrades it)."""
    import uuid

    import psycopg

    from uncore.errors import InputError

    url = pgserver.new_database(postgres)
    with open_memory(url) as store:
        store.import_units(units[:50])
    role = "r" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE untm_meta SET value = 'pg1' WHERE key = 'schema'")
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader_url = url.replace("//postgres@", f"//{role}@", 1)
    assert reader_url != url
    with pytest.raises(InputError, match=r"earlier untm \(pg1\) and could not be upgraded") as caught:
        open_memory(reader_url, readonly=True)
    assert "\n" not in str(caught.value)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT value FROM untm_meta WHERE key = 'schema'").fetchone() == ("pg1",)


def test_a_sample_is_spread_over_the_whole_memory(memory: Any, units: list[TranslationUnit]) -> None:
    """The spotting's background: every n-th unit, from the start of the memory to its end."""
    sample = memory.sample_units(100)
    order = {u.tuid: i for i, u in enumerate(units)}
    positions = [order[u.tuid] for u in sample]
    assert 90 <= len(sample) <= 100 and positions == sorted(positions)
    assert positions[0] < COUNT // 50 and positions[-1] > COUNT * 0.9
    assert memory.sample_units(10 * COUNT)[: len(units)] == list(memory.export_units())


def test_a_failed_import_adds_nothing(location: str, units: list[TranslationUnit]) -> None:
    store = open_memory(location)
    store.import_units(units[:200])

    def broken() -> Iterator[TranslationUnit]:
        yield from units[200:900]
        raise ValueError("the file ends in the middle of a unit")

    with pytest.raises(ValueError):
        store.import_units(broken(), batch_size=100)
    if location.startswith("postgresql://"):
        assert len(store) == 200  # one transaction: all or nothing
    assert store.search("朝鲜", "zh", limit=10_000) == [
        h for h in store.search("朝鲜", "zh", limit=10_000) if int(h.unit.tuid) < len(store)
    ]
    store.close()


def test_two_imports_at_once_both_land_without_duplicates(
    postgres: str, units: list[TranslationUnit]
) -> None:
    url = pgserver.new_database(postgres)
    open_memory(url).close()  # the schema, as the first `untm tm import` makes it
    assert _import_at_once(url, units[:1000], units[500:1500]) == []
    with open_memory(url, readonly=True) as store:
        assert len(store) == 1500
        assert sorted(int(u.tuid) for u in store.export_units()) == list(range(1500))


def _import_at_once(url: str, *parts: list[TranslationUnit]) -> list[BaseException]:
    """Each of ``parts`` imported into ``url`` by a thread of its own, all started together;
    what any of them raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(parts))

    def run(part: list[TranslationUnit]) -> None:
        try:
            with open_memory(url) as store:
                barrier.wait()
                store.import_units(part, batch_size=250)
        except BaseException as error:  # reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(part,)) for part in parts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.parametrize("older", [False, True], ids=["index there", "memory from before the index"])
def test_two_imports_at_once_into_a_memory_in_use_both_land(
    postgres: str, units: list[TranslationUnit], older: bool
) -> None:
    """Both imports go through the staging tables at once (the memory is not empty), and the
    vocabulary's index of a memory from before it is made on the way: neither waits on the
    other's lock for ever (a lock on ``untm_word`` held by each until its commit made them
    deadlock at their vocabulary's insert)."""
    url = pgserver.new_database(postgres)
    with open_memory(url) as store:
        store.import_units(units[:10])
        if older:
            store.conn.execute("DROP INDEX untm_word_lang")
    assert _import_at_once(url, units[10:1000], units[500:1500]) == []
    with open_memory(url, readonly=True) as store:
        assert len(store) == 1500
        assert sorted(int(u.tuid) for u in store.export_units()) == list(range(1500))
        assert store._stored("ru", [("совета", "советами")]) != [("совета", "советами")]  # the index


def test_a_unit_added_is_visible_to_another_connection(postgres: str, units: list[TranslationUnit]) -> None:
    url = pgserver.new_database(postgres)
    writer = open_memory(url)
    reader = open_memory(url, readonly=True)
    assert reader.search("Zanzibarian", "en") == []
    writer.import_units(
        [
            TranslationUnit.from_texts(
                {"en": "The Zanzibarian delegation abstained.", "ru": "Занзибарская делегация воздержалась."}
            )
        ]
    )
    found = [hit.text for hit in reader.search("Zanzibarian", "en")]
    assert found == ["The Zanzibarian delegation abstained."]
    writer.close()
    reader.close()


def test_a_missing_memory_is_a_clear_error(postgres: str) -> None:
    from uncore.errors import InputError

    with pytest.raises(InputError, match="no translation memory in this database"):
        open_memory(pgserver.new_database(postgres), readonly=True)
    with pytest.raises(InputError, match="cannot connect"):
        open_memory("postgresql://nobody@127.0.0.1:1/none")


def test_the_commands_work_on_a_postgresql_memory(
    postgres: str, tmp_path: Path, units: list[TranslationUnit]
) -> None:
    from click.testing import CliRunner

    from tmx.writer import write_tmx
    from untm.cli import main

    url = pgserver.new_database(postgres)
    source = tmp_path / "unpc.tmx"
    write_tmx(source, units[:300], srclang="en")
    runner = CliRunner()
    done = runner.invoke(main, ["tm", "import", str(source), "--tm", url])
    assert done.exit_code == 0, done.output
    found = runner.invoke(main, ["tm", "search", "朝鲜", "--tm", url, "--format", "json"])
    assert found.exit_code == 0 and "朝鲜" in found.output
    matched = runner.invoke(
        main,
        [
            "tm",
            "match",
            units[7].text("en") or "",
            "--source",
            "en",
            "--target",
            "zh",
            "--tm",
            url,
            "--format",
            "json",
        ],
    )
    assert matched.exit_code == 0 and (units[7].text("zh") or "")[:10] in matched.output
    out = tmp_path / "back.tmx"
    assert runner.invoke(main, ["tm", "export", "-o", str(out)], env={"UNTM_TM": url}).exit_code == 0
    from tmx.reader import read_tmx

    assert len(list(read_tmx(out))) == 300
    info = runner.invoke(main, ["tm", "info", "--tm", url, "--format", "json"])
    assert info.exit_code == 0 and '"units": 300' in info.output and '"languages": "en ru zh"' in info.output
