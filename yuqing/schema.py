"""The one post schema, and the small value types every stage shares.

A :class:`Post` is what a crawler or an export parser produces and what storage keeps. An
:class:`Analysis` is what the NLP adds to a post. Nothing here does IO.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from enum import StrEnum


class SourceKind(StrEnum):
    """Where a post came from. Stored as the string value."""

    WECHAT_GROUP = "wechat_group"  # 微信群聊天记录导出
    WECHAT_ARTICLE = "wechat_article"  # 公众号文章（正文）
    WECHAT_COMMENT = "wechat_comment"  # 公众号文章的精选留言及作者回复
    FORUM = "forum"  # 论坛（Discuz!/Discourse/站点配置）
    RSS = "rss"  # RSS/Atom


SOURCE_KIND_LABELS = {
    SourceKind.WECHAT_GROUP: "微信群",
    SourceKind.WECHAT_ARTICLE: "公众号文章",
    SourceKind.WECHAT_COMMENT: "公众号留言",
    SourceKind.FORUM: "论坛",
    SourceKind.RSS: "RSS",
}


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


SENTIMENT_LABELS = {Sentiment.NEGATIVE: "负面", Sentiment.NEUTRAL: "中性", Sentiment.POSITIVE: "正面"}


class Risk(StrEnum):
    NONE = "none"
    MEDIUM = "medium"
    HIGH = "high"


RISK_LABELS = {Risk.NONE: "无", Risk.MEDIUM: "中", Risk.HIGH: "高"}

#: Topic codes (issue #4) and their Chinese names, in display order.
TOPICS: dict[str, str] = {
    "wages": "薪酬待遇",
    "safety": "安全生产",
    "labor": "劳动关系",
    "insurance": "社保福利",
    "living": "生活后勤",
    "reform": "改革政策",
    "cadre": "干部作风",
    "health": "职业健康",
    "skills": "技能发展",
    "culture": "文体活动",
    "assistance": "帮扶救助",
    "models": "先进典型",
    "other": "其他",
}

#: Issue severities, lowest first.
SEVERITIES = ("low", "medium", "high")
SEVERITY_LABELS = {"low": "一般", "medium": "较重", "high": "严重"}


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("post timestamps must be timezone-aware")
    return dt.astimezone(timezone.utc)


def normalise_for_hash(text: str) -> str:
    """Text folded for content hashing: NFKC, no whitespace, lower case."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(folded.split())


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_for_hash(text).encode("utf-8")).hexdigest()


def make_post_id(source_id: str, native_id: str | None, *, fallback: str = "") -> str:
    """The stable post id.

    ``source_id`` + the source's own message/post id when it has one, otherwise
    ``source_id`` + a hash of ``fallback`` (author, time and text, say). The same record
    imported twice, from any file or crawl, gets the same id.
    """
    key = native_id if native_id else "h:" + hashlib.sha1(fallback.encode("utf-8")).hexdigest()
    digest = hashlib.sha1(f"{source_id}\x1f{key}".encode("utf-8")).hexdigest()[:20]
    return f"p_{digest}"


@dataclass(slots=True)
class Post:
    """One thing a worker (or an account) said, from any source.

    ``source_id`` names a configured or auto-created source (a chat, an account, a forum).
    ``native_id`` is the source's own id for the record (message id, post id, comment id).
    ``thread_id`` groups a conversation (chat room, forum thread, article) and ``parent_id``
    points at the post this one replies to or quotes (a post id in this schema).
    ``created_at`` is timezone-aware; storage keeps UTC.
    """

    source_id: str
    source_kind: SourceKind
    text: str
    created_at: datetime
    author: str = ""
    author_id: str = ""
    native_id: str | None = None
    title: str = ""
    url: str = ""
    thread_id: str = ""
    parent_id: str = ""
    likes: int = 0
    replies: int = 0
    #: Detected personal data spans: ``[{"kind": "phone", "start": 3, "end": 14}]``.
    pii: list[dict] = field(default_factory=list)
    #: Anything source-specific worth keeping (chat name, quoted text, article id …).
    extra: dict = field(default_factory=dict)
    id: str = ""
    content_hash: str = ""

    def __post_init__(self) -> None:
        self.source_kind = SourceKind(self.source_kind)
        self.created_at = _utc(self.created_at)
        if not self.content_hash:
            self.content_hash = content_hash(self.text)
        if not self.id:
            fallback = "" if self.native_id else (
                f"{self.author_id or self.author}\x1f{self.created_at.isoformat()}\x1f{self.text}")
            self.id = make_post_id(self.source_id, self.native_id, fallback=fallback)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["source_kind"] = str(self.source_kind)
        d["created_at"] = self.created_at.isoformat()
        return d


@dataclass(slots=True)
class Analysis:
    """What the NLP says about one post."""

    post_id: str
    sentiment: Sentiment
    sentiment_scores: dict[str, float]
    topic: str
    topics: list[str] = field(default_factory=list)
    risk: Risk = Risk.NONE
    keywords: list[str] = field(default_factory=list)
    #: Tokens for full-text search (the one tokenizer's output).
    tokens: list[str] = field(default_factory=list)
    simhash: int = 0
    event_id: str = ""
    model_version: str = ""

    def __post_init__(self) -> None:
        self.sentiment = Sentiment(self.sentiment)
        self.risk = Risk(self.risk)
        if self.topic not in TOPICS:
            raise ValueError(f"unknown topic code {self.topic!r}")


@dataclass(slots=True)
class Source:
    """A chat, an official account, a forum or a feed, owned by one union unit.

    ``match`` holds the identifiers an import uses to recognise the source: chat room ids
    (``…@chatroom``), chat names, account names, a forum's base URL. A source created by an
    import that matched nothing has ``status = "pending"`` and no unit until staff assign it.
    """

    id: str
    name: str
    kind: SourceKind
    unit: str = ""
    match: list[str] = field(default_factory=list)
    url: str = ""
    status: str = "active"  # active | pending | disabled
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.kind = SourceKind(self.kind)


@dataclass(slots=True)
class Unit:
    """A node of the union's organisation tree (group → subsidiary → third-level unit → 区科)."""

    code: str
    name: str
    parent: str = ""
    level: int = 1


@dataclass(slots=True)
class QuarantineRecord:
    """A record that could not be imported, with a reason a person can read."""

    origin: str  # file path or URL
    position: str  # "第 12 行", "byte 3000", "thread 55 page 2" …
    reason: str
    raw: str = ""
    source_id: str = ""

#: Triage (issue #16): what monitoring staff or a cadre decided about a post or a matter (event).
#: Stored as the key; ``""`` means no mark (a mark cleared). 关注 is highlighted, the other three
#: are "handled" and hidden from lists by default.
TRIAGE_MARKS: dict[str, str] = {"handled": "已处置", "false_alarm": "误报", "ignored": "忽略", "watch": "关注"}
TRIAGE_HIDDEN = ("handled", "false_alarm", "ignored")
#: What a triage can be about.
TRIAGE_KINDS = ("post", "event")
#: How lists treat triaged posts (the search page's ``triage`` URL parameter): ``hide`` (default)
#: leaves out posts marked 已处置/误报/忽略, ``all`` shows everything, ``only-open`` shows only posts
#: nobody has marked yet.
TRIAGE_MODES = ("hide", "all", "only-open")
TRIAGE_MODE_LABELS = {"hide": "隐藏已处置/误报/忽略", "all": "全部（含已处置）", "only-open": "只看未标注"}


@dataclass
class TriageMark:
    """One triage decision about a post or an event (``kind``), as a line of its history or as its
    current mark. ``mark`` is a key of :data:`TRIAGE_MARKS`, or ``""`` when the mark was cleared."""

    kind: str
    target: str
    mark: str
    actor: str
    at: datetime
    note: str = ""
    unit: str = ""

    @property
    def label(self) -> str:
        return TRIAGE_MARKS.get(self.mark, "未标注")

    @property
    def hidden(self) -> bool:
        return self.mark in TRIAGE_HIDDEN


@dataclass
class Subject:
    """A 专题: a saved search the staff follow — a keyword expression in the alert rules' language
    (AND/OR/NOT, quoted phrases, NEAR/n), the units (each with its subtree) and sources it covers
    (empty = all in the viewer's scope). ``unit`` is whose 专题 it is ("" = the whole organisation);
    ``rule`` names the alert rule made from it. ``version`` grows with every change."""

    name: str
    query: str
    units: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unit: str = ""
    owner: str = ""
    rule: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    id: int | None = None
