"""From rule matches to issue drafts: one per event (or per fallback key). Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from ..schema import IssueKind, Severity, StoredPost, severity_rank
from .rules import Match
from .rules.base import topic_of, unit_of

#: A lone post's event defines an issue only when the event has at least this many posts.
MIN_EVENT_SIZE = 3
#: Matches sharing this share of the smaller one's posts are about the same matter.
SHARED_POSTS = 0.2
#: Drafts of one topic in related units whose posts are this close in time are one matter.
SAME_MATTER_GAP = timedelta(days=5)


@dataclass
class IssueDraft:
    """What the engine will raise or add to: the posts, the rules that fired and why."""

    event_id: str = ""
    group_key: str = ""
    kind: str = IssueKind.OPINION
    severity: str = Severity.LOW
    #: Other events with several posts in the same matches (an open issue of any of them is this one).
    related_events: list[str] = field(default_factory=list)
    post_ids: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    first_at: datetime | None = None
    #: Set by rules that name the issue themselves (source health).
    title: str = ""

    @property
    def key(self) -> str:
        return f"event:{self.event_id}" if self.event_id else f"group:{self.group_key}"


def fallback_key(topic: str, unit: str, at: datetime, tz: tzinfo) -> str:
    """Topic + unit + ISO week (local time): posts without a clear event share an issue per week,
    whichever rules matched them."""
    year, week, _ = at.astimezone(tz).isocalendar()
    return f"{topic or 'other'}|{unit or '-'}|{year}-W{week:02d}"


def strong_events(posts: list[StoredPost], event_sizes: dict[str, int] | None = None) -> list[str]:
    """Events that account for a real part of the posts (≥ 2 posts and ≥ 20 %), most posts first.
    The NLP gives every post an event, often a one-post one; those do not define an issue. A lone
    post's event counts when ``event_sizes`` says it has at least :data:`MIN_EVENT_SIZE` posts."""
    events = Counter(sp.analysis.event_id for sp in posts if sp.analysis and sp.analysis.event_id)
    if len(posts) == 1:
        return [e for e in events if (event_sizes or {}).get(e, 0) >= MIN_EVENT_SIZE]
    return [e for e, n in events.most_common() if n >= 2 and n >= 0.2 * len(posts)]


def _related(a: set[str], b: set[str]) -> bool:
    """Two matches are about the same matter when they share enough posts."""
    shared = len(a & b)
    return shared >= 2 and shared >= SHARED_POSTS * min(len(a), len(b))


def group_matches(matches: list[Match], posts: dict[str, StoredPost], tz: tzinfo,
                  event_sizes: dict[str, int] | None = None,
                  related_units: Callable[[str, str], bool] | None = None) -> list[IssueDraft]:
    """Group matches into drafts, one per matter: matches that share an event or enough posts
    are one draft (whatever their order); a draft is keyed by its main event, else by
    ``match.key`` (source health), else by :func:`fallback_key`. Severity is the highest.
    With ``related_units``, drafts of the same topic, overlapping in time, in units one above
    the other (a mine's chats and the group's account) are merged too."""
    matches = sorted(matches, key=lambda m: m.at)
    parent = list(range(len(matches)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    events: list[list[str]] = []
    id_sets: list[set[str]] = []
    for m in matches:
        mposts = [posts[i] for i in m.post_ids if i in posts]
        ev = ([m.event_id] if m.event_id else []) + (strong_events(mposts, event_sizes) if m.kind == IssueKind.OPINION else [])
        events.append(list(dict.fromkeys(ev)))
        id_sets.append(set(m.post_ids))
    first_with_event: dict[str, int] = {}
    for i, m in enumerate(matches):
        for e in events[i]:
            if e in first_with_event:
                union(i, first_with_event[e])
            else:
                first_with_event[e] = i
        for j in range(i):
            if m.kind == matches[j].kind == IssueKind.OPINION and find(i) != find(j) and _related(id_sets[i], id_sets[j]):
                union(i, j)
    components: dict[int, list[int]] = {}
    for i in range(len(matches)):
        components.setdefault(find(i), []).append(i)
    drafts: dict[str, IssueDraft] = {}
    for idx in components.values():
        d = _draft([matches[i] for i in idx], [e for i in idx for e in events[i]], posts, tz)
        if d.key in drafts:  # e.g. two unrelated bursts of one unit's topic in the same week
            _merge(drafts[d.key], d)
        else:
            drafts[d.key] = d
    out = list(drafts.values())
    return _merge_same_matter(out, posts, related_units) if related_units else out


def profile(d: IssueDraft, posts: dict[str, StoredPost]) -> tuple[str, str, datetime, datetime] | None:
    """(topic, unit, first post, last post) of an opinion draft with a definite topic."""
    ps = [posts[i] for i in d.post_ids if i in posts]
    topic = topic_of(ps)
    if d.kind != IssueKind.OPINION or not ps or topic in ("", "other"):
        return None
    times = [sp.post.created_at for sp in ps]
    return topic, unit_of(ps), min(times), max(times)


def same_matter(a, b, related_units: Callable[[str, str], bool]) -> bool:
    """Two profiles (see :func:`profile`) describe one matter."""
    return (a[0] == b[0] and related_units(a[1], b[1])
            and a[2] - SAME_MATTER_GAP <= b[3] and b[2] - SAME_MATTER_GAP <= a[3])


def _merge_same_matter(drafts: list[IssueDraft], posts: dict[str, StoredPost],
                       related_units: Callable[[str, str], bool]) -> list[IssueDraft]:
    drafts = sorted(drafts, key=lambda d: (not d.event_id, -len(d.post_ids)))  # keep the best key
    kept: list[tuple[IssueDraft, tuple | None]] = []
    for d in drafts:
        p = profile(d, posts)
        target = next((k for k, kp in kept if p and kp and same_matter(p, kp, related_units)), None)
        if target is None:
            kept.append((d, p))
            continue
        _merge(target, d)
        if d.event_id and d.event_id not in target.related_events and d.event_id != target.event_id:
            target.related_events.append(d.event_id)
    return [d for d, _ in kept]


def _merge(into: IssueDraft, d: IssueDraft) -> None:
    seen = set(into.post_ids)
    into.post_ids.extend(i for i in d.post_ids if i not in seen)
    into.rules.extend(r for r in d.rules if r not in into.rules)
    into.reasons.extend(r for r in d.reasons if r not in into.reasons)
    into.related_events.extend(e for e in d.related_events if e not in into.related_events)
    if severity_rank(d.severity) > severity_rank(into.severity):
        into.severity = d.severity
    into.first_at = min(into.first_at, d.first_at) if into.first_at and d.first_at else into.first_at or d.first_at


def _draft(ms: list[Match], events: list[str], posts: dict[str, StoredPost], tz: tzinfo) -> IssueDraft:
    ranked = [e for e, _ in Counter(events).most_common()]
    d = IssueDraft(kind=ms[0].kind, title=next((m.title for m in ms if m.title), ""))
    for m in ms:
        seen = set(d.post_ids)
        d.post_ids.extend(i for i in m.post_ids if i not in seen)
        if m.rule not in d.rules:
            d.rules.append(m.rule)
        if m.reason and m.reason not in d.reasons:
            d.reasons.append(m.reason)
        if severity_rank(m.severity) > severity_rank(d.severity):
            d.severity = m.severity
        d.first_at = min(d.first_at or m.at, m.at)
    if ranked:
        d.event_id, d.related_events = ranked[0], ranked[1:]
    else:
        keyed = next((m.key for m in ms if m.key), "")
        mposts = [posts[i] for i in d.post_ids if i in posts]
        d.group_key = keyed or fallback_key(topic_of(mposts) or ms[0].topic, unit_of(mposts) or ms[0].unit,
                                            d.first_at or ms[0].at, tz)
    return d
