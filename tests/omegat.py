"""OmegaT as a translator runs it, for tests and benchmarks: a project on disk, a memory in
``tm/auto``, headless ``console-translate``, and OmegaT's own count of what it filled.

OmegaT (Debian's 3.6, installed by .ci/run) fills a segment from ``tm/auto`` only on an exact
match, and writes its statistics to ``omegat/project_stats.txt`` ("Total" and "Remaining"
segments): the leverage figure is ``1 - remaining / total``, read from OmegaT, not recomputed.
``console-createpseudotranslatetmx`` lists the project's segments, to say which were missed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{source}</source_lang>
    <target_lang>{target}</target_lang>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


class OmegaTMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Leverage:
    total: int  # OmegaT's segments (project_stats.txt "Total")
    remaining: int  # left untranslated after tm/auto ("Remaining")
    missed: tuple[str, ...]  # the source text of the segments no memory unit matches exactly
    # memory texts in a third language that OmegaT wrote into the target (it fills a segment
    # from any language a unit has when the target language is missing): wrong fills
    foreign: tuple[str, ...] = ()

    @property
    def filled(self) -> float:
        return 1 - self.remaining / self.total if self.total else 0.0


def omegat_binary() -> str:
    binary = shutil.which("omegat")
    if binary is None:
        raise OmegaTMissing("omegat is not installed (Debian package 'omegat', installed by .ci/run)")
    return binary


def make_project(
    folder: Path, *, source: str, target: str, files: dict[str, bytes], memory: Path, rules: bytes | None
) -> Path:
    """An OmegaT project in ``folder``: ``files`` in ``source/``, ``memory`` in ``tm/auto`` and,
    when given, ``rules`` as the project's own segmentation (``omegat/segmentation.conf``)."""
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "omegat.project").write_text(PROJECT.format(source=source, target=target), encoding="utf-8")
    for name, data in files.items():
        (folder / "source" / name).write_bytes(data)
    shutil.copyfile(memory, folder / "tm" / "auto" / memory.name)
    if rules is not None:
        (folder / "omegat" / "segmentation.conf").write_bytes(rules)
    return folder


def _run(project: Path, *mode: str) -> None:
    result = subprocess.run(
        [
            omegat_binary(),
            str(project),
            *mode,
            f"--config-dir={project / '.config'}",
            "--disable-project-locking",
            "--no-team",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"OmegaT failed ({' '.join(mode)}): {(result.stdout + result.stderr)[-2000:]}")


def translate(project: Path, memory_texts: set[str], foreign_texts: set[str] = frozenset()) -> Leverage:
    """Run ``console-translate`` on ``project`` and read OmegaT's statistics; ``memory_texts``
    (the memory's texts in the source language, of the units that have the target language)
    names the missed segments; ``foreign_texts`` (the memory's texts in the other languages)
    are looked for in the translated files."""
    _run(project, "--mode=console-translate")
    written = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in (project / "target").rglob("*")
        if path.is_file()
    )
    sources = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in (project / "source").rglob("*")
        if path.is_file()
    )
    foreign = tuple(sorted(t for t in foreign_texts if len(t) >= 8 and t in written and t not in sources))
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total = int(re.search(r"^Total:\s+(\d+)", stats, re.M).group(1))  # type: ignore[union-attr]
    remaining = int(re.search(r"^Remaining:\s+(\d+)", stats, re.M).group(1))  # type: ignore[union-attr]
    listing = project / "segments.tmx"
    _run(project, "--mode=console-createpseudotranslatetmx", f"--pseudotranslatetmx={listing}")
    from tmx.reader import read_tmx

    segments = [unit.variants[0].text for unit in read_tmx(listing)]
    missed = tuple(text for text in segments if text not in memory_texts)
    return Leverage(total, remaining, missed, foreign)


def numbered_paragraphs(data: Path, langs: tuple[str, ...], documents: int) -> dict[str, list[list[str]]]:
    """A UN-like document per language from the UN Parallel Corpus dev set: the sampled
    paragraphs of the first ``documents`` documents (by symbol) that number their paragraphs
    (an English paragraph opens with ``1.``, ``(a)``…), in document and paragraph order; each
    paragraph is its gold sentences. The tuples are one-to-one, so every sentence has its
    counterpart and what OmegaT leaves unfilled is segmentation, not alignment."""
    from aligner.read.furniture import split_label

    ids = (data / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    texts = {
        lang: (data / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines() for lang in langs
    }
    groups: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for row, line in enumerate(ids):
        doc, *positions = line.split()
        where = dict(p.split(":", 1) for p in positions)
        para, index = (int(x) for x in where["en"].split(":"))
        groups.setdefault((doc, para), []).append((index, row))
    numbered = sorted(
        {doc for (doc, _), rows in groups.items() if split_label(texts["en"][min(rows)[1]])[0] is not None}
    )[:documents]
    chosen = sorted(key for key in groups if key[0] in numbered)
    return {
        lang: [[texts[lang][row].strip() for _, row in sorted(groups[key])] for key in chosen]
        for lang in langs
    }
