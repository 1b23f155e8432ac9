"""One termbase interface, two stores: the same behaviour on SQLite (one terminologist) and on
a real PostgreSQL server (a team's termbase beside its memory), started here from Debian's
``postgresql`` package — never a mock. The look-ups a UN translator makes first (States, organs,
a deprecated name) must give the same concepts on both."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase.lookup import lookup
from termbase.model import Concept, Status, Term
from termbase.store import TermStore, open_termbase
from tests import pgserver
from uncore.errors import InputError, UsageError
from untm.cli import main


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new termbase lives: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "termbase.sqlite")
    return pgserver.new_database(request.getfixturevalue("postgres"))


@pytest.fixture
def seeded(location: str) -> Iterator[TermStore]:
    store = open_termbase(location)
    yield store
    store.close()


QUERIES = [
    ("南朝鲜", None),
    ("Security Council", None),
    ("安全理事会", None),
    ("Генеральная Ассамблея", None),
    ("Korea", "en"),
    ("Южной Кореи", "ru"),
    ("Republic of Korea", "en"),
    ("Secretry-General", "en"),  # a typo: fuzzy
]


def test_a_new_store_is_seeded_and_the_first_look_ups_answer(seeded: TermStore) -> None:
    assert len(seeded) >= 195 + 250 and not seeded.bundled_outdated
    found = lookup(seeded, "南朝鲜")
    assert found[0].concept_id == "country-KOR" and found[0].status is Status.DEPRECATED
    assert found[0].concept.preferred("zh").text == "大韩民国"
    assert found[0].concept.preferred("ru").text == "Республика Корея"
    assert lookup(seeded, "Security Council")[0].concept.preferred("zh").text == "安全理事会"


def test_look_ups_are_the_same_on_both_stores(seeded: TermStore, tmp_path: Path) -> None:
    reference = open_termbase(tmp_path / "reference.sqlite")
    try:
        for query, lang in QUERIES:
            mine = [(r.concept_id, r.term.text, r.match) for r in lookup(seeded, query, lang)]
            theirs = [(r.concept_id, r.term.text, r.match) for r in lookup(reference, query, lang)]
            assert mine == theirs and mine, query
        assert seeded.stats() == reference.stats()
        assert [c.id for c in seeded] == [c.id for c in reference]
    finally:
        reference.close()


def test_import_is_all_or_nothing(location: str) -> None:
    store = open_termbase(location, seed=False)
    try:
        store.import_concepts([Concept("a", (Term("en", "alpha"),))])
        batch = [Concept("b", (Term("en", "beta"),)), Concept("b", (Term("en", "beta 2"),))]
        with pytest.raises(InputError, match="duplicate concept id 'b'"):
            store.import_concepts(batch)
        assert [c.id for c in store] == ["a"] and store.revision == 1
        with pytest.raises(InputError, match="already exists"):
            store.import_concepts([Concept("a", (Term("en", "again"),))])

        def failing() -> Iterator[Concept]:
            yield Concept("c", (Term("en", "gamma"),))
            raise InputError("row 3: bad", line=3)

        with pytest.raises(InputError):
            store.import_concepts(failing())
        assert [c.id for c in store] == ["a"] and store.revision == 1
        store.import_concepts([Concept("a", (Term("en", "again"),))], replace=True)
        assert store.get("a").terms[0].text == "again"  # type: ignore[union-attr]
    finally:
        store.close()


def test_a_term_added_is_seen_by_the_next_look_up_of_another_connection(location: str) -> None:
    """What two translators' servers see: one adds, the other's next look-up has it."""
    writer, reader = open_termbase(location), open_termbase(location)
    try:
        assert not lookup(reader, "韩国政府X", fuzzy=False)
        revision = reader.revision
        writer.add_term("country-KOR", Term("zh", "韩国政府X", Status.ADMITTED))
        with pytest.raises(UsageError, match="already in concept"):
            writer.add_term("country-KOR", Term("zh", "韩国政府X", Status.ADMITTED))
        assert reader.revision == revision + 1
        found = lookup(reader, "韩国政府X", fuzzy=False)
        assert [r.concept_id for r in found][:1] == ["country-KOR"]
    finally:
        writer.close()
        reader.close()


def test_two_imports_at_once_both_land(location: str) -> None:
    open_termbase(location, seed=False).close()
    errors: list[BaseException] = []

    def load(prefix: str) -> None:
        try:
            store = open_termbase(location, seed=False)
            try:
                store.import_concepts(
                    Concept(f"{prefix}{i}", (Term("en", f"{prefix} term {i}"),)) for i in range(300)
                )
            finally:
                store.close()
        except BaseException as error:  # reported below, in the test thread
            errors.append(error)

    threads = [threading.Thread(target=load, args=(p,)) for p in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    store = open_termbase(location, seed=False)
    try:
        assert len(store) == 600 and store.revision == 2
    finally:
        store.close()


def test_update_keeps_what_the_user_added_to_a_bundled_concept(seeded: TermStore) -> None:
    seeded.add_term("country-KOR", Term("fr", "Corée du Sud X", Status.DEPRECATED))
    assert seeded.local_terms() == {"country-KOR": [Term("fr", "Corée du Sud X", Status.DEPRECATED)]}
    seeded.update_bundled()
    assert ("fr", "Corée du Sud X") in {(t.lang, t.text) for t in seeded.get("country-KOR").terms}  # type: ignore[union-attr]


def test_the_cli_takes_the_url_or_the_file(location: str, tmp_path: Path) -> None:
    from tmx.units import TranslationUnit
    from tmx.writer import write_tmx

    runner = CliRunner()
    lookup_done = runner.invoke(
        main, ["term", "lookup", "南朝鲜", "--termbase", location, "--format", "json"]
    )
    assert lookup_done.exit_code == 0, lookup_done.output
    assert "大韩民国" in lookup_done.output and "deprecated" in lookup_done.output
    added = runner.invoke(
        main,
        ["term", "add", "country-KOR", "zh", "韩国政府X", "--status", "admitted", "--termbase", location],
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(main, ["term", "lookup", "韩国政府X", "--termbase", location, "--format", "json"])
    assert again.exit_code == 0 and "country-KOR" in again.output
    memory = tmp_path / "new.tmx"
    unit = TranslationUnit.from_texts(
        {"ru": "Представитель Республики Корея выступил.", "zh": "南朝鲜代表发言。"}
    )
    write_tmx(memory, [unit], srclang="ru")
    qa = runner.invoke(
        main, ["qa", str(memory), "-s", "ru", "-t", "zh", "--termbase", location, "--format", "json"]
    )
    assert qa.exit_code == 1 and "deprecated-term" in qa.output


def test_an_unreachable_database_is_one_line_and_exit_2() -> None:
    done = CliRunner().invoke(
        main, ["term", "lookup", "南朝鲜", "--termbase", "postgresql://nobody@127.0.0.1:1/un"]
    )
    assert done.exit_code == 2 and (done.exception is None or isinstance(done.exception, SystemExit))
    message = done.output.strip()
    assert message.startswith("untm: error: postgresql://nobody@127.0.0.1:1/un: cannot connect")
    assert "\n" not in message and "Traceback" not in message
