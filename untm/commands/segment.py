"""Placeholder: filled in by the issue that owns this command."""

import click


@click.group()
def segment() -> None:
    """(not yet available)"""
