from __future__ import annotations

import shutil

import pytest

from yuqing.crawler.importer import import_paths
from yuqing.crawler.sources import pending_source_id
from yuqing.schema import Source, SourceKind
from yuqing.storage import PostQuery

from .conftest import FIXTURES

MEMO_DIR = FIXTURES / "memotrace"


def test_folder_imports_with_pii_parent_links_and_pending_source(store, config):
    report = import_paths(store, config, [MEMO_DIR])
    assert report.files == 1 and report.posts == 6 and report.quarantined == 1
    assert report.skipped == {"图片": 1, "系统消息": 1, "语音": 1, "群公告": 1}
    sid = pending_source_id("12345678@chatroom", SourceKind.WECHAT_GROUP)
    src = store.get_source(sid)
    assert src.status == "pending" and src.unit == "" and "12345678@chatroom" in src.match
    posts = {sp.post.text: sp.post for sp in store.query_posts(PostQuery(limit=50))}
    phone = next(p for t, p in posts.items() if "139" in t)
    assert phone.pii == [{"kind": "phone", "start": 7, "end": 18}]
    reply = posts["同问，三月的也没发"]
    assert reply.parent_id == posts["这个月的夜班补贴怎么还没发？"].id
    assert "新增 6 条" in report.summary()


def test_configured_source_wins_over_pending(store, config):
    store.sync_config([], [Source("wx-zc1", "综采一队群", SourceKind.WECHAT_GROUP, unit="", match=["12345678@chatroom"])])
    import_paths(store, config, [MEMO_DIR])
    assert store.count_posts(PostQuery(source_ids=["wx-zc1"])) == 6
    assert [s.id for s in store.list_sources()] == ["wx-zc1"]


def test_reimport_same_folder_or_renamed_copy_adds_nothing(store, config, tmp_path):
    first = import_paths(store, config, [MEMO_DIR])
    again = import_paths(store, config, [MEMO_DIR])
    assert first.posts == 6 and again.posts == 0 and again.files_already == 1
    copy = tmp_path / "copy" / "另存为.csv"
    copy.parent.mkdir()
    shutil.copy(next(MEMO_DIR.rglob("*.csv")), copy)
    renamed = import_paths(store, config, [copy])
    assert renamed.posts == 0 and renamed.files_already == 1
    assert store.count_posts(PostQuery()) == 6


def test_interrupted_import_resumes_without_duplicates(store, config):
    """A run killed after storing posts (before the ledger entry) re-imports with no duplicates."""
    import_paths(store, config, [MEMO_DIR])
    store.conn.execute("DELETE FROM imported_files")  # as if killed before record_file
    again = import_paths(store, config, [MEMO_DIR])
    assert again.posts == 0 and again.duplicates == 6
    assert store.count_posts(PostQuery()) == 6


def test_bad_files_are_quarantined_and_the_rest_still_imports(store, config):
    report = import_paths(store, config, [FIXTURES / "broken", FIXTURES / "pywxdump", FIXTURES / "articles"])
    # pywxdump 20, articles 4, the intact row of the truncated CSV and the message before the cut of
    # the truncated JSON (streamed: the good records go in)
    assert report.posts == 20 + 4 + 1 + 1
    reasons = {q.origin.rsplit("/", 1)[-1]: q.reason for q in store.list_quarantine()}
    assert "二进制" in reasons["junk.dat"]
    assert "不是已知的导出格式" in reasons["notes.txt"]
    assert "JSON 无法解析" in reasons["truncated.json"]
    # junk and notes (nothing of them readable): quarantined, kept out of the ledger
    assert report.files_rejected == 2 and store.stats()["files_imported"] == 5
    again = import_paths(store, config, [FIXTURES / "broken"])  # tried again, quarantined no second time
    assert again.files_rejected == 2 and again.files_already == 2 and again.quarantined == 0
    assert len(store.list_quarantine()) == len(reasons) + 1  # + the cut row of the truncated CSV


def test_force_rereads_files_in_the_ledger_adding_only_what_is_new(store, config, tmp_path):
    first = import_paths(store, config, [MEMO_DIR])
    skipped = import_paths(store, config, [MEMO_DIR])
    forced = import_paths(store, config, [MEMO_DIR], force=True)
    assert first.posts == 6 and skipped.files_already == 1 and skipped.duplicates == 0
    assert forced.files == 1 and forced.files_already == 0 and forced.posts == 0 and forced.duplicates == 6
    assert store.count_posts(PostQuery()) == 6


def test_a_post_is_searchable_right_after_import(store, config):
    import_paths(store, config, [MEMO_DIR])
    hits = store.query_posts(PostQuery(text="夜班补贴"))
    assert hits and all(sp.analysis is None for sp in hits)
    assert any("夜班补贴" in sp.post.text for sp in hits)


def test_every_fixture_format_imports(store, config):
    report = import_paths(store, config, [FIXTURES])
    assert set(report.formats) >= {"MemoTrace CSV", "MemoTrace TXT", "MemoTrace HTML", "PyWxDump CSV",
                                   "PyWxDump JSON", "PyWxDump data.js", "公众号文章 JSON", "公众号文章 XLSX", "chatlog CSV",
                                   "chatlog JSON", "WechatExporter TXT", "WechatExporter HTML", "RSS/Atom"}
    kinds = store.stats()["posts_by_source_kind"]
    assert kinds["wechat_group"] > 0 and kinds["wechat_article"] == 2 and kinds["wechat_comment"] == 3


def test_missing_and_unreadable_paths_do_not_stop_the_run(store, config, tmp_path):
    report = import_paths(store, config, [tmp_path / "nope.csv", MEMO_DIR])
    assert report.posts == 6 and report.files_rejected == 1


def test_watch_imports_each_new_file_once(store, config, tmp_path):
    from yuqing.crawler.importer import watch

    drop = tmp_path / "inbox"
    drop.mkdir()
    src = next(MEMO_DIR.rglob("*.csv"))
    reports = []

    def drop_files(_seconds):  # between rounds: a new file, then a renamed copy of it
        target = drop / ("a.csv" if not (drop / "a.csv").exists() else "b.csv")
        shutil.copy(src, target)

    added = watch(store, config, [drop], rounds=3, sleep=drop_files, on_report=reports.append)
    assert added == 6 and len(reports) == 1 and reports[0].posts == 6
    assert store.count_posts(PostQuery()) == 6


def test_huge_single_line_is_quarantined_and_the_rest_imports(store, config, tmp_path):
    src = next(MEMO_DIR.rglob("*.csv")).read_bytes()
    header, rest = src.split(b"\n", 1)
    path = tmp_path / "群(1@chatroom)" / "群.csv"
    path.parent.mkdir()
    path.write_bytes(header + b"\n" + b'1,5,1,0,0,1762041600,2,"' + b"A" * (3 << 20) + b'",x,,,\n' + rest)
    report = import_paths(store, config, [path])
    assert report.posts == 6
    assert any("超过 1 MB" in q.reason and q.position == "第 2 行" for q in store.list_quarantine())


def _stored_posts(db) -> int:
    """Posts in a database another process is still creating (read-only; 0 while it is not ready)."""
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_import_killed_midway_then_rerun_loses_and_duplicates_nothing(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from benchmarks.import_memotrace import write_csv
    from yuqing.config import Config
    from yuqing.storage.sqlite import SqliteStore

    csv_path = tmp_path / "exports" / "大群(5@chatroom)" / "大群.csv"
    write_csv(csv_path, 60_000)
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text('data_dir = "data"\n', encoding="utf-8")
    cmd = [sys.executable, "-m", "yuqing", "--config", str(cfg), "import", str(csv_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db = tmp_path / "data" / "yuqing.db"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill it once some batches are stored
        time.sleep(0.1)
        if _stored_posts(db) > 0:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with SqliteStore(db) as s:
        partial = s.count_posts(PostQuery())
        assert s.stats()["files_imported"] == 0
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    with SqliteStore(db) as s:
        total = s.count_posts(PostQuery())
        ids = s.q1("SELECT COUNT(DISTINCT id) FROM posts")[0]
    assert 0 < partial < total and ids == total
    assert f"重复 {partial} 条" in done.stdout
    with SqliteStore(tmp_path / "clean.db") as clean:  # an uninterrupted import of the same file
        assert import_paths(clean, Config(data_dir=tmp_path / "c"), [csv_path]).posts == total


def test_half_an_emoji_in_a_json_export_does_not_cost_the_file(store, config, tmp_path):
    # exporters that cut strings by UTF-16 units leave a lone "\ud83d"; the record is kept with U+FFFD
    src = FIXTURES / "chatlog" / "chatlog_33334444.json"
    broken = tmp_path / "chatlog_33334444.json"
    broken.write_text(src.read_text(encoding="utf-8").replace("工作服什么时候发？", "工作服什么时候发？\\ud83d", 1),
                      encoding="utf-8")
    report = import_paths(store, config, [broken])
    assert report.quarantined == 0 and report.posts == 2
    texts = [sp.post.text for sp in store.query_posts(PostQuery(limit=100))]
    assert "工作服什么时候发？\ufffd" in texts and "下周一，在库房领取" in texts
