"""``-`` as an input file: standard input, on every command that reads files.

The libraries read paths (a TMX is streamed twice by ``tmx merge``; a PDF is opened by
pdfium), so standard input is copied once into a private temporary file whose name says what it
holds (``stdin.tmx``, ``stdin.pdf``…, recognised from its first bytes), and removed when the
command ends. No file named ``-`` is ever read or created.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

# First bytes → the extension format detection keys on.
_MAGIC = ((b"%PDF", ".pdf"), (b"PK\x03\x04", ".xlsx"), (b"\xd0\xcf\x11\xe0", ".xls"))
_XML_ROOTS = (("<tmx", ".tmx"), ("<xliff", ".xlf"), ("<martif", ".tbx"), ("<tbx", ".tbx"))


def sniff_suffix(head: bytes, text_suffix: str) -> str:
    """The extension for content starting with ``head``: binary formats by their magic bytes,
    XML by its root element, anything else ``text_suffix``."""
    for magic, suffix in _MAGIC:
        if head.startswith(magic):
            if suffix == ".xlsx" and b"word/" in head:
                return ".docx"
            return suffix
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        lowered = text.lower()
        for root, suffix in _XML_ROOTS:
            if root in lowered:
                return suffix
    return text_suffix


def text_argument(value: str) -> str:
    """A text argument (a query, a segment): ``-`` reads it from standard input."""
    return sys.stdin.read().strip() if value == "-" else value


STDIN = "<stdin>"
_COPIES: set[str] = set()  # the temporary copies made in this process


def shown(text: object) -> str:
    """``text`` (a path or a message) with any temporary copy of standard input named
    ``<stdin>``: a user who typed ``-`` should not read about /tmp/untm-stdin-…/stdin.tmx."""
    out = str(text)
    for copy in _COPIES:
        out = out.replace(copy, STDIN)
    return out


class InputPath(click.Path):
    """An existing file, or ``-`` for standard input (copied to a temporary file, see above)."""

    def __init__(self, text_suffix: str = ".txt", **kwargs: Any) -> None:
        kwargs.setdefault("exists", True)
        kwargs.setdefault("dir_okay", False)
        kwargs.setdefault("path_type", Path)
        super().__init__(allow_dash=True, **kwargs)
        self.text_suffix = text_suffix

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if str(value) != "-":
            return super().convert(value, param, ctx)
        if ctx is not None:
            root = ctx.find_root()
            if root.meta.get("untm.stdin_used"):
                self.fail("standard input (-) can be read only once", param, ctx)
            root.meta["untm.stdin_used"] = True
        return stdin_copy(self.text_suffix, ctx)


def stdin_copy(text_suffix: str = ".txt", ctx: click.Context | None = None) -> Path:
    """Standard input copied to a private temporary file; removed when ``ctx`` closes (or at
    exit when there is no context)."""
    stream = sys.stdin.buffer
    head = stream.read(4096)
    folder = Path(tempfile.mkdtemp(prefix="untm-stdin-"))
    path = folder / f"stdin{sniff_suffix(head, text_suffix)}"
    _COPIES.add(str(path))
    with open(path, "wb") as out:
        out.write(head)
        shutil.copyfileobj(stream, out, 1 << 20)

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    if ctx is not None:
        ctx.find_root().call_on_close(remove)
    else:
        import atexit

        atexit.register(remove)
    return path
