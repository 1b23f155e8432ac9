"""Incremental TMX 1.4b writer (lxml ``xmlfile``): one ``<tu>`` at a time, atomically.

What it writes validates against the TMX 1.4b DTD and tells the truth about itself: creationtool
``untm`` with its version, ``o-tmf="untm"``, ``segtype="sentence"``, the real source language
(``*all*`` only when the caller asks for it), a UTC ``creationdate``, UTF-8 without a BOM.
Nothing appears at the target path unless the ``with`` block finishes without an exception.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from lxml import etree

from tmx.reader import format_date
from tmx.units import TranslationUnit, Variant, is_plain
from uncore.atomic import atomic_output
from uncore.errors import InputError, UntmError
from uncore.lang import output_tag
from uncore.xmlchars import XML_INVALID, first_invalid

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
_INVALID_XML = XML_INVALID
_BATCH = 256  # units per write call (~200 KB of UN sentences)
_SEG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def untm_version() -> str:
    """untm's version as libraries may read it (they must not import the ``untm`` package)."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("untm")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"


@lru_cache(maxsize=256)
def _tag(lang: str, mapping_items: tuple[tuple[str, str], ...]) -> str:
    """The language tag to write; ``uncore.lang.output_tag`` decides, and tags it does not know
    (a TMX from elsewhere may hold ``ko-KR``) are written as they were read."""
    try:
        return output_tag(lang, dict(mapping_items) or None)
    except UntmError:
        return dict(mapping_items).get(lang, lang)


def clean_text(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot carry (PDF extraction leaves form
    feeds and the like; no CAT tool could read them back)."""
    return _INVALID_XML.sub("", text)


class TmxWriter:
    """Write a TMX 1.4b file incrementally; use as a context manager and call ``write(tu)``."""

    def __init__(
        self,
        path: str | Path,
        srclang: str,
        adminlang: str = "en",
        datatype: str = "plaintext",
        props: Iterable[tuple[str, str]] = (),
        lang_map: Mapping[str, str] | None = None,
        segtype: str = "sentence",
        *,
        notes: Iterable[str] = (),
        udes: Iterable[str] = (),
        creationid: str | None = None,
        creationdate: datetime | None = None,
        o_tmf: str = "untm",
    ) -> None:
        if not srclang:
            raise UntmError("a TMX needs a source language (srclang), or '*all*'", path=path)
        self.path = Path(path)
        self._map = tuple(sorted((lang_map or {}).items()))
        self.srclang = srclang if srclang == "*all*" else _tag(srclang, self._map)
        self.header_attrs = {
            "creationtool": "untm",
            "creationtoolversion": untm_version(),
            "segtype": segtype,
            "o-tmf": o_tmf,
            "adminlang": _tag(adminlang, self._map),
            "srclang": self.srclang,
            "datatype": datatype,
            "creationdate": format_date(creationdate or datetime.now(UTC)),
        }
        if creationid:
            self.header_attrs["creationid"] = creationid
        self.props = tuple(props)
        self.notes = tuple(notes)
        self.udes = tuple(udes)
        self.count = 0
        self._stack: contextlib.ExitStack | None = None
        self._handle: IO[bytes] | None = None
        self._opens: dict[str, str] = {}
        self._batch: list[bytes] = []

    def __enter__(self) -> TmxWriter:
        stack = contextlib.ExitStack()
        try:
            handle: IO[bytes] = stack.enter_context(atomic_output(self.path, "wb"))
            handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
            # unbuffered, so the units written straight to ``handle`` land inside <body>
            xf = stack.enter_context(etree.xmlfile(handle, encoding="utf-8", buffered=False))
            xf.write_doctype(DOCTYPE)
            stack.enter_context(xf.element("tmx", version="1.4"))
            xf.write("\n")
            header = etree.Element("header", self.header_attrs)
            for note in self.notes:
                etree.SubElement(header, "note").text = clean_text(note)
            for name, value in self.props:
                etree.SubElement(header, "prop", type=name).text = clean_text(value)
            for ude in self.udes:
                header.append(etree.fromstring(ude, _SEG_PARSER))
            xf.write(header)
            xf.write("\n")
            stack.enter_context(xf.element("body"))
            xf.write("\n")
        except BaseException:
            if not stack.__exit__(*sys.exc_info()):
                raise
        self._stack, self._handle = stack, handle
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        stack = self._stack
        if stack is None:
            return
        if exc_type is None:
            try:
                self._flush()
            except BaseException:  # e.g. a full disk: nothing may appear at the target path
                self._stack, self._handle = None, None
                if not stack.__exit__(*sys.exc_info()):
                    raise
                return
        self._stack, self._handle, self._batch = None, None, []
        stack.__exit__(exc_type, exc, tb)

    def _flush(self) -> None:
        if self._batch and self._handle is not None:
            self._handle.write(b"".join(self._batch))
            self._batch = []

    def write(self, tu: TranslationUnit) -> None:
        if self._handle is None:
            raise RuntimeError("TmxWriter.write() outside its with-block")
        text = self.serialize(tu)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a badly decoded input
            raise InputError(
                f"unit {tu.tuid or self.count + 1} holds text that is not valid Unicode (a lone surrogate)",
                path=self.path,
                element="tu",
            ) from None
        # units go out in batches: one write call per _BATCH units instead of one per unit
        batch = self._batch
        batch.append(data)
        if len(batch) >= _BATCH:
            self._flush()
        self.count += 1

    def write_all(self, units: Iterable[TranslationUnit]) -> int:
        for tu in units:
            self.write(tu)
        return self.count

    def serialize(self, tu: TranslationUnit) -> str:
        """The ``<tu>`` element as XML text: attributes, notes, props, then one ``<tuv>`` each.
        A character XML 1.0 cannot carry is an ``InputError`` naming the unit and language:
        never dropped silently."""
        try:
            return self._serialize(tu)
        except _Unwritable as error:
            where = next(
                (f"the {v.lang} segment" for v in tu.variants if first_invalid(v.text or "")),
                "a note, prop or attribute",
            )
            unit = f"unit {tu.tuid}" if tu.tuid else f"unit {self.count + 1}"
            raise InputError(
                f"{unit}: {where} holds {error.args[0]}, a control character TMX (XML 1.0) cannot carry"
            ) from None

    def _serialize(self, tu: TranslationUnit) -> str:
        fields = tu.__dict__
        if len(fields) == 2 and "tuid" in fields:
            # built (see ``tmx.units.assemble``) from variants and a tuid, as aligners and the
            # reader do: no other attribute, prop or note to look for
            tuid = tu.tuid
            parts = ["<tu>" if tuid is None else f'<tu tuid="{tuid if tuid.isalnum() else _attr(tuid)}">']
        else:
            parts = [self._unit_head(tu)]
            if tu.notes or tu.props:
                _notes_props(parts, tu.notes, tu.props)
        opens = self._opens
        for v in tu.variants:
            if not is_plain(v):
                self._variant(parts, v)
                continue
            # plain text, the common case (see ``tmx.units.is_plain``); ``isprintable`` is False
            # for every control character, U+FFFE and U+FFFF, so most texts skip ``_text``
            text = v.text
            if not (text.isprintable() and "&" not in text and "<" not in text and ">" not in text):
                text = _text(text)
            parts.append(f"{opens.get(v.lang) or self._opening(v.lang)}{text}</seg></tuv>")
        parts.append("</tu>\n")
        return "".join(parts)

    def _opening(self, lang: str) -> str:
        """``<tuv xml:lang="…"><seg>`` for ``lang``, mapped once per language and remembered."""
        opening = f'<tuv xml:lang="{_attr(_tag(lang, self._map))}"><seg>'
        self._opens[lang] = opening
        return opening

    def _unit_head(self, tu: TranslationUnit) -> str:
        if not (
            tu.srclang
            or tu.creationdate
            or tu.changedate
            or tu.creationid
            or tu.changeid
            or tu.usagecount is not None
            or tu.lastusagedate
            or tu.extra_attrs
        ):
            return "<tu>" if tu.tuid is None else f'<tu tuid="{_attr(tu.tuid)}">'
        attrs: list[tuple[str, str]] = []
        if tu.tuid is not None:
            attrs.append(("tuid", tu.tuid))
        if tu.srclang:
            attrs.append(("srclang", tu.srclang if tu.srclang == "*all*" else _tag(tu.srclang, self._map)))
        _dates(attrs, tu.creationdate, tu.changedate, tu.creationid, tu.changeid)
        if tu.usagecount is not None:
            attrs.append(("usagecount", str(tu.usagecount)))
        if tu.lastusagedate is not None:
            attrs.append(("lastusagedate", format_date(tu.lastusagedate)))
        if tu.extra_attrs:
            _extra(attrs, tu.extra_attrs)
        return "".join(["<tu", *(f' {key}="{_attr(value)}"' for key, value in attrs), ">"])

    def _variant(self, parts: list[str], v: Variant) -> None:
        parts.append(f'<tuv xml:lang="{_attr(_tag(v.lang, self._map))}"')
        if v.creationdate or v.changedate or v.creationid or v.changeid or v.extra_attrs:
            vattrs: list[tuple[str, str]] = []
            _dates(vattrs, v.creationdate, v.changedate, v.creationid, v.changeid)
            _extra(vattrs, v.extra_attrs)
            parts.extend(f' {key}="{_attr(value)}"' for key, value in vattrs)
        parts.append(">")
        if v.props or v.notes:
            _notes_props(parts, v.notes, v.props)
        if v.markup is None:
            parts.append(f"<seg>{_text(v.text)}</seg></tuv>")
        else:
            parts.append(f"<seg>{self._markup(v)}</seg></tuv>")

    def element(self, tu: TranslationUnit) -> etree._Element:
        """The ``<tu>`` as an lxml element (what ``write`` would write)."""
        return etree.fromstring(self.serialize(tu), _SEG_PARSER)

    def _markup(self, v: Variant) -> str:
        """Inline markup goes out exactly as read, once it is known to be well-formed XML."""
        markup = v.markup or ""
        try:
            etree.fromstring(f"<seg>{markup}</seg>", _SEG_PARSER)
        except etree.XMLSyntaxError as error:
            raise InputError(
                f"inline markup of the {v.lang} segment is not well-formed XML: {error.msg}",
                path=self.path,
                element="seg",
            ) from None
        return markup


# TU bodies are serialised here rather than built as lxml elements: creating elements through
# lxml's Python API costs ~7x more than the escaping below, and TMX content is only text,
# attributes and already-checked inline markup. The envelope still goes through ``xmlfile``.
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


class _Unwritable(ValueError):
    """A character XML 1.0 cannot carry (its ``U+XXXX`` name is the argument)."""


def _text(value: str) -> str:
    if _TEXT_SPECIAL.search(value) is None:
        return value
    bad = first_invalid(value)
    if bad is not None:
        raise _Unwritable(bad)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str) -> str:
    if _ATTR_SPECIAL.search(value) is None:
        return value
    bad = first_invalid(value)
    if bad is not None:
        raise _Unwritable(bad)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def _extra(attrs: list[tuple[str, str]], extra: Iterable[tuple[str, str]]) -> None:
    """Attributes kept from the input, unless a field already wrote them; attributes of other
    namespaces (Clark ``{uri}name``) cannot be written without declarations and are dropped."""
    present = {key for key, _ in attrs}
    for key, value in extra:
        if key not in present and key.replace("-", "").isalnum():
            attrs.append((key, value))
            present.add(key)


def _dates(
    attrs: list[tuple[str, str]],
    created: datetime | None,
    changed: datetime | None,
    creationid: str | None,
    changeid: str | None,
) -> None:
    if created is not None:
        attrs.append(("creationdate", format_date(created)))
    if creationid:
        attrs.append(("creationid", creationid))
    if changed is not None:
        attrs.append(("changedate", format_date(changed)))
    if changeid:
        attrs.append(("changeid", changeid))


def _notes_props(parts: list[str], notes: Iterable[str], props: Iterable[tuple[str, str]]) -> None:
    parts.extend(f"<note>{_text(note)}</note>" for note in notes)
    parts.extend(f'<prop type="{_attr(name)}">{_text(value)}</prop>' for name, value in props)


def write_tmx(path: str | Path, units: Iterable[TranslationUnit], **header: Any) -> int:
    """Write ``units`` to ``path`` in one call; returns how many were written. ``header`` takes
    the ``TmxWriter`` keywords (``srclang`` is required)."""
    with TmxWriter(path, **header) as writer:
        return writer.write_all(units)
