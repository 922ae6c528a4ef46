"""`yuqing doctor` and `yuqing migrate` through a YuqingGroup (one readable line on errors)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import click
import pytest
from click.testing import CliRunner

from yuqing.cli import YuqingGroup
from yuqing.context import AppContext
from yuqing.schema import Analysis
from yuqing.storage.commands import register
from yuqing.storage.sqlite import SqliteStore

from ..conftest import make_post


@pytest.fixture
def run(tmp_path, monkeypatch):
    for k in ("YUQING_STORAGE_BACKEND", "YUQING_ES_URL", "YUQING_CONFIG"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("YUQING_DATA_DIR", str(tmp_path))

    @click.group(cls=YuqingGroup)
    @click.pass_context
    def cli(ctx):
        ctx.obj = AppContext()

    register(cli)

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, list(args), env=env or {})

    return invoke


def _db(tmp_path) -> SqliteStore:
    s = SqliteStore(tmp_path / "yuqing.db")
    p = make_post(1, "三个月没发工资")
    s.add_posts([p])
    s.save_analyses([Analysis(p.id, "negative", {}, "wages", tokens=["工资"])])
    return s


def test_doctor_sqlite_missing_file(run):
    r = run("doctor")
    assert r.exit_code == 1 and "✗ 数据库文件" in r.output and "不存在" in r.output


def test_doctor_sqlite_healthy(run, tmp_path):
    _db(tmp_path).close()
    r = run("doctor")
    assert r.exit_code == 0, r.output
    for line in ("✓ WAL 模式", "✓ 文件完整性", "✓ 数据库迁移", "✓ 全文索引", "一切正常"):
        assert line in r.output


def test_doctor_warns_about_files_others_can_read_and_mails_given_up(run, tmp_path):
    s = _db(tmp_path)
    s.enqueue_email(dedupe_key="k", kind="alert", recipients=["nobody@example.org"], subject="堵门讨薪", body_text="b")
    (row,) = s.claim_emails(datetime.now(timezone.utc) + timedelta(minutes=1), "t", timedelta(minutes=1))
    s.mark_email_failed(row["id"], "550 5.1.1 No such user", datetime.now(timezone.utc), permanent=True)
    s.close()
    (tmp_path / "yuqing.db").chmod(0o600)
    tmp_path.chmod(0o700)
    r = run("doctor")
    assert r.exit_code == 0, r.output
    assert "! 邮件发送：1 封邮件投递失败" in r.output and "nobody@example.org" in r.output and "550" in r.output
    assert "✓ 文件权限" in r.output
    (tmp_path / "yuqing.db").chmod(0o644)
    (tmp_path / "mail").mkdir()
    (tmp_path / "mail").chmod(0o755)
    (tmp_path / "mail" / "1.eml").write_text("x")
    (tmp_path / "mail" / "1.eml").chmod(0o644)
    r = run("doctor")
    assert r.exit_code == 0 and "个文件或目录其他用户可以访问" in r.output and "有 2 项提醒" in r.output
    for shown in ("yuqing.db 644", "mail 755", "1.eml 644", f"chmod -R go-rwx {tmp_path}"):
        assert shown in r.output


def test_doctor_finds_and_repairs_a_broken_fulltext_index(run, tmp_path):
    s = _db(tmp_path)
    s.conn.execute("DELETE FROM posts_grams_data WHERE id > 10")  # the index's segments lost
    s.close()
    r = run("doctor")
    assert r.exit_code == 1 and "✗ 全文索引" in r.output and "--repair" in r.output
    r = run("doctor", "--repair")
    assert r.exit_code == 0 and "已重建全文索引" in r.output and "✓ 全文索引" in r.output
    from yuqing.storage import PostQuery

    with SqliteStore(tmp_path / "yuqing.db") as again:  # rebuilt from the posts: the post is found again
        assert again.count_posts(PostQuery(text="没发工资")) == 1 == again.count_posts(PostQuery(text="工资"))


def test_doctor_names_pending_migrations(run, tmp_path):
    _db(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "yuqing.db")
    conn.execute("DELETE FROM schema_migrations WHERE name = (SELECT MAX(name) FROM schema_migrations)")
    conn.commit()
    conn.close()
    r = run("doctor")
    assert r.exit_code == 1 and "✗ 数据库迁移" in r.output and "未应用" in r.output


def test_doctor_elasticsearch_unreachable_is_one_line(run, tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = run("doctor", env={"YUQING_STORAGE_BACKEND": "elasticsearch", "YUQING_ES_URL": f"http://127.0.0.1:{port}"})
    assert r.exit_code == 1
    assert f"✗ 集群可连接：Elasticsearch http://127.0.0.1:{port} 不可用" in r.output


def test_migrate_without_a_database_or_cluster_says_so(run, tmp_path):
    r = run("migrate", "--to", "elasticsearch")
    assert r.exit_code == 1 and "没有可迁移的 SQLite 数据库" in r.output
    _db(tmp_path).close()
    r = run("migrate", "--to", "elasticsearch")
    assert r.exit_code == 2 and "YUQING_ES_URL" in r.output  # a config error: no cluster named


def test_retention_is_for_elasticsearch_only(run):
    r = run("retention", "--keep-months", "12")
    assert r.exit_code == 1 and "只用于 Elasticsearch" in r.output
