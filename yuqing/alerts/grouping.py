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
    post_ids: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    first_at: datetime | None = None

    @property
    def key(self) -> str:
        return f"event:{self.event_id}" if self.event_id else f"group:{self.group_key}"


def fallback_key(rule: str, topic: str, unit: str, at: datetime, tz: tzinfo) -> str:
    """Rule + topic + unit + ISO week (local time): posts without an event share an issue per week."""
    year, week, _ = at.astimezone(tz).isocalendar()
    return f"{rule}|{topic or 'other'}|{unit or '-'}|{year}-W{week:02d}"


def dominant_event(posts: list[StoredPost]) -> str:
    events = Counter(sp.analysis.event_id for sp in posts if sp.analysis and sp.analysis.event_id)
    return events.most_common(1)[0][0] if events else ""


def group_matches(matches: list[Match], posts: dict[str, StoredPost], tz: tzinfo) -> list[IssueDraft]:
    """Group matches: by the dominant event of each match's posts, else by ``match.key``, else by
    :func:`fallback_key`. Severity is the highest of the matches'."""
    drafts: dict[str, IssueDraft] = {}
    for m in sorted(matches, key=lambda m: m.at):
        mposts = [posts[i] for i in m.post_ids if i in posts]
        event_id = m.event_id or (dominant_event(mposts) if m.kind == "opinion" else "")
        if event_id:
            d = IssueDraft(event_id=event_id)
        else:
            d = IssueDraft(group_key=m.key or fallback_key(m.rule, m.topic, m.unit, m.at, tz), kind=m.kind)
        d = drafts.setdefault(d.key, d)
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
