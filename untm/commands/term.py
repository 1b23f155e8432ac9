"""Placeholder: filled in by the issue that owns this command."""

import click


@click.group()
def term() -> None:
    """(not yet available)"""
