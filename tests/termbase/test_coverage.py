"""Coverage of the bundled UN termbase beyond the States (#13): every UN-system rendering has its
evidence in UN text or a citation, the issue's own examples are found in every language, and the
held-out list (tests/termbase/heldout_un_bodies.tsv, drawn from unpc-dev by a fixed rule and never
used to choose entries) is found through `untm term lookup`'s code path.

The built file under test is ``termbase/bundled/un-terms.tsv``, or ``$UNTM_TERMS_TSV`` when set
(a build into another path: ``python -m termbase.build --output /tmp/un-terms.tsv``).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from termbase.build import OUTPUT
from termbase.evidence import find_everywhere, source_kind
from termbase.lookup import lookup
from termbase.model import Status
from termbase.store import Termbase
from termbase.tabular import read_table

TERMS = Path(os.environ.get("UNTM_TERMS_TSV") or OUTPUT)
HELDOUT = Path(__file__).with_name("heldout_un_bodies.tsv")
# Measured on the build of this commit (docs/bench-termbase.md): 27 of 43 found by their own
# names in en, zh and ru; 32 of 43 with some concept in all three, of which 2 are the right one by
# a shorter or longer name (Permanent Forum, United Nations Commission on Human Rights) and 3 a
# neighbouring concept (Special Representative -> of the Secretary-General; a statement by the
# President of the Security Council -> the President; the Secretary-General's Climate Change
# Support Team -> the Secretary-General). After the additions of docs/termbase-coverage.md: 27 and
# 33 (the UNOPS Strategy and Audit Advisory Committee now gives UNOPS, a neighbour, through 项目厅).
# Ninth session (docs/termbase-coverage.md): 28 and 33 (the Permanent Forum is now found by its own
# name: the short forms Permanent Forum / 常设论坛 / Постоянный форум, read off other unpc-dev tuples).
# Tenth session (names harvested from unpc-dev by rule H13-caps, see the commits): 33 and 39.
# Floors, not targets.
HELDOUT_EXACT_FLOOR = 33
HELDOUT_FOUND_FLOOR = 38


@pytest.fixture(scope="module")
def bundled():
    return read_table(TERMS, "tsv")


@pytest.fixture(scope="module")
def base(bundled):
    termbase = Termbase.open(":memory:", seed=False)
    termbase.import_concepts(bundled)
    return termbase


def heldout_rows() -> list[dict[str, str]]:
    lines = [line for line in HELDOUT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_un_system_term_has_its_evidence(bundled) -> None:
    system = [c for c in bundled if (c.source or "").startswith("UN usage: termbase/bundled/un-system.tsv")]
    assert len(system) >= 275  # 278 on the build of #13's second pass (docs/termbase-coverage.md)
    for concept in system:
        for term in concept.terms:
            assert source_kind(term.source or "") != "other", (concept.id, term.text, term.source)
            if term.status is Status.DEPRECATED:
                assert "none of the 4,000 unpc-dev tuples" in term.source
    trio = [c for c in system if all(c.preferred(lang) for lang in ("en", "zh", "ru"))]
    assert len(trio) >= 503  # 246 then; 434 the 8th session, 456 9th, 500 10th, 502 11th, 503 12th


def test_a_name_written_only_inside_a_longer_one_is_attested(bundled) -> None:
    """unpc-dev writes the ICPD only inside 'Programme of Action of the International Conference
    on Population and Development' / 《国际人口与发展会议行动纲领》: the second pass of
    termbase.evidence finds it there, in en, zh and ru of one tuple."""
    icpd = next(c for c in bundled if c.id == "conf-ICPD")
    assert icpd.preferred("zh").text == "国际人口与发展会议"
    for lang in ("en", "zh", "ru"):
        assert source_kind(icpd.preferred(lang).source or "") == "unpc-dev, same tuple", lang


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("Security Council", "organ-SC"),
        ("安理会", "organ-SC"),
        ("Совета Безопасности", "organ-SC"),
        ("Secretary-General", "title-SG"),
        ("Economic and Social Council", "organ-ECOSOC"),
        ("Генеральная Ассамблея", "organ-GA"),
        ("安全理事会", "organ-SC"),
        ("UNDP", "fp-UNDP"),
        ("开发署", "fp-UNDP"),
        ("ПРООН", "fp-UNDP"),
        ("儿基会", "fp-UNICEF"),
        ("ЮНИСЕФ", "fp-UNICEF"),
        ("人权高专办", "off-OHCHR"),
        ("УВКПЧ", "off-OHCHR"),
        ("Human Rights Council", "body-HRC"),
        ("Peacebuilding Commission", "body-PBC"),
        ("Commission on the Status of Women", "body-CSW"),
        ("Universal Declaration of Human Rights", "instr-UDHR"),
        ("Déclaration universelle des droits de l’homme", "instr-UDHR"),
        ("Повестка дня в области устойчивого развития на период до 2030 года", "instr-AGENDA2030"),
        ("2015-2030年仙台减少灾害风险框架", "instr-SENDAI"),
        ("在全世界消除一切形式的贫穷", "sdg-01"),
        ("International Telecommunication Union", "sa-ITU"),
        ("国际电联", "sa-ITU"),
        ("МСЭ", "sa-ITU"),
        ("全环基金", "fp-GEF"),
        ("НЕПАД", "igo-NEPAD"),
        # tenth session: names harvested from the English of unpc-dev by rule H13-caps
        ("Convention on Nuclear Safety", "instr-CNS"),
        ("核材料实物保护公约", "instr-CPPNM"),
        ("Комитет по рассмотрению химических веществ", "body-CRC-ROTTERDAM"),
        ("大会特别会议", "conf-GA-SPECIAL-SESSION"),
        ("специальной сессии Генеральной Ассамблеи", "conf-GA-SPECIAL-SESSION"),
        ("Division of Environmental Law and Conventions", "off-UNEP-DELC"),
        ("土著人民问题机构间支助组", "body-IASG"),
        ("Римского статута", "instr-ROME"),
        ("Group of Non-Aligned States Parties to the Treaty", "igo-NAM-NPT"),
        # eleventh session: cited from GA resolution 428 (V) and UNHCR's own pages
        ("UNHCR", "fp-UNHCR"),
        ("难民署", "fp-UNHCR"),
        ("Управления Верховного комиссара Организации Объединенных Наций по делам беженцев", "fp-UNHCR"),
        ("United Nations High Commissioner for Refugees", "title-HCR"),
        ("Верховного комиссара Организации Объединенных Наций по делам беженцев", "title-HCR"),
        # twelfth session: cited from UN pages (UNOG's bilingual FCCC/CP/2015/10/Add.1, the UN
        # Information Centre in Moscow, UN News, UN Web TV, press releases, UNPOS)
        ("Paris Agreement", "instr-PARIS"),
        ("巴黎协定", "instr-PARIS"),
        ("Парижского соглашения", "instr-PARIS"),
        ("Addis Ababa Action Agenda", "instr-AAAA"),
        ("亚的斯亚贝巴行动议程", "instr-AAAA"),
        ("Programme d’action d’Addis-Abeba", "instr-AAAA"),
        ("Treaty on the Prohibition of Nuclear Weapons", "instr-TPNW"),
        ("禁止核武器条约", "instr-TPNW"),
        ("Office for the Coordination of Humanitarian Affairs", "off-OCHA"),
        ("OCHA", "off-OCHA"),
        ("人道主义事务协调厅", "off-OCHA"),
        # thirteenth session: cited from press releases, un.org pages, Refworld and the agencies'
        # own pages (ICAO, WIPO)
        ("Universal Postal Union", "sa-UPU"),
        ("UPU", "sa-UPU"),
        ("International Civil Aviation Organization", "sa-ICAO"),
        ("国际民航组织", "sa-ICAO"),
        ("ВОИС", "sa-WIPO"),
        ("Convention on International Trade in Endangered Species of Wild Fauna and Flora", "instr-CITES"),
        ("CITES", "instr-CITES"),
        ("濒危物种公约", "instr-CITES"),
        ("Convention relating to the Status of Refugees", "instr-REFCONV"),
        ("Vienna Convention on Diplomatic Relations", "instr-VCDR"),
        ("劳工组织", "sa-ILO"),
    ],
)
def test_the_names_a_translator_looks_up_first(base, query: str, concept: str) -> None:
    results = lookup(base, query)
    assert results and results[0].concept_id == concept, [(r.concept_id, r.match) for r in results]


def test_press_forms_are_deprecated_with_the_un_name(base) -> None:
    hit = lookup(base, "UN Security Council")[0]
    assert hit.concept_id == "organ-SC" and hit.status is Status.DEPRECATED
    assert hit.replacement is not None and hit.replacement.text == "Security Council"
    assert lookup(base, "安理会")[0].status is Status.ADMITTED  # a UN Chinese abbreviation
    press = lookup(base, "联合国发展署")[0]  # a press form (Deutsche Welle), written in no UN tuple
    assert press.concept_id == "fp-UNDP" and press.status is Status.DEPRECATED
    assert press.replacement is not None and press.replacement.text == "联合国开发计划署"


def test_heldout_un_bodies_are_found_in_en_zh_and_ru(base) -> None:
    rows = heldout_rows()
    assert len(rows) == 43
    exact = found = 0
    misses = []
    for row in rows:
        concept, by_name = find_everywhere(base, {"en": row["en"], "zh": row["zh"], "ru": row["ru"]})
        exact += by_name
        found += concept is not None
        if not by_name:
            misses.append((row["en"], concept))
    print(
        f"held-out: {exact}/{len(rows)} by name in en, zh and ru; {found}/{len(rows)} some concept;"
        f" not by name: {misses}"
    )
    assert exact >= HELDOUT_EXACT_FLOOR, misses
    assert found >= HELDOUT_FOUND_FLOOR, misses
