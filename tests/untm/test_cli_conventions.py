"""Conventions every command shares: `-o -` is standard output (no file named `-`), click's own
usage errors are one line with exit 2, an empty input is an error, and the start is fast
enough that no command imports what it does not use."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from untm.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "A72-samarkand-communique.zh.txt"


def test_dash_output_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    done = runner.invoke(main, ["segment", str(SEED), "--lang", "zh", "--format", "json", "-o", "-"])
    assert done.exit_code == 0 and '"sentences"' in done.output
    udhr = ROOT / "examples" / "udhr"
    aligned = runner.invoke(
        main, ["align", str(udhr / "rus.html"), str(udhr / "eng.html"), "-l", "ru", "-l", "en", "-o", "-"]
    )
    assert aligned.exit_code == 0 and aligned.output.startswith("tuid\tscore\tflagged\tru\ten\n")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["qa", "/no/such/file.tmx"], "untm: error: untm qa: Invalid value for 'INPUTS...'"),
        (["align", "a.txt", "b.txt"], "untm: error: untm align: Missing option '--lang'"),
        (
            ["tmx", "stats", str(SEED), "--format", "xml"],
            "untm: error: untm tmx stats: Invalid value for '--format'",
        ),
        (["no-such-command"], "untm: error: No such command 'no-such-command'"),
    ],
)
def test_click_usage_errors_are_one_line(args: list[str], expected: str) -> None:
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), done.output


def test_empty_input_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["segment", str(empty), "--lang", "zh"])
    assert done.exit_code == 2 and "no text" in done.output
    done = CliRunner().invoke(main, ["segment", "-", "--lang", "zh"], input="")
    assert done.exit_code == 2 and "no text" in done.output


def test_starting_imports_no_heavy_library() -> None:
    """`untm --version`, `--help` and `term lookup` never load pandas, numpy or the aligner
    (their cost is measured in benchmarks/cli_start.py)."""
    probe = (
        "import sys\nfrom untm.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'numpy', 'aligner.align', 'sqlite3.dbapi2', 'lxml.etree')"
        " if m in sys.modules]\nprint('HEAVY', heavy)\n"
    )
    for args, allowed in (
        (["--version"], []),
        (["--help"], []),
        (["term", "lookup", "南朝鲜"], ["numpy", "sqlite3.dbapi2", "lxml.etree"]),
    ):
        out = subprocess.run(
            [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            check=False,
        ).stdout
        heavy = ast.literal_eval(out.rsplit("HEAVY", 1)[1].strip())
        assert set(heavy) <= set(allowed), (args, heavy)


def test_tsv_is_real_tsv_and_json_numbers_are_numbers(tmp_path: Path) -> None:
    import json

    from untm.output import Table, fit, render_rows

    text = render_rows([{"a": "x\ty", "b": 'say "hi"\nthen'}], "tsv")
    assert text == 'a\tb\nx\\ty\tsay "hi"\\nthen\n'  # no CSV quoting; escapes as uncore.cells reads them
    gold = ROOT.parent / "shared" / "data" / "unpc-align-dev" / "doc000" / "gold.zh-en.align"
    done = CliRunner().invoke(
        main, ["align-eval", "--gold", str(gold), "--pred", str(gold), "--format", "json"]
    )
    rows = json.loads(done.output)
    assert rows[0]["f1"] == 1.0 and isinstance(rows[0]["precision"], float)
    table = render_rows([{"text": "联合国" * 40}], "table")
    assert isinstance(table, Table)
    from uncore.lang import display_width

    fitted = fit(table, 80).split("\n")
    assert all(display_width(line) <= 80 for line in fitted)  # CJK counts two columns
    assert fitted[2].endswith("…") and len(fitted[2]) == 40


def _unpc_tmx(tmp_path: Path) -> bytes:
    """The first 300 unpc-dev ru/en sentence pairs as a TMX (made with `tmx convert`)."""
    shared = ROOT.parent / "shared" / "data" / "unpc-dev"
    for lang in ("ru", "en"):
        lines = (shared / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[:300]
        (tmp_path / f"c.{lang}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = CliRunner().invoke(
        main, ["tmx", "convert", str(tmp_path / "c.ru"), "--langs", "ru,en", "-o", str(tmp_path / "c.tmx")]
    )
    assert done.exit_code == 0, done.output
    return (tmp_path / "c.tmx").read_bytes()


def test_dash_input_is_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-` reads standard input on commands that read files (TMX, text, TSV) and queries; the
    format is recognised from the content; the copy is gone afterwards; no file `-` appears."""
    monkeypatch.chdir(tmp_path)
    data = _unpc_tmx(tmp_path)
    runner = CliRunner()
    valid = runner.invoke(main, ["tmx", "validate", "-"], input=data)
    assert valid.exit_code == 0 and valid.output.strip() == "<stdin>: valid, 300 units"
    table = runner.invoke(main, ["tmx", "convert", "-", "-o", "-", "--to", "tsv"], input=data)
    assert table.exit_code == 0 and len(table.stdout.splitlines()) == 301
    back = runner.invoke(
        main, ["tmx", "convert", "-", "-o", "back.tmx", "--langs", "ru,en"], input=table.stdout.encode()
    )
    assert back.exit_code == 0 and (tmp_path / "back.tmx").read_bytes().count(b"</tu>") == 300
    udhr = ROOT / "examples" / "udhr"
    aligned = runner.invoke(
        main,
        ["align", "-", str(udhr / "eng.html"), "-l", "ru", "-l", "en", "-o", "-"],
        input=(udhr / "rus.html").read_bytes(),
    )
    assert aligned.exit_code == 0 and aligned.stdout.startswith("tuid\tscore\tflagged\tru\ten\n")
    assert len(aligned.stdout.splitlines()) > 50
    lookup = runner.invoke(main, ["term", "lookup", "-", "--format", "json"], input="南朝鲜\n")
    assert lookup.exit_code == 0 and '"country-KOR"' in lookup.output
    imported = runner.invoke(main, ["tm", "import", "-", "--tm", "m.sqlite"], input=data)
    assert imported.exit_code == 0 and "300" in imported.output
    assert not (tmp_path / "-").exists()
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("untm-stdin-*/stdin.tmx"))


def test_dash_input_errors_name_standard_input(tmp_path: Path) -> None:
    data = _unpc_tmx(tmp_path)
    runner = CliRunner()
    broken = runner.invoke(main, ["tmx", "stats", "-"], input=data[:3000])
    assert broken.exit_code == 2
    assert broken.output.startswith("untm: error: <stdin>:") and "malformed TMX" in broken.output
    assert "/untm-stdin-" not in broken.output
    twice = runner.invoke(main, ["tmx", "merge", "-", "-", "-o", str(tmp_path / "m.tmx")], input=data)
    assert twice.exit_code == 2 and "standard input (-) can be read only once" in twice.output
    assert not (tmp_path / "m.tmx").exists()
