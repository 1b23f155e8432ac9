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
    """A rendering is looked for again in its segment's table by its key's numbers: the same
    spans as the plain phrases', for every phrase of 300 segments in each language (none for a
    key the segment lacks, one longer than a phrase, or one with an empty word)."""
    from untm.spotting import Token, phrases, tokens
    from untm.spotting.tables import _table
    from untm.spotting.words import _longest

    store, _ = memory
    units = list(store.export_units())[:300]
    for lang in ("en", "zh", "ru"):
        for unit in units:
            text = unit.text(lang)
            if not text:
                continue
            toks = tokens(text, lang)
            where: dict[str, set[tuple[int, int]]] = {}
            for key, first, after in zip(*phrases(toks, _longest(lang)), strict=True):
                where.setdefault(key, set()).add((toks[first].start, toks[after - 1].end))
            table = _table(text, lang)
            for key, spans in where.items():
                assert set(table.spans(key, _longest(lang))) == spans, (lang, key, text)
                assert table.spans(key.replace(" ", "  "), _longest(lang)) == [] or " " not in key
            assert table.spans("安全 理事 会 nowhere", _longest(lang)) == []
            assert table.spans(" ".join(["会"] * 11), _longest(lang)) == []
            assert all(type(tok) is Token for tok in tokens(text, lang))


def test_the_phrases_of_a_querys_hits_are_each_segments_plain_phrases(memory) -> None:  # type: ignore[no-untyped-def]
    """``_Phrases`` finds the phrases of many segments at once, by array operations: for 300
    segments side by side in each language, exactly ``phrases`` of each in turn (key, tokens,
    span), and equal keys (only they) get equal numbers."""
    from untm.spotting import phrases, tokens
    from untm.spotting.phrase_arrays import _Phrases
    from untm.spotting.tables import _table
    from untm.spotting.words import _longest

    store, _ = memory
    units = list(store.export_units())[:300]
    for lang in ("en", "zh", "ru"):
        texts = [text for unit in units if (text := unit.text(lang))]
        expected = []
        for number, text in enumerate(texts):
            toks = tokens(text, lang)
            for key, first, after in zip(*phrases(toks, _longest(lang)), strict=True):
                expected.append((number, key, first, after, toks[first].start, toks[after - 1].end))
        found = _Phrases([_table(text, lang) for text in texts], _longest(lang))
        skips = [0]
        for text in texts:
            skips.append(skips[-1] + _table(text, lang).tokens.shape[1])
        got = [
            (w, found.key(p), f - skips[w], a - skips[w], s, e)
            for p, (w, f, a, s, e) in enumerate(
                zip(
                    *(x.tolist() for x in (found.which, found.first, found.after, found.start, found.end)),
                    strict=True,
                )
            )
        ]
        assert got == expected, lang
        numbers: dict[str, int] = {}
        for (_, key, *_), number in zip(got, found.numbers.tolist(), strict=True):
            assert numbers.setdefault(key, number) == number, (lang, key)
        assert len(set(numbers.values())) == len(numbers), lang


def test_keys_numbered_again_give_the_same_spotting(memory, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A long-running server numbers its keys again when there are too many: tables of the old
    numbers met by a rank are built again with the new ones, and the spotting is the same (here
    the numbers start again at nearly every table)."""
    import untm.spotting.tables

    store, background = memory
    hits = _hits(store, "sustainable development", "en")
    words = lambda w: _hits(store, w, "en")  # noqa: E731
    expected = spot("sustainable development", "en", hits, background, word_hits=words)
    untm.spotting.tables._table.cache_clear()
    monkeypatch.setattr(untm.spotting.tables, "MAX_NUMBERS", 50)
    again = spot("sustainable development", "en", hits, background, word_hits=words)
    assert (again.spans, again.keys, again.renderings) == (expected.spans, expected.keys, expected.renderings)
    untm.spotting.tables._table.cache_clear()


def _textbook_rank(ranked) -> tuple[dict[int, tuple[str, tuple[int, int]]], list[str]]:  # type: ignore[no-untyped-def]
    """What ``_Ranked`` answers, computed the plain way (the rank before it was vectorised):
    every phrase's best place in each hit (the first of equal fits), the phrases that give way
    to a longer one in exactly the same hits, the association of the others, and each hit's
    choice (the greatest association + fit, the first in association order among equals)."""
    import math

    from untm.spotting import CLOSED_MIN_HITS, MIN_SCORE

    fits, kept = ranked.fit.tolist(), ranked.kept.tolist()
    where: dict[str, dict[int, tuple[int, int]]] = {}
    fitting: dict[str, dict[int, float]] = {}
    best_at: dict[tuple[int, str], int] = {}  # (hit, key) → its best place there, the first of equals
    for p, table in enumerate(ranked.which.tolist()):
        index, key = int(ranked.hit_of[table]), ranked._key(p)
        if kept[p] and ((index, key) not in best_at or fits[p] > fits[best_at[(index, key)]]):
            best_at[(index, key)] = p
    for (index, key), p in best_at.items():
        where.setdefault(key, {})[index] = (int(ranked.start[p]), int(ranked.end[p]))
        fitting.setdefault(key, {})[index] = fits[p]
    groups: dict[frozenset[int], list[str]] = {}
    closed = []
    for key, places in where.items():
        if len(places) < CLOSED_MIN_HITS:
            closed.append(key)
        else:
            groups.setdefault(frozenset(places), []).append(key)
    for members in groups.values():
        first, reach = min(where[members[0]]), -1
        spans = sorted(((where[k][first], k) for k in members), key=lambda x: (x[0][0], -x[0][1]))
        for (_, end), key in spans:
            if end > reach:
                closed.append(key)
                reach = end
    scored = []
    for key in closed:
        share = len(where[key]) / ranked.n
        base = ranked.background.share(ranked.lang, key)
        scored.append((share * math.log(share / base) if share > base else 0.0, key))
    scored.sort(reverse=True)
    chosen: dict[int, tuple[str, tuple[int, int]]] = {}
    for index in range(ranked.n):
        options = [(value + fitting[key][index], key) for value, key in scored if index in where[key]]
        best = max(options, key=lambda option: option[0], default=None)  # (max: the first of equals)
        if best is not None and best[0] >= MIN_SCORE:
            chosen[index] = (best[1], where[best[1]][index])
    return chosen, [key for _, key in scored]


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("Security Council", "en"),
        ("sustainable development", "en"),
        ("Cyprus", "en"),
        ("Совета Безопасности", "ru"),
        ("可持续发展", "zh"),
        ("extrabudgetary", "en"),
    ],
)
def test_the_vectorised_rank_answers_as_the_textbook_one(memory, query: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """``_Ranked`` keeps its phrases as arrays and answers only for the few that can be chosen:
    the same choices, spans and association order as the plain rank, in every other language,
    with and without glosses."""
    from untm.spotting import MIN_SCORE
    from untm.spotting.glosses import _glosses
    from untm.spotting.ranking import _rank

    store, background = memory
    hits = [hit for hit in _hits(store, query, lang)[:30] if all(hit.values())]
    for other in ("en", "zh", "ru"):
        if other == lang:
            continue
        glosses = _glosses(query, lang, other, background, lambda w: _hits(store, w, lang)[:30])
        for words in ([], glosses):
            ranked = _rank(query, lang, other, hits, background, words)
            chosen, order = _textbook_rank(ranked)
            assert chosen, (query, other)
            got = {
                index: (key, (int(ranked.start[p]), int(ranked.end[p])))
                for index, (key, p) in ranked.choose(MIN_SCORE).items()
            }
            assert got == chosen, (query, other)
            assert list(ranked.ordered()) == order


def test_spottings_own_jieba_cut_is_jiebas() -> None:
    """``tokens`` cuts Chinese with its own copy of jieba's default cut (no HMM), which costs
    less: word for word jieba's on every line of unpc-dev, in all three languages, and on
    mixed scripts, digits, full-width forms and whitespace."""
    from tests.conftest import shared_path
    from uncore.lang.words import jieba
    from untm.spotting.jieba_cut import _jieba_cut

    segmenter = jieba()
    texts = ["", " ", "a1 b2  c\r\nd", "１２３ａｂ", "3.5%的增长", "A-B_C", "\t联合国\n大会", "AB12联合国ab"]
    for lang in ("zh", "en", "ru"):
        texts += shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()
    for text in texts:
        assert _jieba_cut(segmenter, text) == list(segmenter.cut(text, HMM=False)), text
