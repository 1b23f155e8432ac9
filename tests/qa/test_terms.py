"""Terminology checks on real UN sentences (unpc-dev line 1027: the Government of the Republic
of Korea nominates Seongmee Yoon) with planted non-UN names, and on the Samarkand communiqué."""

from __future__ import annotations

from qa import Severity, run_checks
from termbase.model import Concept, Status, Term, TermType
from termbase.store import Termbase
from tests.qa.conftest import tuple_unit
from tmx.units import TranslationUnit

KOREA = 1026  # 0-based: "2. The Government of the Republic of Korea has nominated ..."


def findings(units, matcher, check, **kw):  # type: ignore[no-untyped-def]
    return list(run_checks(units, matcher, source="en", targets=["zh", "ru"], checks=[check], **kw))


def test_untouched_tuple_has_no_term_findings(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    unit = tuple_unit(unpc, KOREA)
    assert findings([unit], matcher, "deprecated-term") == []
    assert findings([unit], matcher, "missing-term") == []


def test_planted_chinese_variant_is_an_error_with_the_un_name(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    zh = unpc["zh"][KOREA].replace("大韩民国", "南朝鲜")
    [finding] = findings([tuple_unit(unpc, KOREA, zh=zh)], matcher, "deprecated-term")
    assert (finding.lang, finding.found, finding.suggestion, finding.severity) == (
        "zh",
        "南朝鲜",
        "大韩民国",
        Severity.ERROR,
    )
    assert zh[finding.start : finding.end] == "南朝鲜"
    assert finding.concept == "country-KOR"


def test_planted_russian_variant_in_the_genitive(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    ru = unpc["ru"][KOREA].replace("Республики Корея", "Южной Кореи")
    [finding] = findings([tuple_unit(unpc, KOREA, ru=ru)], matcher, "deprecated-term")
    assert (finding.found, finding.suggestion, finding.severity) == (
        "Южной Кореи",
        "Республика Корея",
        Severity.ERROR,
    )


def test_a_non_un_name_in_the_source_is_a_warning_and_mirrors_are_not_errors(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    en = unpc["en"][KOREA].replace("Republic of Korea", "South Korea")
    zh = unpc["zh"][KOREA].replace("大韩民国", "南朝鲜")
    found = findings([tuple_unit(unpc, KOREA, en=en, zh=zh)], matcher, "deprecated-term")
    assert {(f.lang, f.found, f.severity) for f in found} == {
        ("en", "South Korea", Severity.WARNING),
        ("zh", "南朝鲜", Severity.WARNING),
    }


def test_adjectives_from_short_forms_are_only_information(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    """unpc-dev: 'The Syrian Government rejects ...' → 叙利亚政府 (the source names no country)."""
    index = next(i for i, s in enumerate(unpc["en"]) if s.startswith("The Syrian Government rejects"))
    unit = tuple_unit(unpc, index)
    assert "叙利亚政府" in (unit.text("zh") or "")
    # 叙利亚 is a short form official UN Chinese writes: with a source that names no country
    # (an adjective), nothing at all
    assert findings([unit], matcher, "deprecated-term") == []
    assert findings([unit], matcher, "short-form") == []


def test_missing_term_through_russian_inflection(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    ru = unpc["ru"][KOREA].replace("правительство Республики Корея", "правительство")
    [finding] = findings([tuple_unit(unpc, KOREA, ru=ru)], matcher, "missing-term")
    assert (finding.lang, finding.found, finding.concept) == ("ru", "Republic of Korea", "country-KOR")
    assert finding.start is None and finding.severity is Severity.WARNING


def test_samarkand_communique_reports_the_non_un_short_forms_and_nothing_else(seed_zh, matcher) -> None:  # type: ignore[no-untyped-def]
    from aligner.read import read_document

    document = read_document(seed_zh, "zh")
    units = [
        TranslationUnit.from_texts({"zh": p}, tuid=str(n))
        for n, p in enumerate(document.paragraphs, 1)
        if p.strip()
    ]
    found = list(run_checks(units, matcher))
    # the only name UN Chinese never writes is an error; the short forms it writes after a
    # first mention are information (no source to judge them against)
    errors = {(f.check, f.found, f.suggestion, f.severity) for f in found if f.severity is not Severity.INFO}
    assert errors == {("deprecated-term", "南朝鲜", "大韩民国", Severity.ERROR)}
    info = {(f.check, f.found, f.suggestion) for f in found if f.severity is Severity.INFO}
    assert {("short-form", "俄罗斯", "俄罗斯联邦"), ("short-form", "伊朗", "伊朗伊斯兰共和国")} <= info
    assert {check for check, _, _ in info} == {"short-form"}


def test_inconsistent_renderings_across_units() -> None:
    """One concept with two admitted Chinese full forms used in two units of one memory."""
    base = Termbase.open(":memory:", seed=False)
    base.import_concepts(
        [
            Concept(
                "org-X",
                (
                    Term("en", "Office on Drugs and Crime", Status.PREFERRED, TermType.FULL_FORM),
                    Term("zh", "毒品和犯罪问题办公室", Status.PREFERRED, TermType.FULL_FORM),
                    Term("zh", "毒品与犯罪问题办公室", Status.ADMITTED, TermType.FULL_FORM),
                ),
            )
        ]
    )
    units = [
        TranslationUnit.from_texts(
            {"en": f"The Office on Drugs and Crime reported {n}.", "zh": f"{name}报告了{n}。"}, tuid=str(n)
        )
        for n, name in enumerate(["毒品和犯罪问题办公室", "毒品和犯罪问题办公室", "毒品与犯罪问题办公室"], 1)
    ]
    found = list(run_checks(units, base, source="en", checks=["inconsistent-term"]))
    assert [(f.tuid, f.found, f.suggestion) for f in found] == [
        ("3", "毒品与犯罪问题办公室", "毒品和犯罪问题办公室")
    ]


def _first(unpc, en: str, zh: str, not_en: str = "\0") -> int:  # type: ignore[no-untyped-def]
    return next(
        i
        for i, (e, z) in enumerate(zip(unpc["en"], unpc["zh"], strict=True))
        if en in e and not_en not in e and zh in z
    )


def test_short_form_for_the_full_name_the_source_gives(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    """UN Chinese keeps 美利坚合众国 for "United States of America" and 美国 for "the United
    States" (unpc-dev: 16 of 17 and 22 of 33): 美国 for the full name is a short-form warning."""
    index = _first(unpc, "United States of America", "美利坚合众国")
    assert findings([tuple_unit(unpc, index)], matcher, "short-form") == []
    zh = unpc["zh"][index].replace("美利坚合众国", "美国", 1)
    [finding] = findings([tuple_unit(unpc, index, zh=zh)], matcher, "short-form")
    assert (finding.lang, finding.found, finding.suggestion, finding.severity) == (
        "zh",
        "美国",
        "美利坚合众国",
        Severity.WARNING,
    )
    assert zh[finding.start : finding.end] == "美国"
    assert findings([tuple_unit(unpc, index, zh=zh)], matcher, "deprecated-term") == []


def test_short_form_for_the_source_short_form_is_fine(unpc, matcher) -> None:  # type: ignore[no-untyped-def]
    index = _first(unpc, "the United States", "美国", not_en="United States of America")
    unit = tuple_unit(unpc, index)
    for check in ("short-form", "deprecated-term", "missing-term"):
        assert [f for f in findings([unit], matcher, check) if f.lang == "zh"] == [], check
