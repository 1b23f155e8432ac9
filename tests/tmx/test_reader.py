"""The reader's short paths (plain ``<tuv>``, lone ``tuid``, canonical dates) give exactly what
the general path gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tmx.reader import _read_general, parse_date, read_tmx
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


# --- the block reader (``_read_body``) against the general one (``_read_general``) ------------

_SHAPES = (
    '<tu tuid="p{i}"><tuv xml:lang="ru"><seg>а{i} &amp; б</seg></tuv><tuv xml:lang="zh-CN"><seg>甲{i}</seg>'
    '</tuv><tuv xml:lang="en"><seg>a{i} &lt;b&gt;</seg></tuv></tu>',
    '<tu tuid="l{i}"><prop type="x-untm-score">0.9</prop><tuv xml:lang="ru"><prop type="x-untm-label">1.'
    '</prop><seg>Статья {i}</seg></tuv><tuv xml:lang="en"><prop type="x-untm-label">1.</prop>'
    "<seg>Article {i}</seg></tuv></tu>",
    '<tu><note>n{i}</note><tuv xml:lang="en" creationdate="20171114T093000Z" changedate="bad">'
    '<seg>x<ph x="1">&lt;b&gt;</ph>y{i}</seg></tuv><tuv xml:lang="fr"><seg/></tuv></tu>',
    '<tu tuid="o{i}" srclang="en" usagecount="3"><tuv lang="en"><seg>old {i}</seg></tuv></tu>',
    '<tu tuid="w{i}">\n  <tuv xml:lang="en">\n    <seg>spaced {i}</seg>\n  </tuv>\n</tu>',
    '<tu tuid="c{i}"><tuv xml:lang="en" creationid="me"><seg><![CDATA[<raw> {i}]]></seg></tuv></tu>',
    '<tu tuid="{i}"><tuv xml:lang="en"><seg>plain {i}</seg></tuv>'
    '<tuv xml:lang="de"><seg>schlicht</seg></tuv></tu>',
)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.tmx"
    path.write_text(_tmx(body), encoding="utf-8")
    return path


def _outcome(units: Iterator[TranslationUnit]) -> tuple[list[tuple[TranslationUnit, dict[str, object]]], str]:
    """The units (with what each holds) and the error, if any."""
    got = []
    try:
        for unit in units:
            got.append((unit, {**vars(unit), "variants": [vars(v) for v in unit.variants]}))
    except InputError as error:
        return got, str(error)
    return got, ""


def _same_as_general(path: Path) -> list[TranslationUnit]:
    fast, general = _outcome(read_tmx(path)), _outcome(_read_general(path))
    assert fast == general
    return [unit for unit, _ in fast[0]]


def test_every_shape_mixed_over_many_blocks_reads_as_the_general_path(tmp_path: Path) -> None:
    # ~1.5 MB: the plain units share blocks with every other shape, and units straddle blocks
    body = "\n".join(_SHAPES[i % 7 if i % 3 else 0].format(i=i) for i in range(6000))
    units = _same_as_general(_write(tmp_path, body))
    assert len(units) == 6000
    label = units[1].variants[0]
    assert label.props == (("x-untm-label", "1."),) and units[1].props == (("x-untm-score", "0.9"),)
    assert units[2].variants[0].markup == 'x<ph x="1">&lt;b&gt;</ph>y2' and units[2].notes == ("n2",)
    assert units[4].variants[0].text == "spaced 4" and units[0].variants[2].text == "a0 <b>"


def test_all_plain_many_blocks(tmp_path: Path) -> None:
    body = "".join(_SHAPES[0].format(i=i) for i in range(5000))
    units = _same_as_general(_write(tmp_path, body))
    assert [u.tuid for u in units] == [f"p{i}" for i in range(5000)]
    assert all(len(vars(v)) == 2 for u in units for v in u.variants)  # plain, as before


@pytest.mark.parametrize(
    "body",
    [
        # a lone attribute that is not xml:lang must not pass for the language
        '<tu tuid="1"><tuv xml:lang="en"><seg>a</seg></tuv></tu>'
        '<tu><tuv creationid="x"><seg>b</seg></tuv></tu>',
        '<tu srclang="en"><tuv xml:lang="en"><seg>a</seg></tuv></tu>',
        '<tu tuid="1"><tuv lang="en"><seg>TMX 1.1</seg></tuv></tu>',
        '<tu tuid="1"><tuv xml:lang="en"><note>a</note></tuv></tu>',
        '<tu tuid="1"><foo xml:lang="en"><seg>a</seg></foo><tuv xml:lang="en"><seg>b</seg></tuv></tu>',
        '<tu tuid="1"><tuv xml:lang="en"><seg>a</seg></tuv></tu><tu/>',
        # units where the general reader finds them: nested, in another element, after <body>
        '<tu tuid="1"><tuv xml:lang="en"><seg>a</seg></tuv><tu tuid="2"><tuv xml:lang="en"><seg>b</seg>'
        "</tuv></tu></tu>",
        '<group><tu tuid="1"><tuv xml:lang="en"><seg>a</seg></tuv></tu></group><other/>',
    ],
)
def test_unusual_documents_read_as_the_general_path(tmp_path: Path, body: str) -> None:
    plain = "".join(_SHAPES[0].format(i=i) for i in range(300))
    _same_as_general(_write(tmp_path, plain + body + plain))


def test_units_outside_body_and_errors(tmp_path: Path) -> None:
    plain = "".join(_SHAPES[0].format(i=i) for i in range(300))
    unit = '<tu tuid="x"><tuv xml:lang="en"><seg>x</seg></tuv></tu>'
    for text in (
        _tmx(plain).replace("</body>", f"</body>{unit}"),
        _tmx(plain).replace("<body>", f"{unit}<body>"),
        _tmx(plain).replace("</body>", f"</body><body>{unit}</body>"),
        _tmx(plain + '<tu tuid="bad"><tuv xml:lang="en"><seg>x</sg></tuv></tu>' + plain),
        _tmx(plain)[:-30],
    ):
        path = tmp_path / "t.tmx"
        path.write_text(text, encoding="utf-8")
        _same_as_general(path)
    fast = _outcome(read_tmx(path))
    assert fast[1].startswith(f"{path}:") and "malformed TMX" in fast[1]
