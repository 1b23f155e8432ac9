"""Validation: untm's own output is valid; broken memories get located findings."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import schema_path
from tests.tmx.unpc import unpc_units
from tmx.validate import validate_file
from tmx.writer import write_tmx


def test_untm_output_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "ok.tmx"
    write_tmx(path, unpc_units(100), srclang="ru")
    report = validate_file(path, schema_path("tmx14.dtd"))
    assert report.valid and report.units == 100 and report.problems == ()
    assert validate_file(path).valid  # the bundled copy of the DTD agrees


def test_findings_name_rule_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
        'adminlang="en" srclang="ru" datatype="plaintext"/>\n<body>\n'
        '<tu changedate="2017-11-14"><tuv xml:lang="zh"><seg>只有中文</seg></tuv></tu>\n'
        '<tu><tuv xml:lang="ru"><seg>  </seg></tuv><tuv><seg>x</seg></tuv></tu>\n'
        "</body>\n</tmx>\n",
        encoding="utf-8",
    )
    report = validate_file(path, schema_path("tmx14.dtd"))
    assert not report.valid and report.units == 2
    found = {(p.rule, p.line) for p in report.problems}
    assert {("date", 5), ("srclang", 5), ("single-variant", 5), ("empty", 6), ("dtd", 6)} <= found


def test_truncated_file_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "cut.tmx"
    write_tmx(path, unpc_units(20), srclang="ru")
    path.write_bytes(path.read_bytes()[:-500])
    report = validate_file(path)
    assert not report.valid and report.problems[-1].rule == "xml"
    assert report.problems[-1].line is not None


def test_what_trados_refuses_is_reported(tmp_path: Path) -> None:
    """A unit that holds 25 UN sentences (over Trados Studio's 2,000 characters) and a prop whose
    type is not user-defined ('x-') are warnings naming their lines; the file stays valid."""
    from dataclasses import replace

    from tests.tmx.unpc import unpc_lines
    from tmx.units import TranslationUnit

    long_en = " ".join(unpc_lines("en", 25, 100))
    assert len(long_en) > 2000
    units = [
        *unpc_units(3),
        TranslationUnit.from_texts({"en": long_en, "ru": "…"}, tuid="long"),
        replace(unpc_units(1, 50)[0], props=(("domain", "UN"), ("x-untm-score", "0.9"))),
    ]
    path = tmp_path / "trados.tmx"
    write_tmx(path, units, srclang="en")
    report = validate_file(path)
    rules = sorted(p.rule for p in report.problems)
    assert report.valid and rules == ["long-segment", "prop-type"]
    long = next(p for p in report.problems if p.rule == "long-segment")
    assert f"{len(long_en):,} characters" in long.message and long.line
