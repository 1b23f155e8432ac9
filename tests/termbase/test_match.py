"""TermMatcher on the bundled termbase: inflection, word boundaries, longest match, exceptions."""

from __future__ import annotations

from functools import lru_cache

from termbase.model import Concept, Status, Term
from tests.conftest import shared_path
from uncore.lang.terms import TermMatcher


def found(matcher, text, lang):
    return [(h.surface, h.concept_id, h.status.value) for h in matcher.find(text, lang)]


def test_russian_through_inflection(matcher):
    hits = found(matcher, "в Республике Корея, для Республики Корея и для Южной Кореи", "ru")
    assert hits == [
        ("Республике Корея", "country-KOR", "preferred"),
        ("Республики Корея", "country-KOR", "preferred"),
        ("Южной Кореи", "country-KOR", "deprecated"),
    ]


def test_english_possessive_and_longest_match(matcher):
    text = "South Korea's delegation met the Republic of Korea and the Islamic Republic of Iran."
    assert found(matcher, text, "en") == [
        ("South Korea's", "country-KOR", "deprecated"),
        ("Republic of Korea", "country-KOR", "preferred"),
        ("Islamic Republic of Iran", "country-IRN", "preferred"),
    ]
    hit = matcher.find("Iran (Islamic Republic of) and Iran", "en")
    assert [(h.surface, h.status) for h in hit] == [
        ("Iran (Islamic Republic of)", Status.PREFERRED),
        ("Iran", Status.ADMITTED),
    ]


def test_chinese_exceptions_are_data(matcher):
    assert found(matcher, "南美国家", "zh") == []
    assert found(matcher, "美国和南美国家", "zh") == [("美国", "country-USA", "admitted")]
    assert found(matcher, "朝鲜民主主义人民共和国", "zh") == [
        ("朝鲜民主主义人民共和国", "country-PRK", "preferred")
    ]
    assert found(matcher, "朝鲜半岛无核化", "zh") == []


def test_usd_is_not_the_usa(matcher):
    assert found(matcher, "500 000 долл. США", "ru") == []
    # short forms official UN text writes: found, admitted (QA judges them against the source)
    assert found(matcher, "США и Россия", "ru") == [
        ("США", "country-USA", "admitted"),
        ("Россия", "country-RUS", "admitted"),
    ]


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
    assert bad == {("南朝鲜", "大韩民国")}  # the only name UN Chinese never writes
    short = {(h.surface, h.preferred("zh").text) for h in hits if h.status is Status.ADMITTED}
    assert {("俄罗斯", "俄罗斯联邦"), ("伊朗", "伊朗伊斯兰共和国")} <= short
    ids = {h.concept_id for h in hits}
    assert {
        "org-UNRCCA",
        "org-UNODC",
        "org-OSCE",
        "instr-AGENDA21",
        "res-A-68-218",
        "instr-JPOA-CA",
        "country-USA",
    } <= ids
    for hit in hits:  # offsets point into the original text (PDF line breaks and all)
        assert "".join(text[hit.start : hit.end].split()) == "".join(hit.surface.split())


def test_traditional_chinese_and_full_width_input():
    concepts = [Concept("c1", (Term("zh", "联合国"), Term("en", "UNODC", Status.ADMITTED)))]
    matcher = TermMatcher(concepts, ["zh", "en"])
    assert [h.surface for h in matcher.find("聯合國大會", "zh")] == ["聯合國"]
    assert [h.surface for h in matcher.find("ＵＮＯＤＣ report", "en")] == ["ＵＮＯＤＣ"]


def test_pronoun_is_not_togo(matcher):
    # pymorphy3's first reading of Того is the pronoun тот: the country must not fire on "того".
    assert found(matcher, "В результате того, что Те страны…", "ru") == []
    assert found(matcher, "делегация Того", "ru") == [("Того", "country-TGO", "preferred")]


# --- variants, exceptions and admitted forms, on real UN sentences (unpc-dev) -----------------


@lru_cache(maxsize=4)
def _unpc(lang: str) -> tuple[str, ...]:
    path = shared_path("unpc-dev", f"UNv1.0.devset.{lang}")
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def sentence(lang: str, index: int, needle: str) -> str:
    """Line ``index`` of the unpc-dev ``lang`` file, checked to contain ``needle``."""
    text = _unpc(lang)[index]
    assert needle in text, (lang, index, needle)
    return text


def planted(lang: str, index: int, official: str, variant: str) -> str:
    """A real sentence with its official name replaced by a non-UN variant (as QA must catch)."""
    return sentence(lang, index, official).replace(official, variant, 1)


def bad(matcher, text, lang):
    return [(h.surface, h.concept_id) for h in matcher.find(text, lang) if h.status.is_bad]


def test_america_is_the_state_but_not_the_continents(matcher):
    text = planted("en", 72, "the United States", "America")
    assert bad(matcher, text, "en") == [("America", "country-USA")]
    # America in the names of continents and regions is not the State
    assert bad(matcher, sentence("en", 213, "Latin America and the Caribbean"), "en") == []
    assert bad(matcher, sentence("en", 3240, "in South America"), "en") == []
    assert bad(matcher, "Summit of the Americas; North America and Central America", "en") == []
    # the Organization of American States: "American" is another word
    usa = [
        h
        for h in matcher.find(sentence("en", 412, "United States of America"), "en")
        if h.concept_id == "country-USA"
    ]
    assert {h.status for h in usa} == {Status.PREFERRED}


def test_russian_america_in_every_case_but_not_latin_america(matcher):
    text = planted("ru", 994, "Соединенными Штатами", "Америкой")
    assert bad(matcher, text, "ru") == [("Америкой", "country-USA")]
    text = planted("ru", 72, "Соединенных Штатов", "Америки")
    assert ("Америки", "country-USA") in bad(matcher, text, "ru")
    assert bad(matcher, sentence("ru", 602, "Латинской Америки"), "ru") == []
    assert bad(matcher, sentence("ru", 3240, "Южной Америки"), "ru") == []
    assert bad(matcher, "в Северной Америке, в Центральной Америке и в обеих Америках", "ru") == []


def test_england_and_holland_for_the_state(matcher):
    text = planted("ru", 482, "Соединенного Королевства", "Англии")
    assert bad(matcher, text, "ru") == [("Англии", "country-GBR")]
    assert bad(matcher, "в Англии и Уэльсе; Банк Англии; Новая Англия", "ru") == []
    text = planted("ru", 647, "Нидерландах", "Голландии")
    assert bad(matcher, text, "ru") == [("Голландии", "country-NLD")]
    assert bad(matcher, "провинция Северная Голландия", "ru") == []


def test_belorussia_and_brunei(matcher):
    text = planted("en", 109, "Belarus", "Belorussia")
    assert bad(matcher, text, "en") == [("Belorussia", "country-BLR")]
    # the UN names, as the official texts write them: no finding; the short forms (official UN
    # text writes them too, unpc-dev): found as admitted short forms, never errors by themselves
    for lang, name, short in (("en", "Brunei Darussalam", "Brunei"), ("zh", "文莱达鲁萨兰国", "文莱")):
        text = sentence(lang, 2691, name)
        assert bad(matcher, text, lang) == []
        assert ("country-BRN", Status.PREFERRED) in {
            (h.concept_id, h.status) for h in matcher.find(text, lang)
        }
        shortened = text.replace(name, short)
        assert bad(matcher, shortened, lang) == []
        assert (short, "country-BRN", "admitted") in found(matcher, shortened, lang)
    brunei = found(matcher, "ратификация Брунеем и Бруней-Даруссаламом", "ru")
    assert ("Брунеем", "country-BRN", "admitted") in brunei


def test_occupied_syrian_golan_is_a_un_term(matcher):
    assert bad(matcher, sentence("zh", 1994, "被占领的叙利亚戈兰"), "zh") == []
    text = sentence("zh", 805, "叙利亚戈兰")  # "…对被占领叙利亚戈兰的叙利亚平民…": the adjective
    syria = [(s, st) for s, c, st in found(matcher, text, "zh") if c == "country-SYR"]
    assert syria == [("阿拉伯叙利亚共和国", "preferred"), ("叙利亚", "admitted")]
    assert ("叙利亚", "country-SYR", "admitted") in found(matcher, "叙利亚和伊拉克", "zh")


def test_us_dollar_in_every_case_is_not_the_usa(matcher):
    def usa(text: str) -> list[str]:
        return [s for s, c, _ in found(matcher, text, "ru") if c == "country-USA"]

    assert usa(sentence("ru", 3034, "доллар США")) == []
    assert usa(sentence("ru", 522, "долларов США")) == []
    assert usa("в долларах США и с долларами США") == []
    assert usa(sentence("ru", 104, "и США")) == ["США"]
    # nor is the English currency name a mention of the State
    assert found(matcher, sentence("en", 3034, "United States dollar"), "en") == []


def test_un_in_the_names_of_un_entities(matcher):
    for index, name in ((18, "UN-Women"), (802, "UN-Habitat")):
        hits = matcher.find(sentence("en", index, name), "en")
        assert not [h for h in hits if h.concept_id == "org-UN" and h.surface == "UN"], name
    assert [h.surface for h in matcher.find("the UN and UN-Water", "en") if h.concept_id == "org-UN"] == [
        "UN"
    ]


def test_admitted_un_short_forms(matcher):
    cases = [
        ("zh", 1085, "玻利维亚多民族国", "country-BOL"),
        ("zh", 248, "联合王国", "country-GBR"),
        ("ru", 248, "Соединенное Королевство", "country-GBR"),
        ("ru", 994, "Соединенными Штатами", "country-USA"),
        ("ru", 482, "Соединенного Королевства", "country-GBR"),
    ]
    for lang, index, name, concept in cases:
        hits = matcher.find(sentence(lang, index, name), lang)
        assert (name, concept, "admitted") in [(h.surface, h.concept_id, h.status.value) for h in hits]
        assert not [h for h in hits if h.concept_id == concept and h.status.is_bad], name
    # the full names still win over the short forms inside them
    assert found(matcher, "大不列颠及北爱尔兰联合王国", "zh") == [
        ("大不列颠及北爱尔兰联合王国", "country-GBR", "preferred")
    ]
    assert found(matcher, "Соединенных Штатов Америки", "ru") == [
        ("Соединенных Штатов Америки", "country-USA", "preferred")
    ]
