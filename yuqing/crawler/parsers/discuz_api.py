"""Discuz! mobile JSON API (``api/mobile/index.php?module=…``), saved to a file.

``viewthread`` documents (``Variables.postlist[]``: ``pid, author, authorid, dbdateline, message``
HTML) are imported. A ``forumdisplay`` document only lists thread titles, so it is reported with
what to do instead (crawl the forum's HTML; the API is disallowed by Discuz's default robots.txt).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...schema import Post, QuarantineRecord, SourceKind
from ..cleaning import clean_text, html_to_text
from .common import BadTime, from_unix
from .records import ChatRecord, ParseContext, Record


def records(data: object, ctx: ParseContext) -> Iterator[Record]:
    v = data.get("Variables") if isinstance(data, dict) else None
    if not isinstance(v, dict):
        yield QuarantineRecord(ctx.origin, "整个文件", "Discuz 接口数据缺少 Variables")
        return
    forum = v.get("forum") or {}
    forum_name = clean_text(str(forum.get("name") or "Discuz 论坛"))
    if "postlist" not in v:
        n = len(v.get("forum_threadlist") or [])
        yield QuarantineRecord(ctx.origin, "整个文件",
                               f"Discuz 手机接口的主题列表（{n} 个主题）只有标题没有帖子正文：请用 yuqing crawl 采集该论坛的网页")
        return
    thread = v.get("thread") or {}
    tid = str(thread.get("tid") or "")
    title = clean_text(str(thread.get("subject") or ""))
    for i, p in enumerate(v.get("postlist") or [], 1):
        if not isinstance(p, dict):
            continue
        try:
            created = from_unix(p.get("dbdateline"))
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, f"第 {i} 个帖子", str(exc))
            continue
        text = html_to_text(str(p.get("message") or ""))
        if not text:
            continue
        post = Post(source_id="", source_kind=SourceKind.FORUM, text=text, created_at=created,
                    author=str(p.get("author") or ""), author_id=str(p.get("authorid") or ""),
                    native_id=str(p.get("pid") or "") or None, title=title, thread_id=str(p.get("tid") or tid))
        yield ChatRecord(post=post, chat_id=f"discuz:{forum.get('fid', '')}:{forum_name}", chat_name=forum_name,
                         kind=SourceKind.FORUM)
