"""Build the bundled UN termbase from data, never by hand.

Inputs: ``../shared/data/country-codes/country-codes.csv`` (UNTERM short and formal names of
member and observer States in the six UN languages, from the UN Protocol and Liaison Service
list), the UNSD M49 lists beside it (for the States whose UNTERM columns are empty), and the
curated files in ``termbase/bundled/``: ``m49-fallback.tsv`` (which States come from M49 and
why), ``country-variants*.tsv`` (non-UN names as deprecated/superseded terms, and short forms UN
text writes as admitted, each with its justification; ``-press`` holds Taiwan/Hong Kong and
press forms, each checked against the UN Chinese, Russian and English of unpc-dev) and
``un-bodies.tsv`` (bodies, instruments and resolutions of the Samarkand communiqué) and
``un-system.tsv`` (the UN system: organs, titles, Main Committees, subsidiary and treaty bodies,
agencies, funds and programmes, regional commissions, Secretariat offices, peace operations,
instruments and the 17 SDGs; each rendering is kept only with its evidence in UN text or a
citation, see ``termbase.evidence``). Output:
``termbase/bundled/un-terms.tsv`` in the tabular layout of ``termbase.tabular``.

    python -m termbase.build [--data ../shared/data] [--date YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from termbase import evidence
from termbase.model import Concept, Status, Term, TermType
from termbase.tabular import concepts_from_rows, write_table
from uncore.errors import InputError

BUNDLED = Path(__file__).resolve().parent / "bundled"
OUTPUT = BUNDLED / "un-terms.tsv"
DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

# country-codes.csv column language → (our code, M49 file suffix)
LANGS = {
    "Chinese": ("zh", "cn"),
    "Russian": ("ru", "ru"),
    "English": ("en", "en"),
    "French": ("fr", "fr"),
    "Spanish": ("es", "es"),
    "Arabic": ("ar", "ar"),
}
_ARTICLE_SUFFIX = re.compile(r"\s*\((the|la|le|l'|les|el|los|las)\)\s*$", re.IGNORECASE)
_ARTICLE_PREFIX = re.compile(r"^(the |la |le |l'|les |el |los |las )", re.IGNORECASE)
_MARKERS = re.compile(r"\s*\*+\s*$")
SOURCE = "UNTERM (UN Protocol and Liaison Service list) via country-codes.csv, column"


def clean_short(name: str) -> str:
    """``Republic of Korea (the) *`` → ``Republic of Korea``: UNTERM appends the article the
    name takes in running text, and ``*`` for observer States."""
    return " ".join(_ARTICLE_SUFFIX.sub("", _MARKERS.sub("", name)).split())


def clean_formal(name: str) -> str:
    """``the Republic of Korea`` → ``Republic of Korea`` (the article belongs to the sentence)."""
    return " ".join(_ARTICLE_PREFIX.sub("", _MARKERS.sub("", name)).split())  # "Республика  Фиджи"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def country_concepts(data: Path, date: str) -> Iterator[Concept]:
    """One concept per member or observer State (195), preferred short and formal names."""
    codes = data / "country-codes"
    rows = _read_csv(codes / "country-codes.csv")
    m49 = {
        suffix: {r["ISO-alpha3 Code"]: r["Country or Area"] for r in _read_csv(codes / f"UNSD-{suffix}.csv")}
        for _, suffix in LANGS.values()
    }
    fallback: dict[str, dict[str, tuple[str, str]]] = {}
    for row in _tsv(BUNDLED / "m49-fallback.tsv"):
        fallback.setdefault(row["iso3"], {})[row["lang"]] = (row["name"].strip(), row["justification"])
    for row in rows:
        iso3 = row["ISO3166-1-Alpha-3"]
        english = row["UNTERM English Short"]
        if "**" in english:  # Cook Islands, Niue: not UN members or observers
            continue
        if not english and iso3 not in fallback:
            continue
        observer = english.endswith("*")
        terms: list[Term] = []
        for column_lang, (lang, suffix) in LANGS.items():
            if english:
                short = clean_short(row[f"UNTERM {column_lang} Short"])
                formal = clean_formal(row[f"UNTERM {column_lang} Formal"])
                short_src = f"{SOURCE} 'UNTERM {column_lang} Short'"
                formal_src = f"{SOURCE} 'UNTERM {column_lang} Formal'"
            else:
                override = fallback[iso3].get(lang)
                if override:
                    short, why = override
                else:
                    short, why = m49[suffix][iso3], fallback[iso3]["*"][1]
                formal, short_src, formal_src = short, f"UNSD M49 (UNSD-{suffix}.csv): {why}", ""
            if not short:
                raise InputError(f"no {column_lang} name for {iso3}", path=codes / "country-codes.csv")
            if formal and formal != short:
                terms.append(
                    Term(
                        lang,
                        short,
                        Status.PREFERRED,
                        TermType.SHORT_FORM,
                        pos="noun",
                        source=short_src,
                        date=date,
                    )
                )
                terms.append(
                    Term(
                        lang,
                        formal,
                        Status.PREFERRED,
                        TermType.FULL_FORM,
                        pos="noun",
                        source=formal_src,
                        date=date,
                    )
                )
            else:
                terms.append(
                    Term(
                        lang,
                        short,
                        Status.PREFERRED,
                        TermType.FULL_FORM,
                        pos="noun",
                        source=short_src,
                        date=date,
                    )
                )
        yield Concept(
            id=f"country-{iso3}",
            terms=tuple(terms),
            subject="observer States" if observer else "Member States",
            note=f"ISO 3166-1 {iso3}, M49 {row['M49']}",
            source="UNTERM country names (UN Protocol and Liaison Service)",
        )


def build(data: Path = DEFAULT_DATA, date: str | None = None) -> list[Concept]:
    """All bundled concepts: States with their curated variants, the bodies file, then the UN
    system list with the renderings that have a source."""
    date = date or dt.date.today().isoformat()
    concepts = {c.id: c for c in country_concepts(data, date)}
    rows = [
        (path, number, row)
        for path in sorted(BUNDLED.glob("country-variants*.tsv"))
        for number, row in enumerate(_tsv(path), start=2)
    ]
    for variants_path, number, row in rows:
        cid = row["concept_id"]
        if cid not in concepts:
            raise InputError(f"unknown concept {cid}", path=variants_path, line=number)
        concept = concepts[cid]
        existing = {(t.lang, t.text) for t in concept.terms}
        if (row["lang"], row["term"]) in existing:
            raise InputError(f"{row['term']!r} is already a term of {cid}", path=variants_path, line=number)
        term = Term(
            row["lang"],
            row["term"],
            Status.parse(row["status"], path=variants_path, line=number),
            TermType.parse(row["type"], path=variants_path, line=number),
            pos="noun",
            source=f"curated: {row['source']}",
            note=row.get("note") or None,
            date=date,
            not_inside=tuple(p for p in row["not_inside"].split("|") if p),
        )
        concepts[cid] = replace(concept, terms=(*concept.terms, term))
    bodies_path = BUNDLED / "un-bodies.tsv"
    body_rows = [dict(r, date=date) for r in _tsv(bodies_path)]
    for concept in concepts_from_rows(body_rows, path=bodies_path):
        if concept.id in concepts:
            raise InputError(f"duplicate concept id {concept.id}", path=bodies_path)
        concepts[concept.id] = replace(concept, source="UN usage (UNTERM, UN documents)")
    system, _ = evidence.sourced_concepts(data, date=date)
    for concept in system:
        if concept.id in concepts:
            raise InputError(f"duplicate concept id {concept.id}", path=evidence.CURATED)
        concepts[concept.id] = concept
    return list(concepts.values())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--date", default=None, help="date recorded on every entry (default: today)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    concepts = build(args.data.resolve(), args.date)
    rows = write_table(concepts, args.output, "tsv")
    print(f"{len(concepts)} concepts, {rows} terms → {args.output}")


if __name__ == "__main__":
    main()
