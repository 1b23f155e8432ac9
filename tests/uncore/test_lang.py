import pytest

from tests.conftest import shared_path
from uncore.errors import UsageError
from uncore.lang import dominant_script, language, output_tag, parse_mapping, script_matches


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh_Hans", "zh"),
        ("cmn", "zh"),
        ("RU-ru", "ru"),
        ("eng", "en"),
        ("arb", "ar"),
        ("fr-CA", "fr"),
    ],
)
def test_language_accepts_common_forms(code: str, expected: str) -> None:
    assert language(code).code == expected


def test_unknown_language_is_a_usage_error_naming_the_code() -> None:
    with pytest.raises(UsageError, match="'zn'"):
        language("zn")


def test_chinese_joins_without_spaces_russian_with() -> None:
    assert not language("zh").joins_words
    assert language("ru").joins_words
    assert language("zh").is_cjk and not language("en").is_cjk


def test_output_tag_mapping_decides() -> None:
    assert output_tag("zh") == "zh"
    assert output_tag("zh", {"zh": "zh-CN"}) == "zh-CN"
    assert output_tag("ru-RU") == "ru-RU"
    assert parse_mapping("zh=zh-CN, ru=ru-RU") == {"zh": "zh-CN", "ru": "ru-RU"}
    with pytest.raises(UsageError):
        parse_mapping("zh:zh-CN")


def test_script_detection_on_real_un_text() -> None:
    zh = shared_path("unpc-dev", "UNv1.0.devset.zh").read_text(encoding="utf-8")
    ru = shared_path("unpc-dev", "UNv1.0.devset.ru").read_text(encoding="utf-8")
    assert dominant_script(zh) == "Hans"
    assert dominant_script(ru) == "Cyrl"
    assert script_matches("zh", zh)
    assert not script_matches("zh", ru)
    assert script_matches("ru", ru)


def test_output_tag_keeps_wellformed_tags_of_other_languages() -> None:
    assert output_tag("ko-KR") == "ko-KR"
    assert output_tag("pt-BR", {"zh": "zh-CN"}) == "pt-BR"
    with pytest.raises(UsageError):
        output_tag("not a tag")


def test_one_rule_for_language_tags_in_data() -> None:
    """Known languages give their code; another well-formed BCP 47 tag its primary subtag (an
    Italian column survives); anything else is refused by name — in the store and the termbase."""
    import pytest

    from termbase.model import lang_code
    from tmx.store.rows import lang_key
    from uncore.errors import InputError, UsageError
    from uncore.lang import tag_code

    assert [tag_code(t) for t in ("zh-CN", "cmn", "ru_RU", "it", "pt-BR")] == ["zh", "zh", "ru", "it", "pt"]
    for bad in ("chinese", "12", "", "zh CN"):
        with pytest.raises(UsageError, match="not a BCP 47 language tag"):
            tag_code(bad)
    assert lang_key("it-IT") == lang_code("it") == "it"
    with pytest.raises(UsageError):
        lang_key("chinese")
    with pytest.raises(InputError, match="'chinese' is not a BCP 47"):
        lang_code("chinese")
