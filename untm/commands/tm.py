"""Placeholder: filled in by the issue that owns this command."""

import click


@click.group()
def tm() -> None:
    """(not yet available)"""
