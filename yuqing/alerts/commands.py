"""CLI commands of this package (added to the `yuqing` group by yuqing.cli)."""

from __future__ import annotations

import click

from ..errors import YuqingError


@click.group()
def alerts():
    """Alert rules: evaluate them, or dry-run one."""


@alerts.command("run")
def alerts_run():
    """Evaluate all rules over new posts; raise/update issues; send e-mails."""
    raise YuqingError("alerts run: not implemented yet")


@click.group("issues")
def issues_group():
    """Issues (one per real matter) and their 说事解事 workflow."""


@issues_group.command("list")
def issues_list():
    """List issues."""
    raise YuqingError("issues list: not implemented yet")


COMMANDS = [alerts, issues_group]
