"""When two units are "the same": the keys that merge, stats and de-duplication share.

Keys are 16-byte BLAKE2 digests, so remembering a million units costs a few dozen megabytes
instead of the texts themselves. Languages compare case-insensitively (``zh-cn`` = ``zh-CN``);
segments compare with their inline codes (two units differing only in a ``<bpt>`` differ).
"""

from __future__ import annotations

from hashlib import blake2b

from tmx.units import TranslationUnit, Variant
from uncore.lang import primary_subtag


def _segment(v: Variant) -> str:
    return v.markup if v.markup is not None else v.text


def content_key(tu: TranslationUnit) -> bytes:
    """Equal for units with the same segments in the same languages (order, dates, props ignored)."""
    parts = sorted(f"{v.lang.lower()}\x1f{_segment(v)}" for v in tu.variants)
    return blake2b("\x1e".join(parts).encode("utf-8"), digest_size=16).digest()


def source_lang_of(tu: TranslationUnit, srclang: str | None) -> str | None:
    """The unit's source language: its own ``srclang``, else the file's, else its first variant."""
    for candidate in (tu.srclang, srclang):
        if candidate and candidate != "*all*":
            return candidate
    return tu.variants[0].lang if tu.variants else None


def source_key(tu: TranslationUnit, srclang: str | None) -> bytes | None:
    """Equal for units with the same source segment (the TM look-up key), None without a source."""
    lang = source_lang_of(tu, srclang)
    variant = tu.variant(lang) if lang else None
    if variant is None:
        return None
    primary = primary_subtag(variant.lang)
    return blake2b(f"{primary}\x1f{_segment(variant)}".encode(), digest_size=16).digest()
