"""How much of a document OmegaT fills from an untm memory: the leverage a translator gets.

    .venv/bin/python benchmarks/omegat_leverage.py [--documents 40] [--misses]

Each case aligns with the CLI (``untm align``, the path a user takes) into a TMX, builds an
OmegaT 3.6 project whose ``tm/auto`` holds it, runs OmegaT headless (``console-translate``) and
reads OmegaT's own statistics (``omegat/project_stats.txt``: segments, and those remaining
untranslated). Every case runs twice: with OmegaT's default segmentation rules, and with untm's
``un.srx`` as the project's rules (``untm segment --export-srx omegat/segmentation.conf``).

Cases:
- UDHR, the three pages (ru, zh, en HTML) aligned three-way; OmegaT translates the English page,
  then the Russian page, into zh-CN.
- UN-like: documents of the UN Parallel Corpus dev set that number their paragraphs
  (``tests.omegat.numbered_paragraphs``), written presegmented (a sentence per line, a blank
  line between paragraphs) and aligned three-way; OmegaT translates the text form of the
  English, then the Russian, document (a paragraph per line) into zh-CN.

``--misses`` lists the segments no memory unit matches exactly.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.omegat import Leverage, make_project, numbered_paragraphs, translate  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
UNTM = [str(Path(sys.executable).parent / "untm")]  # the installed command, as a user runs it


def untm(*args: str) -> None:
    subprocess.run([*UNTM, *args], check=True, capture_output=True, text=True, cwd=ROOT)


def memory_texts(memory: Path, lang: str) -> set[str]:
    from tmx.reader import read_tmx

    return {text for unit in read_tmx(memory) if (text := unit.text(lang))}


def udhr_memory(work: Path) -> Path:
    memory = work / "udhr.tmx"
    pages = [str(DATA / "udhr" / f"{name}.html") for name in ("rus", "cmn_hans", "eng")]
    untm("align", *pages, "-l", "ru", "-l", "zh", "-l", "en", "--source", "ru", "-o", str(memory))
    return memory


def un_like_memory(work: Path, documents: int) -> tuple[Path, dict[str, bytes]]:
    """The presegmented files aligned into a TMX, and each language's text form (paragraphs)."""
    paragraphs = numbered_paragraphs(DATA / "unpc-dev", ("ru", "zh", "en"), documents)
    files, text_forms = [], {}
    for lang, paras in paragraphs.items():
        path = work / f"un.{lang}.txt"
        path.write_text("\n\n".join("\n".join(p) for p in paras) + "\n", encoding="utf-8")
        files.append(str(path))
        joiner = "" if lang == "zh" else " "
        text_forms[lang] = ("\n\n".join(joiner.join(p) for p in paras) + "\n").encode("utf-8")
    memory = work / "un.tmx"
    untm(
        "align",
        *files,
        "-l",
        "ru",
        "-l",
        "zh",
        "-l",
        "en",
        "--source",
        "ru",
        "--presegmented",
        "-o",
        str(memory),
    )
    return memory, text_forms


def run_case(
    work: Path, name: str, source: str, files: dict[str, bytes], memory: Path, rules: bytes | None
) -> Leverage:
    project = make_project(
        work / name, source=source, target="zh-CN", files=files, memory=memory, rules=rules
    )
    return translate(project, memory_texts(memory, source))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=40, help="UN-like case: documents taken")
    parser.add_argument("--misses", action="store_true", help="list the segments left unfilled")
    args = parser.parse_args()
    from aligner.segment import Segmenter
    from aligner.srx import to_omegat_conf

    un_srx = to_omegat_conf(Segmenter.shipped().rules)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        udhr = udhr_memory(work)
        un, un_texts = un_like_memory(work, args.documents)
        cases = [
            ("UDHR en → zh-CN", "en", {"eng.html": (DATA / "udhr" / "eng.html").read_bytes()}, udhr),
            ("UDHR ru → zh-CN", "ru", {"rus.html": (DATA / "udhr" / "rus.html").read_bytes()}, udhr),
            ("UN-like en → zh-CN", "en", {"doc.txt": un_texts["en"]}, un),
            ("UN-like ru → zh-CN", "ru", {"doc.txt": un_texts["ru"]}, un),
        ]
        for index, (name, source, files, memory) in enumerate(cases):
            for rules_name, rules in (("OmegaT default", None), ("un.srx", un_srx)):
                result = run_case(work, f"p{index}-{rules is not None}", source, files, memory, rules)
                rows.append((name, rules_name, result))
    print(f"{'case':<22} {'rules':<15} {'segments':>8} {'filled':>7} {'filled %':>9}")
    for name, rules_name, result in rows:
        filled = result.total - result.remaining
        print(f"{name:<22} {rules_name:<15} {result.total:>8} {filled:>7} {100 * result.filled:>8.1f}%")
    if args.misses:
        for name, rules_name, result in rows:
            print(f"\n{name}, {rules_name}: {len(result.missed)} segments without an exact unit")
            for text in result.missed:
                print(f"    {text[:110]}")


if __name__ == "__main__":
    main()
