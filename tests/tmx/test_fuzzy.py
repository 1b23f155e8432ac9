"""The CAT-style match percentage on real UN sentences (unpc-dev)."""

from __future__ import annotations

from tests.conftest import shared_path
from tmx.fuzzy import match_percentage, normalize, tokens


def _lines(lang: str) -> list[str]:
    return shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()


def test_identical_and_whitespace_only_differences_are_100() -> None:
    ru = _lines("ru")[2]
    assert match_percentage(ru, ru, "ru") == 100
    assert match_percentage(ru, "  " + ru.replace(" ", "   \n"), "ru") == 100


def test_case_only_differences_are_99_not_100() -> None:
    en = _lines("en")[2]
    assert match_percentage(en, en.lower(), "en") == 99


def test_a_changed_punctuation_mark_is_one_token() -> None:
    en = _lines("en")[2]
    n = len(tokens(en, "en"))
    assert match_percentage(en, en.rstrip(".") + "!", "en") == int(100 * (1 - 1 / n))


def test_one_changed_word_costs_one_token_of_the_longer_segment() -> None:
    en = _lines("en")[2]  # "No reform of the United Nations can redefine ..."
    changed = en.replace("reform", "change", 1)
    n = len(tokens(en, "en"))
    assert match_percentage(en, changed, "en") == int(100 * (1 - 1 / n))


def test_chinese_counts_characters() -> None:
    zh = _lines("zh")[2]  # 联合国的任何改革都不应重新定义《宪章》的这些原则，...
    assert tokens("大韩 民国", "zh") == ["大", "韩", "民", "国"]
    shortened = zh.replace("任何", "", 1)
    expected = int(100 * (1 - 2 / len(tokens(zh, "zh"))))
    assert match_percentage(zh, shortened, "zh") == expected


def test_unrelated_sentences_score_low() -> None:
    ru = _lines("ru")
    assert match_percentage(ru[2], ru[10], "ru") < 30


def test_normalize_collapses_whitespace() -> None:
    assert normalize(" a \u3000 b\n") == "a b"
