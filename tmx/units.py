"""The translation unit: what every reader yields and every writer takes.

A unit is multilingual (one ``Variant`` per language, in order), so a three-way alignment is one
unit, not three pairs. ``Variant.text`` is the plain text (what search and QA read);
``Variant.markup`` keeps the ``<seg>`` content with its inline codes (``bpt/ept/it/ph/hi/ut/sub``)
exactly as read, so a read → write round trip loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from uncore.lang import primary_subtag


@dataclass(frozen=True)
class Variant:
    lang: str
    text: str
    markup: str | None = None  # inner XML of <seg> when it holds inline codes; None = plain text
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    creationdate: datetime | None = None
    changedate: datetime | None = None
    creationid: str | None = None
    changeid: str | None = None
    extra_attrs: tuple[tuple[str, str], ...] = ()  # other <tuv> attributes, kept for round trips


@dataclass(frozen=True)
class TranslationUnit:
    variants: tuple[Variant, ...]
    tuid: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    srclang: str | None = None
    creationdate: datetime | None = None
    changedate: datetime | None = None
    creationid: str | None = None
    changeid: str | None = None
    usagecount: int | None = None
    lastusagedate: datetime | None = None
    extra_attrs: tuple[tuple[str, str], ...] = field(default=())  # other <tu> attributes, kept

    @classmethod
    def from_texts(
        cls,
        texts: Mapping[str, str],
        *,
        tuid: str | None = None,
        props: Iterable[tuple[str, str]] = (),
        notes: Iterable[str] = (),
    ) -> TranslationUnit:
        """A unit from ``{lang: text}``; languages with empty text are left out.

        Built without the frozen-dataclass ``__init__`` (see ``assemble``): aligners create
        millions of these, and the result is the same as ``cls(variants=…, tuid=…)``."""
        variants = tuple(assemble(Variant, {**VARIANT_DEFAULTS, "lang": lang, "text": text})
                         for lang, text in texts.items() if text)
        return assemble(cls, {**UNIT_DEFAULTS, "variants": variants, "tuid": tuid,
                              "props": tuple(props), "notes": tuple(notes)})

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(v.lang for v in self.variants)

    def variant(self, lang: str) -> Variant | None:
        """The variant in ``lang``: the exact tag (any case) first, then the same primary
        subtag (``zh`` finds ``zh-CN``), or None."""
        wanted = lang.lower()
        for v in self.variants:
            if v.lang.lower() == wanted:
                return v
        primary = primary_subtag(lang)
        for v in self.variants:
            if primary_subtag(v.lang) == primary:
                return v
        return None

    def text(self, lang: str) -> str | None:
        """The text in ``lang`` (see ``variant``), or None."""
        found = self.variant(lang)
        return None if found is None else found.text

    def prop(self, name: str) -> str | None:
        for key, value in self.props:
            if key == name:
                return value
        return None


VARIANT_DEFAULTS: dict[str, object] = {
    name: f.default for name, f in Variant.__dataclass_fields__.items() if name not in ("lang", "text")
}
UNIT_DEFAULTS: dict[str, object] = {
    name: f.default for name, f in TranslationUnit.__dataclass_fields__.items() if name != "variants"
}


def assemble(cls: type, fields: dict[str, object]) -> Any:
    """``cls(**fields)`` without the frozen-dataclass ``__init__``, which pays one
    ``object.__setattr__`` per field (four objects per unit made that most of the time spent
    reading a TMX). ``fields`` must name every field, e.g. ``{**VARIANT_DEFAULTS, "lang": …,
    "text": …}``; the instance is the same (fields, equality, hash, repr)."""
    obj: Any = object.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    return obj
