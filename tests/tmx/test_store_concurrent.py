"""Two imports into one memory both land, one after the other, the second told why it waits;
a killed import leaves no process behind; SIGTERM lets an import finish its indexes (#17).
Real processes on real UN sentences (unpc-dev)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.conftest import shared_path
from tmx.store import MemoryStore
from tmx.store.memory import import_lock
from tmx.units import TranslationUnit
from tmx.writer import write_tmx

UNTM = str(Path(sys.executable).with_name("untm"))
LANGS = ("en", "ru", "zh")


def _units(start: int, stop: int, copies: int = 1) -> list[TranslationUnit]:
    lines = {
        lang: shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()
        for lang in LANGS
    }
    return [
        TranslationUnit.from_texts(
            {lang: lines[lang][i] + (f" [{c}]" if c else "") for lang in LANGS}, tuid=f"{c}-{i}"
        )
        for c in range(copies)
        for i in range(start, stop)
    ]


def test_a_second_import_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    memory = tmp_path / "new.sqlite"
    first, second = tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_tmx(first, _units(0, 1500), srclang="en")
    write_tmx(second, _units(1000, 2500), srclang="en")  # 500 units in common
    with import_lock(memory):  # an import is running (held here, so the order is certain)
        waiting = subprocess.Popen(
            [UNTM, "tm", "import", str(second), "--tm", str(memory)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(2.0)
        assert waiting.poll() is None  # it waits …
        assert not memory.exists()  # … and has not started a memory of its own
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert f"another import into a memory in {tmp_path} is running; waiting for it to finish" in err
    again = subprocess.run(
        [UNTM, "tm", "import", str(first), "--tm", str(memory)], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    with MemoryStore(memory, readonly=True) as store:
        assert len(store) == 2500  # both landed, the 500 shared units once
        assert store.consistent()


def test_two_imports_at_once_both_land(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    seed, first, second = tmp_path / "s.tmx", tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_tmx(seed, _units(0, 100), srclang="en")
    write_tmx(first, _units(0, 2000), srclang="en")
    write_tmx(second, _units(1500, 3500), srclang="en")
    assert subprocess.run([UNTM, "tm", "import", str(seed), "--tm", str(memory)]).returncode == 0
    runs = [
        subprocess.Popen(
            [UNTM, "tm", "import", str(path), "--tm", str(memory), "--batch", "100"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (first, second)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    with MemoryStore(memory, readonly=True) as store:
        assert len(store) == 3500 and store.consistent()


def test_a_killed_import_leaves_no_process_behind(tmp_path: Path) -> None:
    big = tmp_path / "big.tmx"
    write_tmx(big, _units(0, 4000, copies=4), srclang="en")
    assert big.stat().st_size > 4_000_000  # read in a second process
    memory = tmp_path / "m.sqlite"
    write_tmx(tmp_path / "s.tmx", _units(0, 50), srclang="en")
    assert (
        subprocess.run([UNTM, "tm", "import", str(tmp_path / "s.tmx"), "--tm", str(memory)]).returncode == 0
    )
    run = subprocess.Popen(
        [UNTM, "tm", "import", str(big), "--tm", str(memory), "--batch", "200"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 60
    children: list[psutil.Process] = []
    while time.monotonic() < deadline and not children:
        children = parent.children(recursive=True)
        time.sleep(0.05)
    assert children, "the reading process never started"
    time.sleep(1.0)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == [], [p.pid for p in alive]


def test_sigterm_stops_an_import_with_its_index_complete(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    write_tmx(tmp_path / "s.tmx", _units(0, 50), srclang="en")
    assert (
        subprocess.run([UNTM, "tm", "import", str(tmp_path / "s.tmx"), "--tm", str(memory)]).returncode == 0
    )
    big = tmp_path / "big.tmx"
    write_tmx(big, _units(0, 4000, copies=8), srclang="en")
    run = subprocess.Popen(
        [UNTM, "tm", "import", str(big), "--tm", str(memory), "--batch", "500"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:  # stop it half-way
        try:
            with sqlite3.connect(f"file:{memory}?mode=ro", uri=True, timeout=0.1) as conn:
                stored = conn.execute("SELECT count(*) FROM tu").fetchone()[0]
            if stored > 3000:
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    assert run.poll() is None, "the import finished before it could be stopped"
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 143 and "untm: stopped (SIGTERM)" in err
    with MemoryStore(memory, readonly=True) as store:
        assert store.consistent()  # what was kept is findable, without another import
        kept = len(store)
        assert 3000 < kept < 32000
        some = list(store.export_units())[60::500]
        for unit in some:
            words = [w for w in unit.text("en").split() if len(w) > 7 and w.isalpha()]
            if words:
                assert unit.tuid in {h.unit.tuid for h in store.search(words[0], "en", limit=5000)}


def test_a_query_past_its_time_limit_is_stopped_and_the_store_still_answers(tmp_path: Path) -> None:
    """The server's per-query limit: SQLite is interrupted, the caller gets one clear error, and
    the next query on the same connection works."""
    import pytest

    from uncore.errors import UsageError

    memory = tmp_path / "m.sqlite"
    with MemoryStore(memory) as store:
        store.import_units(_units(0, 3000, copies=4))
    with MemoryStore(memory, readonly=True) as store:
        with pytest.raises(UsageError, match="took longer than 0 s"), store.time_limit(0.0):
            time.sleep(0.001)
            store.search("e", "en", limit=50_000)  # no index narrows it: all 12,000 units read
        assert len(store.search("General Assembly", "en", limit=10)) == 10


_STALLED_IMPORTER = """
import sys, time
from tmx.store.importer import process_batches
from tmx.units import TranslationUnit
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
units = [TranslationUnit.from_texts({"en": line, "ru": line}) for line in lines[:1200]]
batches = process_batches(lambda: iter(units), 400, 0)
next(batches)  # the reading process has started: tell the test, then never read again
print("reading", flush=True)
time.sleep(600)
"""


def test_a_reading_process_that_has_read_everything_ends_with_a_killed_import(tmp_path: Path) -> None:
    """The reading process may have put its last batches and be ending, its queue's thread still
    writing them to a pipe the killed importer will never read: it ends all the same."""
    en = shared_path("unpc-dev", "UNv1.0.devset.en")
    run = subprocess.Popen(
        [sys.executable, "-c", _STALLED_IMPORTER, str(en)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.stdout is not None and run.stdout.readline().strip() == "reading"
    children = psutil.Process(run.pid).children(recursive=True)
    assert children, "the reading process never started"
    time.sleep(1.0)  # it reads the rest, queues it and reaches its end
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    _, alive = psutil.wait_procs(children, timeout=10)
    for process in alive:
        process.kill()
    assert alive == [], [p.pid for p in alive]
