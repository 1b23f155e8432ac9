"""Options several commands share, declared once so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class TermbaseLocation(click.ParamType):
    """A termbase file (``Path``) or a PostgreSQL termbase's URL (``str``, left as written:
    ``Path`` would fold its ``//``)."""

    name = "FILE|URL"
    _file = click.Path(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path | str:
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            return value
        return self._file.convert(value, param, ctx)


TERMBASE = TermbaseLocation()


def termbase_option(help: str, dest: str = "termbase_path") -> Callable[[F], F]:
    """``--termbase FILE|URL`` (env ``UNTM_TERMBASE``) with the command's own help text."""
    return click.option(
        "--termbase",
        dest,
        type=TERMBASE,
        envvar="UNTM_TERMBASE",
        show_envvar=True,
        default=None,
        help=help,
    )


def scorer_option(help: str) -> Callable[[F], F]:
    """``--scorer`` (``pipeline.SCORERS``, default ``cpu``) with the command's own help text."""
    from untm.pipeline import SCORERS

    return click.option("--scorer", type=click.Choice(SCORERS), default="cpu", show_default=True, help=help)
