"""``run_checks``: every QA check over a stream of units, as a stream of findings.

Units flow through one at a time (a 100,000-unit memory is never held in memory); only
``inconsistent-term`` keeps state, a table per concept, and speaks after the last unit. Each
unit's term hits and numbers are computed once per language version and shared by the checks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from qa.basic import empty, untranslated
from qa.findings import CHECK_IDS, CHECK_INFO, Finding
from qa.ignore import IgnoreList
from qa.memory import DEFAULT_MINIMUM, DEFAULT_THRESHOLD, tm_deviation
from qa.numbers import number_format, number_mismatch
from qa.punctuation import cjk_punctuation, unbalanced_brackets
from qa.terms import Consistency, deprecated_term, missing_term, short_form
from qa.view import UnitView, Version, code_of, make_version
from tmx.units import TranslationUnit
from uncore.errors import UsageError
from uncore.lang import data_language

_PER_UNIT: dict[str, Callable[[UnitView], Iterator[Finding]]] = {
    "empty": empty,
    "untranslated": untranslated,
    "deprecated-term": deprecated_term,
    "missing-term": missing_term,
    "short-form": short_form,
    "number-mismatch": number_mismatch,
    "number-format": number_format,
    "cjk-punctuation": cjk_punctuation,
    "unbalanced-brackets": unbalanced_brackets,
}


def select_checks(checks: Iterable[str] | None, *, termbase: bool, memory: bool) -> tuple[str, ...]:
    """The checks to run, in catalogue order. Without ``checks``: every check whose resource is
    there. Naming a check whose resource is missing (``tm-deviation`` without a memory) is a
    usage error rather than a silent no-op."""
    if checks is None:
        chosen = [
            c
            for c in CHECK_IDS
            if (CHECK_INFO[c].needs != "termbase" or termbase) and (CHECK_INFO[c].needs != "memory" or memory)
        ]
        return tuple(chosen)
    wanted = list(dict.fromkeys(checks))
    for check in wanted:
        if check not in CHECK_INFO:
            raise UsageError(f"unknown check {check!r} (known: {', '.join(CHECK_IDS)})")
        needs = CHECK_INFO[check].needs
        if needs == "termbase" and not termbase:
            raise UsageError(f"check {check!r} needs a termbase")
        if needs == "memory" and not memory:
            raise UsageError(f"check {check!r} needs a translation memory (--tm)")
    return tuple(c for c in CHECK_IDS if c in wanted)


def run_checks(
    units: Iterable[TranslationUnit],
    termbase: Any = None,
    memory: Any = None,
    source: str | None = None,
    targets: Sequence[str] | None = None,
    checks: Iterable[str] | None = None,
    *,
    ignore: IgnoreList | None = None,
    tm_minimum: int = DEFAULT_MINIMUM,
    tm_threshold: float = DEFAULT_THRESHOLD,
) -> Iterator[Finding]:
    """Check ``units`` and yield findings, unit by unit, then the cross-unit ones.

    ``termbase`` is a ``termbase.store.Termbase`` (or any iterable of ``Concept``), or a ready
    ``TermMatcher`` (anything with ``find(text, lang)``). ``memory`` has ``match(segment,
    source, target, minimum)`` (``tmx.store.MemoryStore``). ``source`` is the source language;
    ``None`` takes the unit's ``srclang``, else its first version, and a unit with one version
    is checked monolingually (deprecated terms, punctuation). ``targets`` defaults to every
    other version; a named target missing from a unit is reported as ``empty``.
    """
    chosen = select_checks(checks, termbase=termbase is not None, memory=memory is not None)
    source_code = data_language(source).code if source else None
    target_codes = [data_language(t).code for t in targets] if targets else None
    iterator = iter(units)
    first = next(iterator, None)
    if first is None:
        return
    stream = itertools.chain([first], iterator)
    matcher = _matcher(termbase, chosen, first, source_code, target_codes)
    consistency = Consistency() if "inconsistent-term" in chosen else None
    per_unit = [(_PER_UNIT[c], c in _TERM_CHECKS) for c in chosen if c in _PER_UNIT]
    keep = ignore.ignores if ignore is not None else None

    for index, unit in enumerate(stream, 1):
        view = _view(unit, index, source_code, target_codes, matcher)
        # The term checks have nothing to say about a unit none of whose versions holds a term
        # (about half of UN segments): they are not called for it.
        terms = matcher is not None and view.has_terms()
        for check, needs_terms in per_unit:
            if needs_terms and not terms:
                continue
            for finding in check(view):
                if keep is None or not keep(finding):
                    yield finding
        if memory is not None and "tm-deviation" in chosen:
            for finding in tm_deviation(view, memory, minimum=tm_minimum, threshold=tm_threshold):
                if keep is None or not keep(finding):
                    yield finding
        if consistency is not None and terms:
            consistency.add(view)
    if consistency is not None:
        for finding in consistency.findings():
            if keep is None or not keep(finding):
                yield finding


_TERM_CHECKS = {c for c in CHECK_IDS if CHECK_INFO[c].needs == "termbase"}


def _matcher(
    termbase: Any,
    chosen: Sequence[str],
    first: TranslationUnit,
    source: str | None,
    targets: Sequence[str] | None,
) -> Any:
    if termbase is None or not _TERM_CHECKS.intersection(chosen):
        return None
    if hasattr(termbase, "find"):
        return termbase
    from uncore.lang.terms import TermMatcher

    langs: dict[str, None] = {}
    for code in ([source] if source else []) + list(targets or []):
        langs.setdefault(code, None)
    if not source or not targets:  # languages found per unit: match every one of the input
        for variant in first.variants:
            langs.setdefault(code_of(variant.lang), None)
    return TermMatcher(termbase, list(langs))


def _find(unit: TranslationUnit, code: str) -> Version | None:
    for variant in unit.variants:
        if code_of(variant.lang) == code:
            return make_version(variant.lang, variant.text)
    return None


def _view(
    unit: TranslationUnit, index: int, source: str | None, targets: Sequence[str] | None, matcher: Any
) -> UnitView:
    tuid = unit.tuid or str(index)
    src: Version | None
    if source is not None:
        src = _find(unit, source)
    elif len(unit.variants) >= 2 and targets is None:
        declared = unit.srclang if unit.srclang and unit.srclang != "*all*" else None
        src = _find(unit, code_of(declared)) if declared else None
        if src is None:
            first = unit.variants[0]
            src = make_version(first.lang, first.text)
    elif targets is not None and len(unit.variants) >= 2:
        others = [v for v in unit.variants if code_of(v.lang) not in targets]
        src = make_version(others[0].lang, others[0].text) if others else None
    else:
        src = None
    tgts: list[Version] = []
    if targets is not None:
        for code in targets:
            if src is not None and code == src.code:
                continue
            found = _find(unit, code)
            tgts.append(found if found is not None else make_version(code, ""))
    else:
        for variant in unit.variants:
            if src is not None and code_of(variant.lang) == src.code:
                continue
            tgts.append(make_version(variant.lang, variant.text))
    return UnitView(tuid, src, tgts, matcher)
