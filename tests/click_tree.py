"""Walking the `yuqing` command tree (for the tests of registration and of the operator's text)."""

from __future__ import annotations

import click

from yuqing.cli import main


def walk(cmd: click.Command = main, path: tuple[str, ...] = ()):
    """Every command and subcommand of ``cmd`` with the words that call it."""
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, (*path, name))


#: The words of every command and subcommand: ``()`` is ``yuqing`` itself, then ``("alerts",)``, ``("alerts", "run")`` …
COMMAND_PATHS = [path for path, _ in walk()]


def command_at(path: tuple[str, ...]) -> click.Command:
    cmd: click.Command = main
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    return cmd


def path_id(path: tuple[str, ...]) -> str:
    return " ".join(path) or "yuqing"
