"""Options several commands share, declared once so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def termbase_option(help: str, dest: str = "termbase_path") -> Callable[[F], F]:
    """``--termbase FILE`` (env ``UNTM_TERMBASE``) with the command's own help text."""
    return click.option(
        "--termbase",
        dest,
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="UNTM_TERMBASE",
        show_envvar=True,
        default=None,
        help=help,
    )
