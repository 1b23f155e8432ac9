"""TMX read/write throughput and peak memory: untm's streaming reader/writer vs translate-toolkit.

Generates a trilingual (ru / zh-CN / en) TMX of ``--tus`` units from the UN Parallel Corpus dev
sentences (cycled), then measures, each in a fresh subprocess so peak RSS is per measurement:

  untm-read   read_tmx over the whole file, touching every variant's language and text
  untm-write  TmxWriter writing ``--tus`` trilingual units (built with TranslationUnit.from_texts)
  tt-read     translate.storage.tmx.tmxfile parsing a ``--tt-tus`` slice, touching every
              language node's language and text (getlanguageNodes + getNodeText)
  tt-write    tmxfile building (addsourceunit + settarget(…, append=True) twice) and
              serialising ``--tt-tus`` trilingual units
  lxml-parse  the floor for any lxml iterparse reader: parse and free every <tu> of the slice,
              no Python work per unit (reported for the read ceiling, not a reader)

Both sides do the same work: every language of every unit is read, or written.

translate-toolkit loads the whole document into memory, so it runs on a slice (``--tt-tus``,
default min(tus, 100k)); throughput is compared in TUs/second. Medians of ``--repeat`` runs.

    .venv/bin/python benchmarks/tmx_io.py --tus 200000 --repeat 3

``--read-pairs N`` measures only the reader against the bare parse (#19: untm-read within 1.4x
of lxml-parse), as N adjacent pairs of fresh processes in alternating order on the same file, and
prints the median of the N per-pair ratios: on a shared machine the load changes between the
first and the last run of a series, not between two runs a second apart.

    .venv/bin/python benchmarks/tmx_io.py --tus 1000000 --read-pairs 7

``--parsers N`` puts the compiled parsers on PyPI beside lxml (#19 welcomes one that beats the
lxml path by 1.5x): each reads the file and touches every language and text, as untm-read does,
and is reported against lxml-parse in N rounds of fresh processes, beside two floors:
lxml-minimum (iterparse, the least a reader must take out of each unit: tuid, languages,
texts, as tuples) and lxml-blocks-tuples (the same taken out on untm-read's own route through
the file). Those not installed are named and skipped (they are not dependencies:
``pip install turboxml quick-xmltodict``).

    .venv/bin/python benchmarks/tmx_io.py --tus 100000 --parsers 5

``--instructions`` counts the instructions a unit of the lxml readers and floors under valgrind
(the difference between ``--tus`` units and half as many): a measure the load does not move.

    .venv/bin/python benchmarks/tmx_io.py --tus 40000 --instructions
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import cycle, islice
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tmx.units import TranslationUnit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "unpc-dev"
LANGS = {"ru": "ru", "zh": "zh-CN", "en": "en"}


def sentences() -> list[tuple[str, str, str]]:
    columns = []
    for code in LANGS:
        path = DATA / f"UNv1.0.devset.{code}"
        if not path.exists():
            sys.exit(f"missing benchmark data: {path}")
        columns.append(path.read_text(encoding="utf-8").splitlines())
    return list(zip(*columns, strict=True))


def units(count: int) -> Iterator[TranslationUnit]:
    from tmx.units import TranslationUnit

    tags = tuple(LANGS.values())
    for i, row in enumerate(islice(cycle(sentences()), count)):
        yield TranslationUnit.from_texts(dict(zip(tags, row, strict=True)), tuid=str(i + 1))


def generate(path: Path, count: int) -> None:
    from tmx.writer import write_tmx

    write_tmx(path, units(count), srclang="ru")


# --- measurements (each runs in its own process) ---------------------------------------------


def untm_read(path: Path, _count: int) -> int:
    from tmx.reader import read_tmx

    n = 0
    chars = 0
    for tu in read_tmx(path):
        n += 1
        for v in tu.variants:
            chars += len(v.lang) + len(v.text)
    return n


def lxml_parse(path: Path, _count: int) -> int:
    """The floor for any lxml ``iterparse`` reader: parse every ``<tu>`` and free it, with no
    Python work per unit (not a usable reader: nothing is read out of the elements)."""
    from lxml import etree

    n = 0
    body = None
    for _, elem in etree.iterparse(
        str(path), events=("end",), tag="tu", resolve_entities=False, no_network=True, load_dtd=False
    ):
        n += 1
        if n % 64 == 0:
            if body is None:
                body = elem.getparent()
            del body[:]
    return n


def lxml_minimum(path: Path, _count: int) -> int:
    """The least any lxml ``iterparse`` reader must do to hand out units: each ``<tu>``'s tuid,
    each ``<tuv>``'s language and its ``<seg>``'s text, as plain tuples — no props, notes, inline
    codes, checks or unit objects (not a usable reader: the floor under ``untm-read``)."""
    from lxml import etree

    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    n = chars = 0
    body = None
    for _, elem in etree.iterparse(
        str(path), events=("end",), tag="tu", resolve_entities=False, no_network=True, load_dtd=False
    ):
        unit = (elem.get("tuid"), tuple((tuv.get(lang_attr), tuv[0].text) for tuv in elem))
        n += 1
        chars += len(unit[1])
        if n % 64 == 0:
            if body is None:
                body = elem.getparent()
            del body[:]
    return n


def lxml_blocks_tuples(path: Path, _count: int) -> int:
    """untm-read's way through the file (lxml's pull parser fed 64 KiB at a time, no event per
    unit, the complete ``<tu>``s of each block read and deleted) building only tuples of
    (tuid, ((lang, text), …)): no checks, props, notes, inline codes or unit objects. The floor
    under untm-read's own route."""
    from lxml import etree

    parser = etree.XMLPullParser(
        events=("start",), tag=("body",), resolve_entities=False, no_network=True, load_dtd=False
    )
    n = chars = 0
    body = None
    with path.open("rb") as handle:
        while True:
            data = handle.read(1 << 16)
            if data:
                parser.feed(data)
            else:
                parser.close()
            for _, elem in parser.read_events():
                body = elem
            if body is None:
                continue
            children = body[:] if not data else body[:-1]
            units = [
                (tu.get("tuid"), tuple((tuv.values()[0], tuv[0].text) for tuv in tu[:])) for tu in children
            ]
            n += len(units)
            chars += sum(len(unit[1]) for unit in units)
            del body[: len(children)]
            if not data:
                return n


def expat_pull(path: Path, _count: int) -> int:
    """The standard library's pull parser (expat; elements built in C), streaming."""
    from xml.etree.ElementTree import XMLPullParser

    parser = XMLPullParser(events=("start", "end"))
    n = chars = 0
    body = None
    with path.open("rb") as handle:
        for data in iter(lambda: handle.read(1 << 16), b""):
            parser.feed(data)
            for event, elem in parser.read_events():
                if event == "start":
                    if elem.tag == "body":
                        body = elem
                    continue
                if elem.tag == "tu" and body is not None:
                    n += 1
                    for tuv in elem:
                        chars += len(tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or "")
                        chars += len(tuv[0].text or "")
                    body.remove(elem)
    return n


def turboxml_tree(path: Path, _count: int) -> int:
    """turboxml (Rust): the whole document as one tree (no streaming API)."""
    import turboxml

    root = turboxml.read_file(str(path), "tmx")
    n = chars = 0
    for part in root.children:
        if part.name == "body":
            for tu in part.children:
                n += 1
                for tuv in tu.children:
                    chars += len(tuv.attrs.get("xml:lang", "")) + len(tuv.children[0].text or "")
    return n


def quick_xmltodict(path: Path, _count: int) -> int:
    """quick-xmltodict (Rust): the whole document as nested dicts (no streaming API)."""
    import quick_xmltodict

    tree = quick_xmltodict.parse(path.read_text(encoding="utf-8"))
    n = chars = 0
    for tu in tree["tmx"]["body"]["tu"]:
        n += 1
        for tuv in tu["tuv"]:
            chars += len(tuv["@xml:lang"]) + len(tuv["seg"] or "")
    return n


def untm_write(path: Path, count: int) -> int:
    from tmx.writer import write_tmx

    return write_tmx(path, units(count), srclang="ru")


def tt_read(path: Path, _count: int) -> int:
    from translate.misc.xml_helpers import getXMLlang, getXMLspace
    from translate.storage.tmx import tmxfile

    with open(path, "rb") as handle:
        store = tmxfile(handle, sourcelanguage="ru", targetlanguage="zh-CN")
    n = 0
    chars = 0
    for unit in store.units:
        n += 1
        # every language of the unit, as untm-read does (translate-toolkit's multilingual API:
        # its .source/.target see only two of the three)
        space = getXMLspace(unit.xmlelement, unit._default_xml_space)
        for node in unit.getlanguageNodes():
            chars += len(getXMLlang(node) or "") + len(unit.getNodeText(node, space) or "")
    return n


def tt_write(path: Path, count: int) -> int:
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="ru", targetlanguage="zh-CN")
    n = 0
    for ru, zh, en in islice(cycle(sentences()), count):
        # trilingual, like untm-write: addtranslation(ru, zh) plus the English appended
        unit = store.addsourceunit(ru, "ru")
        unit.settarget(zh, "zh-CN", append=True)
        unit.settarget(en, "en", append=True)
        n += 1
    with open(path, "wb") as handle:
        store.serialize(handle)
    return n


MEASURES = {
    "untm-read": untm_read,
    "untm-write": untm_write,
    "tt-read": tt_read,
    "tt-write": tt_write,
    "lxml-parse": lxml_parse,
    "lxml-minimum": lxml_minimum,
    "lxml-blocks-tuples": lxml_blocks_tuples,
    "expat-pull": expat_pull,
    "turboxml-tree": turboxml_tree,
    "quick-xmltodict": quick_xmltodict,
}
PARSERS = (
    "untm-read",
    "lxml-blocks-tuples",
    "lxml-minimum",
    "expat-pull",
    "turboxml-tree",
    "quick-xmltodict",
)


# imported before the clock starts, on both sides: the measurements are of throughput, and
# importing untm's tmx package (0.09 s) would otherwise be 5 % of a 100k-unit read
IMPORTS = {
    "untm-read": ("tmx.reader",),
    "untm-write": ("tmx.writer",),
    "lxml-parse": ("lxml.etree",),
    "tt-read": ("translate.storage.tmx", "translate.misc.xml_helpers"),
    "tt-write": ("translate.storage.tmx",),
    "lxml-minimum": ("lxml.etree",),
    "lxml-blocks-tuples": ("lxml.etree",),
    "expat-pull": ("xml.etree.ElementTree",),
    "turboxml-tree": ("turboxml",),
    "quick-xmltodict": ("quick_xmltodict",),
}


def child(measure: str, path: Path, count: int) -> None:
    for module in IMPORTS[measure]:
        importlib.import_module(module)
    start, cpu_start = time.perf_counter(), time.process_time()
    done = MEASURES[measure](path, count)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"tus": done, "seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024}))


def run(measure: str, path: Path, count: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", measure, "--file", str(path), "--tus", str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tus", type=int, default=1_000_000)
    parser.add_argument(
        "--tt-tus", type=int, default=None, help="units for translate-toolkit (default: min(tus, 100000))"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--read-pairs", type=int, default=0, help="untm-read vs lxml-parse only, N pairs")
    parser.add_argument("--parsers", type=int, default=0, help="compiled parsers vs lxml-parse, N rounds")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instructions per unit under valgrind (deterministic), the lxml readers and floors",
    )
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        child(args.measure, args.file, args.tus)
        return

    tt_tus = args.tt_tus or min(args.tus, 100_000)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        big, small = work / "big.tmx", work / "slice.tmx"
        started = time.perf_counter()
        generate(big, args.tus)
        size_mb = big.stat().st_size / 1e6
        if args.read_pairs:
            print(f"generated {args.tus:,} TUs ({size_mb:,.0f} MB)", flush=True)
            read_pairs(big, args.tus, args.read_pairs)
            return
        if args.parsers:
            print(f"generated {args.tus:,} TUs ({size_mb:,.0f} MB)", flush=True)
            parsers(big, args.tus, args.parsers)
            return
        if args.instructions:
            half = work / "half.tmx"
            generate(half, args.tus // 2)
            instructions(half, big, args.tus)
            return
        if tt_tus == args.tus:
            small = big
        else:
            generate(small, tt_tus)
        sliced = (
            "" if small == big else (f" and a {tt_tus:,}-TU slice ({small.stat().st_size / 1e6:,.0f} MB)")
        )
        print(
            f"generated {args.tus:,} TUs ({size_mb:,.0f} MB){sliced} in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        plan = [("untm-read", big, args.tus), ("untm-write", work / "w-untm.tmx", args.tus)]
        if tt_tus != args.tus:
            plan += [("untm-read", small, tt_tus), ("untm-write", work / "w-untm-s.tmx", tt_tus)]
        plan += [
            ("tt-read", small, tt_tus),
            ("tt-write", work / "w-tt.tmx", tt_tus),
            ("lxml-parse", small, tt_tus),
        ]
        rows: list[tuple[str, int, float, float, float, float]] = []
        for measure, path, count in plan:
            runs = [run(measure, path, count) for _ in range(args.repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            peak = max(r["peak_mb"] for r in runs)
            rows.append((measure, count, seconds, cpu, runs[0]["tus"] / seconds, peak))
            print(
                f"  {measure:<10} {count:>10,} TUs  {seconds:8.2f} s (cpu {cpu:.2f})  "
                f"{runs[0]['tus'] / seconds:>10,.0f} TU/s  peak {peak:6.0f} MB",
                flush=True,
            )
            for extra in work.glob("w-*.tmx"):
                extra.unlink()

    print(f"\nTMX I/O, trilingual ru/zh-CN/en UNPC sentences, median of {args.repeat} (peak RSS = max)\n")
    print("| measurement | TUs | wall s | CPU s | TUs/s (wall) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for measure, count, seconds, cpu, rate, peak in rows:
        print(f"| {measure} | {count:,} | {seconds:.2f} | {cpu:.2f} | {rate:,.0f} | {peak:.0f} |")
    wall = {(m, c): s for m, c, s, _, _, _ in rows}
    cpus = {(m, c): s for m, c, _, s, _, _ in rows}
    print()
    for label, table in (("wall", wall), ("CPU", cpus)):
        read_ratio = table[("tt-read", tt_tus)] / table[("untm-read", tt_tus)]
        write_ratio = table[("tt-write", tt_tus)] / table[("untm-write", tt_tus)]
        floor = table[("tt-read", tt_tus)] / table[("lxml-parse", tt_tus)]
        print(
            f"untm / translate-toolkit throughput ({label} time) on the same {tt_tus:,}-TU "
            f"slice: read {read_ratio:.1f}x, write {write_ratio:.1f}x "
            f"(bare lxml iterparse: {floor:.1f}x)"
        )
    for label, table in (("wall", wall), ("CPU", cpus)):
        over = table[("untm-read", tt_tus)] / table[("lxml-parse", tt_tus)]
        print(f"untm-read / lxml-parse ({label} time) on the same {tt_tus:,}-TU file: {over:.2f}x")


def instructions(half: Path, whole: Path, count: int) -> None:
    """Instructions per unit of each lxml reader and floor, counted by valgrind (callgrind): the
    difference between a file of ``count`` units and one of half as many, so that start-up and
    imports cancel out. Unlike time on a shared machine, the count does not move with the load
    (it is not time either: the parse waits on memory more than Python does)."""
    import re

    def counted(measure: str, path: Path, units: int) -> int:
        valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
        out = subprocess.run(
            [*valgrind, __file__, "--measure", measure, "--file", str(path), "--tus", str(units)],
            capture_output=True,
            text=True,
            check=True,
        )
        found = re.search(r"Collected : (\d+)", out.stderr)
        if found is None:
            sys.exit(f"valgrind counted nothing for {measure}: {out.stderr[-500:]}")
        return int(found.group(1))

    measures = ("lxml-parse", "lxml-blocks-tuples", "lxml-minimum", "untm-read")
    per_unit = {
        m: (counted(m, whole, count) - counted(m, half, count // 2)) / (count - count // 2) for m in measures
    }
    print(f"| reader, {count // 2:,} more TUs | instructions a unit | / lxml-parse |")
    print("|---|---:|---:|")
    for m in measures:
        print(f"| {m} | {per_unit[m] / 1000:.1f}k | {per_unit[m] / per_unit['lxml-parse']:.2f}x |")


def read_pairs(path: Path, count: int, pairs: int) -> None:
    """untm-read / lxml-parse as the median of per-pair ratios, the order alternating."""
    ratios: dict[str, list[float]] = {"wall": [], "CPU": []}
    for i in range(pairs):
        order = ("untm-read", "lxml-parse") if i % 2 == 0 else ("lxml-parse", "untm-read")
        got = {measure: run(measure, path, count) for measure in order}
        read, bare = got["untm-read"], got["lxml-parse"]
        ratios["wall"].append(read["seconds"] / bare["seconds"])
        ratios["CPU"].append(read["cpu"] / bare["cpu"])
        print(
            f"  pair {i + 1}: untm-read {read['seconds']:.2f} s (cpu {read['cpu']:.2f}, "
            f"peak {read['peak_mb']:.0f} MB), lxml-parse {bare['seconds']:.2f} s (cpu {bare['cpu']:.2f}): "
            f"{ratios['CPU'][-1]:.2f}x CPU",
            flush=True,
        )
    for label, values in ratios.items():
        print(
            f"untm-read / lxml-parse ({label} time), {count:,} TUs, median of {pairs} pairs: "
            f"{statistics.median(values):.2f}x (range {min(values):.2f}-{max(values):.2f})"
        )


def parsers(path: Path, count: int, rounds: int) -> None:
    """Each reader of ``PARSERS`` that is installed against lxml-parse: per round, lxml-parse
    then the readers in a rotated order; the median of the per-round CPU ratios."""
    present = [name for name in PARSERS if all(importlib.util.find_spec(m) for m in IMPORTS[name])]
    for name in sorted(set(PARSERS) - set(present)):
        print(f"  {name}: not installed, skipped")
    ratios: dict[str, list[float]] = {name: [] for name in present}
    peaks: dict[str, float] = {}
    for i in range(rounds):
        bare = run("lxml-parse", path, count)
        for name in present[i % len(present) :] + present[: i % len(present)]:
            got = run(name, path, count)
            if got["tus"] != count:
                sys.exit(f"{name} read {got['tus']:,} units of {count:,}")
            ratios[name].append(got["cpu"] / bare["cpu"])
            peaks[name] = max(peaks.get(name, 0.0), got["peak_mb"])
    print(f"| reader, {count:,} TUs | CPU / lxml-parse (median of {rounds}) | range | peak RSS |")
    print("|---|---:|---|---:|")
    for name in present:
        values = ratios[name]
        print(
            f"| {name} | {statistics.median(values):.2f}x | {min(values):.2f}-{max(values):.2f} "
            f"| {peaks[name]:.0f} MB |"
        )


if __name__ == "__main__":
    main()
