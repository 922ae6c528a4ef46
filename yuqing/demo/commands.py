"""CLI commands of this package (added to the `yuqing` group by yuqing.cli)."""

from __future__ import annotations

import click

from ..errors import YuqingError


@click.command()
@click.option("--no-dashboard", is_flag=True)
def demo(no_dashboard):
    """Run the whole loop on bundled demo data and open the dashboard."""
    raise YuqingError("demo: not implemented yet")


COMMANDS = [demo]
