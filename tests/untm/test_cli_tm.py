"""``untm tm`` through click's CliRunner, on a TMX built from the real unpc-dev tuples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import shared_path
from tmx.reader import read_tmx
from tmx.units import TranslationUnit
from tmx.writer import write_tmx
from untm.cli import main

LANGS = ("ru", "zh", "en")
LINES = slice(900, 1100)  # includes the 大韩民国 sentences (lines 914, 1027, 1028)


def unpc_tmx(path: Path) -> Path:
    texts = {
        lang: shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[LINES]
        for lang in LANGS
    }
    units = [
        TranslationUnit.from_texts(
            {lang: texts[lang][i] for lang in LANGS},
            tuid=f"unpc-{LINES.start + i + 1}",
            props=[("x-document", "unpc-dev")],
        )
        for i in range(len(texts["ru"]))
    ]
    write_tmx(path, units, srclang="ru-RU", props=[("x-corpus", "UNv1.0 devset")])
    return path


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("cli-tm")
    tmx_path = unpc_tmx(tmp / "unpc.tmx")
    tm = tmp / "memory.sqlite"
    result = CliRunner().invoke(main, ["tm", "import", str(tmx_path), "--tm", str(tm)])
    assert result.exit_code == 0, result.output
    return tmx_path, tm


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_import_twice_adds_nothing(memory: tuple[Path, Path]) -> None:
    tmx_path, tm = memory
    code, out, _ = run("tm", "import", str(tmx_path), "--tm", str(tm), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["read"] == 200 and rows[0]["added"] == 0 and rows[0]["duplicates"] == 200


def test_search_marks_the_match_and_shows_other_languages(memory: tuple[Path, Path]) -> None:
    _, tm = memory
    code, out, _ = run("tm", "search", "大韩民国", "--tm", str(tm))
    assert code == 0
    assert "⟦大韩民国⟧政府提名Seongmee Yoon" in out
    assert "правительство Республики Корея" in out  # the Russian beside it


def test_search_json_uses_env_and_spans(memory: tuple[Path, Path]) -> None:
    _, tm = memory
    code, out, _ = run("tm", "search", "Республики Корея", "--format", "json", env={"UNTM_TM": str(tm)})
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["lang"] == "ru" for r in rows)
    marked = set()
    for row in rows:
        start, end = row["spans"][0]
        marked.add(row["texts"]["ru"][start:end].lower())
        assert row["texts"]["zh"]
    # the name as asked, and (Russian concordance finds inflected forms) in its other cases
    assert "республики корея" in marked and "республике корея" in marked
    assert all(form.split()[0].startswith("республик") and form.endswith(" корея") for form in marked)


def test_match_ranks_the_edited_sentence_first(memory: tuple[Path, Path]) -> None:
    tmx_path, tm = memory
    unit = list(read_tmx(tmx_path))[127]  # line 1028: 2002年至2004年，Seongmee Yoon在大韩民国...
    ru = unit.text("ru")
    assert ru is not None
    edited = ru.replace("2004", "2005")
    code, out, _ = run("tm", "match", edited, "-s", "ru", "-t", "zh", "--tm", str(tm), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["target"] == unit.text("zh")
    assert 70 <= rows[0]["score"] < 100


def test_match_reads_stdin(memory: tuple[Path, Path]) -> None:
    tmx_path, tm = memory
    unit = list(read_tmx(tmx_path))[14]
    result = CliRunner().invoke(
        main,
        ["tm", "match", "-", "-s", "zh", "-t", "en", "--tm", str(tm), "--format", "tsv"],
        input=unit.text("zh"),
    )
    assert result.exit_code == 0
    first = result.output.splitlines()[1].split("\t")
    assert first[0] == "100" and first[3] == unit.text("en")


def test_export_gives_back_what_was_imported(memory: tuple[Path, Path], tmp_path: Path) -> None:
    tmx_path, tm = memory
    out = tmp_path / "back.tmx"
    code, _, err = run("tm", "export", "--tm", str(tm), "-o", str(out))
    assert code == 0 and "200 units" in err
    assert list(read_tmx(out)) == list(read_tmx(tmx_path))
    assert b'srclang="ru-RU"' in out.read_bytes() and b"UNv1.0 devset" in out.read_bytes()


def test_user_errors_are_one_line(tmp_path: Path, memory: tuple[Path, Path]) -> None:
    code, _, err = run("tm", "search", "x", "--tm", str(tmp_path / "none.sqlite"))
    assert code == 2 and err.startswith("untm: error: ") and "no translation memory" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run("tm", "search", "  ", "--tm", str(memory[1]))
    assert code == 2 and "empty search query" in err
    code, _, err = run("tm", "match", "Совет", "-s", "zz", "-t", "zh", "--tm", str(memory[1]))
    assert code == 2 and "unknown language code 'zz'" in err
    broken = tmp_path / "broken.tmx"
    broken.write_text(unpc_tmx(tmp_path / "ok.tmx").read_text(encoding="utf-8")[:3000], encoding="utf-8")
    code, _, err = run("tm", "import", str(broken), "--tm", str(tmp_path / "new.sqlite"))
    assert code == 2 and err.startswith("untm: error: ") and "broken.tmx:" in err
    assert len(err.strip().splitlines()) == 1


def test_info(memory: tuple[Path, Path]) -> None:
    code, out, _ = run("tm", "info", "--tm", str(memory[1]), "--format", "json")
    assert code == 0
    row = json.loads(out)[0]
    assert row["units"] == 200 and row["languages"] == "en ru zh"
