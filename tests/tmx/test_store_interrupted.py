"""An interrupted `untm tm import` never leaves a memory that opens but lies (#17): a first import
that fails leaves no file; units kept from a broken or killed import into an existing memory are
all findable by concordance once anything opens the memory for writing, and `tm info` says
whether the memory is consistent. Real UN sentences (unpc-dev), real processes, a real SIGKILL."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tmx.store import MemoryStore
from tmx.units import TranslationUnit
from tmx.writer import write_tmx
from untm.cli import main

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "unpc-dev"
LANGS = ("en", "ru", "zh")


def _units(copies: int) -> list[TranslationUnit]:
    lines = {lang: (DEV / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    return [
        TranslationUnit.from_texts(
            {lang: lines[lang][i] + (f" [{c}]" if c else "") for lang in LANGS}, tuid=f"{c}-{i}"
        )
        for c in range(copies)
        for i in range(len(lines["en"]))
    ]


def _all_findable(store: MemoryStore, every: int = 97) -> int:
    """Look up a sample of the stored units (every 97th, after the first small import) by the
    last two words of their English and Russian segments; all must be found. Returns how many."""
    checked = 0
    units = list(store.export_units())
    for position in range(60, len(units), every):
        unit = units[position]
        for lang in ("en", "ru"):
            words = (unit.text(lang) or "").split()
            if len(words) < 3:
                continue
            query = " ".join(words[-3:-1])
            hits = store.search(query, lang, limit=100_000)
            assert any(hit.unit.tuid == unit.tuid for hit in hits), (lang, query, unit.tuid)
            checked += 1
    return checked


def _broken_tmx(path: Path, units: list[TranslationUnit]) -> None:
    write_tmx(path, units, srclang="en")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 400])  # the file ends inside a unit


def test_a_failed_first_import_leaves_no_memory(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tmx"
    _broken_tmx(broken, _units(1)[:300])
    done = CliRunner().invoke(main, ["tm", "import", str(broken), "--tm", str(tmp_path / "new.sqlite")])
    assert done.exit_code == 2 and "broken.tmx" in done.output
    assert list(tmp_path.iterdir()) == [broken]


def test_units_kept_from_a_broken_bulk_import_are_all_findable(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    small = tmp_path / "small.tmx"
    write_tmx(small, _units(1)[:50], srclang="en")
    assert CliRunner().invoke(main, ["tm", "import", str(small), "--tm", str(memory)]).exit_code == 0
    broken = tmp_path / "big.tmx"
    _broken_tmx(broken, _units(3))  # over 4 MB: read in a second process, vocabulary at the end
    assert broken.stat().st_size > 4_000_000
    done = CliRunner().invoke(main, ["tm", "import", str(broken), "--tm", str(memory), "--batch", "1000"])
    assert done.exit_code == 2
    with MemoryStore(memory, readonly=True) as store:
        kept = len(store)
        assert kept > 5000 and store.consistent()
        assert _all_findable(store) > 50


def test_a_killed_import_is_reported_and_completed_by_the_next(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    small = tmp_path / "small.tmx"
    write_tmx(small, _units(1)[:50], srclang="en")
    runner = CliRunner()
    assert runner.invoke(main, ["tm", "import", str(small), "--tm", str(memory)]).exit_code == 0
    big = tmp_path / "big.tmx"
    write_tmx(big, _units(6), srclang="en")
    untm = str(Path(sys.executable).with_name("untm"))
    process = subprocess.Popen(
        [untm, "tm", "import", str(big), "--tm", str(memory), "--batch", "500"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    pending = False
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with sqlite3.connect(f"file:{memory}?mode=ro", uri=True, timeout=0.1) as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = 'vocabulary'").fetchone()
                stored = conn.execute("SELECT count(*) FROM tu").fetchone()[0]
            if row and row[0] == "pending" and stored > 2000:
                pending = True
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    assert pending, "the import finished before it could be killed mid-way"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    time.sleep(0.5)
    info = runner.invoke(main, ["tm", "info", "--tm", str(memory), "--format", "json"])
    assert json.loads(info.stdout)[0]["consistent"] is False
    assert "stopped before it finished" in info.output
    again = runner.invoke(main, ["tm", "import", str(small), "--tm", str(memory)])
    assert again.exit_code == 0
    info = runner.invoke(main, ["tm", "info", "--tm", str(memory), "--format", "json"])
    assert json.loads(info.stdout)[0]["consistent"] is True
    with MemoryStore(memory, readonly=True) as store:
        assert len(store) > 2000 and _all_findable(store) > 20
