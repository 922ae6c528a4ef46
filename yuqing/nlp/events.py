"""Incremental event grouping: posts about the same concrete matter, across sources and days. Pure.

A new post is compared with the open events within ``window`` of it that the grouper's indexes
name as candidates (a shared SimHash band or a shared heavy term; see :class:`EventGrouper`, whose
cost per post does not grow with the number of events):

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
times), so a grouper rebuilt from the store's open events gives the same result as one pass. The label is short Chinese built from the topic name and the event's top
keywords. Without ``terms`` (callers that only know a post's keywords) each keyword weighs
``default_weight``. The thresholds were tuned on half of corpus/event_posts.csv; see
benchmarks/nlp_events.py.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import islice

from ..schema import TOPICS, Event
from .keywords import rank_candidates
from .simhash import REPOST_DISTANCE

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
                 k: int = POST_TERMS, place_weight: float = PLACE_WEIGHT,
                 max_idf: float | None = None) -> tuple[tuple[str, float], ...]:
        """The ``k`` keyword candidates of ``tokens`` with the highest tf·idf, with their IDF
        scaled so that the table's largest IDF is 10 (a word unknown to the table gets 10: it is
        specific), so the grouper's thresholds hold for any IDF table. A mine's name
        (the word before 「矿」, joined from single characters when the tokenizer cut it up) weighs
        at most ``place_weight``: the same mine has many different matters. ``max_idf``: the table's
        largest IDF when the caller knows it (finding it scans the whole table)."""
        default = max_idf if max_idf is not None else max(idf.values(), default=1.0)
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


#: SimHash bands for finding reposts: the 64-bit signature cut into this many bands of equal width.
BANDS = 4
#: Most events looked at per shared term (the ones most recently active): a term even a heavy
#: post shares with hundreds of open events is no longer telling which one it belongs to.
POSTING_LIMIT = 24
#: Most events a post is compared with: those sharing the most of its heavy terms (and every event
#: sharing a SimHash band). Bounds the cost of a post however dense the stream (a mine's busy week).
MAX_CANDIDATES = 16


def _bands(signature: int) -> list[tuple[int, int]]:
    width = 64 // BANDS
    mask = (1 << width) - 1
    return [(i, (signature >> (i * width)) & mask) for i in range(BANDS)]


class EventGrouper:
    """Holds the open events; :meth:`add` assigns one post. Feed posts oldest first.

    The cost of a post does not grow with the number of open events: its candidate events come
    from two indexes — the bands of their SimHash signature (a repost shares at least one band with
    its original unless the edit is large, and then it shares its rare terms) and an inverted index
    from keyword to the events whose profile holds it, read only for the post's terms heavy enough
    to make a join (:attr:`index_weight`) and only for the :data:`POSTING_LIMIT` most recently
    active events per term. Events whose last post is more than ``window`` older than the newest
    post seen leave memory (posts fed in time order never need them again).
    """

    def __init__(self, events: Iterable[Event] = (), *, window: timedelta = timedelta(days=7),
                 max_distance: int = REPOST_DISTANCE, min_weight: float = 12.0, rare_idf: float = 8.5,
                 cross_weight: float = 16.0, default_weight: float = 7.0):
        self.window = window
        self.max_distance = max_distance
        self.min_weight = min_weight
        self.rare_idf = rare_idf
        self.cross_weight = cross_weight
        self.default_weight = default_weight
        #: A join needs one shared term at least this heavy (two terms reaching min_weight, or a rare one).
        self.index_weight = min(min_weight / 2, rare_idf)
        self.open: dict[str, Event] = {}
        self.changed: dict[str, Event] = {}
        self.created = 0  # events this grouper started
        self._by_band: dict[tuple[int, int], dict[str, None]] = {}
        self._by_term: dict[str, dict[str, None]] = {}
        self._kwset: dict[str, frozenset[str]] = {}  # each open event's keywords, for the overlap test
        self._expiry: list[tuple[datetime, str]] = []  # (last_at, id) heap; stale entries skipped
        self._clock: datetime | None = None
        for ev in events:
            if ev.first_at is not None and ev.last_at is not None:
                self._index(ev)

    @property
    def events(self) -> list[Event]:
        """The events in memory (open within the window of the newest post seen)."""
        return list(self.open.values())

    def forget_changed(self) -> None:
        """Start a new batch: what :attr:`changed` lists has been saved."""
        self.changed = {}

    # --- indexes --------------------------------------------------------------------------
    def _index(self, ev: Event) -> None:
        self.open[ev.id] = ev
        if ev.signature:
            for band in _bands(ev.signature):
                self._by_band.setdefault(band, {})[ev.id] = None
        self._index_terms(ev.id, ev.keywords)
        heapq.heappush(self._expiry, (ev.last_at, ev.id))

    def _index_terms(self, eid: str, keywords: list[str]) -> None:
        self._kwset[eid] = frozenset(keywords)
        for k in keywords:
            posting = self._by_term.setdefault(k, {})
            posting.pop(eid, None)
            posting[eid] = None  # most recently active last

    def _unindex_terms(self, eid: str, keywords: Iterable[str]) -> None:
        for k in keywords:
            posting = self._by_term.get(k)
            if posting is not None:
                posting.pop(eid, None)
                if not posting:
                    del self._by_term[k]

    def _drop(self, ev: Event) -> None:
        del self.open[ev.id]
        if ev.signature:
            for band in _bands(ev.signature):
                bucket = self._by_band.get(band)
                if bucket is not None:
                    bucket.pop(ev.id, None)
                    if not bucket:
                        del self._by_band[band]
        self._unindex_terms(ev.id, ev.keywords)
        del self._kwset[ev.id]

    def _expire(self, now: datetime) -> None:
        if self._clock is None or now > self._clock:
            self._clock = now
        horizon = self._clock - self.window
        while self._expiry and self._expiry[0][0] < horizon:
            last_at, eid = heapq.heappop(self._expiry)
            ev = self.open.get(eid)
            if ev is not None and ev.last_at == last_at:  # else a newer heap entry stands for it
                self._drop(ev)

    def _candidates(self, item: EventInput, terms) -> set[str]:
        found: set[str] = set()
        if item.simhash:
            for band in _bands(item.simhash):
                found.update(self._by_band.get(band, ()))
        shared: Counter[str] = Counter()
        for t, w in terms:
            if w >= self.index_weight and (posting := self._by_term.get(t)):
                shared.update(islice(reversed(posting), POSTING_LIMIT))
        if len(shared) <= MAX_CANDIDATES:
            found.update(shared)
        else:
            found.update(eid for eid, _ in shared.most_common(MAX_CANDIDATES))
        return found

    # --- assignment -----------------------------------------------------------------------
    def add(self, item: EventInput) -> str:
        """The id of the event ``item`` joins (an existing one or a new one)."""
        self._expire(item.created_at)
        terms = item.terms or tuple((k, self.default_weight) for k in item.keywords)
        lo, hi = item.created_at - self.window, item.created_at + self.window
        sig, topic, unit = item.simhash, item.topic, item.unit
        best, best_key = None, None
        for eid in self._candidates(item, terms):
            ev = self.open[eid]
            if ev.last_at < lo or ev.first_at > hi:
                continue
            dist = (sig ^ ev.signature).bit_count() if sig and ev.signature else 64
            repost = dist <= self.max_distance
            if repost:
                weight = 0.0
            else:
                same_topic = ev.topic == topic != "other"
                kws = self._kwset[eid]
                shared = [w for t, w in terms if t in kws]
                if not shared:
                    continue
                weight = sum(shared)
                need = self.min_weight if same_topic else self.cross_weight
                if not ((len(shared) >= 2 and weight >= need) or (
                        same_topic and unit and unit == ev.unit and max(shared) >= self.rare_idf)):
                    continue
            key = (repost, ev.topic == topic, round(weight, 6), -dist, ev.last_at, eid)
            if best_key is None or key > best_key:
                best, best_key = ev, key
        if best is None:
            best = self._new(item, terms)
            self._index(best)
            self.created += 1
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
        old = ev.keywords
        ev.keywords = merge_keywords(ev.keywords, ev.size, profile_terms(item, terms))
        self._unindex_terms(ev.id, [k for k in old if k not in ev.keywords])
        self._index_terms(ev.id, ev.keywords)
        ev.label = event_label(ev.topic, ev.keywords)
        ev.size += 1
        ev.negative += int(item.negative)
        ev.first_at = min(ev.first_at, item.created_at)
        if item.created_at > ev.last_at:
            ev.last_at = item.created_at
            heapq.heappush(self._expiry, (ev.last_at, ev.id))


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
