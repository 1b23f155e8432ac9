"""Re-flow of PDF-extracted text, on the real seed communiqué and a Latin-script fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.document import BlockKind
from aligner.read import read_document
from aligner.read.blocks import ends_sentence
from aligner.read.furniture import furniture_kind, split_label
from aligner.read.pdftext import looks_like_pdf_text, read_pdf_text
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "read"


@pytest.fixture
def seed_doc(seed_zh: Path):
    return read_document(seed_zh, "zh")


def _starting(doc, prefix: str):
    found = [b for b in doc.blocks if b.text.startswith(prefix)]
    assert len(found) == 1, f"expected one block starting {prefix!r}, got {len(found)}"
    return found[0]


def test_seed_is_detected_as_pdf_text(seed_zh: Path) -> None:
    assert looks_like_pdf_text(seed_zh.read_text(encoding="utf-8"))


def test_paragraph_across_page_break_is_repaired(seed_doc) -> None:
    block = _starting(seed_doc, "与会者满意地注意到")
    assert block.text.endswith("三国之间关于三国边界地区的条约。")
    assert "乌兹别克斯坦共和国两国之间" in block.text  # the words cut by the page break, re-joined
    assert block.kind == BlockKind.PARAGRAPH


def test_long_paragraph_is_one_block(seed_doc) -> None:
    block = _starting(seed_doc, "鉴于中亚执行")
    assert block.text.endswith("保护网络空间不受极端分子的攻击。")
    assert "2017 年 6 月 13 日在阿什哈巴德举行" in block.text  # wrapped after 日: joined without a space
    assert "联合国中亚地区预防外交中心" in block.text  # 预/防 were on two lines


def test_paragraph_after_page_break_starts_new_block(seed_doc) -> None:
    _starting(seed_doc, "与会者表示愿意继续加强睦邻关系")
    _starting(seed_doc, "与会者欢迎举行中亚各国国家元首协商会议")


def test_no_annex_paragraph_ends_mid_sentence(seed_doc) -> None:
    kinds = [b.kind for b in seed_doc.blocks]
    start = next(i for i, b in enumerate(seed_doc.blocks) if b.text == "[原件：俄文]")
    annex = seed_doc.blocks[start + 1 :]
    assert len(annex) >= 20
    body = [b for b in annex if b.kind not in (BlockKind.HEADING, BlockKind.NOTE, BlockKind.SIGNATURE)]
    assert len(body) >= 20
    for block in body:
        assert ends_sentence(block.text), block.text
    assert kinds.count(BlockKind.SIGNATURE) == 1


def test_note_signature_and_headings_are_own_blocks(seed_doc) -> None:
    texts = {b.text: b for b in seed_doc.blocks}
    assert texts["[原件：俄文]"].kind == BlockKind.NOTE
    assert texts["巴赫季亚尔·易卜拉欣莫夫(签名)"].kind == BlockKind.SIGNATURE
    assert texts["第七十二届会议"].kind == BlockKind.HEADING
    assert texts["第二委员会"].kind == BlockKind.HEADING
    assert seed_doc.blocks[0].source_line == 1
    assert _starting(seed_doc, "谨转递").source_line == 17


def test_agenda_title_broken_at_a_conjunction_is_one_heading(seed_doc) -> None:
    """The agenda item title runs over four hard lines, broken after 、, before 以及 and after 和."""
    titles = [b for b in seed_doc.blocks if b.text.startswith("可持续发展：")]
    assert [b.text for b in titles] == [
        "可持续发展：《21 世纪议程》、《进一步执行〈21世纪议程〉方案》"
        "以及可持续发展问题世界首脑会议和联合国可持续发展大会成果的执行情况"
    ]
    assert titles[0].kind == BlockKind.HEADING
    assert not any(b.text.startswith(("以及可持续发展", "联合国可持续发展大会成果")) for b in seed_doc.blocks)


def test_furniture_inside_a_paragraph_is_dropped_and_paragraph_joined(seed_zh: Path) -> None:
    lines = seed_zh.read_text(encoding="utf-8").split("\n")
    cut = lines.index("斯坦签署关于标定哈萨克-土库曼斯坦国家边界的协议；吉尔吉斯共和国和乌兹")
    lines[cut + 1 : cut + 1] = ["", "17-20555 (C)", "", "A/72/565", "", "2/4", "", "请回收", ""]
    doc = read_pdf_text("\n".join(lines), "zh")
    block = _starting(doc, "与会者满意地注意到")
    assert block.text.endswith("三国之间关于三国边界地区的条约。")
    assert not any(b.text in {"17-20555 (C)", "A/72/565", "2/4", "请回收"} for b in doc.blocks)
    assert dict(doc.meta)["symbol"] == "A/72/565"


def test_without_trailing_space_cue_paragraphs_still_rebuilt(seed_zh: Path) -> None:
    text = "\n".join(line.rstrip(" ") for line in seed_zh.read_text(encoding="utf-8").split("\n"))
    doc = read_pdf_text(text, "zh")
    assert _starting(doc, "与会者满意地注意到").text.endswith("三国之间关于三国边界地区的条约。")
    assert _starting(doc, "鉴于中亚执行").text.endswith("不受极端分子的攻击。")
    assert _starting(doc, "与会者欢迎举行").text.endswith("制定协调一致的办法。")


def test_latin_reflow_hyphens_labels_furniture() -> None:
    doc = read_document(FIXTURES / "en-pdftext.txt", "en")
    para = next(b for b in doc.blocks if b.label == "1.")
    # "impor-/tant" un-hyphenated; "self-/determination" keeps its hyphen (seen elsewhere); page joined
    assert "an important crossroads" in para.text
    assert "self-determination and good-neighbourliness" in para.text
    assert "regional cooperation." in para.text
    assert para.text.endswith("demarcation of the State border.")
    items = [(b.label, b.text) for b in doc.blocks if b.kind == BlockKind.LIST_ITEM]
    assert items == [("(a)", "Self-determination of peoples;"), ("(b)", "Regional cooperation.")]
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["[Original: Russian]"] == BlockKind.NOTE
    assert kinds["(Signed) Bakhtiyor Ibragimov"] == BlockKind.SIGNATURE
    assert not any("Please recycle" in b.text or "A/72/565" in b.text for b in doc.blocks)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("A/72/565", "symbol"),
        ("E/CN.6/2015/1", "symbol"),
        ("2015/E/CN_15/2015/1", "symbol"),
        ("17-20555 (C)", "job"),
        ("GE.17-12345 (E)", "job"),
        ("*1720555*", "barcode"),
        ("12", "page"),
        ("3/72", "page"),
        ("- 4 -", "page"),
        ("请回收", "recycle"),
        ("Please recycle ♲", "recycle"),
        ("[原件：俄文]", None),
        ("议程项目 19(a)", None),
        ("N/A", None),
        ("Second Committee", None),
    ],
)
def test_furniture_kinds(line: str, kind: str | None) -> None:
    assert furniture_kind(line) == kind


@pytest.mark.parametrize(
    ("text", "label", "rest"),
    [
        ("1. The Committee", "1.", "The Committee"),
        ("(a) To note", "(a)", "To note"),
        ("(iv) Funds", "(iv)", "Funds"),
        ("IV. Introduction", "IV.", "Introduction"),
        ("12.3 Further", "12.3", "Further"),
        ("第一条 人人生而自由", "第一条", "人人生而自由"),
        ("一、总则", "一、", "总则"),
        ("6. 减少氢氟碳化物", "6.", "减少氢氟碳化物"),
        ("2017 年 11 月", None, "2017 年 11 月"),
        ("(见附件)", None, "(见附件)"),
        ("A. background", None, "A. background"),
    ],
)
def test_labels(text: str, label: str | None, rest: str) -> None:
    assert split_label(text) == (label, rest)
