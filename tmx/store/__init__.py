"""The translation-memory store: one SQLite file per memory, concordance and fuzzy search.

``memory`` holds the store itself, ``rows`` turns units into its rows, ``importer`` overlaps
that preparation with SQLite's indexing during an import.
"""

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

__all__ = [
    "MAX_QUERY_CHARS",
    "ConcordanceHit",
    "FuzzyMatch",
    "ImportStats",
    "MemoryStore",
    "default_path",
    "highlight_spans",
    "lang_key",
]
