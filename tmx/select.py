"""Choose units and languages: ``filter`` (by language, prop, score, length) and ``split`` into
bilingual per-direction memories (Trados and Phrase take only bilingual TMX).

Pure generators over units; the CLI wires them between ``read_tmx`` and ``TmxWriter``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from tmx.units import TranslationUnit
from uncore.errors import UsageError

SCORE_PROP = "x-untm-score"  # what the aligner records per unit
FLAGGED_PROP = "x-untm-flagged"  # yes: the aligner asks a reviser to look at this unit


@dataclass(frozen=True)
class UnitFilter:
    """What to keep. ``langs``: keep only these variants and drop units missing any of them.
    ``props``: (type, value) pairs that must all be present. Lengths are in characters of every
    kept variant's plain text; a score filter drops units without a score."""

    langs: tuple[str, ...] = ()
    props: tuple[tuple[str, str], ...] = ()
    min_score: float | None = None
    max_score: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    # True: only units the aligner flagged for review; False: only the others (a unit without
    # the x-untm-flagged prop, as older untm and other tools write, counts as not flagged)
    flagged: bool | None = None

    def apply(self, tu: TranslationUnit) -> TranslationUnit | None:
        if self.langs:
            variants = []
            for lang in self.langs:
                v = tu.variant(lang)
                if v is None:
                    return None
                variants.append(v)
            if tuple(variants) != tu.variants:
                tu = replace(tu, variants=tuple(variants))
        for name, value in self.props:
            if (name, value) not in tu.props:
                return None
        if self.flagged is not None and (tu.prop(FLAGGED_PROP) == "yes") != self.flagged:
            return None
        if self.min_score is not None or self.max_score is not None:
            score = unit_score(tu)
            if score is None:
                return None
            if self.min_score is not None and score < self.min_score:
                return None
            if self.max_score is not None and score > self.max_score:
                return None
        for v in tu.variants:
            if self.min_length is not None and len(v.text) < self.min_length:
                return None
            if self.max_length is not None and len(v.text) > self.max_length:
                return None
        return tu


def unit_score(tu: TranslationUnit) -> float | None:
    raw = tu.prop(SCORE_PROP)
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def filter_units(units: Iterable[TranslationUnit], rule: UnitFilter) -> Iterator[TranslationUnit]:
    for tu in units:
        kept = rule.apply(tu)
        if kept is not None:
            yield kept


def parse_pair(spec: str) -> tuple[str, str]:
    """``ru-zh`` or ``ru:zh`` or ``ru-RU:zh-CN`` → (source, target)."""
    if ":" in spec:
        source, _, target = spec.partition(":")
    else:
        parts = spec.split("-")
        if len(parts) != 2:
            raise UsageError(f"bad language pair {spec!r}: use SRC-TGT (ru-zh) or SRC:TGT (ru-RU:zh-CN)")
        source, target = parts
    if not source or not target or source.lower() == target.lower():
        raise UsageError(f"bad language pair {spec!r}: two different languages needed")
    return source, target


def split_pair(units: Iterable[TranslationUnit], source: str, target: str) -> Iterator[TranslationUnit]:
    """Bilingual units ``source`` → ``target`` (source variant first, ``srclang`` set); units
    lacking either language are left out."""
    for tu in units:
        src = tu.variant(source)
        tgt = tu.variant(target)
        if src is None or tgt is None:
            continue
        yield replace(tu, variants=(src, tgt), srclang=src.lang if tu.srclang else None)


def pair_languages(units: Sequence[TranslationUnit], source: str, target: str) -> tuple[str, str]:
    """The tags the file really uses for ``source``/``target`` (``ru`` may be ``ru-RU`` there)."""
    for tu in units:
        src, tgt = tu.variant(source), tu.variant(target)
        if src and tgt:
            return src.lang, tgt.lang
    return source, target
