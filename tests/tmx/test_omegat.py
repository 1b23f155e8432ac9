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

from tests.omegat import PROJECT as OMEGAT_PROJECT
from tests.tmx.unpc import unpc_units
from tmx.reader import read_tmx
from tmx.select import split_pair
from tmx.writer import write_tmx

PROJECT = OMEGAT_PROJECT.format(source="ru", target="zh-CN")


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


# --- leverage: how much of a document OmegaT fills from an untm memory (issue #19) -------------


def _align(tmp_path: Path, files: list[Path], *extra: str) -> Path:
    from click.testing import CliRunner

    from untm.cli import main

    memory = tmp_path / "untm.tmx"
    langs = ["-l", "ru", "-l", "zh", "-l", "en", "--source", "ru"]
    result = CliRunner().invoke(main, ["align", *map(str, files), *langs, *extra, "-o", str(memory)])
    assert result.exit_code == 0, result.output
    return memory


def _leverage(tmp_path: Path, name: str, source: str, files: dict[str, bytes], memory: Path, un_srx: bool):  # type: ignore[no-untyped-def]
    from aligner.segment import Segmenter
    from aligner.srx import to_omegat_conf
    from tests.omegat import OmegaTMissing, make_project, translate

    rules = to_omegat_conf(Segmenter.shipped().rules) if un_srx else None
    try:
        project = make_project(
            tmp_path / name, source=source, target="zh-CN", files=files, memory=memory, rules=rules
        )
        units = list(read_tmx(memory))
        texts = {t for unit in units if (t := unit.text(source)) and unit.text("zh")}
        foreign = {v.text for unit in units for v in unit.variants if v.lang not in (source, "zh")}
        return translate(project, texts, foreign)
    except OmegaTMissing as error:
        pytest.fail(str(error))


@pytest.mark.parametrize("source", ["en", "ru"])
def test_omegat_fills_numbered_un_paragraphs(tmp_path: Path, source: str) -> None:
    """A UN-like document (unpc-dev paragraphs of documents that number them), aligned from its
    presegmented files; OmegaT translates its text form with un.srx as the project's rules
    (what `untm segment --export-srx omegat/segmentation.conf` writes): ≥ 95 % filled, and the
    paragraph labels ("12.", "(a)") are filled too, from the label units."""
    from aligner.read.furniture import split_label
    from tests.conftest import shared_path
    from tests.omegat import numbered_paragraphs

    paragraphs = numbered_paragraphs(shared_path("unpc-dev"), ("ru", "zh", "en"), 40)
    files = []
    for lang, paras in paragraphs.items():
        path = tmp_path / f"{lang}.txt"
        path.write_text("\n\n".join("\n".join(p) for p in paras) + "\n", encoding="utf-8")
        files.append(path)
    memory = _align(tmp_path, files, "--presegmented")
    joiner = "" if source == "zh" else " "
    text = ("\n\n".join(joiner.join(p) for p in paragraphs[source]) + "\n").encode("utf-8")
    result = _leverage(tmp_path, "un", source, {"doc.txt": text}, memory, un_srx=True)
    labels = {split_label(p[0])[0] for p in paragraphs[source]} - {None}
    assert result.total > 300 and len(labels) > 20
    assert result.filled >= 0.95, (result.total, result.remaining, result.missed)
    assert not result.foreign, result.foreign
    assert not labels & set(result.missed)


@pytest.mark.parametrize("source, page", [("en", "eng"), ("ru", "rus")])
def test_omegat_fills_the_udhr_list_items(tmp_path: Path, source: str, page: str) -> None:
    """The UDHR case of issue #19: the three pages aligned three-way; OmegaT translates the
    English (then the Russian) page into zh-CN. Before labels left the segments, OmegaT filled
    66 of 104 segments and 5 of the 32 list items; before beads were cut into parts, 98 of 104 /
    98 of 103. Measured now: 100 of 104 / 100 of 103 — the rest is page metadata (the <title>,
    the language's English name, and the lang attribute) and the preamble's "Now, therefore, /
    The General Assembly", which the Chinese runs into the next paragraph and the Russian lacks
    in part. Every list item is filled: article 26's two sentences, one sentence in Chinese,
    from the bead's parts (``x-untm-kind`` = ``part``)."""
    from aligner.document import BlockKind
    from aligner.read import read_document
    from aligner.segment import Segmenter
    from tests.conftest import shared_path

    pages = [shared_path("udhr", f"{name}.html") for name in ("rus", "cmn_hans", "eng")]
    memory = _align(tmp_path, pages)
    html = shared_path("udhr", f"{page}.html")
    result = _leverage(tmp_path, "udhr", source, {html.name: html.read_bytes()}, memory, un_srx=True)
    assert result.filled >= 0.95, (result.total, result.remaining, result.missed)
    assert not result.foreign, result.foreign  # nothing filled from a third language
    assert any(unit.prop("x-untm-kind") == "part" for unit in read_tmx(memory))
    items = [
        sentence
        for block in read_document(html, source).blocks
        if block.kind == BlockKind.LIST_ITEM
        for sentence in Segmenter.shipped().split(block.text, source)
    ]
    assert len(items) >= 32
    assert not set(items) & set(result.missed), set(items) & set(result.missed)
