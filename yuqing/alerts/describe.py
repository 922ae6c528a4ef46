"""What an issue says about its posts: title, summary, severity, topic, unit and method. Pure."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..casework.method import Evidence, suggest
from ..casework.routing import route
from ..orgtree import OrgTree
from ..pii import mask_pii
from ..schema import RISKS, TOPICS, Event, Risk, Sentiment, Severity, StoredPost
from .rules.expr import fold

_NOT_WORD = re.compile(r"[\W_]+")

#: This many high-risk posts make an issue high severity whatever the rules said.
HIGH_RISK_POSTS = 3
#: The event's label names the issue when the event holds at least this share of its posts.
EVENT_TITLE_SHARE = 0.5


@dataclass
class Description:
    title: str
    summary: str
    severity: str
    topic: str
    unit: str
    method: str
    method_reason: str


def sentiment_mix(posts: list[StoredPost]) -> dict[str, float]:
    c = Counter(str(sp.analysis.sentiment) for sp in posts if sp.analysis)
    n = sum(c.values()) or 1
    return {k: c[k] / n for k in ("negative", "neutral", "positive")}


def top_keywords(posts: list[StoredPost], n: int = 6) -> list[str]:
    c = Counter(k for sp in posts if sp.analysis for k in sp.analysis.keywords)
    return [k for k, _ in c.most_common(n)]


def representative(posts: list[StoredPost], n: int = 3) -> list[StoredPost]:
    """The posts to quote first: high risk, negative, much liked/replied, then newest; a text
    forwarded several times (punctuation aside) is quoted once."""
    def score(sp: StoredPost):
        a = sp.analysis
        risk = RISKS.index(a.risk) if a and a.risk in RISKS else 0
        neg = a.sentiment_scores.get(Sentiment.NEGATIVE, 0) if a else 0
        return (risk, round(neg or 0, 1), sp.post.likes + sp.post.replies, sp.post.created_at)
    out: list[StoredPost] = []
    seen: set[str] = set()
    for sp in sorted(posts, key=score, reverse=True):
        key = _NOT_WORD.sub("", fold(sp.post.text))
        if key in seen:
            continue
        seen.add(key)
        out.append(sp)
        if len(out) == n:
            break
    return out


def snippet(text: str, n: int = 60) -> str:
    """One line of masked text for titles, summaries and e-mails."""
    s = " ".join(mask_pii(text).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def evidence(sp: StoredPost) -> Evidence:
    """A post as the method suggestion reads it."""
    a = sp.analysis
    if a is None:
        return Evidence(sp.post.text)
    return Evidence(sp.post.text, a.topic, str(a.sentiment), str(a.risk))


def describe(posts: list[StoredPost], tree: OrgTree, *, rule_severity: str, reasons: list[str],
             event: Event | None = None, tz=None) -> Description:
    topics = Counter(sp.analysis.topic for sp in posts if sp.analysis)
    topic = (event.topic if event and event.topic != "other" else None) or (topics.most_common(1)[0][0] if topics else "other")
    unit = route([sp.unit for sp in posts], tree)
    mix = sentiment_mix(posts)
    risks = Counter(str(sp.analysis.risk) for sp in posts if sp.analysis)
    severity = rule_severity
    if risks[Risk.HIGH] >= HIGH_RISK_POSTS and severity != Severity.HIGH:
        severity = Severity.HIGH
    kws = top_keywords(posts)
    suggestion = suggest([evidence(sp) for sp in sorted(posts, key=lambda sp: sp.post.created_at)])
    method, reason = suggestion.method, suggestion.reason
    unit_name = tree.name(unit)
    in_event = sum(1 for sp in posts if event and sp.analysis and sp.analysis.event_id == event.id)
    if event and event.label and in_event >= EVENT_TITLE_SHARE * len(posts):
        title = f"{unit_name} · {snippet(event.label, 40)}"
    else:
        what = "、".join(kws[:3]) or TOPICS.get(topic, topic)
        title = f"{unit_name} · {TOPICS.get(topic, '其他')}：{what}"
    times = sorted(sp.post.created_at for sp in posts)
    fmt = (lambda d: d.astimezone(tz).strftime("%m-%d %H:%M")) if tz else (lambda d: d.strftime("%m-%d %H:%M"))
    span = f"{fmt(times[0])} 至 {fmt(times[-1])}" if times else ""
    quotes = "；".join(f"「{snippet(sp.post.text)}」" for sp in representative(posts, 2))
    summary = (f"{len(posts)} 条帖子（负面 {mix['negative']:.0%}），{span}。"
               f"{'；'.join(reasons[:3])}。"
               + (f"关键词：{'、'.join(kws)}。" if kws else "")
               + (f"代表性内容：{quotes}" if quotes else ""))
    return Description(title=title, summary=summary, severity=severity, topic=topic, unit=unit, method=method,
                       method_reason=reason)

