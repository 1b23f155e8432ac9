"""Scorers on real UN text: the length model, anchors, dictionary, cognates, termbase."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aligner.params import length_params
from aligner.scorers.anchors import AnchorScorer
from aligner.scorers.length import LengthModel, lengths, neg_log_tail
from aligner.scorers.lexical import CognateScorer, DictionaryScorer, TermbaseScorer, skeleton
from tests.conftest import shared_path


def unpc(lang: str, count: int = 200) -> list[str]:
    path = shared_path("unpc-dev", f"UNv1.0.devset.{lang}")
    return path.read_text(encoding="utf-8").splitlines()[:count]


def keys(items) -> set[str]:
    return {k for it in items for k in it.keys}


def test_length_parameters_reflect_scripts() -> None:
    params = length_params()
    # Chinese needs about a third of the characters of English or Russian
    assert 2.5 < params["zh-en"]["c"] < 4.0
    assert 0.25 < params["en-zh"]["c"] < 0.4
    assert params["ru-en"]["source"] == "unpc-dev"
    assert {"fr-en", "es-en", "ar-en"} <= set(params)


def test_length_model_prefers_the_translation() -> None:
    zh, en = unpc("zh", 50), unpc("en", 50)
    model = LengthModel.for_pair("zh", "en")
    ls, lt = lengths(zh), lengths(en)
    right = model.cost(ls, lt, 1, 1)
    wrong = model.cost(ls, np.roll(lt, 7), 1, 1)
    assert np.median(right) < np.median(wrong)
    assert model.cost(ls, lt, 1, 0).tolist() == [model.cost(ls, lt, 1, 0)[0]] * 50  # omissions: prior only


def test_unknown_pair_composes_through_english() -> None:
    model = LengthModel.for_pair("de", "zh")
    assert model.source in {"de-en-zh", "gale-church default"}
    assert model.c > 0


@pytest.mark.parametrize("x", [0.0, 0.5, 1.0, 2.5, 4.0, 7.0])
def test_neg_log_tail_matches_erfc(x: float) -> None:
    want = -math.log(math.erfc(x / math.sqrt(2)))
    assert neg_log_tail(np.array([x]))[0] == pytest.approx(want, rel=1e-3, abs=1e-6)


def test_neg_log_tail_is_finite_far_out() -> None:
    assert np.isfinite(neg_log_tail(np.array([60.0, -200.0]))).all()


def test_anchors_survive_translation() -> None:
    scorer = AnchorScorer()
    zh = scorer.sentence_items("大会第七十二届会议议程项目19(a) A/72/565，2017年11月14日", "zh")
    en = scorer.sentence_items("seventy-second session, agenda item 19 (a), A/72/565, 14 November 2017", "en")
    ru = scorer.sentence_items(
        "семьдесят второй сессии, пункт 19 а) повестки дня, A/72/565, 14 ноября 2017 года", "ru"
    )
    shared = keys(zh) & keys(en) & keys(ru)
    assert {"#72", "#A/72/565", "#2017-11-14", "#19"} <= shared
    assert keys(scorer.sentence_items("see https://undocs.org/A/72/565 or write to info@un.org", "en")) >= {
        "url:https://undocs.org/a/72/565",
        "mail:info@un.org",
    }


def test_dictionary_links_real_unpc_sentences() -> None:
    scorer = DictionaryScorer()
    assert scorer.applies("zh", "en") and scorer.applies("ru", "zh") and not scorer.applies("ru", "en")
    zh, en = unpc("zh", 40), unpc("en", 40)
    zi, ei = scorer.items(zh, "zh", "en"), scorer.items(en, "en", "zh")
    aligned = [len(keys(a) & keys(b)) for a, b in zip(zi, ei, strict=True)]
    shifted = [len(keys(a) & keys(b)) for a, b in zip(zi, ei[1:] + ei[:1], strict=True)]
    assert sum(aligned) > 2 * sum(shifted)


def test_cognates_link_russian_and_english() -> None:
    assert skeleton("Конвенции")[:5] == skeleton("Convention")[:5]
    scorer = CognateScorer()
    ru, en = unpc("ru", 40), unpc("en", 40)
    ri, ei = scorer.items(ru, "ru", "en"), scorer.items(en, "en", "ru")
    aligned = sum(len(keys(a) & keys(b)) for a, b in zip(ri, ei, strict=True))
    shifted = sum(len(keys(a) & keys(b)) for a, b in zip(ri, ei[3:] + ei[:3], strict=True))
    assert aligned > 2 * shifted


def test_termbase_concepts_are_shared_keys() -> None:
    from termbase.store import bundled_concepts

    scorer = TermbaseScorer(tuple(bundled_concepts()), revision="bundled")
    ru = scorer.items(["Делегация Республики Корея поддержала Казахстан."], "ru", "zh")[0]
    zh = scorer.items(["大韩民国代表团支持哈萨克斯坦。"], "zh", "ru")[0]
    assert keys(ru) & keys(zh) >= {"c:country-KOR", "c:country-KAZ"}


def test_paragraph_labels_keep_numbered_paragraphs_apart() -> None:
    """doc036 of unpc-align-dev: Chinese dropped paragraph 6; with the label rule the Russian
    paragraph 6 is left unpaired instead of being merged into paragraph 8."""
    from aligner.align import Side, align_pair
    from aligner.scorers.combine import label_key

    assert [label_key(t) for t in ("6. Пятый", "(a) To", "III. Multi", "第三条 x", "No label")] == [
        "6",
        "a",
        "iii",
        "",
        None,
    ]
    folder = shared_path("unpc-align-dev", "doc036")
    ru = tuple((folder / "ru.txt").read_text(encoding="utf-8").splitlines())
    zh = tuple((folder / "zh.txt").read_text(encoding="utf-8").splitlines())
    beads = align_pair(Side("ru", ru), Side("zh", zh))
    assert ((1,), ()) in [(b.src, b.tgt) for b in beads]
    assert all(not (len(b.src) > 1 and any(label_key(ru[i]) for i in b.src[1:])) for b in beads)


def test_headings_stand_alone() -> None:
    """doc028 of unpc-align-dev: Chinese dropped the heading "Проект доклада" / "Draft report";
    the Russian and English headings stay a bead of their own instead of being glued onto the
    date line before them in both languages."""
    from aligner.align import Side, align_sides
    from aligner.scorers.combine import is_heading
    from untm.pipeline import default_config

    assert [
        is_heading(t)
        for t in (
            "Draft report",
            "第六十九届会议",
            "III. Multi-stakeholder dialogue",
            "He said so.",
            "'But I—'",
            "17-20555 (C)",
            "对话进程，",
        )
    ] == [True, True, True, False, False, False, False]
    folder = shared_path("unpc-align-dev", "doc028")
    sides = [
        Side(lang, tuple((folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()))
        for lang in ("ru", "zh", "en")
    ]
    beads = align_sides(sides, pivot="ru", config=default_config())
    assert {"ru": (51,), "en": (53,)} in [dict(b.indices) for b in beads]


def test_reestimated_priors_keep_omissions_fixed() -> None:
    """A first pass full of 1-2 beads makes 1-2 cheaper; its unpaired sentences do not make
    omissions cheaper (they are where the first pass lacked evidence)."""
    from aligner.scorers.length import PRIORS

    model = LengthModel.for_pair("zh", "en")
    adapted = model.with_priors_from([(1, 1)] * 60 + [(1, 2)] * 30 + [(0, 1)] * 10)
    assert adapted.prior(1, 2) > 3 * PRIORS[(1, 2)]
    assert adapted.prior(0, 1) == PRIORS[(0, 1)] and adapted.prior(1, 0) == PRIORS[(1, 0)]
    assert math.isclose(sum(adapted.priors.values()), 1.0)  # type: ignore[union-attr]


def test_unlinked_rate_is_never_zero() -> None:
    """Laplace's rule: a text in which every sentence links still gets a small rate (about
    1/n), so the unsupported cost stays finite and grows with the evidence."""
    from aligner.scorers.base import Item
    from aligner.scorers.combine import BeadCoster, Evidence, Weights

    texts = [f"sentence {k}" for k in range(30)]
    items = tuple((Item(frozenset({f"k{k}"}), 1.0),) for k in range(30))
    side = Evidence(lengths(texts), items)
    coster = BeadCoster(side, side, LengthModel(1.0, 6.8), Weights())
    assert coster.unlinked_rate() == pytest.approx(1 / 32)
    assert coster.unsupported == pytest.approx(-math.log(1 / 32))


def test_aligner_and_qa_find_the_same_terms(matcher) -> None:
    """One term finder: the aligner's termbase evidence is exactly the concepts QA finds, on
    real UNPC sentences in three languages (inflected Russian included)."""
    from termbase.store import bundled_concepts

    scorer = TermbaseScorer(tuple(bundled_concepts()), revision="bundled")
    for lang in ("zh", "ru", "en"):
        texts = unpc(lang, 300)
        evidence = scorer.items(texts, lang, "en" if lang != "en" else "zh")
        found = 0
        for text, items in zip(texts, evidence, strict=True):
            qa_ids = {f"c:{hit.concept_id}" for hit in matcher.find(text, lang)}
            assert keys(items) == qa_ids, text
            found += bool(qa_ids)
        assert found >= 20, lang  # the check saw terms, not only empty sets


def test_aligner_evidence_honours_term_exceptions() -> None:
    """美国 inside 南美国家 (South American countries) is not the United States, for the aligner
    as for QA; and 朝鲜 inside the DPRK's full name is counted once, as the DPRK."""
    from termbase.store import bundled_concepts

    scorer = TermbaseScorer(tuple(bundled_concepts()), revision="bundled")
    zh = scorer.items(["南美国家联盟的代表发言。", "朝鲜民主主义人民共和国代表发言。"], "zh", "en")
    assert "c:country-USA" not in keys(zh[0])
    assert keys(zh[1]) == {"c:country-PRK"}


def random_evidence(rng: np.random.Generator, count: int) -> object:
    """Sentences with random lengths and items from a small key space (so sentences share
    keys), some page furniture, some labels and headings."""
    from aligner.scorers.base import Item
    from aligner.scorers.combine import Evidence

    items = tuple(
        tuple(
            Item(frozenset(f"k{x}" for x in rng.choice(12, size=rng.integers(1, 3), replace=False)), w)
            for w in rng.choice([0.25, 0.5, 1.0, 2.0], size=rng.integers(0, 4))
        )
        for _ in range(count)
    )
    return Evidence(
        rng.integers(1, 200, size=count).astype(np.float64),
        items,
        (rng.random(count) < 0.1).astype(np.float64),
        None,
        tuple(rng.choice([None, None, "", "1", "2", "a"]) for _ in range(count)),
        (rng.random(count) < 0.2).astype(np.float64),
    )


@pytest.mark.parametrize("seed", range(8))
def test_small_blocks_cost_exactly_what_the_vectorised_costs_do(monkeypatch, seed: int) -> None:
    """A small block is costed in plain Python, a large band with numpy: both must give the
    same costs to the last bit, in the first pass and in the second (new priors, a new
    unsupported cost), or the alignment would depend on the size of a paragraph."""
    from aligner.dp import DEFAULT_MOVES, LITERARY_MOVES, Band
    from aligner.scorers import combine

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    src, tgt = random_evidence(rng, n), random_evidence(rng, m)
    model = LengthModel.for_pair("ru", "en")
    for moves in (DEFAULT_MOVES, LITERARY_MOVES, ((1, 1), (1, 0), (0, 1))):
        for weights in (combine.Weights(), combine.Weights(unsupported_one=False, specific_keys=1.0)):
            band = Band.full(n, m)
            got = {}
            for small in (0, 10_000):
                monkeypatch.setattr(combine, "SMALL_BAND", small)
                coster = combine.BeadCoster(src, tgt, model, weights)
                first = coster.costs(band, moves)
                coster.unsupported = 3.25
                coster.model = model.with_priors_from([(1, 1), (2, 1), (1, 2)])
                got[small] = (first, coster.costs(band, moves))
            for plain, vectorised in zip(got[10_000], got[0], strict=True):
                assert np.array_equal(plain, vectorised), (moves, weights)
                assert np.isfinite(plain).any()


def test_costs_are_the_same_from_kept_parts() -> None:
    """The second pass reuses the band's terms: its costs equal a fresh coster's."""
    from aligner.dp import LITERARY_MOVES, Band
    from aligner.scorers import combine

    rng = np.random.default_rng(3)
    src, tgt = random_evidence(rng, 30), random_evidence(rng, 34)
    model = LengthModel.for_pair("ru", "en")
    band = Band.full(30, 34)
    kept = combine.BeadCoster(src, tgt, model, combine.Weights())
    kept.costs(band, LITERARY_MOVES)
    adapted = model.with_priors_from([(1, 1)] * 20 + [(2, 1)] * 5)
    kept.unsupported, kept.model = 2.5, adapted
    fresh = combine.BeadCoster(src, tgt, adapted, combine.Weights())
    fresh.unsupported = 2.5
    assert np.array_equal(kept.costs(band, LITERARY_MOVES), fresh.costs(band, LITERARY_MOVES))


def test_length_mismatch_in_plain_python_is_numpy_s() -> None:
    """Small blocks take the length term in plain Python: bit for bit what numpy gives."""
    rng = np.random.default_rng(5)
    ls = np.concatenate([rng.integers(0, 400, 2000).astype(np.float64), rng.uniform(0, 3, 500), [0.0, 1e6]])
    lt = np.concatenate([rng.integers(0, 400, 2000).astype(np.float64), rng.uniform(0, 3, 500), [1e6, 0.0]])
    for model in (LengthModel.for_pair("zh", "en"), LengthModel.for_pair("ru", "en"), LengthModel(1.0, 6.8)):
        assert model.mismatches(ls.tolist(), lt.tolist()) == model.mismatch(ls, lt).tolist()
