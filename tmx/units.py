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
        variants = tuple(
            assemble(Variant, {"lang": lang, "text": text}) for lang, text in texts.items() if text
        )
        fields: dict[str, object] = {"variants": variants, "tuid": tuid}
        if props:
            fields["props"] = tuple(props)
        if notes:
            fields["notes"] = tuple(notes)
        return assemble(cls, fields)

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
# ``assemble`` relies on every optional field having a plain default, which ``dataclass`` keeps
# as a class attribute (no ``default_factory``: that would leave no class attribute to fall back on).
assert all(
    getattr(cls, name) == default
    for cls, defaults in ((Variant, VARIANT_DEFAULTS), (TranslationUnit, UNIT_DEFAULTS))
    for name, default in defaults.items()
)

_new = object.__new__
_set = object.__setattr__


def assemble(cls: type, fields: dict[str, object]) -> Any:
    """``cls(**fields)`` without the frozen-dataclass ``__init__``, which pays one
    ``object.__setattr__`` per field (four objects per unit made that most of the time spent
    reading a TMX).

    ``fields`` must name the required fields (``lang`` and ``text``, ``variants``) and may leave
    out any optional field that has its default: the instance then finds the default on the
    class, where ``dataclass`` keeps it. ``{"lang": "ru", "text": "…"}`` is enough for a plain
    variant, and the instance is the same as ``Variant("ru", "…")`` (fields, equality, hash,
    repr, ``dataclasses.replace``/``asdict``); only ``vars()`` lists fewer names. The reader
    and the writer use that: a variant whose ``vars()`` holds two names is plain text."""
    obj: Any = _new(cls)
    _set(obj, "__dict__", fields)
    return obj


def is_plain(variant: Variant) -> bool:
    """True when ``variant`` is only a language and a text (no markup, props, notes, dates, ids
    or other attributes): what aligners produce and the only thing most TMX files hold."""
    if len(variant.__dict__) == 2:  # built by ``assemble`` from lang and text alone
        return True
    return (
        variant.markup is None
        and not variant.props
        and not variant.notes
        and not variant.extra_attrs
        and variant.creationdate is None
        and variant.changedate is None
        and not variant.creationid
        and not variant.changeid
    )
