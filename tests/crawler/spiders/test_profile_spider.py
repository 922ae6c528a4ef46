from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from yuqing.crawler.items import PostItem
from yuqing.crawler.parsers.profile import load_profile
from yuqing.crawler.spiders.profile import ProfileSpider
from yuqing.errors import ConfigError
from yuqing.schema import Source, SourceKind

from ..conftest import FIXTURES

DIR = FIXTURES / "profile"
BASE = "http://home.example/bbs/"


@pytest.fixture
def spider(store):
    src = Source("home", "矿区职工之家", SourceKind.FORUM, url=BASE, options={"engine": "profile", "profile": "site.yaml"})
    crawler = get_crawler(ProfileSpider)
    sp = ProfileSpider.from_crawler(crawler, source=src, store=store, profile_dir=DIR)
    crawler.spider = sp
    crawler.stats.open_spider()
    return sp


def _resp(name, url):
    return HtmlResponse(url=url, body=(DIR / name).read_bytes(), encoding="utf-8", request=Request(url))


def test_profile_list_and_thread(spider):
    out = list(spider.parse_board(_resp("list.html", BASE + "list.html")))
    assert [r.url for r in out] == [BASE + "t/31.html", BASE + "t/32.html", BASE + "list-2.html"]
    spider.now = datetime(2026, 11, 6, 12, 0, tzinfo=timezone.utc)
    items = list(spider.parse_thread(_resp("t31.html", BASE + "t/31.html"), replies=2))
    posts = [i.post for i in items if isinstance(i, PostItem)]
    assert [(p.native_id, p.author, p.title) for p in posts] == [("501", "小高", "宿舍热水不够用"), ("502", "老韩", "宿舍热水不够用")]
    assert posts[1].created_at == datetime(2026, 11, 5, 22, 0, tzinfo=timezone(timedelta(hours=8)))
    assert items[-1].url == BASE + "t/31-2.html"


def test_bad_profile_names_file_and_key():
    with pytest.raises(ConfigError, match=r"x.yaml: thread: 'body' is a required property"):
        load_profile("start: [a]\nlist: {thread: li, link: a}\nthread: {post: p, id: i, author: a, time: t}\n", "x.yaml")
    with pytest.raises(ConfigError, match="不是有效的 YAML"):
        load_profile("start: [", "y.yaml")
