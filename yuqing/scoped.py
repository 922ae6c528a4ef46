"""Events and issues as a user with a unit scope may see them (dashboard pages, the ledger). Pure.

An event or an issue can gather posts of several units; its stored label, keywords, title and
summary are built from all of them. A cadre sees only their own units' posts, so what they see of
the matter is rebuilt from those posts: the label and keywords from their posts' keywords, the
title and summary from their posts (:func:`yuqing.alerts.describe.describe`). A matter whose posts
are all in the scope is shown as stored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from .alerts.describe import describe
from .casework.model import Issue
from .nlp.events import MAX_KEYWORDS, event_label
from .orgtree import OrgTree
from .schema import Event, StoredPost

#: What stands in for the rules' reasons in a summary rebuilt from a unit's own posts.
OWN_POSTS = "以下只含本单位范围内的帖子"


def visible_keywords(posts: list[StoredPost], n: int = MAX_KEYWORDS) -> list[str]:
    """The keywords of ``posts``, most frequent first (ties: first seen)."""
    c = Counter(k for sp in posts if sp.analysis for k in sp.analysis.keywords)
    order = {k: i for i, k in enumerate(dict.fromkeys(k for sp in posts if sp.analysis for k in sp.analysis.keywords))}
    return sorted(c, key=lambda k: (-c[k], order[k]))[:n]


def event_view(event: Event, visible: list[StoredPost], visible_total: int) -> Event:
    """``event`` as seen by someone who may see only ``visible`` of its posts (``visible_total`` of
    them in all; ``visible`` may be a sample): unchanged when that is all of them, else label,
    keywords, counts and unit from those posts alone."""
    if visible_total >= event.size:
        return event
    kws = visible_keywords(visible)
    units = Counter(sp.unit for sp in visible if sp.unit)
    negative = sum(1 for sp in visible if sp.analysis and str(sp.analysis.sentiment) == "negative")
    return replace(event, label=event_label(event.topic, kws), keywords=kws, size=visible_total,
                   negative=min(negative, visible_total), unit=units.most_common(1)[0][0] if units else "")


def issue_view(issue: Issue, visible: list[StoredPost], tree: OrgTree, *, visible_total: int | None = None,
               tz=None) -> Issue:
    """``issue`` as seen by someone who may see only ``visible`` of its posts: unchanged when that is
    all of them, else title, summary and method reason rebuilt from those posts, ``post_count`` theirs."""
    total = len(visible) if visible_total is None else visible_total
    if total >= issue.post_count and issue.post_count:
        return issue
    if not visible:
        return replace(issue, title=f"{tree.name(issue.unit)} · 相关议题", summary="（本单位范围内没有相关帖子）",
                       method_reason="", post_count=0)
    d = describe(visible, tree, rule_severity=issue.severity, reasons=[OWN_POSTS], tz=tz)
    reason = d.method_reason if d.method == issue.method else ""  # "": the page shows the method's description
    return replace(issue, title=d.title, summary=d.summary, method_reason=reason, post_count=total)
