"""CSV / TSV / XLSX exchange, one row per term, and the OmegaT glossary export.

The layout (documented in docs/termbase.md) is the flat one memoQ and Trados term imports map
field by field: ``concept_id`` groups the rows of a concept; ``lang`` and ``term`` are required,
everything else is optional. Concept-level fields (``subject``, ``definition``,
``concept_note``, ``concept_source``) are repeated on every row of the concept; the first
non-empty value wins. ``not_inside`` holds the contexts in which the term must not be matched,
separated by ``|``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from termbase.model import Concept, Status, Term, TermType, lang_code
from uncore.atomic import atomic_output, atomic_path
from uncore.cells import CsvRows, from_cell, from_tsv, to_cell, to_tsv
from uncore.errors import InputError, UsageError
from uncore.lang import language

COLUMNS = (
    "concept_id",
    "lang",
    "term",
    "status",
    "type",
    "pos",
    "context",
    "not_inside",
    "source",
    "note",
    "date",
    "subject",
    "definition",
    "concept_note",
    "concept_source",
)
REQUIRED = ("concept_id", "lang", "term")
FORMATS = ("csv", "tsv", "xlsx")
# What pandas/openpyxl raise for a file that is not the table it claims to be (pandas'
# ParserError is a ValueError). pandas is imported where a table is read or written: `untm term
# lookup` does not pay its 0.4 s start.
_READ_ERRORS = (UnicodeDecodeError, ValueError, zipfile.BadZipFile, KeyError, OSError)


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The tabular format to use for ``path``: ``fmt`` if given, else from the suffix."""
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("txt", "tab"):
        return "tsv"
    if suffix in FORMATS:
        return suffix
    raise UsageError(f"cannot tell the table format of {path} (use .csv, .tsv or .xlsx)")


def read_table(path: str | Path, fmt: str | None = None) -> list[Concept]:
    """Read concepts from a CSV/TSV/XLSX file; every problem is an ``InputError`` naming the row
    (spreadsheet numbering: the header is row 1)."""
    import pandas as pd

    fmt = format_of(path, fmt)
    try:
        if fmt == "xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            frame = pd.read_csv(
                path,
                sep="," if fmt == "csv" else "\t",
                dtype=str,
                keep_default_na=False,
                quoting=3 if fmt == "tsv" else 0,
                encoding="utf-8-sig",
            )
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except _READ_ERRORS as error:
        raise InputError(f"not a readable {fmt.upper()} table: {error}", path=path) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; required: {', '.join(REQUIRED)}", path=path, line=1
        )
    decode = from_tsv if fmt == "tsv" else from_cell
    rows = (
        {k: decode(v) if isinstance(v, str) else v for k, v in row.items()}
        for row in frame.to_dict("records")
    )
    return list(concepts_from_rows(rows, path=path))


def concepts_from_rows(rows: Iterable[dict[str, str]], path: str | Path | None = None) -> Iterator[Concept]:
    """Group flat rows into concepts, validating each row."""
    order: list[str] = []
    terms: dict[str, list[Term]] = {}
    meta: dict[str, dict[str, str]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        cell = {k: ("" if v is None else str(v)).strip() for k, v in row.items()}
        where: dict[str, Any] = {"path": path, "line": number}
        cid, text = cell.get("concept_id", ""), cell.get("term", "")
        if not cid:
            raise InputError("empty concept_id", **where)
        if not text:
            raise InputError(f"empty term in concept {cid}", **where)
        try:
            lang = lang_code(cell["lang"]) if cell.get("lang") else ""
        except InputError as error:
            raise InputError(error.message, **where) from None
        if not lang:
            raise InputError(f"empty lang for term {text!r}", **where)
        key = (cid, lang, text)
        if key in seen:
            raise InputError(
                f"duplicate term {text!r} ({lang}) in concept {cid}, first on row {seen[key]}", **where
            )
        seen[key] = number
        status = Status.parse(cell.get("status", ""), **where)
        term_type = TermType.parse(cell.get("type", ""), **where)
        if cid not in terms:
            order.append(cid)
            terms[cid] = []
            meta[cid] = {}
        for field in ("subject", "definition", "concept_note", "concept_source"):
            if cell.get(field) and field not in meta[cid]:
                meta[cid][field] = cell[field]
        not_inside = tuple(p.strip() for p in cell.get("not_inside", "").split("|") if p.strip())
        terms[cid].append(
            Term(
                lang=lang,
                text=text,
                status=status,
                type=term_type,
                pos=cell.get("pos") or None,
                context=cell.get("context") or None,
                source=cell.get("source") or None,
                note=cell.get("note") or None,
                date=cell.get("date") or None,
                not_inside=not_inside,
            )
        )
    for cid in order:
        m = meta[cid]
        yield Concept(
            id=cid,
            terms=tuple(terms[cid]),
            subject=m.get("subject"),
            definition=m.get("definition"),
            note=m.get("concept_note"),
            source=m.get("concept_source"),
        )


def rows_from_concepts(concepts: Iterable[Concept]) -> Iterator[dict[str, str]]:
    for concept in concepts:
        for term in concept.terms:
            yield {
                "concept_id": concept.id,
                "lang": term.lang,
                "term": term.text,
                "status": term.status.value,
                "type": term.type.value,
                "pos": term.pos or "",
                "context": term.context or "",
                "not_inside": "|".join(term.not_inside),
                "source": term.source or "",
                "note": term.note or "",
                "date": term.date or "",
                "subject": concept.subject or "",
                "definition": concept.definition or "",
                "concept_note": concept.note or "",
                "concept_source": concept.source or "",
            }


def write_table(concepts: Iterable[Concept], path: str | Path, fmt: str | None = None) -> int:
    """Write concepts one row per term (atomically); returns the number of rows."""
    import pandas as pd

    fmt = format_of(path, fmt)
    rows = [[row[c] for c in COLUMNS] for row in rows_from_concepts(concepts)]
    if fmt == "xlsx":  # formula-looking cells stay text (uncore.cells)
        frame = pd.DataFrame([[to_cell(v) for v in row] for row in rows], columns=list(COLUMNS))
        with atomic_path(path) as tmp:
            frame.to_excel(tmp, index=False, engine="openpyxl")
    elif fmt == "tsv":  # no quoting: tabs, line breaks and backslashes escaped
        with atomic_output(path) as handle:
            handle.write("\t".join(COLUMNS) + "\n")
            handle.writelines("\t".join(to_tsv(v) for v in row) + "\n" for row in rows)
    else:  # RFC 4180 quoting, CR included; formula-looking cells guarded
        with atomic_output(path) as handle:
            writer = CsvRows(handle)
            writer.writerow(COLUMNS)
            writer.writerows([to_cell(v) for v in row] for row in rows)
    return len(rows)


_REGISTER_NAME = {
    "fullForm": "full name",
    "shortForm": "short form",
    "acronym": "acronym",
    "abbreviation": "abbreviation",
    "variant": "variant",
}


def omegat_rows(concepts: Iterable[Concept], source: str, target: str) -> Iterator[tuple[str, str, str]]:
    """(source term, target term, comment) for OmegaT's tab-separated glossary: every source
    term of a concept that has a term to use in ``target``; deprecated source terms say so in the
    comment, so the translator sees that the source text itself used a non-UN form."""
    for concept in concepts:
        if concept.preferred(target) is None:
            continue
        for term in concept.terms_in(source):
            # one line per pair of the same register: full name with full name, short form with
            # short form, acronym with acronym
            wanted = concept.preferred_like(target, term)
            if wanted is None:
                continue
            others = [
                t.text for t in concept.terms_in(target) if not t.status.is_bad and t.text != wanted.text
            ][:2]
            comment = f"UN {_REGISTER_NAME.get(wanted.type, wanted.type.value)}"
            if others:
                comment += "; also: " + ", ".join(others)
            use = concept.replacement(term)
            if use is not None:
                comment = f"{term.status.value}: not the UN's name, use {use.text}; " + comment
            yield term.text, wanted.text, f"{comment} ({concept.id})"


def write_omegat(concepts: Iterable[Concept], path: str | Path, source: str, target: str) -> int:
    """Write an OmegaT glossary (UTF-8 ``.utf8``/``.txt``: source TAB target TAB comment)."""
    count = 0
    src, tgt = language(source).code, language(target).code
    with atomic_output(path) as handle:
        for row in omegat_rows(concepts, src, tgt):
            handle.write("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row) + "\n")
            count += 1
    return count
