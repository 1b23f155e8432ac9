"""`untm qa` on documents aligns them exactly as `untm align` does (the pipeline layer), with
the termbase QA uses as evidence; an empty document is an error, not "0 findings"."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tmx.reader import read_tmx
from untm.cli import main

UDHR = Path(__file__).resolve().parents[2] / "examples" / "udhr"


def test_qa_checks_the_units_untm_align_makes(tmp_path: Path) -> None:
    runner = CliRunner()
    ru, zh = UDHR / "rus.html", UDHR / "cmn_hans.html"
    report = tmp_path / "qa.json"
    done = runner.invoke(
        main,
        [
            "qa",
            str(ru),
            str(zh),
            "-s",
            "ru",
            "-t",
            "zh",
            "--format",
            "json",
            "-o",
            str(report),
            "--fail-on",
            "never",
        ],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(report.read_text(encoding="utf-8"))
    aligned = tmp_path / "udhr.tmx"
    assert (
        runner.invoke(main, ["align", str(ru), str(zh), "-l", "ru", "-l", "zh", "-o", str(aligned)]).exit_code
        == 0
    )
    units = [u for u in read_tmx(aligned) if u.prop("x-untm-kind") not in ("label", "part")]
    # qa keeps the omissions (one language only) that the TMX leaves out; every paired unit of
    # the TMX (its paragraph-label units and the parts of cut beads aside) is a unit qa
    # checked, under the same number
    assert data["summary"]["units"] >= len(units) > 90
    zh_of = {int(u.tuid or 0): u.text("zh") for u in units}
    checked = 0
    for finding in data["findings"]:
        if finding["lang"] != "zh":
            continue
        if int(finding["tuid"]) in zh_of:  # the same number names the same Chinese text
            assert finding["segment"].endswith(zh_of[int(finding["tuid"])] or "?")  # TMX: label apart
            checked += 1
        else:  # a unit the TMX leaves out is an omission: its zh side is empty
            assert finding["check"] == "empty" and finding["segment"] == ""
    assert checked > 50


def test_an_empty_document_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.zh.txt"
    empty.write_text("\n\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["qa", str(empty)])
    assert done.exit_code == 2 and "no text" in done.output


def test_a_header_source_no_unit_has_is_an_error_not_a_guess(tmp_path: Path) -> None:
    """The header says fr, the units are en and zh: QA would read the English as a translation
    and miss the changed year; it stops and asks for --source-lang instead."""
    from tmx.units import TranslationUnit
    from tmx.writer import write_tmx

    memory = tmp_path / "wrong-header.tmx"
    unit = TranslationUnit.from_texts({"en": "In 2015, 12 States signed.", "zh": "2016年，12个国家签署。"})
    write_tmx(memory, [unit], srclang="fr")
    done = CliRunner().invoke(main, ["qa", str(memory)])
    assert done.exit_code == 2 and "give the source with --source-lang" in done.output
    fixed = CliRunner().invoke(main, ["qa", str(memory), "-s", "en", "--format", "json"])
    assert fixed.exit_code == 1 and '"number-mismatch"' in fixed.output
