"""TMX 1.4b: streaming reading and writing, validation, conversion, and the memory store.

The memory store (SQLite) and fuzzy matching (rapidfuzz) are loaded on first use, so that a
program that only reads or writes TMX (``tmx.units``, ``tmx.reader``) never imports them.
"""

from typing import Any

from tmx.reader import TmxHeader, read_header, read_tmx
from tmx.units import TranslationUnit, Variant
from tmx.writer import TmxWriter, write_tmx

__all__ = [
    "MemoryStore",
    "TmxHeader",
    "TmxWriter",
    "TranslationUnit",
    "Variant",
    "match_percentage",
    "read_header",
    "read_tmx",
    "write_tmx",
]


def __getattr__(name: str) -> Any:
    if name == "MemoryStore":
        from tmx.store import MemoryStore

        return MemoryStore
    if name == "match_percentage":
        from tmx.fuzzy import match_percentage

        return match_percentage
    raise AttributeError(f"module 'tmx' has no attribute {name!r}")
