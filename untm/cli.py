"""The ``untm`` command: one click group that wires the libraries together.

Each command lives in ``untm/commands/<name>.py``; this module only registers them and turns
``UntmError`` into one line on stderr with exit code 2 (never a traceback for user errors).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from typing import Any

import click

from uncore.errors import UntmError
from untm import __version__

# Every command: its name, (module, attribute), and the one-line help `untm --help` shows.
# Commands are imported only when run (or asked for their own --help): `untm --version` and
# `untm term lookup` do not pay for pandas, numpy and the aligner (1.0 s → well under 0.3 s).
COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    (
        "segment",
        "untm.commands.segment",
        "segment",
        "Read a document (PDF, DOCX, HTML, text) into blocks and sentences.",
    ),
    ("align", "untm.commands.align", "align", "Align two or more language versions of a document."),
    (
        "align-eval",
        "untm.commands.align",
        "align_eval",
        "Strict and lax P/R/F1 of an alignment against gold.",
    ),
    (
        "align-batch",
        "untm.commands.batch",
        "align_batch",
        "Align a collection of documents on this machine or a Dask cluster.",
    ),
    ("tmx", "untm.commands.tmx", "tmx", "Validate, inspect, merge, filter, split and convert TMX files."),
    ("term", "untm.commands.term", "term", "Look up approved UN terms and manage the termbase."),
    ("qa", "untm.commands.qa", "qa", "Check translations: terms, numbers, symbols, memory, punctuation."),
    ("tm", "untm.commands.tm", "tm", "The translation memory store: import, search, match, export."),
    ("serve", "untm.commands.serve", "serve", "Serve the look-up and QA page on this computer."),
)
_BY_NAME = {name: (module, attr) for name, module, attr, _ in COMMANDS}


def _one_line(error: click.ClickException, ctx: click.Context | None) -> str:
    """click's usage errors (missing file, bad choice, missing option) as one line, naming the
    command, instead of a usage block: the same shape as every other user error."""
    where = ctx.command_path + ": " if ctx is not None and ctx.command_path else ""
    message = error.format_message()
    if isinstance(error, click.UsageError) and ctx is not None and ctx.command_path:
        message += f" (see `{ctx.command_path} --help`)"
    return f"untm: error: {where}{message}".replace("untm: error: untm: ", "untm: error: ")


def _stdin_named(message: str) -> str:
    inputs = sys.modules.get("untm.inputs")  # loaded only when a command read `-`
    return inputs.shown(message) if inputs is not None else message


class Stopped(SystemExit):
    """SIGTERM arrived: unwind (every ``finally`` runs: an import completes its indexes, an
    atomic output removes its temporary file), then exit 143. A SystemExit, so no ``except
    Exception`` on the way swallows it, and servers (waitress) re-raise it."""

    def __init__(self) -> None:
        super().__init__(143)


_UNWINDS: list[int] = []  # the process that installed the handler (forks inherit it)


def _terminated(signum: int, frame: Any) -> None:
    """Unwind the command's own process. A process forked from it (a worker, a reader) has no
    command to unwind: it ends as SIGTERM's default says, at once, instead of raising a
    SystemExit that would run its parent's clean-up or wait at exit."""
    if _UNWINDS and os.getpid() != _UNWINDS[-1]:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Stopped


def _catch_sigterm() -> Any:
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    _UNWINDS.append(os.getpid())
    return signal.signal(signal.SIGTERM, _terminated)


def _restore_sigterm(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)
        _UNWINDS.pop()


def _sqlite_message(error: Exception) -> str | None:
    """SQLite's errors a user can meet, as one line (the rest stay tracebacks: they are bugs)."""
    if type(error).__module__ != "sqlite3":
        return None
    text = str(error)
    if "disk is full" in text or "disk I/O error" in text:
        return f"no space left on device writing the memory or termbase ({text})"
    if "locked" in text or "busy" in text:
        return f"the memory or termbase is in use by another process ({text}); try again when it is done"
    if "readonly" in text:
        return f"cannot write the memory or termbase: {text}"
    return None


class UntmGroup(click.Group):
    """The top-level group: commands loaded on first use, user errors as one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, *_ in COMMANDS]  # registration order, not alphabetical

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        found = _BY_NAME.get(cmd_name)
        if found is None:
            return None
        command = getattr(importlib.import_module(found[0]), found[1])
        self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from COMMANDS, without importing every command."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_) for name, _, _, help_ in COMMANDS])

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False  # errors come back here, to be printed our way
        previous = _catch_sigterm()
        try:
            result = super().main(*args, **kwargs)
        except Stopped:
            click.echo("untm: stopped (SIGTERM)", err=True)
            sys.exit(143)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.exceptions.Abort:
            click.echo("untm: aborted", err=True)
            sys.exit(1)
        except click.ClickException as error:
            click.echo(_stdin_named(_one_line(error, getattr(error, "ctx", None))), err=True)
            sys.exit(error.exit_code)
        except UntmError as error:
            click.echo(_stdin_named(f"untm: error: {error}"), err=True)
            sys.exit(error.exit_code)
        except BrokenPipeError:  # `untm ... | head` is normal use
            sys.stderr.close()
            sys.exit(0)
        except OSError as error:
            from uncore.atomic import DISK_ERRORS, disk_error

            if error.errno not in DISK_ERRORS:
                raise
            click.echo(f"untm: error: {disk_error(error, None)}", err=True)
            sys.exit(2)
        except Exception as error:
            message = _sqlite_message(error)
            if message is None:
                raise
            click.echo(f"untm: error: {message}", err=True)
            sys.exit(2)
        finally:
            _restore_sigterm(previous)
        if isinstance(result, int):  # ctx.exit(code): click returns the code when not standalone
            sys.exit(result)
        return result


@click.group(name="untm", cls=UntmGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
