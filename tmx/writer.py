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

from tmx.reader import XML_LANG, format_date
from tmx.units import TranslationUnit, Variant
from uncore.atomic import atomic_output
from uncore.errors import InputError, UntmError
from uncore.lang import output_tag

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SEG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                              huge_tree=False)


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
        self._xf: Any = None

    def __enter__(self) -> TmxWriter:
        stack = contextlib.ExitStack()
        try:
            handle: IO[bytes] = stack.enter_context(atomic_output(self.path, "wb"))
            handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
            xf = stack.enter_context(etree.xmlfile(handle, encoding="utf-8"))
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
        self._stack, self._xf = stack, xf
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.__exit__(exc_type, exc, tb)

    def write(self, tu: TranslationUnit) -> None:
        if self._xf is None:
            raise RuntimeError("TmxWriter.write() outside its with-block")
        self._xf.write(self.element(tu))
        self._xf.write("\n")
        self.count += 1

    def write_all(self, units: Iterable[TranslationUnit]) -> int:
        for tu in units:
            self.write(tu)
        return self.count

    def element(self, tu: TranslationUnit) -> etree._Element:
        """The ``<tu>`` element for ``tu``: attributes, notes, props, then one ``<tuv>`` each."""
        attrs: dict[str, str] = {}
        if tu.tuid is not None:
            attrs["tuid"] = tu.tuid
        if tu.srclang:
            attrs["srclang"] = tu.srclang if tu.srclang == "*all*" else _tag(tu.srclang, self._map)
        _dates(attrs, tu.creationdate, tu.changedate, tu.creationid, tu.changeid)
        if tu.usagecount is not None:
            attrs["usagecount"] = str(tu.usagecount)
        if tu.lastusagedate is not None:
            attrs["lastusagedate"] = format_date(tu.lastusagedate)
        for key, value in tu.extra_attrs:
            attrs.setdefault(key, value)
        try:
            el = etree.Element("tu", attrs)
        except ValueError:
            el = etree.Element("tu", {k: clean_text(v) for k, v in attrs.items()})
        _notes_props(el, tu.notes, tu.props)
        for variant in tu.variants:
            self._tuv(el, variant)
        return el

    def _tuv(self, parent: etree._Element, v: Variant) -> None:
        attrs = {XML_LANG: _tag(v.lang, self._map)}
        _dates(attrs, v.creationdate, v.changedate, v.creationid, v.changeid)
        for key, value in v.extra_attrs:
            attrs.setdefault(key, value)
        tuv = etree.SubElement(parent, "tuv", attrs)
        _notes_props(tuv, v.notes, v.props)
        if v.markup is None:
            seg = etree.SubElement(tuv, "seg")
            try:
                seg.text = v.text
            except ValueError:
                seg.text = clean_text(v.text)
            return
        try:
            seg = etree.fromstring(f"<seg>{v.markup}</seg>", _SEG_PARSER)
        except etree.XMLSyntaxError as error:
            raise InputError(f"inline markup of the {v.lang} segment is not well-formed XML: "
                             f"{error.msg}", path=self.path, element="seg") from None
        tuv.append(seg)


def _dates(attrs: dict[str, str], created: datetime | None, changed: datetime | None,
           creationid: str | None, changeid: str | None) -> None:
    if created is not None:
        attrs["creationdate"] = format_date(created)
    if creationid:
        attrs["creationid"] = creationid
    if changed is not None:
        attrs["changedate"] = format_date(changed)
    if changeid:
        attrs["changeid"] = changeid


def _notes_props(el: etree._Element, notes: Iterable[str], props: Iterable[tuple[str, str]]) -> None:
    for note in notes:
        sub = etree.SubElement(el, "note")
        try:
            sub.text = note
        except ValueError:
            sub.text = clean_text(note)
    for name, value in props:
        sub = etree.SubElement(el, "prop", type=name)
        try:
            sub.text = value
        except ValueError:
            sub.text = clean_text(value)


def write_tmx(path: str | Path, units: Iterable[TranslationUnit], **header: Any) -> int:
    """Write ``units`` to ``path`` in one call; returns how many were written. ``header`` takes
    the ``TmxWriter`` keywords (``srclang`` is required)."""
    with TmxWriter(path, **header) as writer:
        return writer.write_all(units)
