"""Word keys from the one home for language knowledge: lemmas, stems, Chinese words."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import unpc_paragraphs
from uncore.lang import words


def test_russian_words_meet_at_their_lemma() -> None:
    assert words.lemma_key("Республики Корея", "ru") == words.lemma_key("Республике Корея", "ru")
    assert words.lemma_key("Южной Кореи", "ru") == words.lemma_key("Южная Корея", "ru")
    assert words.ru_lemma("Того") == "того"  # the country, not the pronoun тот


def test_english_words_meet_at_their_stem() -> None:
    assert words.lemma_key("Korea's delegations", "en") == words.lemma_key("Korea delegation", "en")
    assert words.lemma_key("2030", "en") == "2030"


def test_no_word_key_where_words_are_not_spaced() -> None:
    assert words.word_key("zh") is None
    assert words.lemma_key("大韩民国", "zh") is None
    assert words.lemma_key("Korea's", "it") == "koreas"  # no rules for Italian: the folded word
    assert words.lemma_key("Korea", "chinese") is None  # not a language tag


def test_chinese_words_come_from_jieba_dictionary() -> None:
    assert words.chinese_words("联合国大会通过了决议") == ("联合国大会", "通过", "了", "决议")


def test_stemmers_are_safe_across_threads() -> None:
    """Each thread stems with its own Snowball object: four threads stemming real UN English at
    once give exactly what one thread gives."""
    text = " ".join(" ".join(p) for p in unpc_paragraphs("en", 200)).lower().split()
    plain = [words.stemmer("en").stemWord(w) for w in text]

    def run(_: int) -> list[str]:
        return [words.stemmer("en").stemWord(w) for w in text]

    with ThreadPoolExecutor(4) as pool:
        assert all(result == plain for result in pool.map(run, range(4)))
    with ThreadPoolExecutor(2) as pool:
        others = list(pool.map(lambda _: words.stemmer("en"), range(2)))
    assert all(other is not words.stemmer("en") for other in others)  # not this thread's object
