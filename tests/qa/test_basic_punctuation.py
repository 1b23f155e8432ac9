"""empty, untranslated, cjk-punctuation and unbalanced-brackets on real sentences."""

from __future__ import annotations

from qa import run_checks
from tests.qa.conftest import tuple_unit
from tmx.units import TranslationUnit, Variant

KOREA = 1026


def run(units, checks, **kw):  # type: ignore[no-untyped-def]
    return list(run_checks(units, checks=checks, **kw))


def test_empty_and_missing_targets(unpc) -> None:  # type: ignore[no-untyped-def]
    unit = TranslationUnit((Variant("en", unpc["en"][KOREA]), Variant("zh-CN", "  ")), tuid="7")
    [finding] = run([unit], ["empty"], source="en")
    assert (finding.tuid, finding.lang, finding.check) == ("7", "zh-CN", "empty")
    # a named target absent from the unit is empty too
    alone = TranslationUnit.from_texts({"en": unpc["en"][KOREA]})
    assert [f.lang for f in run([alone], ["empty"], source="en", targets=["ru"])] == ["ru"]


def test_untranslated_copy_of_the_source(unpc) -> None:  # type: ignore[no-untyped-def]
    copied = tuple_unit(unpc, KOREA, ru=unpc["en"][KOREA])
    found = run([copied], ["untranslated"], source="en")
    assert [(f.lang, f.check) for f in found] == [("ru", "untranslated")]
    assert run([tuple_unit(unpc, KOREA)], ["untranslated"], source="en") == []


def test_half_width_punctuation_in_chinese(unpc) -> None:  # type: ignore[no-untyped-def]
    zh = unpc["zh"][KOREA].replace("，", ",", 1).replace("。", ".")
    found = run([tuple_unit(unpc, KOREA, zh=zh)], ["cjk-punctuation"], source="en")
    assert [(f.found, f.suggestion) for f in found] == [(",", "，")] or all(
        f.suggestion in {"，", "；", "：", "？", "！"} for f in found
    )
    # 3.5 and A/72/1 inside Chinese are not punctuation
    assert run([TranslationUnit.from_texts({"zh": "见A/72/1号文件，增长3.5%。"})], ["cjk-punctuation"]) == []


def test_brackets_only_when_the_source_is_balanced(unpc) -> None:  # type: ignore[no-untyped-def]
    index = next(i for i, s in enumerate(unpc["zh"]) if "《" in s and "》" in s)
    zh = unpc["zh"][index].replace("》", "", 1)
    [finding] = run([tuple_unit(unpc, index, zh=zh)], ["unbalanced-brackets"], source="en", targets=["zh"])
    assert (finding.found, finding.suggestion) == ("《", "》")
    assert run([tuple_unit(unpc, index)], ["unbalanced-brackets"], source="en", targets=["zh"]) == []


def test_number_format_against_un_style(unpc) -> None:  # type: ignore[no-untyped-def]
    """unpc-dev: a Chinese sentence writes 45,000 where UN Chinese groups thousands with spaces."""
    index = next(i for i, s in enumerate(unpc["zh"]) if "45,000澳元" in s)
    found = run([tuple_unit(unpc, index)], ["number-format"], source="en")
    assert [(f.lang, f.found, f.suggestion) for f in found] == [("zh", "45,000", "45 000")]
    assert run([tuple_unit(unpc, KOREA)], ["number-format"], source="en") == []
