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
