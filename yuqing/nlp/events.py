"""Incremental event grouping: posts about the same concrete matter, across sources and days. Pure.

A new post is compared with every open event whose posts are within ``window`` of it:

* a repost (SimHash within ``max_distance`` of the event's signature) joins it;
* otherwise the post's terms (its best keyword candidates, each weighted by its IDF, so that a
  team's name or 「罐笼」 counts more than 「工资」 or 「有人」; a mine's name counts at most
  :data:`PLACE_WEIGHT`, since one mine has many matters) are matched against the event's keyword
  profile (the top :data:`MAX_KEYWORDS` keywords of its posts). The post joins when two or more
  shared terms weigh at least ``min_weight`` (two specific words; a mine's name plus 「食堂」 is not
  enough), or when one rare term (IDF >= ``rare_idf``) is shared with an event of the same topic
  from the same unit. An event of another topic (the classifier often calls one matter
  「薪酬待遇」 in one post and 「劳动关系」 in the next, or 「其他」 for a short one) needs
  ``cross_weight``; topic ``other`` never counts as the same topic, so chit-chat joins chit-chat
  only by repost or by sharing much.

Otherwise the post starts a new event; among several candidates a repost wins, then the same
topic, then the heaviest overlap. Posts are assigned as they arrive, and everything the decision
needs is on the stored :class:`~yuqing.storage.base.Event` (keywords, topic, unit, signature,
times), so feeding posts batch by batch with the open events reloaded from the store gives the
same result as one pass. The label is short Chinese built from the topic name and the event's top
keywords. Without ``terms`` (callers that only know a post's keywords) each keyword weighs
``default_weight``. The thresholds were tuned on half of yuqing/nlp/corpus/event_posts.csv; see
benchmarks/nlp_events.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ..schema import TOPICS
from ..storage.base import Event
from .keywords import rank_candidates
from .simhash import REPOST_DISTANCE, hamming

#: Keywords an event keeps (its profile; the label shows the first three).
MAX_KEYWORDS = 16
#: Terms of one post used for matching and added to its event's profile.
POST_TERMS = 10
#: Most a mine's name weighs in a post's terms.
PLACE_WEIGHT = 5.0


@dataclass(frozen=True)
class EventInput:
    """What event grouping needs to know about one analysed post.

    ``terms``: the post's distinct keyword candidates with their IDF, best (tf·idf) first; see
    :meth:`with_terms`. Empty: the ``keywords`` are used, each with the grouper's default weight."""

    post_id: str
    created_at: datetime
    topic: str
    keywords: tuple[str, ...]
    simhash: int
    negative: bool = False
    unit: str = ""
    terms: tuple[tuple[str, float], ...] = ()

    @staticmethod
    def terms_of(tokens: Iterable[str], idf: Mapping[str, float], stopwords: frozenset[str],
                 k: int = POST_TERMS, place_weight: float = PLACE_WEIGHT) -> tuple[tuple[str, float], ...]:
        """The ``k`` keyword candidates of ``tokens`` with the highest tf·idf, with their IDF
        scaled so that the table's largest IDF is 10 (a word unknown to the table gets 10: it is
        specific), so the grouper's thresholds hold for any IDF table. A mine's name
        (the word before 「矿」, joined from single characters when the tokenizer cut it up) weighs
        at most ``place_weight``: the same mine has many different matters."""
        default = max(idf.values(), default=1.0)
        toks, places = _with_place_names(list(tokens))

        def weight(t: str) -> float:  # on a 0-10 scale whatever the IDF table's range
            w = round(10.0 * float(idf.get(t, default)) / default, 4)
            return min(w, place_weight) if t in places else w

        return tuple((t, weight(t)) for t in rank_candidates(toks, stopwords, weight)[:k])


def _with_place_names(tokens: list[str]) -> tuple[list[str], set[str]]:
    """``tokens`` plus the names of mines the tokenizer cut into single characters (「东」「峪」「矿」
    gives 「东峪」), and the set of mine names (words right before 「矿」)."""
    out, places = list(tokens), set()
    for i, t in enumerate(tokens):
        if t != "矿" or i < 1:
            continue
        j = i
        while j > 0 and i - j < 3 and len(tokens[j - 1]) == 1 and "\u4e00" <= tokens[j - 1] <= "\u9fff":
            j -= 1
        if i - j >= 2:
            out.append("".join(tokens[j:i]))
            places.add("".join(tokens[j:i]))
        elif len(tokens[i - 1]) >= 2:
            places.add(tokens[i - 1])
    return out, places


@dataclass
class EventGrouper:
    """Holds the open events; :meth:`add` assigns one post. Feed posts oldest first."""

    events: list[Event] = field(default_factory=list)
    window: timedelta = timedelta(days=7)
    max_distance: int = REPOST_DISTANCE
    min_weight: float = 12.0
    rare_idf: float = 8.5
    cross_weight: float = 16.0
    default_weight: float = 7.0
    changed: dict[str, Event] = field(default_factory=dict)

    def add(self, item: EventInput) -> str:
        """The id of the event ``item`` joins (an existing one or a new one)."""
        terms = item.terms or tuple((k, self.default_weight) for k in item.keywords)
        best, best_key = None, None
        for ev in self.events:
            if ev.last_at is None or ev.first_at is None:
                continue
            if item.created_at - ev.last_at > self.window or ev.first_at - item.created_at > self.window:
                continue
            dist = hamming(item.simhash, ev.signature) if item.simhash and ev.signature else 64
            repost = dist <= self.max_distance
            if not repost:
                same_topic = ev.topic == item.topic != "other"
                kws = set(ev.keywords)
                shared = [w for t, w in terms if t in kws]
                weight = sum(shared)
                need = self.min_weight if same_topic else self.cross_weight
                ok = (len(shared) >= 2 and weight >= need) or (
                    same_topic and item.unit and item.unit == ev.unit and any(w >= self.rare_idf for w in shared))
                if not ok:
                    continue
            else:
                weight = 0.0
            key = (repost, ev.topic == item.topic, round(weight, 6), -dist, ev.last_at, ev.id)
            if best_key is None or key > best_key:
                best, best_key = ev, key
        if best is None:
            best = self._new(item, terms)
            self.events.append(best)
        else:
            self._join(best, item, terms)
        self.changed[best.id] = best
        return best.id

    def _new(self, item: EventInput, terms) -> Event:
        eid = "e_" + hashlib.sha1(item.post_id.encode("utf-8")).hexdigest()[:16]
        kws = merge_keywords([], 0, profile_terms(item, terms))
        return Event(id=eid, label=event_label(item.topic, kws), keywords=kws, topic=item.topic, unit=item.unit,
                     first_at=item.created_at, last_at=item.created_at, size=1, negative=int(item.negative),
                     signature=item.simhash)

    def _join(self, ev: Event, item: EventInput, terms) -> None:
        ev.keywords = merge_keywords(ev.keywords, ev.size, profile_terms(item, terms))
        ev.label = event_label(ev.topic, ev.keywords)
        ev.size += 1
        ev.negative += int(item.negative)
        ev.first_at = min(ev.first_at, item.created_at)
        ev.last_at = max(ev.last_at, item.created_at)


def profile_terms(item: EventInput, terms) -> list[str]:
    """What a post adds to its event's keyword profile: its keywords, then its other best terms."""
    out = list(dict.fromkeys(item.keywords))
    out += [t for t, _ in terms if t not in out]
    return out[:POST_TERMS]


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
