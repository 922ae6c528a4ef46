"""One way to register commands: every package's ``commands.py`` has ``register(group)``, imports
alone in a fresh interpreter and never imports ``yuqing.cli``; every command's ``--help`` runs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import yuqing
from yuqing.cli import COMMAND_MODULES, main

from .click_tree import COMMAND_PATHS, path_id

PACKAGE = Path(yuqing.__file__).parent


def _module_name(path: Path) -> str:
    return ".".join(("yuqing", *path.relative_to(PACKAGE).with_suffix("").parts))


#: Every ``commands.py`` in the package (nested ones included) and the service's command module.
MODULES = sorted({_module_name(p) for p in PACKAGE.rglob("commands.py")} | {"yuqing.service"})


def test_every_commands_module_is_registered():
    assert set(MODULES) == set(COMMAND_MODULES)
    assert len(MODULES) >= 9


@pytest.mark.parametrize("module", MODULES)
def test_commands_module_imports_alone_without_the_cli(module):
    code = f"import sys, {module}; sys.exit(3 if 'yuqing.cli' in sys.modules else 0)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{module}: exit {proc.returncode} (3 = it imported yuqing.cli)\n{proc.stderr[-2000:]}"


def imported_modules(module: str, tree: ast.AST):
    """(line, absolute module name) of every import in ``module``'s source, inside functions too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".")[:-node.level] if node.level else []
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            yield node.lineno, target
            yield from ((node.lineno, f"{target}.{a.name}") for a in node.names)  # `from .. import cli`


def test_imported_modules_resolves_relative_imports():
    tree = ast.parse("from ..cli import main\nfrom .. import cli\nimport yuqing.cli\nfrom ..context import x")
    found = [name for _, name in imported_modules("yuqing.nlp.commands", tree)]
    assert found.count("yuqing.cli") == 3 and "yuqing.context" in found


@pytest.mark.parametrize("module", MODULES)
def test_commands_module_source_never_imports_the_cli(module):
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [line for line, name in imported_modules(module, tree) if name == "yuqing.cli"]
    assert not bad, f"{module} imports yuqing.cli on line(s) {bad}"


@pytest.mark.parametrize("module", MODULES)
def test_register_adds_the_modules_commands_to_any_group(module):
    from importlib import import_module

    group = click.Group("g")
    import_module(module).register(group)
    assert group.commands, f"{module}.register added nothing"
    assert all(main.commands[name] is cmd for name, cmd in group.commands.items())


def test_every_command_of_yuqing_comes_from_a_register_or_the_cli_itself():
    from importlib import import_module

    registered: dict[str, click.Command] = {}
    for module in COMMAND_MODULES:
        group = click.Group("g")
        import_module(module).register(group)
        assert not set(group.commands) & set(registered), f"{module} registers a name twice"
        registered.update(group.commands)
    assert set(main.commands) == set(registered) | {"init", "stats", "search"}
    assert len(COMMAND_PATHS) >= 25  # 23 commands and the subcommands of alerts, issues and users


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=path_id)
def test_help_runs_for_every_command(path):
    r = CliRunner().invoke(main, [*path, "--help"], prog_name="yuqing")
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"用法： {' '.join(('yuqing', *path))} "), r.output[:200]
    assert "显示本帮助并退出。" in r.output
