"""Conversion to and from every exchange format, on real UN sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tmx.unpc import unpc_units
from tmx.convert import detect_format, read_units, write_units
from uncore.errors import InputError, UsageError


@pytest.mark.parametrize("name", ["m.tsv", "m.csv", "m.xlsx", "corpus.ru"])
def test_multilingual_formats_round_trip(tmp_path: Path, name: str) -> None:
    units = unpc_units(30)
    path = tmp_path / name
    langs = ["ru", "zh-CN", "en"]
    fmt = "moses" if name.startswith("corpus") else None
    assert write_units(path, units, fmt, langs=langs) == 30
    back = list(read_units(path, fmt))
    assert len(back) == 30
    for before, after in zip(units, back, strict=True):
        assert [after.text(lang) for lang in langs] == [before.text(lang) for lang in langs]


@pytest.mark.parametrize("name", ["m.xlf", "m.po"])
def test_bilingual_formats_round_trip(tmp_path: Path, name: str) -> None:
    units = unpc_units(30)
    path = tmp_path / name
    assert write_units(path, units, source="ru", target="zh-CN") == 30
    back = list(read_units(path))
    assert [(u.variants[0].lang, u.variants[1].lang) for u in back] == [("ru", "zh-CN")] * 30
    assert [u.text("zh") for u in back] == [u.text("zh") for u in units]
    assert [u.text("ru") for u in back] == [u.text("ru") for u in units]


def test_xliff_is_version_1_2(tmp_path: Path) -> None:
    path = tmp_path / "m.xlf"
    write_units(path, unpc_units(2), source="ru", target="zh-CN")
    head = path.read_text(encoding="utf-8")[:300]
    assert 'version="1.2"' in head and "xliff:document:1.2" in head and "1.1" not in head


def test_tmx_to_tmx_keeps_units(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_units(first, unpc_units(10), source="ru")
    write_units(second, read_units(first), source="ru")
    assert list(read_units(second)) == list(read_units(first))


def test_moses_files_of_different_length(tmp_path: Path) -> None:
    (tmp_path / "c.ru").write_text("а\nб\n", encoding="utf-8")
    (tmp_path / "c.zh").write_text("甲\n", encoding="utf-8")
    with pytest.raises(InputError, match="differ in length"):
        list(read_units(tmp_path / "c.ru"))


def test_table_needs_language_header(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("source\ttarget\nа\t甲\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a language tag"):
        list(read_units(path))


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="cannot tell the format"):
        detect_format("memory.docx")
