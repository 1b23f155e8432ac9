"""The curated non-UN and former names of States (termbase/bundled/country-variants*.tsv): each is
sourced, absent from official UN text (or adjudicated), and flagged by QA in running text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qa import run_checks
from termbase.build import BUNDLED, build
from termbase.variant_evidence import evidence
from tests.conftest import shared_path
from tmx.units import TranslationUnit
from uncore.lang.terms import TermMatcher

STATES = BUNDLED / "country-variants-states.tsv"


@pytest.fixture(scope="module")
def built_matcher() -> TermMatcher:
    """A matcher over the termbase built from today's sources (the committed build may lag)."""
    return TermMatcher(build(shared_path(), date="2026-01-01"), ["zh", "ru", "en"])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_recorded_un_text_counts_are_todays_and_non_un_names_are_absent() -> None:
    rows = evidence(shared_path())
    assert len(rows) >= 200
    for row in rows:
        assert row.recorded == row.counts, (row.path.name, row.line, row.term, row.recorded, row.counts)
        if row.must_be_absent and row.total:
            assert "adjudicated:" in row.source, (row.term, row.counts)


def test_every_state_entry_cites_a_page_or_the_name_history() -> None:
    rows = _rows(STATES)
    assert len(rows) >= 40
    for row in rows:
        assert row["status"] in {"deprecated", "superseded"}, row
        assert "http" in row["source"] or "name-history.tsv" in row["source"], row["term"]
        assert row["concept_id"].startswith("country-")
    superseded = [r for r in rows if r["status"] == "superseded"]
    assert all(any(c.isdigit() for c in r["source"]) for r in superseded)  # the year of the change


@pytest.mark.parametrize(
    ("lang", "text", "found", "concept"),
    [
        ("en", "The delegation of Ceylon made a statement.", "Ceylon", "country-LKA"),
        ("en", "Relations with Upper Volta improved.", "Upper Volta", "country-BFA"),
        ("ru", "Делегация Доминиканы выступила с заявлением.", "Доминиканы", "country-DOM"),
        ("ru", "Представитель ЮАР выступил с заявлением.", "ЮАР", "country-ZAF"),
        ("zh", "哈薩克代表团发言。", "哈薩克", "country-KAZ"),
        ("zh", "上沃尔特代表团发言。", "上沃尔特", "country-BFA"),
    ],
)
def test_listed_forms_are_errors_against_a_un_source(built_matcher, lang, text, found, concept) -> None:
    source = {
        "country-LKA": "Sri Lanka",
        "country-BFA": "Burkina Faso",
        "country-DOM": "the Dominican Republic",
        "country-ZAF": "South Africa",
        "country-KAZ": "Kazakhstan",
    }[concept]
    texts = {"en": f"The delegation of {source} made a statement."}
    if lang != "en":
        texts[lang] = text
    else:
        texts = {"en": text, "zh": "代表团发言。"}
    unit = TranslationUnit.from_texts(texts, tuid="1")
    targets = [lang] if lang != "en" else ["zh"]
    findings = [
        f
        for f in run_checks([unit], built_matcher, source="en", targets=targets, checks=["deprecated-term"])
        if f.lang == lang
    ]
    assert [(f.found, f.concept) for f in findings] == [(found, concept)]
    assert findings[0].severity.value == ("warning" if lang == "en" else "error")


def test_peoples_and_languages_are_not_the_taiwan_state_names(built_matcher) -> None:
    for text in ("哈萨克族和塔吉克族牧民", "乌兹别克语和土库曼语的版本"):
        assert not [h for h in built_matcher.find(text, "zh") if h.status.is_bad], text
