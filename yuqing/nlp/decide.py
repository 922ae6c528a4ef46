"""From class probabilities to the labels an :class:`~yuqing.schema.Analysis` carries. Pure.

The ``*_many`` functions decide a whole batch (what the analyzer uses); each gives, row for row,
what the one-row function gives.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import SENTIMENTS, Risk
from .risk_rules import RuleResult, max_risk
from .topic_keywords import keyword_topic


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


# --- whole batches: the same decisions, row by row identical, with the per-row Python kept small ---

def sentiment_scores_many(classes: Sequence[str], proba) -> list[dict[str, float]]:
    """:func:`sentiment_scores` of every row of ``proba`` (texts × classes)."""
    names = [str(c) for c in classes]
    rows = proba.tolist() if hasattr(proba, "tolist") else [list(r) for r in proba]
    if names != list(SENTIMENTS):
        return [sentiment_scores(names, row) for row in rows]
    out = []
    for row in rows:  # the arithmetic of sentiment_scores, in the same order
        total = sum(row) or 1.0
        s = [round(v / total, 6) for v in row]
        top = s.index(max(s))
        s[top] = round(1.0 - sum([v for i, v in enumerate(s) if i != top]), 6)
        out.append({"negative": s[0], "neutral": s[1], "positive": s[2]})
    return out


def choose_topics_many(classes: Sequence[str], proba, texts: Sequence[str], *, fallback_below: float | None,
                       secondary_min: float = 0.25, max_topics: int = 3) -> list[tuple[str, list[str]]]:
    """:func:`choose_topics` of every row of ``proba`` (texts × classes) with its text."""
    import numpy as np

    names = [str(c) for c in classes]
    p = np.asarray(proba, dtype=np.float64)  # what float(p) gives, compared the same way
    if names != sorted(set(names)) or len(p) == 0:
        return [choose_topics(names, row, t, fallback_below=fallback_below, secondary_min=secondary_min,
                              max_topics=max_topics) for row, t in zip(p, texts)]
    best = p.max(axis=1)
    primary = [names[i] for i in p.argmax(axis=1).tolist()]  # ties: the first, i.e. the smallest name
    if fallback_below is not None:
        for i in np.flatnonzero(best < fallback_below).tolist():
            kw = keyword_topic(texts[i])
            if kw is not None:
                primary[i] = kw
    others: list[list[tuple[float, str]]] = [[] for _ in range(len(p))]
    rows, cols = np.nonzero(p >= secondary_min)
    for r, c, v in zip(rows.tolist(), cols.tolist(), p[rows, cols].tolist()):
        if names[c] != primary[r]:
            others[r].append((-v, names[c]))
    out = []
    for first, rest in zip(primary, others):
        rest.sort()
        out.append((first, ([first] + [c for _, c in rest])[:max_topics]))
    return out


def choose_risk_many(classes: Sequence[str], proba, rules: Sequence[RuleResult], *, high_at: float,
                     medium_at: float) -> list[Risk]:
    """:func:`choose_risk` of every row of ``proba`` (texts × classes) with its rule result."""
    import numpy as np

    names = [str(c) for c in classes]
    p = np.asarray(proba, dtype=np.float64)
    zero = np.zeros(len(p))
    high = p[:, names.index("high")] if "high" in names else zero
    medium = p[:, names.index("medium")] if "medium" in names else zero
    clf = np.where(high >= high_at, 2, np.where(high + medium >= medium_at, 1, 0)).tolist()
    levels = (Risk.NONE, Risk.MEDIUM, Risk.HIGH)
    return [max_risk(rule.level, levels[c]) for rule, c in zip(rules, clf)]
