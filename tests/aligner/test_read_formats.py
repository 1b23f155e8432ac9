"""HTML (real UDHR pages), DOCX (generated with python-docx), plain text, format detection, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligner.document import BlockKind
from aligner.read import detect_format, read_document
from tests.conftest import shared_path
from uncore.errors import InputError, UsageError


@pytest.mark.parametrize(
    "name, lang, first_article",
    [
        ("cmn_hans.html", "zh", "第一条"),
        ("eng.html", "en", "Article 1"),
        ("rus.html", "ru", "Статья 1"),
    ],
)
def test_udhr_html_articles_and_list_items(name: str, lang: str, first_article: str) -> None:
    doc = read_document(shared_path("udhr", name), lang)
    headings = [b for b in doc.blocks if b.kind == BlockKind.HEADING]
    assert len(headings) == 32  # title, preamble, 30 articles
    assert any(h.full_text == first_article for h in headings)
    items = [b for b in doc.blocks if b.kind == BlockKind.LIST_ITEM]
    assert len(items) == 32
    assert [b.label for b in items[:2]] == ["1.", "2."]
    assert all(b.text and "\n" not in b.text for b in doc.blocks)


def test_udhr_chinese_text_is_decoded_as_utf8() -> None:
    doc = read_document(shared_path("udhr", "cmn_hans.html"), "zh")
    assert doc.blocks[0].text == "世界人权宣言"
    assert any(b.text.startswith("人人生而自由,在尊严和权利上一律平等。") for b in doc.blocks)


def test_docx_styles_and_numbering(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Communiqué of the International Conference", level=1)
    document.add_paragraph("1.\tThe participants noted that Central Asia matters.")
    document.add_paragraph("The participants called for:")
    document.add_paragraph("Measures against terrorism;", style="List Number")
    document.add_paragraph("Cyber security.", style="List Number")
    document.add_paragraph("A bullet point.", style="List Bullet")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Text in a table cell."
    path = tmp_path / "communique.docx"
    document.save(str(path))
    doc = read_document(path, "en")
    got = [(b.kind, b.label, b.text) for b in doc.blocks]
    assert got == [
        (BlockKind.HEADING, None, "Communiqué of the International Conference"),
        (BlockKind.PARAGRAPH, "1.", "The participants noted that Central Asia matters."),
        (BlockKind.PARAGRAPH, None, "The participants called for:"),
        (BlockKind.LIST_ITEM, "1.", "Measures against terrorism;"),
        (BlockKind.LIST_ITEM, "2.", "Cyber security."),
        (BlockKind.LIST_ITEM, "•", "A bullet point."),
        (BlockKind.PARAGRAPH, None, "Text in a table cell."),
    ]


def test_plain_text_blank_line_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(
        "Article 1\n\nAll human beings are born free\nand equal in dignity and rights.\n\n(a) first item;\n",
        encoding="utf-8",
    )
    doc = read_document(path, "en")
    assert [(b.kind, b.label, b.text, b.source_line) for b in doc.blocks] == [
        (BlockKind.HEADING, None, "Article 1", 1),
        (BlockKind.PARAGRAPH, None, "All human beings are born free and equal in dignity and rights.", 3),
        (BlockKind.LIST_ITEM, "(a)", "first item;", 6),
    ]


def test_forced_pdftext_on_plain_shape(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(
        " 与会者指出，中亚是古代东西方之间伟大的丝绸之路的重要通道，几千年来\n"
        "促进了世界文化、语言和宗教间的对话和传播。 \n 第二段。 \n",
        encoding="utf-8",
    )
    forced = read_document(path, "zh", fmt="pdftext")
    assert [b.text for b in forced.blocks] == [
        "与会者指出，中亚是古代东西方之间伟大的丝绸之路的重要通道，几千年来促进了世界文化、语言和宗教间的对话和传播。",
        "第二段。",
    ]


def test_forced_plain_text_keeps_every_line_of_the_seed(seed_zh: Path) -> None:
    plain = read_document(seed_zh, "zh", fmt="text")
    chunks = [c for c in re.split(r"\n\s*\n", seed_zh.read_text(encoding="utf-8")) if c.strip()]
    assert len(plain.blocks) == len(chunks) == 105  # 108 lines, 3 page breaks without a blank line
    assert len(read_document(seed_zh, "zh").blocks) < len(plain.blocks) / 2


def test_detect_format_by_magic_and_extension(tmp_path: Path) -> None:
    assert detect_format(Path("a.bin"), b"%PDF-1.7") == "pdf"
    assert detect_format(Path("a.bin"), b"PK\x03\x04....") == "docx"
    assert detect_format(Path("a.txt"), b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert detect_format(Path("a.htm"), b"<div>") == "html"
    assert detect_format(Path("a.txt"), b"hello") == "text"


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt", "en")
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x00\x01\x02binary\x00")
    with pytest.raises(InputError, match="binary data"):
        read_document(binary, "en")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("line one\nré\n".encode("latin-1"))
    with pytest.raises(InputError, match="not valid UTF-8") as caught:
        read_document(latin1, "fr")
    assert caught.value.line == 2
    fake_docx = tmp_path / "fake.docx"
    fake_docx.write_bytes(b"PK\x03\x04 not a zip really")
    with pytest.raises(InputError, match="not a readable Word"):
        read_document(fake_docx, "en")
    fake_html = tmp_path / "page.html"
    fake_html.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(InputError, match="binary data"):
        read_document(fake_html, "en")
    empty_html = tmp_path / "empty.html"
    empty_html.write_bytes(b"")
    with pytest.raises(InputError, match="cannot parse HTML"):
        read_document(empty_html, "en")
    with pytest.raises(UsageError, match="unknown language code"):
        read_document(latin1, "zz")
    with pytest.raises(UsageError, match="unknown input format"):
        read_document(latin1, "fr", fmt="odt")


def test_one_line_paragraphs_are_plain_text_not_pdf_text(tmp_path: Path) -> None:
    """Blank-line-separated one-line paragraphs are double-spaced too; their width tells them apart."""
    udhr = read_document(shared_path("udhr", "eng.html"), "en")
    long_paragraphs = [b.text for b in udhr.blocks if len(b.text) > 200][:6]
    path = tmp_path / "paragraphs.txt"
    path.write_text("\n\n".join(long_paragraphs) + "\n", encoding="utf-8")
    doc = read_document(path, "en")
    assert [b.text for b in doc.blocks] == long_paragraphs


def test_docx_letter_numbering_restarts_under_numbered_paragraphs(tmp_path: Path) -> None:
    """UN style: numbered paragraphs with (a), (b) sub-paragraphs from Word's own numbering."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    formats = (("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)"))
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(formats)
    )
    abstract = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'
    numbering.insert(0, parse_xml(abstract))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    numbered("The Committee decides:", 0)
    numbered("To note the report;", 1)
    numbered("To request the Secretary-General:", 1)
    numbered("to report;", 2)
    numbered("to act.", 2)
    numbered("The Committee further decides:", 0)
    numbered("To close the session.", 1)
    path = tmp_path / "decisions.docx"
    document.save(str(path))
    labels = [(b.label, b.kind) for b in read_document(path, "en").blocks]
    assert [label for label, _ in labels] == ["1.", "(a)", "(b)", "(i)", "(ii)", "2.", "(a)"]
    assert [kind for _, kind in labels] == [
        BlockKind.PARAGRAPH,
        *[BlockKind.LIST_ITEM] * 4,
        BlockKind.PARAGRAPH,
        BlockKind.LIST_ITEM,
    ]
