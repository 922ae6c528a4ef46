"""What every rule type shares: the match it returns, the context it reads, post filters,
durations and sliding-window counting. Pure: no IO."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...schema import Analysis, IssueKind, Severity, Source, StoredPost
from .expr import Node, fold, parse

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """``"30m"``, ``"6h"``, ``"2d"``, ``"1w"`` → timedelta (the schema has checked the form)."""
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(f"not a duration: {text!r}")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


@dataclass
class Match:
    """One thing a rule found: the posts that show it, and how serious the rule thinks it is."""

    rule: str
    post_ids: list[str]
    severity: str
    at: datetime
    reason: str
    kind: str = IssueKind.OPINION  # opinion | source_health
    topic: str = ""
    unit: str = ""
    event_id: str = ""
    #: For matches that are not about posts' content (flatline): the grouping key and the title.
    key: str = ""
    title: str = ""


@dataclass
class RuleContext:
    """What a rule may look at besides the new posts.

    ``history`` holds every analysed post from ``lookback`` before the oldest new post up to the
    newest one, oldest first, the new posts included. ``now`` is the newest post's time (windows
    are measured on post timestamps so a replay behaves like a live run).
    """

    history: list[StoredPost]
    now: datetime
    sources: list[Source] = field(default_factory=list)


@dataclass
class PostFilter:
    """Which posts a rule looks at (empty lists = any)."""

    sentiment: Sequence[str] = ()
    topic: Sequence[str] = ()
    unit: Sequence[str] = ()
    source: Sequence[str] = ()
    source_kind: Sequence[str] = ()
    risk: Sequence[str] = ()

    @classmethod
    def from_spec(cls, spec: dict | None) -> PostFilter:
        return cls(**{k: tuple(v) for k, v in (spec or {}).items()})

    def __call__(self, sp: StoredPost) -> bool:
        a = sp.analysis
        if a is None:
            return False
        checks = ((self.sentiment, str(a.sentiment)), (self.topic, a.topic), (self.unit, sp.unit),
                  (self.source, sp.post.source_id), (self.source_kind, str(sp.post.source_kind)),
                  (self.risk, str(a.risk)))
        return all(not allowed or value in allowed for allowed, value in checks)


def text_of(sp: StoredPost) -> str:
    return fold(f"{sp.post.title} {sp.post.text}")


class Rule:
    """Base of the rule types. Subclasses set ``type_name`` and implement :meth:`evaluate`."""

    type_name = ""

    def __init__(self, spec: dict):
        self.spec = spec
        self.name: str = spec["name"]
        self.description: str = spec.get("description", self.name)
        self.severity: str = spec.get("severity", Severity.MEDIUM)
        self.filter = PostFilter.from_spec(spec.get("filter"))
        self.options: dict = spec.get(self.type_name, {}) or {}
        q = self.options.get("query")
        self.query: Node | None = parse(q) if q else None

    def lookback(self) -> timedelta:
        """How much history before the new posts the rule needs."""
        return timedelta(0)

    @staticmethod
    def analysis(sp: StoredPost) -> Analysis:
        """The post's analysis: rules only see analysed posts (``Store.alert_candidates``)."""
        if sp.analysis is None:
            raise ValueError(f"post {sp.post.id} has not been analysed")
        return sp.analysis

    def wanted(self, sp: StoredPost) -> bool:
        return self.filter(sp) and (self.query is None or self.query.matches(text_of(sp)))

    def evaluate(self, posts: list[StoredPost], context: RuleContext) -> list[Match]:
        raise NotImplementedError

    def match(self, posts: Iterable[StoredPost], at: datetime, reason: str, **kw) -> Match:
        posts = list(posts)
        return Match(rule=self.name, post_ids=[sp.post.id for sp in posts], severity=self.severity, at=at,
                     reason=reason, **kw)


def group_key(sp: StoredPost, by: str) -> str:
    """The value posts are grouped by in windowed rules."""
    a = sp.analysis
    if by == "event":
        return (a.event_id if a else "") or f"unit:{sp.unit}"
    if by == "unit":
        return sp.unit
    if by == "topic":
        return a.topic if a else ""
    if by == "source":
        return sp.post.source_id
    if by == "thread":
        return f"{sp.post.source_id}/{sp.post.thread_id}"
    return "*"


def grouped(posts: Iterable[StoredPost], by: str) -> dict[str, list[StoredPost]]:
    out: dict[str, list[StoredPost]] = {}
    for sp in posts:
        out.setdefault(group_key(sp, by), []).append(sp)
    return out


class Window:
    """Posts of one group sorted by time, with O(log n) range lookups."""

    def __init__(self, posts: Iterable[StoredPost]):
        self.posts = sorted(posts, key=lambda sp: sp.post.created_at)
        self.times = [sp.post.created_at for sp in self.posts]

    def between(self, start: datetime, end: datetime) -> list[StoredPost]:
        """Posts with ``start < created_at <= end``."""
        return self.posts[bisect.bisect_right(self.times, start):bisect.bisect_right(self.times, end)]

    def count(self, start: datetime, end: datetime) -> int:
        return bisect.bisect_right(self.times, end) - bisect.bisect_right(self.times, start)


def eval_points(new_posts: Iterable[StoredPost], step: timedelta = timedelta(hours=1)) -> list[datetime]:
    """Times at which windowed rules are checked: the latest new post in each ``step`` bucket."""
    latest: dict[int, datetime] = {}
    secs = step.total_seconds()
    for sp in new_posts:
        t = sp.post.created_at
        b = int(t.timestamp() // secs)
        if b not in latest or t > latest[b]:
            latest[b] = t
    return sorted(latest.values())


def episodes(points: Sequence[datetime], window: timedelta,
             firing: Callable[[datetime], list[StoredPost] | None]) -> list[tuple[datetime, list[StoredPost]]]:
    """Check ``firing(t)`` at each point; consecutive firings less than ``window`` apart are one
    episode (its posts merged, its time the first firing), so a lasting condition is one match."""
    out: list[tuple[datetime, list[StoredPost]]] = []
    last: datetime | None = None
    for t in points:
        posts = firing(t)
        if posts is None:
            continue
        if last is not None and out and t - last <= window:
            seen = {sp.post.id for sp in out[-1][1]}
            out[-1][1].extend(sp for sp in posts if sp.post.id not in seen)
        else:
            out.append((t, list(posts)))
        last = t
    return out


def _most_common(values: list[str]) -> str:
    values = [v for v in values if v]
    return max(sorted(set(values)), key=values.count) if values else ""


def topic_of(posts: Iterable[StoredPost]) -> str:
    """The most common topic of the posts."""
    return _most_common([sp.analysis.topic for sp in posts if sp.analysis])


def unit_of(posts: Iterable[StoredPost]) -> str:
    """The most common unit of the posts."""
    return _most_common([sp.unit for sp in posts])
