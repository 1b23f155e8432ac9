"""What only the PostgreSQL memory does: its search of a large memory window by window, common
words left out of the index condition, and the upgrade of memories made before (the tests of
behaviour shared with SQLite are in test_store_backends.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests import pgserver
from tests.tmx.test_store_backends import LANGS, units  # noqa: F401  (a fixture)
from tmx.store import open_memory
from tmx.store import postgres as pg
from tmx.store.inflection import query_forms
from tmx.units import TranslationUnit

QUERIES = [
    ("en", "the Security Council"),
    ("en", "of the"),
    ("en", "the Treaty"),
    ("en", "and that all"),
    ("en", "Report on"),
    ("ru", "в рамках"),
    ("ru", "Совет Безопасности"),
    ("ru", "силы в"),
    ("ru", "а также в"),
    ("zh", "安全理事会"),
    ("zh", "国"),  # a common character: no key of its own
    ("zh", "缅"),  # a rarer one: its key
]


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: str,
    units: list[TranslationUnit],  # noqa: F811
) -> Iterator[list[Any]]:
    """The first 2,000 dev-set units in a SQLite memory and in a PostgreSQL one."""
    stores = [
        open_memory(str(tmp_path_factory.mktemp("sqlite") / "m.sqlite")),
        open_memory(pgserver.new_database(postgres)),
    ]
    for store in stores:
        store.import_units(units[:2000])
    yield stores
    for store in stores:
        store.close()


def _hits(store: Any, lang: str, query: str, limit: int) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
    return [(h.tu_id, h.spans) for h in store.search(query, lang, limit=limit)]


@pytest.mark.parametrize("mode", ["one query", "windows", "the rest at once, range hidden"])
def test_search_gives_sqlites_hits_in_one_query_or_window_by_window(
    both: list[Any], monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Windows (forced on this small memory), the rest asked at once with its range hidden
    from the planner (forced too: a rare condition's), and common words left to the
    substring check change how the candidates are read, never which units are found, nor
    their order.

    One difference, on purpose: with a limit, a Russian query's inflected forms are read from
    at most 4 × limit candidates (as SQLite reads them), and SQLite's candidates include
    segments whose words are apart (*силы … в*), which PostgreSQL's pair keys (when it asks
    for them) leave out; so PostgreSQL may give an earlier inflected hit that SQLite's first
    ``limit`` miss (``силы в``, limit 5: units 750, 1349, 1766 against 750, 1766). Without a
    limit both give every hit; with one, every hit either gives is real and in order, and
    PostgreSQL gives as many, none later than SQLite's."""
    sqlite, postgres = both
    if mode != "one query":
        monkeypatch.setattr(pg, "_WINDOWED", 0)
        # a range always pays, or never
        monkeypatch.setattr(pg, "_RANGE_COST", float("inf") if mode == "windows" else 1e-9)
    for lang, query in QUERIES:
        every = _hits(sqlite, lang, query, 10_000)
        assert every, (lang, query)
        assert _hits(postgres, lang, query, 10_000) == every, (lang, query)
        for limit in (5, 50):
            expected = _hits(sqlite, lang, query, limit)
            found = _hits(postgres, lang, query, limit)
            if found != expected:
                assert lang == "ru" and len(found) >= len(expected), (lang, query, limit)
                assert all(f[0] <= e[0] for f, e in zip(found, expected, strict=False)), (query, limit)
            for hits in (found, expected):
                assert [hit for hit in every if hit in hits] == hits, (lang, query, limit)


def test_common_words_are_no_condition_beside_a_narrower_one(
    both: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres = both[1]
    postgres.search("treaty", "en")  # the memory's ids, as a search sees them
    assert postgres._selective([[1], [2]]) == ([[1], [2]], [])  # a small memory: one query, all
    monkeypatch.setattr(pg, "_WINDOWED", 0)
    the, treaty = [pg.word_key("the", "en")], [pg.word_key("treaty", "en")]
    frequency = postgres._key_stats().share
    assert frequency.get(the[0], 0) > pg._COMMON > frequency.get(treaty[0], 0)
    assert postgres._selective([the, treaty]) == ([treaty], [the])
    assert postgres._selective([the]) == ([the], [])  # the only condition stays
    # the keys of adjacent words: asked for only where they narrow
    of_the = [pg.word_key("of th", "en")]
    assert frequency.get(of_the[0], 0) > pg._COMMON  # "of the": a common pair
    assert postgres._selective([], [of_the]) == ([], [])  # "of the" reads in import order
    assert postgres._selective([treaty], [of_the, [-1]]) == ([treaty, [-1]], [])  # a rare pair narrows
    # beside a rare pair, a common word is no condition (left to the substring check)
    assert postgres._selective([the], [[-1]]) == ([[-1]], [the])
    assert postgres._selective([the, treaty], [[-1]]) == ([treaty, [-1]], [the])


def test_a_memory_made_before_loses_its_foreign_key_when_opened_for_writing(
    postgres: str,
    units: list[TranslationUnit],  # noqa: F811
) -> None:
    url = pgserver.new_database(postgres)
    with open_memory(url) as store:
        store.import_units(units[:50])
    key = "SELECT count(*) FROM pg_constraint WHERE conname = 'untm_tu_source_fkey'"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "ALTER TABLE untm_tu ADD CONSTRAINT untm_tu_source_fkey "
            "FOREIGN KEY (source) REFERENCES untm_source(id)"
        )
        with open_memory(url, readonly=True) as store:  # a reader changes nothing
            assert len(store) == 50
        assert conn.execute(key).fetchone() == (1,)
        with open_memory(url) as store:
            assert conn.execute(key).fetchone() == (0,)
            store.import_units(units[50:100])
            later = " ".join((units[70].text("en") or "").split()[:3])
            assert len(store) == 100 and 71 in {h.tu_id for h in store.search(later, "en", limit=100)}


def test_chinese_keys_leave_out_the_common_characters() -> None:
    keys = {int(k) for k in pg.char_keys("国际缅甸").split(",")}
    assert pg.query_char_keys("国") == [] and pg.query_char_keys("缅") == [pg._gram_key("缅")]
    assert pg._gram_key("国") not in keys and pg._gram_key("缅") in keys
    assert {pg._gram_key(g) for g in ("国际", "际缅", "缅甸")} <= keys


def test_copy_lines_escape_what_copy_reads_as_special(tmp_path: Path) -> None:
    assert pg._copy_text(None) == "\\N"
    assert pg._copy_text("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert pg._copy_text("plain текст") == "plain текст"
    assert LANGS  # the dev set's languages, as imported above


def test_how_many_segments_a_condition_is_expected_to_meet(both: list[Any]) -> None:
    """The planner's statistics, as the planner reads them: a group of keys is met by the sum of
    its keys' shares, a condition by its rarest group; a key never seen counts as half the
    least common's share."""
    postgres = both[1]
    segments = postgres.conn.execute("SELECT count(*) FROM untm_seg").fetchone()[0]
    the, treaty = pg.word_key("the", "en"), pg.word_key("treaty", "en")
    real = {
        key: postgres.conn.execute("SELECT count(*) FROM untm_seg WHERE keys @> %s", ([key],)).fetchone()[0]
        for key in (the, treaty)
    }
    assert postgres._expected([[the]]) == pytest.approx(real[the], rel=0.1)
    assert postgres._expected([[the], [treaty]]) == postgres._expected([[treaty]])
    assert postgres._expected([[the, treaty]]) == pytest.approx(real[the] + real[treaty], rel=0.1)
    unseen = postgres._expected([[-1]])
    assert 0 < unseen < segments / 100
    assert postgres._expected([]) == float("inf")


def test_a_window_is_asked_where_its_range_costs_less_than_the_candidates_outside_it() -> None:
    million = 1_000_000
    assert not pg._range_pays(4_500, 265_000, million)  # мандата: read its candidates
    assert pg._range_pays(100_000, 265_000, million)  # a common word: read its window
    assert pg._range_pays(3_000, 62_500, million) and not pg._range_pays(1_500, 62_500, million)
    assert pg._range_pays(float("inf"), 62_500, million)  # no keys: windows
    assert not pg._range_pays(10**9, million, million)  # the whole memory: no range to AND


def test_a_russian_query_asks_for_the_forms_the_memory_holds(both: list[Any]) -> None:
    """pymorphy3 gives a word every form of its lexeme; the index is asked only for those in the
    memory's vocabulary (the pair keys still get every form), and without the vocabulary's
    index (a memory from before it) for all of them."""
    postgres = both[1]
    groups = query_forms("совет безопасности")
    held = postgres._stored("ru", groups)
    assert all(set(kept) < set(forms) for kept, forms in zip(held, groups, strict=True))
    assert "совета" in held[0] and "безопасности" in held[1]
    assert "советами" in groups[0] and "советами" not in held[0]  # never written in these units
    words = {row[0] for row in postgres.conn.execute("SELECT word FROM untm_word WHERE lang = 'ru'")}
    assert all(form in words for kept in held for form in kept)
    assert held == [tuple(f for f in forms if f in words) for forms in groups]
    before = postgres._word_index
    try:
        postgres._word_index = False
        assert postgres._stored("ru", groups) == groups
    finally:
        postgres._word_index = before
