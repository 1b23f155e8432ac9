"""tm-deviation against a real MemoryStore, ignore files, and the report formats."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from qa import IgnoreList, Severity, run_checks
from qa.ignore import parse_rules
from qa.report import render_text, summarize, write_xlsx
from tests.qa.conftest import tuple_unit
from tmx.store import MemoryStore
from uncore.errors import InputError

KOREA = 1026


def test_tm_deviation_against_a_stored_translation(unpc, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = MemoryStore(tmp_path / "tm.sqlite")
    store.import_units(tuple_unit(unpc, i) for i in range(1000, 1100))
    stored = tuple_unit(unpc, KOREA)
    # the same source, translated as a different (real) sentence: deviates
    other = tuple_unit(unpc, KOREA, zh=unpc["zh"][KOREA + 1])
    found = list(
        run_checks([stored, other], memory=store, source="en", targets=["zh"], checks=["tm-deviation"])
    )
    assert [(f.lang, f.suggestion) for f in found] == [("zh", unpc["zh"][KOREA])]
    assert found[0].severity is Severity.WARNING and "chrF" in found[0].message
    store.close()


def test_ignore_rules(unpc, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    zh = unpc["zh"][KOREA].replace("大韩民国", "南朝鲜")
    units = [tuple_unit(unpc, KOREA, zh=zh)]
    path = tmp_path / "qa.ignore"
    path.write_text("# reviewed\ncheck=deprecated-term lang=zh found=南朝鲜 tuid=1026\n", encoding="utf-8")
    ignore = IgnoreList.load(path)
    assert list(run_checks(units, matcher, source="en", checks=["deprecated-term"], ignore=ignore)) == []
    with pytest.raises(InputError, match="unknown check"):
        list(parse_rules(["check=deprecated-terms"], "x.ignore"))
    with pytest.raises(InputError) as error:
        list(parse_rules(["", "colour=red"], "x.ignore"))
    assert str(error.value).startswith("x.ignore:2:")


def test_reports(unpc, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    zh = unpc["zh"][KOREA].replace("大韩民国", "南朝鲜")
    findings = list(run_checks([tuple_unit(unpc, KOREA, zh=zh)], matcher, source="en"))
    summary = summarize(
        findings,
        {
            "untm": "0.1.0",
            "source": "en",
            "targets": ["zh", "ru"],
            "checks": ["deprecated-term"],
            "termbase": {"revision": 1, "concepts": 211},
        },
    )
    data = json.loads(render_text(findings, summary, "json"))
    assert data["summary"]["by_severity"]["error"] == 1
    assert data["summary"]["signature"].startswith("untm-qa|v:0.1.0|src:en|tgt:zh,ru")
    first = data["findings"][0]
    assert set(first) == {
        "tuid",
        "segment",
        "lang",
        "check",
        "severity",
        "found",
        "suggestion",
        "start",
        "end",
        "message",
        "concept",
    }
    page = render_text(findings, summary, "html")
    assert "<mark>南朝鲜</mark>" in page and 'id="deprecated-term"' in page
    assert "<script" not in page and "http" not in page  # self-contained
    assert render_text(findings, summary, "csv").splitlines()[0].startswith("tuid,lang,check")
    write_xlsx(findings, summary, tmp_path / "qa.xlsx")
    sheet = load_workbook(tmp_path / "qa.xlsx")["findings"]
    assert sheet["E2"].value == "南朝鲜"
