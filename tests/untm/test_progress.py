"""Progress bars: drawn on a terminal for long work, never into a pipe, never with --quiet."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from tests.conftest import shared_path

UNPC_RU = shared_path("unpc-dev", "UNv1.0.devset.ru")


def _run(args: list[str], tty: bool) -> tuple[int, str]:
    """Run ``untm`` with standard error on a pseudo-terminal (or a pipe); its stderr text."""
    command = [str(Path(sys.executable).with_name("untm")), *args]
    if not tty:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        return done.returncode, done.stderr
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=child)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_convert_shows_a_bar_on_a_terminal_only(tmp_path: Path) -> None:
    out = tmp_path / "unpc.tmx"
    args = ["tmx", "convert", str(UNPC_RU), "--langs", "ru,en", "-o", str(out)]
    code, shown = _run(args, tty=True)
    assert code == 0, shown
    assert "converting" in shown and "TU/s" in shown  # tqdm's counter and rate
    assert "4000 units written" in shown
    code, piped = _run([*args[:-1], str(tmp_path / "piped.tmx")], tty=False)
    assert code == 0 and piped.strip() == f"4000 units written to {tmp_path / 'piped.tmx'}"
    code, quiet = _run([*args[:-1], str(tmp_path / "quiet.tmx"), "--quiet"], tty=True)
    assert code == 0 and "TU/s" not in quiet and "4000 units written" in quiet


def test_tm_import_counts_units_on_a_terminal(tmp_path: Path) -> None:
    tmx_file = tmp_path / "unpc.tmx"
    assert _run(["tmx", "convert", str(UNPC_RU), "--langs", "ru,en", "-o", str(tmx_file)], tty=False)[0] == 0
    code, shown = _run(
        ["tm", "import", str(tmx_file), "--tm", str(tmp_path / "m.sqlite"), "--batch", "500"], tty=True
    )
    assert code == 0, shown
    assert "unpc.tmx" in shown and "TU/s" in shown


def test_long_alignment_shows_a_bar_short_one_does_not(tmp_path: Path) -> None:
    doc = shared_path("unpc-align-dev", "doc000")
    args = [
        "align",
        str(doc / "ru.para.txt"),
        str(doc / "en.para.txt"),
        "-l",
        "ru",
        "-l",
        "en",
        "-o",
        str(tmp_path / "short.tmx"),
    ]
    code, shown = _run(args, tty=True)
    assert code == 0, shown
    assert "aligning" not in shown  # a document of a few hundred sentences: no bar


def test_long_alignment_shows_its_progress(tmp_path: Path) -> None:
    """1,200 UN sentences a side (over the 1,000-sentence threshold): the bar counts them."""
    for lang in ("ru", "en"):
        lines = shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()
        (tmp_path / f"{lang}.txt").write_text("\n".join(lines[:1200]) + "\n", encoding="utf-8")
    args = [
        "align",
        str(tmp_path / "ru.txt"),
        str(tmp_path / "en.txt"),
        "-l",
        "ru",
        "-l",
        "en",
        "--presegmented",
        "-o",
        str(tmp_path / "long.tmx"),
    ]
    code, shown = _run(args, tty=True)
    assert code == 0, shown
    assert "aligning" in shown and "sent" in shown
    assert (tmp_path / "long.tmx").exists()


def test_a_bar_started_again_counts_the_whole_total_again() -> None:
    """``--scorer neural`` aligning a literary text again on every sentence restarts its bar:
    the second pass is counted from nothing up to the same total, not clipped at 100 %."""
    from untm.progress import Progress

    bar = Progress(total=10, show=True)
    bar.update(10)
    bar.update(5)  # past the total: clipped
    assert bar._bar.n == 10
    bar.restart()
    assert bar._bar.n == 0 and bar._bar.total == 10
    bar.update(6)
    assert bar._bar.n == 6
    bar.close()
    Progress(total=10, show=False).restart()  # no bar: nothing to do
