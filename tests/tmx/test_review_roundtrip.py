"""Review information survives every format untm writes, and every format it writes it reads:
the UDHR aligned by `untm align` (real text; the aligner flags a few units) through XLIFF, PO,
TSV, CSV and XLSX and back; segments with tabs, line breaks and formula-looking starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tmx.convert import read_units, write_units
from tmx.reader import read_tmx
from tmx.units import TranslationUnit
from untm.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "udhr"


@pytest.fixture(scope="module")
def aligned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("udhr") / "udhr.tmx"
    # Without the Russian dictionary: with it, every unit of the UDHR's ru-en TMX is confident
    # (tests/aligner/test_scorers_russian.py), and these tests need units flagged for review.
    result = CliRunner(env={"UNTM_RU_DICTIONARY": "none"}).invoke(
        main,
        [
            "align",
            str(EXAMPLES / "rus.html"),
            str(EXAMPLES / "eng.html"),
            "-l",
            "ru",
            "-l",
            "en",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def _review(units: list[TranslationUnit]) -> list[tuple[str | None, str | None]]:
    return [(u.prop("x-untm-flagged"), u.prop("x-untm-score")) for u in units]


def test_the_aligner_marks_every_unit_yes_or_no(aligned: Path) -> None:
    flags = [u.prop("x-untm-flagged") for u in read_tmx(aligned)]
    assert set(flags) == {"yes", "no"} and flags.count("yes") < flags.count("no")


@pytest.mark.parametrize("suffix", [".xlf", ".po", ".tsv", ".csv", ".xlsx"])
def test_flags_survive_each_format(aligned: Path, tmp_path: Path, suffix: str) -> None:
    units = list(read_tmx(aligned))
    out = tmp_path / f"udhr{suffix}"
    write_units(out, units, source="ru", target="en", langs=["ru", "en"])
    back = list(read_units(out, source="ru", target="en"))
    assert [u.prop("x-untm-flagged") for u in back] == [u.prop("x-untm-flagged") for u in units]
    if suffix in (".xlf", ".tsv", ".csv", ".xlsx"):
        assert [u.prop("x-untm-score") for u in back] == [u.prop("x-untm-score") for u in units]
    assert [(u.text("ru"), u.text("en")) for u in back] == [(u.text("ru"), u.text("en")) for u in units]


def test_xliff_marks_flagged_units_for_review(aligned: Path, tmp_path: Path) -> None:
    out = tmp_path / "udhr.xlf"
    write_units(out, read_tmx(aligned), source="ru", target="en")
    xml = out.read_text(encoding="utf-8")
    flagged = sum(u.prop("x-untm-flagged") == "yes" for u in read_tmx(aligned))
    assert xml.count('approved="no"') == xml.count('state="needs-review-translation"') == flagged
    assert xml.count("flagged for review</note>") == flagged


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".xlsx"])
def test_tables_keep_tabs_line_breaks_and_formulas(tmp_path: Path, suffix: str) -> None:
    units = [
        TranslationUnit.from_texts({"ru": "Статья 1\tпункт\r\nвторой", "en": "=SUM(A1:A3)"}, tuid="a"),
        TranslationUnit.from_texts({"ru": "-5 °C", "en": "@UN \\ slash"}, tuid="b"),
        TranslationUnit.from_texts({"ru": "'quoted", "en": "+1"}, tuid="c"),
    ]
    out = tmp_path / f"t{suffix}"
    write_units(out, units, langs=["ru", "en"])
    back = list(read_units(out))
    assert [(u.tuid, u.text("ru"), u.text("en")) for u in back] == [
        (u.tuid, u.text("ru"), u.text("en")) for u in units
    ]


def test_what_untm_align_writes_as_tsv_the_other_commands_read(tmp_path: Path) -> None:
    runner = CliRunner()
    tsv = tmp_path / "udhr.tsv"
    assert (
        runner.invoke(
            main,
            [
                "align",
                str(EXAMPLES / "rus.html"),
                str(EXAMPLES / "eng.html"),
                "-l",
                "ru",
                "-l",
                "en",
                "-o",
                str(tsv),
            ],
        ).exit_code
        == 0
    )
    assert tsv.read_text(encoding="utf-8").startswith("tuid\tscore\tflagged\tru\ten\n")
    imported = runner.invoke(main, ["tm", "import", str(tsv), "--tm", str(tmp_path / "m.sqlite")])
    assert imported.exit_code == 0, imported.output
    converted = runner.invoke(
        main, ["tmx", "convert", str(tsv), "--source", "ru", "-o", str(tmp_path / "x.tmx")]
    )
    assert converted.exit_code == 0, converted.output
    assert {u.prop("x-untm-flagged") for u in read_tmx(tmp_path / "x.tmx")} == {"yes", "no"}
    checked = runner.invoke(main, ["qa", str(tsv), "-s", "ru", "-t", "en"])
    assert checked.exit_code == 0, checked.output


def test_filter_by_review_flag(aligned: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    total = len(list(read_tmx(aligned)))
    counts = {}
    for flag in ("yes", "no"):
        out = tmp_path / f"{flag}.tmx"
        done = runner.invoke(main, ["tmx", "filter", str(aligned), "--flagged", flag, "-o", str(out)])
        assert done.exit_code == 0, done.output
        counts[flag] = len(list(read_tmx(out)))
        assert {u.prop("x-untm-flagged") for u in read_tmx(out)} == {flag}
    assert counts["yes"] + counts["no"] == total and counts["yes"] > 0
    out = tmp_path / "prop.tmx"
    assert (
        runner.invoke(
            main, ["tmx", "filter", str(aligned), "--prop", "x-untm-flagged=no", "-o", str(out)]
        ).exit_code
        == 0
    )
    assert len(list(read_tmx(out))) == counts["no"]
