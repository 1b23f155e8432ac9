"""``untm tmx …`` through click's CliRunner, on real UN sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.tmx.unpc import unpc_units
from tmx.reader import read_header, read_tmx
from tmx.writer import write_tmx
from untm.cli import main


@pytest.fixture
def memory(tmp_path: Path) -> Path:
    path = tmp_path / "unpc.tmx"
    write_tmx(path, unpc_units(40), srclang="ru")
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_every_command_has_an_example() -> None:
    for name in ("validate", "stats", "merge", "filter", "split", "convert"):
        result = run("tmx", name, "--help")
        assert result.exit_code == 0 and "Example:" in result.output and "untm tmx" in result.output


def test_validate_ok_and_json(memory: Path, tmp_path: Path) -> None:
    result = run("tmx", "validate", str(memory))
    assert result.exit_code == 0 and "valid, 40 units" in result.output
    bad = tmp_path / "bad.tmx"
    bad.write_text(
        memory.read_text(encoding="utf-8")
        .replace('xml:lang="en"', 'lang="en"', 1)
        .replace("<seg>", '<seg x="1">', 1),
        encoding="utf-8",
    )
    result = run("tmx", "validate", str(bad), "--format", "json")
    assert result.exit_code == 1
    [report] = json.loads(result.output)
    assert not report["valid"] and {p["rule"] for p in report["problems"]} >= {"dtd", "language"}


def test_stats(memory: Path) -> None:
    result = run("tmx", "stats", str(memory), "--format", "json")
    data = json.loads(result.output)
    assert data["units"] == 40 and data["duplicate_units"] == 0
    assert {row["language"]: row["segments"] for row in data["languages"]} == {
        "en": 40,
        "ru": 40,
        "zh-CN": 40,
    }
    assert "zh-CN" in run("tmx", "stats", str(memory)).output


def test_merge_filter_split(memory: Path, tmp_path: Path) -> None:
    out = tmp_path / "merged.tmx"
    result = run("tmx", "merge", str(memory), str(memory), "-o", str(out), "--report", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["duplicates"] == 40 and len(list(read_tmx(out))) == 40

    filtered = tmp_path / "short.tmx"
    result = run(
        "tmx",
        "filter",
        str(memory),
        "--lang",
        "ru",
        "--lang",
        "zh",
        "--max-length",
        "60",
        "-o",
        str(filtered),
        "--lang-map",
        "zh=zh-Hans",
    )
    assert result.exit_code == 0, result.output
    kept = list(read_tmx(filtered))
    assert 0 < len(kept) < 40 and all(u.languages == ("ru", "zh-Hans") for u in kept)

    result = run(
        "tmx", "split", str(memory), "--pair", "zh-ru", "--pair", "ru-en", "-d", str(tmp_path / "bi")
    )
    assert result.exit_code == 0, result.output
    zh_ru = tmp_path / "bi" / "unpc.zh-ru.tmx"
    assert read_header(zh_ru).srclang == "zh-CN"
    assert [u.languages for u in read_tmx(zh_ru)] == [("zh-CN", "ru")] * 40


@pytest.mark.parametrize("name", ["out.tsv", "out.csv", "out.xlsx", "out.xlf", "out.po"])
def test_convert_both_ways(memory: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = run("tmx", "convert", str(memory), "-o", str(out), "--target", "zh-CN")
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.tmx"
    result = run("tmx", "convert", str(out), "-o", str(back), "--source", "ru", "--target", "zh-CN")
    assert result.exit_code == 0, result.output
    assert [u.text("zh") for u in read_tmx(back)] == [u.text("zh") for u in read_tmx(memory)]
    assert read_header(back).srclang == "ru"


def test_convert_moses(memory: Path, tmp_path: Path) -> None:
    result = run(
        "tmx", "convert", str(memory), "--to", "moses", "--langs", "ru,zh-CN", "-o", str(tmp_path / "corpus")
    )
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "corpus.zh-CN").read_text(encoding="utf-8").splitlines()) == 40
    result = run("tmx", "convert", str(tmp_path / "corpus.ru"), "-o", str(tmp_path / "c.tmx"))
    assert result.exit_code == 0, result.output
    assert len(list(read_tmx(tmp_path / "c.tmx"))) == 40


def _huge_segment(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header '
            'creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
            'adminlang="en" srclang="en" datatype="plaintext"/><body>'
            '<tu><tuv xml:lang="en"><seg>first</seg></tuv></tu>'
            '<tu><tuv xml:lang="en"><seg>'
        )
        chunk = "a" * 1_000_000
        for _ in range(100):  # a 100 MB segment
            handle.write(chunk)
        handle.write("</seg></tuv></tu></body></tmx>")


@pytest.mark.parametrize("kind", ["truncated", "wrong-root", "missing-lang", "bomb"])
@pytest.mark.parametrize("command", ["convert", "filter", "split"])
def test_bad_input_fails_cleanly_and_writes_nothing(
    memory: Path, tmp_path: Path, kind: str, command: str
) -> None:
    bad = tmp_path / "in" / "bad.tmx"
    bad.parent.mkdir()
    text = memory.read_text(encoding="utf-8")
    if kind == "truncated":
        bad.write_text(text[: len(text) // 2], encoding="utf-8")
    elif kind == "wrong-root":
        bad.write_text(text.replace("<tmx ", "<tmxx ").replace("</tmx>", "</tmxx>"), "utf-8")
    elif kind == "missing-lang":
        bad.write_text(text.replace(' xml:lang="zh-CN"', "", 5), encoding="utf-8")
    elif kind == "bomb":
        lols = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
        bad.write_text(
            text.replace(
                '<!DOCTYPE tmx SYSTEM "tmx14.dtd">', f'<!DOCTYPE tmx [<!ENTITY l0 "lol">{lols}]>'
            ).replace("<seg>", "<seg>&l9;", 1),
            encoding="utf-8",
        )
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    args = {
        "convert": ["-o", str(out_dir / "x.tsv")],
        "filter": ["-o", str(out_dir / "x.tmx")],
        "split": ["--pair", "ru-zh", "-d", str(out_dir)],
    }[command]
    result = CliRunner().invoke(main, ["tmx", command, str(bad), *args])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("untm: error: ") and "Traceback" not in result.output
    assert str(bad) in result.output
    assert list(out_dir.iterdir()) == []


def test_100_mb_segment_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "huge.tmx"
    _huge_segment(bad)
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(main, ["tmx", "filter", str(bad), "-o", str(out)])
    assert result.exit_code == 2 and "10 MB safety limit" in result.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["huge.tmx"]
    bad.unlink()
