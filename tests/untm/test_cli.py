"""The front door of the CLI: every command is listed, documented with an example, and user errors
come out as one line with exit code 2."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from untm import __version__
from untm.cli import main


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, path))
    return found


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_every_command_with_a_description() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("segment", "align", "align-eval", "tmx", "term", "qa", "tm", "serve"):
        line = next((ln for ln in result.output.splitlines() if ln.strip().startswith(name + " ")), None)
        assert line is not None, f"{name} missing from --help"
        assert len(line.split(None, 1)) == 2, f"{name} has no one-line description"


@pytest.mark.parametrize("path", _all_commands(main), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    text = result.output.replace("\n", " ")
    assert "untm " + path[0] in text, f"no example in `untm {' '.join(path)} --help`"


def test_user_error_is_one_line_without_traceback(tmp_path) -> None:
    missing = tmp_path / "nope.txt"
    result = CliRunner().invoke(main, ["segment", str(missing), "--lang", "zh"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "nope.txt" in result.output
