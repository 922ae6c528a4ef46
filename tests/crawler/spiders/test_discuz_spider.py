"""The Discuz spider offline: saved pages fed through HtmlResponse, callbacks called directly."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from yuqing.crawler.items import PostItem, QuarantineItem, ThreadDoneItem
from yuqing.crawler.spiders.discuz import DiscuzSpider
from yuqing.schema import Source, SourceKind, make_post_id

from ..conftest import FIXTURES

PAGES = FIXTURES / "discuz"
BASE = "http://forum.example/"


@pytest.fixture
def spider(store):
    src = Source("bbs", "职工论坛", SourceKind.FORUM, url=BASE, options={"engine": "discuz"})
    crawler = get_crawler(DiscuzSpider)
    sp = DiscuzSpider.from_crawler(crawler, source=src, store=store)
    crawler.spider = sp
    crawler.stats.open_spider()
    return sp


def _response(name: str, url: str, **kw) -> HtmlResponse:
    return HtmlResponse(url=url, body=(PAGES / name).read_bytes(), request=Request(url), **kw)


def test_board_requests_every_new_thread_and_the_next_list_page(spider):
    out = list(spider.parse_board(_response("forum-2-1.html", BASE + "forum-2-1.html", encoding="utf-8")))
    assert [r.url for r in out] == [BASE + "thread-101-1-1.html", BASE + "thread-102-1-1.html", BASE + "forum-2-2.html"]


def test_board_skips_unchanged_threads_and_resumes_changed_ones_at_their_last_page(spider, store):
    store.set_state("crawl:bbs:thread:101", json.dumps({"replies": 2, "pages": 2}))  # grew since: 4 replies now
    store.set_state("crawl:bbs:thread:102", json.dumps({"replies": 0, "pages": 1}))  # unchanged
    out = list(spider.parse_board(_response("forum-2-1.html", BASE + "forum-2-1.html", encoding="utf-8")))
    assert [r.url for r in out] == [BASE + "thread-101-2-1.html", BASE + "forum-2-2.html"]
    store.set_state("crawl:bbs:thread:101", json.dumps({"replies": 4, "pages": 3}))
    assert list(spider.parse_board(_response("forum-2-1.html", BASE + "forum-2-1.html", encoding="utf-8"))) == []


def test_thread_page_yields_posts_with_quote_link_then_next_page(spider):
    out = list(spider.parse_thread(_response("thread-101-1-1.html", BASE + "thread-101-1-1.html", encoding="utf-8"),
                                   replies=4))
    posts = [o for o in out if isinstance(o, PostItem)]
    assert [p.post.native_id for p in posts] == ["1001", "1002"]
    assert posts[1].post.parent_id == make_post_id("bbs", "1001")
    assert posts[1].post.extra["quote"]["name"] == "老张" and posts[1].post.title == "夜班补贴拖欠问题"
    assert "夜班补贴三个月没发了" not in posts[1].html  # the quote is linked, not repeated
    assert out[-1].url == BASE + "thread-101-2-1.html"


def test_last_page_of_thread_marks_it_done(spider):
    out = list(spider.parse_thread(_response("thread-201-2-1.gbk.html", BASE + "thread-201-2-1.html"), replies=2))
    assert isinstance(out[0], QuarantineItem) and "很久以前" in out[0].record.reason
    done = out[-1]
    assert isinstance(done, ThreadDoneItem) and done.state_key == "crawl:bbs:thread:201"
    assert json.loads(done.state_value) == {"replies": 2, "pages": 2, "head": "2003"}  # head: first post of the last page
    assert done.seen.thread_id == "201" and done.seen.since is None and "2003" in done.seen.seen


def test_gbk_page_decoded_through_meta_charset(spider):
    resp = _response("thread-201-2-1.gbk.html", BASE + "thread-201-2-1.html")
    assert resp.encoding in ("gbk", "gb18030", "cp936")
    assert "井下通风设备老化" in resp.text


def test_cookies_from_source_options_go_with_every_request(store):
    src = Source("club", "会员论坛", SourceKind.FORUM, url=BASE, options={"engine": "discuz", "cookies": {"auth": "abc"}})
    sp = DiscuzSpider.from_crawler(get_crawler(DiscuzSpider), source=src, store=store)
    assert sp.request(BASE + "forum-2-1.html", sp.parse_board).cookies == {"auth": "abc"}
