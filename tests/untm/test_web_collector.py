"""The server's garbage-collector settings (untm.web.collector): what it loaded is frozen, the
young generation is larger, and cycles made afterwards are still collected."""

from __future__ import annotations

import gc
import weakref

from untm.web.collector import YOUNG_GENERATION, settle


class _Node:
    me: object


def test_settle_freezes_what_is_loaded_and_cycles_are_still_collected() -> None:
    threshold = gc.get_threshold()
    try:
        loaded = [[index] for index in range(1_000)]  # containers held for good, like the resources
        settle()
        assert gc.get_freeze_count() >= len(loaded)
        assert gc.get_threshold()[0] == YOUNG_GENERATION
        assert gc.get_threshold()[1:] == threshold[1:]
        node = _Node()
        node.me = node  # a cycle: reference counting alone never frees it
        gone = weakref.ref(node)
        del node
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
