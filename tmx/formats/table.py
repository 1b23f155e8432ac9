"""TSV, CSV and XLSX tables: one column per language (header row = language tags), one row per
unit. Read and written with pandas; TSV/CSV are read in chunks so big tables stream."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from tmx.units import TranslationUnit, Variant
from uncore.atomic import atomic_output, atomic_path
from uncore.errors import InputError, UntmError
from uncore.lang import language

CHUNK = 50_000
ID_COLUMN = "tuid"


def _language_columns(path: Path, columns: Sequence[object], langs: Sequence[str] | None) -> list[str]:
    names = [str(c) for c in columns]
    if langs:
        missing = [lang for lang in langs if lang not in names]
        if missing:
            raise InputError(f"no column for {', '.join(missing)} (columns: {', '.join(names)})",
                             path=path, line=1)
        return list(langs)
    found = []
    for name in names:
        if name == ID_COLUMN:
            continue
        try:
            language(name)
        except UntmError:
            raise InputError(f"column {name!r} is not a language tag; the first row must name "
                             "the language of each column (e.g. ru, zh-CN, en)",
                             path=path, line=1) from None
        found.append(name)
    if not found:
        raise InputError("no language columns in the header row", path=path, line=1)
    return found


def _rows_to_units(frame: pd.DataFrame, cols: list[str]) -> Iterator[TranslationUnit]:
    has_id = ID_COLUMN in frame.columns
    for row in frame.itertuples(index=False):
        record = dict(zip(frame.columns, row, strict=True))
        variants = tuple(Variant(lang, str(record[lang])) for lang in cols
                         if isinstance(record[lang], str) and record[lang])
        if variants:
            tuid = record[ID_COLUMN] if has_id and isinstance(record[ID_COLUMN], str) else None
            yield TranslationUnit(variants, tuid=tuid)


def read_delimited(path: Path, sep: str, langs: Sequence[str] | None = None) -> Iterator[TranslationUnit]:
    try:
        reader = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, chunksize=CHUNK,
                             quoting=csv.QUOTE_MINIMAL if sep == "," else csv.QUOTE_NONE,
                             encoding="utf-8-sig")
        cols: list[str] | None = None
        for chunk in reader:
            if cols is None:
                cols = _language_columns(path, list(chunk.columns), langs)
            yield from _rows_to_units(chunk, cols)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read table: {error}", path=path) from None


def read_xlsx(path: Path, langs: Sequence[str] | None = None) -> Iterator[TranslationUnit]:
    try:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except (ValueError, OSError, KeyError) as error:
        raise InputError(f"cannot read spreadsheet: {error}", path=path) from None
    yield from _rows_to_units(frame, _language_columns(path, list(frame.columns), langs))


def _records(units: Iterable[TranslationUnit], langs: Sequence[str]) -> Iterator[list[str]]:
    for tu in units:
        row = []
        for lang in langs:
            v = tu.variant(lang)
            row.append(v.text if v else "")
        if any(row):
            yield row


def write_delimited(path: Path, units: Iterable[TranslationUnit], langs: Sequence[str], sep: str) -> int:
    """TSV is written plain (tabs and newlines inside segments become spaces, as CAT tools'
    tab-delimited import expects); CSV quotes as needed."""
    count = 0
    with atomic_output(path) as handle:
        if sep == "\t":
            handle.write("\t".join(langs) + "\n")
            for row in _records(units, langs):
                handle.write("\t".join(" ".join(cell.split("\t")).replace("\n", " ") for cell in row))
                handle.write("\n")
                count += 1
        else:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(langs)
            for row in _records(units, langs):
                writer.writerow(row)
                count += 1
    return count


def write_xlsx(path: Path, units: Iterable[TranslationUnit], langs: Sequence[str]) -> int:
    frame = pd.DataFrame(list(_records(units, langs)), columns=list(langs))
    with atomic_path(path) as tmp:
        frame.to_excel(tmp, index=False, engine="openpyxl")
    return len(frame)
