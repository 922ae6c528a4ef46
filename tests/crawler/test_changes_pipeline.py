"""The changes pipeline: re-read posts are compared with the stored ones; gone posts are marked."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from yuqing.crawler.items import PostItem, PostStatusItem, ThreadDoneItem, ThreadSeen
from yuqing.crawler.pipelines import ChangesPipeline
from yuqing.schema import Post, SourceKind
from yuqing.storage import PostQuery

T = datetime(2026, 11, 2, 8, 0, tzinfo=timezone(timedelta(hours=8)))


class _Spider:
    tracks_changes = True

    def __init__(self, store):
        self.store = store


def _post(pid: str, text: str) -> Post:
    return Post(source_id="bbs", source_kind=SourceKind.FORUM, text=text, created_at=T, author="老张",
                native_id=pid, thread_id="101")


@pytest.fixture
def pipe(store):
    crawler = get_crawler()
    crawler.spider = _Spider(store)
    crawler.stats.open_spider()
    store.add_posts([_post("1", "第一楼"), _post("2", "第二楼"), _post("3", "第三楼"), _post("4", "第四楼")])
    return ChangesPipeline(crawler), crawler.stats


def test_a_post_read_again_is_unchanged_or_an_edit_and_new_ones_pass(pipe, store):
    p, stats = pipe
    with pytest.raises(DropItem):
        p.process_item(PostItem(_post("1", "第一楼")))
    with pytest.raises(DropItem):
        p.process_item(PostItem(_post("2", "第二楼（改）")))
    new = PostItem(_post("5", "第五楼"))
    assert p.process_item(new) is new
    assert stats.get_value("yuqing/posts_unchanged") == 1 and stats.get_value("yuqing/posts_edited") == 1
    assert store.get_post(_post("2", "").id).post.text == "第二楼（改）"
    assert [r.text for r in store.post_history(_post("2", "").id)] == ["第二楼"]


def test_status_items_and_posts_gone_from_a_thread_read_through(pipe, store):
    p, stats = pipe
    p.process_item(PostStatusItem("bbs", "101", "3", "hidden", "被管理员或版主屏蔽"))
    p.process_item(PostStatusItem("bbs", "101", "99", "deleted", "论坛显示该楼层已被删除"))  # never stored: nothing
    done = ThreadDoneItem("crawl:bbs:thread:101", "{}", seen=ThreadSeen("bbs", "101", ["1", "3", "4"], since=None))
    assert p.process_item(done) is done
    assert stats.get_value("yuqing/posts_hidden") == 1 and stats.get_value("yuqing/posts_deleted") == 1
    assert {sp.post.native_id for sp in store.query_posts(PostQuery())} == {"1", "4"}
    # read from post 4 on only: 1 is out of view, so nothing more is gone; 3 shown again is live again
    with pytest.raises(DropItem):
        p.process_item(PostItem(_post("3", "第三楼")))
    p.process_item(ThreadDoneItem("k", "{}", seen=ThreadSeen("bbs", "101", ["4"], since=4)))
    assert {sp.post.native_id for sp in store.query_posts(PostQuery())} == {"1", "3", "4"}
    assert stats.get_value("yuqing/posts_restored") == 1


def test_export_spiders_are_left_alone(store):
    crawler = get_crawler()
    crawler.spider = type("Exports", (), {"store": store})()
    store.add_posts([_post("1", "第一楼")])
    item = PostItem(_post("1", "第一楼（另一份导出）"))
    assert ChangesPipeline(crawler).process_item(item) is item


def test_cookie_domains_are_split_with_the_bundled_suffix_list_offline(tmp_path):
    """Scrapy's cookie middleware would download the public suffix list on first use: after
    use_bundled_public_suffix_list it uses tldextract's snapshot, with every network call refused."""
    code = (
        "import socket, sys\n"
        "tried = []\n"
        "def guard(event, args):\n"
        "    if event in ('socket.getaddrinfo', 'socket.connect'):\n"
        "        tried.append(args[0] if event == 'socket.getaddrinfo' else args[1])\n"
        "        raise ConnectionRefusedError('offline: ' + event)\n"
        "sys.addaudithook(guard)\n"
        "from yuqing.crawler.run import use_bundled_public_suffix_list\n"
        "use_bundled_public_suffix_list()\n"
        "import scrapy.downloadermiddlewares.cookies as c\n"
        "assert c._is_public_domain('com.cn') and c._is_public_domain('github.io')\n"
        "assert not c._is_public_domain('bbs.example.com.cn')\n"
        "print('tried:', tried)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
                               "PYTHONPATH": ":".join(sys.path)})
    assert proc.stdout.strip() == "tried: []", proc.stderr  # without it: raw.githubusercontent.com


def test_crawl_report_has_one_line_per_source_and_the_fatal_lines():
    from yuqing.crawler.run import CrawlReport, SourceResult

    report = CrawlReport(sources=["bbs", "club"])
    report.add(SourceResult("bbs", posts=3, unchanged=5, edited=1, deleted=2, requests=9))
    report.add(SourceResult("club", failures=1, fatal="数据源 club：登录失败（用户 工会监测）：登录失败，您还可以尝试 4 次"))
    lines = report.lines()
    assert lines[0].startswith("数据源 bbs：新增 3 条，编辑 1 条，删除 2 条，未变 5 条，重复 0 条")
    assert lines[1].startswith("数据源 club：新增 0 条，未变 0 条") and lines[2].startswith("采集 2 个数据源：新增 3 条")
    assert report.fatal == ["数据源 club：登录失败（用户 工会监测）：登录失败，您还可以尝试 4 次"]
    one = CrawlReport(sources=["bbs"])
    one.add(SourceResult("bbs"))
    assert len(one.lines()) == 1 and one.fatal == []
