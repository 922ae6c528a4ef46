"""The app context every command reaches the same way, and the console helpers they share.

``yuqing.cli`` creates one :class:`AppContext` per invocation (``--config``, ``--debug``); a command
asks for it with :data:`pass_app` and reads ``app.config``, ``app.store`` and ``app.tree`` — each
loaded once, on first use, so a command that needs no store never opens one. This module imports
nothing from the commands or from ``yuqing.cli``, so every ``commands.py`` can import it alone.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from .config import Config, load_config


@dataclass
class AppContext:
    config_path: str | None = None
    debug: bool = False
    _config: Config | None = None
    _store: object | None = None
    _tree: object | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def store(self):
        if self._store is None:
            from .storage import open_store

            self._store = open_store(self.config)
        return self._store

    @property
    def tree(self):
        """The organisation tree (:class:`yuqing.orgtree.OrgTree`): the store's units, else the config's."""
        if self._tree is None:
            from .orgtree import OrgTree

            self._tree = OrgTree(self.store.list_units() or self.config.units)
        return self._tree

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


#: The one way a command reaches the app context: ``@pass_app`` then ``def cmd(app: AppContext, …)``.
pass_app = click.make_pass_decorator(AppContext)


def progress(iterable=None, *, length=None, label: str = "", **kw):
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    return click.progressbar(iterable, length=length, label=label, file=sys.stderr, show_pos=True, **kw)


def summary(line: str) -> None:
    """The one-line summary that ends long work."""
    click.echo(line)
