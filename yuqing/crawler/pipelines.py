"""Item pipelines, one small job each: HTML → text, PII spans, dedupe, store.

Order (``settings.ITEM_PIPELINES``): :class:`CleanTextPipeline` → (optional, per source)
:class:`TraditionalToSimplifiedPipeline` → :class:`PiiPipeline` →
:class:`DedupePipeline` → :class:`StorePipeline`. The store is the spider's ``store`` attribute
(the CLI opens it and hands it to the spider).
"""

from __future__ import annotations

from dataclasses import replace

from scrapy.exceptions import DropItem

from ..pii import find_pii
from .cleaning import clean_text, html_to_text
from .items import FileDoneItem, PostItem, QuarantineItem, ThreadDoneItem


class CleanTextPipeline:
    """Raw HTML (or text) → clean text; a post left with no text is dropped."""

    def process_item(self, item):
        if not isinstance(item, PostItem):
            return item
        text = html_to_text(item.html) if item.html else clean_text(item.post.text)
        if not text:
            raise DropItem(f"空帖子 {item.post.url}")
        if text != item.post.text:
            item.post = replace(item.post, text=text, content_hash="")
        item.html = ""
        return item


class TraditionalToSimplifiedPipeline:
    """Optional: traditional → simplified Chinese (OpenCC ``t2s``) for sources with ``options.t2s = true``."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._converter = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        source = getattr(self.crawler.spider, "source", None)
        if not isinstance(item, PostItem) or source is None or not source.options.get("t2s"):
            return item
        if self._converter is None:
            import opencc

            self._converter = opencc.OpenCC("t2s")
        text = self._converter.convert(item.post.text)
        if text != item.post.text:
            item.post = replace(item.post, text=text, content_hash="", title=self._converter.convert(item.post.title))
        return item


class PiiPipeline:
    """Records where phone numbers, ID numbers and bank cards are (``Post.pii``)."""

    def process_item(self, item):
        if isinstance(item, PostItem):
            item.post.pii = find_pii(item.post.text)
        return item


class DedupePipeline:
    """Drops a post already seen in this crawl: the same id, or a double submission (same author,
    same text, same thread, same minute — the content hash)."""

    def __init__(self):
        self.ids: set[str] = set()
        self.hashes: set[tuple[str, str, str, str, int]] = set()

    def process_item(self, item):
        if not isinstance(item, PostItem):
            return item
        p = item.post
        key = (p.source_id, p.thread_id, p.author_id or p.author, p.content_hash, int(p.created_at.timestamp()) // 60)
        if p.id in self.ids or key in self.hashes:
            raise DropItem(f"重复的帖子 {p.id}")
        self.ids.add(p.id)
        self.hashes.add(key)
        return item


class StorePipeline:
    """Writes posts in batches, quarantine records, and thread marks / ledger entries (after their posts)."""

    BATCH = 200

    def __init__(self, crawler):
        self.crawler = crawler
        self.posts: list = []

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def store(self):
        return self.crawler.spider.store

    def process_item(self, item):
        if isinstance(item, PostItem):
            self.posts.append(item.post)
            if len(self.posts) >= self.BATCH:
                self.flush()
        elif isinstance(item, ThreadDoneItem):
            self.flush()
            self.store.set_state(item.state_key, item.state_value)
        elif isinstance(item, FileDoneItem):
            self.flush()
            self.store.record_file(item.imported)
        elif isinstance(item, QuarantineItem):
            self.store.add_quarantine([item.record])
            self.crawler.stats.inc_value("yuqing/quarantined")
        return item

    def flush(self) -> None:
        if self.posts:
            result = self.store.add_posts(self.posts)
            self.crawler.stats.inc_value("yuqing/posts_inserted", result.inserted)
            self.crawler.stats.inc_value("yuqing/posts_duplicate", result.duplicates)
            self.posts = []

    def close_spider(self):
        self.flush()
