"""One entry point for reading and writing termbase files in any supported format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from termbase.model import Concept
from termbase.tabular import read_table, write_omegat, write_table
from termbase.tbx import read_tbx, write_tbx
from uncore.errors import UsageError

IMPORT_FORMATS = ("tbx", "csv", "tsv", "xlsx")
EXPORT_FORMATS = ("tbx", "csv", "tsv", "xlsx", "omegat")


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("tbx", "xml", "tbxm"):
        return "tbx"
    if suffix in ("txt", "tab", "utf8"):
        return "tsv"
    if suffix in ("csv", "tsv", "xlsx"):
        return suffix
    raise UsageError(f"cannot tell the format of {path}: use --format ({', '.join(EXPORT_FORMATS)})")


def read_concepts(path: str | Path, fmt: str | None = None) -> Iterator[Concept]:
    """Concepts from a TBX (v3 or 2008), CSV, TSV or XLSX file."""
    fmt = detect_format(path, fmt)
    if fmt == "tbx":
        return read_tbx(path)
    if fmt in ("csv", "tsv", "xlsx"):
        return iter(read_table(path, fmt))
    raise UsageError(f"cannot import format {fmt!r} (known: {', '.join(IMPORT_FORMATS)})")


def write_concepts(
    concepts: Iterable[Concept],
    path: str | Path,
    fmt: str | None = None,
    *,
    source: str | None = None,
    target: str | None = None,
) -> int:
    """Write concepts; ``omegat`` needs ``source`` and ``target`` languages. Returns the count
    of concepts (tbx), rows (tables) or glossary lines (omegat)."""
    fmt = detect_format(path, fmt)
    if fmt == "tbx":
        return write_tbx(concepts, path, source_lang=source or "en")
    if fmt in ("csv", "tsv", "xlsx"):
        return write_table(concepts, path, fmt)
    if fmt == "omegat":
        if not (source and target):
            raise UsageError("an OmegaT glossary needs --source and --target languages")
        return write_omegat(concepts, path, source, target)
    raise UsageError(f"cannot export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
