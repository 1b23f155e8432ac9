"""Check a TMX file against the TMX 1.4b DTD and the rules CAT tools rely on, streaming.

The DTD is applied to the header and to each ``<tu>`` separately (a copy of the element becomes
the root of a tiny document), so a million-unit memory validates in flat memory. On top of the
DTD come the rules a DTD cannot express and that make CAT tools drop data silently: every unit
has the header's source language, dates in ``YYYYMMDDThhmmssZ``, no empty segments, no
byte-order mark on UTF-8, BCP 47 language tags.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from lxml import etree

from tmx.reader import XML_LANG, _iter_elements, parse_date
from uncore.errors import InputError, UntmError
from uncore.lang import is_language_tag, primary_subtag

DTD_PATH = Path(__file__).with_name("schemas") / "tmx14.dtd"
PROGRESS_EVERY = 1000  # units between two progress reports
LONG_SEGMENT = 2000  # characters: Trados Studio's limit for a TMX segment on import
_DATE_ATTRS = ("creationdate", "changedate", "lastusagedate")
MAX_PER_RULE = 50  # a broken million-unit file should give a readable report, not a million lines


@dataclass(frozen=True)
class Problem:
    """One finding: ``severity`` is ``error`` (CAT tools may reject or lose data) or ``warning``."""

    severity: str
    rule: str
    message: str
    line: int | None = None
    element: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Report:
    path: str
    units: int
    problems: tuple[Problem, ...]
    suppressed: int = 0  # findings beyond MAX_PER_RULE per rule, counted but not listed

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def valid(self) -> bool:
        return self.errors == 0


def load_dtd(path: str | Path | None = None) -> etree.DTD:
    dtd_path = Path(path) if path else DTD_PATH
    if not dtd_path.is_file():
        raise InputError("TMX DTD not found", path=dtd_path)
    return etree.DTD(str(dtd_path))


def validate_file(
    path: str | Path,
    dtd: str | Path | None = None,
    max_per_rule: int = MAX_PER_RULE,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Validate ``path``; malformed XML is reported as one ``xml`` error (with line) rather than
    raised, so ``untm tmx validate`` always has a report to print. ``progress`` is told of every
    ``PROGRESS_EVERY`` units checked."""
    counts: dict[str, int] = {}
    kept: list[Problem] = []
    suppressed = 0
    units = 0
    checker = _Checker(Path(path), load_dtd(dtd), progress)
    try:
        for problem in checker.run():
            counts[problem.rule] = counts.get(problem.rule, 0) + 1
            if counts[problem.rule] <= max_per_rule:
                kept.append(problem)
            else:
                suppressed += 1
    except UntmError as error:
        kept.append(Problem("error", "xml", error.message, error.line, error.element))
    units = checker.units
    return Report(str(path), units, tuple(kept), suppressed)


class _Checker:
    def __init__(self, path: Path, dtd: etree.DTD, progress: Callable[[int], None] | None = None) -> None:
        self.path = path
        self.dtd = dtd
        self.progress = progress
        self.units = 0
        self.srclang: str | None = None

    def run(self) -> Iterator[Problem]:
        yield from self._encoding()
        seen_header = False
        for event, elem in _iter_elements(self.path, ("tmx", "header", "body", "tu"), ("start", "end")):
            if event == "start":
                if elem.tag == "tmx" and elem.get("version") != "1.4":
                    yield Problem(
                        "warning",
                        "version",
                        f"TMX version {elem.get('version')!r}; untm writes and validates 1.4",
                        elem.sourceline,
                        "tmx",
                    )
                elif elem.tag == "body" and not seen_header:
                    yield Problem("error", "dtd", "<body> before <header>", elem.sourceline, "body")
                continue
            if elem.tag == "header":
                seen_header = True
                yield from self._header(elem)
            elif elem.tag == "tu":
                self.units += 1
                if self.progress is not None and self.units % PROGRESS_EVERY == 0:
                    self.progress(PROGRESS_EVERY)
                yield from self._unit(elem)
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
        if not seen_header:
            yield Problem("error", "dtd", "no <header>", None, "header")

    def _encoding(self) -> Iterator[Problem]:
        with open(self.path, "rb") as handle:
            head = handle.read(4)
        if head.startswith(b"\xef\xbb\xbf"):
            yield Problem(
                "warning",
                "encoding",
                "UTF-8 with a byte-order mark (some tools show it as a stray character)",
                1,
            )
        elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            yield Problem(
                "warning",
                "encoding",
                "UTF-16 (accepted by Trados and OmegaT; UTF-8 is the safer exchange encoding)",
                1,
            )

    def _dtd(self, elem: etree._Element) -> Iterator[Problem]:
        if not self.dtd.validate(copy.deepcopy(elem)):
            for entry in self.dtd.error_log:
                yield Problem("error", "dtd", entry.message, elem.sourceline, str(elem.tag))

    def _header(self, header: etree._Element) -> Iterator[Problem]:
        yield from self._dtd(header)
        srclang = header.get("srclang")
        self.srclang = srclang if srclang and srclang != "*all*" else None
        if srclang and srclang != "*all*":
            yield from self._lang(srclang, header)
        yield from self._dates(header)

    def _lang(self, tag: str, elem: etree._Element) -> Iterator[Problem]:
        if not is_language_tag(tag):
            yield Problem(
                "warning", "language", f"{tag!r} is not a BCP 47 language tag", elem.sourceline, str(elem.tag)
            )

    def _dates(self, elem: etree._Element) -> Iterator[Problem]:
        for name in _DATE_ATTRS:
            value = elem.get(name)
            if value is not None and parse_date(value) is None:
                yield Problem(
                    "error",
                    "date",
                    f"{name}={value!r} is not YYYYMMDDThhmmssZ (UTC)",
                    elem.sourceline,
                    str(elem.tag),
                )

    def _unit(self, tu: etree._Element) -> Iterator[Problem]:
        yield from self._dtd(tu)
        yield from self._dates(tu)
        for prop in tu.iter("prop"):
            kind = prop.get("type") or ""
            if not kind.startswith("x-"):
                yield Problem(
                    "warning",
                    "prop-type",
                    f"prop type {kind!r} is not a user-defined 'x-' type (TMX 1.4b); Trados and "
                    "memoQ map only x- props to their fields",
                    prop.sourceline,
                    "prop",
                )
        langs: list[str] = []
        for tuv in tu.iter("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")
            if lang is None:
                continue  # the DTD already said so
            if tuv.get(XML_LANG) is None:
                yield Problem(
                    "warning",
                    "language",
                    "deprecated 'lang' attribute (TMX ≤ 1.2); 1.4 uses xml:lang",
                    tuv.sourceline,
                    "tuv",
                )
            langs.append(lang)
            yield from self._lang(lang, tuv)
            yield from self._dates(tuv)
            seg = tuv.find("seg")
            if seg is not None and not len(seg) and not (seg.text or "").strip():
                yield Problem("warning", "empty", f"empty {lang} segment", seg.sourceline, "seg")
            if seg is not None:
                length = len("".join(seg.itertext()))
                if length > LONG_SEGMENT:
                    yield Problem(
                        "warning",
                        "long-segment",
                        f"the {lang} segment has {length:,} characters; Trados Studio refuses "
                        f"segments over {LONG_SEGMENT:,} (split the unit, or align by sentence)",
                        seg.sourceline,
                        "seg",
                    )
        lowered = [lang.lower() for lang in langs]
        if len(set(lowered)) != len(lowered):
            yield Problem(
                "warning",
                "duplicate-language",
                f"the same language twice in one unit ({', '.join(langs)})",
                tu.sourceline,
                "tu",
            )
        if len(langs) == 1:
            yield Problem("warning", "single-variant", f"unit has only {langs[0]}", tu.sourceline, "tu")
        source = tu.get("srclang") or self.srclang
        if source and source != "*all*" and source.lower() not in lowered:
            primary = primary_subtag(source)
            if any(primary_subtag(lang) == primary for lang in lowered):
                yield Problem(
                    "warning",
                    "srclang",
                    f"source language {source} only matches by primary subtag ({', '.join(langs)})",
                    tu.sourceline,
                    "tu",
                )
                return
            yield Problem(
                "error",
                "srclang",
                f"no variant in the source language {source} (has {', '.join(langs) or 'none'})",
                tu.sourceline,
                "tu",
            )
