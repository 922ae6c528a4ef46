"""The ``flatline`` rule type: a source that used to talk went quiet (a source-health issue). Pure."""

from __future__ import annotations

from datetime import timedelta

from ...schema import IssueKind, SourceStatus, StoredPost
from .base import Match, Rule, RuleContext, parse_duration


class FlatlineRule(Rule):
    """A source with ≥ ``min_count`` posts in ``baseline`` and none in the last ``quiet_for``."""

    type_name = "flatline"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.quiet_for = parse_duration(self.options.get("quiet_for", "3d"))
        self.baseline = parse_duration(self.options.get("baseline", "14d"))
        self.min_count: int = self.options.get("min_count", 10)

    def lookback(self) -> timedelta:
        return self.quiet_for + self.baseline

    def evaluate(self, posts: list[StoredPost], context: RuleContext) -> list[Match]:
        start = context.now - self.quiet_for - self.baseline
        cut = context.now - self.quiet_for
        before: dict[str, list[StoredPost]] = {}
        recent: set[str] = set()
        for sp in context.history:
            if not self.wanted(sp):
                continue
            t = sp.post.created_at
            if t > cut:
                recent.add(sp.post.source_id)
            elif t > start:
                before.setdefault(sp.post.source_id, []).append(sp)
        names = {s.id: s.name for s in context.sources}
        active = {s.id for s in context.sources if s.status == SourceStatus.ACTIVE} or set(before)
        out = []
        for source_id, ps in sorted(before.items()):
            if source_id in recent or source_id not in active or len(ps) < self.min_count:
                continue
            last = ps[-1]
            days = self.quiet_for.total_seconds() / 86400
            out.append(Match(rule=self.name, post_ids=[last.post.id], severity=self.severity, at=context.now,
                             reason=f"数据源“{names.get(source_id, source_id)}”已 {days:g} 天没有新内容"
                                    f"（此前 {len(ps)} 条），请检查导出或采集是否中断",
                             kind=IssueKind.SOURCE_HEALTH, topic="other", unit=last.unit,
                             key=f"flatline:{source_id}",
                             title=f"数据源中断：{names.get(source_id, source_id)}"))
        return out
