"""The Flask application: routes, per-thread resources, and error pages that are never bare.

The termbase and the memory are opened lazily, once per server thread, read-only for the
memory; a memory that does not exist yet is a notice on the page (and is picked up as soon as
``untm tm import`` creates it), not a failed start.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from flask import Flask, g, make_response, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from termbase.store import is_url, open_termbase
from tmx.store import MemoryStore, default_path, lang_key, open_memory
from uncore.errors import UntmError
from untm.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    REALM,
    Access,
    basic_auth_user,
    csrf_cookie_name,
    csrf_key,
    csrf_token,
    csrf_valid,
    is_safe,
    new_nonce,
    same_origin,
    writes,
)
from untm.web.views import (
    MAX_QA_CHARS,
    TERM_STATUSES,
    UN_LANGUAGES,
    MemoryHits,
    Notice,
    QaView,
    SearchView,
    TermForm,
    add_term,
    clean_query,
    find_hits,
    fuzzy_matches,
    local_spotter,
    query_notice,
    run_qa,
    scan_text,
    search_memory,
    search_terms,
)

CACHED_ANSWERS = 2000  # answers to recent queries kept (each a few KB)
CACHED_HITS = 200  # the hits of the latest searches, for their renderings request (~100 KB each)
BACKGROUND_UNITS = 1000  # memory units sampled as the "memory at large" for spotting
MAX_REQUEST_BYTES = 8 * MAX_QA_CHARS  # two text boxes of UTF-8 (≤ 4 bytes a character) and change
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
log = logging.getLogger(__name__)


class Resources:
    """The termbase and memory of one server thread (SQLite connections are per thread)."""

    def __init__(self, tm_path: str | Path | None, termbase_path: str | Path | None) -> None:
        self.tm_path = tm_path or default_path()  # a SQLite file or a postgresql:// URL
        self.termbase_path = termbase_path
        self._local = threading.local()
        self._background: tuple[tuple[str, int], Any] | None = None
        self._background_lock = threading.Lock()
        self.lane: Any = None  # untm.web.lane.SpotLane of this server process, when started

    def forget_connections(self) -> None:
        """In a forked process: open connections of its own rather than share the parent's."""
        self._local = threading.local()

    def start_lane(self, close_fds: tuple[int, ...] = ()) -> None:
        """Spot renderings in a niced child process from now on (``untm.web.lane``)."""
        from untm.web.lane import SpotLane

        self.lane = SpotLane(self, close_fds)

    def spotter(self, store: MemoryStore, termbase: Any) -> Any:
        """How this request spots renderings: in the lane, or (no lane, or it failed) here."""
        lane = self.lane

        def run(query: str, query_lang: str, texts: list[dict[str, str]]) -> Any:
            if lane is not None:
                try:
                    return lane.spot(query, query_lang, texts)
                except Exception:  # a broken or stuck lane must not cost the page its renderings
                    pass
            here = local_spotter(store, self.background(store), self.term_finder(termbase))
            return here(query, query_lang, texts)

        return run

    def memory(self) -> tuple[MemoryStore | None, Notice | None]:
        store = getattr(self._local, "memory", None)
        if store is not None:
            return store, None
        try:
            store = open_memory(self.tm_path, readonly=True)
        except UntmError as error:
            return None, Notice(f"Translation memory unavailable — {error}", "warning")
        self._local.memory = store
        return store, None

    def background(self, store: MemoryStore) -> Any:
        """The memory's background sample for translation spotting (``untm.spotting``), built
        once per memory revision and shared by the server's threads."""
        revision = (str(self.tm_path), store.revision())
        with self._background_lock:
            if self._background is not None and self._background[0] == revision:
                return self._background[1]
        from untm.spotting import Background

        samples: dict[str, list[str]] = {}
        for unit in store.sample_units(BACKGROUND_UNITS):
            for variant in unit.variants:
                samples.setdefault(lang_key(variant.lang), []).append(variant.text)
        built = Background(samples)
        with self._background_lock:
            self._background = (revision, built)
        return built

    def warm(self) -> None:
        """Load what the first search would otherwise wait for (the memory's background sample,
        jieba, pymorphy3, CC-CEDICT, the termbase's term finder), before ``untm serve`` forks its
        workers, which inherit it."""
        base = None if str(self.termbase_path) == ":memory:" else self._open_termbase()[0]
        if base is not None:
            try:
                self.term_finder(base)  # (kept by termbase file and revision, for every handle)
            finally:
                base.close()
        try:
            store = open_memory(self.tm_path, readonly=True)
        except UntmError:
            return  # no memory yet: built on the first search after an import
        try:
            self.background(store)
        finally:
            store.close()
        from aligner.scorers.lexical import cedict_keys

        cedict_keys("联合国")

    def term_finder(self, termbase: Any) -> Any:
        if termbase is None:
            return None
        from termbase.lookup import term_finder

        return term_finder(termbase, tuple(UN_LANGUAGES))

    def termbase(self) -> tuple[Any, Notice | None]:
        base = getattr(self._local, "termbase", None)
        if base is not None:
            return base, None
        base, notice = self._open_termbase()
        if base is not None:
            self._local.termbase = base
        return base, notice

    def _open_termbase(self) -> tuple[Any, Notice | None]:
        path = self.termbase_path
        if path is not None and str(path) != ":memory:" and not is_url(path) and not Path(path).is_file():
            return None, Notice(
                f"Termbase unavailable — {path}: no such file "
                "(omit --termbase to use the bundled UN termbase)",
                "warning",
            )
        try:
            base = open_termbase(path)
        except UntmError as error:
            return None, Notice(f"Termbase unavailable — {error}", "warning")
        return base, None


_V = TypeVar("_V")


class _Recent(Generic[_V]):
    """The latest ``size`` entries, the least recently used dropped first, shared by the
    server's threads (the answers to recent queries, the hits of recent searches)."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[tuple[Any, ...], _V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> _V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: _V) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def create_app(
    tm_path: str | Path | None = None,
    termbase_path: str | Path | None = None,
    access: Access | None = None,
) -> Flask:
    """The application for a memory (``None``: ``$UNTM_TM`` or the default) and a termbase
    (``None``: ``$UNTM_TERMBASE`` or the default, seeded with the bundled UN termbase).
    ``access`` says who may change the termbase (``untm.web.auth``; default: anyone who can
    reach the page, as on 127.0.0.1), and every POST needs the page's CSRF token."""
    access = access or Access()
    key = csrf_key(access)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config["UNTM_CACHE"] = os.environ.get("UNTM_WEB_CACHE", "1") != "0"  # 0: measure without it
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    resources = Resources(tm_path or None, termbase_path)
    app.extensions["untm"] = resources

    answers: _Recent[SearchView] = _Recent(CACHED_ANSWERS)
    # the page asks for a query's renderings right after its hits: the second request spots
    # the hits the first one found instead of searching again (per memory revision)
    recent_hits: _Recent[MemoryHits] = _Recent(CACHED_HITS)

    def memory_hits(store: MemoryStore, query: str) -> MemoryHits | Notice:
        key = (query, store.revision())
        found = recent_hits.get(key)
        if found is not None:
            return found
        searched = find_hits(store, query)
        if isinstance(searched, MemoryHits):
            recent_hits.put(key, searched)
        return searched

    def search(query: str, to: str | None, rendering: str = "", spot: bool = True) -> SearchView:
        """The answer to a query, from the cache while neither the memory nor the termbase has
        changed: a team asks for the same names again and again, and a repeated query then
        costs two tiny SQL queries instead of a search."""
        if not app.config.get("UNTM_CACHE", True):
            return fresh(query, to, rendering, spot)
        termbase, _ = resources.termbase()
        store, _ = resources.memory()
        key = (
            query,
            to,
            rendering,
            spot,
            termbase.revision if termbase is not None else None,
            store.revision() if store is not None else None,
        )
        found = answers.get(key)
        if found is not None:
            return found
        view = fresh(query, to, rendering, spot)
        answers.put(key, view)
        return view

    def fresh(query: str, to: str | None, rendering: str = "", spot: bool = True) -> SearchView:
        notice = query_notice(query)
        if notice is not None:
            return SearchView(query, term_notice=notice)
        if spot or rendering:
            # the page asked for the hits first: their terms and matches are answered already
            return spotted(search(query, to, "", False), to, rendering)
        termbase, term_notice = resources.termbase()
        terms: tuple[Any, ...] = ()
        scan = None
        if termbase is not None:
            terms, term_notice = search_terms(termbase, query, to)
            scan = scan_text(termbase, query, to)
        store, memory_notice = resources.memory()
        rows: tuple[Any, ...] = ()
        langs: tuple[str, ...] = ()
        matches: tuple[Any, ...] = ()
        summary: tuple[Any, ...] = ()
        shown_of = 0
        if store is not None:
            rows, memory_notice, langs, summary, shown_of = search_memory(
                store, query, found=memory_hits(store, query)
            )
            matches = fuzzy_matches(store, query, to)
        return SearchView(
            query,
            terms,
            term_notice,
            rows,
            memory_notice,
            langs,
            matches,
            summary,
            shown_of,
            rendering,
            scan,
            spotting_pending=bool(rows),
        )

    def spotted(hits: SearchView, to: str | None, rendering: str) -> SearchView:
        """``hits`` (the answer without renderings) with the concordance's renderings spotted
        and, with ``rendering``, only the hits that use it."""
        store, _ = resources.memory()
        if store is None or not hits.spotting_pending:
            return hits
        termbase, _ = resources.termbase()
        rows, memory_notice, langs, summary, shown_of = search_memory(
            store,
            hits.query,
            spotter=resources.spotter(store, termbase),
            rendering=rendering,
            found=memory_hits(store, hits.query),
        )
        return replace(
            hits,
            rows=rows,
            memory_notice=memory_notice,
            memory_langs=langs,
            renderings=summary,
            shown_of=shown_of,
            rendering_filter=rendering,
            spotting_pending=False,
        )

    def page(
        view: SearchView, qa: QaView, status: int = 200, term_form: TermForm | None = None
    ) -> tuple[str, int]:
        return render_template(
            "index.html",
            view=view,
            qa=qa,
            languages=UN_LANGUAGES,
            to=request.args.get("to", ""),
            term_form=term_form
            or TermForm(
                concept=view.terms[0].concept_id if view.terms else "", lang=request.args.get("to") or "zh"
            ),
        ), status

    # -- changes: who may make them, and proof that this server's page sent them ----------------
    def csrf_field_value() -> str:
        """The CSRF token for the forms of this page (the nonce cookie is set with the page)."""
        nonce = g.get("csrf_nonce")
        if nonce is None:
            cookie = request.cookies.get(csrf_cookie_name(request.host), "")
            nonce = cookie if 20 <= len(cookie) <= 100 else new_nonce()
            g.csrf_nonce = nonce
            g.csrf_new = nonce != cookie
        return csrf_token(key, nonce)

    @app.context_processor
    def page_access() -> dict[str, Any]:
        return {"csrf_token": csrf_field_value, "csrf_field": CSRF_FIELD, "access": access}

    def refuse(status: int, text: str, headers: dict[str, str] | None = None) -> Any:
        response = make_response(_error_page(Notice(text, "warning"), status))
        response.headers.update(headers or {})
        return response

    @app.before_request
    def check_change() -> Any:
        """Every request but GET/HEAD/OPTIONS: from this server's pages (Origin), by someone
        allowed to change data when the route does (basic auth with --auth), with the page's
        CSRF token. Nothing runs, nothing changes, when one of them fails."""
        if is_safe(request.method):
            return None
        if not same_origin(request.headers.get("Origin"), request.headers.get("Referer"), request.host):
            return refuse(403, "This request was sent by another site and was refused.")
        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "untm_writes", False):
            if not access.writes:
                return refuse(
                    403,
                    "This server is read-only: changes need it started with --auth "
                    "(see “Authentication for a team” in docs/web.md).",
                )
            if access.secret is not None:
                user = basic_auth_user(request.headers.get("Authorization"), access.secret)
                if user is None:
                    return refuse(
                        401,
                        "Changing the termbase needs the team's password (untm serve --auth).",
                        {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'},
                    )
                g.untm_user = user
        nonce = request.cookies.get(csrf_cookie_name(request.host))
        submitted = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
        if not csrf_valid(key, nonce, submitted):
            return refuse(
                403,
                "This form is out of date or was not sent by this page (missing CSRF token): "
                "reload the page and send it again.",
            )
        return None

    @app.get("/")
    def index() -> tuple[str, int]:
        query = clean_query(request.args.get("q"))
        return page(search(query, request.args.get("to"), clean_query(request.args.get("r"))), QaView())

    @app.get("/search")
    def search_fragment() -> tuple[str, int]:
        query = clean_query(request.args.get("q"))
        # as you type, the hits come first and their renderings in a second request (spot=1),
        # so spotting never holds up the concordance
        spot = request.args.get("spot") == "1"
        view = search(query, request.args.get("to"), clean_query(request.args.get("r")), spot)
        return render_template("_results.html", view=view), 200

    @app.post("/qa")
    def qa() -> tuple[str, int]:
        form = request.form
        termbase, _ = resources.termbase()
        store, _ = resources.memory()
        view = run_qa(
            termbase,
            store,
            form.get("source_lang", "ru"),
            form.get("target_lang", "zh"),
            form.get("source", ""),
            form.get("target", ""),
        )
        if request.headers.get("X-Untm-Partial"):
            return render_template("_qa.html", qa=view, languages=UN_LANGUAGES), 200
        query = clean_query(form.get("q"))
        return page(search(query, None) if query else SearchView(""), view)

    @app.post("/term")
    @writes
    def term_add() -> Any:
        form = request.form
        wanted = TermForm(
            form.get("concept", ""),
            form.get("lang", ""),
            form.get("text", ""),
            form.get("status", TERM_STATUSES[0]),
            form.get("source", ""),
        )
        termbase, notice = resources.termbase()
        if termbase is None:
            return page(SearchView(""), QaView(), 503, replace(wanted, notice=notice))
        done = add_term(termbase, wanted)
        if done.notice is not None:
            return page(SearchView(clean_query(wanted.text)), QaView(), 400, done)
        log.info(
            "term %r (%s) added to %s by %s", done.text, done.lang, done.concept, g.get("untm_user", "-")
        )
        # POST/redirect/GET: the page of the new term, which a reload does not add again
        return redirect(url_for("index", q=done.text), 303)

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" with
        # the page's own POSTs, and the Origin check needs the real one; other sites still get
        # no Referer (no query leaves the page)
        response.headers["Referrer-Policy"] = "same-origin"
        if g.get("csrf_new"):
            response.set_cookie(
                csrf_cookie_name(request.host),
                g.csrf_nonce,
                httponly=True,
                samesite="Strict",
                secure=request.is_secure,
                path="/",
            )
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_: Exception) -> tuple[str, int]:
        notice = Notice(
            f"That paste is too large: check at most {MAX_QA_CHARS:,} characters at a time.", "warning"
        )
        return _error_page(notice, 413)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return _error_page(
            Notice(f"{error.code} {error.name}: {error.description}", "warning"), error.code or 400
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unexpected error")
        return _error_page(
            Notice(
                f"Something went wrong on this page ({type(error).__name__}: "
                f"{error}). The search box still works.",
                "error",
            ),
            500,
        )

    def _error_page(notice: Notice, status: int) -> tuple[str, int]:
        if request.headers.get("X-Untm-Partial"):
            return render_template("_notice.html", notice=notice), status
        return render_template(
            "index.html",
            view=SearchView("", term_notice=notice),
            qa=QaView(),
            languages=UN_LANGUAGES,
            to="",
            term_form=TermForm(),
        ), status

    return app
