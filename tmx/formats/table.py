"""TSV, CSV and XLSX tables: one column per language (header row = language tags), one row per
unit. Read with pandas (TSV/CSV in chunks, so big tables stream); written row by row."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tmx.units import TranslationUnit, Variant
from uncore.atomic import atomic_output, atomic_path
from uncore.cells import CsvRows, from_cell, from_tsv, to_cell, to_tsv
from uncore.errors import InputError, UntmError
from uncore.lang import language
from uncore.xmlchars import first_invalid

CHUNK = 50_000
ID_COLUMN = "tuid"
SCORE, FLAGGED = "x-untm-score", "x-untm-flagged"
# Columns that are not languages: the unit's id and the aligner's review information, written
# before the language columns and read back as the unit's tuid and props.
META_COLUMNS = (ID_COLUMN, "score", "flagged")
_YES = {"yes", "1", "true", "y"}


def _language_columns(path: Path, columns: Sequence[object], langs: Sequence[str] | None) -> list[str]:
    names = [str(c) for c in columns]
    if langs:
        missing = [lang for lang in langs if lang not in names]
        if missing:
            raise InputError(
                f"no column for {', '.join(missing)} (columns: {', '.join(names)})", path=path, line=1
            )
        return list(langs)
    found = []
    for name in names:
        if name in META_COLUMNS:
            continue
        try:
            language(name)
        except UntmError:
            raise InputError(
                f"column {name!r} is not a language tag; the first row must name "
                "the language of each column (e.g. ru, zh-CN, en)",
                path=path,
                line=1,
            ) from None
        found.append(name)
    if not found:
        raise InputError("no language columns in the header row", path=path, line=1)
    return found


def _rows_to_units(
    frame: Any, cols: list[str], decode: Callable[[str], str], path: Path, first_row: int = 2
) -> Iterator[TranslationUnit]:
    """Units of a table's rows (``first_row``: the table row of the frame's first, the header
    being row 1). A cell holding a character TMX cannot carry is refused, naming its row."""
    present = [c for c in META_COLUMNS if c in frame.columns]
    for number, row in enumerate(frame.itertuples(index=False), first_row):
        record = dict(zip(frame.columns, row, strict=True))
        variants = tuple(
            Variant(lang, decode(record[lang]))
            for lang in cols
            if isinstance(record[lang], str) and record[lang]
        )
        if not variants:
            continue
        for v in variants:
            bad = first_invalid(v.text)
            if bad is not None:
                raise InputError(
                    f"row {number}, column {v.lang}: {bad} is a control character TMX (XML 1.0) "
                    "cannot carry; remove it",
                    path=path,
                )
        meta = {c: record[c] for c in present if isinstance(record[c], str) and record[c]}
        props = []
        if "score" in meta:
            props.append((SCORE, meta["score"]))
        if "flagged" in meta:
            props.append((FLAGGED, "yes" if meta["flagged"].strip().lower() in _YES else "no"))
        yield TranslationUnit(variants, tuid=meta.get(ID_COLUMN), props=tuple(props))


def read_delimited(path: Path, sep: str, langs: Sequence[str] | None = None) -> Iterator[TranslationUnit]:
    """A TSV (escapes ``\\t \\n \\r \\\\`` read back, ``uncore.cells``) or CSV (quoted; a
    formula-guarding apostrophe removed) table, one column per language."""
    import pandas as pd

    decode = from_tsv if sep == "\t" else from_cell
    try:
        reader = pd.read_csv(
            path,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            chunksize=CHUNK,
            quoting=csv.QUOTE_MINIMAL if sep == "," else csv.QUOTE_NONE,
            encoding="utf-8-sig",
        )
        cols: list[str] | None = None
        row = 2
        for chunk in reader:
            if cols is None:
                cols = _language_columns(path, list(chunk.columns), langs)
            yield from _rows_to_units(chunk, cols, decode, path, row)
            row += len(chunk)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read table: {error}", path=path) from None


def read_xlsx(path: Path, langs: Sequence[str] | None = None) -> Iterator[TranslationUnit]:
    import pandas as pd

    try:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except (ValueError, OSError, KeyError) as error:
        raise InputError(f"cannot read spreadsheet: {error}", path=path) from None
    yield from _rows_to_units(frame, _language_columns(path, list(frame.columns), langs), from_cell, path)


def _records(units: Iterable[TranslationUnit], langs: Sequence[str]) -> Iterator[list[str]]:
    """Per unit: tuid, score, flagged, then each language's text (units with none left out)."""
    for tu in units:
        texts = []
        for lang in langs:
            v = tu.variant(lang)
            texts.append(v.text if v else "")
        if any(texts):
            yield [tu.tuid or "", tu.prop(SCORE) or "", tu.prop(FLAGGED) or "", *texts]


def tsv_lines(units: Iterable[TranslationUnit], langs: Sequence[str]) -> Iterator[str]:
    """The lines of a TSV table of ``units``: the header, then one escaped row per unit."""
    yield "\t".join((*META_COLUMNS, *langs)) + "\n"
    for row in _records(units, langs):
        yield "\t".join(to_tsv(cell) for cell in row) + "\n"


def write_delimited(path: Path, units: Iterable[TranslationUnit], langs: Sequence[str], sep: str) -> int:
    """TSV escapes tabs, line breaks and backslashes inside segments; CSV quotes them; both
    guard formula-looking cells (``uncore.cells``). The first columns are tuid, score and
    flagged: nothing a reviser needs is lost, and ``untm tm import``/``qa`` read them back."""
    count = 0
    with atomic_output(path) as handle:
        if sep == "\t":
            for line in tsv_lines(units, langs):
                handle.write(line)
                count += 1
            return count - 1  # the header
        writer = CsvRows(handle)
        writer.writerow([*META_COLUMNS, *langs])
        for row in _records(units, langs):
            writer.writerow([to_cell(cell) for cell in row])
            count += 1
    return count


def write_xlsx(path: Path, units: Iterable[TranslationUnit], langs: Sequence[str]) -> int:
    """One row per unit; formula-looking cells guarded; characters XML cannot hold are an
    error naming the unit, never dropped."""
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    count = 0
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    try:
        with atomic_path(path) as tmp:  # a write-only sheet streams to disk as rows are appended
            sheet.append([*META_COLUMNS, *langs])
            for row in _records(units, langs):
                try:
                    sheet.append([to_cell(cell) for cell in row])
                except IllegalCharacterError:
                    raise InputError(
                        f"unit {row[0] or count + 1}: a control character that XLSX cannot hold", path=path
                    ) from None
                count += 1
            book.save(tmp)
    except BaseException:
        # openpyxl's half-written sheet stream would fail again when collected, and Python would
        # print that as "Exception ignored in …": close it now, so the user sees one line
        writer = getattr(sheet, "_writer", None)
        stream = getattr(writer, "xf", None)
        with contextlib.suppress(BaseException):
            if stream is not None:
                stream.close()
        raise
    return count
