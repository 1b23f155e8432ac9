"""`untm term …` through click's CliRunner against real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import schema_path, shared_path
from tmx.units import TranslationUnit
from tmx.writer import TmxWriter
from untm.cli import main


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """No test may create or change the user's default termbase."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("UNTM_TERMBASE", raising=False)


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    termbase = tmp_path / "tb.sqlite"

    def invoke(*args: str):
        return runner.invoke(main, ["term", "--termbase", str(termbase), *args], catch_exceptions=False)

    return invoke


def test_lookup_deprecated_is_loud(run):
    result = run("lookup", "南朝鲜")
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first == "!! 南朝鲜 (zh) is DEPRECATED — use 大韩民国 / Республика Корея / Republic of Korea"


def test_lookup_json_and_tsv(run):
    data = json.loads(run("lookup", "Киргизия", "--format", "json").output)
    assert data[0]["concept"] == "country-KGZ" and data[0]["use_instead"]["ru"] == "Кыргызстан"
    tsv = run("lookup", "Republic of Korea", "--format", "tsv", "--no-fuzzy").output.splitlines()
    assert tsv[0].split("\t")[:3] == ["match", "score", "concept"]
    assert tsv[1].split("\t")[2] == "country-KOR"


def test_import_export_round_trip_and_validation(run, tmp_path):
    out = tmp_path / "un.tbx"
    assert run("export", str(out)).exit_code == 0
    from termbase.tbx import validate_tbx

    assert validate_tbx(out, schema_path("TBX-Basic_v3_integrated.rng")) == []
    fresh = CliRunner().invoke(
        main,
        [
            "term",
            "--termbase",
            str(tmp_path / "other.sqlite"),
            "import",
            str(schema_path("TBX-Basic_example_DCA_valid.tbx")),
        ],
    )
    assert fresh.exit_code == 0 and "imported 45 concepts" in fresh.output


def test_bad_import_is_one_line_and_changes_nothing(run, tmp_path):
    before = run("stats", "--format", "json").output
    bad = tmp_path / "bad.csv"
    bad.write_text("concept_id,lang,term,status\nn1,en,Foo,preferred\nn1,zh,富,obsolete\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["term", "--termbase", str(tmp_path / "tb.sqlite"), "import", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().startswith("untm: error: ") and "bad.csv:3" in result.output
    assert "Traceback" not in result.output
    assert run("stats", "--format", "json").output == before


def test_add_list_stats_and_omegat(run, tmp_path):
    assert run("add", "org-X", "en", "Widget Office", "--source", "test").exit_code == 0
    assert run("add", "org-X", "en", "WO", "--status", "deprecated", "--type", "acronym").exit_code == 0
    listing = run("list", "--status", "deprecated", "--lang", "en", "--format", "json").output
    rows = {r["term"]: r for r in json.loads(listing)}
    assert rows["WO"]["use_instead"] == "Widget Office"
    assert rows["South Korea"]["use_instead"] == "Republic of Korea"
    glossary = tmp_path / "g.txt"
    exported = run("export", str(glossary), "--format", "omegat", "--source", "en", "--target", "zh")
    assert exported.exit_code == 0
    lines = glossary.read_text(encoding="utf-8").splitlines()
    assert (
        "South Korea\t大韩民国\tdeprecated: not the UN's name, use Republic of Korea; UN full name "
        "(country-KOR)"
    ) in lines
    assert "United States of America\t美利坚合众国\tUN full name; also: 美国 (country-USA)" in lines
    assert "United States\t美国\tUN short form; also: 美利坚合众国 (country-USA)" in lines


def test_env_variable_selects_the_termbase(tmp_path):
    path = tmp_path / "env.sqlite"
    result = CliRunner().invoke(main, ["term", "stats"], env={"UNTM_TERMBASE": str(path)})
    assert result.exit_code == 0 and path.exists()
    assert not (tmp_path / "xdg").exists()


def test_option_selects_the_termbase(run, tmp_path):
    assert run("stats").exit_code == 0
    assert (tmp_path / "tb.sqlite").exists() and not (tmp_path / "xdg").exists()


def test_extract_from_unpc(run, tmp_path):
    ru = shared_path("unpc-dev", "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()[:600]
    zh = shared_path("unpc-dev", "UNv1.0.devset.zh").read_text(encoding="utf-8").splitlines()[:600]
    memory = tmp_path / "aligned.tmx"
    with TmxWriter(memory, srclang="ru") as writer:
        for a, b in zip(ru, zh, strict=True):
            writer.write(TranslationUnit.from_texts({"ru": a, "zh": b}))
    candidates = tmp_path / "cand.tsv"
    result = run(
        "extract",
        str(memory),
        "--source",
        "ru",
        "--target",
        "zh",
        "--format",
        "json",
        "--termbase-file",
        str(candidates),
    )
    assert result.exit_code == 0
    pairs = {(r["source"], r["target"]) for r in json.loads(result.output)}
    assert ("Генерального секретаря", "秘书长") in pairs
    assert run("import", str(candidates)).exit_code == 0


def test_termbase_after_the_subcommand_and_update_keeps_local_terms(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from untm.cli import main

    runner = CliRunner()
    tb = str(tmp_path / "mine.sqlite")
    added = runner.invoke(
        main,
        [
            "term",
            "add",
            "country-KOR",
            "zh",
            "南韩国",
            "--status",
            "deprecated",
            "--type",
            "variant",
            "--termbase",
            tb,
        ],
    )
    assert added.exit_code == 0, added.output
    assert (tmp_path / "mine.sqlite").exists()
    updated = runner.invoke(main, ["term", "update", "--termbase", tb])
    assert updated.exit_code == 0 and "1 terms you added to 1 bundled concepts kept" in updated.output
    assert "南韩国" in runner.invoke(main, ["term", "lookup", "南韩国", "--termbase", tb]).output
    dropped = runner.invoke(main, ["term", "update", "--discard-local", "--termbase", tb])
    assert dropped.exit_code == 0 and "discarded" in dropped.output
    gone = runner.invoke(main, ["term", "lookup", "南韩国", "--no-fuzzy", "--termbase", tb])
    assert "no match" in gone.output


def test_import_rejects_a_language_that_is_not_a_tag(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from untm.cli import main

    table = tmp_path / "bad.csv"
    table.write_text("concept_id,lang,term\nc1,en,Widget Office\nc1,chinese,小部件办公室\n", encoding="utf-8")
    tb = str(tmp_path / "tb.sqlite")
    done = CliRunner().invoke(main, ["term", "import", str(table), "--termbase", tb])
    assert done.exit_code == 2 and "bad.csv:3: 'chinese' is not a BCP 47 language tag" in done.output
    assert (
        "no match"
        in CliRunner()
        .invoke(main, ["term", "lookup", "Widget Office", "--no-fuzzy", "--termbase", tb])
        .output
    )
