"""Strict/lax P/R/F1 exactly as ../shared/data/README.md defines them."""

from __future__ import annotations

import pytest

from aligner.evaluate import count, format_align, parse_align, read_align, score, score_paths
from tests.conftest import shared_path
from uncore.errors import InputError


def test_parse_and_format_round_trip() -> None:
    text = "[0,1]:[0]\n[2]:[]\n[]:[1]\n[3]:[2,3]\n"
    links = parse_align(text)
    assert links == [((0, 1), (0,)), ((2,), ()), ((), (1,)), ((3,), (2, 3))]
    assert format_align(links) == text


def test_bad_line_names_file_and_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_align("[0]:[0]\n0-0\n", path="x.align")
    assert caught.value.line == 2 and "x.align" in str(caught.value)


def test_definitions_by_hand() -> None:
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,))]
    c = count(gold, pred)
    # precision over all 5 predicted beads: strict hits (0)(0), (3)(), (4)(2); lax adds (1)(1)
    assert (c.pred, c.pred_strict, c.pred_lax) == (5, 3, 4)
    # recall over the 3 two-sided gold beads against the 3 two-sided predicted beads
    assert (c.gold, c.gold_strict, c.gold_lax) == (3, 2, 3)
    s = score([(gold, pred)])
    assert s.strict_p == pytest.approx(3 / 5) and s.strict_r == pytest.approx(2 / 3)
    assert s.strict_f1 == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))


def test_counts_are_summed_before_dividing() -> None:
    a = ([((0,), (0,))], [((0,), (0,))])
    b = ([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [((0, 1, 2), (0, 1, 2))])
    s = score([a, b])
    assert s.strict_p == pytest.approx(1 / 2)  # 1 hit of 2 predicted beads overall
    assert s.strict_r == pytest.approx(1 / 4)


def test_gold_against_itself_is_perfect() -> None:
    gold = shared_path("unpc-align-dev", "doc000", "gold.zh-en.align")
    s = score_paths(gold, gold)
    assert (s.strict_f1, s.lax_f1) == (1.0, 1.0)
    assert s.counts.pred == len(read_align(gold))


def test_directories_need_matching_files(tmp_path) -> None:
    gold_dir = tmp_path / "gold"
    pred_dir = tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    text = shared_path("mac-dev", "gold", "001.align").read_text(encoding="utf-8")
    (gold_dir / "001.align").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="no prediction"):
        score_paths(gold_dir, pred_dir)
    (pred_dir / "001.align").write_text(text, encoding="utf-8")
    assert score_paths(gold_dir, pred_dir).strict_f1 == 1.0
