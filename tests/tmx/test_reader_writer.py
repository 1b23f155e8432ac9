"""Reader and writer on real UN text: DTD-valid output, lossless round trips, tool quirks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import schema_path
from tests.tmx.unpc import unpc_units
from tmx.reader import read_header, read_tmx
from tmx.units import TranslationUnit, Variant
from tmx.writer import TmxWriter, write_tmx
from uncore.errors import InputError

INLINE_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="SDL" creationtoolversion="9" segtype="sentence" o-tmf="SDL TM"
 adminlang="en-US" srclang="ru-RU" datatype="rtf">
<prop type="x-project">A/72/565</prop><note>header note</note>
<ude name="MacRoman"><map unicode="#xF8FF" code="#xF0" ent="Apple_logo" subst="[Apple]"/></ude>
</header>
<body>
<tu tuid="7" creationdate="20171114T093000Z" changedate="20171115T101010Z" creationid="AB"
 usagecount="3" datatype="rtf" o-tmf="weird">
<note>checked</note><prop type="x-untm-score">0.87</prop>
<tuv xml:lang="ru-RU" creationid="R"><prop type="x-origin">pdf</prop><note>v-note</note>
<seg>Пункт <bpt i="1" x="1">{\\b </bpt>19 (a)<ept i="1">}</ept> повестки \
<ph x="2">{\\fn<sub>сноска <hi type="x">1</hi></sub>}</ph> дня \
<it pos="begin">&lt;i&gt;</it>хвост<ut>{\\u}</ut> &amp; конец</seg></tuv>
<tuv xml:lang="zh-CN"><seg>议程项目<hi x="3">19(a)</hi></seg></tuv>
</tu>
<tu><tuv lang="ru"><seg>Старый формат</seg></tuv><tuv lang="zh"><seg>旧格式</seg></tuv></tu>
</body>
</tmx>
"""


def _dtd() -> etree.DTD:
    return etree.DTD(str(schema_path("tmx14.dtd")))


def test_written_file_is_dtd_valid_and_truthful(tmp_path: Path) -> None:
    out = tmp_path / "unpc.tmx"
    units = unpc_units(200)
    count = write_tmx(out, units, srclang="ru", props=[("x-untm-aligner", "test")])
    assert count == 200
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    tree = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True))
    assert _dtd().validate(tree), _dtd().error_log
    header = read_header(out)
    assert (header.creationtool, header.o_tmf, header.segtype) == ("untm", "untm", "sentence")
    assert header.creationtoolversion and header.creationtoolversion[0].isdigit()
    assert header.srclang == "ru" and header.adminlang == "en" and header.datatype == "plaintext"
    assert datetime.strptime(header.creationdate or "", "%Y%m%dT%H%M%SZ")
    assert header.props == (("x-untm-aligner", "test"),)
    back = list(read_tmx(out))
    assert [u.text("zh") for u in back] == [u.text("zh") for u in units]
    assert back[0].text("en") == units[0].text("en")


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    src = tmp_path / "in.tmx"
    src.write_text(INLINE_TMX, encoding="utf-8")
    first = list(read_tmx(src))
    tu = first[0]
    ru = tu.variants[0]
    assert ru.text == "Пункт 19 (a) повестки  дня хвост & конец"
    assert ru.markup is not None and '<sub>сноска <hi type="x">1</hi></sub>' in ru.markup
    assert ru.markup.endswith("<ut>{\\u}</ut> &amp; конец")
    assert tu.variants[1].text == "议程项目19(a)"
    assert tu.usagecount == 3 and tu.creationid == "AB"
    assert tu.creationdate == datetime(2017, 11, 14, 9, 30, tzinfo=UTC)
    assert ("datatype", "rtf") in tu.extra_attrs
    assert ru.props == (("x-origin", "pdf"),) and ru.notes == ("v-note",)
    assert first[1].languages == ("ru", "zh")  # TMX 1.1 `lang`
    header = read_header(src)
    out = tmp_path / "out.tmx"
    write_tmx(out, first, srclang="ru-RU", props=header.props, notes=header.notes, udes=header.udes)
    second = list(read_tmx(out))
    assert second == first
    assert read_header(out).udes == header.udes
    assert read_header(out).props == header.props


def test_utf16_trados_export(tmp_path: Path) -> None:
    path = tmp_path / "trados.tmx"
    text = INLINE_TMX.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    units = list(read_tmx(path))
    assert len(units) == 2 and units[0].text("zh-CN") == "议程项目19(a)"


def test_language_mapping_applies_to_variants_and_header(tmp_path: Path) -> None:
    out = tmp_path / "mapped.tmx"
    write_tmx(out, unpc_units(3), srclang="ru", lang_map={"ru": "ru-RU", "zh-CN": "zh-Hans"})
    assert read_header(out).srclang == "ru-RU"
    assert next(read_tmx(out)).languages == ("ru-RU", "zh-Hans", "en")


def test_writer_is_atomic(tmp_path: Path) -> None:
    out = tmp_path / "never.tmx"
    with pytest.raises(RuntimeError), TmxWriter(out, srclang="ru") as writer:
        writer.write(unpc_units(1)[0])
        raise RuntimeError("aligner crashed")
    assert list(tmp_path.iterdir()) == []


def test_control_characters_are_refused_not_dropped(tmp_path: Path) -> None:
    """A character XML 1.0 cannot carry is an error naming the unit and the language, and no
    file is left: dropping it silently would change the segment without a word."""
    out = tmp_path / "ff.tmx"
    units = [
        TranslationUnit((Variant("ru", "Стр. 2"), Variant("zh", "第2页")), tuid="1"),
        TranslationUnit((Variant("ru", "Стр. 3"), Variant("zh", "第\x013页")), tuid="2"),
    ]
    with pytest.raises(InputError, match=r"unit 2: the zh segment holds U\+0001"):
        write_tmx(out, units, srclang="ru")
    assert not out.exists()


def test_layout_controls_in_documents_become_white_space(tmp_path: Path) -> None:
    """A form feed and a stray control character in a document are layout: the aligned units
    hold a space there, and the TMX is written."""
    from untm import pipeline

    ru, zh = tmp_path / "a.ru.txt", tmp_path / "a.zh.txt"
    ru.write_text("Статья 1\x0c продолжение.\n\nСтатья 2\x01 текст.\n", encoding="utf-8")
    zh.write_text("第一条\x0c续。\n\n第二条\x01案文。\n", encoding="utf-8")
    read = pipeline.read_sides([ru, zh], ["ru", "zh"])
    result = pipeline.align(read, pipeline.default_config(use_termbase=False))
    pipeline.write_alignment(tmp_path / "a.tmx", result)
    russian = [v for u in read_tmx(tmp_path / "a.tmx") if (v := u.variant("ru"))]
    assert russian and all("\x01" not in v.text and "\x0c" not in v.text for v in russian)
    # "Статья 2" is the paragraph's label: kept in the prop, out of the segment
    assert any(dict(v.props).get("x-untm-label") == "Статья 2" and v.text == "текст." for v in russian)


def _tmx(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
        f'datatype="plaintext"/><body>{body}</body></tmx>'
    )


def _billion_laughs() -> str:
    """The classic entity-expansion bomb: 10^9 "lol"s (about 3 GB) if a parser expanded it."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE tmx [{''.join(entities)}]>"
    return _tmx('<tu><tuv xml:lang="en"><seg>&lol9;</seg></tuv></tu>').replace("?>", "?>" + doctype, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_tmx('<tu><tuv xml:lang="en"><seg>ok</seg></tuv>')[:-20], "malformed TMX"),
        ('<?xml version="1.0"?><xliff version="1.2"><file/></xliff>', "root element is <xliff>"),
        (_tmx("<tu><tuv><seg>x</seg></tuv></tu>"), "without xml:lang"),
        (_billion_laughs(), "declares XML entities"),
    ],
    ids=["truncated", "wrong-root", "missing-lang", "entity-bomb"],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        list(read_tmx(path))
    assert caught.value.path == str(path)


def test_malformed_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(_tmx('<tu>\n<tuv xml:lang="en"><seg>a < b</seg></tuv></tu>'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_tmx(path))
    assert caught.value.line == 2 and caught.value.column is not None


def test_special_characters_survive(tmp_path: Path) -> None:
    tricky = "a & b < c > d \"q\" 's'\r\nline\ttab ]]> 𠀀"
    unit = TranslationUnit(
        (Variant("ru", tricky, props=(('x-"q"', tricky),), notes=(tricky,)), Variant("zh", "甲")),
        tuid='id "1" & <2>',
        props=(("x-untm-score", "0.5"),),
    )
    out = tmp_path / "special.tmx"
    write_tmx(out, [unit], srclang="ru")
    assert next(read_tmx(out)) == unit
    assert _dtd().validate(etree.parse(str(out)))
