"""``untm qa`` through click's CliRunner on real files: the Samarkand communiqué, a TMX of
unpc-dev tuples with planted errors, two documents aligned on the fly, and bad usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import shared_path
from tmx.units import TranslationUnit
from tmx.writer import TmxWriter
from untm.cli import main

KOREA = 1026


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("UNTM_TERMBASE", str(tmp_path / "termbase.sqlite"))
    return CliRunner()


def _lines(lang: str) -> list[str]:
    return shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").split("\n")


@pytest.fixture
def planted_tmx(tmp_path: Path) -> Path:
    en, zh, ru = _lines("en"), _lines("zh"), _lines("ru")
    path = tmp_path / "planted.tmx"
    with TmxWriter(path, srclang="en") as writer:
        for i in range(KOREA - 2, KOREA + 3):
            texts = {"en": en[i], "zh-CN": zh[i], "ru": ru[i]}
            if i == KOREA:
                texts["zh-CN"] = zh[i].replace("大韩民国", "南朝鲜")
            writer.write(TranslationUnit.from_texts(texts, tuid=f"tu{i}"))
    return path


def test_samarkand_communique(runner: CliRunner, seed_zh: Path) -> None:
    result = runner.invoke(main, ["qa", str(seed_zh), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    found = {(f["check"], f["found"], f["suggestion"], f["severity"]) for f in data["findings"]}
    assert {f for f in found if f[3] != "info"} == {("deprecated-term", "南朝鲜", "大韩民国", "error")}
    assert {
        ("short-form", "俄罗斯", "俄罗斯联邦", "info"),
        ("short-form", "伊朗", "伊朗伊斯兰共和国", "info"),
    } <= found
    assert data["summary"]["targets"] == ["zh"] and data["summary"]["termbase"]["concepts"] > 100
    assert runner.invoke(main, ["qa", str(seed_zh), "--fail-on", "never"]).exit_code == 0


def test_tmx_with_a_planted_name(runner: CliRunner, planted_tmx: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["qa", str(planted_tmx), "--target-lang", "zh", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert [(f["tuid"], f["lang"], f["found"], f["suggestion"]) for f in errors] == [
        ("tu1026", "zh-CN", "南朝鲜", "大韩民国")
    ]
    assert data["summary"]["source"] == "en" and data["summary"]["units"] == 5
    html = tmp_path / "qa.html"
    assert runner.invoke(main, ["qa", str(planted_tmx), "--format", "html", "-o", str(html)]).exit_code == 1
    assert "<mark>南朝鲜</mark>" in html.read_text(encoding="utf-8")
    ignore = tmp_path / "qa.ignore"
    ignore.write_text("check=deprecated-term found=南朝鲜\n", encoding="utf-8")
    quiet = runner.invoke(
        main, ["qa", str(planted_tmx), "--ignore", str(ignore), "--checks", "deprecated-term,number-mismatch"]
    )
    assert quiet.exit_code == 0, quiet.output


def test_two_documents_aligned_on_the_fly(runner: CliRunner, tmp_path: Path) -> None:
    en, zh = _lines("en"), _lines("zh")
    (tmp_path / "letter.en.txt").write_text("\n\n".join(en[KOREA - 1 : KOREA + 2]) + "\n", encoding="utf-8")
    changed = [zh[KOREA - 1], zh[KOREA].replace("大韩民国", "南朝鲜"), zh[KOREA + 1].replace("2004", "2005")]
    (tmp_path / "letter.zh.txt").write_text("\n\n".join(changed) + "\n", encoding="utf-8")
    result = runner.invoke(
        main, ["qa", str(tmp_path / "letter.en.txt"), str(tmp_path / "letter.zh.txt"), "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["summary"]["source"] == "en" and data["summary"]["targets"] == ["zh"]
    checks = {(f["check"], f["found"]) for f in data["findings"] if f["severity"] == "error"}
    assert ("deprecated-term", "南朝鲜") in checks and ("number-mismatch", "2005") in checks


def test_an_aligned_tmx_is_checked_once_per_bead(runner: CliRunner, tmp_path: Path) -> None:
    """The parts ``untm align`` writes for CAT tools (a bead cut where its joined sentence
    divides) repeat their bead's text: QA checks the bead and not its parts again."""
    from tmx.reader import read_tmx

    udhr, tmx = shared_path("udhr"), tmp_path / "udhr.tmx"
    aligned = runner.invoke(
        main,
        [
            "align",
            str(udhr / "eng.html"),
            str(udhr / "cmn_hans.html"),
            "-l",
            "en",
            "-l",
            "zh",
            "-o",
            str(tmx),
        ],
    )
    assert aligned.exit_code == 0, aligned.output
    kinds = [unit.prop("x-untm-kind") for unit in read_tmx(tmx)]
    assert "part" in kinds, "the UDHR's article 26 is one Chinese sentence for two English ones"
    result = runner.invoke(main, ["qa", str(tmx), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    assert data["summary"]["units"] == sum(kind != "part" for kind in kinds)
    assert not [f for f in data["findings"] if "-part" in str(f["tuid"])]


def test_usage_errors_exit_2_with_one_line(
    runner: CliRunner, planted_tmx: Path, seed_zh: Path, tmp_path: Path
) -> None:
    for args in (["--format", "xlsx"], ["--checks", "spelling"], ["--checks", "tm-deviation"]):
        result = runner.invoke(main, ["qa", str(planted_tmx), *args])
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith("untm: error:") and "Traceback" not in result.output
    bad = tmp_path / "bad.ignore"
    bad.write_text("colour=red\n", encoding="utf-8")
    result = runner.invoke(main, ["qa", str(seed_zh), "--ignore", str(bad)])
    assert result.exit_code == 2 and f"{bad}:1:" in result.output
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>", encoding="utf-8")
    assert runner.invoke(main, ["qa", str(broken)]).exit_code == 2


def test_xlsx_report(runner: CliRunner, planted_tmx: Path, tmp_path: Path) -> None:
    out = tmp_path / "qa.xlsx"
    result = runner.invoke(main, ["qa", str(planted_tmx), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 1 and out.exists()


def test_po_input(runner: CliRunner, tmp_path: Path) -> None:
    from tmx.convert import write_units

    en, zh = _lines("en"), _lines("zh")
    units = [
        TranslationUnit.from_texts({"en": en[i], "zh": zh[i].replace("大韩民国", "南朝鲜")})
        for i in range(KOREA - 1, KOREA + 2)
    ]
    path = tmp_path / "letter.po"
    write_units(path, units, "po", source="en", target="zh")
    result = runner.invoke(main, ["qa", str(path), "--format", "json", "--checks", "deprecated-term"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert [(f["lang"], f["found"]) for f in data["findings"]] == [("zh", "南朝鲜"), ("zh", "南朝鲜")]
    assert data["summary"]["languages"] == ["en", "zh"]


def test_tm_deviation_with_a_memory(runner: CliRunner, planted_tmx: Path, tmp_path: Path) -> None:
    from tmx.store import MemoryStore

    en, zh = _lines("en"), _lines("zh")
    store = MemoryStore(tmp_path / "tm.sqlite")
    # the memory translates tu1025's English with the Chinese of another real sentence
    store.import_units([TranslationUnit.from_texts({"en": en[KOREA - 1], "zh-CN": zh[KOREA + 1]})])
    store.close()
    result = runner.invoke(
        main,
        [
            "qa",
            str(planted_tmx),
            "--tm",
            str(tmp_path / "tm.sqlite"),
            "--checks",
            "tm-deviation",
            "--format",
            "json",
            "-t",
            "zh",
        ],
    )
    assert result.exit_code == 0, result.output  # warnings only
    data = json.loads(result.output)
    assert [(f["tuid"], f["suggestion"]) for f in data["findings"]] == [("tu1025", zh[KOREA + 1])]
    assert data["summary"]["memory"].endswith("tm.sqlite")
