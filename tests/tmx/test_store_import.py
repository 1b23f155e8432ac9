"""Import paths of the memory store: the reading process, small imports into a big memory,
duplicates against what is stored, and units that do not fit the plain stored form."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from click.testing import CliRunner

import untm.commands.tm as tm_command
from tests.conftest import shared_path
from tmx.convert import read_units
from tmx.store import MemoryStore
from tmx.units import TranslationUnit, Variant
from tmx.writer import TmxWriter
from uncore.errors import InputError
from untm.cli import main

LANGS = ("en", "ru", "zh")
N = 300


@pytest.fixture(scope="module")
def units() -> list[TranslationUnit]:
    lines = {
        lang: shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[:N]
        for lang in LANGS
    }
    return [
        TranslationUnit.from_texts({lang: lines[lang][i] for lang in LANGS}, tuid=str(i)) for i in range(N)
    ]


@pytest.fixture(scope="module")
def tmx_file(tmp_path_factory: pytest.TempPathFactory, units: list[TranslationUnit]) -> Path:
    path = tmp_path_factory.mktemp("import") / "unpc.tmx"
    with TmxWriter(path, srclang="en") as writer:
        writer.write_all(units)
    return path


def test_reading_process_stores_what_the_thread_stores(tmp_path: Path, tmx_file: Path) -> None:
    with MemoryStore(tmp_path / "a.sqlite") as a, MemoryStore(tmp_path / "b.sqlite") as b:
        first = a.import_from(functools.partial(read_units, tmx_file), batch_size=64)
        second = b.import_units(read_units(tmx_file), batch_size=64)
        assert first == second and first.added == len(a) > 0
        assert list(a.export_units()) == list(b.export_units()) == list(read_units(tmx_file))
        for lang, query in (("en", "ecurity Counc"), ("zh", "会议"), ("ru", "Ассамбле")):
            found = [h.tu_id for h in a.search(query, lang)]
            assert found and found == [h.tu_id for h in b.search(query, lang)]
        again = a.import_from(functools.partial(read_units, tmx_file), batch_size=50)
        assert again.added == 0 and again.duplicates == again.read


def test_an_error_in_the_reading_process_keeps_its_place(tmp_path: Path, tmx_file: Path) -> None:
    broken = tmp_path / "broken.tmx"
    broken.write_text(tmx_file.read_text(encoding="utf-8")[:20000], encoding="utf-8")
    with MemoryStore(tmp_path / "m.sqlite") as store:
        with pytest.raises(InputError) as caught:
            store.import_from(functools.partial(read_units, broken), batch_size=10)
        assert caught.value.path == str(broken) and caught.value.line
        assert len(store) > 0  # the batches before the error are kept …
        checked = 0
        for unit in store.export_units():  # … and each is found by a word of its English text
            words = [w for w in unit.text("en").split() if len(w) > 6 and w.isalpha()]
            if words:
                assert unit.tuid in {h.unit.tuid for h in store.search(words[0], "en", limit=200)}, words[0]
                checked += 1
        assert checked >= 10


def test_the_cli_reads_big_files_in_a_second_process(
    tmp_path: Path, tmx_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tm_command, "PROCESS_BYTES", 0)
    tm = tmp_path / "m.sqlite"
    result = CliRunner().invoke(main, ["tm", "import", str(tmx_file), "--tm", str(tm)])
    assert result.exit_code == 0, result.output
    with MemoryStore(tm, readonly=True) as store:
        assert list(store.export_units()) == list(read_units(tmx_file))


def test_a_small_import_into_a_big_memory_extends_the_vocabulary(
    tmp_path: Path, units: list[TranslationUnit]
) -> None:
    with MemoryStore(tmp_path / "m.sqlite") as store:
        store.import_units(units)  # a new memory: vocabulary read from the index
        extra = TranslationUnit.from_texts(
            {"en": "The Zanzibarian delegation abstained.", "ru": "Занзибарская делегация воздержалась."}
        )
        assert store.import_units([extra]).added == 1  # small: vocabulary collected
        assert [h.unit for h in store.search("anzibaria", "en")] == [extra]
        assert [h.unit for h in store.search("анзибарская дел", "ru")] == [extra]
        assert [h.unit.tuid for h in store.search("ecurity Counc", "en", limit=3)] == [
            u.tuid for u in units if "ecurity Counc" in u.text("en")
        ][:3]  # type: ignore[operator]


def test_duplicates_of_stored_units_are_skipped_inside_a_batch(
    tmp_path: Path, units: list[TranslationUnit]
) -> None:
    with MemoryStore(tmp_path / "m.sqlite") as store:
        store.import_units(units[10:20:2])
        stats = store.import_units(units[:30], batch_size=7)
        assert stats.added == 25 and stats.duplicates == 5
        exported = list(store.export_units())
        assert sorted(int(u.tuid or -1) for u in exported) == list(range(30))
        # context: the unit stored just before it (a skipped duplicate between is passed over),
        # from the same file
        en = [u.text("en") or "" for u in units]
        for unit, context, expected in (
            (13, 11, True),
            (12, 10, True),
            (2, 1, True),
            (11, 10, False),
            (0, 18, False),
        ):
            matches = store.match(en[unit], "en", "ru", minimum=100, context=en[context])
            assert matches and matches[0].context is expected, (unit, context)


def test_units_that_are_not_plain_survive(tmp_path: Path) -> None:
    odd = [
        TranslationUnit(
            variants=(
                Variant("en-GB", "colour of the flag"),
                Variant("en-US", "color of the flag"),
                Variant("zh-CN", "旗帜的颜色"),
            )
        ),
        TranslationUnit(
            variants=(Variant("en", "a \x1e separator"), Variant("ru", "разделитель \x1e")),
            tuid="sep",
            props=(("x-note", "odd"),),
        ),
        TranslationUnit(variants=(Variant("en", "Only English", creationid=""),)),
    ]
    with MemoryStore(tmp_path / "m.sqlite") as store:
        store.import_units(odd)
        assert list(store.export_units()) == odd
        assert [h.text for h in store.search("colo", "en")] == ["colour of the flag", "color of the flag"]
        assert [h.unit.tuid for h in store.search("separator", "en")] == ["sep"]
        assert [m.target for m in store.match("color of the flag", "en", "zh", minimum=100)] == ["旗帜的颜色"]
        assert store.search("颜", "zh")[0].text == "旗帜的颜色"
