"""Proof with real clients: OmegaT (headless console-translate) fills a Russian document with the
Chinese of an untm TMX, trilingual and split bilingual; translate-toolkit reads the same units.

OmegaT is a Debian package installed by .ci/run; a missing binary fails the test (never skips).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tmx.unpc import unpc_units
from tmx.reader import read_tmx
from tmx.select import split_pair
from tmx.writer import write_tmx

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>ru</source_lang>
    <target_lang>zh-CN</target_lang>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def _omegat() -> str:
    binary = shutil.which("omegat")
    if binary is None:
        pytest.fail("omegat is not installed (Debian package 'omegat', installed by .ci/run)")
    return binary


def _translate(tmp_path: Path, name: str, write_memory) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Build a project whose tm/auto holds the memory ``write_memory`` writes, translate the
    Russian source headless and return (target text, expected Chinese sentences)."""
    # one sentence per unit as OmegaT's default SRX rules see it (no inner ". " or "; ")
    units = [tu for tu in unpc_units(40) if not re.search(r"[.!?;:]\s", tu.text("ru") or "")][:6]
    assert len(units) == 6
    project = tmp_path / name
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    # OmegaT's text filter joins adjacent lines into one paragraph: blank lines keep them apart
    source = "\n\n".join(tu.text("ru") or "" for tu in units) + "\n"
    (project / "source" / "doc.txt").write_text(source, encoding="utf-8")
    write_memory(project / "tm" / "auto" / "untm.tmx", units)
    result = subprocess.run(
        [
            _omegat(),
            "--mode=console-translate",
            f"--config-dir={tmp_path / 'config'}",
            "--disable-project-locking",
            "--no-team",
            "--quiet",
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    target = project / "target" / "doc.txt"
    assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    translated = target.read_text(encoding="utf-8")
    for tu in units:
        assert (tu.text("ru") or "") not in translated  # every segment was replaced
    return translated, [tu.text("zh") or "" for tu in units]


def test_omegat_uses_trilingual_tmx(tmp_path: Path) -> None:
    def write(path: Path, units):  # type: ignore[no-untyped-def]
        write_tmx(path, units, srclang="ru")

    translated, chinese = _translate(tmp_path, "tri", write)
    for sentence in chinese:
        assert sentence in translated


def test_omegat_uses_split_bilingual_tmx(tmp_path: Path) -> None:
    def write(path: Path, units):  # type: ignore[no-untyped-def]
        tri = path.with_name("tri.tmx.tmp")
        write_tmx(tri, units, srclang="ru")
        write_tmx(path, split_pair(read_tmx(tri), "ru", "zh"), srclang="ru")
        tri.unlink()
        assert {lang for tu in read_tmx(path) for lang in tu.languages} == {"ru", "zh-CN"}

    translated, chinese = _translate(tmp_path, "bi", write)
    for sentence in chinese:
        assert sentence in translated


def test_translate_toolkit_reads_untm_output(tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    units = unpc_units(50)
    path = tmp_path / "tt.tmx"
    write_tmx(path, units, srclang="ru")
    with open(path, "rb") as handle:
        store = tmxfile(handle, sourcelanguage="ru", targetlanguage="zh-CN")
    seen = [(u.source, u.target) for u in store.units]
    assert seen == [(u.text("ru"), u.text("zh-CN")) for u in units]
