"""Python's garbage collector in a long-running server process, set once its resources are
loaded.

A server holds ~500,000 objects that live as long as it does (jieba's dictionary, pymorphy3,
CC-CEDICT, the termbase's term finder, the background sample) and makes a few hundred
short-lived ones per look-up. With Python's defaults the collector spent 8.9 % of the CPU of the
soak's look-ups (1,000 of them in process on its 300,000-unit memory): every full collection
walked the loaded resources again, and a young collection ran every 700 allocations. With the
resources frozen (``gc.freeze``: kept out of every later collection) 5.6 %; with a young
generation of 5,000 as well, 2.1 % (docs/web.md). Reference counting frees almost everything a
look-up makes; the collector is only there for cycles, which a larger young generation keeps a
few look-ups longer.
"""

from __future__ import annotations

import gc

YOUNG_GENERATION = 5_000  # allocations between young collections (Python's default: 700)


def settle() -> None:
    """Freeze what the process holds now and collect the young generation less often: call
    once the resources are loaded (before ``untm serve`` forks its workers, and in each spotting
    lane)."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, middle, old)
