"""Real Scrapy crawls (`yuqing crawl` in a subprocess) of a multi-page forum on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading

import pytest

from yuqing.storage import PostQuery
from yuqing.storage.sqlite import SqliteStore

from .forum_site import FPost, demo_threads, write_forum


class _Recording(http.server.SimpleHTTPRequestHandler):
    """Serves the forum, records every path, and answers 503 the first time thread 103 is asked for."""

    hits: list[str]

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.hits.append(self.path)
        if self.path == "/thread-103-1-1.html" and self.hits.count(self.path) == 1:
            self.send_error(503, "busy")
            return
        super().do_GET()


@pytest.fixture
def forum(tmp_path):
    site = tmp_path / "site"
    threads = demo_threads()
    write_forum(site, threads)
    hits: list[str] = []
    handler = functools.partial(type("H", (_Recording,), {"hits": hits}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield site, threads, hits, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _crawl(config) -> str:
    proc = subprocess.run([sys.executable, "-m", "yuqing", "--config", str(config), "crawl"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_crawl_then_incremental_recrawl(forum, tmp_path):
    site, threads, hits, url = forum
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text(f'data_dir = "data"\n[crawler]\ndownload_delay = 0\n[[sources]]\nid = "bbs"\nname = "职工论坛"\n'
                   f'kind = "forum"\nurl = "{url}"\noptions = {{engine = "discuz"}}\n', encoding="utf-8")
    missing = site / "thread-102-1-1.html"
    page_102 = missing.read_bytes()
    missing.unlink()  # a thread page that fails (404) is recorded and retried next time
    out = _crawl(cfg)
    assert "新增 9 条" in out and "隔离 1 条" in out and "失败 1 次" in out  # 11 posts: one unreadable date, one 404
    with SqliteStore(tmp_path / "data" / "yuqing.db") as store:
        failures = store.q("SELECT url, error FROM source_failures WHERE source_id = 'bbs'")
        assert [(f["url"].rsplit("/", 1)[-1], f["error"]) for f in failures] == [("thread-102-1-1.html", "HTTP 404")]
        texts = {sp.post.native_id: sp.post for sp in store.query_posts(PostQuery(limit=50))}
        assert texts["2002"].text == "同意，噪音很大"  # from the GBK board
        assert texts["1004"].text == "已经反映了"  # <script> dropped
        assert texts["1003"].text == "工会能不能反映一下"  # edit note dropped
        assert texts["1002"].parent_id == texts["1001"].id
        assert {f"/thread-101-{i}-1.html" for i in (1, 2, 3)} <= set(hits)
        assert hits.count("/thread-103-1-1.html") == 2  # a 503, then the retry (after a backoff) succeeded

    missing.write_bytes(page_102)
    hits.clear()
    out = _crawl(cfg)
    assert "新增 1 条" in out
    assert [h for h in hits if "thread-" in h] == ["/thread-102-1-1.html"]  # only the thread that failed

    hits.clear()
    out = _crawl(cfg)
    assert "新增 0 条" in out
    assert not [h for h in hits if "thread-" in h], hits  # no thread page requested again

    threads[0].posts += [FPost(1006, "钱师傅", 19, "2026-11-4 08:00", "有新进展吗"),
                         FPost(1007, "老张", 11, "2026-11-4 09:00", "还没有")]
    write_forum(site, threads)
    hits.clear()
    out = _crawl(cfg)
    assert "新增 2 条" in out
    assert sorted(h for h in hits if "thread-" in h) == ["/thread-101-3-1.html", "/thread-101-4-1.html"]


@pytest.mark.slow
def test_exports_spider_reads_drop_folder_once(tmp_path):
    import shutil

    from .conftest import FIXTURES

    drop = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "memotrace", drop / "memotrace")
    shutil.copytree(FIXTURES / "broken", drop / "broken")
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text(f'data_dir = "data"\n[crawler]\ndrop_dir = "{drop}"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "yuqing", "--config", str(cfg), "crawl", "--exports"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    # 6 from the MemoTrace CSV, the intact row of the truncated CSV and the intact message of the cut JSON
    assert "新增 8 条" in proc.stdout
    with SqliteStore(tmp_path / "data" / "yuqing.db") as store:
        reasons = " ".join(q.reason for q in store.list_quarantine())
        assert "二进制" in reasons and "JSON 无法解析" in reasons
        quarantined = len(store.list_quarantine())
    again = subprocess.run([sys.executable, "-m", "yuqing", "--config", str(cfg), "crawl", "--exports"],
                           capture_output=True, text=True, timeout=120)
    # the files it read are in the ledger and not fetched again; the two it could not read at all
    # (binary junk, unknown text) are tried again and quarantined no second time
    assert "新增 0 条" in again.stdout and "请求 2 次" in again.stdout
    with SqliteStore(tmp_path / "data" / "yuqing.db") as store:
        assert len(store.list_quarantine()) == quarantined

