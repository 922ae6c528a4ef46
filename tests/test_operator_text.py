"""Chinese at the operator's desk: every command's help, click's own words, the summary and progress
lines and the errors. Command names, flags and JSON fields stay as they are (contracts)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from yuqing.cli import main

from .chinese import english_lines, has_cjk
from .click_tree import COMMAND_PATHS, command_at, path_id

MEMOTRACE = Path(__file__).parent / "data" / "crawler" / "memotrace"


def test_english_lines_finds_an_english_summary_and_lets_data_pass():
    assert english_lines('alerts: 4 new posts\n{"id": 1}\n\n新帖子 4 条') == ["alerts: 4 new posts"]


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=path_id)
def test_every_help_text_is_chinese(path):
    cmd = command_at(path)
    name = " ".join(("yuqing", *path))
    assert has_cjk(cmd.help), f"{name}: the description has no Chinese: {cmd.help!r}"
    assert has_cjk(cmd.get_short_help_str(limit=80)), f"{name}: its line in the parent's --help has no Chinese"
    for param in cmd.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert has_cjk(param.help), f"{name} {param.opts[0]}: the option's help has no Chinese"
    help_option = cmd.get_help_option(click.Context(cmd))
    assert has_cjk(help_option.help)


def test_yuqing_help_describes_every_command_in_chinese():
    out = CliRunner().invoke(main, ["--help"], prog_name="yuqing").output
    assert out.startswith("用法： yuqing ") and "\n选项:\n" in out and "\n命令:\n" in out
    commands = out.split("\n命令:\n", 1)[1].splitlines()
    rows = [line for line in commands if line.startswith("  ") and not line.startswith("    ")]
    assert len(rows) == len(main.commands)
    for row in rows:
        name, _, text = row.strip().partition(" ")
        assert name in main.commands and has_cjk(text), f"yuqing --help: {row!r}"
    assert "显示版本号并退出。" in out and "显示本帮助并退出。" in out


def test_clicks_own_errors_are_chinese():
    runner = CliRunner()
    r = runner.invoke(main, ["import"], prog_name="yuqing")
    assert r.exit_code == 2
    assert "错误：缺少参数 'PATHS...'." in r.output and "运行 'yuqing import --help' 查看帮助。" in r.output
    r = runner.invoke(main, ["issuez"], prog_name="yuqing")
    assert r.exit_code == 2 and "错误：没有命令 'issuez'。" in r.output
    r = runner.invoke(main, ["stats", "--jsn"], prog_name="yuqing")
    assert r.exit_code == 2 and "没有选项 '--jsn'。" in r.output and "--json" in r.output
    r = runner.invoke(main, ["issues", "list", "--status", "half"], prog_name="yuqing")
    assert r.exit_code == 2 and "'half' 不在可选值 'open', 'closed' 之中。" in r.output
    r = runner.invoke(main, ["retention", "--keep-months", "0"], prog_name="yuqing")
    assert r.exit_code == 2 and "0 不在范围 x>=1 之内。" in r.output


@pytest.fixture
def small_store(tmp_path, monkeypatch):
    """A store made the way an operator makes one: init, import a small MemoTrace export."""
    monkeypatch.chdir(tmp_path)
    for k in ("YUQING_CONFIG", "YUQING_STORAGE_BACKEND", "YUQING_ES_URL", "YUQING_DATA_DIR"):
        monkeypatch.delenv(k, raising=False)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        r = runner.invoke(main, list(args), prog_name="yuqing")
        assert r.exit_code == code, r.output
        return r.output

    return run


def test_every_line_the_commands_print_is_chinese_with_the_figures(small_store):
    run = small_store
    printed = {}
    printed["init"] = run("init")
    assert "已写出 yuqing.toml；数据目录 " in printed["init"]
    printed["import"] = run("import", str(MEMOTRACE))
    stats = json.loads(run("stats", "--json"))
    assert stats["posts"] >= 5 and f"新增 {stats['posts']} 条" in printed["import"]
    printed["analyze"] = run("analyze")
    assert f"分析 {stats['posts']} 条帖子" in printed["analyze"]
    printed["alerts run"] = run("alerts", "run", "--no-send")
    assert f"预警：新帖子 {stats['posts']} 条" in printed["alerts run"]
    stats = json.loads(run("stats", "--json"))
    printed["issues list"] = run("issues", "list")
    assert f"共 {stats['issues']} 个议题" in printed["issues list"]
    printed["stats"] = run("stats")
    printed["search"] = run("search", "工资")
    printed["methods"] = run("methods")
    printed["scorecard"] = run("scorecard", "--month", "2026-11")
    printed["ledger"] = run("ledger", "--month", "2026-11")
    printed["doctor"] = run("doctor")
    printed["digest"] = run("digest", "--week", "2026-W45")
    assert f"舆情周报 2026-W45：帖子 {stats['posts']} 条；已写出 " in printed["digest"]
    printed["init again"] = run("init", code=1)
    assert "错误：yuqing.toml 已存在（加 --force 覆盖）" in printed["init again"]
    for command, output in printed.items():
        assert english_lines(output) == [], f"yuqing {command} printed English"


def test_summary_lines_of_the_loop_are_chinese_with_their_figures():
    from yuqing.alerts.engine import RunResult
    from yuqing.notify.outbox import DrainResult
    from yuqing.service import once_line

    assert str(DrainResult(sent=2, failed=1, given_up=3, error="连接被拒绝")) == \
        "邮件：已发送 2 封，等待重试 1 封，放弃 3 封（连接被拒绝）"
    assert str(DrainResult()) == "邮件：已发送 0 封，等待重试 0 封"
    assert str(RunResult(posts=3849, matches=12, opened=[1, 2], updated=[3], escalated=[], emails_queued=2)) == \
        "预警：新帖子 3849 条，命中 12 次 → 新建议题 2 个，更新 1 个，逾期上报 0 个；邮件入队 2 封"
    assert once_line({"import_drop_folder": "导入 1 个文件", "crawl": "数据源 bbs：新增 2 条", "send_mail": "出错：超时",
                      "weekly_digest": "舆情周报 2026-W47：生成 1 份"}) == \
        "导入 1 个文件；采集：数据源 bbs：新增 2 条；邮件：出错：超时；舆情周报 2026-W47：生成 1 份"
    assert once_line({"crawl": "", "alerts": ""}) == "没有要做的事"
