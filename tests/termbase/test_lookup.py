"""Lookup: any language in, exact → prefix → fuzzy, normalised input, deprecated → what to use."""

from __future__ import annotations

import pytest

from termbase.lookup import lookup
from uncore.errors import UsageError


def test_deprecated_hit_says_what_to_use(bundled):
    first = lookup(bundled, "南朝鲜")[0]
    assert (first.match, first.concept_id, first.status.value) == ("exact", "country-KOR", "deprecated")
    assert first.replacement.text == "大韩民国"
    assert first.preferred["ru"].text == "Республика Корея"
    assert first.preferred["en"].text == "Republic of Korea"


@pytest.mark.parametrize(
    "query, concept",
    [
        ("南韓", "country-KOR"),  # Traditional → Simplified
        ("ＵＮＯＤＣ", "org-UNODC"),  # full width
        ("КИРГИЗИЯ", "country-KGZ"),  # case
        ("Республика Молдова", "country-MDA"),
        ("Côte d’Ivoire", "country-CIV"),  # curly apostrophe
    ],
)
def test_normalised_input(bundled, query, concept):
    assert lookup(bundled, query)[0].concept_id == concept


def test_prefix_then_fuzzy(bundled):
    results = lookup(bundled, "Republic of Kor", limit=5)
    assert results[0].match == "prefix" and results[0].concept_id == "country-KOR"
    fuzzy = lookup(bundled, "Republc of Korea", limit=3)
    assert fuzzy[0].match == "fuzzy" and fuzzy[0].concept_id == "country-KOR" and fuzzy[0].score > 90
    assert [r.score for r in fuzzy] == sorted((r.score for r in fuzzy), reverse=True)


def test_language_filter(bundled):
    assert lookup(bundled, "Iran", lang="en")[0].term.lang == "en"
    assert lookup(bundled, "Iran", lang="zh", fuzzy=False) == []
    with pytest.raises(UsageError):
        lookup(bundled, "  ")


@pytest.mark.parametrize(
    "query, found, status",
    [
        ("Южной Кореи", "Южная Корея", "deprecated"),
        ("Республике Корея", "Республика Корея", "preferred"),
        ("Киргизии", "Киргизия", "deprecated"),
    ],
)
def test_inflected_queries_find_their_term(bundled, query, found, status):
    first = lookup(bundled, query)[0]
    assert (first.match, first.term.text, first.status.value) == ("lemma", found, status)


def test_a_word_inside_a_name_finds_the_name(bundled) -> None:  # type: ignore[no-untyped-def]
    from termbase.lookup import lookup

    found = [(r.concept_id, r.match) for r in lookup(bundled, "Korea")]
    assert ("country-KOR", "word") in found and ("country-PRK", "word") in found
    assert all(r.concept_id != "country-KOR" for r in lookup(bundled, "Koreans"))  # whole words only


def test_the_answer_is_in_the_register_of_the_query(bundled) -> None:  # type: ignore[no-untyped-def]
    from termbase.lookup import lookup

    (full, *_) = lookup(bundled, "Islamic Republic of Afghanistan")
    assert full.preferred["zh"].text == "阿富汗伊斯兰共和国"
    (short, *_) = lookup(bundled, "Afghanistan")
    assert short.preferred["zh"].text == "阿富汗"


def test_a_pasted_sentence_finds_the_terms_in_it(bundled):
    """A sentence pasted as a query: its terms are found as QA finds them (inflected Russian,
    the longest term in Chinese), with the deprecated ones saying what to use."""
    ru = lookup(bundled, "Представитель Южной Кореи выступил на заседании по вопросу о Казахстане")
    assert {(r.match, r.concept_id) for r in ru} >= {("text", "country-KOR"), ("text", "country-KAZ")}
    korea = next(r for r in ru if r.concept_id == "country-KOR")
    assert korea.status.is_bad and korea.replacement.text == "Республика Корея"
    zh = lookup(bundled, "南朝鲜代表就朝鲜民主主义人民共和国问题发言")
    assert [r.concept_id for r in zh] == ["country-KOR", "country-PRK"]
    assert all(r.match == "text" for r in zh)


WORD_QUERIES = [
    "korea",
    "republic",
    "of",
    "united nations",
    "council",
    "人权",
    "联合国",
    "委员会",
    "совет",
    "ю",
    "a",
    "the",
]


@pytest.mark.parametrize("query", WORD_QUERIES)
def test_the_name_index_answers_as_the_scan_of_every_term(bundled, query) -> None:  # type: ignore[no-untyped-def]
    """lookup finds words inside names with an index built from ``norms()``: the same terms in
    the same order as the store's SQL scan (``find_containing``), for every limit."""
    from termbase.lookup import _name_index

    index = _name_index(bundled)
    for limit in (1, 7, 100, 100_000):
        assert index.search(query, limit) == bundled.find_containing(query, limit)
    assert bundled.find_containing(query, 100_000), "a query that finds nothing proves nothing"


def test_whole_word_test_is_the_regular_expression_it_replaced(bundled) -> None:  # type: ignore[no-untyped-def]
    import re

    from termbase.lookup import _inside

    norms = [norm for norm, _ in bundled.norms()]
    for query in [*WORD_QUERIES, "korean", "guinea", "nation", "rights", "_", "1"]:
        pattern = re.compile(r"(?<!\w)" + re.escape(query) + r"(?!\w)")
        spaced = query[:1].isascii() or (query[:1].isalpha() and ord(query[0]) < 0x2E80)
        for norm in norms:
            expected = (pattern.search(norm) is not None) if spaced else (query in norm)
            assert _inside(query, norm) == expected, (query, norm)
