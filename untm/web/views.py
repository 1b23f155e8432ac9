"""What the page shows, computed from the termbase, the memory and the QA checks.

Pure functions from (libraries, query) to frozen view models; Flask and Jinja only render them.
Every way a query can fail ends up as a ``Notice`` on the page, never an exception.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from termbase.lookup import lookup
from tmx.store import MAX_QUERY_CHARS, MemoryStore, lang_key
from tmx.units import TranslationUnit
from uncore.errors import UntmError
from uncore.lang import UN_LANGUAGES, language, script_matches

MAX_QA_CHARS = 20_000  # per text box: a few pages; more is a paste gone wrong
QUERY_SECONDS = 2.0  # a search or match taking longer is stopped: the server answers everyone
CONCORDANCE_LIMIT = 20
TERM_LIMIT = 8
MATCH_MIN_CHARS = 12  # queries this long are treated as segments and also get fuzzy matches
MATCH_MINIMUM = 60
MATCH_LIMIT = 5


@dataclass(frozen=True)
class Notice:
    """A message for the translator (a bad query, a missing database), shown where results go."""

    text: str
    level: str = "info"  # info | warning | error


@dataclass(frozen=True)
class TermView:
    lang: str
    text: str
    status: str


@dataclass(frozen=True)
class TermCard:
    """One concept the query matched: the matched term with its status, what to use instead when
    it is deprecated, and the approved term in every language side by side."""

    concept_id: str
    matched: TermView
    match: str  # exact | prefix | fuzzy
    use_instead: TermView | None
    approved: TermView | None  # the term Enter copies (in the wanted language)
    languages: tuple[tuple[str, tuple[TermView, ...]], ...]
    subject: str | None = None


@dataclass(frozen=True)
class ConcordanceRow:
    tu_id: int
    lang: str
    cells: tuple[tuple[str, Markup], ...]  # (lang, text with <mark>) matched language first


@dataclass(frozen=True)
class MatchRow:
    """A fuzzy match for a sentence-length query: its percentage and the unit's languages."""

    tu_id: int
    score: int
    context: bool
    cells: tuple[tuple[str, str], ...]  # (lang, text), the matched source language first


@dataclass(frozen=True)
class SearchView:
    query: str
    terms: tuple[TermCard, ...] = ()
    term_notice: Notice | None = None
    rows: tuple[ConcordanceRow, ...] = ()
    memory_notice: Notice | None = None
    memory_langs: tuple[str, ...] = ()
    matches: tuple[MatchRow, ...] = ()

    @property
    def approved(self) -> str | None:
        for card in self.terms:
            if card.approved is not None:
                return card.approved.text
        return None


@dataclass(frozen=True)
class FindingView:
    lang: str
    check: str
    severity: str
    message: str
    suggestion: str | None


@dataclass(frozen=True)
class QaView:
    source_lang: str = "ru"
    target_lang: str = "zh"
    source: str = ""
    target: str = ""
    findings: tuple[FindingView, ...] = ()
    marked: tuple[tuple[str, Markup], ...] = ()  # (lang, text with findings marked)
    notice: Notice | None = None
    ran: bool = False
    checks: tuple[str, ...] = field(default=())


def clean_query(raw: str | None) -> str:
    """The query without control characters (a pasted NUL or form feed is not a search)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in (raw or ""))
    return " ".join(text.split())


def mark_spans(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """``text`` HTML-escaped, with each (start, end) span wrapped in ``<mark>``."""
    out: list[Any] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.extend((escape(text[last:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _wanted_lang(to: str | None) -> str | None:
    if not to:
        return None
    try:
        return language(to).code
    except UntmError:
        return None


def search_terms(
    termbase: Any, query: str, to: str | None = None
) -> tuple[tuple[TermCard, ...], Notice | None]:
    """Term cards for ``query`` from the termbase (``termbase.lookup``)."""
    try:
        results = lookup(termbase, query, limit=TERM_LIMIT)
    except UntmError as error:
        return (), Notice(str(error), "warning")
    except sqlite3.Error as error:
        return (), Notice(f"the termbase could not be searched ({error})", "error")
    wanted = _wanted_lang(to)
    cards = []
    for result in results:
        concept, term = result.concept, result.term
        replacement = concept.replacement(term)
        approved = concept.preferred(wanted or term.lang) or replacement
        if approved is None and not term.status.is_bad:
            approved = term
        order = [lang for lang in UN_LANGUAGES if lang in concept.languages]
        order += [lang for lang in concept.languages if lang not in order]
        languages = tuple(
            (
                lang,
                tuple(
                    TermView(t.lang, t.text, t.status.value)
                    for t in sorted(concept.terms_in(lang), key=lambda t: t.status.is_bad)
                ),
            )
            for lang in order
        )
        cards.append(
            TermCard(
                concept_id=concept.id,
                matched=TermView(term.lang, term.text, term.status.value),
                match=result.match,
                use_instead=TermView(replacement.lang, replacement.text, replacement.status.value)
                if replacement
                else None,
                approved=TermView(approved.lang, approved.text, approved.status.value) if approved else None,
                languages=languages,
                subject=concept.subject,
            )
        )
    return tuple(cards), None


def search_memory(
    store: MemoryStore, query: str
) -> tuple[tuple[ConcordanceRow, ...], Notice | None, tuple[str, ...]]:
    """Concordance rows for ``query`` (every language written in its script)."""
    try:
        with store.time_limit(QUERY_SECONDS):
            hits = store.search(query, limit=CONCORDANCE_LIMIT)
        langs = tuple(store.languages())
    except UntmError as error:
        return (), Notice(str(error), "warning"), ()
    except sqlite3.Error as error:
        return (), Notice(f"the memory could not be searched ({error})", "error"), ()
    rows = []
    for hit in hits:
        cells = [(hit.lang, mark_spans(hit.text, hit.spans))]
        for variant in hit.unit.variants:
            if lang_key(variant.lang) != hit.lang:
                cells.append((lang_key(variant.lang), mark_spans(variant.text, ())))
        rows.append(ConcordanceRow(hit.tu_id, hit.lang, tuple(cells)))
    notice = None if rows else Notice(f"no segment in the memory contains “{_short(query)}”")
    return tuple(rows), notice, langs


def fuzzy_matches(store: MemoryStore, query: str, to: str | None = None) -> tuple[MatchRow, ...]:
    """For a sentence-length query (a pasted segment), the memory's fuzzy matches ≥ 60%, into
    ``to`` when given, else into the first other language of the memory."""
    if len(query) < MATCH_MIN_CHARS:
        return ()
    try:
        langs = store.languages()
        wanted = _wanted_lang(to)
        rows: list[MatchRow] = []
        for src in (lang for lang in langs if _written_in(lang, query)):
            others = [lang for lang in langs if lang != src]
            target = wanted if wanted in others else (others[0] if others else None)
            if target is None:
                continue
            with store.time_limit(QUERY_SECONDS):
                found = store.match(query, src, target, minimum=MATCH_MINIMUM, limit=MATCH_LIMIT)
            for m in found:
                cells = [(src, m.source)] + [
                    (lang_key(v.lang), v.text) for v in m.unit.variants if lang_key(v.lang) != src
                ]
                rows.append(MatchRow(m.tu_id, m.score, m.context, tuple(cells)))
    except (UntmError, sqlite3.Error):
        return ()  # the concordance above already reports what is wrong with the memory
    rows.sort(key=lambda r: (not r.context, -r.score, r.tu_id))
    return tuple(rows[:MATCH_LIMIT])


def _written_in(lang: str, text: str) -> bool:
    try:
        return script_matches(lang, text)
    except UntmError:
        return True


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def query_notice(query: str) -> Notice | None:
    if not query:
        return Notice("Type a term or a phrase in any language: 南朝鲜, Республика Корея, Security Council.")
    if len(query) > MAX_QUERY_CHARS:
        return Notice(
            f"The query is {len(query):,} characters long; search for at most "
            f"{MAX_QUERY_CHARS:,} (paste long texts into the QA pane).",
            "warning",
        )
    if not any(ch.isalnum() for ch in query):
        # punctuation alone (_, \, ((((((…) is in every segment: a full scan of the memory,
        # seconds on a large one, for nothing a translator wants; answered without searching
        return Notice("Type a word, a name or a number: punctuation alone is not searched.", "warning")
    return None


def run_qa(
    termbase: Any, memory: MemoryStore | None, source_lang: str, target_lang: str, source: str, target: str
) -> QaView:
    """QA findings for a pasted source and translation, or for a single text (in the target box)."""
    view = QaView(source_lang, target_lang, source, target, ran=True)
    for name, text in (("source", source), ("translation", target)):
        if len(text) > MAX_QA_CHARS:
            return _with(
                view,
                notice=Notice(
                    f"The {name} is {len(text):,} characters long; check at most {MAX_QA_CHARS:,} at a time.",
                    "warning",
                ),
            )
    if not source.strip() and not target.strip():
        return _with(view, notice=Notice("Paste a source and its translation, or a single text.", "warning"))
    try:
        src, tgt = language(source_lang).code, language(target_lang).code
    except UntmError as error:
        return _with(view, notice=Notice(str(error), "warning"))
    if src == tgt and source.strip() and target.strip():
        return _with(view, notice=Notice("Source and translation languages are the same.", "warning"))
    try:
        from qa import run_checks
    except ImportError:  # QA not installed in this build
        return _with(view, notice=Notice("QA checks are not available in this installation.", "error"))
    units, offsets = _qa_units(src, tgt, source, target)
    bilingual = bool(source.strip() and target.strip())
    try:
        findings = list(
            run_checks(
                units,
                termbase=termbase,
                memory=memory,
                source=src if bilingual else None,
                targets=[tgt] if bilingual else None,
            )
        )
    except UntmError as error:
        return _with(view, notice=Notice(str(error), "warning"))
    texts = {src: source, tgt: target}
    spans: dict[str, list[tuple[int, int]]] = {src: [], tgt: []}
    for f in findings:
        code = lang_key(f.lang)
        if f.start is not None and f.end is not None and code in spans:
            base = offsets.get((f.tuid, code), 0)
            spans[code].append((base + f.start, base + f.end))
    marked = tuple((lang, mark_spans(texts[lang], spans[lang])) for lang in (src, tgt) if texts[lang].strip())
    items = tuple(
        FindingView(lang_key(f.lang), f.check, f.severity.value, f.message, f.suggestion) for f in findings
    )
    notice = None if items else Notice("No problems found.", "ok")
    return _with(view, findings=items, marked=marked, notice=notice)


def _with(view: QaView, **changes: Any) -> QaView:
    from dataclasses import replace

    return replace(view, **changes)


def _qa_units(
    src: str, tgt: str, source: str, target: str
) -> tuple[list[TranslationUnit], dict[tuple[str, str], int]]:
    """One unit per line when source and translation have the same number of lines (a pasted
    column of segments), else one unit for the whole texts; with where each unit's text starts
    in the pasted text (to place the findings' spans)."""
    s_lines, t_lines = source.split("\n"), target.split("\n")
    if source.strip() and target.strip() and len(s_lines) == len(t_lines) > 1:
        pairs = list(zip(s_lines, t_lines, strict=True))
    else:
        pairs = [(source, target)]
    units: list[TranslationUnit] = []
    offsets: dict[tuple[str, str], int] = {}
    position = {src: 0, tgt: 0}
    for i, (s, t) in enumerate(pairs, 1):
        if s.strip() or t.strip():
            units.append(TranslationUnit.from_texts({src: s, tgt: t}, tuid=str(i)))
            offsets[(str(i), src)], offsets[(str(i), tgt)] = position[src], position[tgt]
        position[src] += len(s) + 1
        position[tgt] += len(t) + 1
    return units, offsets
