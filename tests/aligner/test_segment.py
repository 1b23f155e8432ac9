"""Sentence segmentation with the shipped SRX rules: UN conventions per language, and the UN
Parallel Corpus sentence boundaries (the full benchmark is benchmarks/segmentation.py)."""

from __future__ import annotations

import pytest

from aligner.segment import Segmenter, segment
from tests.conftest import unpc_paragraphs


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "zh",
            "与会者满意地注意到积极动态。这是确保和平的重要因素。",
            ["与会者满意地注意到积极动态。", "这是确保和平的重要因素。"],
        ),
        (
            "zh",
            "他说：“我们同意。”会议随后结束！真的吗？是的。",
            ["他说：“我们同意。”", "会议随后结束！", "真的吗？", "是的。"],
        ),
        # ；does not end a sentence in UN Chinese (see un.srx for the corpus evidence)
        ("zh", "加强合作；切断渠道；确保网络安全。", ["加强合作；切断渠道；确保网络安全。"]),
        ("zh", '本组织"系基于原则。"以及和平。', ['本组织"系基于原则。"', "以及和平。"]),
        (
            "zh",
            '要求有两方面目的。"因此，报告是唯一手段。',
            ["要求有两方面目的。", '"因此，报告是唯一手段。'],
        ),
        ("zh", "6. 减少氢氟碳化物的关系如何；及", ["6. 减少氢氟碳化物的关系如何；及"]),
        (
            "zh",
            "第 68/218 号决议作出了重要贡献（见 A/72/565）。在这方面，与会者强调。",
            ["第 68/218 号决议作出了重要贡献（见 A/72/565）。", "在这方面，与会者强调。"],
        ),
        (
            "en",
            "1. The Committee met on 1.5 days in 2015. Mr. A. de Mistura spoke, e.g. on para. 5. It ended.",
            [
                "1. The Committee met on 1.5 days in 2015.",
                "Mr. A. de Mistura spoke, e.g. on para. 5.",
                "It ended.",
            ],
        ),
        (
            "en",
            "See resolution A/RES/68/218. Nos. 3 and 4 (paras. 27-32, p. 45) apply, i.e. all of them.",
            ["See resolution A/RES/68/218.", "Nos. 3 and 4 (paras. 27-32, p. 45) apply, i.e. all of them."],
        ),
        (
            "en",
            "Food, water, etc. and shelter were given. They came from the U.S. Army, etc. Others helped.",
            [
                "Food, water, etc. and shelter were given.",
                "They came from the U.S. Army, etc.",
                "Others helped.",
            ],
        ),
        ("en", 'Was it approved? "Yes." (It was.)', ["Was it approved?", '"Yes."', "(It was.)"]),
        (
            "en",
            "IV.G. Evaluation of the programme. The Board agreed.",
            ["IV.G. Evaluation of the programme.", "The Board agreed."],
        ),
        (
            "ru",
            "Согласно ст. 3 и п. 5 закона, т.е. в 2015 г. Комитет выделил 10 млн. долл. США. Он согласился.",
            [
                "Согласно ст. 3 и п. 5 закона, т.е. в 2015 г.",
                "Комитет выделил 10 млн. долл. США.",
                "Он согласился.",
            ],
        ),
        (
            "ru",
            "Заседание в г. Москве им. М. Горького прошло в 10 ч. 00 м. (московское время) и т.д. Далее.",
            [
                "Заседание в г. Москве им. М. Горького прошло в 10 ч. 00 м. (московское время) и т.д.",
                "Далее.",
            ],
        ),
        (
            "ru",
            "2. Эта организация <<основана на принципе равенства>>. Ни одна реформа не может.",
            ["2. Эта организация <<основана на принципе равенства>>.", "Ни одна реформа не может."],
        ),
        (
            "fr",
            "M. Dupont et Mme Durand ont parlé (art. 5, par. 3). Le Comité a conclu.",
            ["M. Dupont et Mme Durand ont parlé (art. 5, par. 3).", "Le Comité a conclu."],
        ),
        (
            "es",
            "El Sr. Pérez citó el párr. 4 del art. 2. ¿Se aprobó? Sí.",
            ["El Sr. Pérez citó el párr. 4 del art. 2.", "¿Se aprobó?", "Sí."],
        ),
        (
            "ar",
            "اجتمعت اللجنة في عام 2015. هل وافقت؟ نعم.",
            ["اجتمعت اللجنة في عام 2015.", "هل وافقت؟", "نعم."],
        ),
    ],
)
def test_un_conventions(lang: str, text: str, expected: list[str]) -> None:
    assert segment(text, lang) == expected


def test_language_tags_pick_the_same_rules() -> None:
    text = "与会者注意到。这是重要因素。"
    expected = ["与会者注意到。", "这是重要因素。"]
    assert segment(text, "zh-CN") == segment(text, "cmn") == segment(text, "zh") == expected


def test_spans_point_into_the_text() -> None:
    text = "  Mr. Smith spoke.  The end. "
    spans = Segmenter.shipped().spans(text, "en")
    assert [text[a:b] for a, b in spans] == ["Mr. Smith spoke.", "The end."]


@pytest.mark.parametrize("lang", ["zh", "ru", "en"])
def test_unpc_dev_boundaries(lang: str) -> None:
    """Rebuild the dev-set paragraphs of the first 1,000 sentence tuples and split them back."""
    joiner = "" if lang == "zh" else " "
    gold_total = exact = 0
    for gold in unpc_paragraphs(lang, 1000):
        predicted = segment(joiner.join(gold), lang)
        gold_total += len(gold)
        exact += sum(1 for s in gold if s in predicted)
    assert gold_total == 1000
    assert exact / gold_total >= 0.99
