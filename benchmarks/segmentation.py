"""Sentence segmentation accuracy on the UN Parallel Corpus dev set, against pysbd and razdel.

For each language, the dev-set sentences of one document paragraph (``.ids`` gives
``lang:paragraph:sentence``) are joined back into that paragraph (zh without a space, ru/en with
one), split again, and the predicted sentence strings compared with the gold ones:
precision / recall / F1 over sentence strings per paragraph (summed over paragraphs), % of gold
sentences recovered exactly (= recall), % of paragraphs split exactly right, and time.

    .venv/bin/python benchmarks/segmentation.py [--data ../shared/data/unpc-dev] [--repeat 3] [--omegat]

``--omegat`` also runs OmegaT 3.6's own segmenter (benchmarks/omegat_segment.groovy, no Java
compiler needed) with un.srx read through OmegaT's SRX 2.0 binding, and with OmegaT's default
rules: the first shows the shipped file means the same thing in a CAT tool, the second is a peer.

A second, out-of-domain set (MAC-Dev novel chapters, one sentence per line; evaluation only)
is run too when ``../shared/data/mac-dev`` is present: the UN rules were written while looking
at UN text, so this shows how they behave on text they were not tuned on.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.read.furniture import split_label  # noqa: E402
from aligner.segment import Segmenter  # noqa: E402

LANGS = ("zh", "ru", "en")
JOINER = {"zh": "", "ru": " ", "en": " "}


def load_paragraphs(data: Path, lang: str) -> list[list[str]]:
    """Gold sentences grouped by (document, paragraph), in sentence order."""
    ids = (data / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    sents = (data / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()
    groups: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    for row, sentence in zip(ids, sents, strict=True):
        doc, *positions = row.split()
        where = dict(p.split(":", 1) for p in positions)[lang]
        para, index = (int(x) for x in where.split(":"))
        groups[(doc, para)].append((index, sentence.strip()))
    return [[s for _, s in sorted(group)] for group in groups.values()]


def load_mac_dev(data: Path, lang: str, group: int = 5) -> list[list[str]]:
    """Out-of-domain check: MAC-Dev novel chapters (one sentence per line, evaluation only),
    grouped into pseudo-paragraphs of ``group`` consecutive sentences."""
    paragraphs: list[list[str]] = []
    for chapter in sorted((data / lang).iterdir()):
        lines = [line.strip() for line in chapter.read_text(encoding="utf-8").splitlines() if line.strip()]
        paragraphs.extend(lines[i : i + group] for i in range(0, len(lines), group))
    return paragraphs


def boundaries(text: str, sentences: list[str]) -> set[int]:
    """Offsets in ``text`` where one sentence ends and the next begins (for boundary P/R)."""
    found, pos = set(), 0
    for sentence in sentences[:-1]:
        at = text.find(sentence.strip(), pos)
        if at < 0:
            break
        pos = at + len(sentence.strip())
        found.add(pos)
    return found


def label_kept(text: str, pred: list[str]) -> list[str]:
    """A paragraph label cut off as a segment of its own (``12.``, as OmegaT's default rules and
    un.srx cut it, for CAT tools) counts as part of the sentence it numbers, as in the gold:
    the same for every system, so only sentence boundaries are compared."""
    label, _ = split_label(text)
    if label is None or len(pred) < 2 or pred[0] != label:
        return pred
    start = text.find(pred[0])
    end = text.find(pred[1], start + len(pred[0])) + len(pred[1])
    return [text[start:end], *pred[2:]]


def score(paragraphs: list[list[str]], split: Callable[[str], list[str]], joiner: str) -> dict[str, Any]:
    tp = n_pred = n_gold = exact_paras = 0
    b_gold = b_pred = b_tp = 0
    for gold in paragraphs:
        text = joiner.join(gold)
        pred = label_kept(text, [s.strip() for s in split(text) if s.strip()])
        gold_b, pred_b = boundaries(text, gold), boundaries(text, pred)
        b_gold, b_pred, b_tp = b_gold + len(gold_b), b_pred + len(pred_b), b_tp + len(gold_b & pred_b)
        common = sum((Counter(gold) & Counter(pred)).values())
        tp += common
        n_pred += len(pred)
        n_gold += len(gold)
        exact_paras += pred == gold
    p, r = tp / n_pred, tp / n_gold
    return {
        "P": p,
        "R": r,
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "paras": exact_paras / len(paragraphs),
        "n": n_gold,
        "breaks": f"{b_tp}/{b_gold} +{b_pred - b_tp}",
    }


OMEGAT_CP = "/usr/share/java/groovy-all.jar:/usr/share/omegat/OmegaT.jar"
GROOVY = ROOT / "benchmarks" / "omegat_segment.groovy"


def omegat_batch(rules: str, lang: str, texts: list[str]) -> tuple[dict[str, list[str]], float] | None:
    """Segment ``texts`` with OmegaT's engine in one JVM run: (text → segments, seconds)."""
    if not (shutil.which("java") and Path("/usr/share/omegat/OmegaT.jar").exists()):
        return None
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(t.replace("\n", " ") for t in texts) + "\n")
    start = time.perf_counter()
    run = subprocess.run(
        ["java", "-cp", OMEGAT_CP, "groovy.ui.GroovyMain", str(GROOVY), rules, lang, handle.name],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    seconds = time.perf_counter() - start
    Path(handle.name).unlink()
    lines = run.stdout.split("\n")[: len(texts)]
    if run.returncode != 0 or len(lines) != len(texts):
        print(f"  (OmegaT run failed: {run.stderr.strip()[-300:]})")
        return None
    return {t: line.split("\t") for t, line in zip(texts, lines, strict=True)}, seconds


def systems(lang: str) -> dict[str, Callable[[str], list[str]]]:
    found: dict[str, Callable[[str], list[str]]] = {}
    untm = Segmenter.shipped()
    found["untm (un.srx)"] = lambda text: untm.split(text, lang)
    try:
        import pysbd

        seg = pysbd.Segmenter(language=lang, clean=False)
        found["pysbd 0.3"] = seg.segment
    except (ImportError, ValueError):
        pass
    if lang == "ru":
        from razdel import sentenize

        found["razdel"] = lambda text: [s.text for s in sentenize(text)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data" / "unpc-dev")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per system (median is shown)")
    parser.add_argument(
        "--omegat",
        action="store_true",
        help="also run OmegaT's engine (one JVM per language; time includes JVM start)",
    )
    parser.add_argument("--skip-mac", action="store_true", help="skip the out-of-domain MAC-Dev check")
    parser.add_argument("--show-errors", type=int, default=0, help="print this many untm errors per language")
    args = parser.parse_args()
    mac = args.data.parent / "mac-dev"
    sets = [("unpc-dev", lang, load_paragraphs(args.data, lang)) for lang in LANGS]
    if mac.is_dir() and not args.skip_mac:
        sets += [("mac-dev", lang, load_mac_dev(mac, lang)) for lang in ("zh", "en")]
    print(
        f"{'set':8} {'lang':4} {'system':16} {'sents':>6} {'P':>7} {'R=exact%':>9} {'F1':>7} "
        f"{'paras ok':>9} {'breaks found/gold +spurious':>28} {'median s':>9} {'x untm':>7}"
    )
    for name_of_set, lang, paragraphs in sets:
        base_time = None
        for name, split in systems(lang).items():
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = score(paragraphs, split, JOINER[lang])
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            base_time = base_time or median
            print(
                f"{name_of_set:8} {lang:4} {name:16} {result['n']:>6} {result['P']:>7.2%} "
                f"{result['R']:>9.2%} {result['F1']:>7.2%} {result['paras']:>9.2%} {result['breaks']:>28} "
                f"{median:>9.3f} {median / base_time:>7.2f}"
            )
        if args.omegat:
            texts = [JOINER[lang].join(gold) for gold in paragraphs]
            for name, rules in (
                ("OmegaT+un.srx", str(ROOT / "aligner" / "rules" / "un.srx")),
                ("OmegaT default", "default"),
            ):
                batch = omegat_batch(rules, lang, texts)
                if batch is None:
                    continue
                table, seconds = batch
                result = score(paragraphs, table.__getitem__, JOINER[lang])
                print(
                    f"{name_of_set:8} {lang:4} {name:16} {result['n']:>6} {result['P']:>7.2%} "
                    f"{result['R']:>9.2%} {result['F1']:>7.2%} {result['paras']:>9.2%} "
                    f"{result['breaks']:>28} {seconds:>9.3f} {'(JVM)':>7}"
                )
        if args.show_errors:
            untm = Segmenter.shipped()
            shown = 0
            for gold in paragraphs:
                pred = untm.split(JOINER[lang].join(gold), lang)
                if pred != gold and shown < args.show_errors:
                    shown += 1
                    print("  GOLD", gold, "\n  PRED", pred)


if __name__ == "__main__":
    main()
