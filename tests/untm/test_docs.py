"""Every command a user can type is documented (as sqlite-utils checks its own docs): each
command and subcommand of `untm --help` appears in the README or in docs/*.md."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from untm.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def _command_paths() -> list[str]:
    paths = []
    context = click.Context(main)
    for name, *_ in COMMANDS:
        command = main.get_command(context, name)
        assert command is not None, name
        paths.append(f"untm {name}")
        if isinstance(command, click.Group):
            paths.extend(f"untm {name} {sub}" for sub in command.list_commands(context))
    return paths


@pytest.mark.parametrize("path", _command_paths())
def test_every_command_is_documented(path: str) -> None:
    assert path in DOCS, f"`{path}` appears in neither README.md nor docs/*.md"


def test_the_help_lists_every_registered_command() -> None:
    from click.testing import CliRunner

    shown = CliRunner().invoke(main, ["--help"]).output
    for name, *_ in COMMANDS:
        assert f"  {name} " in shown
