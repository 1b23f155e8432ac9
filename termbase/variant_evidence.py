"""Evidence counts for the curated names of States (``termbase/bundled/country-variants*.tsv``):
how often official UN text writes each form, found the way QA finds it.

A non-UN name is listed as deprecated only if the UN itself never writes it; a former UN name is
superseded. Both claims are checked here against official UN text in three languages:
``../shared/data/unpc-dev`` (4,000 en/zh/ru sentences of 2015 UN documents), the 50 documents of
``unpc-align-dev`` and the Universal Declaration of Human Rights (``udhr/``: eng, rus, cmn_hans).
The counter is QA's own: the ``TermMatcher`` of the built termbase, so Russian inflection,
Traditional/Simplified Chinese, longest match (厄瓜多 inside 厄瓜多尔 is the UN name, not the
Taiwan form) and each term's ``not_inside`` exceptions count exactly as they do in ``untm qa``.

A row records its counts in its ``source`` column as ``UN text: unpc-dev N, unpc-align-dev M,
UDHR K``; this script recomputes them:

    python -m termbase.variant_evidence              # table of every curated form and its counts
    python -m termbase.variant_evidence --check      # exit 1 if a recorded count is not today's
    python -m termbase.variant_evidence --write      # rewrite the recorded counts in place
    python -m termbase.variant_evidence --show 韩国  # the UN sentences that contain a form

``--check`` also fails when a deprecated form (or a superseded one whose change predates the 2015
corpus) is found in the UN text: such a form is UN usage and must be dropped or admitted, unless
the row says, after ``adjudicated:``, why each occurrence is not the UN's own wording (a member
State's letter quoting itself, a person's or an NGO's name).
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from termbase.build import BUNDLED, DEFAULT_DATA, build

LANGS = ("zh", "ru", "en")
CORPORA = ("unpc-dev", "unpc-align-dev", "UDHR")
UDHR_FILES = {"en": "eng.html", "ru": "rus.html", "zh": "cmn_hans.html"}
CORPUS_YEAR = 2015  # unpc-dev and unpc-align-dev: UN documents of 2015
_RECORD = re.compile(r"UN text: unpc-dev (\d+), unpc-align-dev (\d+), UDHR (\d+)")
_YEAR = re.compile(r"(?:until|in|since) (\d{4})")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Row:
    """One curated form of a variants file, with what it records and what the UN text shows."""

    path: Path
    line: int
    concept_id: str
    lang: str
    term: str
    status: str
    source: str
    recorded: tuple[int, int, int] | None
    counts: tuple[int, int, int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def must_be_absent(self) -> bool:
        """Deprecated forms, and superseded ones changed before the corpus was written (a name
        changed after 2015, Swaziland or Turkey, is rightly in 2015 text)."""
        if self.status == "deprecated":
            return True
        if self.status == "superseded":
            years = [int(y) for y in _YEAR.findall(self.source)]
            return bool(years) and max(years) < CORPUS_YEAR
        return False


def un_texts(data: Path) -> Iterator[tuple[str, str, str]]:
    """(corpus, lang, line) for every line of official UN text."""
    for lang in LANGS:
        path = data / "unpc-dev" / f"UNv1.0.devset.{lang}"
        for line in path.read_text(encoding="utf-8").splitlines():
            yield "unpc-dev", lang, line
        for doc in sorted((data / "unpc-align-dev").glob("doc*")):
            for line in (doc / f"{lang}.txt").read_text(encoding="utf-8").splitlines():
                yield "unpc-align-dev", lang, line
        page = (data / "udhr" / UDHR_FILES[lang]).read_text(encoding="utf-8")
        for line in html.unescape(_TAG.sub("\n", page)).splitlines():
            if line.strip():
                yield "UDHR", lang, line.strip()


def evidence(data: Path = DEFAULT_DATA, *, show: str | None = None) -> list[Row]:
    """Every row of every ``country-variants*.tsv`` with its counts in the UN text."""
    from uncore.lang.terms import TermMatcher

    concepts = build(data, date="2000-01-01")
    matcher = TermMatcher(concepts, LANGS)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for corpus, lang, line in un_texts(data):
        for hit in matcher.find(line, lang):
            if not (hit.term.source or "").startswith("curated: "):
                continue
            counts[(corpus, hit.concept_id, lang, hit.term.text)] += 1
            if show is not None and hit.term.text == show:
                print(f"{corpus}\t{lang}\t{hit.surface}\t{line}")
    rows = []
    for path in sorted(BUNDLED.glob("country-variants*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for number, row in enumerate(reader, start=2):
                key = (row["concept_id"], row["lang"], row["term"])
                found = _RECORD.search(row["source"])
                rows.append(
                    Row(
                        path,
                        number,
                        *key,
                        row["status"],
                        row["source"],
                        tuple(int(g) for g in found.groups()) if found else None,  # type: ignore[arg-type]
                        tuple(counts[(corpus, *key)] for corpus in CORPORA),  # type: ignore[arg-type]
                    )
                )
    return rows


def record(counts: tuple[int, int, int]) -> str:
    return "UN text: unpc-dev {}, unpc-align-dev {}, UDHR {}".format(*counts)


def write(rows: list[Row]) -> int:
    """Rewrite the recorded counts of the rows that record some; returns how many changed."""
    changed = 0
    for path in sorted({r.path for r in rows}):
        lines = path.read_text(encoding="utf-8").split("\n")
        for row in (r for r in rows if r.path == path and r.recorded is not None):
            if row.recorded != row.counts:
                lines[row.line - 1] = _RECORD.sub(record(row.counts), lines[row.line - 1])
                changed += 1
        path.write_text("\n".join(lines), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--check", action="store_true", help="fail on stale counts or UN usage")
    parser.add_argument("--write", action="store_true", help="rewrite the recorded counts")
    parser.add_argument("--show", default=None, help="print the UN lines where this form is found")
    args = parser.parse_args(argv)
    rows = evidence(args.data.resolve(), show=args.show)
    if args.show is not None:
        return 0
    if args.write:
        print(f"{write(rows)} recorded counts updated")
        return 0
    problems = []
    for row in rows:
        where = f"{row.path.name}:{row.line}"
        if row.recorded is not None and row.recorded != row.counts:
            problems.append(f"{where}: {row.term} records {row.recorded}, UN text has {row.counts}")
        if row.must_be_absent and row.total and "adjudicated:" not in row.source:
            problems.append(f"{where}: {row.status} {row.term} is written by UN text {row.counts}")
        if not args.check:
            print(f"{row.concept_id}\t{row.lang}\t{row.term}\t{row.status}\t{record(row.counts)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    states = {(r.concept_id, r.lang) for r in rows if r.status in {"deprecated", "superseded"}}
    print(
        f"{len(rows)} curated forms; {len(states)} State × language pairs with a non-UN or former "
        f"name; {len(problems)} problems",
        file=sys.stderr,
    )
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
