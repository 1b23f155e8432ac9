"""TBX exchange: TBX v3 TBX-Basic (DCA style) import and export, TBX 2008 ``martif`` import.

What ``write_tbx`` produces validates against the TBX-Basic RELAX NG schema; the dialect's
data-category rules (which values administrativeStatus, termType, partOfSpeech… may take and at
which level each category may appear) live in a Schematron that needs XSLT 2, which lxml lacks,
so ``check_basic_rules`` enforces them in Python. Reading streams ``conceptEntry``/``termEntry``
elements with a parser that never resolves entities, loads DTDs or touches the network.

untm-specific data without a TBX-Basic data category (a term's ``not_inside`` contexts) travels
in a ``<note>`` starting with ``untm:not-inside:`` so a round trip keeps it and other tools show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from termbase.model import PARTS_OF_SPEECH, Concept, Status, Term, TermType, lang_code
from uncore.atomic import atomic_output
from uncore.errors import InputError

NS = "urn:iso:std:iso:30042:ed-2"
NS_ALT = "urn:iso:std:iso:30042:ed:3.0"  # used by some TBX-Basic samples
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NOT_INSIDE = "untm:not-inside:"

STATUS_TO_TBX = {s: f"{s.value}Term-admn-sts" for s in Status}
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase")
GENDERS = ("masculine", "feminine", "neuter", "other")
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")

# (element, type) → levels where TBX-Basic allows it (levels: conceptEntry, langSec, termSec).
_LEVELS = {
    ("descrip", "subjectField"): {"conceptEntry"},
    ("descrip", "definition"): {"conceptEntry", "langSec"},
    ("descrip", "context"): {"termSec"},
    ("admin", "source"): {"conceptEntry", "langSec", "termSec"},
    ("admin", "customerSubset"): {"conceptEntry", "termSec"},
    ("admin", "projectSubset"): {"conceptEntry", "termSec"},
    ("ref", "crossReference"): {"conceptEntry", "termSec"},
    ("xref", "externalCrossReference"): {"conceptEntry", "langSec", "termSec"},
    ("xref", "xGraphic"): {"conceptEntry", "langSec"},
    ("transac", "transactionType"): {"conceptEntry", "langSec", "termSec"},
    ("transacNote", "responsibility"): {"conceptEntry", "langSec", "termSec"},
}
_TERMNOTE_VALUES = {
    "administrativeStatus": set(STATUS_TO_TBX.values()),
    "partOfSpeech": set(PARTS_OF_SPEECH),
    "termType": set(TERM_TYPES),
    "grammaticalGender": set(GENDERS),
    "geographicalUsage": None,  # free text
    "termLocation": {
        "checkBox",
        "comboBox",
        "comboBoxElement",
        "dialogBox",
        "groupBox",
        "informativeMessage",
        "interactiveMessage",
        "menuItem",
        "progressBar",
        "pushButton",
        "radioButton",
        "slider",
        "spinBox",
        "tab",
        "tableText",
        "textBox",
        "toolTip",
        "user-definedType",
    },
}


def _parser_args() -> dict[str, bool]:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


_ESCAPED = "untm-"  # prefix of an escaped id: then ASCII letters, digits and _HEX_ escapes
_KEPT = re.compile(r"[A-Za-z0-9]")
_ESCAPE = re.compile(r"_([0-9A-F]+)_")


def xml_id(concept_id: str) -> str:
    """``concept_id`` as an xsd:ID (TBX requires one): unchanged when already valid, otherwise
    escaped reversibly (``UN body`` → ``untm-UN_20_body``, ``UN/body`` → ``untm-UN_2F_body``), so two
    ids never meet and ``concept_id_of`` gives the id back on import."""
    if _NCNAME.match(concept_id) and not concept_id.startswith(_ESCAPED):
        return concept_id
    return _ESCAPED + "".join(ch if _KEPT.match(ch) else f"_{ord(ch):X}_" for ch in concept_id)


def concept_id_of(xml_id_value: str) -> str:
    """The concept id an ``xml_id`` stands for (ids untm did not escape come back as they are)."""
    if not xml_id_value.startswith(_ESCAPED):
        return xml_id_value
    body = xml_id_value[len(_ESCAPED) :]
    rest = _ESCAPE.sub("", body)
    if all(_KEPT.match(ch) for ch in rest):
        return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), body)
    return xml_id_value  # not our escaping: someone's own id that starts the same way


# -- writing -------------------------------------------------------------------------------
def write_tbx(
    concepts: Iterable[Concept],
    path: str | Path,
    *,
    source_lang: str = "en",
    title: str = "untm termbase export",
    source_desc: str = "untm",
) -> int:
    """Write TBX-Basic v3 (DCA) incrementally and atomically; returns the number of concepts."""
    count = 0
    with atomic_output(path, "wb") as handle:
        # lxml's incremental writer mishandles xml:lang on a default-namespace root, so the
        # root start tag is written by hand and every entry serialised on its own.
        handle.write(b'<?xml version="1.0" encoding="utf-8"?>\n')
        handle.write(
            f'<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang="{escape(source_lang)}">\n'.encode()
        )
        header = etree.Element(f"{{{NS}}}tbxHeader", nsmap={None: NS})
        file_desc = etree.SubElement(header, f"{{{NS}}}fileDesc")
        title_stmt = etree.SubElement(file_desc, f"{{{NS}}}titleStmt")
        etree.SubElement(title_stmt, f"{{{NS}}}title").text = title
        source = etree.SubElement(file_desc, f"{{{NS}}}sourceDesc")
        etree.SubElement(source, f"{{{NS}}}p").text = source_desc
        handle.write(_serialise(header))
        handle.write(b"<text>\n<body>\n")
        for concept in concepts:
            handle.write(_serialise(concept_element(concept)))
            count += 1
        handle.write(b"</body>\n</text>\n</tbx>\n")
    return count


def _serialise(element: etree._Element) -> bytes:
    """An element without its (inherited, redundant) default-namespace declaration."""
    text = etree.tostring(element, encoding="unicode", pretty_print=True)
    return text.replace(f' xmlns="{NS}"', "", 1).encode("utf-8")


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, type_: str | None = None
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", {"type": type_} if type_ else {})
    if text is not None:
        element.text = text
    return element


def concept_element(concept: Concept) -> etree._Element:
    """One ``conceptEntry`` in TBX-Basic DCA form."""
    entry = etree.Element(f"{{{NS}}}conceptEntry", {"id": xml_id(concept.id)}, nsmap={None: NS})
    if concept.date:
        group = _sub(entry, "transacGrp")
        _sub(group, "transac", "origination", "transactionType")
        _sub(group, "date", concept.date)
    if concept.subject:
        _sub(entry, "descrip", concept.subject, "subjectField")
    if concept.definition:
        _sub(entry, "descrip", concept.definition, "definition")
    if concept.source:
        _sub(entry, "admin", concept.source, "source")
    if concept.note:
        _sub(entry, "note", concept.note)
    for lang in concept.languages:
        lang_sec = _sub(entry, "langSec")
        lang_sec.set(XML_LANG, lang)
        for term in concept.terms_in(lang):
            term_sec = _sub(lang_sec, "termSec")
            _sub(term_sec, "term", term.text)
            _sub(term_sec, "termNote", STATUS_TO_TBX[term.status], "administrativeStatus")
            _sub(term_sec, "termNote", term.type.value, "termType")
            if term.pos:
                pos = term.pos if term.pos in PARTS_OF_SPEECH else "other"
                _sub(term_sec, "termNote", pos, "partOfSpeech")
            if term.context:
                _sub(term_sec, "descrip", term.context, "context")
            if term.source:
                _sub(term_sec, "admin", term.source, "source")
            if term.date:
                group = _sub(term_sec, "transacGrp")
                _sub(group, "transac", "origination", "transactionType")
                _sub(group, "date", term.date)
            if term.note:
                _sub(term_sec, "note", term.note)
            if term.not_inside:
                _sub(term_sec, "note", NOT_INSIDE + " " + "|".join(term.not_inside))
    return entry


# -- checking ------------------------------------------------------------------------------
def check_basic_rules(tree: etree._ElementTree | etree._Element, path: str | Path | None = None) -> list[str]:
    """The TBX-Basic DCA data-category rules the RELAX NG schema cannot express, as messages
    ``LINE: <element type=…>: problem`` (empty list = conforms)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    problems: list[str] = []

    def report(element: etree._Element, message: str) -> None:
        problems.append(
            f"{element.sourceline}: <{etree.QName(element).localname}"
            f"{' type=' + repr(element.get('type')) if element.get('type') else ''}>: {message}"
        )

    if root.get("type") != "TBX-Basic":
        report(root, "the dialect must be declared as type='TBX-Basic'")
    if root.get("style") != "dca":
        report(root, "the style must be 'dca'")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.namespace not in (NS, NS_ALT):
            report(element, "DCT-style (foreign namespace) elements are not allowed in DCA TBX")
            continue
        name, type_ = qname.localname, element.get("type")
        if type_ is not None and type_ == "":
            report(element, "empty data category")
        level = _level(element)
        if name == "termNote":
            if level != "termSec":
                report(element, "termNote is only allowed at termSec level")
            if type_ not in _TERMNOTE_VALUES:
                report(element, f"unknown termNote type (allowed: {', '.join(_TERMNOTE_VALUES)})")
                continue
            allowed = _TERMNOTE_VALUES[type_]
            value = (element.text or "").strip()
            if allowed is not None and value not in allowed:
                report(element, f"value {value!r} not allowed (allowed: {', '.join(sorted(allowed))})")
        elif (name, type_) in _LEVELS:
            if level not in _LEVELS[(name, type_)]:
                where = ", ".join(sorted(_LEVELS[(name, type_)]))
                report(element, f"not allowed at {level} level (only {where})")
            if name == "transac" and (element.text or "").strip() not in ("origination", "modification"):
                report(element, "transactionType must be origination or modification")
        elif name in ("descrip", "admin", "ref", "xref", "transac", "transacNote") and type_ is not None:
            report(element, "data category not in TBX-Basic")
    return problems


def _level(element: etree._Element) -> str | None:
    """The level (conceptEntry, langSec, termSec) an element belongs to, skipping *Grp wrappers."""
    parent = element.getparent()
    while parent is not None:
        local = etree.QName(parent).localname
        if local in ("conceptEntry", "langSec", "termSec"):
            return local
        if not local.endswith("Grp"):
            return local
        parent = parent.getparent()
    return None


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    """libxml2 2.14 and later stop an entity bomb while reading its declarations; say so in
    the reader's words rather than the parser's."""
    message = str(error.msg or error)
    if "amplification" in message.lower():
        return "the document declares XML entities that expand without bound; untm refuses it"
    return message


def validate_tbx(path: str | Path, schema: str | Path | None = None) -> list[str]:
    """RELAX NG (when ``schema`` is given) plus the TBX-Basic rules; messages, empty if valid."""
    parser = etree.XMLParser(**_parser_args())
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        return [f"{error.lineno}: not well-formed: {_syntax_message(error)}"]
    problems: list[str] = []
    if schema is not None:
        relaxng = etree.RelaxNG(etree.parse(str(schema), etree.XMLParser(**_parser_args())))
        if not relaxng.validate(tree):
            problems.extend(f"{e.line}: {e.message}" for e in relaxng.error_log)
    problems.extend(check_basic_rules(tree, path))
    return problems


# -- reading -------------------------------------------------------------------------------
def read_tbx(path: str | Path) -> Iterator[Concept]:
    """Concepts from TBX v3 (``tbx``/``conceptEntry``/``langSec``/``termSec``) or TBX 2008
    (``martif``/``termEntry``/``langSet``/``tig``|``ntig``). Bad input raises ``InputError``
    with the line and element; entries without an id get ``<file stem>-<n>``."""
    seen: dict[str, int] = {}
    number = 0
    try:
        context = etree.iterparse(
            str(path), events=("end",), tag=("{*}conceptEntry", "{*}termEntry"), **_parser_args()
        )
        for _, element in context:
            number += 1
            concept = _read_entry(element, path, f"{Path(path).stem}-{number}")
            if concept.id in seen:
                raise InputError(
                    f"duplicate id {concept.id!r} (first on line {seen[concept.id]})",
                    path=path,
                    line=element.sourceline,
                    element=_local(element),
                )
            seen[concept.id] = element.sourceline or 0
            element.clear()
            while element.getprevious() is not None:  # keep memory flat on large files
                del element.getparent()[0]
            yield concept
    except etree.XMLSyntaxError as error:
        raise InputError(
            f"not well-formed XML: {_syntax_message(error)}", path=path, line=error.lineno
        ) from None
    except OSError as error:
        raise InputError(f"cannot read: {error}", path=path) from None
    if number == 0:
        raise InputError("no conceptEntry (TBX v3) or termEntry (TBX 2008) elements", path=path)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _parts(element: etree._Element) -> dict[str, list[etree._Element]]:
    """Children by local name (any namespace), looking through ``*Grp`` wrappers except
    ``transacGrp``, in one pass."""
    out: dict[str, list[etree._Element]] = {}
    pending = [element]
    while pending:
        for child in pending.pop():
            local = _local(child)
            if not local:
                continue
            if local.endswith("Grp") and local != "transacGrp":
                pending.append(child)
            else:
                out.setdefault(local, []).append(child)
    return out


def _typed(parts: dict[str, list[etree._Element]], tag: str, type_: str) -> str | None:
    for child in parts.get(tag, ()):
        if child.get("type") == type_:
            return _prose(child)
    return None


def _text(element: etree._Element) -> str:
    """A term or a code: one line, runs of white space as one space."""
    return " ".join("".join(element.itertext()).split())


def _prose(element: etree._Element) -> str:
    """A note, definition or source: as written (line breaks kept), trimmed."""
    return "".join(element.itertext()).strip()


def _date(parts: dict[str, list[etree._Element]]) -> str | None:
    for group in parts.get("transacGrp", ()):
        for child in group:
            if _local(child) == "date":
                return _text(child)
    return None


def _read_entry(entry: etree._Element, path: str | Path, fallback_id: str) -> Concept:
    line = entry.sourceline
    cid = concept_id_of(entry.get("id") or fallback_id)
    parts = _parts(entry)
    notes = [_prose(n) for n in parts.get("note", ())]
    terms: list[Term] = []
    for lang_sec in parts.get("langSec", []) + parts.get("langSet", []):
        raw_lang = lang_sec.get(XML_LANG)
        if not raw_lang:
            raise InputError(
                "language section without xml:lang",
                path=path,
                line=lang_sec.sourceline,
                element=_local(lang_sec),
            )
        try:
            lang = lang_code(raw_lang)
        except InputError as error:
            raise InputError(error.message, path=path, line=lang_sec.sourceline, element="langSec") from None
        sec_parts = _parts(lang_sec)
        for term_sec in sec_parts.get("termSec", []) + sec_parts.get("tig", []) + sec_parts.get("ntig", []):
            terms.append(_read_term(term_sec, lang, path))
    if not terms:
        raise InputError(f"entry {cid!r} has no terms", path=path, line=line, element=_local(entry))
    return Concept(
        id=cid,
        terms=tuple(terms),
        subject=_typed(parts, "descrip", "subjectField"),
        definition=_typed(parts, "descrip", "definition"),
        note="; ".join(notes) or None,
        source=_typed(parts, "admin", "source"),
        date=_date(parts),
    )


def _read_term(term_sec: etree._Element, lang: str, path: str | Path) -> Term:
    parts = _parts(term_sec)
    found = parts.get("term")
    text = _text(found[0]) if found else ""
    if not text:
        raise InputError(
            "term section without a term", path=path, line=term_sec.sourceline, element=_local(term_sec)
        )
    values: dict[str, tuple[str, int | None]] = {}
    for note in parts.get("termNote", ()):
        values.setdefault(note.get("type") or "", (_text(note), note.sourceline))
    status_value, status_line = values.get("administrativeStatus", ("", term_sec.sourceline))
    status = Status.parse(status_value, path=path, line=status_line, element="termNote")
    type_value, type_line = values.get("termType", ("", term_sec.sourceline))
    term_type = (
        TermType.FULL_FORM
        if type_value == "phrase"
        else TermType.parse(type_value, path=path, line=type_line, element="termNote")
    )
    notes: list[str] = []
    not_inside: tuple[str, ...] = ()
    for note in parts.get("note", ()):
        body = _prose(note)
        if body.startswith(NOT_INSIDE):
            not_inside = tuple(p.strip() for p in body[len(NOT_INSIDE) :].split("|") if p.strip())
        else:
            notes.append(body)
    return Term(
        lang=lang,
        text=text,
        status=status,
        type=term_type,
        pos=values.get("partOfSpeech", ("", 0))[0] or None,
        context=_typed(parts, "descrip", "context"),
        source=_typed(parts, "admin", "source"),
        note="; ".join(notes) or None,
        date=_date(parts),
        not_inside=not_inside,
    )
