"""A language untm has no rules for (Italian here) is checked, not refused: the one rule for
tags in data (``uncore.lang.data_language``), the rule the memory store already follows."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qa import run_checks
from tests.conftest import shared_path
from tmx.units import TranslationUnit
from uncore.lang import data_language, language
from untm.cli import main


def _unpc_pair(k: int) -> tuple[str, str]:
    en = shared_path("unpc-dev", "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    zh = shared_path("unpc-dev", "UNv1.0.devset.zh").read_text(encoding="utf-8").splitlines()
    return en[k], zh[k]


def test_data_tags_follow_one_rule() -> None:
    assert data_language("it").code == "it" and data_language("pt-BR").code == "pt"
    assert data_language("zh-CN") == language("zh")
    assert data_language("it").script == "Zyyy"


def test_an_italian_column_is_checked_for_numbers_and_terms(tmp_path: Path) -> None:
    """A UN-style sentence with an Italian and a Chinese version: the changed number in the
    Italian is found, the Chinese deprecated name is found, and nothing else is said."""
    en = "The Republic of Korea contributed 45 million dollars in 2017."
    units = [
        TranslationUnit.from_texts(
            {
                "en": en,
                "it": "La Repubblica di Corea ha contribuito con 46 milioni di dollari nel 2017.",
                "zh-CN": "南朝鲜在2017年捐助了4500万美元。",
            },
            tuid="1",
        )
    ]
    from termbase.store import Termbase

    findings = list(run_checks(units, termbase=Termbase.open(":memory:"), source="en"))
    got = sorted((f.lang, f.check, f.found) for f in findings)
    assert got == [("it", "number-mismatch", "46"), ("zh-CN", "deprecated-term", "南朝鲜")]


def test_untm_qa_on_a_memory_with_an_unknown_language(tmp_path: Path) -> None:
    en, zh = _unpc_pair(10)
    tmx_file = tmp_path / "three.tmx"
    tmx_file.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" '
        'datatype="plaintext"/><body><tu>'
        f'<tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="it"><seg>{en}</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    done = CliRunner().invoke(main, ["qa", str(tmx_file), "--format", "json"])
    assert done.exit_code in (0, 1), done.output
    assert "unknown language" not in done.output
    # the Italian "translation" is the English text itself: untranslated, and only that
    assert '"lang": "it"' in done.stdout and '"check": "untranslated"' in done.stdout
