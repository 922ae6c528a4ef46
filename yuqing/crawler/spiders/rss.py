"""RSS 2.0 / Atom feeds (feedparser): one request per feed, every dated entry becomes a post.

Source: ``kind = "rss"`` (or ``kind = "forum"`` with ``engine = "rss"`` for a forum's feed, e.g.
Discuz ``forum.php?mod=rss&fid=2`` or Discourse ``/latest.rss``); ``url`` is the feed.
Incremental: the HTTP cache revalidates an unchanged feed, and entries already stored are
duplicates by id, so nothing is stored twice.
"""

from __future__ import annotations

from ...schema import QuarantineRecord, SourceKind
from ..items import PostItem, QuarantineItem
from ..parsers.feeds import entry_post, parse_feed
from .base import SourceSpider


class RssSpider(SourceSpider):
    name = "rss"

    async def start(self):
        yield self.request(self.source.url, self.parse)

    def parse(self, response):
        feed = parse_feed(response.body)
        if feed.error:
            self.store.record_source_failure(self.source.id, response.url, feed.error)
            self.crawler.stats.inc_value("yuqing/failures")
            return
        for i, e in enumerate(feed.entries, 1):
            post = entry_post(e, self.source.id)
            if post is None:
                yield QuarantineItem(QuarantineRecord(response.url, f"第 {i} 条", "条目没有发布时间", raw=e.title,
                                                      source_id=self.source.id))
                continue
            if self.source.kind == SourceKind.FORUM:
                post.source_kind = SourceKind.FORUM
            yield PostItem(post=post, html=e.html)
