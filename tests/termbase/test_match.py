"""TermMatcher on the bundled termbase: inflection, word boundaries, longest match, exceptions."""

from __future__ import annotations

from termbase.match import TermMatcher
from termbase.model import Concept, Status, Term
from tests.conftest import shared_path


def found(matcher, text, lang):
    return [(h.surface, h.concept_id, h.status.value) for h in matcher.find(text, lang)]


def test_russian_through_inflection(matcher):
    hits = found(matcher, "в Республике Корея, для Республики Корея и для Южной Кореи", "ru")
    assert hits == [("Республике Корея", "country-KOR", "preferred"),
                    ("Республики Корея", "country-KOR", "preferred"),
                    ("Южной Кореи", "country-KOR", "deprecated")]


def test_english_possessive_and_longest_match(matcher):
    text = "South Korea's delegation met the Republic of Korea and the Islamic Republic of Iran."
    assert found(matcher, text, "en") == [
        ("South Korea's", "country-KOR", "deprecated"),
        ("Republic of Korea", "country-KOR", "preferred"),
        ("Islamic Republic of Iran", "country-IRN", "preferred"),
    ]
    hit = matcher.find("Iran (Islamic Republic of) and Iran", "en")
    assert [(h.surface, h.status) for h in hit] == [("Iran (Islamic Republic of)", Status.PREFERRED),
                                                   ("Iran", Status.DEPRECATED)]


def test_chinese_exceptions_are_data(matcher):
    assert found(matcher, "南美国家", "zh") == []
    assert found(matcher, "美国和南美国家", "zh") == [("美国", "country-USA", "deprecated")]
    assert found(matcher, "朝鲜民主主义人民共和国", "zh") == [
        ("朝鲜民主主义人民共和国", "country-PRK", "preferred")]
    assert found(matcher, "朝鲜半岛无核化", "zh") == []


def test_usd_is_not_the_usa(matcher):
    assert found(matcher, "500 000 долл. США", "ru") == []
    assert found(matcher, "США и Россия", "ru") == [("США", "country-USA", "deprecated"),
                                                  ("Россия", "country-RUS", "deprecated")]


def test_case_rules(matcher):
    assert found(matcher, "roast turkey for us", "en") == []
    assert [h[0] for h in found(matcher, "Turkey and the UK", "en")] == ["Turkey", "UK"]


def test_deprecated_hit_points_to_the_un_name(matcher):
    (hit,) = matcher.find("南朝鲜", "zh")
    assert hit.replacement.text == "大韩民国"
    assert hit.preferred("ru").text == "Республика Корея"
    assert hit.preferred("en").text == "Republic of Korea"
    assert (hit.start, hit.end) == (0, 3)


def test_seed_document(matcher):
    text = shared_path("seed", "A72-samarkand-communique.zh.txt").read_text(encoding="utf-8")
    hits = matcher.find(text, "zh")
    bad = {(h.surface, h.replacement.text) for h in hits if h.status.is_bad}
    assert ("南朝鲜", "大韩民国") in bad
    assert ("俄罗斯", "俄罗斯联邦") in bad
    assert ("伊朗", "伊朗伊斯兰共和国") in bad
    ids = {h.concept_id for h in hits}
    assert {"org-UNRCCA", "org-UNODC", "org-OSCE", "instr-AGENDA21", "res-A-68-218",
            "instr-JPOA-CA", "country-USA"} <= ids
    for hit in hits:  # offsets point into the original text (PDF line breaks and all)
        assert "".join(text[hit.start:hit.end].split()) == "".join(hit.surface.split())


def test_traditional_chinese_and_full_width_input():
    concepts = [Concept("c1", (Term("zh", "联合国"), Term("en", "UNODC", Status.ADMITTED)))]
    matcher = TermMatcher(concepts, ["zh", "en"])
    assert [h.surface for h in matcher.find("聯合國大會", "zh")] == ["聯合國"]
    assert [h.surface for h in matcher.find("ＵＮＯＤＣ report", "en")] == ["ＵＮＯＤＣ"]


def test_pronoun_is_not_togo(matcher):
    # pymorphy3's first reading of Того is the pronoun тот: the country must not fire on "того".
    assert found(matcher, "В результате того, что Те страны…", "ru") == []
    assert found(matcher, "делегация Того", "ru") == [("Того", "country-TGO", "preferred")]
