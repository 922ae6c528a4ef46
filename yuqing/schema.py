"""The one post schema, the value types every stage shares and the vocabularies they are written in.

A :class:`Post` is what a crawler or an export parser produces and what storage keeps. An
:class:`Analysis` is what the NLP adds to a post; a :class:`StoredPost` is a post as the store reads it
back. Every fixed set of words the project stores or compares (sentiment, risk, severity, role, the
status of a post, a source or an issue …) is one :class:`~enum.StrEnum` here: its members compare equal
to the stored strings and JSON-encode as them, so stores, files and e-mails are unchanged. Nothing here
does IO.
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


#: The sentiment classes in the models' order (negative first).
SENTIMENTS: tuple[Sentiment, ...] = tuple(Sentiment)
#: The same as plain strings: the class labels numpy arrays and scikit-learn models hold.
SENTIMENT_CLASSES: tuple[str, ...] = tuple(str(s) for s in SENTIMENTS)


SENTIMENT_LABELS = {Sentiment.NEGATIVE: "负面", Sentiment.NEUTRAL: "中性", Sentiment.POSITIVE: "正面"}


class Risk(StrEnum):
    """Risk levels, lowest first."""

    NONE = "none"
    MEDIUM = "medium"
    HIGH = "high"


RISKS: tuple[Risk, ...] = tuple(Risk)
#: A risk level as a rank, for sorting by heat: none 1, medium 2, high 3 (a post not analysed ranks 0).
RISK_RANK: dict[Risk, int] = {r: i + 1 for i, r in enumerate(RISKS)}


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

class Severity(StrEnum):
    """How serious an issue is; members are declared lowest first."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


#: Issue severities, lowest first.
SEVERITIES: tuple[Severity, ...] = tuple(Severity)
SEVERITY_LABELS = {Severity.LOW: "一般", Severity.MEDIUM: "较重", Severity.HIGH: "严重"}


def severity_rank(severity: str) -> int:
    """0 for ``low`` … 2 for ``high``; an unknown word ranks lowest."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


class IssueStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


ISSUE_STATUS_LABELS = {IssueStatus.OPEN: "未结", IssueStatus.CLOSED: "已办结"}


class IssueKind(StrEnum):
    """What raised an issue: workers' posts (``opinion``) or a source gone quiet (``source_health``)."""

    OPINION = "opinion"
    SOURCE_HEALTH = "source_health"


class Role(StrEnum):
    """A dashboard user's role. ``admin`` and ``monitor`` see every unit; a ``cadre`` works their unit's
    issues; a ``viewer`` only reads."""

    ADMIN = "admin"
    MONITOR = "monitor"
    CADRE = "cadre"
    VIEWER = "viewer"


ROLES: tuple[Role, ...] = tuple(Role)
ROLE_LABELS = {Role.ADMIN: "管理员", Role.MONITOR: "舆情监测员", Role.CADRE: "工会干部", Role.VIEWER: "只读用户"}
#: The roles that see every unit, personal data included, and may edit (labels, sources, rules, imports).
STAFF_ROLES: tuple[Role, ...] = (Role.ADMIN, Role.MONITOR)


class PostStatus(StrEnum):
    """A stored post's standing at its source: ``deleted`` (gone from the forum) or ``hidden`` (banned,
    hidden by a moderator, or waiting for review) since it was stored; anything else is ``live``."""

    LIVE = "live"
    DELETED = "deleted"
    HIDDEN = "hidden"


REMOVED_STATUSES: tuple[PostStatus, ...] = (PostStatus.DELETED, PostStatus.HIDDEN)
POST_STATUSES: tuple[PostStatus, ...] = tuple(PostStatus)


class SourceStatus(StrEnum):
    """``pending``: created by an import that matched no configured source, waiting for a unit."""

    ACTIVE = "active"
    PENDING = "pending"
    DISABLED = "disabled"


SOURCE_STATUSES: tuple[SourceStatus, ...] = tuple(SourceStatus)
SOURCE_STATUS_LABELS = {SourceStatus.ACTIVE: "正常", SourceStatus.PENDING: "待分配", SourceStatus.DISABLED: "停用"}


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
    digest = hashlib.sha1(f"{source_id}\x1f{key}".encode()).hexdigest()[:20]
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
    status: str = SourceStatus.ACTIVE
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


@dataclass
class StoredPost:
    """A post as read back from the store: the post, its unit and its analysis (if any).
    ``status`` is ``live`` unless the source has since deleted or hidden it (``status_reason`` says why)."""

    post: Post
    unit: str = ""
    analysis: Analysis | None = None
    imported_at: datetime | None = None
    status: str = PostStatus.LIVE
    status_reason: str = ""


@dataclass
class Event:
    """A concrete matter many posts talk about (grouped by the NLP's event detection)."""

    id: str
    label: str
    keywords: list[str] = field(default_factory=list)
    topic: str = "other"
    unit: str = ""
    first_at: datetime | None = None
    last_at: datetime | None = None
    size: int = 0
    negative: int = 0
    signature: int = 0


@dataclass
class ImportedFile:
    """The import ledger's entry for one file (found again by its content hash)."""

    content_hash: str
    path: str
    size: int
    posts: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped: int = 0
    fmt: str = ""


@dataclass
class Recipient:
    """Who receives alerts of a unit (and every unit below it) from ``min_severity`` up; ``digest``: also
    the weekly digest and the monthly report."""

    unit: str
    emails: list[str]
    min_severity: str = Severity.LOW
    digest: bool = False


@dataclass
class User:
    """A dashboard user (``role`` one of :class:`Role`; checked where the config is read)."""

    username: str
    role: str
    unit: str = ""
    name: str = ""
    email: str = ""
    #: argon2 hash; plain passwords never go in the file (use `yuqing users passwd`).
    password_hash: str = ""


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
