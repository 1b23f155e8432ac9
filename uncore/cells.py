"""Text in spreadsheet and table cells: what every CSV, TSV and XLSX writer of untm shares.

* A cell beginning with ``=``, ``+``, ``-`` or ``@`` is a formula to Excel and LibreOffice
  (CSV injection): written with a leading apostrophe, which spreadsheets show as text and
  ``from_cell`` removes again, so a segment "=SUM(A1)" or "-5 °C" survives the round trip (a
  segment that itself begins with an apostrophe gets a second one).
* TSV has no quoting: a tab, newline, carriage return or backslash inside a segment is written
  as ``\\t``, ``\\n``, ``\\r``, ``\\\\`` (the convention of PostgreSQL's text COPY and of Moses
  tools), and ``from_tsv`` reads them back, so nothing splits a row or re-pairs segments.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@")
_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def to_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: a formula-looking start, or an apostrophe
    (which spreadsheets hide), gets a leading apostrophe."""
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def cell_value(value: object) -> object:
    """``to_cell`` for a text; any other value (a number, a date) as it is."""
    return to_cell(value) if isinstance(value, str) else value


def from_cell(cell: str) -> str:
    """The text ``to_cell`` was given (one leading apostrophe removed)."""
    return cell[1:] if cell.startswith("'") else cell


def to_tsv(text: str) -> str:
    """A TSV field for ``text`` (tabs, line breaks and backslashes escaped)."""
    if not any(ch in text for ch in _TSV_ESCAPES):
        return text
    return "".join(_TSV_ESCAPES.get(ch, ch) for ch in text)


def from_tsv(field: str) -> str:
    """The text ``to_tsv`` was given (an unknown escape such as ``\\x`` is kept as it is)."""
    if "\\" not in field:
        return field
    out, i = [], 0
    while i < len(field):
        ch = field[i]
        if ch == "\\" and i + 1 < len(field) and field[i + 1] in _TSV_UNESCAPES:
            out.append(_TSV_UNESCAPES[field[i + 1]])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class CsvRows:
    """A CSV writer (RFC 4180 quoting, ``\\n`` between rows) that also quotes a field holding a
    carriage return. Python's writer quotes only the characters of its line terminator, so a
    lone CR went out bare, and every CSV reader took it for the end of the row."""

    def __init__(self, handle: IO[str]) -> None:
        self._minimal = csv.writer(handle, lineterminator="\n")
        self._quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[object]) -> None:
        if any(isinstance(cell, str) and "\r" in cell for cell in row):
            self._quoted.writerow(row)
        else:
            self._minimal.writerow(row)

    def writerows(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.writerow(row)
