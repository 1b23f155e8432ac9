"""Translation spotting on a real memory: the 4,000 trilingual units of unpc-dev."""

from __future__ import annotations

import pytest

from tests.tmx.unpc import unpc_units
from tmx.store import lang_key, open_memory
from untm.spotting import Background, spot


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = open_memory(tmp_path_factory.mktemp("spot") / "unpc.sqlite")
    store.import_units(unpc_units(4000))
    sample = list(store.export_units())[:1000]
    background = Background({lang: [t for u in sample if (t := u.text(lang))] for lang in ("en", "zh", "ru")})
    yield store, background
    store.close()


def _hits(store, query: str, lang: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return [
        {lang_key(v.lang): v.text for v in h.unit.variants} for h in store.search(query, lang=lang, limit=60)
    ]


def test_a_phrase_outside_the_termbase_is_spotted_and_summed_up(memory) -> None:  # type: ignore[no-untyped-def]
    """ "sustainable development" is no term; the memory alone shows it is 可持续发展 and
    устойчивое развитие, whose Russian cases are one rendering."""
    store, background = memory
    hits = _hits(store, "sustainable development", "en")
    result = spot("sustainable development", "en", hits, background)
    zh, ru = result.renderings["zh"][0], result.renderings["ru"][0]
    assert zh.text == "可持续发展" and zh.count >= 0.9 * len(hits)
    assert ru.key == "устойчивый развитие" and ru.inflected and ru.count >= 0.9 * len(hits)
    for index, hit in enumerate(hits):
        for lang in ("zh", "ru"):
            for start, end in result.spans.get((index, lang), ()):
                assert result.keys[(index, lang)] in {r.key for r in result.renderings[lang]}
                assert 0 <= start < end <= len(hit[lang])


def test_russian_query_finds_english_and_chinese(memory) -> None:  # type: ignore[no-untyped-def]
    store, background = memory
    hits = _hits(store, "Совета Безопасности", "ru")
    result = spot("Совета Безопасности", "ru", hits, background)
    assert result.renderings["en"][0].text == "Security Council"
    assert result.renderings["zh"][0].text == "安全理事会"


def test_the_termbase_decides_when_the_query_is_a_term(memory) -> None:  # type: ignore[no-untyped-def]
    from termbase.store import bundled_concepts
    from uncore.lang.terms import TermMatcher

    store, background = memory
    terms = TermMatcher(bundled_concepts(), ("en", "zh", "ru"))
    hits = _hits(store, "Republic of Korea", "en")
    result = spot("Republic of Korea", "en", hits, background, terms=terms)
    # where the English names the Republic of Korea itself, the Chinese mark is 大韩民国
    marked = {
        hits[i]["zh"][s:e]
        for (i, lang), spans in result.spans.items()
        for s, e in spans
        if lang == "zh" and "People's Republic of Korea" not in hits[i]["en"]
    }
    assert marked == {"大韩民国"}


def test_a_rare_query_is_helped_by_its_words(memory) -> None:  # type: ignore[no-untyped-def]
    """ "extrabudgetary" occurs in a handful of units: still 预算外 / внебюджетных."""
    store, background = memory
    hits = _hits(store, "extrabudgetary", "en")
    result = spot("extrabudgetary", "en", hits, background, word_hits=lambda w: _hits(store, w, "en"))
    assert 3 <= len(hits) < 20
    assert result.renderings["zh"][0].text == "预算外"
    assert result.renderings["ru"][0].key.startswith("внебюджетный")


def test_nothing_to_spot_is_not_an_error() -> None:
    assert spot("anything", "en", [], None).renderings == {}
    result = spot("Council", "en", [{"en": "The Council met."}], None)
    assert set(result.renderings) == set()


def test_a_segments_phrases_are_found_again_by_its_tokens_alone(memory) -> None:  # type: ignore[no-untyped-def]
    """A rendering the termbase found is looked for again in its segment without building the
    segment's phrase table: the same spans as the table's, for every phrase of 300 segments in
    each language (and none for a key the segment lacks)."""
    from untm.spotting import Token, _phrase_spans, _table, tokens

    store, _ = memory
    units = list(store.export_units())[:300]
    for lang in ("en", "zh", "ru"):
        for unit in units:
            text = unit.text(lang)
            if not text:
                continue
            table = _table(text, lang)
            where: dict[str, set[tuple[int, int]]] = {}
            for key, span in zip(table.keys, table.spans, strict=True):
                where.setdefault(key, set()).add(span)
            for key, spans in where.items():
                assert set(_phrase_spans(text, lang, key)) == spans, (lang, key, text)
            assert _phrase_spans(text, lang, "安全 理事 会 nowhere") == []
            assert all(type(tok) is Token for tok in tokens(text, lang))
