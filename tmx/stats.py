"""Counts a translator asks of a memory before loading it: units, languages, segments per
language, duplicates. One streaming pass; duplicate detection keeps 16-byte digests only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tmx.identity import content_key, source_key
from tmx.units import TranslationUnit


@dataclass(frozen=True)
class LanguageStats:
    lang: str
    segments: int
    characters: int


@dataclass(frozen=True)
class MemoryStats:
    units: int
    languages: tuple[LanguageStats, ...]
    duplicate_units: int  # identical to an earlier unit
    conflicting_sources: int  # same source segment as an earlier unit, other translations
    variants_per_unit: dict[int, int] = field(default_factory=dict)


def memory_stats(units: Iterable[TranslationUnit], srclang: str | None = None) -> MemoryStats:
    segments: dict[str, int] = {}
    chars: dict[str, int] = {}
    shapes: dict[int, int] = {}
    seen: set[bytes] = set()
    sources: set[bytes] = set()
    count = duplicates = conflicts = 0
    for tu in units:
        count += 1
        shapes[len(tu.variants)] = shapes.get(len(tu.variants), 0) + 1
        for v in tu.variants:
            segments[v.lang] = segments.get(v.lang, 0) + 1
            chars[v.lang] = chars.get(v.lang, 0) + len(v.text)
        ckey = content_key(tu)
        if ckey in seen:
            duplicates += 1
            continue
        seen.add(ckey)
        skey = source_key(tu, srclang)
        if skey is not None:
            if skey in sources:
                conflicts += 1
            sources.add(skey)
    langs = tuple(LanguageStats(lang, segments[lang], chars[lang]) for lang in sorted(segments))
    return MemoryStats(count, langs, duplicates, conflicts, dict(sorted(shapes.items())))
