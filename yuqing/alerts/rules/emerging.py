"""The ``emerging`` rule type: a new event, or a term jumping against its baseline. Pure."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from ...schema import StoredPost
from .base import Match, Rule, RuleContext, Window, eval_points, parse_duration, topic_of, unit_of


class EmergingRule(Rule):
    """``by: event`` — an event first seen within ``window`` that already has ``min_count`` posts.
    ``by: term`` — an NLP keyword whose count in ``window`` is ≥ ``threshold``× its baseline rate."""

    type_name = "emerging"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.by: str = self.options.get("by", "event")
        self.window = parse_duration(self.options.get("window", "1d"))
        self.baseline = parse_duration(self.options.get("baseline", "14d"))
        self.min_count: int = self.options.get("min_count", 5)
        self.threshold: float = self.options.get("threshold", 3)

    def lookback(self) -> timedelta:
        return self.window + self.baseline

    def evaluate(self, posts: list[StoredPost], context: RuleContext) -> list[Match]:
        hist = [sp for sp in context.history if self.wanted(sp)]
        new = [sp for sp in posts if self.wanted(sp)]
        if not hist or not new:
            return []
        return self._events(hist, new) if self.by == "event" else self._terms(hist, new)

    def _events(self, hist: list[StoredPost], new: list[StoredPost]) -> list[Match]:
        by_event: dict[str, list[StoredPost]] = {}
        for sp in hist:
            if self.analysis(sp).event_id:
                by_event.setdefault(self.analysis(sp).event_id, []).append(sp)
        out = []
        for event_id in dict.fromkeys(e for e in (self.analysis(sp).event_id for sp in new) if e):
            win = Window(by_event[event_id])
            first = win.times[0]
            if win.times[0] < hist[0].post.created_at + self.baseline:
                continue  # not enough history to call it new
            early = win.between(first - timedelta(seconds=1), first + self.window)
            if len(early) < self.min_count:
                continue
            out.append(self.match(early, early[-1].post.created_at,
                                  f"新出现的话题：{_hours(self.window)}内 {len(early)} 条帖子",
                                  topic=topic_of(early), unit=unit_of(early), event_id=event_id))
        return out

    def _terms(self, hist: list[StoredPost], new: list[StoredPost]) -> list[Match]:
        win = Window(hist)
        out = []
        fired: set[str] = set()
        for t in eval_points(new, timedelta(hours=6)):
            cur = win.between(t - self.window, t)
            base = win.between(t - self.window - self.baseline, t - self.window)
            scale = self.window / self.baseline
            cur_c = Counter(k for sp in cur for k in set(self.analysis(sp).keywords))
            base_c = Counter(k for sp in base for k in set(self.analysis(sp).keywords))
            for term, n in cur_c.items():
                if term in fired or n < self.min_count or n < self.threshold * max(base_c[term] * scale, 1):
                    continue
                fired.add(term)
                ps = [sp for sp in cur if term in self.analysis(sp).keywords]
                out.append(self.match(ps, t, f"“{term}”{_hours(self.window)}内出现 {n} 次，此前平均 "
                                      f"{base_c[term] * scale:.1f} 次", topic=topic_of(ps), unit=unit_of(ps)))
        return out


def _hours(d: timedelta) -> str:
    h = d.total_seconds() / 3600
    return f"{h / 24:g} 天" if h >= 24 and h % 24 == 0 else f"{h:g} 小时"
