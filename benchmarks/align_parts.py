"""How well ``aligner.parts.split_bead`` cuts a joined sentence where the other languages'
sentences end, on UN text.

    .venv/bin/python benchmarks/align_parts.py [--pairs 400] [--show 0] [--real]

*Joined* (the measure): two (or three) consecutive sentences of one paragraph of the UN Parallel
Corpus dev set, 1-1 in zh / ru / en; in one language they are joined into one sentence as a
translator does: the full stop between them becomes a clause mark (``。`` → ``，`` or ``；``;
``.`` → ``;`` or ``,``, the next word lower-cased). The other two languages keep their
sentences. A split is *right* when every part is the joined language's own sentence (its new
mark included), *wrong* when it cuts elsewhere; *none* when the bead is left whole. Precision
(right / cut) is what matters: a wrong part puts a wrong translation into the memory; a bead
left whole only loses leverage.

``--aligned N``: the first N unpc-align-dev documents aligned three-way as ``untm align
--presegmented`` aligns them (paragraphs, pivot ru, ``default_config()``), written as TMX units
the way ``untm align -o x.tmx`` writes them; counts the beads cut into parts, whether each
such bead is a gold bead, and (``--show N``) prints N of them to read by eye.

``--real``: the unpc-align-dev gold beads (three-way tuples) whose languages the shipped
segmenter divides into different sentence counts, cut as ``untm align`` would cut them; prints
how many are cut and (``--show N``) N of the cuts to read by eye.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner.parts import split_bead
from uncore.lang import language
from untm import pipeline

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LANGS = ("zh", "ru", "en")
MARKS = {"zh": ("，", "；"), "ru": (";", ","), "en": (";", ",")}


def runs(size: int) -> list[list[dict[str, str]]]:
    """Runs of ``size`` consecutive sentences of one paragraph (by the .ids positions)."""
    base = DATA / "unpc-dev" / "UNv1.0.devset"
    texts = {lang: Path(f"{base}.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    rows = []
    for row, line in enumerate(Path(f"{base}.ids").read_text(encoding="utf-8").splitlines()):
        doc, *positions = line.split()
        where = dict(p.split(":", 1) for p in positions)
        key = tuple(tuple(int(x) for x in where[lang].split(":")) for lang in LANGS)
        rows.append((doc, key, {lang: texts[lang][row].strip() for lang in LANGS}))
    index = {(doc, key): texts for doc, key, texts in rows}
    found = []
    for doc, key, first in rows:
        run = [first]
        for step in range(1, size):
            nxt = index.get((doc, tuple((p, s + step) for p, s in key)))
            if nxt is None:
                break
            run.append(nxt)
        if len(run) == size:
            found.append(run)
    return found


def join(sentences: list[str], lang: str, mark: str) -> list[str] | None:
    """The sentences as the parts a joined sentence has, or None when one does not end in a
    plain full stop (a question, a list item ending in ';')."""
    cjk = language(lang).is_cjk
    stop = "。" if cjk else "."
    parts = []
    for i, sentence in enumerate(sentences):
        if i < len(sentences) - 1:
            if not sentence.endswith(stop) or sentence.endswith(("..", "etc.")):
                return None
            sentence = sentence[: -len(stop)] + mark
        if i > 0 and not cjk and sentence[:1].isupper() and sentence[1:2].islower():
            sentence = sentence[0].lower() + sentence[1:]
        parts.append(sentence)
    return parts


def joined(pairs: int, show: int) -> None:
    scorers = pipeline.evidence_scorers()  # what untm align cuts parts on
    rng = random.Random(19)
    print(f"{'joined':<8} {'size':>4} {'mark':>4} {'beads':>6} {'right':>6} ", end="")
    print(f"{'wrong':>6} {'none':>6} {'precision':>9}")
    wrong_shown = 0
    for size in (2, 3):
        pool = runs(size)
        sample = rng.sample(pool, min(pairs, len(pool)))
        for lang in LANGS:
            for mark in MARKS[lang]:
                counts = {"right": 0, "wrong": 0, "none": 0}
                for run in sample:
                    expected = join([s[lang] for s in run], lang, mark)
                    if expected is None:
                        continue
                    bead = {other: [s[other] for s in run] for other in LANGS if other != lang}
                    bead[lang] = [language(lang).joiner.join(expected)]
                    parts = split_bead(bead, scorers)
                    if not parts:
                        counts["none"] += 1
                    elif [p[lang] for p in parts] == [e.strip() for e in expected]:
                        counts["right"] += 1
                    else:
                        counts["wrong"] += 1
                        if wrong_shown < show:
                            wrong_shown += 1
                            print(
                                "   wrong:",
                                [p[lang] for p in parts],
                                "\n   ref:",
                                [p["en" if lang != "en" else "ru"] for p in parts],
                            )
                cut = counts["right"] + counts["wrong"]
                beads = sum(counts.values())
                precision = f"{counts['right'] / cut:.4f}" if cut else "-"
                print(
                    f"{lang:<8} {size:>4} {mark:>4} {beads:>6} {counts['right']:>6} {counts['wrong']:>6} "
                    f"{counts['none']:>6} {precision:>9}"
                )


def real(show: int) -> None:
    from aligner.segment import default_segmenter

    segmenter = default_segmenter()
    scorers = pipeline.evidence_scorers()  # what untm align cuts parts on
    beads = cut = 0
    shown = []
    for doc in sorted((DATA / "unpc-align-dev").glob("doc*")):
        lines = {lang: (doc / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in LANGS}
        for row in (doc / "gold.tuples.tsv").read_text(encoding="utf-8").splitlines():
            cells = row.split("\t")
            sentences = {}
            for lang, cell in zip(LANGS, cells, strict=True):
                ids = [int(x) for x in cell.split(",") if x]
                sentences[lang] = [s for i in ids for s in segmenter.sentences(lines[lang][i], lang)]
            if not all(sentences.values()) or len({len(s) for s in sentences.values()}) == 1:
                continue
            beads += 1
            parts = split_bead(sentences, scorers)
            if parts:
                cut += 1
                shown.append(parts)
    print(f"unpc-align-dev gold beads with unequal sentence counts: {beads}; cut into parts: {cut}")
    for parts in random.Random(19).sample(shown, min(show, len(shown))):
        print()
        for part in parts:
            print("   " + " | ".join(part[lang] for lang in LANGS))


def aligned(documents: int, show: int, part: str = "both") -> None:
    import tempfile

    from align_unpc import half, presegmented_text

    from aligner.read.furniture import split_label

    def key(texts: dict[str, str]) -> tuple[str, ...]:
        return tuple(split_label(texts[lang].strip())[1] for lang in LANGS)

    base = DATA / "unpc-dev" / "UNv1.0.devset"
    columns = [Path(f"{base}.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS]
    tuples = {key(dict(zip(LANGS, row, strict=True))) for row in zip(*columns, strict=True)}
    config = pipeline.default_config()
    beads_cut = in_gold = units = parts_made = parts_right = 0
    shown = []
    with tempfile.TemporaryDirectory() as tmp:
        chosen = sorted((DATA / "unpc-align-dev").glob("doc*"))[:documents]
        for doc in [d for d in chosen if part in ("both", half(d))]:
            paths = []
            for lang in ("ru", "zh", "en"):
                path = Path(tmp) / f"{doc.name}.{lang}.txt"
                path.write_text(presegmented_text(doc, lang, True), encoding="utf-8")
                paths.append(path)
            read = pipeline.read_sides(paths, ["ru", "zh", "en"], source="ru", presegmented=True)
            result = pipeline.align(read, config)
            gold = {
                tuple(tuple(int(x) for x in cell.split(",") if x) for cell in row.split("\t"))
                for row in (doc / "gold.tuples.tsv").read_text(encoding="utf-8").splitlines()
            }
            by_tuid = {}
            for unit in pipeline.beads_to_units(
                result.beads, result.sides, "ru", labels_apart=True, skip_partial=True, parts=True
            ):
                units += 1
                if unit.prop("x-untm-kind") == "part":
                    by_tuid.setdefault(unit.tuid.split("-")[0], []).append(unit)
            for tuid, parts in by_tuid.items():
                bead = result.beads[int(tuid) - 1]
                beads_cut += 1
                in_gold += tuple(bead.get(lang) for lang in LANGS) in gold
                right = [key({lang: part.text(lang) or "" for lang in LANGS}) in tuples for part in parts]
                parts_made += len(parts)
                parts_right += sum(right)
                if not all(right):
                    shown.append((doc.name, parts))
    print(
        f"{units} units; {beads_cut} beads cut into parts, {in_gold} of them gold beads; "
        f"{parts_made} parts, {parts_right} of them a sentence tuple of the UN Parallel Corpus "
        f"(the sentences the test set joined); the other beads' parts follow (--show)"
    )
    for name, parts in shown[:show]:
        print(f"\n{name}")
        for part in parts:
            print("   " + " | ".join(part.text(lang) or "" for lang in LANGS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=400, help="runs of sentences sampled per size")
    parser.add_argument("--show", type=int, default=0, help="print this many cuts (wrong ones, or --real)")
    parser.add_argument("--real", action="store_true", help="cut the unpc-align-dev gold beads instead")
    parser.add_argument("--aligned", type=int, default=0, help="align this many documents and cut them")
    parser.add_argument(
        "--half",
        choices=("tuning", "test", "both"),
        default="both",
        help="with --aligned: one half's documents (align_unpc's split)",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    if args.aligned:
        aligned(args.aligned, args.show, args.half)
    elif args.real:
        real(args.show)
    else:
        joined(args.pairs, args.show)
    print(f"\n{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
