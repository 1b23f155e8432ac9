"""The ``untm`` command: one click group that wires the libraries together.

Each command lives in ``untm/commands/<name>.py``; this module only registers them and turns
``UntmError`` into one line on stderr with exit code 2 (never a traceback for user errors).
"""

from __future__ import annotations

import importlib
import sys

import click

from uncore.errors import UntmError
from untm import __version__

# (module, attribute) of every command, in the order `untm --help` lists them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("untm.commands.segment", "segment"),
    ("untm.commands.align", "align"),
    ("untm.commands.align", "align_eval"),
    ("untm.commands.batch", "align_batch"),
    ("untm.commands.tmx", "tmx"),
    ("untm.commands.term", "term"),
    ("untm.commands.qa", "qa"),
    ("untm.commands.tm", "tm"),
    ("untm.commands.serve", "serve"),
)


class UntmGroup(click.Group):
    """A group that reports user errors as one line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UntmError as error:
            click.echo(f"untm: error: {error}", err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:  # `untm ... | head` is normal use
            sys.stderr.close()
            ctx.exit(0)
        return None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # registration order, not alphabetical


@click.group(cls=UntmGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="untm")
def main() -> None:
    """untm: translation memories, terminology and QA for UN documents.

    \b
    Align the language versions of a document into a TMX 1.4b memory,
    look up approved UN terms, and check new translations.

    \b
    Example:
      untm segment examples/A72-samarkand-communique.zh.txt --lang zh
    """


for _module, _attr in COMMANDS:
    main.add_command(getattr(importlib.import_module(_module), _attr))
