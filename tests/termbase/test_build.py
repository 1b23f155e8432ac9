"""The bundled termbase is built from ../shared/data and the curated files, and the committed
build output is what the script produces today."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from termbase.build import OUTPUT, build, clean_formal, clean_short
from termbase.model import Status
from termbase.tabular import read_table
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def built():
    return build(shared_path(), date="2026-01-01")


def test_all_member_and_observer_states(built):
    states = [c for c in built if c.id.startswith("country-")]
    assert len(states) == 195
    assert sum(c.subject == "observer States" for c in states) == 2
    for concept in states:
        for lang in ("zh", "ru", "en", "fr", "es", "ar"):
            assert concept.preferred(lang) is not None, (concept.id, lang)
            assert concept.preferred(lang).source
            assert concept.preferred(lang).date == "2026-01-01"


def test_names_come_from_unterm_and_m49(built):
    by_id = {c.id: c for c in built}
    assert by_id["country-KOR"].preferred("zh").text == "大韩民国"
    assert by_id["country-KOR"].preferred("ru").text == "Республика Корея"
    assert by_id["country-TUR"].preferred("en").text == "Türkiye"
    assert "M49" in by_id["country-TUR"].preferred("en").source
    # UNSD-en.csv says "Ivory Coast": the curated fallback overrides it with the UN name.
    assert by_id["country-CIV"].preferred("en").text == "Côte d'Ivoire"
    assert by_id["country-VAT"].preferred("en").text == "Holy See"
    assert by_id["country-PSE"].preferred("zh").text == "巴勒斯坦国"
    assert {t.text for t in by_id["country-KOR"].terms_in("zh") if t.status is Status.DEPRECATED} == {
        "南朝鲜",
        "韩国",
        "南韩",
    }


def test_bodies_from_the_samarkand_communique(built):
    by_id = {c.id: c for c in built}
    unodc = by_id["org-UNODC"]
    assert unodc.preferred("zh").text == "联合国毒品和犯罪问题办公室"
    assert "毒品和犯罪问题办公室" in {t.text for t in unodc.terms_in("zh")}
    seed = shared_path("seed", "A72-samarkand-communique.zh.txt").read_text(encoding="utf-8")
    flat = "".join(seed.split())
    for cid in (
        "org-UNRCCA",
        "org-OSCE",
        "org-EU",
        "org-SCO",
        "org-CIS",
        "org-INTERPOL",
        "instr-CANWFZ",
        "instr-GCTS",
        "instr-JPOA-CA",
        "instr-ASHGABAT",
        "instr-AGENDA21",
    ):
        zh = by_id[cid].preferred("zh").text
        assert zh in flat, cid  # cross-checked against the seed's own wording
        assert by_id[cid].preferred("ru") and by_id[cid].preferred("en")


def test_committed_output_matches_a_fresh_build(built):
    # $UNTM_TERMS_TSV: check a build written elsewhere (python -m termbase.build --output PATH)
    committed = read_table(Path(os.environ.get("UNTM_TERMS_TSV") or OUTPUT), "tsv")
    strip = lambda cs: [replace(c, terms=tuple(replace(t, date=None) for t in c.terms)) for c in cs]  # noqa: E731
    assert strip(committed) == strip([replace(c, source=c.source) for c in built])


def test_cleaning_unterm_names():
    assert clean_short("Republic of Korea (the)") == "Republic of Korea"
    assert clean_short("State of Palestine (the) *") == "State of Palestine"
    assert clean_short("Bolivia (Plurinational State of)") == "Bolivia (Plurinational State of)"
    assert clean_formal("the Republic of Korea") == "Republic of Korea"
    assert clean_formal("l'État de Palestine *") == "État de Palestine"


def test_curated_terms_carry_their_justification(built):
    by_id = {c.id: c for c in built}
    curated = [t for c in built for t in c.terms if (t.source or "").startswith("curated: ")]
    assert len(curated) > 80
    for term in curated:
        assert len(term.source) > len("curated: ") + 10, term
    statuses = {(c.id, t.lang, t.text): t.status for c in built for t in c.terms}
    for key, status in {
        ("country-USA", "en", "America"): Status.DEPRECATED,
        ("country-USA", "ru", "Америка"): Status.DEPRECATED,
        ("country-GBR", "ru", "Англия"): Status.DEPRECATED,
        ("country-NLD", "ru", "Голландия"): Status.DEPRECATED,
        ("country-BLR", "en", "Belorussia"): Status.DEPRECATED,
        ("country-BRN", "zh", "文莱"): Status.ADMITTED,  # official UN text writes it (unpc-dev)
        ("country-USA", "ru", "Соединенные Штаты"): Status.ADMITTED,
        ("country-GBR", "ru", "Соединенное Королевство"): Status.ADMITTED,
        ("country-GBR", "zh", "联合王国"): Status.ADMITTED,
        ("country-BOL", "zh", "玻利维亚多民族国"): Status.ADMITTED,
        # the Chinese of the admitted short form "the United States" (UN Chinese editorial usage)
        ("country-USA", "zh", "美国"): Status.ADMITTED,
        ("country-USA", "ru", "США"): Status.ADMITTED,
        ("country-GBR", "zh", "英国"): Status.ADMITTED,
        ("country-KOR", "zh", "韩国"): Status.DEPRECATED,  # media usage: official UN text never writes it
        ("country-MKD", "en", "Macedonia"): Status.DEPRECATED,
    }.items():
        assert statuses[key] is status, key
    # the exceptions are data, kept with the term
    usa_ru = {t.text: t for t in by_id["country-USA"].terms_in("ru")}
    assert "доллар США" in usa_ru["США"].not_inside
    assert "叙利亚戈兰" in {t.text: t for t in by_id["country-SYR"].terms_in("zh")}["叙利亚"].not_inside


def test_press_and_taiwan_forms_are_not_un_usage_and_are_flagged(matcher) -> None:
    """Every form deprecated in country-variants-press.tsv is absent from the official UN text
    of unpc-dev and unpc-align-dev (outside a longer UN name), and QA's finder flags it in running
    text, Traditional or Simplified, with the UN name to use."""
    import csv
    from pathlib import Path

    from tests.conftest import shared_path
    from uncore.lang.normalize import normalize

    press = Path(__file__).resolve().parents[2] / "termbase" / "bundled" / "country-variants-press.tsv"
    rows = list(csv.DictReader(press.open(encoding="utf-8"), delimiter="\t"))
    deprecated = [r for r in rows if r["status"] == "deprecated" and r["lang"] == "zh"]
    assert len(deprecated) >= 60
    aligned = sorted(shared_path("unpc-align-dev").glob("*/zh.txt"))
    texts = [shared_path("unpc-dev", "UNv1.0.devset.zh"), *aligned]
    un_lines = [line for path in texts for line in path.read_text(encoding="utf-8").splitlines()]
    wanted = {normalize(r["term"]) for r in deprecated}
    for line in un_lines:  # the finder on the UN text itself: none of these forms is found
        found = {normalize(h.surface) for h in matcher.find(line, "zh")} & wanted
        assert not found, (found, line)
    for row in deprecated:
        for written in (row["term"], normalize(row["term"])):
            hits = [
                h for h in matcher.find(f"{written}代表团发言。", "zh") if h.concept_id == row["concept_id"]
            ]
            assert hits and hits[0].status.value == "deprecated", written
            assert hits[0].replacement is not None


def test_un_forms_of_the_congos_are_admitted_and_zaire_superseded(matcher) -> None:
    hits = matcher.find("刚果（金）和刚果（布）的代表团以及扎伊尔", "zh")
    got = [(h.concept_id, h.status.value) for h in hits]
    assert got == [("country-COD", "admitted"), ("country-COG", "preferred"), ("country-COD", "superseded")]
    ru = matcher.find("Делегация ДРК и представитель Конго-Браззавиля", "ru")
    assert [(h.concept_id, h.status.value) for h in ru] == [
        ("country-COD", "admitted"),
        ("country-COG", "deprecated"),
    ]


def test_un_system_renderings_are_evidenced_or_cited(built):
    """Every term from un-system.tsv says where it was found: a unpc-dev tuple with the other
    language's name, UN English text, the UDHR or a cited source; deprecated forms are those the
    UN text never writes. Registers are typed as in TBX."""
    from termbase.evidence import source_kind
    from termbase.model import TermType

    by_id = {c.id: c for c in built}
    system = [c for c in built if (c.source or "").startswith("UN usage: termbase/bundled/un-system.tsv")]
    assert len(system) >= 240
    for concept in system:
        for term in concept.terms:
            assert source_kind(term.source or "") != "other", (concept.id, term)
            assert term.date == "2026-01-01"
    sc = {(t.lang, t.text): t for t in by_id["organ-SC"].terms}
    assert (
        sc[("zh", "安理会")].status is Status.ADMITTED and sc[("zh", "安理会")].type is TermType.ABBREVIATION
    )
    assert sc[("en", "UN Security Council")].status is Status.DEPRECATED
    assert "unpc-dev: " in sc[("zh", "安全理事会")].source
    unicef = {t.text: t for t in by_id["fp-UNICEF"].terms}
    assert unicef["UNICEF"].type is TermType.ACRONYM and unicef["儿基会"].type is TermType.ABBREVIATION
    assert by_id["fp-UNICEF"].preferred("ru").text == "Детский фонд Организации Объединенных Наций"
