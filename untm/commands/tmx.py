"""Placeholder: filled in by the issue that owns this command."""

import click


@click.group()
def tmx() -> None:
    """(not yet available)"""
