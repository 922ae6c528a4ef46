"""Discourse JSON: ``/latest.json`` topic lists, ``/t/{id}.json`` topics, ``/t/{id}/posts.json``
and ``/posts.json`` (``latest_posts``). Pure: takes parsed JSON, returns dataclasses.

A post's ``reply_to_post_number`` is turned into the replied-to post's id when that post is in
the same document (``reply_to``); otherwise the number is kept in ``reply_to_number``.

A post that is no longer shown as written gets a ``status``: ``deleted`` when ``deleted_at`` is
set (staff still see deleted posts) or the author withdrew it (``user_deleted``; ``cooked`` is then
"(post withdrawn by author, will be automatically deleted in N hours unless flagged)" or
"(post deleted by author)"), ``hidden`` when flagged and hidden (``hidden``). ``version`` counts edits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from ...schema import Post, QuarantineRecord, SourceKind
from ..cleaning import html_to_text
from .records import ChatRecord, ParseContext, Record


@dataclass(slots=True)
class TopicRef:
    id: int
    title: str
    slug: str
    posts_count: int
    last_posted_at: str = ""


@dataclass(slots=True)
class LatestPage:
    topics: list[TopicRef] = field(default_factory=list)
    more_url: str = ""


@dataclass(slots=True)
class DPost:
    id: int
    topic_id: int
    post_number: int
    author: str
    author_id: str
    created_at: datetime
    cooked: str
    reply_to: int | None = None  # post id, when resolvable
    reply_to_number: int | None = None
    topic_title: str = ""
    version: int = 1
    status: str = ""  # "" shown; "deleted" or "hidden" (status_reason says why)
    status_reason: str = ""


@dataclass(slots=True)
class TopicPage:
    id: int
    title: str
    slug: str
    posts: list[DPost] = field(default_factory=list)
    stream: list[int] = field(default_factory=list)  # every post id of the topic

    @property
    def missing(self) -> list[int]:
        have = {p.id for p in self.posts}
        return [i for i in self.stream if i not in have]


class BadDiscourse(ValueError):
    """The JSON is not the Discourse document it should be."""


def _time(s: object) -> datetime:
    try:
        return datetime.fromisoformat(str(s).replace("Z", "+00:00"))
    except ValueError:
        raise BadDiscourse(f"时间无效：{str(s)[:40]!r}") from None


def parse_latest(data: dict) -> LatestPage:
    tl = data.get("topic_list") if isinstance(data, dict) else None
    if not isinstance(tl, dict):
        raise BadDiscourse("不是 Discourse 主题列表（缺少 topic_list）")
    page = LatestPage(more_url=str(tl.get("more_topics_url") or ""))
    for t in tl.get("topics") or []:
        page.topics.append(TopicRef(id=int(t["id"]), title=str(t.get("title", "")), slug=str(t.get("slug", "")),
                                    posts_count=int(t.get("posts_count") or 0),
                                    last_posted_at=str(t.get("last_posted_at") or "")))
    return page


_WITHDRAWN = ("(post withdrawn by author", "(post deleted by author")


def post_status(p: dict) -> tuple[str, str]:
    """Whether Discourse still shows the post as written: ``("", "")``, or a status and why."""
    cooked = html_to_text(str(p.get("cooked") or ""))
    if p.get("user_deleted") or cooked.startswith(_WITHDRAWN):
        return "deleted", "作者已撤回"
    if p.get("deleted_at"):
        return "deleted", "论坛上已删除"
    if p.get("hidden"):
        return "hidden", "被举报后隐藏"
    return "", ""


def parse_posts(items: list, title: str = "") -> list[DPost]:
    """Posts from a ``post_stream.posts`` or ``latest_posts`` list, replies linked where possible."""
    posts = []
    for p in items:
        status, reason = post_status(p)
        posts.append(DPost(id=int(p["id"]), topic_id=int(p.get("topic_id") or 0), post_number=int(p.get("post_number") or 0),
                           author=str(p.get("name") or p.get("username") or ""), author_id=str(p.get("username") or ""),
                           created_at=_time(p.get("created_at")), cooked=str(p.get("cooked") or ""),
                           reply_to_number=p.get("reply_to_post_number"),
                           topic_title=str(p.get("topic_title") or title), version=int(p.get("version") or 1),
                           status=status, status_reason=reason))
    by_number = {(p.topic_id, p.post_number): p.id for p in posts}
    for p in posts:
        if p.reply_to_number:
            p.reply_to = by_number.get((p.topic_id, p.reply_to_number))
    return posts


def parse_topic(data: dict) -> TopicPage:
    stream = data.get("post_stream") if isinstance(data, dict) else None
    if not isinstance(stream, dict):
        raise BadDiscourse("不是 Discourse 主题（缺少 post_stream）")
    title = str(data.get("title") or "")
    page = TopicPage(id=int(data.get("id") or 0), title=title, slug=str(data.get("slug") or ""),
                     posts=parse_posts(stream.get("posts") or [], title),
                     stream=[int(i) for i in stream.get("stream") or []])
    for p in page.posts:
        p.topic_id = p.topic_id or page.id
    return page


def to_post(p: DPost, source_id: str, url: str = "") -> Post:
    extra: dict = {"post_number": p.post_number}
    if p.reply_to_number and p.reply_to is None:
        extra["reply_to_post_number"] = p.reply_to_number
    return Post(source_id=source_id, source_kind=SourceKind.FORUM, text=html_to_text(p.cooked), created_at=p.created_at,
                author=p.author, author_id=p.author_id, native_id=str(p.id), title=p.topic_title, url=url,
                thread_id=str(p.topic_id), extra=extra)


def records(data: object, ctx: ParseContext) -> Iterator[Record]:
    """Import records of a saved Discourse JSON document (topic, posts list or latest posts).

    The site is not named inside the JSON: the folder the file sits in stands for it."""
    from pathlib import PurePath

    site = PurePath(ctx.origin).parent.name or "discourse"
    try:
        if isinstance(data, dict) and "latest_posts" in data:
            posts = parse_posts(data["latest_posts"])
        elif isinstance(data, dict) and "cooked" in data:
            posts = parse_posts([data])
        elif isinstance(data, dict) and "topic_list" in data:
            yield QuarantineRecord(ctx.origin, "整个文件", "Discourse 主题列表只有标题，没有帖子：请用 yuqing crawl 采集该论坛")
            return
        else:
            posts = parse_topic(data).posts  # type: ignore[arg-type]
    except (BadDiscourse, KeyError, TypeError, ValueError) as exc:
        yield QuarantineRecord(ctx.origin, "整个文件", f"Discourse JSON 无法读取：{exc}")
        return
    for p in posts:
        post = to_post(p, "")
        if not post.text or p.status:  # withdrawn, deleted or hidden: not a live post
            continue
        yield ChatRecord(post=post, chat_id=f"discourse:{site}", chat_name=site, kind=SourceKind.FORUM,
                         parent_native=str(p.reply_to) if p.reply_to else "")
