from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from yuqing.crawler.items import PostItem, QuarantineItem, ThreadDoneItem
from yuqing.crawler.pipelines import CleanTextPipeline, DedupePipeline, PiiPipeline, StorePipeline
from yuqing.schema import Post, QuarantineRecord, SourceKind
from yuqing.storage import PostQuery

T = datetime(2026, 11, 2, 8, 0, tzinfo=timezone(timedelta(hours=8)))


def _item(pid: str, html: str = "", text: str = "", author: str = "老张") -> PostItem:
    return PostItem(post=Post(source_id="bbs", source_kind=SourceKind.FORUM, text=text, created_at=T, author=author,
                              native_id=pid, thread_id="101"), html=html)


def test_clean_text_turns_html_into_text_and_rehashes():
    item = CleanTextPipeline().process_item(_item("1", html="<p>第一行<br>第二行</p><script>x()</script>"))
    assert item.post.text == "第一行\n第二行" and item.html == ""
    assert item.post.content_hash == _item("9", text="第一行\n第二行").post.content_hash


def test_clean_text_drops_empty_posts():
    with pytest.raises(DropItem):
        CleanTextPipeline().process_item(_item("1", html="<div class='sign'>签名</div>"))


def test_pii_spans():
    item = PiiPipeline().process_item(_item("1", text="电话 13912345678"))
    assert item.post.pii == [{"kind": "phone", "start": 3, "end": 14}]


def test_dedupe_by_id_and_by_author_text_in_thread():
    d = DedupePipeline()
    d.process_item(_item("1", text="顶"))
    with pytest.raises(DropItem):
        d.process_item(_item("1", text="顶"))
    with pytest.raises(DropItem):
        d.process_item(_item("2", text="顶"))  # same author, thread, text and minute: a double submission
    assert d.process_item(_item("3", text="顶", author="小李")).post.native_id == "3"
    later = _item("4", text="顶")
    later.post.created_at = T + timedelta(hours=1)
    assert d.process_item(later).post.native_id == "4"  # the same words an hour later are a new post


def test_store_writes_posts_before_thread_mark_and_quarantine(store):
    class Spider:
        pass

    crawler = get_crawler()
    crawler.spider = Spider()
    crawler.spider.store = store
    crawler.stats.open_spider()
    p = StorePipeline.from_crawler(crawler)
    p.process_item(_item("1", text="正文"))
    assert store.count_posts(PostQuery()) == 0  # batched
    p.process_item(ThreadDoneItem("crawl:bbs:thread:101", '{"replies": 0, "pages": 1}'))
    assert store.count_posts(PostQuery()) == 1 and store.get_state("crawl:bbs:thread:101")
    p.process_item(QuarantineItem(QuarantineRecord("http://f/t", "帖子 5", "时间无效")))
    p.process_item(_item("2", text="另一条"))
    p.close_spider()
    assert store.count_posts(PostQuery()) == 2 and store.stats()["quarantined"] == 1
    assert crawler.stats.get_value("yuqing/posts_inserted") == 2


def test_traditional_to_simplified_only_for_sources_that_ask():
    from yuqing.crawler.pipelines import TraditionalToSimplifiedPipeline
    from yuqing.schema import Source

    crawler = get_crawler()

    class Spider:
        source = Source("bbs", "論壇", SourceKind.FORUM, options={"t2s": True})

    crawler.spider = Spider()
    p = TraditionalToSimplifiedPipeline.from_crawler(crawler)
    item = p.process_item(_item("1", text="職工加班費"))
    assert item.post.text == "职工加班费" and item.post.content_hash == _item("2", text="职工加班费").post.content_hash
    Spider.source = Source("bbs", "論壇", SourceKind.FORUM)
    assert p.process_item(_item("3", text="職工")).post.text == "職工"
