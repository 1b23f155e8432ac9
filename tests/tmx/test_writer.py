"""The writer's short path for plain units writes what the general path writes, and batching
keeps the writer atomic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tmx.reader import read_tmx
from tmx.units import TranslationUnit, Variant
from tmx.writer import _BATCH, TmxWriter, write_tmx
from uncore.errors import InputError

TEXTS = [
    "plain",
    "a & b < c > d",
    "nbsp\u00a0here",
    "cr\r\nlf\ttab",
    "astral 𠀀 😀",
    "]]>",
    "é" * 300,
]


@pytest.mark.parametrize("text", ["ctrl\x0c\x01x", "odd\ufffe\uffff", "lone \ud800 surrogate"])
def test_both_paths_refuse_what_xml_cannot_carry(tmp_path: Path, text: str) -> None:
    fast = TranslationUnit.from_texts({"ru": text, "zh-CN": "甲"}, tuid="1")
    slow = TranslationUnit((Variant("ru", text, creationid="me"), Variant("zh-CN", "甲")), tuid="1")
    with TmxWriter(tmp_path / "x.tmx", srclang="ru") as writer:
        for unit in (fast, slow):
            with pytest.raises(InputError, match=r"unit 1: the ru segment holds U\+"):
                writer.serialize(unit)


@pytest.mark.parametrize("text", TEXTS)
def test_short_path_writes_what_the_general_path_writes(tmp_path: Path, text: str) -> None:
    fast = TranslationUnit.from_texts({"ru": text, "zh-CN": "甲"}, tuid="1")
    slow = TranslationUnit((Variant("ru", text), Variant("zh-CN", "甲")), tuid="1")
    with TmxWriter(tmp_path / "x.tmx", srclang="ru") as writer:
        assert writer.serialize(fast) == writer.serialize(slow)
        # the general path of a variant with an attribute writes the same <seg>
        marked = writer.serialize(TranslationUnit((Variant("ru", text, creationid="me"),)))
        assert (
            writer.serialize(TranslationUnit((Variant("ru", text),))).split("<seg>")[1]
            == marked.split("<seg>")[1]
        )


@pytest.mark.parametrize("tuid", ["7", "id 7", 'q"&<', "ключ"])
def test_tuids_are_escaped(tmp_path: Path, tuid: str) -> None:
    out = tmp_path / "t.tmx"
    write_tmx(out, [TranslationUnit.from_texts({"en": "x"}, tuid=tuid)], srclang="en")
    assert next(read_tmx(out)).tuid == tuid


def test_every_unit_of_several_batches_is_written(tmp_path: Path) -> None:
    out = tmp_path / "b.tmx"
    count = _BATCH * 2 + 3
    units = [TranslationUnit.from_texts({"en": f"s{i}"}, tuid=str(i)) for i in range(count)]
    assert write_tmx(out, units, srclang="en") == count
    assert list(read_tmx(out)) == units


def test_a_failure_after_batches_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "never.tmx"
    with pytest.raises(RuntimeError), TmxWriter(out, srclang="en") as writer:
        for i in range(_BATCH + 5):
            writer.write(TranslationUnit.from_texts({"en": f"s{i}"}))
        raise RuntimeError("aligner crashed")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_last_write_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "never.tmx"

    class Full:
        def write(self, _data: Any) -> None:
            raise OSError("No space left on device")

    with pytest.raises(OSError, match="No space"), TmxWriter(out, srclang="en") as writer:
        writer.write(TranslationUnit.from_texts({"en": "x"}))
        writer._handle = Full()  # type: ignore[assignment]
    assert list(tmp_path.iterdir()) == []


def test_a_lone_surrogate_names_its_unit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unit 5"), TmxWriter(tmp_path / "s.tmx", srclang="en") as writer:
        writer.write(TranslationUnit.from_texts({"en": "bad \udc80"}, tuid="5"))
    assert list(tmp_path.iterdir()) == []
