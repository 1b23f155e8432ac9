"""TMX 1.4b: streaming reading and writing, validation, conversion, and the memory store."""

from tmx.units import TranslationUnit, Variant

__all__ = ["TranslationUnit", "Variant"]
