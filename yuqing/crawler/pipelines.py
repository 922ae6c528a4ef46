"""Item pipelines, one small job each: HTML → text, PII spans, dedupe, changes, store.

Order (``settings.ITEM_PIPELINES``): :class:`CleanTextPipeline` → (optional, per source)
:class:`TraditionalToSimplifiedPipeline` → :class:`PiiPipeline` →
:class:`DedupePipeline` → :class:`ChangesPipeline` → :class:`StorePipeline`. The store is the
spider's ``store`` attribute (the CLI opens it and hands it to the spider).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from scrapy.exceptions import DropItem

from ..pii import find_pii
from ..schema import PostStatus, make_post_id
from ..storage.base import ThreadPost
from .cleaning import clean_text, html_to_text
from .items import FileDoneItem, PostItem, PostStatusItem, QuarantineItem, ThreadDoneItem


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


class ChangesPipeline:
    """Forums change what they show. A post read again with the same text is already stored (not
    stored again, not a duplicate: counted as unchanged); with another text it is an edit (the
    store keeps the old text in the post's history); a post the forum shows as banned, hidden or
    deleted is marked so (and live again when it is shown again); a stored post missing from a
    thread that was read through (``ThreadDoneItem.seen``) is marked deleted. Only for spiders
    that crawl a source (``tracks_changes``), not for export files."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.threads: dict[tuple[str, str], dict[str, ThreadPost]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def store(self):
        return self.crawler.spider.store

    def _inc(self, key: str, n: int = 1) -> None:
        if n:
            self.crawler.stats.inc_value(f"yuqing/{key}", n)

    def _thread(self, source_id: str, thread_id: str) -> dict[str, ThreadPost]:
        key = (source_id, thread_id)
        if key not in self.threads:
            self.threads[key] = {t.id: t for t in self.store.thread_posts(source_id, thread_id)}
        return self.threads[key]

    def _known(self, source_id: str, thread_id: str, post_id: str) -> ThreadPost | None:
        if thread_id:
            return self._thread(source_id, thread_id).get(post_id)
        sp = self.store.get_post(post_id)
        return None if sp is None else ThreadPost(sp.post.id, sp.post.native_id, sp.post.content_hash, sp.status)

    def process_item(self, item):
        if not getattr(self.crawler.spider, "tracks_changes", False):
            return item
        if isinstance(item, PostItem):
            return self._post(item)
        if isinstance(item, PostStatusItem):
            pid = make_post_id(item.source_id, item.native_id)
            known = self._known(item.source_id, item.thread_id, pid)
            if known is not None and known.status != item.status:
                self._inc(f"posts_{item.status}", self.store.set_post_status([pid], item.status, item.reason, _now()))
                known.status = item.status
        elif isinstance(item, ThreadDoneItem) and item.seen is not None:
            self._gone(item)
        return item

    def _post(self, item: PostItem):
        p = item.post
        known = self._known(p.source_id, p.thread_id, p.id)
        if known is None:
            return item
        if known.status != PostStatus.LIVE:  # shown again at the source
            self._inc("posts_restored", self.store.set_post_status([p.id], PostStatus.LIVE, at=_now()))
            known.status = PostStatus.LIVE
        if known.content_hash == p.content_hash:
            self._inc("posts_unchanged")
            raise DropItem(f"已有的帖子（未变）{p.id}")
        if self.store.edit_post(p, _now()):
            self._inc("posts_edited")
            known.content_hash = p.content_hash
        raise DropItem(f"帖子已编辑 {p.id}")

    def _gone(self, item: ThreadDoneItem) -> None:
        s = item.seen
        self.threads.pop((s.source_id, s.thread_id), None)  # read afresh: posts stored since are in it
        seen = set(s.seen)
        gone = [t.id for t in self._thread(s.source_id, s.thread_id).values()
                if t.status != PostStatus.DELETED and (t.native_id or "") not in seen and _in_view(t.native_id, s.since)]
        if gone:
            self._inc("posts_deleted", self.store.set_post_status(gone, PostStatus.DELETED, s.reason, _now()))
        self.threads.pop((s.source_id, s.thread_id), None)


def _in_view(native_id: str | None, since: int | None) -> bool:
    if since is None:
        return True
    return bool(native_id and native_id.isdigit() and int(native_id) >= since)


def _now() -> datetime:
    return datetime.now(timezone.utc)


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
