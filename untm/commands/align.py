"""Placeholder: filled in by the issue that owns this command."""

import click


@click.group()
def align() -> None:
    """(not yet available)"""


@click.command("align-eval")
def align_eval() -> None:
    """(not yet available)"""
