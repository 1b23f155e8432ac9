"""PDF reading through pypdfium2, on PDFs generated here with reportlab (no binaries committed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.document import BlockKind
from aligner.read import read_document
from uncore.errors import InputError

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _write_pdf(path: Path, pages: list[list[tuple[str, bool]]], font: str) -> None:
    """Each page: (line, indented) pairs, drawn top-down; page number furniture at the bottom."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for number, page in enumerate(pages, 1):
        pdf.setFont(font, 11)
        y = 780
        for text, indented in page:
            pdf.drawString(72 + (22 if indented else 0), y, text)
            y -= 18
        pdf.drawString(290, 40, str(number))
        pdf.drawString(72, 56, "17-20555 (C)")
        pdf.showPage()
    pdf.save()


def _seed_pages(seed_zh: Path) -> list[list[tuple[str, bool]]]:
    """The seed's lines 94–172 laid out as two PDF pages, the break where the original had it."""
    raw = seed_zh.read_text(encoding="utf-8").split("\n")[93:172]
    lines = [(line.strip(), line.startswith(" ")) for line in raw if line.strip()]
    cut = next(i for i, (text, _) in enumerate(lines) if text.startswith("别克斯坦共和国两国之间"))
    return [lines[:cut], [(text, False) for text, _ in lines[cut : cut + 1]] + lines[cut + 1 :]]


def test_chinese_pdf_with_page_break_inside_paragraph(tmp_path: Path, seed_zh: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "communique.pdf"
    _write_pdf(path, _seed_pages(seed_zh), "STSong-Light")
    doc = read_document(path, "zh")
    first = doc.blocks[0]
    assert first.text.startswith("与会者满意地注意到")
    assert first.text.endswith("三国之间关于三国边界地区的条约。")
    assert "乌兹别克斯坦共和国两国之间" in first.text
    long = next(b for b in doc.blocks if b.text.startswith("鉴于中亚执行"))
    assert long.text.endswith("不受极端分子的攻击。")
    assert not any(b.text in {"1", "2", "17-20555 (C)"} for b in doc.blocks)
    assert all(b.kind == BlockKind.PARAGRAPH for b in doc.blocks)
    assert len(doc.blocks) == 11  # seed paragraphs starting on lines 94 … 170
    assert doc.blocks[-1].text.startswith("与会者欢迎举行")


def test_russian_pdf_with_truetype_font(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not DEJAVU.exists():
        pytest.fail(f"font missing: {DEJAVU} (Debian package fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    page = [
        ("Шестьдесят девятая сессия", False),
        ("1. Участники отметили, что Центральная Азия на протяжении веков бы-", True),
        ("ла важным перекрестком Великого шелкового пути между Востоком и", False),
        ("Западом.", False),
        ("2. Участники подчеркнули важность регионального сотрудничества.", True),
    ]
    path = tmp_path / "ru.pdf"
    _write_pdf(path, [page], "DejaVu")
    doc = read_document(path, "ru")
    assert [b.kind for b in doc.blocks] == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert doc.blocks[1].label == "1."
    assert doc.blocks[1].text == (
        "Участники отметили, что Центральная Азия на протяжении веков была важным "
        "перекрестком Великого шелкового пути между Востоком и Западом."
    )


def test_unreadable_pdf_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is not really a PDF\n")
    with pytest.raises(InputError, match="not a readable PDF") as caught:
        read_document(path, "en")
    assert str(path) in str(caught.value)
