"""``untm segment`` through click's CliRunner, on the real seed communiqué."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from aligner.segment import shipped_srx_bytes
from untm.cli import main


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_text_output_blocks_and_indented_sentences(seed_zh: Path) -> None:
    result = run("segment", str(seed_zh), "--lang", "zh")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "#1 heading  (line 1)"
    assert lines[1] == "    第七十二届会议"
    assert "#10 note  (line 30)" in lines  # after the one-heading agenda title (lines 7-13)
    at = lines.index("#12 paragraph  (line 36)")
    assert lines[at + 1].endswith("在撒马尔罕举行。") and lines[at + 2].startswith("    会议由乌兹别克斯坦")


def test_json_output(seed_zh: Path, tmp_path: Path) -> None:
    out = tmp_path / "seed.json"
    result = run("segment", str(seed_zh), "--lang", "zh-CN", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    crossing = next(r for r in rows if r["text"].startswith("与会者满意地注意到"))
    assert crossing["kind"] == "paragraph"
    assert crossing["sentences"] == [
        "与会者满意地注意到划定和标定国家边界方面的积极动态。",
        "这是确保中亚和平、稳定和安全的重要因素。",
        crossing["text"][
            len(
                "与会者满意地注意到划定和标定国家边界方面的积极动态。这是确保中亚和平、稳定和安全的重要因素。"
            ) :
        ],
    ]
    assert {r["kind"] for r in rows} == {"heading", "paragraph", "signature", "note"}


def test_stdin_and_labels() -> None:
    result = run(
        "segment",
        "-",
        "--lang",
        "en",
        "--format",
        "json",
        stdin="1. Mr. Smith spoke on para. 5. The Committee agreed.\n\n(a) To note;\n",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["label"] == "1." and rows[0]["sentences"] == [
        "Mr. Smith spoke on para. 5.",
        "The Committee agreed.",
    ]
    assert (rows[1]["kind"], rows[1]["label"]) == ("list_item", "(a)")


def test_export_srx_writes_the_shipped_file(tmp_path: Path) -> None:
    target = tmp_path / "un.srx"
    result = run("segment", "--export-srx", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == shipped_srx_bytes()
    assert run("segment", "--export-srx", "-").output.encode("utf-8") == shipped_srx_bytes()


def test_custom_srx_changes_the_split(tmp_path: Path) -> None:
    rules = tmp_path / "rules.srx"
    rules.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0"><header cascade="yes"/><body><languagerules>
<languagerule languagerulename="Semicolon"><rule break="yes"><beforebreak>；</beforebreak><afterbreak/></rule>
</languagerule></languagerules><maprules><languagemap languagepattern=".*" languagerulename="Semicolon"/>
</maprules></body></srx>""",
        encoding="utf-8",
    )
    result = run("segment", "-", "--lang", "zh", "--srx", str(rules), stdin="加强合作；确保网络安全。\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["    加强合作；", "    确保网络安全。"]


def _fails_with(result, *fragments: str) -> None:
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    message = result.output.strip().splitlines()
    assert len(message) == 1, result.output
    assert message[0].startswith("untm: error: ")
    for fragment in fragments:
        assert fragment in message[0]


def test_bad_input_one_line_exit_2(tmp_path: Path, seed_zh: Path) -> None:
    _fails_with(run("segment", str(tmp_path / "missing.txt"), "--lang", "zh"), "missing.txt", "no such file")
    _fails_with(run("segment", str(seed_zh), "--lang", "zz"), "unknown language code 'zz'")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n%%EOF garbage")
    _fails_with(run("segment", str(broken), "--lang", "en"), "broken.pdf", "not a readable PDF")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    _fails_with(run("segment", str(binary), "--lang", "ru"), "image.txt", "binary data")
    bad_rules = tmp_path / "bad.srx"
    bad_rules.write_text("<srx>", encoding="utf-8")
    _fails_with(
        run("segment", str(seed_zh), "--lang", "zh", "--srx", str(bad_rules)), "bad.srx", "well-formed"
    )
    _fails_with(run("segment", str(seed_zh)), "--lang")


def test_help_has_an_example() -> None:
    result = run("segment", "--help")
    assert result.exit_code == 0
    assert "untm segment examples/A72-samarkand-communique.zh.txt --lang zh" in result.output


def test_export_for_an_omegat_3_project(tmp_path: Path) -> None:
    """A `.conf` path gets OmegaT 3.x's project format (java.beans.XMLEncoder of its SRX object):
    every map of the SRX with its rules in order, break or not. OmegaT itself loads it in
    tests/tmx/test_omegat.py (the Russian leverage case differs by 11 points without it)."""
    from lxml import etree

    from aligner.segment import Segmenter

    target = tmp_path / "omegat" / "segmentation.conf"
    target.parent.mkdir()
    assert run("segment", "--export-srx", str(target)).exit_code == 0
    root = etree.parse(str(target)).getroot()
    maps = root.findall("object/void[@property='mappingRules']/void/object")
    rules = Segmenter.shipped().rules
    assert [m.findtext("void[@property='pattern']/string") for m in maps] == [
        m.pattern for m in rules.maprules
    ]
    named = dict(rules.languagerules)
    for element, lmap in zip(maps, rules.maprules, strict=True):
        found = [
            (
                r.findtext("void[@property='breakRule']/boolean") == "true",
                r.findtext("void[@property='beforebreak']/string") or "",
                r.findtext("void[@property='afterbreak']/string") or "",
            )
            for r in element.findall("void[@property='rules']/object/void/object")
        ]
        assert found == [(r.breaks, r.before, r.after) for r in named[lmap.rulename]]
