"""Evidence in official UN text for the renderings of the curated UN system list.

``termbase/bundled/un-system.tsv`` proposes, for each organ, body, agency, office, mission,
instrument and title, its names in en, zh and ru (fr, es where a source gives them). No rendering
goes into the bundled termbase on the curator's word: each needs either

* **unpc-dev evidence** — the term and a term of the same concept in another language occur in
  the same sentence tuple of the UN Parallel Corpus dev set (4,000 en/zh/ru tuples of 2015 UN
  documents): a zh or ru term with an English term of its concept, an English term with a zh or
  ru one. Occurrences are found by the one term finder (``uncore.lang.terms.TermMatcher``:
  Russian lemmas, English stems, normalised Chinese; the longest match wins, so *General
  Assembly* inside *President of the General Assembly* counts for the President only, except
  that a concept found nowhere that way is looked for a second time without the others, so a
  name UN text writes only inside a longer one, in both languages of a tuple, counts too);
  ``unpc-align-dev`` is built from the same sentences and adds no evidence of its own;
* **UDHR evidence** — the term occurs in the Universal Declaration in its language and an English
  term of the concept in the English text (``../shared/data/udhr``); or
* **a citation** — the ``cite`` cell of its row: a public source that was actually read (an
  address and what it shows).

A term with none of these is dropped (``python -m termbase.evidence`` lists them). A deprecated
term (``!``) is the opposite: it must *not* occur in the UN text, and its count there (0) is its
evidence.

Notation of the ``terms`` cell: terms separated by `` | ``; a prefix ``s:`` shortForm, ``a:``
acronym, ``b:`` abbreviation, ``v:`` variant (none: fullForm); before it ``!`` deprecated or
``^`` superseded. The first surviving term of a row is preferred, the others admitted.

    python -m termbase.evidence [--data ../shared/data] [--dropped] [--ambiguous]
"""

from __future__ import annotations

import argparse
import csv
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from termbase.lookup import lookup
from termbase.model import Concept, Status, Term, TermType
from termbase.store import Termbase
from uncore.errors import InputError
from uncore.lang.terms import TermMatcher

BUNDLED = Path(__file__).resolve().parent / "bundled"
CURATED = BUNDLED / "un-system.tsv"
DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
UNPC_LANGS = ("en", "zh", "ru")
UDHR_FILES = {"en": "eng", "zh": "cmn_hans", "ru": "rus", "fr": "fra", "es": "spa", "ar": "arb"}
_TYPES = {"s": TermType.SHORT_FORM, "a": TermType.ACRONYM, "b": TermType.ABBREVIATION, "v": TermType.VARIANT}
_STATUS_MARKS = {"!": Status.DEPRECATED, "^": Status.SUPERSEDED}
CONCEPT_SOURCE = (
    "UN usage: termbase/bundled/un-system.tsv, each rendering evidenced in UN text or cited"
    " (termbase/evidence.py)"
)


@dataclass(frozen=True)
class Proposed:
    """A term as the curated file proposes it, before any evidence: where it came from and the
    citation of its row."""

    concept_id: str
    term: Term
    cite: str  # the term's own ``{...}`` citation, else its row's ``cite`` cell
    line: int


@dataclass(frozen=True)
class Evidence:
    """How a term is attested. ``paired``: unpc-dev tuples where it occurs together with a term of
    its concept in another language; ``seen``: tuples where it occurs at all; ``example``: the
    document of the first paired tuple; ``udhr``: found in the UDHR with the English name;
    ``same_doc``: tuples without a partner whose document has one in another of its tuples (the
    usual case of an abbreviation: 行预咨委会 once the full name has been given)."""

    paired: int = 0
    seen: int = 0
    example: str | None = None
    udhr: bool = False
    same_doc: int = 0  # unpaired tuples whose document names the concept in the partner language


def parse_terms(cell: str, lang: str, *, path: Path, line: int) -> list[tuple[Term, str]]:
    """The terms of one ``terms`` cell (notation in the module docstring) with their own
    citations, statuses not yet final: every term not marked ``!``/``^`` is ``admitted`` here;
    the first survivor becomes preferred."""
    terms = []
    for raw in cell.split(" | "):
        text, cite = raw.strip(), ""
        if text.endswith("}") and " {" in text:
            text, cite = text[:-1].split(" {", 1)
        status = Status.ADMITTED
        if text[:1] in _STATUS_MARKS:
            status, text = _STATUS_MARKS[text[0]], text[1:]
        term_type = TermType.FULL_FORM
        if len(text) > 2 and text[1] == ":" and text[0] in _TYPES:
            term_type, text = _TYPES[text[0]], text[2:]
        if not text:
            raise InputError(f"empty term in {cell!r}", path=path, line=line)
        terms.append((Term(lang, text, status, term_type, pos="noun"), cite.strip()))
    return terms


def read_curated(path: Path = CURATED) -> tuple[dict[str, str], list[Proposed]]:
    """The subjects of the curated concepts (in file order) and every proposed term."""
    subjects: dict[str, str] = {}
    proposed: list[Proposed] = []
    seen: set[tuple[str, str, str]] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
            cid, lang = row["concept_id"].strip(), row["lang"].strip()
            subjects.setdefault(cid, row["subject"].strip())
            for term, cite in parse_terms(row["terms"], lang, path=path, line=line):
                key = (cid, lang, term.text)
                if key in seen:
                    raise InputError(f"duplicate term {term.text!r} ({lang}) in {cid}", path=path, line=line)
                seen.add(key)
                proposed.append(Proposed(cid, term, cite or (row.get("cite") or "").strip(), line))
    return subjects, proposed


def _concepts(proposed: Iterable[Proposed]) -> list[Concept]:
    grouped: dict[str, list[Term]] = {}
    for item in proposed:
        grouped.setdefault(item.concept_id, []).append(item.term)
    return [Concept(cid, tuple(terms)) for cid, terms in grouped.items()]


def _udhr_text(data: Path, lang: str) -> str:
    raw = (data / "udhr" / f"{UDHR_FILES[lang]}.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def count(proposed: list[Proposed], data: Path = DEFAULT_DATA) -> dict[tuple[str, str, str], Evidence]:
    """Evidence for every proposed term, keyed by (concept id, lang, text)."""
    concepts = _concepts(proposed)
    matcher = TermMatcher(concepts, [*UNPC_LANGS, "fr", "es", "ar"])
    unpc = data / "unpc-dev" / "UNv1.0.devset."
    texts = {lang: Path(f"{unpc}{lang}").read_text(encoding="utf-8").splitlines() for lang in UNPC_LANGS}
    docs = [line.split()[0] for line in Path(f"{unpc}ids").read_text(encoding="utf-8").splitlines()]
    paired: dict[tuple[str, str, str], int] = {}
    seen: dict[tuple[str, str, str], int] = {}
    example: dict[tuple[str, str, str], str] = {}
    by_doc: dict[str, dict[str, set[str]]] = {}  # document → concept → languages it is named in
    unpaired: list[tuple[tuple[str, str, str], str]] = []
    first_seen: dict[tuple[str, str, str], str] = {}
    # Pass 1 finds every concept by the longest match; pass 2 looks again, with only the
    # concepts pass 1 found nowhere, for names UN text writes only inside a longer name
    # (国际人口与发展会议 inside 《国际人口与发展会议行动纲领》, the ICPD inside its Programme of
    # Action). Pairing is the same in both passes: the name and its partner in one tuple.
    first_pass = [
        {lang: matcher.find(texts[lang][index], lang) for lang in UNPC_LANGS} for index in range(len(docs))
    ]
    found_ids = {h.concept_id for tuple_hits in first_pass for hits in tuple_hits.values() for h in hits}
    unseen = [c for c in concepts if c.id not in found_ids]
    second = TermMatcher(unseen, UNPC_LANGS) if unseen else None
    rounds = [(index, doc, first_pass[index]) for index, doc in enumerate(docs)]
    if second is not None:
        rounds += [
            (index, doc, {lang: second.find(texts[lang][index], lang) for lang in UNPC_LANGS})
            for index, doc in enumerate(docs)
        ]
    for _, doc, tuple_hits in rounds:
        found = {lang: {(h.concept_id, h.term.text) for h in hits} for lang, hits in tuple_hits.items()}
        langs_of: dict[str, set[str]] = {}
        for lang, hits in found.items():
            for cid, _ in hits:
                langs_of.setdefault(cid, set()).add(lang)
                by_doc.setdefault(doc, {}).setdefault(cid, set()).add(lang)
        for lang, hits in found.items():
            for cid, text in hits:
                key = (cid, lang, text)
                seen[key] = seen.get(key, 0) + 1
                if langs_of[cid] & _partners(lang):
                    paired[key] = paired.get(key, 0) + 1
                    example.setdefault(key, doc)
                else:
                    unpaired.append((key, doc))
                    first_seen.setdefault(key, doc)
    same_doc: dict[tuple[str, str, str], int] = {}
    for key, doc in unpaired:
        if by_doc[doc].get(key[0], set()) & _partners(key[1]):
            same_doc[key] = same_doc.get(key, 0) + 1
            example.setdefault(key, doc)
    for key, doc in first_seen.items():
        example.setdefault(key, doc)
    udhr = {lang: _udhr_text(data, lang) for lang in UDHR_FILES}
    udhr_hits = {
        lang: {(h.concept_id, h.term.text) for h in matcher.find(text, lang)}
        if lang in matcher.langs
        else set()
        for lang, text in udhr.items()
    }
    udhr_langs: dict[str, set[str]] = {}
    for lang, hits in udhr_hits.items():
        for cid, _ in hits:
            udhr_langs.setdefault(cid, set()).add(lang)
    result = {}
    for item in proposed:
        cid, lang, text = item.concept_id, item.term.lang, item.term.text
        partners = udhr_langs.get(cid, set()) - {lang}
        in_udhr = (cid, text) in udhr_hits.get(lang, set()) and (
            "en" in partners if lang != "en" else bool(partners)
        )
        result[(cid, lang, text)] = Evidence(
            paired.get((cid, lang, text), 0),
            seen.get((cid, lang, text), 0),
            example.get((cid, lang, text)),
            in_udhr,
            same_doc.get((cid, lang, text), 0),
        )
    return result


def _partners(lang: str) -> set[str]:
    """The languages whose names pair with a term in ``lang``: English for zh and ru, zh or ru
    for English."""
    return {"en"} if lang != "en" else {"zh", "ru"}


def source_of(item: Proposed, evidence: Evidence) -> str | None:
    """The source text of a term, or ``None`` when it has none and must be dropped."""
    term = item.term
    if term.status.is_bad:
        return f"not UN usage: written in none of the 4,000 unpc-dev tuples ({evidence.seen} found)" + (
            f"; {item.cite}" if item.cite else ""
        )
    if evidence.paired:
        partner = "its English name" if term.lang != "en" else "its zh or ru name"
        return (
            f"unpc-dev: {evidence.paired} tuple{'s' if evidence.paired != 1 else ''} with {partner}"
            f" (of {evidence.seen} with the term), e.g. {evidence.example}"
        )
    if term.lang == "en" and evidence.seen:
        return (
            f"unpc-dev: written in {evidence.seen} tuple{'s' if evidence.seen != 1 else ''} of UN English"
            f" (without a zh or ru name of the concept), e.g. {evidence.example}"
        )
    if evidence.same_doc:
        partner = "the English name" if term.lang != "en" else "the zh or ru name"
        return (
            f"unpc-dev: in {evidence.same_doc} tuple{'s' if evidence.same_doc != 1 else ''} of documents that"
            f" give {partner} in another sentence (not in the same tuple), e.g. {evidence.example}"
        )
    if evidence.udhr:
        return "UDHR (GA resolution 217 A (III)), six-language text in ../shared/data/udhr"
    if item.cite:
        return f"cited: {item.cite}"
    return None


SOURCE_KINDS = {
    "unpc-dev: in ": "unpc-dev, same document",
    "unpc-dev: written in": "unpc-dev English",
    "unpc-dev: ": "unpc-dev, same tuple",
    "UDHR": "UDHR",
    "cited: ": "cited",
    "not UN usage": "deprecated (absent from UN text)",
}


def source_kind(source: str) -> str:
    """Which kind of evidence a term's source records (for reports)."""
    for prefix, kind in SOURCE_KINDS.items():
        if source.startswith(prefix):
            return kind
    return "other"


def sourced_concepts(
    data: Path = DEFAULT_DATA, path: Path = CURATED, date: str | None = None
) -> tuple[list[Concept], list[tuple[Proposed, Evidence]]]:
    """The curated concepts with every term sourced (statuses final: the first surviving
    non-deprecated term of each concept and language is preferred), and the dropped terms.
    A deprecated term that UN text does write is an error: the curated file is wrong."""
    subjects, proposed = read_curated(path)
    evidence = count(proposed, data)
    kept: dict[str, list[Term]] = {cid: [] for cid in subjects}
    dropped: list[tuple[Proposed, Evidence]] = []
    for item in proposed:
        found = evidence[(item.concept_id, item.term.lang, item.term.text)]
        if item.term.status.is_bad and found.seen:
            raise InputError(
                f"{item.term.text!r} is deprecated but UN text writes it ({found.seen} unpc-dev tuples)",
                path=path,
                line=item.line,
            )
        source = source_of(item, found)
        if source is None:
            dropped.append((item, found))
            continue
        terms = kept[item.concept_id]
        status = item.term.status
        if not status.is_bad and not any(t.lang == item.term.lang and not t.status.is_bad for t in terms):
            status = Status.PREFERRED
        terms.append(replace(item.term, status=status, source=source, date=date))
    concepts = []
    for cid, terms in kept.items():
        good_langs = {t.lang for t in terms if not t.status.is_bad}
        terms = [t for t in terms if t.lang in good_langs]  # a deprecated form needs a UN form beside it
        if terms:
            concepts.append(Concept(cid, tuple(terms), subject=subjects[cid], source=CONCEPT_SOURCE))
    return concepts, dropped


def find_everywhere(termbase: Termbase, forms: dict[str, str], limit: int = 10) -> tuple[str | None, bool]:
    """The concept that ``untm term lookup`` finds for every one of ``forms`` (language → name),
    and whether it found it by the name itself (exact or inflected) in every language rather than
    by a prefix, a word inside a longer name or a fuzzy match. ``(None, False)`` when no concept
    is found in all languages."""
    found: list[set[str]] = []
    exact: list[set[str]] = []
    for lang, form in forms.items():
        results = lookup(termbase, form, lang, limit=limit)
        found.append({r.concept_id for r in results})
        exact.append({r.concept_id for r in results if r.match in ("exact", "lemma")})
    both = set.intersection(*exact)
    if both:
        return sorted(both)[0], True
    anywhere = set.intersection(*found)
    return (sorted(anywhere)[0], False) if anywhere else (None, False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dropped", action="store_true", help="list the terms dropped for lack of a source")
    parser.add_argument(
        "--ambiguous",
        action="store_true",
        help="list kept terms found mostly without their concept's other names",
    )
    args = parser.parse_args(argv)
    concepts, dropped = sourced_concepts(args.data.resolve())
    terms = [t for c in concepts for t in c.terms]
    kinds: dict[str, int] = {}
    for term in terms:
        kind = source_kind(term.source or "")
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"{len(concepts)} concepts, {len(terms)} terms kept, {len(dropped)} dropped for lack of a source")
    print("terms by source: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    for lang in ("en", "zh", "ru", "fr", "es"):
        have = sum(1 for c in concepts if c.preferred(lang) is not None)
        print(f"  concepts with a {lang} name: {have}")
    trio = sum(1 for c in concepts if all(c.preferred(lang) for lang in UNPC_LANGS))
    print(f"  concepts with en, zh and ru: {trio}")
    if args.dropped:
        for item, found in dropped:
            print(f"dropped\t{item.concept_id}\t{item.term.lang}\t{item.term.text}\tseen {found.seen}")
    if args.ambiguous:
        _, proposed = read_curated()
        evidence = count(proposed, args.data.resolve())
        for item in proposed:
            found = evidence[(item.concept_id, item.term.lang, item.term.text)]
            if found.paired and found.seen >= 3 and found.paired * 2 < found.seen:
                print(
                    f"ambiguous\t{item.concept_id}\t{item.term.lang}\t{item.term.text}\t{found.paired}/{found.seen}"
                )


if __name__ == "__main__":
    main()
