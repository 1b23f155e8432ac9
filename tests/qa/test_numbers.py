"""number-mismatch on real unpc-dev tuples: untouched ones are quiet, one changed number is
reported with the source's value as the suggestion."""

from __future__ import annotations

from qa import Severity, run_checks
from tests.qa.conftest import tuple_unit

MEETING = 623  # "To be held on Tuesday, 24 February 2015, at 3 p.m." / 下午3时 / 15 ч. 00 м.


def check(units):  # type: ignore[no-untyped-def]
    return list(run_checks(units, source="en", targets=["zh", "ru"], checks=["number-mismatch"]))


def test_dates_and_times_written_three_ways_agree(unpc) -> None:  # type: ignore[no-untyped-def]
    assert "3 p.m." in unpc["en"][MEETING]
    assert check([tuple_unit(unpc, MEETING)]) == []


def test_a_changed_day_is_an_error_with_the_source_value(unpc) -> None:  # type: ignore[no-untyped-def]
    zh = unpc["zh"][MEETING].replace("2月24日", "2月23日")
    [finding] = check([tuple_unit(unpc, MEETING, zh=zh)])
    assert (finding.lang, finding.found, finding.suggestion, finding.severity) == (
        "zh",
        "2015年2月23日",
        "24 February 2015",
        Severity.ERROR,
    )
    assert zh[finding.start : finding.end] == "2015年2月23日"


def test_a_number_dropped_from_the_target_is_reported_without_a_span(unpc) -> None:  # type: ignore[no-untyped-def]
    zh = unpc["zh"][MEETING].replace("下午3时", "")
    [finding] = check([tuple_unit(unpc, MEETING, zh=zh)])
    assert (finding.lang, finding.found, finding.start, finding.end) == ("zh", "3 p.m.", None, None)


def test_a_real_error_in_the_corpus_is_found(unpc) -> None:  # type: ignore[no-untyped-def]
    """unpc-dev line 6: 'per 100,000 live births' twice; the Russian says 10 000 the second time."""
    index = next(i for i, s in enumerate(unpc["en"]) if "211 per 100,000 live births" in s)
    [finding] = [f for f in check([tuple_unit(unpc, index)]) if f.lang == "ru"]
    assert (finding.found, finding.suggestion) == ("10 000", None)
    assert "not in the source" in finding.message


def test_quiet_on_most_untouched_tuples(unpc) -> None:  # type: ignore[no-untyped-def]
    """A guard on precision: the first 500 real tuples give few findings (measured: see
    docs/bench-qa.md for the full set)."""
    found = check([tuple_unit(unpc, i) for i in range(500)])
    assert len({f.tuid for f in found}) <= 15
