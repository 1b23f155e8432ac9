"""Convert between TMX and the formats translators exchange: TSV, CSV, XLSX, XLIFF 1.2, PO and
Moses plain-text pairs. ``read_units`` is the one entry point for reading any of them.

The format comes from ``fmt`` or the file name (``.tmx``, ``.xlf``/``.xliff``, ``.po``, ``.tsv``,
``.csv``, ``.xlsx``; a name ending in a language code, ``corpus.ru``, is a Moses corpus).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from tmx.reader import read_header, read_tmx
from tmx.units import TranslationUnit
from tmx.writer import TmxWriter
from uncore.errors import UntmError, UsageError
from uncore.lang import language

FORMATS = ("tmx", "xliff", "po", "tsv", "csv", "xlsx", "moses")
_SUFFIXES = {
    ".tmx": "tmx",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".po": "po",
    ".pot": "po",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "tsv",
    ".csv": "csv",
    ".xlsx": "xlsx",
}


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
        return fmt
    path = Path(path)
    found = _SUFFIXES.get(path.suffix.lower())
    if found:
        return found
    with contextlib.suppress(UntmError):
        if path.suffix and language(path.suffix[1:]):
            return "moses"
    raise UsageError(f"cannot tell the format of {path.name}; give --from/--to ({', '.join(FORMATS)})")


def read_units(
    path: str | Path,
    fmt: str | None = None,
    *,
    langs: Sequence[str] | None = None,
    source: str | None = None,
    target: str | None = None,
) -> Iterator[TranslationUnit]:
    """Units from any supported file. ``langs`` picks table columns / Moses files; ``source`` and
    ``target`` name the languages of bilingual formats (XLIFF, PO) when the file does not."""
    path = Path(path)
    kind = detect_format(path, fmt)
    if kind == "tmx":
        return read_tmx(path)
    # the other formats' modules (pandas, translate-toolkit) load only when they are asked for
    from tmx.formats import bilingual, moses, table

    if kind == "xliff":
        return bilingual.read_xliff(path, source, target)
    if kind == "po":
        return bilingual.read_po(path, source, target)
    if kind == "tsv":
        return table.read_delimited(path, "\t", langs)
    if kind == "csv":
        return table.read_delimited(path, ",", langs)
    if kind == "xlsx":
        return table.read_xlsx(path, langs)
    return moses.read(path, langs)


def source_language(path: str | Path, fmt: str | None = None) -> str | None:
    """The declared source language of a TMX (``None`` for other formats or ``*all*``)."""
    if detect_format(path, fmt) != "tmx":
        return None
    srclang = read_header(path).srclang
    return None if srclang in (None, "*all*") else srclang


def write_units(
    path: str | Path,
    units: Iterable[TranslationUnit],
    fmt: str | None = None,
    *,
    langs: Sequence[str] | None = None,
    source: str | None = None,
    target: str | None = None,
    lang_map: Mapping[str, str] | None = None,
    **tmx_header: Any,
) -> int:
    """Write ``units`` as ``fmt``; returns the number of units written.

    Tables and Moses take ``langs`` (default: ``source`` then ``target``); XLIFF and PO need
    ``source`` and ``target``; TMX needs ``source`` (or ``*all*``) and takes ``TmxWriter``
    keywords."""
    path = Path(path)
    kind = detect_format(path, fmt)
    from tmx.formats import bilingual, moses, table

    if kind == "tmx":
        if not source:
            raise UsageError("writing TMX needs the source language (--source)")
        with TmxWriter(path, srclang=source, lang_map=lang_map, **tmx_header) as writer:
            return writer.write_all(units)
    if kind in ("xliff", "po"):
        if not source or not target:
            raise UsageError(f"{kind} is bilingual: give --source and --target")
        write = bilingual.write_xliff if kind == "xliff" else bilingual.write_po
        return write(path, units, source, target)
    columns = list(langs or [lang for lang in (source, target) if lang])
    if len(columns) < 2 and kind == "moses":
        raise UsageError("a Moses corpus needs at least two languages (--langs ru,zh)")
    if not columns:
        raise UsageError(f"{kind} needs the languages of its columns (--langs ru,zh-CN,en)")
    if kind == "tsv":
        return table.write_delimited(path, units, columns, "\t")
    if kind == "csv":
        return table.write_delimited(path, units, columns, ",")
    if kind == "xlsx":
        return table.write_xlsx(path, units, columns)
    prefix = path.with_suffix("") if path.suffix[1:] in columns else path
    return moses.write(prefix, units, columns)
