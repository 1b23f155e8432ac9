"""SRX 2.0 segmentation rules: read, write, and compile them into one regex per language.

SRX (LISA Segmentation Rules eXchange 2.0) is what OmegaT, Okapi and most CAT tools import, so
keeping untm's sentence rules in it lets a translator edit them and take the same rules to the
tool they translate in. A rule is a pair of regexes around a candidate position: ``beforebreak``
must match the text ending there, ``afterbreak`` the text starting there; at each position the
*first* matching rule of the language decides (``break="yes"`` splits, ``break="no"`` protects).
With ``cascade="yes"`` the rules of every matching ``languagemap`` are used, in map order.

No maintained PyPI package reads and writes SRX 2.0 *and* compiles the rules into one pass
(``choppa-srx`` is a young port of the Java *segment* library that loops rule by rule), so this is
a small reader/writer on lxml. Rules are ICU/Java regexes; the ``regex`` module understands their
``\\p{Lu}`` classes and variable-width look-behind, which Python's ``re`` does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import regex
from lxml import etree

from uncore.errors import InputError

SRX_NS = "http://www.lisa.org/srx20"
_N = f"{{{SRX_NS}}}"


@dataclass(frozen=True)
class Rule:
    """One SRX rule; ``breaks`` is the ``break`` attribute (``yes`` when absent, as SRX says)."""

    breaks: bool
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class LanguageMap:
    """``languagepattern`` (a regex on the language code) → ``languagerulename``."""

    pattern: str
    rulename: str

    def matches(self, code: str) -> bool:
        return regex.fullmatch(self.pattern, code, regex.IGNORECASE) is not None


@dataclass(frozen=True)
class SrxRules:
    """A whole SRX document: named rule lists and the maps that pick them per language."""

    languagerules: tuple[tuple[str, tuple[Rule, ...]], ...]
    maprules: tuple[LanguageMap, ...]
    cascade: bool = True
    segmentsubflows: bool = True

    def rules_for(self, code: str) -> tuple[Rule, ...]:
        """The ordered rules that apply to ``code`` (``zh``, ``zh-CN``, ``ru``…)."""
        named = dict(self.languagerules)
        found: list[Rule] = []
        for lmap in self.maprules:
            if lmap.matches(code):
                found.extend(named.get(lmap.rulename, ()))
                if not self.cascade:
                    break
        return tuple(found)


class CompiledRules:
    """The rules of one language compiled for a single left-to-right pass.

    Two combined patterns: ``candidates`` finds only positions where some *break* rule matches
    (few per paragraph), and ``decide`` is every rule in order as one alternation of zero-width
    ``(?<=before)(?=after)`` branches, tried once per candidate. The first branch that matches is
    the first SRX rule that matches, which is exactly SRX's "first rule wins" semantics.
    """

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        branches = [_branch(rule, i) for i, rule in enumerate(rules)]
        breaking = [b for b, rule in zip(branches, rules, strict=True) if rule.breaks]
        try:
            self.decide = regex.compile("|".join(branches) or "(?!)")
            self.candidates = regex.compile("|".join(breaking) or "(?!)")
        except regex.error as error:
            raise InputError(f"SRX rule is not a valid regular expression: {error}") from error

    def breaks(self, text: str) -> Iterator[int]:
        """Positions (0 < pos < len(text)) where ``text`` is split."""
        last = -1
        for match in self.candidates.finditer(text):
            pos = match.start()
            if pos == last or pos <= 0 or pos >= len(text):
                continue
            last = pos
            decided = self.decide.match(text, pos)
            rule = None if decided is None or decided.lastgroup is None else int(decided.lastgroup[1:])
            if rule is not None and self.rules[rule].breaks:
                yield pos


def _branch(rule: Rule, index: int) -> str:
    before = f"(?<={rule.before})" if rule.before else ""
    after = f"(?={rule.after})" if rule.after else ""
    return f"{before}{after}(?P<r{index}>)"


def read_srx(path: str | Path) -> SrxRules:
    """Parse an SRX 2.0 file (safely: no entities, no DTD, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError as error:
        raise InputError(f"cannot read SRX file: {error}", path=path) from error
    except etree.XMLSyntaxError as error:
        raise InputError(f"not well-formed XML: {error.msg}", path=path, line=error.lineno) from error
    return _from_tree(root, path)


def parse_srx(text: str | bytes, path: str | Path | None = None) -> SrxRules:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"not well-formed XML: {error.msg}", path=path, line=error.lineno) from error
    return _from_tree(root, path)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _from_tree(root: etree._Element, path: str | Path | None) -> SrxRules:
    if _local(root.tag) != "srx":
        raise InputError("not an SRX file (root element is not <srx>)", path=path, element=_local(root.tag))
    header = next((e for e in root if _local(e.tag) == "header"), None)
    cascade = header is not None and header.get("cascade", "no").lower() == "yes"
    subflows = header is None or header.get("segmentsubflows", "yes").lower() == "yes"
    languagerules: list[tuple[str, tuple[Rule, ...]]] = []
    maprules: list[LanguageMap] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "languagerule":
            rulename = element.get("languagerulename")
            if not rulename:
                raise InputError(
                    "languagerule without languagerulename",
                    path=path,
                    line=element.sourceline,
                    element="languagerule",
                )
            rules = []
            for rule_el in element:
                if _local(rule_el.tag) != "rule":
                    continue
                parts = {_local(c.tag): (c.text or "") for c in rule_el}
                rule = Rule(
                    breaks=rule_el.get("break", "yes").lower() != "no",
                    before=parts.get("beforebreak", ""),
                    after=parts.get("afterbreak", ""),
                )
                for pattern in (rule.before, rule.after):
                    try:
                        regex.compile(pattern)
                    except regex.error as error:
                        raise InputError(
                            f"bad regex {pattern!r}: {error}",
                            path=path,
                            line=rule_el.sourceline,
                            element="rule",
                        ) from error
                rules.append(rule)
            languagerules.append((rulename, tuple(rules)))
        elif name == "languagemap":
            pattern, rulename = element.get("languagepattern"), element.get("languagerulename")
            if pattern is None or rulename is None:
                raise InputError(
                    "languagemap needs languagepattern and languagerulename",
                    path=path,
                    line=element.sourceline,
                    element="languagemap",
                )
            maprules.append(LanguageMap(pattern, rulename))
    known = {name for name, _ in languagerules}
    for lmap in maprules:
        if lmap.rulename not in known:
            raise InputError(
                f"languagemap names unknown languagerule {lmap.rulename!r}", path=path, element="languagemap"
            )
    return SrxRules(tuple(languagerules), tuple(maprules), cascade=cascade, segmentsubflows=subflows)


def to_xml(rules: SrxRules) -> bytes:
    """Serialise ``rules`` as an SRX 2.0 document (what ``--export-srx`` writes)."""
    root = etree.Element(_N + "srx", nsmap={None: SRX_NS}, version="2.0")
    header = etree.SubElement(
        root,
        _N + "header",
        segmentsubflows="yes" if rules.segmentsubflows else "no",
        cascade="yes" if rules.cascade else "no",
    )
    for kind, include in (("start", "no"), ("end", "yes"), ("isolated", "yes")):
        etree.SubElement(header, _N + "formathandle", type=kind, include=include)
    body = etree.SubElement(root, _N + "body")
    lrules = etree.SubElement(body, _N + "languagerules")
    for name, rule_list in rules.languagerules:
        lrule = etree.SubElement(lrules, _N + "languagerule", languagerulename=name)
        for rule in rule_list:
            rule_el = etree.SubElement(lrule, _N + "rule", attrib={"break": "yes" if rule.breaks else "no"})
            etree.SubElement(rule_el, _N + "beforebreak").text = rule.before
            etree.SubElement(rule_el, _N + "afterbreak").text = rule.after
    mrules = etree.SubElement(body, _N + "maprules")
    for lmap in rules.maprules:
        etree.SubElement(
            mrules, _N + "languagemap", languagepattern=lmap.pattern, languagerulename=lmap.rulename
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_OMEGAT = "org.omegat.core.segmentation."


def to_omegat_conf(rules: SrxRules) -> bytes:
    """The same rules as OmegaT 3.x's project file ``omegat/segmentation.conf``.

    OmegaT before 4.x keeps a project's own segmentation not as SRX but as its ``SRX`` object
    written by ``java.beans.XMLEncoder`` (one ``MapRule`` per language map, with that map's rules;
    OmegaT always cascades). Debian ships OmegaT 3.6, so this is the file that makes such a
    project segment as untm does; ``tests/aligner/test_srx.py`` loads it in OmegaT itself."""
    named = dict(rules.languagerules)

    def prop(parent: etree._Element, name: str, kind: str, value: str) -> None:
        holder = etree.SubElement(parent, "void", property=name)
        etree.SubElement(holder, kind).text = value

    root = etree.Element("java", version="1.8.0", attrib={"class": "java.beans.XMLDecoder"})
    srx = etree.SubElement(root, "object", attrib={"class": _OMEGAT + "SRX"})
    maps = etree.SubElement(srx, "void", property="mappingRules")
    for lmap in rules.maprules:
        maprule = etree.SubElement(etree.SubElement(maps, "void", method="add"), "object")
        maprule.set("class", _OMEGAT + "MapRule")
        prop(maprule, "language", "string", lmap.rulename)
        prop(maprule, "pattern", "string", lmap.pattern)
        holder = etree.SubElement(maprule, "void", property="rules")
        rule_list = etree.SubElement(holder, "object", attrib={"class": "java.util.ArrayList"})
        for rule in named[lmap.rulename]:
            element = etree.SubElement(etree.SubElement(rule_list, "void", method="add"), "object")
            element.set("class", _OMEGAT + "Rule")
            prop(element, "afterbreak", "string", rule.after)
            prop(element, "beforebreak", "string", rule.before)
            prop(element, "breakRule", "boolean", "true" if rule.breaks else "false")
    prop(srx, "segmentSubflows", "boolean", "true" if rules.segmentsubflows else "false")
    prop(srx, "version", "string", "0.2.2")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
