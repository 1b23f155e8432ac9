"""Placeholder: filled in by the issue that owns this command."""

import click


@click.group()
def serve() -> None:
    """(not yet available)"""
