"""Rule types about how much is said: frequency, spike, negative_ratio. Pure.

Each is checked at the latest new post of every hour (:func:`.base.eval_points`); a condition
that lasts is one match per episode (:func:`.base.episodes`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ...schema import Sentiment, StoredPost
from .base import Match, Rule, RuleContext, Window, episodes, eval_points, grouped, parse_duration, topic_of, unit_of
from .content import _CountedRule


def _is_negative(sp: StoredPost) -> bool:
    return sp.analysis is not None and sp.analysis.sentiment == Sentiment.NEGATIVE


def _hours(d: timedelta) -> str:
    h = d.total_seconds() / 3600
    return f"{h / 24:g} 天" if h >= 24 and h % 24 == 0 else f"{h:g} 小时"


class FrequencyRule(_CountedRule):
    """At least ``count`` matching posts of one group within ``window``."""

    type_name = "frequency"

    def __init__(self, spec: dict):
        spec = {**spec, "frequency": {"group_by": "unit", **spec.get("frequency", {})}}
        super().__init__(spec)
        self.min_posts = self.options["count"]

    def reason(self, posts: list[StoredPost]) -> str:
        return f"{_hours(self.window)}内 {len(posts)} 条相关帖子"


class _WindowedRule(Rule):
    """Shared plumbing: group the history, check each group at the new posts' hourly points."""

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.window = parse_duration(self.options.get("window", "1d"))
        self.group_by: str = self.options.get("group_by", "unit")
        self.min_count: int = self.options.get("min_count", 5)

    def members(self, sp: StoredPost) -> bool:
        return self.wanted(sp)

    def check(self, win: Window, t) -> tuple[list[StoredPost], str] | None:
        raise NotImplementedError

    def evaluate(self, posts: list[StoredPost], context: RuleContext) -> list[Match]:
        new_by_group = grouped((sp for sp in posts if self.members(sp)), self.group_by)
        out: list[Match] = []
        for key, members in grouped((sp for sp in context.history if self.members(sp)), self.group_by).items():
            if key not in new_by_group:
                continue
            win = Window(members)
            reasons: dict = {}

            def firing(t, win=win, reasons=reasons):
                hit = self.check(win, t)
                if hit is None:
                    return None
                reasons.setdefault("first", hit[1])
                return hit[0]

            for at, eps in episodes(eval_points(new_by_group[key]), self.window, firing):
                out.append(self.match(eps, at, reasons.pop("first", ""), topic=topic_of(eps), unit=unit_of(eps)))
        return out


class SpikeRule(_WindowedRule):
    """The current window against the baseline before it: volume (or negative share) ≥ ``threshold``×."""

    type_name = "spike"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.baseline = parse_duration(self.options.get("baseline", "7d"))
        self.threshold: float = self.options["threshold"]
        self.measure: str = self.options.get("measure", "volume")
        #: Floor for the baseline, in posts per current window (a quiet group is not "infinitely" up).
        self.min_baseline: float = self.options.get("min_baseline", 1)
        #: Seasonal: compare with the same weekday and hours of the previous weeks in ``baseline``.
        self.seasonal: bool = self.options.get("seasonal", False)

    def lookback(self) -> timedelta:
        return self.window + self.baseline

    def members(self, sp: StoredPost) -> bool:
        if self.measure == "negative_share":  # the share needs every post of the group, not just negative ones
            return replace(self.filter, sentiment=())(sp)
        return self.wanted(sp)

    def check(self, win: Window, t):
        cur = win.between(t - self.window, t)
        scale = self.window / self.baseline
        if self.measure == "volume":
            base = self._seasonal(win, t) if self.seasonal else win.count(t - self.window - self.baseline,
                                                                           t - self.window) * scale
            if len(cur) < self.min_count or len(cur) < self.threshold * max(base, self.min_baseline):
                return None
            return cur, f"{_hours(self.window)}内 {len(cur)} 条，是此前平均（{base:.1f} 条）的 {len(cur) / max(base, self.min_baseline):.1f} 倍"
        neg = [sp for sp in cur if _is_negative(sp) and self.wanted(sp)]
        base_posts = win.between(t - self.window - self.baseline, t - self.window)
        base_share = sum(map(_is_negative, base_posts)) / len(base_posts) if base_posts else 0.0
        share = len(neg) / len(cur) if cur else 0.0
        floor = max(base_share, 0.05)
        if len(neg) < self.min_count or share < self.threshold * floor:
            return None
        return neg, f"负面占比 {share:.0%}，此前 {base_share:.0%}"


    def _seasonal(self, win: Window, t) -> float:
        """Mean count of the same window one, two … weeks earlier."""
        weeks = max(1, int(self.baseline / timedelta(days=7)))
        week = timedelta(days=7)
        return sum(win.count(t - k * week - self.window, t - k * week) for k in range(1, weeks + 1)) / weeks


class NegativeRatioRule(_WindowedRule):
    """A group's (unit's) negative share over ``window`` above ``threshold``, with ``min_count`` posts."""

    type_name = "negative_ratio"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.threshold: float = self.options["threshold"]

    def check(self, win: Window, t):
        cur = win.between(t - self.window, t)
        if len(cur) < self.min_count:
            return None
        neg = [sp for sp in cur if _is_negative(sp)]
        share = len(neg) / len(cur)
        if share < self.threshold:
            return None
        return neg, f"{_hours(self.window)}内 {len(cur)} 条帖子，负面占 {share:.0%}"

    def lookback(self) -> timedelta:
        return self.window
