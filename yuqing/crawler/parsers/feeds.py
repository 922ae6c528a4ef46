"""RSS 2.0 / Atom feeds (news sites, Discuz ``mod=rss``, Discourse ``.rss``), parsed with feedparser."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ...schema import Post, QuarantineRecord, SourceKind
from ..cleaning import clean_text, html_to_text
from .records import ChatRecord, ParseContext, Record


@dataclass(slots=True)
class Entry:
    id: str
    title: str
    link: str
    author: str
    html: str
    published: datetime | None


@dataclass(slots=True)
class Feed:
    title: str
    link: str
    entries: list[Entry] = field(default_factory=list)
    error: str = ""


def parse_feed(data: bytes | str) -> Feed:
    """A feed's title, link and entries; ``error`` says why nothing could be read."""
    import feedparser

    d = feedparser.parse(data)
    feed = Feed(title=clean_text(d.feed.get("title", "")), link=d.feed.get("link", ""))
    if d.bozo and not d.entries:
        feed.error = f"RSS/Atom 无法解析：{type(d.get('bozo_exception')).__name__}"
        return feed
    for e in d.entries:
        when = e.get("published_parsed") or e.get("updated_parsed")
        html = ""
        if e.get("content"):
            html = e.content[0].get("value", "")
        html = html or e.get("summary", "")
        feed.entries.append(Entry(
            id=e.get("id") or e.get("link") or "", title=clean_text(e.get("title", "")), link=e.get("link", ""),
            author=clean_text(e.get("author", "")), html=html,
            published=datetime.fromtimestamp(calendar.timegm(when), tz=timezone.utc) if when else None))
    return feed


def entry_post(e: Entry, source_id: str) -> Post | None:
    if e.published is None:
        return None
    text = html_to_text(e.html) or e.title
    return Post(source_id=source_id, source_kind=SourceKind.RSS, text=text, title=e.title, created_at=e.published,
                author=e.author, native_id=e.id or None, url=e.link, thread_id=e.id)


def records(data: bytes, ctx: ParseContext) -> Iterator[Record]:
    """Import records of a saved feed (bytes, so the XML declaration's encoding is honoured)."""
    feed = parse_feed(data)
    if feed.error:
        yield QuarantineRecord(ctx.origin, "整个文件", feed.error)
        return
    for i, e in enumerate(feed.entries, 1):
        post = entry_post(e, "")
        if post is None:
            yield QuarantineRecord(ctx.origin, f"第 {i} 条", "条目没有发布时间", raw=e.title)
            continue
        yield ChatRecord(post=post, chat_id=feed.link or feed.title, chat_name=feed.title or feed.link,
                         kind=SourceKind.RSS)
