"""`yuqing run`: the long-running service (scheduled crawl → analyze → alerts → digests)."""

from __future__ import annotations

import click

from .errors import YuqingError


@click.command()
def run():
    """Run the service: watch the drop folder, crawl on schedule, analyze, alert, send digests."""
    raise YuqingError("run: not implemented yet")


COMMANDS = [run]
