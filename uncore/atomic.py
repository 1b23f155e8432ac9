"""Write output files so that a failure never leaves a half-written file behind.

Everything untm writes goes to a temporary file in the target's directory and is renamed over
the target only when the writer finished without an exception. The path ``-`` is standard
output (the Unix convention every command follows: ``-o -``); no file named ``-`` is created.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, overload


@overload
def atomic_output(
    path: str | Path, mode: Literal["w"] = "w", encoding: str = "utf-8"
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_output(
    path: str | Path, mode: Literal["wb"], encoding: str = "utf-8"
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_output(path: str | Path, mode: str = "w", encoding: str = "utf-8"):
    """Open ``path`` for writing; the file appears (atomically) only if the block succeeds.
    ``-`` writes to standard output."""
    if is_stdout(path):
        return _stdout(mode)
    return _atomic_output(Path(path), mode, encoding)


def is_stdout(path: str | Path | None) -> bool:
    return path is not None and str(path) == "-"


@contextlib.contextmanager
def _stdout(mode: str) -> Iterator[IO]:
    stream: IO = sys.stdout.buffer if "b" in mode else sys.stdout
    yield stream
    stream.flush()


def _umask_mode() -> int:
    """The mode a plain ``open()`` would give a new file (0o666 less the umask): ``mkstemp``
    makes its file 0o600, and the rename would otherwise keep that private mode."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _finish(tmp_name: str, target: Path) -> None:
    os.chmod(tmp_name, _umask_mode())
    os.replace(tmp_name, target)


@contextlib.contextmanager
def _atomic_output(path: Path, mode: str, encoding: str) -> Iterator[IO]:
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        if "b" in mode:
            handle: IO = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding=encoding, newline="")
        with handle:
            yield handle
        _finish(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path for libraries that insist on writing to a file name themselves
    (openpyxl, sqlite); it is renamed to ``path`` only if the block succeeds (``-``: copied to
    standard output)."""
    if is_stdout(path):
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder) / "out"
            yield tmp
            sys.stdout.flush()
            sys.stdout.buffer.write(tmp.read_bytes())
            sys.stdout.buffer.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    os.close(fd)
    try:
        yield Path(tmp_name)
        _finish(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
