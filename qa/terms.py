"""Terminology checks on the matcher's hits: ``deprecated-term``, ``missing-term``,
``short-form`` and ``inconsistent-term``.

The matcher (``uncore.lang.terms.TermMatcher``) does the language work (Russian lemmas, English
stems, Chinese longest match and the ``not_inside`` exceptions such as 美国 in 南美国家); the
checks here only decide what a hit means for a translation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from qa.findings import Finding, Severity
from qa.view import UnitView, Version
from termbase.model import TermType
from uncore.lang.terms import TermHit


def _quote(text: str) -> str:
    return f"‘{text}’"


def deprecated_term(view: UnitView) -> Iterator[Finding]:
    """A deprecated or superseded term in any version, with the concept's preferred term as the
    suggestion. In a target it is an error when the source names the concept with an approved
    term (or there is no source). It is a warning when the source uses a non-UN name for the
    same concept too (a member state's letter quoting its own wording, which the UN translation
    keeps), and only information when the source does not name the concept at all (``the
    Syrian Government`` → 叙利亚政府, where the short form is an adjective)."""
    quoted: set[str] = set()
    named: set[str] = set()
    if view.source is not None:
        for hit in view.hits(view.source):
            (quoted if hit.status.is_bad else named).add(hit.concept_id)
    for version in view.versions:
        is_source = version is view.source
        for hit in view.hits(version):
            if not hit.status.is_bad:
                continue
            replacement = hit.replacement
            use = f"; use {_quote(replacement.text)}" if replacement else ""
            if is_source:
                severity, why = Severity.WARNING, " (in the source)"
            elif hit.concept_id in quoted:
                severity, why = Severity.WARNING, " (the source uses a non-UN name too: quoted?)"
            elif view.source is not None and hit.concept_id not in named:
                # "the Syrian Government" → 叙利亚政府: the source does not name the country,
                # so the short form is most likely an adjective, which UN usage allows.
                severity, why = Severity.INFO, " (the source does not name it: an adjective?)"
            else:
                severity, why = Severity.ERROR, ""
            yield Finding(
                view.tuid,
                version.text,
                version.tag,
                "deprecated-term",
                severity,
                hit.surface,
                replacement.text if replacement else None,
                hit.start,
                hit.end,
                f"{_quote(hit.surface)} is a {hit.status.value} term{why}{use}",
                hit.concept_id,
            )


def missing_term(view: UnitView) -> Iterator[Finding]:
    """A concept found in the source whose approved rendering in the target language is absent
    from the target (no term of that concept at all; a deprecated one is reported by
    ``deprecated-term`` instead). One finding per concept and target."""
    if view.source is None:
        return
    source_hits: dict[str, TermHit] = {}
    for hit in view.hits(view.source):
        source_hits.setdefault(hit.concept_id, hit)
    if not source_hits:
        return
    for target in view.targets:
        if not target.text.strip():
            continue
        present = {hit.concept_id for hit in view.hits(target)}
        for concept_id, hit in source_hits.items():
            if concept_id in present:
                continue
            wanted = hit.preferred(target.code)
            if wanted is None:
                continue
            approved = _approved(hit, target.code)
            yield Finding(
                view.tuid,
                target.text,
                target.tag,
                "missing-term",
                Severity.WARNING,
                hit.surface,
                wanted.text,
                None,
                None,
                f"the source has {_quote(hit.surface)}; the {target.tag} text has none of its "
                f"approved renderings ({', '.join(_quote(t) for t in approved)})",
                concept_id,
            )


def short_form(view: UnitView) -> Iterator[Finding]:
    """The source gives a concept's full name and the target only an admitted short form,
    abbreviation or acronym of it (``United States of America`` → 美国, where UN Chinese writes
    美利坚合众国 and keeps 美国 for the source's own short form ``the United States``).

    Short forms are admitted because UN editorial style uses them *after* a full mention; the
    translation follows the original, so a full name in the source wants the full name in the
    target. A source that itself uses a short form of the concept anywhere in the segment is
    left alone, and so is a target that has the full name somewhere too.

    With no source (one document checked on its own) a short form is reported at ``info``: UN
    text writes it after a first mention, so it is worth a glance, never an error."""
    if view.source is None:
        yield from _short_forms_alone(view)
        return
    full: dict[str, TermHit] = {}
    shortened: set[str] = set()
    for hit in view.hits(view.source):
        if hit.status.is_bad:
            continue
        if _GROUP.get(hit.term.type, "full") == "full":
            full.setdefault(hit.concept_id, hit)
        else:
            shortened.add(hit.concept_id)
    wanted_concepts = full.keys() - shortened
    if not wanted_concepts:
        return
    for target in view.targets:
        by_concept: dict[str, list[TermHit]] = {}
        for hit in view.hits(target):
            if hit.concept_id in wanted_concepts and not hit.status.is_bad:
                by_concept.setdefault(hit.concept_id, []).append(hit)
        for concept_id, hits in by_concept.items():
            # a variant of the full name (玻利维亚多民族国 beside 多民族玻利维亚国) is not shortened
            if any(h.term.type not in _SHORTENED for h in hits):
                continue
            wanted = hits[0].preferred(target.code)
            if wanted is None or _GROUP.get(wanted.type, "full") != "full":
                continue
            source_hit = full[concept_id]
            for hit in hits:
                yield Finding(
                    view.tuid,
                    target.text,
                    target.tag,
                    "short-form",
                    Severity.WARNING,
                    hit.surface,
                    wanted.text,
                    hit.start,
                    hit.end,
                    f"the source gives the full name {_quote(source_hit.surface)}; "
                    f"{_quote(hit.surface)} is a short form: use {_quote(wanted.text)}",
                    concept_id,
                )


def _short_forms_alone(view: UnitView) -> Iterator[Finding]:
    for version in view.versions:
        for hit in view.hits(version):
            if hit.status.is_bad or hit.term.type not in _SHORTENED:
                continue
            wanted = hit.preferred(version.code)
            if wanted is None or _GROUP.get(wanted.type, "full") != "full" or wanted.text == hit.surface:
                continue
            yield Finding(
                view.tuid,
                version.text,
                version.tag,
                "short-form",
                Severity.INFO,
                hit.surface,
                wanted.text,
                hit.start,
                hit.end,
                f"{_quote(hit.surface)} is a short form of {_quote(wanted.text)} (after a first mention)",
                hit.concept_id,
            )


def _approved(hit: TermHit, lang: str) -> list[str]:
    seen: dict[str, None] = {}
    for term in hit.concept.terms_in(lang):
        if not term.status.is_bad:
            seen.setdefault(term.text, None)
    return list(seen)


_SHORTENED = {TermType.SHORT_FORM, TermType.ACRONYM, TermType.ABBREVIATION}

# Terms of different types are not inconsistent with each other: a document gives the full name
# once, then the short form or the acronym.
_GROUP = {
    TermType.FULL_FORM: "full",
    TermType.SHORT_FORM: "short",
    TermType.VARIANT: "short",
    TermType.ACRONYM: "abbr",
    TermType.ABBREVIATION: "abbr",
}


@dataclass(frozen=True)
class _Place:
    tuid: str
    version: Version
    hit: TermHit


@dataclass
class Consistency:
    """Collects, across the whole input, which approved term renders each concept, and reports
    at the end (``inconsistent-term`` needs everything seen before it can speak).

    Bilingual: the target terms used for the concepts of the source, per target language; and
    the reverse, one target term used for two different source concepts. Monolingual: the
    approved terms used for each concept in the text."""

    renderings: dict[tuple[str, str, str], dict[str, list[_Place]]] = field(default_factory=dict)
    reverse: dict[tuple[str, str], dict[str, _Place]] = field(default_factory=dict)

    def add(self, view: UnitView) -> None:
        source_concepts = (
            {hit.concept_id for hit in view.hits(view.source)} if view.source is not None else None
        )
        for target in view.targets:
            for hit in view.hits(target):
                if hit.status.is_bad:
                    continue
                if source_concepts is not None and hit.concept_id not in source_concepts:
                    continue
                group = _GROUP.get(hit.term.type, "full")
                key = (hit.concept_id, target.code, group)
                place = _Place(view.tuid, target, hit)
                self.renderings.setdefault(key, {}).setdefault(hit.term.text, []).append(place)
                if source_concepts is None:
                    continue
                # the target term also belongs to another concept the source has? (homonyms)
                concepts = self.reverse.setdefault((target.code, hit.term.text), {})
                if hit.concept_id not in concepts:
                    concepts[hit.concept_id] = place

    def findings(self) -> Iterator[Finding]:
        for (concept_id, _lang, _group), variants in self.renderings.items():
            if len(variants) < 2:
                continue
            ranked = sorted(variants.items(), key=lambda kv: -len(kv[1]))
            majority = ranked[0][0]
            counts = ", ".join(f"{_quote(text)} ×{len(places)}" for text, places in ranked)
            for text, places in ranked[1:]:
                for place in places:
                    yield Finding(
                        place.tuid,
                        place.version.text,
                        place.version.tag,
                        "inconsistent-term",
                        Severity.WARNING,
                        place.hit.surface,
                        majority,
                        place.hit.start,
                        place.hit.end,
                        f"{_quote(text)} and {_quote(majority)} both render this concept in the "
                        f"input ({counts}); use one",
                        concept_id,
                    )
        for (_lang, text), concepts in self.reverse.items():
            if len(concepts) < 2:
                continue
            names = ", ".join(sorted(concepts))
            for concept_id, place in list(concepts.items())[1:]:
                yield Finding(
                    place.tuid,
                    place.version.text,
                    place.version.tag,
                    "inconsistent-term",
                    Severity.WARNING,
                    place.hit.surface,
                    None,
                    place.hit.start,
                    place.hit.end,
                    f"{_quote(text)} renders two different source concepts in the input ({names})",
                    concept_id,
                )
