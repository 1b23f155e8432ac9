"""The error family for everything a user can cause.

The CLI catches ``UntmError`` and prints ``str(error)`` as one line with exit code 2, so each
error must carry enough context (file, line, element) to be acted on without a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


class UntmError(Exception):
    """A problem with the user's input or request, reported as one line.

    ``where`` is the file (and optional line/column/element) the problem is in. ``str()`` gives
    ``FILE:LINE:COL: message`` in the style of compilers, which editors can jump to.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        element: str | None = None,
    ) -> None:
        message = _LINE_BREAKS.sub(" ", message).strip()  # one line, even if a library's message is not
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.element = element

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        prefix = ":".join(where)
        if self.element:
            prefix = f"{prefix} <{self.element}>" if prefix else f"<{self.element}>"
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(UntmError):
    """A file that cannot be read or is not what it claims to be."""


class UsageError(UntmError):
    """A request that cannot be carried out as asked (unknown language, bad option combination)."""


class OutputError(UntmError):
    """The disk refused what untm was writing (full, over quota, read-only, too large, an I/O
    error): one line naming the file, and nothing half-written left behind."""
