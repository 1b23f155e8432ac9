"""The concept-oriented model, as in TBX: a ``Concept`` holds per-language ``Term``s.

A concept is one thing in the world (the Republic of Korea); its terms are the names for it in
each language, each with a status. A deprecated or superseded term does not name its
replacement itself: the replacement is the concept's preferred term in the same language
(``Concept.preferred(lang)``), which is exactly how TBX links them, so the link can never dangle.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from uncore.errors import InputError, UsageError
from uncore.lang import primary_subtag, tag_code
from uncore.xmlchars import first_invalid


def lang_code(raw: str) -> str:
    """The primary language code a term is stored under: ``uncore.lang``'s code for languages
    untm knows (``zh-CN``, ``cmn`` → ``zh``), else the lower-cased primary subtag, because a
    termbase may carry languages (``zu``, ``pt``) untm has no other support for."""
    try:
        return tag_code(raw)
    except UsageError as error:
        raise InputError(str(error)) from None


class Status(StrEnum):
    """The four usage statuses UNTERM and TBX-Basic (administrativeStatus) share."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"

    @property
    def is_bad(self) -> bool:
        """True for the statuses a translator must replace."""
        return self in (Status.DEPRECATED, Status.SUPERSEDED)

    @classmethod
    def parse(cls, value: str, **where: object) -> Status:
        """Accept our names and the TBX ones (``preferredTerm-admn-sts``); raise ``InputError``
        naming the bad value and where it was (``path=``, ``line=``, ``element=``)."""
        key = (value or "").strip()
        key = _STATUS_ALIASES.get(key.lower(), key.lower())
        try:
            return cls(key)
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise InputError(f"unknown term status {value!r} (allowed: {allowed})", **where) from None  # type: ignore[arg-type]


_STATUS_ALIASES = {
    "preferredterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted",
    "deprecatedterm-admn-sts": "deprecated",
    "supersededterm-admn-sts": "superseded",
    "preferred term": "preferred",
    "admitted term": "admitted",
    "deprecated term": "deprecated",
    "superseded term": "superseded",
    "": "admitted",
}


class TermType(StrEnum):
    """TBX-Basic termType values (ISO 12620 names)."""

    FULL_FORM = "fullForm"
    SHORT_FORM = "shortForm"
    ACRONYM = "acronym"
    ABBREVIATION = "abbreviation"
    VARIANT = "variant"

    @classmethod
    def parse(cls, value: str, **where: object) -> TermType:
        key = (value or "").strip()
        if not key:
            return cls.FULL_FORM
        for member in cls:
            if member.value.lower() == key.lower() or member.name.lower() == key.lower():
                return member
        allowed = ", ".join(t.value for t in cls)
        raise InputError(f"unknown term type {value!r} (allowed: {allowed})", **where)  # type: ignore[arg-type]


# Which terms stand for each other across languages: a full name for a full name, a short form
# (or a variant) for a short form, an acronym or abbreviation for either of those.
REGISTER = {
    TermType.FULL_FORM: "full",
    TermType.SHORT_FORM: "short",
    TermType.VARIANT: "short",
    TermType.ACRONYM: "abbr",
    TermType.ABBREVIATION: "abbr",
}


# TBX-Basic partOfSpeech picklist (the DCA Schematron allows no other value, not even properNoun).
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")


@dataclass(frozen=True)
class Term:
    """One designation of a concept in one language.

    ``not_inside`` lists contexts in which a match of this term is not a use of it (美国 inside
    南美国家, США inside долл. США): the matcher treats them as longer competing matches. They are
    data, kept with the term, so no language needs special code.
    """

    lang: str
    text: str
    status: Status = Status.PREFERRED
    type: TermType = TermType.FULL_FORM
    pos: str | None = None
    context: str | None = None
    source: str | None = None
    note: str | None = None
    date: str | None = None
    not_inside: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A concept with its terms in every language it has."""

    id: str
    terms: tuple[Term, ...] = ()
    subject: str | None = None
    definition: str | None = None
    note: str | None = None
    source: str | None = None
    date: str | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in self.terms:
            seen.setdefault(term.lang, None)
        return tuple(seen)

    def terms_in(self, lang: str) -> tuple[Term, ...]:
        primary = primary_subtag(lang)
        return tuple(t for t in self.terms if primary_subtag(t.lang) == primary)

    def preferred(self, lang: str) -> Term | None:
        """The term to use in ``lang``: the first preferred one (short forms, the ones used in
        running text, come before full forms), else the first admitted one."""
        terms = self.terms_in(lang)
        for wanted in (Status.PREFERRED, Status.ADMITTED):
            ranked = sorted(
                (t for t in terms if t.status is wanted),
                key=lambda t: 0 if t.type is TermType.SHORT_FORM else 1,
            )
            if ranked:
                return ranked[0]
        return None

    def preferred_like(self, lang: str, term: Term) -> Term | None:
        """The term to use in ``lang`` in the register of ``term``: a full name for a full name,
        a short form for a short form, an acronym for an acronym (阿富汗伊斯兰共和国 for
        *Islamic Republic of Afghanistan*, 阿富汗 for *Afghanistan*); ``preferred`` when the
        concept has no approved term of that register in ``lang``."""
        register = REGISTER.get(term.type, "short")
        approved = [t for t in self.terms_in(lang) if not t.status.is_bad]
        for wanted in (Status.PREFERRED, Status.ADMITTED):
            for candidate in approved:
                if candidate.status is wanted and REGISTER.get(candidate.type, "short") == register:
                    return candidate
        return self.preferred(lang)

    def replacement(self, term: Term) -> Term | None:
        """What to use instead of ``term``: the preferred term in its language (None when the
        term is not deprecated or superseded, or the language has no preferred term)."""
        if not term.status.is_bad:
            return None
        return self.preferred(term.lang)

    def preferred_terms(self, like: Term | None = None) -> dict[str, Term]:
        """The preferred term in every language of the concept (in the register of ``like``)."""
        out: dict[str, Term] = {}
        for lang in self.languages:
            found = self.preferred(lang) if like is None else self.preferred_like(lang, like)
            if found is not None:
                out[lang] = found
        return out


@dataclass(frozen=True)
class TermbaseStats:
    concepts: int
    terms: int
    by_lang: tuple[tuple[str, int], ...] = field(default=())
    by_status: tuple[tuple[str, int], ...] = field(default=())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _trimmed(text: str | None) -> str | None:
    return (text.strip() or None) if text is not None else None


def storable_term(term: Term, concept_id: str) -> Term:
    """``term`` as the termbase keeps it: the term and its exceptions on one line, fields
    trimmed, empty fields absent. A character TBX (XML 1.0) cannot carry, or a ``|`` inside an
    exception (it separates them in tables), is an ``InputError`` naming the concept: refused,
    never dropped, so every export can be imported again."""

    fields = (term.text, term.pos, term.context, term.source, term.note, term.date, *term.not_inside)
    for value in fields:
        bad = first_invalid(value) if value else None
        if bad is not None:
            raise InputError(
                f"concept {concept_id}: the {term.lang} term {term.text!r} holds {bad}, a control "
                "character TBX (XML 1.0) cannot carry",
                element=concept_id,
            )
    contexts = tuple(_one_line(c) for c in term.not_inside if c.strip())
    if any("|" in c for c in contexts):
        raise InputError(
            f"concept {concept_id}: an exception context of {term.text!r} holds '|', which separates "
            "contexts in tables",
            element=concept_id,
        )
    return replace(
        term,
        text=_one_line(term.text),
        pos=_trimmed(term.pos),
        context=_trimmed(term.context),
        source=_trimmed(term.source),
        note=_trimmed(term.note),
        date=_trimmed(term.date),
        not_inside=contexts,
    )


def storable(concept: Concept) -> Concept:
    """``concept`` as the termbase keeps it (see ``storable_term``); the id is trimmed."""

    cid = concept.id.strip()
    for value in (cid, concept.subject, concept.definition, concept.note, concept.source, concept.date):
        bad = first_invalid(value) if value else None
        if bad is not None:
            raise InputError(
                f"concept {cid!r} holds {bad}, a control character TBX (XML 1.0) cannot carry", element=cid
            )
    return replace(
        concept,
        id=cid,
        terms=tuple(storable_term(term, cid) for term in concept.terms),
        subject=_trimmed(concept.subject),
        definition=_trimmed(concept.definition),
        note=_trimmed(concept.note),
        source=_trimmed(concept.source),
        date=_trimmed(concept.date),
    )
