"""Property tests: any text XML 1.0 can carry survives every round trip untm offers, exactly.

hypothesis generates the segments (CR, tabs, line feeds, combining marks, right-to-left text,
formula-looking starts, backslashes, quotes) with a fixed budget and sequence (tests/conftest.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tmx.convert import read_units, write_units
from tmx.reader import read_tmx
from tmx.units import TranslationUnit, Variant
from tmx.writer import write_tmx
from uncore.xmlchars import XML_INVALID

# Every character XML 1.0 allows (no lone surrogates, no C0 but tab/LF/CR, no U+FFFE/FFFF);
# the hand-picked ones are the characters that broke round trips before.
_HARD = "\r\n\t\\\"'=+-@<>&\u0301\u200f\u202e\u00a0\u3000\U0001f600«»“”,;"
_ALLOWED = st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(
    lambda ch: XML_INVALID.match(ch) is None
)
SEGMENT = st.text(st.one_of(_ALLOWED, st.sampled_from(_HARD)), min_size=1, max_size=60)
LANGS = ("ru", "zh", "en")


def _units(rows: list[tuple[str, str, str]]) -> list[TranslationUnit]:
    return [
        TranslationUnit(
            tuple(Variant(lang, text) for lang, text in zip(LANGS, row, strict=True)), tuid=str(n)
        )
        for n, row in enumerate(rows, 1)
    ]


ROWS = st.lists(st.tuples(SEGMENT, SEGMENT, SEGMENT), min_size=1, max_size=6)


@given(ROWS)
def test_tmx_write_read_is_exact(rows: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.tmx"
        write_tmx(path, _units(rows), srclang="ru")
        back = [tuple(u.text(lang) for lang in LANGS) for u in read_tmx(path)]
    assert back == rows


@given(ROWS, st.sampled_from(["tsv", "csv", "xlsx"]))
def test_table_export_import_keeps_every_segment(rows: list[tuple[str, str, str]], fmt: str) -> None:
    """TMX units → TSV / CSV / XLSX → units: the same segments, paired the same way (a CR or a
    tab inside a segment never splits a row; a leading = never becomes a formula)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"p.{fmt}"
        write_units(path, _units(rows), fmt, langs=list(LANGS), source="ru")
        back = [tuple(u.text(lang) for lang in LANGS) for u in read_units(path, fmt, langs=list(LANGS))]
    assert back == rows


@given(SEGMENT, SEGMENT, SEGMENT)
def test_inline_codes_keep_the_text_around_them(before: str, code: str, after: str) -> None:
    """A segment with an inline code (a Trados/memoQ placeholder) keeps its text, CR included,
    on both sides of the code and inside it."""
    from xml.sax.saxutils import escape

    markup = f'{escape(before)}<ph x="1">{escape(code)}</ph>{escape(after)}'.replace("\r", "&#13;")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "codes.tmx"
        unit = TranslationUnit((Variant("en", before + after, markup=markup), Variant("ru", after)))
        write_tmx(path, [unit], srclang="en")
        first = next(read_tmx(path))
        again = Path(folder) / "again.tmx"
        write_tmx(again, [first], srclang="en")
        second = next(read_tmx(again))
    assert first.text("ru") == after and second.text("ru") == after
    assert first.variants[0].markup == second.variants[0].markup
    assert before in first.text("en") and after in first.text("en")
