from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from yuqing.cli import main

COMMANDS = ["init", "import", "crawl", "analyze", "alerts", "issues", "methods", "ledger", "scorecard", "digest",
            "train", "classify", "search", "stats", "dashboard", "run", "demo"]


def test_help_lists_every_command_with_a_description():
    out = CliRunner().invoke(main, ["--help"]).output
    for name in COMMANDS:
        line = next((ln for ln in out.splitlines() if ln.strip().startswith(name + " ")), None)
        assert line is not None, f"{name} missing from --help"
        assert len(line.split(None, 1)[1]) > 5


def test_init_then_stats_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YUQING_CONFIG", raising=False)
    r = CliRunner().invoke(main, ["init"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "yuqing.toml").exists() and (tmp_path / "yuqing-data" / "inbox").is_dir()
    r = CliRunner().invoke(main, ["stats", "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.output)
    for key in ("posts", "posts_by_source_kind", "posts_analyzed", "issues", "issues_open", "emails_sent", "quarantined"):
        assert key in s
    assert s["posts"] == 0
    assert CliRunner().invoke(main, ["init"]).exit_code != 0  # refuses to overwrite


def test_errors_are_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[smtp]\nport = 'x'\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "yuqing", "--config", str(bad), "stats"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "port" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "yuqing", "--debug", "--config", str(bad), "stats"],
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" in proc.stderr


def test_search_finds_posts_right_after_import_with_personal_data_masked(tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YUQING_CONFIG", raising=False)
    fixture = Path(__file__).parent / "data" / "crawler" / "memotrace"
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert runner.invoke(main, ["import", str(fixture)]).exit_code == 0
    r = runner.invoke(main, ["search", "电话"])  # no `yuqing analyze` in between
    assert r.exit_code == 0, r.output
    assert "[未分析]" in r.output and "139****" in r.output and "13912345678" not in r.output
    assert "共 1 条帖子匹配「电话」" in r.output
    rows = [json.loads(ln) for ln in runner.invoke(main, ["search", "电话", "--json"]).output.splitlines()]
    assert len(rows) == 1 and "13912345678" not in rows[0]["text"] and "pii" not in rows[0]


def test_search_pages_sorts_and_takes_the_query_syntax(tmp_path, monkeypatch):
    from datetime import datetime, timedelta, timezone

    from yuqing.config import load_config
    from yuqing.schema import Post, SourceKind
    from yuqing.storage.sqlite import SqliteStore

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YUQING_CONFIG", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    store = SqliteStore(load_config(tmp_path / "yuqing.toml", env={}).db_path)
    t = datetime(2026, 11, 2, tzinfo=timezone.utc)
    texts = [f"拖欠工资第{i}回" for i in range(5)] + [f"工资又被拖欠{i}" for i in range(5)] + ["食堂涨价", "欠薪了"]
    store.add_posts([Post(source_id="g", source_kind=SourceKind.WECHAT_GROUP, native_id=str(i), text=x,
                          created_at=t + timedelta(minutes=i), author="老张" if i == 11 else "职工")
                     for i, x in enumerate(texts)])
    store.close()
    for query in ("工资拖欠", "拖欠工资", "工资 拖欠"):
        r = runner.invoke(main, ["search", query, "--json", "--limit", "100"])
        assert r.exit_code == 0 and len(r.output.splitlines()) == 10, (query, r.output)
    r = runner.invoke(main, ["search", "拖欠工资", "--limit", "4", "--page", "3"])
    assert r.exit_code == 0 and "共 10 条帖子匹配「拖欠工资」，显示 2 条（第 3/3 页）" in r.output
    r = runner.invoke(main, ["search", "欠薪 | 涨价", "--sort", "heat", "--json"])
    assert {json.loads(ln)["text"] for ln in r.output.splitlines()} == {"食堂涨价", "欠薪了"}
    r = runner.invoke(main, ["search", "--author", "老张", "--json", "--", "-工资"])  # `--`: not an option
    assert [json.loads(ln)["text"] for ln in r.output.splitlines()] == ["欠薪了"]
    assert runner.invoke(main, ["search", "x", "--sort", "hot"]).exit_code == 2
