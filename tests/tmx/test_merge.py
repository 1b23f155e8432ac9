"""Merge (dedupe, newest wins), filter, split and stats on real UN units."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tests.tmx.unpc import unpc_units
from tmx.merge import merge_files
from tmx.reader import read_tmx
from tmx.select import UnitFilter, filter_units, parse_pair, split_pair
from tmx.stats import memory_stats
from tmx.units import Variant
from tmx.writer import write_tmx


def test_merge_dedupes_and_keeps_newest(tmp_path: Path) -> None:
    units = unpc_units(20)
    old, new = tmp_path / "2015.tmx", tmp_path / "2016.tmx"
    write_tmx(old, [replace(u, changedate=datetime(2015, 1, 1, tzinfo=UTC)) for u in units], srclang="ru")
    revised = replace(
        units[3],
        variants=(units[3].variants[0], Variant("zh-CN", "修订后的译文"), units[3].variants[2]),
        changedate=datetime(2016, 5, 1, tzinfo=UTC),
    )
    write_tmx(new, [*units[:10], revised], srclang="ru")  # 10 repeats of 2015
    out = tmp_path / "all.tmx"
    result = merge_files([old, new], out)
    assert result.read == 31
    assert result.duplicates == 10  # same segments in the same languages: dates do not matter
    merged = list(read_tmx(out))
    by_ru = {u.text("ru"): u.text("zh") for u in merged}
    assert len(merged) == 20 == result.written
    assert by_ru[units[3].text("ru")] == "修订后的译文"
    [conflict] = result.conflicts
    assert conflict.source == units[3].text("ru")
    assert conflict.kept == "2016.tmx#11 (tuid 4)" and conflict.dropped == "2015.tmx#4"
    assert conflict.kept_date == "2016-05-01T00:00:00Z"


def test_filter_split_and_stats() -> None:
    units = unpc_units(50)
    scored = [replace(u, props=(("x-untm-score", f"{i / 50:.2f}"),)) for i, u in enumerate(units)]
    kept = list(filter_units(scored, UnitFilter(langs=("zh", "ru"), min_score=0.5, max_length=200)))
    assert kept and all(u.languages == ("zh-CN", "ru") for u in kept)
    assert all(float(u.prop("x-untm-score") or 0) >= 0.5 for u in kept)
    assert all(len(v.text) <= 200 for u in kept for v in u.variants)
    assert parse_pair("ru-zh") == ("ru", "zh") and parse_pair("ru-RU:zh-CN") == ("ru-RU", "zh-CN")
    pairs = list(split_pair(units, "zh", "ru"))
    assert len(pairs) == 50 and pairs[0].languages == ("zh-CN", "ru")
    stats = memory_stats([*units, units[0]], "ru")
    assert stats.units == 51 and stats.duplicate_units == 1
    assert {s.lang: s.segments for s in stats.languages} == {"en": 51, "ru": 51, "zh-CN": 51}
