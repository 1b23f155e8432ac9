"""A disk that refuses a write (here: the file-size limit, EFBIG, which any user can set; a full
disk, ENOSPC, takes the same path) gives one line naming the file, exit 2, and nothing left."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

from tmx.units import TranslationUnit
from tmx.writer import write_tmx

UNTM = str(Path(sys.executable).with_name("untm"))
DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "unpc-dev"


def _limited() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_refused_write_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    lines = {
        lang: (DEV / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[:1500]
        for lang in ("en", "zh")
    }
    source = tmp_path / "unpc.tmx"
    write_tmx(
        source,
        [TranslationUnit.from_texts({"en": lines["en"][i], "zh": lines["zh"][i]}) for i in range(1500)],
        srclang="en",
    )
    assert source.stat().st_size > 200_000
    out = tmp_path / "out"
    out.mkdir()
    for target in ("copy.tsv", "copy.tmx", "copy.xlsx"):
        done = subprocess.run(
            [
                UNTM,
                "tmx",
                "convert",
                str(source),
                "--source",
                "en",
                "--langs",
                "en,zh",
                "-o",
                str(out / target),
            ],
            capture_output=True,
            text=True,
            preexec_fn=_limited,
            timeout=120,
        )
        assert done.returncode == 2, (target, done.stderr)
        assert done.stderr.strip().splitlines() == [f"untm: error: file too large writing {out / target}"]
    assert list(out.iterdir()) == []


def test_a_memory_that_cannot_grow_is_one_line_and_stays_whole(tmp_path: Path) -> None:
    """SQLite meets the refused write inside `tm import` ("database or disk is full"): one line,
    exit 2; the memory opens, `tm info` says whether its index is complete, and the next import
    (with room) completes it: every kept unit is then found by a word of it."""
    lines = {
        lang: (DEV / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[:4000]
        for lang in ("en", "ru")
    }
    small, big = tmp_path / "small.tmx", tmp_path / "big.tmx"
    units = [
        TranslationUnit.from_texts({"en": lines["en"][i], "ru": lines["ru"][i]}, tuid=str(i))
        for i in range(4000)
    ]
    write_tmx(small, units[:50], srclang="en")
    write_tmx(big, units[50:], srclang="en")
    memory = tmp_path / "m.sqlite"
    first = subprocess.run(
        [UNTM, "tm", "import", str(small), "--tm", str(memory)], capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    limit = memory.stat().st_size + 300_000  # room for a few batches, not for 3,950 units

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [UNTM, "tm", "import", str(big), "--tm", str(memory), "--batch", "200"],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "no space left" in done.stderr, done.stderr
    info = subprocess.run(
        [UNTM, "tm", "info", "--tm", str(memory), "--format", "json"], capture_output=True, text=True
    )
    assert info.returncode == 0 and '"consistent"' in info.stdout, info.stdout + info.stderr
    if '"consistent": false' in info.stdout:
        assert "stopped before it finished" in info.stderr
    again = subprocess.run(
        [UNTM, "tm", "import", str(small), "--tm", str(memory)], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    from tmx.store import MemoryStore

    with MemoryStore(memory, readonly=True) as store:
        assert store.consistent() and len(store) > 50
        checked = 0
        for unit in store.export_units():
            words = [w for w in unit.text("en").split() if len(w) > 7 and w.isalpha()]
            if words:
                assert unit.tuid in {h.unit.tuid for h in store.search(words[0], "en", limit=1000)}
                checked += 1
        assert checked > 50
