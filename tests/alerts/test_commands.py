"""`yuqing alerts …` (and the issues it raises, listed with `yuqing issues …`) through the real CLI on a
real config and store. The 说事解事 records through the CLI: tests/casework/test_commands.py."""

import json

from click.testing import CliRunner

from yuqing.cli import main
from yuqing.schema import Analysis, Event, Post, SourceKind
from yuqing.storage.sqlite import SqliteStore

from .factory import T0

CONFIG = """
data_dir = "data"
[smtp]
host = "127.0.0.1"
port = {port}
[[units]]
code = "G"
name = "测试集团工会"
[[units]]
code = "M1"
name = "一矿工会"
parent = "G"
[[sources]]
id = "src-a"
name = "一矿职工群"
kind = "wechat_group"
unit = "M1"
match = ["111@chatroom"]
[[recipients]]
unit = "M1"
emails = ["ganbu@example.org"]
"""


def setup(tmp_path, port):
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text(CONFIG.format(port=port), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--config", str(cfg), "stats"]).exit_code == 0  # creates the store, syncs units
    with SqliteStore(tmp_path / "data" / "yuqing.db") as store:
        store.upsert_events([Event(id="e1", label="工资拖欠", topic="wages")])
        for i in range(4):
            p = Post(source_id="src-a", source_kind=SourceKind.WECHAT_GROUP, native_id=str(i),
                     text=f"工资没发，欠薪第{i}天", created_at=T0.replace(hour=i))
            store.add_posts([p])
            store.save_analyses([Analysis(post_id=p.id, sentiment="negative", topic="wages", event_id="e1",
                                          sentiment_scores={"negative": 0.9})])
    return runner, ["--config", str(cfg)]


def test_run_list_show(tmp_path, sink):
    runner, base = setup(tmp_path, sink.port)
    r = runner.invoke(main, [*base, "alerts", "run"])
    assert r.exit_code == 0, r.output
    assert "新帖子 4 条" in r.output and "已发送 1 封" in r.output
    assert len(list(sink.folder.glob("*.eml"))) == 1
    r2 = runner.invoke(main, [*base, "alerts", "run"])
    assert "新帖子 0 条" in r2.output and len(list(sink.folder.glob("*.eml"))) == 1
    (line,) = runner.invoke(main, [*base, "issues", "list", "--json"]).output.splitlines()
    issue = json.loads(line)
    assert issue["severity"] == "high" and issue["unit"] == "M1" and issue["method"] == "合理诉求维护法"
    assert runner.invoke(main, [*base, "issues", "list", "--unit", "G", "--status", "closed"]).output.strip() == "共 0 个议题"
    shown = json.loads(runner.invoke(main, [*base, "issues", "show", str(issue["id"]), "--json"]).output)
    assert shown["history"][0]["action"] == "opened" and shown["method"] == "合理诉求维护法"
    assert shown["method_description"].startswith("依法依规维护职工合法权益") and shown["records"] == []
    assert "工资没发" in shown["reply_draft"] and "一矿工会" in shown["reply_draft"]
    assert runner.invoke(main, [*base, "issues", "show", "999"]).exit_code != 0


def test_alerts_test_dry_run_and_bad_file(tmp_path, sink):
    runner, base = setup(tmp_path, sink.port)
    good = tmp_path / "wage.yaml"
    good.write_text("name: w\ntype: keyword\nseverity: high\nkeyword:\n  query: 欠薪\n  min_posts: 2\n", encoding="utf-8")
    r = runner.invoke(main, [*base, "alerts", "test", str(good), "--since", "2026-10-01"])
    assert r.exit_code == 0, r.output
    assert "将提出 1 个议题" in r.output and "合理诉求维护法" in r.output
    assert "共 0 个议题" in runner.invoke(main, [*base, "issues", "list"]).output  # nothing written
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: w\ntype: spike\nspike:\n  threshold: 0\n", encoding="utf-8")
    r = runner.invoke(main, [*base, "alerts", "test", str(bad)])
    assert r.exit_code != 0
    assert f"{bad}: spike.threshold: 应为 >= 1 的数字" in r.output
