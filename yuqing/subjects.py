"""专题 (saved searches): checking one, matching posts against it, the figures of its page and the
alert rule made from it. Pure: no IO (the dashboard's queries fetch the posts).

A 专题's keywords are an expression in the alert rules' language (:mod:`yuqing.alerts.rules.expr`:
``工资 AND (拖欠 OR 晚发) NOT 谣言``, quoted phrases, ``NEAR/n``), matched the same way the
``keyword`` rule matches (NFKC-folded substrings of title and text). Units cover their subtrees.

Who may do what (issue #16's decision): monitors and admins create, edit and delete any 专题 and
make alert rules from them; a cadre creates 专题 for their own unit (``unit`` = theirs, units
within their scope) and edits or deletes only those; everyone sees the organisation's 专题 and
their own units' — always only the posts in their scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import yaml

from .alerts.rules.base import text_of
from .alerts.rules.expr import Node, Not, parse
from .auth import CurrentUser
from .errors import AccessDenied, RuleError
from .orgtree import OrgTree
from .schema import StoredPost, Subject

NAME_MAX = 40
QUERY_MAX = 500
#: Default of the alert rule made from a 专题: this many different messages …
RULE_MIN_POSTS = 3
#: … within this window, about one matter (event).
RULE_WINDOW = "1d"


class SubjectError(AccessDenied):
    """A 专题 that cannot be saved as given (the message names the field, in Chinese)."""


def compile_query(query: str) -> Node:
    """The keyword expression, or :class:`SubjectError` 「关键词：…」."""
    text = query.strip()
    if not text:
        raise SubjectError("关键词：不能为空")
    if len(text) > QUERY_MAX:
        raise SubjectError(f"关键词：最多 {QUERY_MAX} 字")
    try:
        node = parse(text)
    except RuleError as exc:
        raise SubjectError(f"关键词：{exc}") from None
    if not positive_terms(node):
        raise SubjectError("关键词：至少要有一个不带 NOT 的词")
    return node


def positive_terms(node: Node) -> list[str]:
    """The words a matching post may contain (those under NOT excluded), in order, once each."""
    return [t for t in dict.fromkeys(node.terms()) if t.strip()] if not isinstance(node, Not) else []


def may_edit(user: CurrentUser, subject: Subject) -> bool:
    if user.role in ("admin", "monitor"):
        return True
    return user.role == "cadre" and bool(subject.unit) and subject.unit == user.unit


def may_create(user: CurrentUser) -> bool:
    return user.role in ("admin", "monitor", "cadre")


def may_make_rule(user: CurrentUser) -> bool:
    """Alert rules apply to the whole organisation: monitors and admins only (as on the 规则 page)."""
    return user.role in ("admin", "monitor")


def check_subject(subject: Subject, user: CurrentUser, tree: OrgTree, source_ids: Iterable[str]) -> Subject:
    """``subject`` as it may be saved by ``user``: name and keywords checked, units and sources known
    and within the user's scope, ``unit`` set to whose 专题 it is. :class:`SubjectError` naming the field."""
    name = " ".join(subject.name.split())
    if not name:
        raise SubjectError("名称：不能为空")
    if len(name) > NAME_MAX:
        raise SubjectError(f"名称：最多 {NAME_MAX} 字")
    compile_query(subject.query)
    if not may_create(user):
        raise SubjectError("只读用户不能创建或修改专题")
    if subject.id is not None and not may_edit(user, subject):
        raise SubjectError("只能修改本单位的专题")
    units = list(dict.fromkeys(u for u in subject.units if u))
    for code in units:
        if code not in tree:
            raise SubjectError(f"单位：没有单位代码「{code}」")
        if user.scope is not None and code not in user.scope:
            raise SubjectError(f"单位：「{tree.name(code)}」不在您的可见范围内")
    known = set(source_ids)
    sources = list(dict.fromkeys(s for s in subject.sources if s))
    for s in sources:
        if s not in known:
            raise SubjectError(f"来源：没有来源「{s}」或不在您的可见范围内")
    owner_unit = subject.unit if user.role in ("admin", "monitor") else user.unit
    if user.scope is not None and not units:
        units = [user.unit]  # a cadre's 专题 covers their unit when no unit is chosen
    return Subject(name=name, query=subject.query.strip(), units=units, sources=sources, unit=owner_unit,
                   owner=subject.owner or user.username, rule=subject.rule, created_at=subject.created_at,
                   updated_at=subject.updated_at, version=subject.version, id=subject.id)


def covered_units(subject: Subject, tree: OrgTree, scope: set[str] | None) -> set[str] | None:
    """The unit codes the 专题's posts may come from, within ``scope`` (None = every unit)."""
    wanted: set[str] | None = None
    if subject.units:
        wanted = set()
        for code in subject.units:
            wanted |= tree.subtree(code) if code in tree else set()
    if scope is None:
        return wanted
    return set(scope) if wanted is None else wanted & set(scope)


@dataclass
class Matcher:
    """Does a stored post belong to the 专题? (keywords, units, sources)"""

    node: Node
    units: set[str] | None
    sources: frozenset[str]

    def __call__(self, sp: StoredPost) -> bool:
        if self.units is not None and sp.unit not in self.units:
            return False
        if self.sources and sp.post.source_id not in self.sources:
            return False
        return self.node.matches(text_of(sp))


def matcher(subject: Subject, tree: OrgTree, scope: set[str] | None) -> Matcher:
    return Matcher(compile_query(subject.query), covered_units(subject, tree, scope), frozenset(subject.sources))


def matching(posts: Iterable[StoredPost], match: Matcher) -> list[StoredPost]:
    """The posts ``match`` accepts, each once, newest first."""
    seen: dict[str, StoredPost] = {}
    for sp in posts:
        if sp.post.id not in seen and match(sp):
            seen[sp.post.id] = sp
    return sorted(seen.values(), key=lambda sp: (sp.post.created_at, sp.post.id), reverse=True)


@dataclass
class SubjectFigures:
    """What a 专题's page shows."""

    total: int
    #: ``[{"day", "total", "negative", "neutral", "positive"}]`` per local day (the trend chart's rows).
    by_day: list[dict]
    #: sentiment key → posts (analysed posts only).
    sentiments: dict[str, int]
    #: The posts most engaged with (likes + replies), then the negative ones, then the newest.
    top_posts: list[StoredPost]
    #: ``[(event id, posts of the 专题 in it, negative among them)]``, most posts first.
    events: list[tuple[str, int, int]]
    #: Posts in the last 7 days and the 7 before (how the 专题 moves).
    this_week: int = 0
    last_week: int = 0
    truncated: bool = False
    terms: list[str] = field(default_factory=list)


def figures(posts: Sequence[StoredPost], tz, now: datetime, *, top: int = 10, truncated: bool = False,
            terms: Sequence[str] = ()) -> SubjectFigures:
    """The figures of a 专题 over its matching ``posts``."""
    days: dict[str, Counter] = {}
    sentiments: Counter = Counter()
    events: dict[str, list[int]] = {}
    week, fortnight = now - timedelta(days=7), now - timedelta(days=14)
    this_week = last_week = 0
    for sp in posts:
        day = sp.post.created_at.astimezone(tz).strftime("%Y-%m-%d")
        row = days.setdefault(day, Counter())
        row["total"] += 1
        a = sp.analysis
        if a is not None:
            row[str(a.sentiment)] += 1
            sentiments[str(a.sentiment)] += 1
            if a.event_id:
                counts = events.setdefault(a.event_id, [0, 0])
                counts[0] += 1
                counts[1] += str(a.sentiment) == "negative"
        if sp.post.created_at > week:
            this_week += 1
        elif sp.post.created_at > fortnight:
            last_week += 1
    by_day = [{"day": d, "total": c["total"], "negative": c["negative"], "neutral": c["neutral"],
               "positive": c["positive"]} for d, c in sorted(days.items())]

    def rank(sp: StoredPost):
        negative = sp.analysis is not None and str(sp.analysis.sentiment) == "negative"
        return (-(sp.post.likes + sp.post.replies), not negative, -sp.post.created_at.timestamp())

    return SubjectFigures(
        total=len(posts), by_day=by_day, sentiments=dict(sentiments), top_posts=sorted(posts, key=rank)[:top],
        events=sorted(((e, c[0], c[1]) for e, c in events.items()), key=lambda x: (-x[1], -x[2], x[0])),
        this_week=this_week, last_week=last_week, truncated=truncated, terms=list(terms))


# --- the alert rule made from a 专题 -----------------------------------------------------------


def rule_name(subject: Subject) -> str:
    """``zhuanti-<id>``: a rule file name (letters, digits, - and _ only)."""
    return f"zhuanti-{subject.id}"


def rule_text(subject: Subject, tree: OrgTree, *, min_posts: int = RULE_MIN_POSTS, window: str = RULE_WINDOW,
              severity: str = "medium") -> str:
    """The YAML of a ``keyword`` rule that fires when the 专题 moves: ``min_posts`` different messages
    matching its keywords within ``window`` about one matter, in its units (each unit's subtree
    spelled out, as the rules' ``filter.unit`` is exact) and sources. The caller validates it with
    the rules' own loader (:func:`yuqing.dashboard.rule_edit.parse_rule_text`) before saving."""
    if subject.id is None:
        raise SubjectError("请先保存专题，再生成预警规则")
    spec: dict = {"name": rule_name(subject), "type": "keyword",
                  "description": f"专题「{subject.name}」有新动向", "severity": severity}
    units = sorted(covered_units(subject, tree, None) or ())
    filt: dict = {}
    if units:
        filt["unit"] = units
    if subject.sources:
        filt["source"] = list(subject.sources)
    if filt:
        spec["filter"] = filt
    spec["keyword"] = {"query": subject.query, "min_posts": int(min_posts), "window": window, "group_by": "event"}
    header = (f"# 由专题「{subject.name}」（#{subject.id}）生成：{window} 内同一事件有 {min_posts} 条不同的帖子"
              f"提到这些关键词时预警。\n")
    return header + yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
