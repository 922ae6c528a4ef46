"""CLI commands of this package (added to the `yuqing` group by yuqing.cli)."""

from __future__ import annotations

import click

from ..errors import YuqingError


@click.command()
def digest():
    """Write the weekly topic digest (or the monthly report) as HTML and PDF."""
    raise YuqingError("digest: not implemented yet")


COMMANDS = [digest]
