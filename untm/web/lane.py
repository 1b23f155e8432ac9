"""The spotting lane: the page's renderings computed in a process of their own, at a lower CPU
priority than the look-ups.

A query costs the server two requests: the hits (terms, concordance, fuzzy matches: ~10–20 ms
of CPU) and then their renderings (translation spotting: ~13 ms median, ~18 ms mean, ~37 ms at
the 95th percentile, more for a rare query whose words are spotted one by one). In one Python
process the two kinds share one interpreter lock, so under load a look-up waits behind other
people's renderings. Each server process therefore hands its spotting to its lane: child
processes (``LANE_WORKERS``) forked from it once the resources are warm (sharing jieba,
pymorphy3, CC-CEDICT, the term finder and the background sample copy-on-write), niced, so that
the kernel runs look-ups first and renderings with what is left; with more than one, a rare
query's long spotting does not hold up the renderings of the queries behind it. A request
waiting for its renderings holds no lock meanwhile. When the lane is missing or broken the
renderings are computed in the request's own thread, as before.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from untm.web.collector import settle

LANE_WORKERS = 1  # processes in each server's lane (UNTM_WEB_LANE_WORKERS overrides it)
LANE_NICENESS = 10  # a CPU share of about 1/10 against a look-up (CFS weights 110 : 1024)
LANE_WAIT_SECONDS = 60.0  # renderings not back by then are left out (the hits are on screen)

_resources: Any = None  # the lane process's own Resources (connections of its own)


def lane_workers() -> int:
    """The processes a server's lane has: ``UNTM_WEB_LANE_WORKERS``, else ``LANE_WORKERS``."""
    try:
        return max(1, int(os.environ.get("UNTM_WEB_LANE_WORKERS", LANE_WORKERS)))
    except ValueError:
        return LANE_WORKERS


class SpotLane:
    """Niced child processes (``workers``, default ``lane_workers()``) that spot renderings for
    their server process; a request goes to the next free one, so a rare query's long spotting
    does not hold up the renderings of the queries behind it."""

    def __init__(self, resources: Any, close_fds: Iterable[int] = (), workers: int | None = None) -> None:
        # forked now, before the server's threads start: nothing is locked at fork time (with
        # "fork", the pool starts all its processes at its first task)
        self.workers = workers or lane_workers()
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start,
            initargs=(resources, os.getpid(), tuple(close_fds)),
        )
        self._pool.submit(os.getpid).result(timeout=60)

    def spot(self, query: str, query_lang: str, texts: list[dict[str, str]]) -> Any:
        """``untm.spotting.Spotting`` for the hits ``texts`` (or None: nothing to spot); raises
        when the lane is broken or stuck (the caller then spots in its own thread)."""
        return self._pool.submit(_spot, query, query_lang, texts).result(timeout=LANE_WAIT_SECONDS)


def _start(resources: Any, parent: int, close_fds: tuple[int, ...]) -> None:
    global _resources
    os.nice(LANE_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for fd in close_fds:  # the listening socket: only the server answers on it
        with contextlib.suppress(OSError):
            os.close(fd)
    resources.forget_connections()
    _resources = resources
    # what the server loaded before forking (jieba, pymorphy3, CC-CEDICT, the background) is
    # kept for good: out of the collector's way, its full collections scan only what spotting
    # makes (and they no longer write to, and so copy, the pages shared with the server)
    settle()

    def watch() -> None:  # the server process was killed: end too
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _spot(query: str, query_lang: str, texts: list[dict[str, str]]) -> Any:
    from untm.web.views import local_spotter

    store, _ = _resources.memory()
    if store is None:
        return None
    termbase, _ = _resources.termbase()
    spotter = local_spotter(store, _resources.background(store), _resources.term_finder(termbase))
    return spotter(query, query_lang, texts)
