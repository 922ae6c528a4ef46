"""From rule matches to issue drafts: one per event (or per fallback key). Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from ..schema import SEVERITIES
from ..storage.base import StoredPost
from .rules import Match


@dataclass
class IssueDraft:
    """What the engine will raise or add to: the posts, the rules that fired and why."""

    event_id: str = ""
    group_key: str = ""
    kind: str = "opinion"
    severity: str = "low"
    #: Other events with several posts in the same matches (an open issue of any of them is this one).
    related_events: list[str] = field(default_factory=list)
    post_ids: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    first_at: datetime | None = None

    @property
    def key(self) -> str:
        return f"event:{self.event_id}" if self.event_id else f"group:{self.group_key}"


def fallback_key(topic: str, unit: str, at: datetime, tz: tzinfo) -> str:
    """Topic + unit + ISO week (local time): posts without a clear event share an issue per week,
    whichever rules matched them."""
    year, week, _ = at.astimezone(tz).isocalendar()
    return f"{topic or 'other'}|{unit or '-'}|{year}-W{week:02d}"


def strong_events(posts: list[StoredPost]) -> list[str]:
    """Events that account for a real part of the posts (≥ 2 posts and ≥ 20 %), most posts first.
    The NLP gives every post an event, often a one-post one; those do not define an issue."""
    events = Counter(sp.analysis.event_id for sp in posts if sp.analysis and sp.analysis.event_id)
    if len(posts) == 1 and events:
        return list(events)
    return [e for e, n in events.most_common() if n >= 2 and n >= 0.2 * len(posts)]


def group_matches(matches: list[Match], posts: dict[str, StoredPost], tz: tzinfo) -> list[IssueDraft]:
    """Group matches into drafts: by the main event of each match's posts (matches sharing an
    event merge), else by ``match.key`` (source health), else by :func:`fallback_key`.
    Severity is the highest of the matches'."""
    drafts: dict[str, IssueDraft] = {}
    by_event: dict[str, IssueDraft] = {}
    for m in sorted(matches, key=lambda m: m.at):
        mposts = [posts[i] for i in m.post_ids if i in posts]
        events = ([m.event_id] if m.event_id else []) + (strong_events(mposts) if m.kind == "opinion" else [])
        events = list(dict.fromkeys(events))
        d = next((by_event[e] for e in events if e in by_event), None)
        if d is None:
            if events:
                d = IssueDraft(event_id=events[0])
            else:
                d = IssueDraft(group_key=m.key or fallback_key(m.topic, m.unit, m.at, tz), kind=m.kind)
            d = drafts.setdefault(d.key, d)
        for e in events:
            by_event.setdefault(e, d)
            if e != d.event_id and e not in d.related_events:
                d.related_events.append(e)
        seen = set(d.post_ids)
        d.post_ids.extend(i for i in m.post_ids if i not in seen)
        if m.rule not in d.rules:
            d.rules.append(m.rule)
        if m.reason and m.reason not in d.reasons:
            d.reasons.append(m.reason)
        if SEVERITIES.index(m.severity) > SEVERITIES.index(d.severity):
            d.severity = m.severity
        d.first_at = min(d.first_at or m.at, m.at)
    return list(drafts.values())
