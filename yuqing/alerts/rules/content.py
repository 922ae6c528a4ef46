"""Rule types about what single posts say: keyword, risk, engagement. Pure."""

from __future__ import annotations

from datetime import timedelta

from ...schema import RISK_LABELS, SENTIMENT_LABELS, Risk, Sentiment, StoredPost
from .base import Match, Rule, RuleContext, Window, episodes, grouped, parse_duration, text_of, topic_of, unit_of
from .expr import parse


def distinct(posts: list[StoredPost]) -> int:
    """How many different messages: a text forwarded to three groups is one voice, not three."""
    return len({sp.post.content_hash for sp in posts})


class _CountedRule(Rule):
    """Posts that qualify one by one; with ``min_posts`` > 1 a group needs that many different
    messages within ``window``."""

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.min_posts: int = self.options.get("min_posts", 1)
        self.window = parse_duration(self.options.get("window", "1d"))
        self.group_by: str = self.options.get("group_by", "event")

    def lookback(self) -> timedelta:
        return self.window if self.min_posts > 1 else timedelta(0)

    def qualifies(self, sp: StoredPost) -> bool:
        return self.wanted(sp)

    def reason(self, posts: list[StoredPost]) -> str:
        raise NotImplementedError

    def evaluate(self, posts: list[StoredPost], context: RuleContext) -> list[Match]:
        new = [sp for sp in posts if self.qualifies(sp)]
        if self.min_posts <= 1:
            return [self.match([sp], sp.post.created_at, self.reason([sp]), topic=topic_of([sp]), unit=sp.unit)
                    for sp in new]
        new_by_group = grouped(new, self.group_by)
        out: list[Match] = []
        for key, members in grouped((sp for sp in context.history if self.qualifies(sp)), self.group_by).items():
            if key not in new_by_group:
                continue
            win = Window(members)

            def firing(t, win=win):
                in_window = win.between(t - self.window, t)
                return in_window if distinct(in_window) >= self.min_posts else None

            points = [sp.post.created_at for sp in new_by_group[key]]
            for at, eps in episodes(sorted(points), self.window, firing):
                out.append(self.match(eps, at, self.reason(eps), topic=topic_of(eps), unit=unit_of(eps)))
        return out


class KeywordRule(_CountedRule):
    """Posts whose text matches a boolean keyword expression (see :mod:`.expr`)."""

    type_name = "keyword"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.query = parse(self.options["query"])

    def reason(self, posts: list[StoredPost]) -> str:
        texts = [text_of(sp) for sp in posts]
        terms = self.query.terms() if self.query is not None else []
        found = [t for t in dict.fromkeys(terms) if any(t in x for x in texts)]
        return f"{len(posts)} 条帖子提到 {'、'.join(found[:6]) or '关键词'}"


class RiskRule(_CountedRule):
    """Posts the NLP rated high risk (optionally medium too)."""

    type_name = "risk"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.levels = tuple(self.options.get("levels", [str(Risk.HIGH)]))

    def qualifies(self, sp: StoredPost) -> bool:
        return self.wanted(sp) and str(self.analysis(sp).risk) in self.levels

    def reason(self, posts: list[StoredPost]) -> str:
        return f"{len(posts)} 条帖子被判定为{'/'.join(RISK_LABELS[Risk(x)] for x in self.levels)}风险"


class EngagementRule(_CountedRule):
    """Negative posts (comments, threads) that many people liked or replied to."""

    type_name = "engagement"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.min_likes: int = self.options.get("min_likes", 0)
        self.min_replies: int = self.options.get("min_replies", 0)
        self.sentiments = tuple(self.options.get("sentiment", [str(Sentiment.NEGATIVE)]))

    def qualifies(self, sp: StoredPost) -> bool:
        if not self.wanted(sp) or str(self.analysis(sp).sentiment) not in self.sentiments:
            return False
        likes_ok = self.min_likes and sp.post.likes >= self.min_likes
        replies_ok = self.min_replies and sp.post.replies >= self.min_replies
        return bool(likes_ok or replies_ok)

    def reason(self, posts: list[StoredPost]) -> str:
        top = max(posts, key=lambda sp: sp.post.likes + sp.post.replies)
        label = "/".join(SENTIMENT_LABELS[Sentiment(s)] for s in self.sentiments)
        return f"{label}帖子获得 {top.post.likes} 个赞、{top.post.replies} 条回复"
