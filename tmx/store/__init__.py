"""The translation-memory store: concordance and fuzzy search over a memory.

Two implementations of one interface: ``memory.MemoryStore``, one SQLite file (one user, the
default), and ``postgres.PostgresMemoryStore``, a PostgreSQL database a team shares.
``open_memory`` picks by the location (a ``postgresql://`` URL or a path). ``rows`` turns units
into stored rows; ``importer`` overlaps that preparation with SQLite's indexing.
"""

from pathlib import Path
from typing import Any

from tmx.store.memory import (
    MAX_QUERY_CHARS,
    ConcordanceHit,
    FuzzyMatch,
    ImportStats,
    MemoryStore,
    default_path,
    highlight_spans,
    lang_key,
)


def open_memory(location: str | Path | None = None, *, readonly: bool = False) -> Any:
    """The memory at ``location``: a ``postgresql://`` URL (PostgreSQL), else a SQLite file
    (``None``: ``$UNTM_TM`` or the default path)."""
    if location is None:
        import os

        location = os.environ.get("UNTM_TM") or None
    if location is not None and str(location).startswith(("postgresql://", "postgres://")):
        from tmx.store.postgres import PostgresMemoryStore

        return PostgresMemoryStore(str(location), readonly=readonly)
    return MemoryStore(location, readonly=readonly)


__all__ = [
    "MAX_QUERY_CHARS",
    "ConcordanceHit",
    "FuzzyMatch",
    "ImportStats",
    "MemoryStore",
    "default_path",
    "highlight_spans",
    "lang_key",
    "open_memory",
]
