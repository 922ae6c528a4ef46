"""CLI commands of this package (added to the `yuqing` group by yuqing.cli)."""

from __future__ import annotations

import click

from ..errors import YuqingError


@click.command()
def dashboard():
    """Start the Streamlit dashboard."""
    raise YuqingError("dashboard: not implemented yet")


COMMANDS = [dashboard]
