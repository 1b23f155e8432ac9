"""The reader's short paths (plain ``<tuv>``, lone ``tuid``, canonical dates) give exactly what
the general path gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tmx.reader import parse_date, read_tmx
from tmx.units import TranslationUnit, Variant
from uncore.errors import InputError


def _tmx(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
        f'datatype="plaintext"/><body>{body}</body></tmx>'
    )


def _read(tmp_path: Path, body: str) -> list[TranslationUnit]:
    path = tmp_path / "t.tmx"
    path.write_text(_tmx(body), encoding="utf-8")
    return list(read_tmx(path))


def _strptime(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


@pytest.mark.parametrize(
    "value",
    [
        "20171114T093000Z",
        "20000229T235959Z",
        "20010229T000000Z",
        "20171314T093000Z",
        "20171100T093000Z",
        "20171114T246000Z",
        "20171114T093060Z",
        "20171114T0930000",
        "20171114t093000Z",
        "2017111T4093000Z",
        "20171114T93000Z",
        "２０１７1114T093000Z",
        "+2017114T093000Z",
        "20171114T093000Z ",
        "2017-11-14T09:30:00Z",
    ],
)
def test_parse_date_agrees_with_strptime(value: str) -> None:
    assert parse_date(value) == _strptime(value)


def test_parse_date_absent() -> None:
    assert parse_date(None) is None and parse_date("") is None


def test_plain_and_general_paths_agree(tmp_path: Path) -> None:
    units = _read(
        tmp_path,
        (
            '<tu tuid="1"><tuv xml:lang="ru"><seg>а &amp; б</seg></tuv>'
            '<tuv xml:lang="zh" creationid="X"><seg>甲</seg></tuv></tu>'
            '<tu><tuv lang="en"><seg/></tuv><tuv xml:lang="fr">\n  <seg>x</seg>\n</tuv></tu>'
            '<tu srclang="ru"><note>n</note><prop type="p">v</prop>'
            '<tuv xml:lang="ru"><seg>a<ph x="1"/>b</seg></tuv></tu>'
        ),
    )
    assert units[0] == TranslationUnit(
        (Variant("ru", "а & б"), Variant("zh", "甲", creationid="X")), tuid="1"
    )
    assert units[1] == TranslationUnit((Variant("en", ""), Variant("fr", "x")))
    assert units[2] == TranslationUnit(
        (Variant("ru", "ab", markup='a<ph x="1"/>b'),), srclang="ru", props=(("p", "v"),), notes=("n",)
    )


def test_a_tuv_without_seg_is_an_error_on_the_short_path_too(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="without <seg>"):
        _read(tmp_path, '<tu><tuv xml:lang="en"><note>x</note></tuv></tu>')


def test_many_units_in_order(tmp_path: Path) -> None:
    body = "".join(f'<tu tuid="{i}"><tuv xml:lang="en"><seg>s{i}</seg></tuv></tu>\n' for i in range(1000))
    units = _read(tmp_path, body)
    assert [u.tuid for u in units] == [str(i) for i in range(1000)]
    assert [u.text("en") for u in units] == [f"s{i}" for i in range(1000)]
