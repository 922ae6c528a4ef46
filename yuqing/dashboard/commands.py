"""CLI commands of this package (``register(group)`` adds them):
``yuqing dashboard`` and ``yuqing users passwd USERNAME``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..context import AppContext, pass_app, summary
from ..errors import YuqingError

APP = Path(__file__).parent / "app.py"


def streamlit_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", host, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
            "--client.toolbarMode", "minimal",
            # tables export through our Excel buttons (masked, no formulas, audited), not Streamlit's
            # English "Download as CSV", which writes a post starting with "=" as it is
            "--client.disableDataExport", "true",
            # the search page pre-fills widgets from a digest link once; that is intended, not a bug to log
            "--global.disableWidgetStateDuplicationWarning", "true"]


@click.command()
@click.option("--host", default=None, help="监听地址（默认取配置 [dashboard] host）。")
@click.option("--port", type=int, default=None, help="端口（默认取配置 [dashboard] port）。")
@pass_app
def dashboard(app: AppContext, host: str | None, port: int | None) -> None:
    """启动 Streamlit 看板（需要登录；用户来自配置文件的 [[users]]）。"""
    cfg = app.config
    if not cfg.users:
        raise YuqingError("配置文件中没有 [[users]]：请先添加用户，并用 `yuqing users passwd 用户名` 设置密码")
    env = dict(os.environ)
    if cfg.path is not None:
        env["YUQING_CONFIG"] = str(Path(cfg.path).resolve())
    cmd = streamlit_command(host or cfg.dashboard.host, port or cfg.dashboard.port)
    click.echo(f"仪表盘：http://{host or cfg.dashboard.host}:{port or cfg.dashboard.port}", err=True)
    # become the streamlit process, so Ctrl-C and a service manager's stop signal reach it directly
    os.execve(sys.executable, cmd, env)


@click.group("users")
def users() -> None:
    """看板用户（在配置文件的 [[users]] 中定义）。"""


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", "from_stdin", is_flag=True,
              help="从标准输入读一行作为新密码（用于脚本，例如 `printf '%s\\n' \"$PW\" | yuqing users passwd li "
                   "--password-stdin`）；不给则交互输入两次。")
@click.option("--password", "given", default=None, hidden=True, expose_value=True)
@pass_app
def passwd(app: AppContext, username: str, from_stdin: bool, given: str | None) -> None:
    """设置用户 USERNAME 的密码（以 argon2 散列存入数据库）。密码在提示符下输入，或从标准输入读取——
    从不写在命令行上，因为本机任何用户都能在进程列表里看到命令行参数。"""
    from ..auth import hash_password

    if given is not None:
        raise YuqingError("不再支持 --password：命令行参数会出现在进程列表中，别的用户也能看到。"
                          "请直接运行后按提示输入，或用 --password-stdin 从标准输入读取")
    if not any(u.username == username for u in app.config.users):
        raise YuqingError(f"配置文件中没有用户 {username!r}：请先在 [[users]] 中添加")
    if from_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise YuqingError("标准输入中没有密码（应为一行文字）")
    else:
        password = click.prompt("新密码", hide_input=True, confirmation_prompt="再输入一次")
    store = app.store
    store.sync_users(app.config.users)
    store.set_password_hash(username, hash_password(password))
    store.audit("cli", "password_set", username)
    summary(f"已为 {username} 设置密码")


def register(group: click.Group) -> None:
    for cmd in (dashboard, users):
        group.add_command(cmd)
