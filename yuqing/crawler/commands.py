"""CLI commands of this package (added to the `yuqing` group by yuqing.cli)."""

from __future__ import annotations

import click

from ..errors import YuqingError


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def import_cmd(paths):
    """Import export files or folders (WeChat chats, official-account articles …)."""
    raise YuqingError("import: not implemented yet")


@click.command()
@click.argument("source", required=False)
def crawl(source):
    """Crawl configured forums and feeds (all, or one SOURCE)."""
    raise YuqingError("crawl: not implemented yet")


COMMANDS = [import_cmd, crawl]
