"""Progress for long work, on a terminal only.

A translator running ``untm tm import un.tmx`` on a 800 MB memory wants to see that it moves;
a pipeline reading standard error wants nothing extra. So a bar (tqdm) is shown only when
standard error is a terminal and ``--quiet`` was not given, and every command asks here instead
of deciding for itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


def wanted(quiet: bool = False) -> bool:
    """True when a progress display may be drawn: on a terminal, not asked to be quiet."""
    return not quiet and sys.stderr.isatty()


class Progress:
    """A counter that draws a tqdm bar, or does nothing when no bar is wanted."""

    def __init__(
        self, *, total: int | None = None, unit: str = "it", desc: str | None = None, show: bool = True
    ) -> None:
        self._bar: Any = None
        if show:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                unit=unit,
                desc=desc,
                file=sys.stderr,
                dynamic_ncols=True,
                unit_scale=total is None or total >= 10_000,
                leave=False,
            )

    def update(self, count: int = 1) -> None:
        if self._bar is not None:
            if self._bar.total is not None:  # an estimate of the work: never past 100 %
                count = max(0, min(count, self._bar.total - self._bar.n))
            self._bar.update(count)

    def restart(self) -> None:
        """The work starts again from nothing (the same total)."""
        if self._bar is not None:
            self._bar.reset()

    def note(self, text: str) -> None:
        """A short note beside the bar (the current document, say)."""
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


@contextmanager
def progress(
    *,
    total: int | None = None,
    unit: str = "it",
    desc: str | None = None,
    quiet: bool = False,
) -> Iterator[Progress]:
    """A ``Progress`` for a ``with`` block; it draws only on a terminal and without ``--quiet``."""
    bar = Progress(total=total, unit=unit, desc=desc, show=wanted(quiet))
    try:
        yield bar
    finally:
        bar.close()


def counted(items: Iterable[T], bar: Progress) -> Iterator[T]:
    """``items`` passed through, each one counted on ``bar``."""
    for item in items:
        bar.update()
        yield item
