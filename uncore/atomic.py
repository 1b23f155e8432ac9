"""Write output files so that a failure never leaves a half-written file behind.

Everything untm writes goes to a temporary file in the target's directory and is renamed over
the target only when the writer finished without an exception. The path ``-`` is standard
output (the Unix convention every command follows: ``-o -``); no file named ``-`` is created.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, overload

from uncore.errors import OutputError


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


# What a full or failing disk answers a write with (ENOSPC, EDQUOT, EFBIG, EROFS, EIO).
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO})


def disk_error(error: OSError, path: str | Path | None) -> OutputError:
    """``error`` as one line: ``no space left on device writing PATH``."""
    reason = (error.strerror or os.strerror(error.errno or 0)).lower()
    where = path if path is not None else error.filename
    return OutputError(f"{reason} writing {where}" if where else reason)


def _disk_errno(error: BaseException) -> int | None:
    """The errno of a refused write: an ``OSError``, or lxml's ``SerialisationError('IO_EFBIG')``
    (openpyxl writes through lxml, which reports the C library's error by name)."""
    if isinstance(error, OSError):
        return error.errno if error.errno in DISK_ERRORS else None
    if type(error).__name__ == "SerialisationError" and str(error).startswith("IO_E"):
        code = getattr(errno, str(error)[3:], None)
        return code if code in DISK_ERRORS else None
    return None


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
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        refused = _disk_errno(error)
        if refused is not None:
            raise disk_error(OSError(refused, os.strerror(refused)), path) from None
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
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        refused = _disk_errno(error)
        if refused is not None:
            raise disk_error(OSError(refused, os.strerror(refused)), target) from None
        raise
