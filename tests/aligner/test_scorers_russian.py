"""The Russian dictionary scorer on the real Müller dictionary (Debian's ``mueller7-dict``,
which .ci/run installs) and real UN sentences."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.align import AlignConfig, Side, align_sides
from aligner.evaluate import read_align, score
from aligner.scorers.russian import (
    ENV,
    SYSTEM_PATHS,
    RussianDictionaryScorer,
    dictionary_table,
    find_dictionary,
    read_entries,
    reverse,
)
from tests.conftest import shared_path
from uncore.errors import UsageError
from untm.cli import main
from untm.pipeline import default_config


@pytest.fixture(scope="module")
def mueller() -> Path:
    path = SYSTEM_PATHS[0]
    if not path.is_file():
        pytest.fail(f"{path} missing: Debian package 'mueller7-dict' (.ci/run installs it)")
    return path


def keys(items) -> set[str]:
    return {k for it in items for k in it.keys}


def test_entries_keep_translations_and_drop_examples() -> None:
    """The layout of Müller's entries (copied from the dictionary's 'largeness' and 'lark'):
    senses are read, an example phrase with English in it is not."""
    text = """largeness
   [lɑ:dʒnɪs] _n.
   1) большой размер
   2) широта взглядов
   3) великодушие
lark
   _I  [lɑ:k] _n. жаворонок; to rise with the lark вставать чуть свет, с
    петухами
"""
    entries = dict(read_entries(text.splitlines()))
    assert entries["largeness"] == ["большой", "размер", "широта", "взглядов", "великодушие"]
    assert entries["lark"] == [
        "жаворонок",
        "петухами",
    ]  # 'вставать чуть свет' shares its segment with English


def test_reverse_ranks_a_words_main_sense_first() -> None:
    table = reverse(
        [("health", ["здоровье"]), ("toast", ["тост", "здоровье"]), ("the", ["здоровье"])], keys=8
    )
    assert table["здоровье"] == ("health", "toast")  # stems; 'the' is a stop word


def test_the_real_dictionary_links_russian_to_english_and_chinese(mueller: Path) -> None:
    table = dictionary_table(mueller, 8)
    assert len(table) > 40_000
    assert "health" in table["здоровье"] and "repres" in table["представитель"]
    scorer = RussianDictionaryScorer(mueller)
    assert scorer.applies("ru", "en") and scorer.applies("zh", "ru") and not scorer.applies("zh", "en")
    ru, en, zh = (
        shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[:60]
        for lang in ("ru", "en", "zh")
    )
    ri = scorer.items(ru, "ru", "en")
    for other, lang in ((en, "en"), (zh, "zh")):
        oi = scorer.items(other, lang, "ru")
        aligned = sum(len(keys(a) & keys(b)) for a, b in zip(ri, oi, strict=True))
        shifted = sum(len(keys(a) & keys(b)) for a, b in zip(ri, oi[5:] + oi[:5], strict=True))
        assert aligned > 3 * shifted, lang


def test_environment_names_the_dictionary_or_none(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV, "none")
    assert find_dictionary() is None
    assert not any(isinstance(s, RussianDictionaryScorer) for s in default_config().scorers)
    missing = tmp_path / "mueller7.dict.dz"
    monkeypatch.setenv(ENV, str(missing))
    assert find_dictionary() == missing
    with pytest.raises(UsageError, match=r"mueller7\.dict\.dz: cannot read the Russian dictionary"):
        RussianDictionaryScorer(missing).items(["Здоровье."], "ru", "en")
    other = tmp_path / "readme.txt"  # a file that is no such dictionary
    other.write_text("Not a dictionary\n  at all\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"readme\.txt: no English headword with a Russian translation"):
        RussianDictionaryScorer(other).items(["Здоровье."], "ru", "en")
    # through the CLI: one line, a non-zero exit, no output file
    udhr = Path(__file__).resolve().parents[2] / "examples" / "udhr"
    out = tmp_path / "a.tmx"
    args = ["align", str(udhr / "rus.html"), str(udhr / "eng.html"), "-l", "ru", "-l", "en", "-o", str(out)]
    result = CliRunner(env={ENV: str(other)}).invoke(main, args)
    assert result.exit_code != 0 and not out.exists()
    assert "readme.txt: no English headword" in result.output and "Traceback" not in result.output


def test_pairwise_ru_zh_gains_and_three_languages_do_not_use_it(mueller: Path) -> None:
    """A document of unpc-align-dev's tuning half aligned ru-zh with and without the
    dictionary (scored against the pair's own gold), and three-way: there the scorer is left
    out, so the beads are those of the run without it."""
    doc = shared_path("unpc-align-dev", "doc014")
    sides = {
        lang: Side(lang, tuple((doc / f"{lang}.txt").read_text(encoding="utf-8").splitlines()))
        for lang in ("ru", "zh", "en")
    }
    base = default_config(use_termbase=False)
    without = dataclasses.replace(
        base, scorers=tuple(s for s in base.scorers if not isinstance(s, RussianDictionaryScorer))
    )
    with_it = dataclasses.replace(without, scorers=(*without.scorers, RussianDictionaryScorer(mueller)))
    gold = read_align(doc / "gold.pairwise.ru-zh.align")

    def f1(config: AlignConfig) -> float:
        beads = align_sides([sides["ru"], sides["zh"]], "ru", config)
        links = [(b.indices.get("ru", ()), b.indices.get("zh", ())) for b in beads]
        return score([(gold, links)]).strict_f1

    assert f1(with_it) > f1(without)
    three = [sides["ru"], sides["zh"], sides["en"]]
    assert align_sides(three, "ru", with_it) == align_sides(three, "ru", without)


def test_the_reversed_dictionary_is_kept_for_the_next_process(
    mueller: Path, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    build = dictionary_table.__wrapped__  # the function without its once-a-process cache
    built = build(mueller, 8)
    (kept,) = (tmp_path / "untm").glob("mueller7.dict.dz-*-k8-v1.json")
    assert json.loads(kept.read_text(encoding="utf-8"))["здоровье"] == list(built["здоровье"])
    kept.write_text(json.dumps({"здоровье": ["marker"]}), encoding="utf-8")
    assert build(mueller, 8) == {"здоровье": ("marker",)}  # read, not built again
    kept.write_text("{}", encoding="utf-8")  # empty (an older untm, a full disk): made again
    assert build(mueller, 8) == built
    assert not list((tmp_path / "untm").glob("*-k4-*"))
    assert build(mueller, 4)["здоровье"] == built["здоровье"][:4]  # another setting, another file


def test_the_dictionary_confirms_the_udhrs_units_instead_of_flagging_them(
    mueller: Path, tmp_path: Path
) -> None:
    """`untm align` on the bundled UDHR, ru-en: the same beads with and without the dictionary;
    without it four right 1-1 beads are flagged for review (a cognate-poor sentence such as
    «Они наделены разумом и совестью…»), with it only the English «Now, therefore,», which has
    no Russian counterpart."""
    udhr = Path(__file__).resolve().parents[2] / "examples" / "udhr"
    runs = {}
    for name, dictionary in (("without", "none"), ("with", str(mueller))):
        out = tmp_path / f"{name}.json"
        args = ["align", str(udhr / "rus.html"), str(udhr / "eng.html"), "-l", "ru", "-l", "en"]
        args += ["-o", str(out)]
        result = CliRunner(env={ENV: dictionary}).invoke(main, args)
        assert result.exit_code == 0, result.output
        runs[name] = json.loads(out.read_text(encoding="utf-8"))["beads"]
    assert [b["indices"] for b in runs["with"]] == [b["indices"] for b in runs["without"]]
    flagged = {name: [b["indices"] for b in beads if b["flagged"]] for name, beads in runs.items()}
    assert flagged["with"] == [{"en": [9]}] and len(flagged["without"]) == 5
    assert "ru-dictionary(mueller7" in json.loads((tmp_path / "with.json").read_text())["signature"]


def test_untm_align_says_how_to_get_the_dictionary_when_the_system_has_none(
    monkeypatch, tmp_path: Path
) -> None:
    import aligner.scorers.russian as russian

    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(russian, "SYSTEM_PATHS", (tmp_path / "absent.dict.dz",))
    udhr = Path(__file__).resolve().parents[2] / "examples" / "udhr"
    pair = [str(udhr / "rus.html"), str(udhr / "eng.html"), "-l", "ru", "-l", "en"]
    result = CliRunner().invoke(main, ["align", *pair, "-o", str(tmp_path / "a.tsv")])
    assert result.exit_code == 0 and "apt install mueller7-dict" in result.output
    three = [*pair[:2], str(udhr / "cmn_hans.html"), "-l", "ru", "-l", "en", "-l", "zh"]
    result = CliRunner().invoke(main, ["align", *three, "-o", str(tmp_path / "b.tsv")])
    assert result.exit_code == 0 and "mueller7" not in result.output  # three languages: not used
    result = CliRunner(env={ENV: "none"}).invoke(main, ["align", *pair, "-o", str(tmp_path / "c.tsv")])
    assert result.exit_code == 0 and "mueller7" not in result.output  # turned off on purpose


def test_in_a_pair_it_replaces_the_cognate_heuristics_and_keeps_them_for_names(mueller: Path) -> None:
    from aligner.align import _scorers_for_run
    from aligner.scorers.lexical import CognateScorer, DictionaryScorer

    config = default_config(use_termbase=False)
    assert any(isinstance(s, RussianDictionaryScorer) for s in config.scorers)
    names = {
        pair: {s.name for s in _scorers_for_run(config, pair).scorers}
        for pair in (("ru", "en"), ("zh", "en"))
    }
    assert CognateScorer.name not in names[("ru", "en")] and DictionaryScorer.name not in names[("ru", "en")]
    assert {CognateScorer.name, DictionaryScorer.name} <= names[("zh", "en")]  # not its pair: untouched
    three = {s.name for s in _scorers_for_run(config, ("ru", "zh", "en")).scorers}
    assert CognateScorer.name in three and RussianDictionaryScorer.name not in three
    scorer = RussianDictionaryScorer(mueller)
    # «Мелконян» (unpc-align-dev doc034) is in no dictionary: its spelling meets «Melkonian»;
    # «представитель» meets «representative» through the dictionary
    ru = scorer.items(["Представитель Мелконяна."], "ru", "en")[0]
    en = scorer.items(["Melkonian's representative."], "en", "ru")[0]
    assert len(ru) == 2 and all(any(a.keys & b.keys for b in en) for a in ru)
    assert not any(
        k.startswith("cog:")
        for it in scorer.items(["Представитель Мелконяна"], "ru", "zh")[0]
        for k in it.keys
    )


def test_the_udhrs_article_26_is_cut_into_parts_with_the_dictionary(mueller: Path, tmp_path: Path) -> None:
    """ru-zh: one Chinese sentence for two Russian ones, and one Russian sentence for two Chinese
    ones; with the dictionary both beads are cut where the other language's sentences end."""
    from tmx.reader import read_tmx

    udhr = Path(__file__).resolve().parents[2] / "examples" / "udhr"
    out = tmp_path / "ru-zh.tmx"
    args = [
        "align",
        str(udhr / "rus.html"),
        str(udhr / "cmn_hans.html"),
        "-l",
        "ru",
        "-l",
        "zh",
        "-o",
        str(out),
    ]
    result = CliRunner(env={ENV: str(mueller)}).invoke(main, args)
    assert result.exit_code == 0, result.output
    parts = [(u.text("ru"), u.text("zh")) for u in read_tmx(out) if u.prop("x-untm-kind") == "part"]
    assert ("Каждый человек имеет право на образование.", "人人都有受教育的权利,") in parts
    assert (
        "Техническое и профессиональное образование должно быть общедоступным,",
        "技术和职业教育应普遍设立。",
    ) in parts
    header = out.read_text(encoding="utf-8")
    assert re.search(r'<prop type="x-untm-parts">parts\([^<]* scorers=[^<]*ru-dictionary\(mueller7', header)
