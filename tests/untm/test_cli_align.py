"""``untm align`` and ``untm align-eval`` through click's CliRunner, on real UN files."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from aligner.scorers.embedding import EmbeddingScorer, HashingEncoder
from tests.conftest import shared_path
from untm import pipeline
from untm.cli import main


def dev(name: str) -> Path:
    return shared_path("unpc-align-dev", "doc001", name)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_whole_documents_without_paragraphs_get_a_note(tmp_path: Path) -> None:
    """A UN document given as a bare sentence list loses its paragraphs, which keep beads from
    crossing them: untm says so (flat pairwise ru-zh 0.9895 against 0.9956 on the test half),
    and says nothing when the files have blank lines or are a few sentences."""
    flat = [str(dev("zh.txt")), str(dev("en.txt")), "-l", "zh", "-l", "en", "--presegmented"]
    result = run("align", *flat, "-o", str(tmp_path / "flat.align"))
    assert result.exit_code == 0 and "untm: note: no blank line between paragraphs" in result.output
    assert "--scorer neural re-checks" in result.output  # the cpu run is told of the encoder
    read = pipeline.read_sides([dev("zh.txt"), dev("en.txt")], ["zh", "en"], presegmented=True)
    encoder = EmbeddingScorer(HashingEncoder(), regions=True)  # as --scorer neural adds it
    config = pipeline.default_config(use_termbase=False)
    with_encoder = pipeline.flat_input_note(read, True, replace(config, scorers=(*config.scorers, encoder)))
    assert with_encoder is not None and "--scorer neural" not in with_encoder

    def written(name: str, lines: Callable[[list[str]], list[str]]) -> list[str]:
        """The document's zh and en sentences, as ``lines`` makes them, in files of ``name``."""
        paths = []
        for lang in ("zh", "en"):
            path = tmp_path / f"{name}.{lang}.txt"
            sentences = dev(f"{lang}.txt").read_text(encoding="utf-8").splitlines()
            path.write_text("\n".join(lines(sentences)) + "\n", encoding="utf-8")
            paths.append(str(path))
        return paths

    with_paragraphs = written("para", lambda sentences: [*sentences[:40], "", *sentences[40:]])
    result = run("align", *with_paragraphs, *flat[2:], "-o", str(tmp_path / "para.align"))
    assert result.exit_code == 0 and "blank line" not in result.output
    short = written("short", lambda sentences: sentences[:10])
    result = run("align", *short, *flat[2:], "-o", str(tmp_path / "short.align"))
    assert result.exit_code == 0 and "blank line" not in result.output


def test_align_to_align_file_and_evaluate(tmp_path: Path) -> None:
    out = tmp_path / "zh-en.align"
    result = run(
        "align",
        str(dev("zh.txt")),
        str(dev("en.txt")),
        "-l",
        "zh",
        "-l",
        "en",
        "--presegmented",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(line.startswith("[") for line in lines)
    result = run("align-eval", "--gold", str(dev("gold.zh-en.align")), "--pred", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["metric"]: row for row in json.loads(result.output)}
    assert float(rows["strict"]["f1"]) >= 0.93
    assert float(rows["lax"]["f1"]) >= float(rows["strict"]["f1"])


def test_three_way_tmx_carries_scores(tmp_path: Path) -> None:
    from tmx.reader import read_tmx

    out = tmp_path / "doc.tmx"
    result = run(
        "align",
        str(dev("ru.txt")),
        str(dev("zh.txt")),
        str(dev("en.txt")),
        "-l",
        "ru",
        "-l",
        "zh",
        "-l",
        "en",
        "--presegmented",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    units = list(read_tmx(out))
    assert len(units) > 50
    assert all(0.0 <= float(u.prop("x-untm-score")) <= 1.0 for u in units)
    full = [u for u in units if len(u.variants) == 3]
    assert len(full) > 0.8 * len(units)
    ru_text = "".join(u.text("ru") or "" for u in units)
    assert len(ru_text) > 1000


def test_json_and_tsv_outputs(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    assert (
        run(
            "align",
            str(dev("ru.txt")),
            str(dev("en.txt")),
            "-l",
            "ru",
            "-l",
            "en",
            "--presegmented",
            "-o",
            str(out),
        ).exit_code
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["languages"] == ["ru", "en"] and data["signature"].startswith("untm-align/")
    assert all("score" in b and "indices" in b for b in data["beads"])
    tsv = tmp_path / "a.tsv"
    assert (
        run(
            "align",
            str(dev("ru.txt")),
            str(dev("en.txt")),
            "-l",
            "ru",
            "-l",
            "en",
            "--presegmented",
            "-o",
            str(tsv),
        ).exit_code
        == 0
    )
    assert tsv.read_text(encoding="utf-8").splitlines()[0] == "tuid\tscore\tflagged\tru\ten"


def test_paragraph_files_align_hierarchically(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    result = run(
        "align",
        str(dev("zh.para.txt")),
        str(dev("en.para.txt")),
        "-l",
        "zh",
        "-l",
        "en",
        "--presegmented",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["beads"]) > 40


def test_bad_input_exits_2_without_output(tmp_path: Path) -> None:
    out = tmp_path / "x.tmx"
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 20)
    cases = [
        (str(dev("zh.txt")), str(empty)),
        (str(dev("zh.txt")), str(binary)),
        (str(dev("zh.txt")), str(tmp_path / "missing.txt")),
    ]
    for first, second in cases:
        result = run("align", first, second, "-l", "zh", "-l", "en", "--presegmented", "-o", str(out))
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert not out.exists()
    result = run("align", str(dev("zh.txt")), "-l", "zh", "-l", "en", "--presegmented", "-o", str(out))
    assert result.exit_code == 2
    result = run(
        "align",
        str(dev("zh.txt")),
        str(dev("en.txt")),
        str(dev("ru.txt")),
        "-l",
        "zh",
        "-l",
        "en",
        "-l",
        "ru",
        "--presegmented",
        "-o",
        str(tmp_path / "x.align"),
    )
    assert result.exit_code == 2 and "bilingual" in result.output
    result = run(
        "align",
        str(dev("zh.txt")),
        str(dev("en.txt")),
        "-l",
        "zh",
        "-l",
        "en",
        "--presegmented",
        "-o",
        str(tmp_path / "x.docx"),
    )
    assert result.exit_code == 2 and "format" in result.output
    assert list(tmp_path.iterdir()) == [empty, binary] or set(tmp_path.iterdir()) == {empty, binary}


def test_embeddings_need_a_local_model(tmp_path: Path) -> None:
    out = tmp_path / "e.align"
    result = run(
        "align",
        str(dev("zh.txt")),
        str(dev("en.txt")),
        "-l",
        "zh",
        "-l",
        "en",
        "--presegmented",
        "--embeddings",
        str(tmp_path / "no-such-model"),
        "-o",
        str(out),
    )
    assert result.exit_code == 2 and "never downloads" in result.output
    assert not out.exists()


def test_unequal_versions_warn(tmp_path: Path) -> None:
    short = tmp_path / "short.en.txt"
    lines = dev("en.txt").read_text(encoding="utf-8").splitlines()[:5]
    short.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "align",
        str(dev("zh.txt")),
        str(short),
        "-l",
        "zh",
        "-l",
        "en",
        "--presegmented",
        "-o",
        str(tmp_path / "u.align"),
    )
    assert result.exit_code == 0
    assert "same document" in result.output


def test_script_mismatch_warns(tmp_path: Path) -> None:
    out = tmp_path / "w.align"
    result = run(
        "align",
        str(dev("ru.txt")),
        str(dev("en.txt")),
        "-l",
        "zh",
        "-l",
        "en",
        "--presegmented",
        "-o",
        str(out),
    )
    assert result.exit_code == 0
    assert "warning" in result.output and "Cyrl" in result.output


def test_align_eval_on_directories(tmp_path: Path) -> None:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    for name in ("doc000", "doc001"):
        text = shared_path("unpc-align-dev", name, "gold.ru-en.align").read_text(encoding="utf-8")
        (gold_dir / f"{name}.align").write_text(text, encoding="utf-8")
        (pred_dir / f"{name}.align").write_text(text, encoding="utf-8")
    result = run("align-eval", "--gold", str(gold_dir), "--pred", str(pred_dir))
    assert result.exit_code == 0
    assert "strict" in result.output and "1.0000" in result.output
    bad = tmp_path / "bad.align"
    bad.write_text("not an alignment\n", encoding="utf-8")
    result = run("align-eval", "--gold", str(gold_dir / "doc000.align"), "--pred", str(bad))
    assert result.exit_code == 2 and "bad.align:1" in result.output


def test_documents_are_read_segmented_and_aligned(tmp_path: Path) -> None:
    """Not presegmented: the readers find the UDHR's blocks, the segmenter its sentences."""
    out = tmp_path / "udhr.json"
    result = run(
        "align",
        str(shared_path("udhr", "eng.html")),
        str(shared_path("udhr", "fra.html")),
        "-l",
        "en",
        "-l",
        "fr",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    beads = json.loads(out.read_text(encoding="utf-8"))["beads"]
    paired = [b for b in beads if set(b["text"]) == {"en", "fr"}]
    assert len(paired) > 0.9 * len(beads)
    first_article = next(b for b in paired if b["text"]["en"].startswith("All human beings are born free"))
    assert first_article["text"]["fr"].startswith("Tous les êtres humains naissent libres")


def test_three_way_tmx_with_omissions_is_valid_tmx(tmp_path: Path) -> None:
    """A UN document with dropped sentences and page furniture: omissions stay out of the TMX,
    units without the pivot name their own source language, and the file passes the TMX 1.4b
    DTD and untm's own validator (what a CAT tool will see)."""
    from lxml import etree

    from tests.conftest import schema_path

    doc = shared_path("unpc-align-dev", "doc000")
    out = tmp_path / "doc000.tmx"
    result = CliRunner().invoke(
        main,
        [
            "align",
            str(doc / "ru.txt"),
            str(doc / "zh.txt"),
            str(doc / "en.txt"),
            "-l",
            "ru",
            "-l",
            "zh",
            "-l",
            "en",
            "--presegmented",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "left out of the TMX" in result.output
    tree = etree.parse(str(out))
    assert etree.DTD(str(schema_path("tmx14.dtd"))).validate(tree)
    units = tree.findall(".//tu")
    assert all(len(tu.findall("tuv")) >= 2 for tu in units)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu in units:
        langs = [tuv.get(xml_lang) for tuv in tu.findall("tuv")]
        assert "ru" in langs or tu.get("srclang") in langs
    check = CliRunner().invoke(main, ["tmx", "validate", str(out)])
    assert check.exit_code == 0, check.output


def test_labels_leave_the_segments_for_a_prop(tmp_path: Path) -> None:
    """Numbered UN paragraphs (unpc-dev, presegmented): in the TMX no segment starts with its
    paragraph label, each label is kept in its variant's x-untm-label prop (nothing lost), the
    labels themselves make units of their own, and the TSV keeps the text as the document has it."""
    from aligner.read.furniture import split_label
    from tests.omegat import numbered_paragraphs
    from tmx.reader import read_tmx
    from tmx.validate import validate_file

    paragraphs = numbered_paragraphs(shared_path("unpc-dev"), ("ru", "zh", "en"), 12)
    files = []
    for lang, paras in paragraphs.items():
        path = tmp_path / f"{lang}.txt"
        path.write_text("\n\n".join("\n".join(p) for p in paras) + "\n", encoding="utf-8")
        files.append(str(path))
    langs = ["-l", "ru", "-l", "zh", "-l", "en", "--source", "ru", "--presegmented"]
    assert run("align", *files, *langs, "-o", str(tmp_path / "out.tmx")).exit_code == 0
    assert run("align", *files, *langs, "-o", str(tmp_path / "out.tsv")).exit_code == 0
    units = list(read_tmx(tmp_path / "out.tmx"))
    sentences = [u for u in units if u.prop("x-untm-kind") != "label"]
    labelled = [(u, v) for u in sentences for v in u.variants if dict(v.props).get("x-untm-label")]
    english_labels = sum(1 for p in paragraphs["en"] if split_label(p[0])[0] is not None)
    assert len([1 for _, v in labelled if v.lang == "en"]) == english_labels >= 5
    for unit in sentences:
        for variant in unit.variants:
            assert split_label(variant.text)[0] is None, variant.text
    for _, variant in labelled:  # the label, put back, is the document's paragraph
        restored = f"{dict(variant.props)['x-untm-label']} {variant.text}"
        paras = paragraphs[variant.lang]
        joiner = "" if variant.lang == "zh" else " "
        assert any(restored.replace(" ", "") == joiner.join(p).replace(" ", "") for p in paras) or any(
            p[0].replace(" ", "").startswith(restored.replace(" ", "")) for p in paras
        ), restored
    label_units = [u for u in units if u.prop("x-untm-kind") == "label"]
    assert label_units and all(len(u.variants) >= 2 for u in label_units)
    assert len({tuple((v.lang, v.text) for v in u.variants) for u in label_units}) == len(label_units)
    assert {v.text for u in label_units for v in u.variants if v.lang == "en"} <= {
        split_label(p[0])[0] for p in paragraphs["en"]
    }
    report = validate_file(tmp_path / "out.tmx")
    assert report.valid and not report.problems, report.problems
    table = (tmp_path / "out.tsv").read_text(encoding="utf-8")
    assert sum(1 for p in paragraphs["en"] if p[0] in table) == len(paragraphs["en"])
