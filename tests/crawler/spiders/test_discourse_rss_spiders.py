"""Discourse and RSS spiders offline: saved JSON/XML fed through TextResponse."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from yuqing.crawler.items import PostItem, QuarantineItem, ThreadDoneItem
from yuqing.crawler.spiders.discourse import DiscourseSpider
from yuqing.crawler.spiders.rss import RssSpider
from yuqing.schema import Source, SourceKind, make_post_id

from ..conftest import FIXTURES

BASE = "https://talk.example/"


def _spider(cls, store, **kw):
    src = Source("talk", "职工交流", kw.pop("kind", SourceKind.FORUM), url=kw.pop("url", BASE), options=kw)
    crawler = get_crawler(cls)
    sp = cls.from_crawler(crawler, source=src, store=store)
    crawler.spider = sp
    crawler.stats.open_spider()
    return sp


def _resp(url: str, body) -> TextResponse:
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return TextResponse(url=url, body=body, encoding="utf-8", request=Request(url))


def _post(i: int, number: int, reply_to=None) -> dict:
    return {"id": i, "post_number": number, "username": f"u{i}", "name": f"职工{i}", "topic_id": 7,
            "created_at": "2026-11-02T00:00:00Z", "cooked": f"<p>第{i}楼</p>", "reply_to_post_number": reply_to}


LATEST = {"topic_list": {"more_topics_url": "/latest?page=1", "topics": [
    {"id": 7, "title": "加班费", "slug": "jiabanfei", "posts_count": 25}, {"id": 8, "title": "食堂", "slug": "st", "posts_count": 1}]}}
TOPIC = {"id": 7, "title": "加班费", "slug": "jiabanfei",
         "post_stream": {"stream": list(range(1, 26)), "posts": [_post(i, i, reply_to=1 if i == 2 else None) for i in range(1, 21)]}}


def test_latest_requests_changed_topics_and_next_page(store):
    sp = _spider(DiscourseSpider, store)
    store.set_state("crawl:talk:topic:8", json.dumps({"posts_count": 1, "max_post_id": 99}))
    out = list(sp.parse_latest(_resp(BASE + "latest.json", LATEST)))
    assert [r.url for r in out] == [BASE + "t/7.json", BASE + "latest.json?page=1"]


def test_topic_posts_then_missing_posts_then_mark(store):
    sp = _spider(DiscourseSpider, store)
    out = list(sp.parse_topic(_resp(BASE + "t/7.json", TOPIC), posts_count=25, since=0))
    items = [o for o in out if isinstance(o, PostItem)]
    assert len(items) == 20 and items[1].post.parent_id == make_post_id("talk", "1")
    more = out[-1]
    assert parse_qs(urlparse(more.url).query)["post_ids[]"] == [str(i) for i in range(21, 26)]
    rest = list(sp.parse_more(_resp(more.url, {"post_stream": {"posts": [_post(i, i) for i in range(21, 26)]}}),
                              **more.cb_kwargs))
    assert [o.post.native_id for o in rest if isinstance(o, PostItem)] == [str(i) for i in range(21, 26)]
    assert isinstance(rest[-1], ThreadDoneItem)
    assert json.loads(rest[-1].state_value) == {"posts_count": 25, "max_post_id": 25, "last_posted_at": ""}
    assert rest[-1].seen.seen == [str(i) for i in range(1, 26)] and rest[-1].seen.since is None


def test_changed_topic_fetches_only_new_posts_and_compares_those_it_got_anyway(store):
    sp = _spider(DiscourseSpider, store)
    topic = {**TOPIC, "post_stream": {**TOPIC["post_stream"], "stream": list(range(1, 31))}}
    out = list(sp.parse_topic(_resp(BASE + "t/7.json", topic), posts_count=30, since=25))
    # the first 20 come with the topic: all of them go to the changes pipeline (edits) …
    assert [o.post.native_id for o in out if isinstance(o, PostItem)] == [str(i) for i in range(1, 21)]
    # … and only posts newer than the last one seen are fetched
    assert parse_qs(urlparse(out[-1].url).query)["post_ids[]"] == [str(i) for i in range(26, 31)]


def test_a_reply_deleted_while_another_was_added_changes_the_last_post_time(store):
    sp = _spider(DiscourseSpider, store)
    store.set_state("crawl:talk:topic:7", json.dumps({"posts_count": 25, "max_post_id": 25,
                                                      "last_posted_at": "2026-11-02T00:00:00Z"}))
    store.set_state("crawl:talk:topic:8", json.dumps({"posts_count": 1, "max_post_id": 99}))
    latest = {"topic_list": {"topics": [
        {"id": 7, "title": "加班费", "slug": "jiabanfei", "posts_count": 25, "last_posted_at": "2026-11-03T00:00:00Z"},
        {"id": 8, "title": "食堂", "slug": "st", "posts_count": 1, "last_posted_at": "2026-11-01T00:00:00Z"}]}}
    out = list(sp.parse_latest(_resp(BASE + "latest.json", latest)))
    assert [r.url for r in out] == [BASE + "t/7.json"]


def test_deleted_withdrawn_and_hidden_posts_are_status_items(store):
    from yuqing.crawler.items import PostStatusItem

    sp = _spider(DiscourseSpider, store)
    posts = [_post(1, 1), {**_post(2, 2), "deleted_at": "2026-11-03T00:00:00Z"},
             {**_post(3, 3), "user_deleted": True,
              "cooked": "<p>(post withdrawn by author, will be automatically deleted in 24 hours unless flagged)</p>"},
             {**_post(4, 4), "hidden": True}]
    topic = {"id": 7, "title": "加班费", "slug": "jiabanfei", "post_stream": {"stream": [1, 2, 3, 4], "posts": posts}}
    out = list(sp.parse_topic(_resp(BASE + "t/7.json", topic), posts_count=4, since=0))
    assert [o.post.native_id for o in out if isinstance(o, PostItem)] == ["1"]
    assert [(o.native_id, o.status, o.reason) for o in out if isinstance(o, PostStatusItem)] == [
        ("2", "deleted", "论坛上已删除"), ("3", "deleted", "作者已撤回"), ("4", "hidden", "被举报后隐藏")]


@pytest.fixture
def rss_spider(store):
    return _spider(RssSpider, store, kind=SourceKind.RSS, url="http://forum.example/rss")


def test_rss_entries_become_posts_and_undated_are_quarantined(rss_spider):
    body = (FIXTURES / "feeds/rss.xml").read_bytes()
    out = list(rss_spider.parse(TextResponse(url="http://forum.example/rss", body=body, request=Request("http://forum.example/rss"))))
    assert isinstance(out[0], PostItem) and out[0].post.title == "夜班补贴拖欠问题"
    assert "<br" in out[0].html and out[0].post.source_id == "talk"
    assert isinstance(out[1], QuarantineItem) and "发布时间" in out[1].record.reason


def test_unreadable_feed_is_recorded_as_failure(rss_spider, store):
    assert list(rss_spider.parse(TextResponse(url="http://forum.example/rss", body=b"\x00junk",
                                              request=Request("http://forum.example/rss")))) == []
    assert store.q1("SELECT COUNT(*) FROM source_failures WHERE source_id = 'talk'")[0] == 1
