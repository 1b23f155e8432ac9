"""What the page shows, computed from the termbase, the memory and the QA checks.

Pure functions from (libraries, query) to frozen view models; Flask and Jinja only render them.
Every way a query can fail ends up as a ``Notice`` on the page, never an exception.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from markupsafe import Markup, escape

from termbase.lookup import lookup
from tmx.store import MAX_QUERY_CHARS, MemoryStore, lang_key
from tmx.units import TranslationUnit
from uncore.errors import UntmError
from uncore.lang import UN_LANGUAGES, data_language, language, script_matches

_View = TypeVar("_View", "QaView", "TermForm")
MAX_QA_CHARS = 20_000  # per text box: a few pages; more is a paste gone wrong
QUERY_SECONDS = 2.0  # a search or match taking longer is stopped: the server answers everyone
CONCORDANCE_LIMIT = 20
SPOT_HITS = 30  # hits the renderings are spotted and counted over (20 are shown)
SPOT_WORD_HITS = 30  # units per word of a rare query, for its words' renderings
RENDERINGS_SHOWN = 4  # per language in the summary
SCAN_MIN_CHARS = 12  # a query this long with a space or punctuation (a pasted sentence) is scanned for terms
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
class Cell:
    """One language of a memory unit: its text (to copy), the text with the query or its
    rendering marked, and the rendering it uses (to filter by)."""

    lang: str
    text: str
    marked: Markup
    rendering: str = ""


@dataclass(frozen=True)
class ConcordanceRow:
    tu_id: int
    lang: str
    cells: tuple[Cell, ...]  # the matched language first


@dataclass(frozen=True)
class RenderingView:
    """ "可持续发展 (41)" in the summary above the concordance; ``value`` filters the hits."""

    lang: str
    text: str
    count: int
    inflected: bool
    value: str  # "lang:key", the ?r= of the link that shows only the hits using it
    selected: bool = False


@dataclass(frozen=True)
class MatchRow:
    """A fuzzy match for a sentence-length query: its percentage, what differs from the query
    (the match's source with words the query lacks in <ins>, query words it lacks in <del>),
    and the unit's languages."""

    tu_id: int
    score: int
    context: bool
    cells: tuple[Cell, ...]  # the matched source language first; its ``marked`` is the diff


@dataclass(frozen=True)
class ScannedTerm:
    """A term found in pasted text: where, its status, what to write instead or in ``to``."""

    lang: str
    surface: str
    status: str
    concept_id: str
    instead: str | None
    renderings: tuple[tuple[str, str], ...]  # (lang, approved term) in the other languages


@dataclass(frozen=True)
class TextScan:
    """Pasted text (a sentence or more) with every known term marked."""

    lang: str
    marked: Markup
    terms: tuple[ScannedTerm, ...]


@dataclass(frozen=True)
class SearchView:
    query: str
    terms: tuple[TermCard, ...] = ()
    term_notice: Notice | None = None
    rows: tuple[ConcordanceRow, ...] = ()
    memory_notice: Notice | None = None
    memory_langs: tuple[str, ...] = ()
    matches: tuple[MatchRow, ...] = ()
    renderings: tuple[tuple[str, tuple[RenderingView, ...]], ...] = ()
    shown_of: int = 0  # hits the rows come from (the renderings count over these)
    rendering_filter: str = ""
    scan: TextScan | None = None
    spotting_pending: bool = False  # the hits are shown; their renderings come with spot=1

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


@dataclass(frozen=True)
class TermForm:
    """The "add a term" pane: what was typed (kept when it is refused) and why it was refused."""

    concept: str = ""
    lang: str = "zh"
    text: str = ""
    status: str = "preferred"
    source: str = ""
    notice: Notice | None = None


MAX_TERM_CHARS = 200  # a term, not a paragraph
MAX_CONCEPT_CHARS = 100
TERM_STATUSES = ("preferred", "admitted", "deprecated", "superseded")


def add_term(termbase: Any, form: TermForm) -> TermForm:
    """Add ``form``'s term to its concept (created when new), the same as ``untm term add``;
    the form back with a notice saying what is wrong when the term is refused (nothing is
    written then), or without one when it was added."""
    from termbase.model import Status, Term

    concept, text, source = clean_query(form.concept), clean_query(form.text), clean_query(form.source)
    refused = None
    if not concept or len(concept) > MAX_CONCEPT_CHARS or " " in concept:
        refused = f"A concept id is one word of at most {MAX_CONCEPT_CHARS} characters (e.g. country-KOR)."
    elif not text or len(text) > MAX_TERM_CHARS:
        refused = f"Type the term (at most {MAX_TERM_CHARS} characters)."
    elif form.status not in TERM_STATUSES:
        refused = f"Unknown status {form.status!r}: one of {', '.join(TERM_STATUSES)}."
    if refused is not None:
        return _with(form, notice=Notice(refused, "warning"))
    try:
        lang = language(form.lang).code
        termbase.add_term(concept, Term(lang, text, Status(form.status), source=source or None))
    except UntmError as error:
        return _with(form, notice=Notice(str(error), "warning"))
    except sqlite3.Error as error:
        return _with(form, notice=Notice(f"the termbase could not be changed ({error})", "error"))
    return TermForm(concept, lang, text, form.status, source)


def clean_query(raw: str | None) -> str:
    """The query without control characters (a pasted NUL or form feed is not a search)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in (raw or ""))
    return " ".join(text.split())


_MARK, _UNMARK, _JOINED = Markup("<mark>"), Markup("</mark>"), Markup("")


def mark_spans(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """``text`` HTML-escaped, with each (start, end) span wrapped in ``<mark>``."""
    if not spans:  # (most cells of a page)
        return escape(text)
    out: list[Any] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.extend((escape(text[last:start]), _MARK, escape(text[start:end]), _UNMARK))
        last = end
    out.append(escape(text[last:]))
    return _JOINED.join(out)


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


Spotter = Callable[[str, str, list[dict[str, str]]], Any]
"""(query, the hits' language, each hit's {lang: text}) → ``untm.spotting.Spotting`` or None:
in the server process (``local_spotter``) or in the server's spotting lane (``untm.web.lane``)."""


@dataclass(frozen=True)
class MemoryHits:
    """What a concordance search found (``tmx.store`` hits, at most ``SPOT_HITS``) in a memory
    of the languages ``langs``: kept by the server between the page's two requests, so that the
    renderings request spots these hits without searching again."""

    hits: tuple[Any, ...]
    langs: tuple[str, ...]


def find_hits(store: MemoryStore, query: str) -> MemoryHits | Notice:
    """The concordance hits for ``query``, or the notice saying why there are none."""
    try:
        with store.time_limit(QUERY_SECONDS):
            hits = store.search(query, limit=SPOT_HITS)
        langs = tuple(store.languages())
    except UntmError as error:
        return Notice(str(error), "warning")
    except sqlite3.Error as error:
        return Notice(f"the memory could not be searched ({error})", "error")
    return MemoryHits(tuple(hits), langs)


def search_memory(
    store: MemoryStore,
    query: str,
    *,
    spotter: Spotter | None = None,
    rendering: str = "",
    found: MemoryHits | Notice | None = None,
) -> tuple[tuple[ConcordanceRow, ...], Notice | None, tuple[str, ...], tuple[Any, ...], int]:
    """Concordance rows for ``query`` (every language written in its script), the rendering
    of the query marked in each other language (``untm.spotting``, by ``spotter``; None: not
    spotted), and the summary of those renderings. ``rendering`` ("lang:key") keeps only the
    hits that use it. ``found``: what ``find_hits`` gave for this query (then not searched
    again)."""
    if found is None:
        found = find_hits(store, query)
    if isinstance(found, Notice):
        return (), found, (), (), 0
    hits, langs = found.hits, found.langs
    texts = [{lang_key(v.lang): v.text for v in hit.unit.variants} for hit in hits]
    spotted = _spot(hits, texts, query, spotter)
    wanted_lang, _, wanted_key = rendering.partition(":")
    rows = []
    for index, hit in enumerate(hits):
        if wanted_key and spotted is not None and spotted.keys.get((index, wanted_lang)) != wanted_key:
            continue
        cells = [Cell(hit.lang, hit.text, mark_spans(hit.text, hit.spans))]
        for variant in hit.unit.variants:
            code = lang_key(variant.lang)
            if code == hit.lang:
                continue
            spans = spotted.spans.get((index, code), ()) if spotted is not None else ()
            key = spotted.keys.get((index, code), "") if spotted is not None else ""
            cells.append(
                Cell(code, variant.text, mark_spans(variant.text, spans), f"{code}:{key}" if key else "")
            )
        rows.append(ConcordanceRow(hit.tu_id, hit.lang, tuple(cells)))
        if len(rows) >= CONCORDANCE_LIMIT:
            break
    summary: list[tuple[str, tuple[RenderingView, ...]]] = []
    if spotted is not None:
        for lang in (code for code in UN_LANGUAGES if code in spotted.renderings):
            views = tuple(
                RenderingView(
                    lang, r.text, r.count, r.inflected, f"{lang}:{r.key}", f"{lang}:{r.key}" == rendering
                )
                for r in spotted.renderings[lang][:RENDERINGS_SHOWN]
            )
            if views:
                summary.append((lang, views))
    notice = None if rows else Notice(f"no segment in the memory contains “{_short(query)}”")
    return tuple(rows), notice, langs, tuple(summary), len(hits)


def _spot(hits: Sequence[Any], texts: list[dict[str, str]], query: str, spotter: Spotter | None) -> Any:
    """The spotting of ``query`` over the hits found in one language (the commonest), or None."""
    if not hits or spotter is None:
        return None
    from collections import Counter

    from untm.spotting import Spotting

    query_lang = Counter(hit.lang for hit in hits).most_common(1)[0][0]
    same = [i for i, hit in enumerate(hits) if hit.lang == query_lang]
    result = spotter(query, query_lang, [texts[i] for i in same])
    if result is None:
        return None  # the concordance itself is still shown
    # back to the numbering of all hits
    return Spotting(
        spans={(same[i], lang): v for (i, lang), v in result.spans.items()},
        renderings=result.renderings,
        keys={(same[i], lang): v for (i, lang), v in result.keys.items()},
    )


def local_spotter(store: MemoryStore, background: Any, terms: Any) -> Spotter:
    """Spotting in this process, over ``store`` (whose units also give the query's words their
    renderings), ``background`` (``untm.spotting.Background``) and the term finder ``terms``."""
    from untm.spotting import spot

    def spotter(query: str, query_lang: str, texts: list[dict[str, str]]) -> Any:
        searched: dict[str, list[dict[str, str]]] = {}  # a word's units, once for every language

        def word_hits(word: str) -> list[dict[str, str]]:
            if word not in searched:
                with store.time_limit(QUERY_SECONDS):
                    found = store.search(word, lang=query_lang, limit=SPOT_WORD_HITS)
                searched[word] = [{lang_key(v.lang): v.text for v in h.unit.variants} for h in found]
            return searched[word]

        try:
            return spot(query, query_lang, texts, background, terms=terms, word_hits=word_hits)
        except (UntmError, sqlite3.Error):
            return None

    return spotter


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
                cells = [Cell(src, m.source, diff_marked(query, m.source, src))] + [
                    Cell(lang_key(v.lang), v.text, mark_spans(v.text, ()))
                    for v in m.unit.variants
                    if lang_key(v.lang) != src
                ]
                rows.append(MatchRow(m.tu_id, m.score, m.context, tuple(cells)))
    except (UntmError, sqlite3.Error):
        return ()  # the concordance above already reports what is wrong with the memory
    rows.sort(key=lambda r: (not r.context, -r.score, r.tu_id))
    return tuple(rows[:MATCH_LIMIT])


def diff_marked(query: str, match: str, lang: str) -> Markup:
    """``match`` with what differs from ``query`` marked: its words the query lacks in
    ``<ins>``, the query's words it lacks in ``<del>`` where they would be (words for spaced
    languages, characters for Chinese)."""
    from difflib import SequenceMatcher

    def pieces(text: str) -> list[str]:
        if not data_language(lang).joins_words:
            return list(text)
        return re.findall(r"\w+|[^\w\s]|\s+", text)

    a, b = pieces(query), pieces(match)
    out: list[Any] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(b[j1:j2])))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if removed.strip():
            out.append(Markup("<del>") + escape(removed) + Markup("</del>"))
        if added.strip():
            out.append(Markup("<ins>") + escape(added) + Markup("</ins>"))
        elif added:
            out.append(escape(added))
    return Markup("").join(out)


def _written_in(lang: str, text: str) -> bool:
    try:
        return script_matches(lang, text)
    except UntmError:
        return True


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def scan_text(termbase: Any, query: str, to: str | None = None) -> TextScan | None:
    """For pasted text (a sentence or more), every known term in it, marked by status, with its
    approved renderings and, for a deprecated one, the replacement — what ``untm qa`` reports."""
    if len(query) < SCAN_MIN_CHARS or not re.search(r"\s|[。，；：！？,.;:!?]", query):
        return None
    from termbase.lookup import terms_in_text

    try:
        hits = terms_in_text(termbase, query)
    except (UntmError, sqlite3.Error):
        return None
    if not hits:
        return None
    wanted = _wanted_lang(to)
    kept, last = [], -1
    for hit in hits:  # longest first at each start (terms_in_text's order); no overlaps
        if hit.start >= last:
            kept.append(hit)
            last = hit.end
    terms = []
    out: list[Any] = []
    position = 0
    for hit in kept:
        status = getattr(hit.status, "value", str(hit.status))
        replacement = hit.replacement
        order = [wanted] if wanted else []
        order += [lang for lang in UN_LANGUAGES if lang not in order and lang != hit.term.lang]
        renderings = tuple(
            (lang, term.text)
            for lang in order
            if (term := hit.preferred(lang)) is not None and lang != hit.term.lang
        )
        terms.append(
            ScannedTerm(
                hit.term.lang,
                hit.surface,
                status,
                hit.concept_id,
                replacement.text
                if replacement is not None and status in ("deprecated", "superseded")
                else None,
                renderings,
            )
        )
        out.append(escape(query[position : hit.start]))
        out.append(
            Markup(f'<mark class="term {escape(status)}">')
            + escape(query[hit.start : hit.end])
            + Markup("</mark>")
        )
        position = hit.end
    out.append(escape(query[position:]))
    return TextScan(kept[0].term.lang, Markup("").join(out), tuple(terms))


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


def _with(view: _View, **changes: Any) -> _View:
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
