"""aligner.parts: a bead whose languages divide it into different sentence counts, cut where the
joined sentence has a clause boundary that matches the others' sentence boundary."""

from __future__ import annotations

import itertools

from aligner.align import default_scorers
from aligner.parts import SplitSettings, clause_cuts, split_bead

# UDHR, article 26.1: two English and Russian sentences, one Chinese sentence (the page's ASCII
# commas, as the Chinese UDHR page writes them)
EN = [
    "Everyone has the right to education.",
    "Education shall be free, at least in the elementary and fundamental stages.",
]
RU = [
    "Каждый человек имеет право на образование.",
    "Образование должно быть бесплатным по меньшей мере в том, что касается начального и общего образования.",
]
ZH = ["人人都有受教育的权利,教育应当免费,至少在初级和基本阶段应如此。"]


def pieces(text: str) -> list[str]:
    cuts = [0, *clause_cuts(text), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def test_clause_cuts() -> None:
    assert pieces("人人都有受教育的权利,教育应当免费,至少在初级和基本阶段应如此。") == [
        "人人都有受教育的权利,",
        "教育应当免费,",
        "至少在初级和基本阶段应如此。",
    ]
    assert pieces("他说：“我们来了。”然后走了。") == ["他说：", "“我们来了。”", "然后走了。"]
    # 1,000 is no boundary; nothing inside brackets; the sentence's own end is no cut
    assert pieces("It cost 1,000 dollars (in 2015, a record); then prices fell.") == [
        "It cost 1,000 dollars (in 2015, a record); ",
        "then prices fell.",
    ]
    assert clause_cuts("No boundary here.") == []


def test_two_sentences_joined_in_one_language_are_cut_where_the_others_end() -> None:
    parts = split_bead({"ru": RU, "zh": ZH, "en": EN}, default_scorers())
    assert parts == [
        {"ru": RU[0], "zh": "人人都有受教育的权利,", "en": EN[0]},
        {"ru": RU[1], "zh": "教育应当免费,至少在初级和基本阶段应如此。", "en": EN[1]},
    ]


def test_no_parts_when_counts_agree_or_nothing_can_be_cut() -> None:
    assert split_bead({"zh": ZH, "en": [" ".join(EN)]}, default_scorers()) == []
    assert split_bead({"zh": ["教育应当免费。"], "en": EN}, default_scorers()) == []


def test_no_parts_when_the_joined_sentence_lacks_a_sentence() -> None:
    """A reference sentence whose numbers the joined one lacks is missing from it, not joined
    into it: cutting would pair it with a piece of another sentence's translation."""
    en = [
        "The first was held in Paris on 24 and 25 October 2013.",
        "It incorporated more country experience, addressed divergent views that had emerged after "
        "the first meeting and introduced documented lessons into the revised draft of the guidelines.",
    ]
    zh = [
        "该会议吸纳了更多国家的经验，讨论了第一次会议后出现的不同观点，还将记录在案的经验教训纳入准则草案修订版。"
    ]
    assert split_bead({"zh": zh, "en": en}, default_scorers()) == []


def test_no_parts_when_two_cuts_are_about_as_good() -> None:
    assert split_bead({"ru": RU, "zh": ZH, "en": EN}, default_scorers(), SplitSettings(margin=1000)) == []
