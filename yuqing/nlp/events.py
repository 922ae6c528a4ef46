"""Incremental event grouping: posts about the same concrete matter, across sources and days. Pure.

A new post joins an open event of the same topic whose last post is within ``window`` when its
SimHash is close to the event's signature (a repost) or it shares at least ``min_overlap``
keywords with the event; otherwise it starts a new event. The label is short Chinese built
from the topic name and the event's top keywords.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ..schema import TOPICS
from ..storage.base import Event
from .simhash import REPOST_DISTANCE, hamming

MAX_KEYWORDS = 8


@dataclass(frozen=True)
class EventInput:
    """What event grouping needs to know about one analysed post."""

    post_id: str
    created_at: datetime
    topic: str
    keywords: tuple[str, ...]
    simhash: int
    negative: bool = False
    unit: str = ""


@dataclass
class EventGrouper:
    """Holds the open events; :meth:`add` assigns one post. Feed posts oldest first."""

    events: list[Event] = field(default_factory=list)
    window: timedelta = timedelta(days=7)
    min_overlap: int = 2
    max_distance: int = REPOST_DISTANCE
    changed: dict[str, Event] = field(default_factory=dict)

    def add(self, item: EventInput) -> str:
        """The id of the event ``item`` joins (an existing one or a new one)."""
        best, best_key = None, None
        kw = set(item.keywords)
        for ev in self.events:
            if ev.topic != item.topic or ev.last_at is None or ev.first_at is None:
                continue
            if item.created_at - ev.last_at > self.window or ev.first_at - item.created_at > self.window:
                continue
            dist = hamming(item.simhash, ev.signature) if item.simhash and ev.signature else 64
            overlap = len(kw & set(ev.keywords))
            if dist > self.max_distance and (overlap < self.min_overlap or item.topic == "other"):
                continue
            key = (dist <= self.max_distance, overlap, -dist, ev.last_at, ev.id)
            if best_key is None or key > best_key:
                best, best_key = ev, key
        if best is None:
            best = self._new(item)
            self.events.append(best)
        else:
            self._join(best, item)
        self.changed[best.id] = best
        return best.id

    def _new(self, item: EventInput) -> Event:
        eid = "e_" + hashlib.sha1(item.post_id.encode("utf-8")).hexdigest()[:16]
        kws = list(item.keywords[:MAX_KEYWORDS])
        return Event(id=eid, label=event_label(item.topic, kws), keywords=kws, topic=item.topic, unit=item.unit,
                     first_at=item.created_at, last_at=item.created_at, size=1, negative=int(item.negative),
                     signature=item.simhash)

    def _join(self, ev: Event, item: EventInput) -> None:
        ev.keywords = merge_keywords(ev.keywords, ev.size, item.keywords)
        ev.label = event_label(ev.topic, ev.keywords)
        ev.size += 1
        ev.negative += int(item.negative)
        ev.first_at = min(ev.first_at, item.created_at)
        ev.last_at = max(ev.last_at, item.created_at)


def merge_keywords(existing: list[str], size: int, new: Iterable[str]) -> list[str]:
    """Event keywords after one more post: the stored ranking weighs ``size`` posts, the new
    post's keywords one each; top :data:`MAX_KEYWORDS` kept."""
    n = len(existing)
    score = {k: size * (n - i) / max(n, 1) for i, k in enumerate(existing)}
    for i, k in enumerate(new):
        score[k] = score.get(k, 0.0) + 1.0 - i * 0.01
    return sorted(score, key=lambda k: (-score[k], k))[:MAX_KEYWORDS]


def event_label(topic: str, keywords: list[str]) -> str:
    """「薪酬待遇：欠薪、综采一队、班中餐」."""
    name = TOPICS.get(topic, "其他")
    return f"{name}：{'、'.join(keywords[:3])}" if keywords else name


def group(items: Iterable[EventInput], open_events: Iterable[Event] = (), **kw) -> tuple[dict[str, str], list[Event]]:
    """Assign posts (any order; sorted oldest first) to events.

    Returns ``({post_id: event_id}, events created or changed)``; ``open_events`` are copied,
    never mutated."""
    grouper = EventGrouper(events=[replace(e, keywords=list(e.keywords)) for e in open_events], **kw)
    assignments = {it.post_id: grouper.add(it) for it in sorted(items, key=lambda i: (i.created_at, i.post_id))}
    return assignments, sorted(grouper.changed.values(), key=lambda e: e.id)
