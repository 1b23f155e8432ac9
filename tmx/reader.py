"""Streaming TMX reader: one ``TranslationUnit`` at a time, memory flat however large the file.

Reads what real tools write: TMX 1.1–1.4, UTF-8 or UTF-16 (Trados exports UTF-16 LE with a BOM;
libxml2 detects it from the BOM/declaration), ``lang`` (TMX ≤ 1.2) as well as ``xml:lang``.
Inline codes are kept verbatim in ``Variant.markup`` so a read → write round trip is lossless.

Safety: the parser never expands entities, never loads a DTD, never touches the network and keeps
libxml2's size/depth limits (``huge_tree`` off: a text node over 10 MB is an error). A document
that declares entities is refused outright, which defuses "billion laughs" before it starts.
Malformed XML raises ``InputError`` naming the line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path

from lxml import etree

from tmx.units import VARIANT_DEFAULTS, TranslationUnit, Variant, assemble
from uncore.errors import InputError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Attributes that map onto dataclass fields; everything else is kept in ``extra_attrs``.
_DATE_ATTRS = ("creationdate", "changedate", "lastusagedate")
_TU_FIELDS = {
    "tuid",
    "srclang",
    "creationdate",
    "changedate",
    "creationid",
    "changeid",
    "usagecount",
    "lastusagedate",
}
_TUV_FIELDS = {XML_LANG, "lang", "creationdate", "changedate", "creationid", "changeid"}
_HEADER_FIELDS = (
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
    "o-encoding",
    "creationdate",
    "creationid",
    "changedate",
    "changeid",
)
_POSITION = re.compile(r",? *\(?line \d+,? column \d+\)?")
_FREE_EVERY = 64
_CODE_TAGS = frozenset({"bpt", "ept", "it", "ph", "ut"})  # native codes: not part of plain text


@dataclass(frozen=True)
class TmxHeader:
    """The ``<header>`` of a TMX file (attribute values as written; dates left as strings)."""

    version: str | None = None  # the ``version`` attribute of <tmx>
    creationtool: str | None = None
    creationtoolversion: str | None = None
    segtype: str | None = None
    o_tmf: str | None = None
    adminlang: str | None = None
    srclang: str | None = None
    datatype: str | None = None
    o_encoding: str | None = None
    creationdate: str | None = None
    creationid: str | None = None
    changedate: str | None = None
    changeid: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    udes: tuple[str, ...] = ()  # <ude> elements, serialised, kept for round trips


@lru_cache(maxsize=4096)
def parse_date(value: str | None) -> datetime | None:
    """``YYYYMMDDThhmmssZ`` (the TMX form) as an aware UTC datetime; None when absent or malformed.

    Cached, and the canonical 16-character form is cut up by position rather than by
    ``strptime`` (10x slower): CAT tools stamp whole batches of units with the same dates. For
    that form the result is the one ``strptime`` gives (``%m``, ``%d``, ``%H``… can only take
    two digits each there); anything else still goes through ``strptime``."""
    if not value:
        return None
    try:
        if (
            len(value) == 16
            and value[8] == "T"
            and value[15] == "Z"
            and value.isascii()
            and value[:8].isdigit()
            and value[9:15].isdigit()
        ):
            return datetime(
                int(value[:4]),
                int(value[4:6]),
                int(value[6:8]),
                int(value[9:11]),
                int(value[11:13]),
                int(value[13:15]),
                tzinfo=UTC,
            )
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def format_date(value: datetime) -> str:
    """The TMX date form, always in UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y%m%dT%H%M%SZ")


_ENTITIES_REFUSED = (
    "the document declares XML entities; untm refuses them "
    "(entity expansion is a known denial-of-service attack)"
)

# the safety settings of every parse (see the module docstring)
_PARSER_SETTINGS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "dtd_validation": False,
}


def _parser_events(path: Path, tags: tuple[str, ...], events: tuple[str, ...]) -> etree.iterparse:
    return etree.iterparse(str(path), events=events, tag=tags, **_PARSER_SETTINGS)


def _check_root(path: Path, root: etree._Element | None) -> None:
    """Checks made once: the right document, no entity declarations."""
    if root is None:
        raise InputError("not a TMX file: no root element", path=path)
    if root.tag != "tmx":
        raise InputError(
            f"not a TMX file: root element is <{root.tag}>, expected <tmx>",
            path=path,
            line=root.sourceline,
            element=str(root.tag),
        )
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(_ENTITIES_REFUSED, path=path, line=1)


def _check_prolog(path: Path) -> None:
    """Refuse entity declarations before any content is parsed: stop at the root's start tag
    (one buffer of input) and look at the internal DTD subset."""
    for _, root in _parser_events(path, (), ("start",)):
        _check_root(path, root)
        return


def _syntax_error(path: Path, error: etree.XMLSyntaxError) -> InputError:
    line, column = error.position if error.position else (None, None)
    message = _POSITION.sub("", str(error.msg or error)).strip() or "malformed XML"
    if "amplification" in message.lower():
        # libxml2 2.14 and later stop an entity bomb while reading its declarations, before
        # the root element where the check of the internal subset would have seen it
        return InputError(_ENTITIES_REFUSED, path=path, line=line, column=column)
    if "huge" in message.lower() or "too long" in message.lower():
        message += " (a text node over libxml2's 10 MB safety limit: the file is refused)"
    return InputError(f"malformed TMX: {message}", path=path, line=line, column=column)


def _iter_elements(
    path: str | Path, tags: tuple[str, ...], events: tuple[str, ...] = ("end",)
) -> Iterator[tuple[str, etree._Element]]:
    """(event, element) pairs for ``tags`` after the root checks; errors become ``InputError``.

    Only the requested events are produced (each one costs a Python proxy object), so the root
    is checked at the first event, or at the end when there was none."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=path)
    parser = _parser_events(path, tags, events)
    checked = False
    try:
        _check_prolog(path)
        for event, elem in parser:
            if not checked:
                _check_root(path, elem.getroottree().getroot())
                checked = True
            yield event, elem
    except etree.XMLSyntaxError as error:
        raise _syntax_error(path, error) from None
    if not checked:
        _check_root(path, parser.root)


def _inner_markup(seg: etree._Element) -> str:
    """The content of ``<seg>`` as XML text (inline codes and their tails included). A carriage
    return is written as ``&#13;``: lxml serialises it bare, and the next parser would read it as
    a line feed."""
    head = seg.text or ""
    parts = [_escape(head)] if head else []
    for child in seg:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    markup = "".join(parts)
    return markup.replace("\r", "&#13;") if "\r" in markup else markup


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_text(seg: etree._Element) -> str:
    """Readable text of a segment: text and ``<hi>`` content, without native codes (bpt/ept/it/
    ph/ut hold the original format's markup, not words)."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _CODE_TAGS and isinstance(child.tag, str):
            parts.append(plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _props_notes(elem: etree._Element) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    for child in elem:
        if child.tag == "prop":
            props.append((child.get("type", ""), child.text or ""))
        elif child.tag == "note":
            notes.append(child.text or "")
    return tuple(props), tuple(notes)


def _date_field(raw: str | None, name: str, extra: list[tuple[str, str]]) -> datetime | None:
    if raw is None:
        return None
    parsed = parse_date(raw)
    if parsed is None:  # a tool wrote another format: keep the string so nothing is lost
        extra.append((name, raw))
    return parsed


def _variant(path: Path, tuv: etree._Element) -> Variant:
    """Any ``<tuv>`` but the plain ``<tuv xml:lang><seg>text</seg></tuv>``, which ``_unit``
    reads itself."""
    attrs = dict(tuv.items())
    lang = attrs.pop(XML_LANG, None) or attrs.pop("lang", None)
    attrs.pop("lang", None)
    if not lang:
        raise InputError("<tuv> without xml:lang (or lang)", path=path, line=tuv.sourceline, element="tuv")
    seg = None
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    for child in tuv:
        tag = child.tag
        if tag == "seg":
            seg = child
        elif tag == "prop":
            props.append((child.get("type", ""), child.text or ""))
        elif tag == "note":
            notes.append(child.text or "")
    if seg is None:
        raise InputError("<tuv> without <seg>", path=path, line=tuv.sourceline, element="tuv")
    if len(seg):
        text = plain_text(seg)
        markup: str | None = _inner_markup(seg)
    else:
        text = seg.text or ""
        markup = None
    fields: dict[str, object] = {
        **VARIANT_DEFAULTS,
        "lang": lang,
        "text": text,
        "markup": markup,
        "props": tuple(props),
        "notes": tuple(notes),
    }
    if attrs:
        extra: list[tuple[str, str]] = []
        fields["creationdate"] = _date_field(attrs.pop("creationdate", None), "creationdate", extra)
        fields["changedate"] = _date_field(attrs.pop("changedate", None), "changedate", extra)
        fields["creationid"] = attrs.pop("creationid", None)
        fields["changeid"] = attrs.pop("changeid", None)
        extra.extend(attrs.items())
        fields["extra_attrs"] = tuple(extra)
    return assemble(Variant, fields)


def _unit(path: Path, tu: etree._Element) -> TranslationUnit:
    """The unit for one ``<tu>``. This runs once per unit of files with millions of them, so the
    common shape, ``<tu tuid><tuv xml:lang><seg>text</seg></tuv>…</tu>``, takes a short path:
    one ``items()`` per element (every attribute at once), no per-field bookkeeping, and units
    that hold only what was read (see ``tmx.units.assemble``)."""
    variants: list[Variant] = []
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    for child in tu[:]:  # one list of children: cheaper than the iterator
        items = child.items()
        if len(items) == 1 and len(child) == 1 and items[0][0] == XML_LANG:
            seg = child[0]
            if not len(seg) and seg.tag == "seg" and child.tag == "tuv":
                variants.append(assemble(Variant, {"lang": items[0][1], "text": seg.text or ""}))
                continue
        tag = child.tag
        if tag == "tuv":
            variants.append(_variant(path, child))
        elif tag == "prop":
            props.append((child.get("type", ""), child.text or ""))
        elif tag == "note":
            notes.append(child.text or "")
    if not variants:
        raise InputError("<tu> without any <tuv>", path=path, line=tu.sourceline, element="tu")
    fields: dict[str, object] = {"variants": tuple(variants)}
    if props:
        fields["props"] = tuple(props)
    if notes:
        fields["notes"] = tuple(notes)
    items = tu.items()
    if items:
        if len(items) == 1 and items[0][0] == "tuid":
            fields["tuid"] = items[0][1]
        else:
            _unit_attrs(fields, dict(items))
    return assemble(TranslationUnit, fields)


def _unit_attrs(fields: dict[str, object], attrs: dict[str, str]) -> None:
    """The ``<tu>`` attributes other than a lone ``tuid``, into ``fields``."""
    extra: list[tuple[str, str]] = []
    fields["tuid"] = attrs.pop("tuid", None)
    fields["srclang"] = attrs.pop("srclang", None)
    for name in _DATE_ATTRS:
        fields[name] = _date_field(attrs.pop(name, None), name, extra)
    fields["creationid"] = attrs.pop("creationid", None)
    fields["changeid"] = attrs.pop("changeid", None)
    usage = attrs.pop("usagecount", None)
    if usage is not None:
        if usage.isdigit():
            fields["usagecount"] = int(usage)
        else:
            extra.append(("usagecount", usage))
    extra.extend(attrs.items())
    fields["extra_attrs"] = tuple(extra)


def _header(root: etree._Element, header: etree._Element) -> TmxHeader:
    props, notes = _props_notes(header)
    udes = tuple(etree.tostring(u, encoding="unicode", with_tail=False) for u in header if u.tag == "ude")
    values = {name.replace("-", "_"): header.get(name) for name in _HEADER_FIELDS}
    return TmxHeader(version=root.get("version"), props=props, notes=notes, udes=udes, **values)


def read_header(path: str | Path) -> TmxHeader:
    """The header of a TMX file, reading no further than ``</header>``."""
    for event, elem in _iter_elements(path, ("header", "body"), ("start", "end")):
        if elem.tag == "header" and event == "end":
            return _header(elem.getroottree().getroot(), elem)
        if elem.tag == "body":
            break
    raise InputError("TMX file without <header>", path=path, element="header")


def read_tmx(path: str | Path) -> Iterator[TranslationUnit]:
    """Yield every ``<tu>`` of ``path`` in order, streaming (elements are freed as they are read).

    The units come from ``_read_body``, which handles the shape of a real TMX (``<tu>`` children
    of ``<tmx><body>``) quickly. Whatever it does not recognise — malformed XML, a ``<tu>`` that is
    an error, units outside ``<body>`` or inside other units — makes it stop, and
    ``_read_general`` (a reader of every ``<tu>`` wherever it is, in the order its end tag
    appears) reads the file again from the start, skipping the units already given: the units
    and the error are then the ones the general reader gives, after the same units."""
    path = Path(path)
    given = 0
    try:
        for units in _read_body(path):  # the next block is read once this one is all taken
            yield from units
            given += len(units)
    except _Unusual:
        yield from islice(_read_general(path), given, None)


def _read_general(path: Path) -> Iterator[TranslationUnit]:
    """Every ``<tu>`` of the file, wherever it is, in the order of its end tag."""
    body = None
    count = 0
    for _, elem in _iter_elements(path, ("tu",)):
        yield _unit(path, elem)
        count += 1
        if count == _FREE_EVERY:
            # the units read so far are behind the parser: drop them all at once (one call
            # instead of a clear() and a sibling walk per unit; memory stays flat)
            if body is None:
                body = elem.getparent()
            del body[:]
            count = 0


class _Unusual(Exception):
    """``_read_body`` met something it leaves to ``_read_general``."""


_READ_SIZE = 1 << 16  # bytes fed to the parser at a time: ~80 units of a UN memory
_HEADER_LIMIT = 1 << 20  # no <body> after this much input: not the usual shape
_TUV_LANGS = etree.XPath("count(tu/tuv/@xml:lang)")
_TUV_LANGS_OF_UNIT = etree.XPath("count(tuv/@xml:lang)")


def _read_body(path: Path) -> Iterator[list[TranslationUnit]]:
    """The units of ``<tmx><body>``, a list per block of input; raises ``_Unusual`` for
    anything else.

    No per-element events: the parser builds the tree of one block of input at a time and the
    ``<tu>`` children of ``<body>`` that are complete (all but the last one, until the end) are
    read and deleted. Only two start events are asked for, ``<tmx>`` and ``<body>``; an
    ``iterparse`` event per ``<tu>`` costs a tenth of the parse."""
    if not path.is_file():
        raise InputError("no such file", path=path)
    try:
        _check_prolog(path)  # a refused document raises InputError here, as it would there
    except etree.XMLSyntaxError:
        raise _Unusual from None
    parser = etree.XMLPullParser(events=("start",), tag=("tmx", "body"), **_PARSER_SETTINGS)
    root = body = None
    fed = 0
    with path.open("rb") as handle:
        while True:
            data = handle.read(_READ_SIZE)
            fed += len(data)
            try:
                if data:
                    parser.feed(data)
                else:
                    parser.close()
            except etree.XMLSyntaxError:
                raise _Unusual from None
            for _, elem in parser.read_events():
                if root is None:
                    root = elem  # the first start event: the root, which _check_prolog saw is <tmx>
                elif elem.tag != "body" or body is not None:
                    raise _Unusual  # a nested <tmx>, or a second <body>
                else:
                    body = elem
                    if body.getparent() is not root or _holds_units(body.itersiblings(preceding=True)):
                        raise _Unusual
            final = not data
            if body is None:
                if final or root is None or len(root) > 1 or fed > _HEADER_LIMIT:
                    raise _Unusual
                continue
            children = body[:] if final else body[:-1]
            if children:
                last = None if final else body[-1]
                yield _block(path, body, children, last)
                del body[: len(children)]
            if final:
                if _holds_units(body.itersiblings()):
                    raise _Unusual
                return


def _holds_units(elements: Iterator[etree._Element]) -> bool:
    return any(True for elem in elements for _ in elem.iter("tu"))


_new = object.__new__


def _block(
    path: Path, body: etree._Element, children: list[etree._Element], last: etree._Element | None
) -> list[TranslationUnit]:
    """The units of ``children`` (complete children of ``body``; ``last`` is the one still being
    parsed, if any).

    The common unit, ``<tu tuid><tuv xml:lang><seg>text</seg></tuv>…</tu>``, is read in one
    tight loop that asks each element only for what lxml gives cheaply: ``values()`` rather than
    ``items()`` (an attribute in the ``xml:`` namespace costs a formatted ``{…}lang`` string per
    call) and child counts rather than tags. What that loop cannot see — that the lone attribute
    of each ``<tuv>`` is ``xml:lang`` and that the element is a ``<tuv>`` — is checked for the
    whole block by one XPath count; a block that fails it is read the general way (``_unit``)."""
    units: list[TranslationUnit] = []
    general: list[etree._Element] = []
    fast_tuvs = 0
    for tu in children:
        variants: list[Variant] = []
        for tuv in tu[:]:  # one list of children: cheaper than the iterator
            if len(tuv) != 1:
                break
            seg = tuv[0]
            lang = tuv.values()
            if len(lang) != 1 or len(seg) or seg.tag != "seg":
                break
            variant = _new(Variant)
            fields = variant.__dict__
            fields["lang"] = lang[0]
            fields["text"] = seg.text or ""
            variants.append(variant)
        else:
            if variants:
                attrs = tu.items()
                if not attrs or (len(attrs) == 1 and attrs[0][0] == "tuid"):
                    unit = _new(TranslationUnit)
                    fields = unit.__dict__
                    fields["variants"] = tuple(variants)
                    if attrs:
                        fields["tuid"] = attrs[0][1]
                    units.append(unit)
                    fast_tuvs += len(variants)
                    continue
        units.append(_other(path, tu))
        general.append(tu)
    if fast_tuvs:
        # every fast <tuv> has one attribute: it is xml:lang, on a <tuv>, iff the count adds up
        counted = _TUV_LANGS(body)
        if last is not None and last.tag == "tu":
            counted -= _TUV_LANGS_OF_UNIT(last)
        for tu in general:
            if tu.tag == "tu":
                counted -= _TUV_LANGS_OF_UNIT(tu)
        if counted != fast_tuvs:  # e.g. TMX 1.1's lang: the general way reads it
            return [_other(path, tu) for tu in children]
    return units


def _other(path: Path, elem: etree._Element) -> TranslationUnit:
    """A child of ``<body>`` that is not the common unit: any other ``<tu>`` (props, notes,
    dates, inline codes…), read by ``_unit``. Anything else is ``_Unusual`` (``_read_general``
    knows what to make of it)."""
    if elem.tag != "tu" or any(True for _ in elem.iterdescendants("tu")):
        raise _Unusual
    try:
        return _unit(path, elem)
    except InputError:
        raise _Unusual from None
