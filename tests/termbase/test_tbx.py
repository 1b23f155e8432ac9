"""TBX-Basic v3 export validates (RELAX NG + data-category rules); TBX v3 and 2008 import."""

from __future__ import annotations

import pytest
from lxml import etree
from translate.storage import tbx as tt_tbx

from termbase.model import Status, TermType
from termbase.tbx import check_basic_rules, read_tbx, validate_tbx, write_tbx
from tests.conftest import schema_path
from uncore.errors import InputError


def _sorted(concepts):
    return [
        (
            c.id,
            c.subject,
            c.note,
            sorted((t.lang, t.text, t.status, t.type, t.source, t.not_inside) for t in c.terms),
        )
        for c in concepts
    ]


def test_export_validates_and_round_trips(bundled, tmp_path):
    path = tmp_path / "un.tbx"
    assert write_tbx(bundled, path) == len(bundled)
    assert validate_tbx(path, schema_path("TBX-Basic_v3_integrated.rng")) == []
    assert _sorted(read_tbx(path)) == _sorted(bundled)


def test_the_dialects_own_example_is_valid_and_imports():
    example = schema_path("TBX-Basic_example_DCA_valid.tbx")
    assert validate_tbx(example, schema_path("TBX-Basic_v3_integrated.rng")) == []
    concepts = list(read_tbx(example))
    first = concepts[0]
    assert first.id == "c1" and first.subject == "General"
    assert first.terms[0].text == "open cluster" and first.terms[0].status is Status.PREFERRED
    assert any(t.status is Status.SUPERSEDED for t in first.terms)


def test_rule_checks_catch_what_relaxng_allows(tmp_path):
    tree = etree.parse(str(schema_path("TBX-Basic_example_DCA_valid.tbx")))
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    status = tree.find(".//t:termNote[@type='administrativeStatus']", ns)
    status.text = "recommendedTerm"
    subject = tree.find(".//t:descrip[@type='subjectField']", ns)
    tree.find(".//t:langSec", ns).insert(0, subject)  # subjectField moved to langSec level
    problems = check_basic_rules(tree)
    assert any("'recommendedTerm' not allowed" in p for p in problems)
    assert any("subjectField" in p and "not allowed at langSec level" in p for p in problems)


def test_tbx_2008_from_translate_toolkit(tmp_path):
    store = tt_tbx.tbxfile()
    store.setsourcelanguage("en")
    store.settargetlanguage("zh")
    unit = store.addsourceunit("Republic of Korea")
    unit.target = "大韩民国"
    unit.addnote("UN name")
    path = tmp_path / "tt.tbx"
    path.write_bytes(bytes(store))
    (concept,) = read_tbx(path)
    assert concept.id == "tt-1"
    assert [(t.lang, t.text) for t in concept.terms] == [("en", "Republic of Korea"), ("zh", "大韩民国")]
    assert concept.note == "UN name"
    assert concept.terms[0].type is TermType.FULL_FORM


def test_bad_tbx_is_reported_with_line(tmp_path):
    broken = tmp_path / "broken.tbx"
    broken.write_text(
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a">', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"broken\.tbx:1: not well-formed"):
        list(read_tbx(broken))
    dup = tmp_path / "dup.tbx"
    entry = (
        '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>x</term></termSec></langSec>'
        "</conceptEntry>"
    )
    dup.write_text(
        f'<tbx xmlns="urn:iso:std:iso:30042:ed-2">\n<text><body>\n{entry}\n{entry}\n</body></text></tbx>',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"dup.tbx:4 <conceptEntry>: duplicate id 'a'"):
        list(read_tbx(dup))
    status = tmp_path / "status.tbx"
    status.write_text(
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a"><langSec xml:lang="en">'
        '<termSec><term>x</term>\n<termNote type="administrativeStatus">bogus</termNote></termSec></langSec>'
        "</conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"status.tbx:2 <termNote>: unknown term status 'bogus'"):
        list(read_tbx(status))


def test_entities_are_not_expanded(tmp_path):
    path = tmp_path / "xxe.tbx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a">'
        '<langSec xml:lang="en"><termSec><term>a&x;</term></termSec></langSec></conceptEntry>'
        "</body></text></tbx>",
        encoding="utf-8",
    )
    concepts = list(read_tbx(path))
    assert "root:" not in concepts[0].terms[0].text


def test_an_entity_bomb_is_refused_with_a_clear_message(tmp_path):
    """libxml2 2.14 (lxml 6) stops the bomb at its declarations; the message says why."""
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.tbx"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE tbx [{entities}]>'
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a">'
        '<langSec xml:lang="en"><termSec><term>&l9;</term></termSec></langSec></conceptEntry>'
        "</body></text></tbx>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"bomb.tbx:1: .*declares XML entities that expand without bound"):
        list(read_tbx(path))
    assert "declares XML entities" in validate_tbx(path)[0]
