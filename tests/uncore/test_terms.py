"""TermMatcher's offsets through the cached key stream, and the NFKC short cut of Chinese text."""

from __future__ import annotations

import unicodedata

import pytest

from termbase.model import Concept, Status, Term
from uncore.lang.normalize import normalize_1to1
from uncore.lang.terms import TermMatcher


@pytest.fixture(scope="module")
def small() -> TermMatcher:
    concepts = [
        Concept("KOR", (Term("en", "Republic of Korea"), Term("ru", "Республика Корея"))),
        Concept("IRN", (Term("en", "Iran (Islamic Republic of)"), Term("en", "Iran", Status.ADMITTED))),
        Concept("UN", (Term("en", "UN", Status.ADMITTED), Term("zh", "联合国"))),
    ]
    return TermMatcher(concepts, ["en", "ru", "zh"])


@pytest.mark.parametrize(
    "text",
    [
        "Republic of Korea",
        "  the  Republic of Korea  ",
        "— — Republic of Korea's delegation",
        "(Republic of Korea), Iran (Islamic Republic of) and the UN.",
        "UN UN — UN",
        "Korea Republic of Korea Republic",
    ],
)
def test_spans_survive_spaces_and_chunks_without_words(small: TermMatcher, text: str) -> None:
    # Chunks between spaces are cached with their keys; spans must still point into this text.
    hits = small.find(text, "en")
    assert hits
    for hit in hits:
        assert text[hit.start : hit.end] == hit.surface
        assert hit.surface.split()[0] in {"Republic", "Iran", "UN"}


def test_same_words_in_a_new_text_have_their_own_offsets(small: TermMatcher) -> None:
    first = small.find("Republic of Korea", "en")
    again = small.find("In the Republic of Korea", "en")
    assert (first[0].start, again[0].start) == (0, 7)
    assert [h.surface for h in small.find("в  Республике Корея", "ru")] == ["Республике Корея"]


def test_chinese_offsets_with_spaces_and_brackets(small: TermMatcher) -> None:
    text = "《联 合国》和（联合国）"
    hits = [(h.start, h.end, h.surface) for h in small.find(text, "zh")]
    assert hits == [(1, 5, "联 合国"), (8, 11, "联合国")]


@pytest.mark.parametrize(
    "text",
    [
        "联合国大会，第七十二届会议；议程项目：（一）",  # full-width punctuation only: the short cut
        "Ａ\u0301，",  # a full-width letter and a combining mark: composes, so the full NFKC
        "，\u0301",
        "聯合國大會，",
        "ﬁ，",  # NFKC changes the length: no one-to-one normalisation
        "",
    ],
)
def test_one_to_one_normalisation_is_nfkc(text: str) -> None:
    full = unicodedata.normalize("NFKC", text)
    got = normalize_1to1(text)
    if len(full) != len(text):
        assert got is None
    else:
        assert got is not None and len(got) == len(text)
        assert unicodedata.normalize("NFKC", got) == got
