"""What every official-account layout shares: the identity of an account, an article, a comment
and a reply, and the records built from them.

Identity is what *every* layout carries, so the same article or comment exported as JSON, XLSX,
HTML or Markdown (by any tool, in any version) is stored once:

- account: the ``__biz`` (the exporter's ``fakeid``) when the layout has it, else the account
  name; the source keeps both, so a name-only layout finds the source a ``__biz`` layout made;
- article: its publish time to the minute (pages show only ``2025年06月03日 18:30``) and its title;
- comment: its article, author and text, numbered when the same person says the same twice;
- reply: its comment, author and text, numbered likewise.

Comment ids and times stay out of the identity: HTML pages carry neither ids nor (in older
versions) times.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from urllib.parse import parse_qs, urlsplit

from ...schema import Post, SourceKind, content_hash
from ..cleaning import clean_text
from .common import BadTime
from .records import ChatRecord

_PAGE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s+(\d{1,2}):(\d{2})")


def wx_text(raw: object) -> str:
    """A text as WeChat's APIs return it (HTML-escaped, ``&nbsp;`` for spaces), cleaned."""
    return clean_text(html_lib.unescape(str(raw or "")))


def biz_of(url: str) -> str:
    """The ``__biz`` of an article link (``""`` for a short ``/s/…`` link)."""
    try:
        return (parse_qs(urlsplit(html_lib.unescape(url or "")).query).get("__biz") or [""])[0]
    except ValueError:
        return ""


def page_minute(text: str, tz: tzinfo) -> datetime:
    """The publish time a page shows, ``2025年06月03日 18:30`` (local time, minutes only)."""
    m = _PAGE_DATE.search(text or "")
    if not m:
        raise BadTime(f"发布时间无法识别：{(text or '').strip()[:40]!r}")
    y, mo, d, h, mi = map(int, m.groups())
    try:
        return datetime(y, mo, d, h, mi, tzinfo=tz)
    except ValueError:
        raise BadTime(f"发布时间无效：{m.group(0)!r}") from None


def article_key(published: datetime, title: str) -> str:
    """An article's identity: its publish minute and its title (see the module docstring)."""
    minute = int(published.timestamp()) // 60 * 60
    return f"a:{minute}:{content_hash(clean_text(title))[:16]}"


def strip_reply_to(text: str, names: list[str] | tuple[str, ...]) -> tuple[str, str]:
    """A reply's text without the 「回复 某人:」 a layout writes in front of it, and that person.

    Only a name known in the thread (the comment's author, an earlier replier, the account) is
    taken, so a reply that merely starts with 「回复」 keeps its text."""
    t = text.lstrip()
    if not t.startswith("回复"):
        return t, ""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        m = re.match(r"回复\s*" + re.escape(name) + r"\s*[:：]\s*", t)
        if m:
            return t[m.end():], name
    return t, ""


@dataclass(slots=True)
class ArticleHead:
    """What a layout says about one article."""

    account: str  # the account's name ("" when the layout does not say)
    biz: str  # the account's __biz ("" when the layout does not say)
    title: str
    published: datetime
    author: str = ""
    text: str = ""
    url: str = ""
    likes: int = 0
    comments: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def chat_id(self) -> str:
        return self.biz or self.account

    @property
    def chat_name(self) -> str:
        return self.account or self.biz

    @property
    def key(self) -> str:
        return article_key(self.published, self.title)

    def record(self) -> ChatRecord:
        title = clean_text(self.title)
        extra = {"account": self.chat_name, **({"biz": self.biz} if self.biz else {}), **self.extra}
        post = Post(source_id="", source_kind=SourceKind.WECHAT_ARTICLE, text=self.text or title, title=title,
                    created_at=self.published, author=self.author or self.account, native_id=self.key,
                    url=self.url, thread_id=self.key, likes=self.likes, replies=self.comments, extra=extra)
        return ChatRecord(post=post, chat_id=self.chat_id, chat_name=self.chat_name, kind=SourceKind.WECHAT_ARTICLE)


class Thread:
    """An article's comments and replies: their identities (numbered by occurrence) and records."""

    def __init__(self, head: ArticleHead):
        self.head = head
        self._seen: Counter = Counter()

    def _native(self, prefix: str, parent: str, author: str, text: str) -> str:
        h = content_hash(f"{author}\x1f{text}")[:16]
        n = self._seen[(parent, h)]
        self._seen[(parent, h)] += 1
        return f"{prefix}:{parent}:{h}:{n}"

    def comment(self, *, author: str, text: str, created: datetime, likes: int = 0, author_id: str = "",
                replies: int = 0, precision: str = "", extra: dict | None = None) -> ChatRecord:
        """A featured comment (``text`` already cleaned); ``precision`` marks a time the layout does
        not give to the second (``day``: the date only; ``unknown``: none, the article's time)."""
        native = self._native("c", self.head.key, author, text)
        return self._record(native, self.head.key, author=author, text=text, created=created, likes=likes,
                            author_id=author_id, replies=replies, precision=precision,
                            extra={"article": clean_text(self.head.title), **(extra or {})})

    def reply(self, parent: ChatRecord, *, author: str, text: str, created: datetime, likes: int = 0,
              author_id: str = "", by_account: bool = False, reply_to: str = "", precision: str = "",
              extra: dict | None = None) -> ChatRecord:
        """A reply to ``parent`` (a comment record)."""
        pid = parent.post.native_id or ""
        native = self._native("r", pid, author, text)
        more = {"account_reply": by_account, "reply_to": reply_to or parent.post.author, **(extra or {})}
        return self._record(native, pid, author=author, text=text, created=created, likes=likes,
                            author_id=author_id, replies=0, precision=precision, extra=more)

    def _record(self, native: str, parent: str, *, author: str, text: str, created: datetime, likes: int,
                author_id: str, replies: int, precision: str, extra: dict) -> ChatRecord:
        if precision:
            extra["time_precision"] = precision
        post = Post(source_id="", source_kind=SourceKind.WECHAT_COMMENT, text=text, created_at=created,
                    author=author, author_id=author_id, native_id=native, thread_id=self.head.key,
                    url=self.head.url, likes=likes, replies=replies, extra=extra)
        return ChatRecord(post=post, chat_id=self.head.chat_id, chat_name=self.head.chat_name,
                          kind=SourceKind.WECHAT_ARTICLE, parent_native=parent)


def to_int(v: object) -> int:
    try:
        return int(str(v).strip() or 0)
    except (TypeError, ValueError):
        return 0
