"""From class probabilities to the labels an :class:`~yuqing.schema.Analysis` carries. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import Risk
from .risk_rules import RuleResult, max_risk
from .topic_keywords import keyword_topic

SENTIMENTS = ("negative", "neutral", "positive")


def sentiment_scores(classes: Sequence[str], row: Sequence[float]) -> dict[str, float]:
    """``{"negative", "neutral", "positive"}`` probabilities summing to 1 (absent classes get 0)."""
    scores = {s: 0.0 for s in SENTIMENTS}
    for c, p in zip(classes, row):
        scores[str(c)] = float(p)
    total = sum(scores.values()) or 1.0
    scores = {k: round(v / total, 6) for k, v in scores.items()}
    # rounding can leave a 1e-6 remainder: give it to the largest class so the sum is exactly 1
    top = max(scores, key=scores.__getitem__)
    scores[top] = round(1.0 - sum(v for k, v in scores.items() if k != top), 6)
    return scores


def sentiment_label(scores: dict[str, float]) -> str:
    return max(SENTIMENTS, key=lambda s: scores[s])


def positive_vs_negative(scores: dict[str, float]) -> str:
    """The binary call (for binary benchmarks): positive when p(positive) > p(negative)."""
    return "positive" if scores["positive"] > scores["negative"] else "negative"


def choose_topics(classes: Sequence[str], row: Sequence[float], text: str, *, fallback_below: float | None,
                  secondary_min: float = 0.25, max_topics: int = 3) -> tuple[str, list[str]]:
    """Primary topic and the list of topics (primary first, then others with p >= ``secondary_min``).

    When the classifier's best probability is below ``fallback_below`` and the keyword prior
    names a topic, the keyword topic becomes primary.
    """
    probs = [float(p) for p in row]
    names = [str(c) for c in classes]
    p_best = max(probs)
    primary = min(c for c, p in zip(names, probs) if p == p_best)  # ties: the first name
    if fallback_below is not None and p_best < fallback_below:
        kw = keyword_topic(text)
        if kw is not None:
            primary = kw
    others = sorted((-p, c) for c, p in zip(names, probs) if p >= secondary_min and c != primary)
    return primary, ([primary] + [c for _, c in others])[:max_topics]


def choose_risk(classes: Sequence[str], row: Sequence[float], rule: RuleResult, *,
                high_at: float, medium_at: float) -> Risk:
    """The higher of the rule level and the classifier's level.

    The classifier says high when p(high) >= ``high_at`` and medium when p(high)+p(medium) >=
    ``medium_at`` (thresholds chosen on held-out data for high-risk recall)."""
    p = {str(c): float(v) for c, v in zip(classes, row)}
    if p.get("high", 0.0) >= high_at:
        clf = Risk.HIGH
    elif p.get("high", 0.0) + p.get("medium", 0.0) >= medium_at:
        clf = Risk.MEDIUM
    else:
        clf = Risk.NONE
    return max_risk(rule.level, clf)
