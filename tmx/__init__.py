"""TMX 1.4b: streaming reading and writing, validation, conversion, and the memory store."""

from tmx.reader import TmxHeader, read_header, read_tmx
from tmx.units import TranslationUnit, Variant
from tmx.writer import TmxWriter, write_tmx

__all__ = ["TmxHeader", "TmxWriter", "TranslationUnit", "Variant", "read_header", "read_tmx", "write_tmx"]
from tmx.fuzzy import match_percentage
from tmx.store import MemoryStore

__all__ += ["MemoryStore", "match_percentage"]
