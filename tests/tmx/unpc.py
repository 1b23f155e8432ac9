"""Real trilingual units from the UN Parallel Corpus dev set (Ziemski et al., LREC 2016)."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from tests.conftest import shared_path
from tmx.units import TranslationUnit

LANGS = {"ru": "ru", "zh": "zh-CN", "en": "en"}


def unpc_lines(lang: str, count: int, start: int = 0) -> list[str]:
    path: Path = shared_path("unpc-dev", f"UNv1.0.devset.{lang}")
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in islice(handle, start, start + count)]


def unpc_units(count: int, start: int = 0) -> list[TranslationUnit]:
    """``count`` trilingual ru / zh-CN / en units, tuid = the corpus line number."""
    columns = {tag: unpc_lines(code, count, start) for code, tag in LANGS.items()}
    return [
        TranslationUnit.from_texts({tag: columns[tag][i] for tag in columns}, tuid=str(start + i + 1))
        for i in range(count)
    ]
