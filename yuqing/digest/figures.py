"""Compute a digest's figures from the store into plain dataclasses (:mod:`.model`).

Only reads the store (through its aggregations and the digest queries); nothing is invented:
every number is a count over posts or issues, and every row carries the link that shows them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ..casework.model import CLOSED, METHODS, STEPS, Issue
from ..config import Config
from ..orgtree import OrgTree
from ..pii import mask_pii
from ..schema import RISK_LABELS, SENTIMENT_LABELS, SEVERITY_LABELS, TOPICS, IssueStatus, Risk, Sentiment, StoredPost
from ..storage.base import PostQuery
from . import links
from .errors import DigestError
from .model import (
    CaseworkSection,
    DayRow,
    EventRow,
    Figures,
    Headline,
    IssueActivity,
    IssueRef,
    IssueSection,
    PostRef,
    TermRow,
    TopicRow,
    UnitRow,
    share,
)
from .period import Period

if TYPE_CHECKING:
    from ..storage.protocols import ReportStore

TOP_TOPICS = 6
TOP_EVENTS = 8
SAMPLES_PER_TOPIC = 3
TOP_UNITS = 12
#: A term is "emerging" when this many posts name it this period and none in the baseline periods.
EMERGING_MIN_POSTS = 3
EMERGING_BASELINE_PERIODS = 4
SAMPLE_CHARS = 140


@dataclass
class _Ctx:
    store: object
    config: Config
    tree: OrgTree
    period: Period
    units: set[str] | None
    scope: str
    sources: dict[str, str]
    now: datetime

    @property
    def tz(self):
        return self.config.tz

    def cutoff(self, period: Period | None = None) -> datetime:
        """When "overdue" is judged for a period: its end, or now for a period not over yet."""
        return min((period or self.period).until(self.tz), self.now)

    @property
    def base(self) -> str:
        return self.config.dashboard.base_url

    def q(self, period: Period | None = None, **kw) -> PostQuery:
        p = period or self.period
        return PostQuery(since=p.since(self.tz), until=p.until(self.tz), units=self.units, **kw)

    def search(self, period: Period | None = None, **filters: str) -> str:
        p = period or self.period
        return links.search_url(self.base, p.start, p.end, units=self.scope, **filters)

    def unit_name(self, code: str) -> str:
        """The unit with its parents below the root: "二矿工会 / 掘进二区" (the root says nothing)."""
        chain = [code, *self.tree.ancestors(code)][::-1]
        if len(chain) > 2:
            chain = chain[-2:]
        elif len(chain) == 2 and not self.tree.parent(chain[0]):
            chain = chain[1:]
        return " / ".join(self.tree.name(c) for c in chain)

    def local(self, d: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return d.astimezone(self.tz).strftime(fmt) if d else ""


def scope_units(tree: OrgTree, unit: str) -> set[str] | None:
    """The unit codes a digest for ``unit`` covers (its subtree); None for the whole organisation."""
    if not unit:
        return None
    if unit not in tree:
        raise DigestError(f"没有单位代码 {unit!r}（见配置文件 [[units]]）")
    return tree.subtree(unit)


def compute_figures(store: ReportStore, config: Config, period: Period, *, unit: str = "",
                    now: datetime | None = None) -> Figures:
    """Everything the digest for ``period`` (scoped to ``unit``'s subtree) shows."""
    now = now or datetime.now(timezone.utc)
    tree = OrgTree(store.list_units() or config.units)
    ctx = _Ctx(store, config, tree, period, scope_units(tree, unit), unit,
               {s.id: s.name for s in store.list_sources()}, now)
    prev = period.previous()
    issues, prev_issue_counts = _issue_section(ctx, prev)
    return Figures(
        period=period, previous=prev, scope=unit, scope_name=tree.name(unit) if unit else _org_name(tree),
        generated_at=ctx.local(now), base_url=ctx.base,
        headlines=_headlines(ctx, prev, issues, prev_issue_counts),
        days=_days(ctx), topics=_topics(ctx, prev), hot_issues=_hot_issues(ctx, prev), events=_events(ctx, prev),
        emerging_terms=_emerging_terms(ctx), units=_units(ctx, prev), issues=issues,
        all_posts_link=ctx.search(), casework=_casework(ctx) if period.kind == "month" else None,
        triage=ctx.store.triage_counts(period.since(ctx.tz), period.until(ctx.tz), ctx.units),
    )


def _casework(ctx: _Ctx) -> CaseworkSection | None:
    """The month's 说事解事 figures and the assessment of the units in scope (all matters of the
    month, whatever their units' rows look like)."""
    from ..casework.scorecard import compute_scorecard

    since, until = ctx.period.since(ctx.tz), ctx.period.until(ctx.tz)
    issues = ctx.store.digest_issues(since, until, None)
    rows = compute_scorecard(ctx.tree, issues, ctx.store.issue_histories([i.id for i in issues]), since, until,
                             ctx.now)
    roots = ctx.tree.roots()
    code = ctx.scope or (roots[0] if len(roots) == 1 else "")
    total = next((r for r in rows if r.unit == code), None)
    if total is None:
        return None
    inside = ctx.units if ctx.units is not None else set(ctx.tree.units)
    return CaseworkSection(total.figures_text(), total, [r for r in rows if r.unit in inside and r.active])


def _org_name(tree: OrgTree) -> str:
    roots = tree.roots()
    return tree.name(roots[0]) if len(roots) == 1 else "全部单位"


# --- posts ------------------------------------------------------------------------------------
def _headlines(ctx: _Ctx, prev: Period, section: IssueSection, prev_issue_counts: dict[str, int]) -> list[Headline]:
    now_c = ctx.store.overview_counts(ctx.q())
    prev_c = ctx.store.overview_counts(ctx.q(prev))
    return [
        Headline("posts", "职工发帖", now_c["total"], prev_c["total"], ctx.search()),
        Headline("negative_share", "负面占比", share(now_c["negative"], now_c["total"]),
                 share(prev_c["negative"], prev_c["total"]), ctx.search(sentiment="negative"), "%"),
        Headline("negative", "负面帖子", now_c["negative"], prev_c["negative"], ctx.search(sentiment="negative")),
        Headline("high_risk", "高风险帖子", now_c["high_risk"], prev_c["high_risk"], ctx.search(risk="high")),
        Headline("raised", "新立议题", len(section.raised), prev_issue_counts["raised"], "#issues-raised", "件"),
        Headline("resolved", "办结议题", len(section.resolved), prev_issue_counts["resolved"], "#issues-resolved", "件"),
        Headline("overdue", "逾期未办结", len(section.overdue), prev_issue_counts["overdue"], "#issues-overdue", "件"),
    ]


def _by_day(ctx: _Ctx, q: PostQuery) -> dict[str, dict]:
    offset = int(ctx.tz.utcoffset(datetime.combine(ctx.period.start, datetime.min.time())).total_seconds())
    return {r["day"]: r for r in ctx.store.volume_by_day(q, utc_offset_seconds=offset)}


def _series(ctx: _Ctx, q: PostQuery, key: str) -> list[int]:
    """``key`` ("total", "negative") per local day of the period, zeros included."""
    rows = _by_day(ctx, q)
    return [rows[d.isoformat()][key] if d.isoformat() in rows else 0 for d in ctx.period.days]


def _days(ctx: _Ctx) -> list[DayRow]:
    rows = _by_day(ctx, ctx.q())
    out = []
    for d in ctx.period.days:
        r = rows.get(d.isoformat(), {"total": 0, "negative": 0})
        day_link = links.search_url(ctx.base, d, d + timedelta(days=1), units=ctx.scope)
        out.append(DayRow(d.isoformat(), r["total"], r["negative"], day_link))
    return out


def post_ref(ctx: _Ctx, sp: StoredPost) -> PostRef:
    text = mask_pii(" ".join(sp.post.text.split()))
    if len(text) > SAMPLE_CHARS:
        text = text[:SAMPLE_CHARS] + "…"
    a = sp.analysis
    return PostRef(
        id=sp.post.id, when=ctx.local(sp.post.created_at), source=ctx.sources.get(sp.post.source_id, sp.post.source_id),
        unit=ctx.unit_name(sp.unit), text=text,
        sentiment=SENTIMENT_LABELS[Sentiment(a.sentiment)] if a else "未分析",
        risk=RISK_LABELS[Risk(a.risk)] if a else "", link=links.post_url(ctx.base, sp.post.id))


def _topics(ctx: _Ctx, prev: Period) -> list[TopicRow]:
    before = {r["topic"]: r for r in ctx.store.topic_mix(ctx.q(prev))}
    out = []
    for r in ctx.store.topic_mix(ctx.q())[:TOP_TOPICS]:
        code = r["topic"]
        p = before.get(code, {"total": 0, "negative": 0})
        samples = ctx.store.representative_posts(ctx.q(topics=[code], limit=SAMPLES_PER_TOPIC))
        out.append(TopicRow(code, TOPICS.get(code, code), r["total"], r["negative"], r["high_risk"], p["total"],
                            p["negative"], ctx.search(topic=code), ctx.search(topic=code, sentiment="negative"),
                            [post_ref(ctx, sp) for sp in samples]))
    return out


def _hot_issues(ctx: _Ctx, prev: Period) -> list[IssueActivity]:
    before = {a["issue_id"]: a["posts"] for a in ctx.store.issue_activity(ctx.q(prev), limit=1000)}
    out = []
    for a in ctx.store.issue_activity(ctx.q(), limit=TOP_EVENTS):
        issue = ctx.store.get_issue(a["issue_id"])
        ids = ctx.store.issue_post_ids(a["issue_id"])
        out.append(IssueActivity(
            issue_ref(ctx, issue), a["posts"], a["negative"], a["high_risk"], before.get(a["issue_id"], 0),
            ctx.local(a["first_at"], "%m-%d"), ctx.local(a["last_at"], "%m-%d"), _series(ctx, ctx.q(ids=ids), "total")))
    return out


def _events(ctx: _Ctx, prev: Period) -> list[EventRow]:
    """Events no issue covers (those with an issue are counted with their issue)."""
    acts = ctx.store.event_activity(ctx.q(), limit=1000)
    ids = [a["event_id"] for a in acts]
    covered = set(ctx.store.issues_for_events(ids)) | ctx.store.events_with_issue_posts(ids)
    acts = [a for a in acts if a["event_id"] not in covered]
    acts.sort(key=lambda a: (-a["negative"], -a["posts"], a["event_id"]))
    acts = acts[:TOP_EVENTS]
    before = {a["event_id"]: a["posts"] for a in ctx.store.event_activity(ctx.q(prev), limit=1000)}
    since = ctx.period.since(ctx.tz)
    out = []
    for a in acts:
        ev = ctx.store.get_event(a["event_id"])
        out.append(EventRow(
            id=a["event_id"], label=mask_pii(ev.label) if ev else a["event_id"],
            topic=TOPICS.get(ev.topic, ev.topic) if ev else "", posts=a["posts"], negative=a["negative"],
            prev_posts=before.get(a["event_id"], 0), first_at=ctx.local(ev.first_at if ev else None, "%m-%d"),
            last_at=ctx.local(a["last_at"], "%m-%d"), is_new=bool(ev and ev.first_at and ev.first_at >= since),
            link=ctx.search(event=a["event_id"]), daily=_series(ctx, ctx.q(event_id=a["event_id"]), "total")))
    return out


def _emerging_terms(ctx: _Ctx) -> list[TermRow]:
    now_terms = ctx.store.term_counts(ctx.q(), limit=300)
    base_since = ctx.period
    for _ in range(EMERGING_BASELINE_PERIODS):
        base_since = base_since.previous()
    baseline = PostQuery(since=base_since.since(ctx.tz), until=ctx.period.since(ctx.tz), units=ctx.units)
    seen = ctx.store.term_counts(baseline, limit=100000)
    return [TermRow(t, n, ctx.search(q=t)) for t, n in now_terms.items()
            if n >= EMERGING_MIN_POSTS and t not in seen][:12]


def _units(ctx: _Ctx, prev: Period) -> list[UnitRow]:
    before = {r["unit"]: r for r in ctx.store.sentiment_by_unit(ctx.q(prev))}
    out = []
    for r in ctx.store.sentiment_by_unit(ctx.q())[:TOP_UNITS]:
        p = before.get(r["unit"], {"total": 0, "negative": 0})
        daily = _series(ctx, PostQuery(since=ctx.period.since(ctx.tz), until=ctx.period.until(ctx.tz),
                                       units={r["unit"]}), "negative")
        out.append(UnitRow(r["unit"], ctx.unit_name(r["unit"]), r["total"], r["negative"], p["total"], p["negative"],
                           ctx.search(unit=r["unit"]), ctx.search(unit=r["unit"], sentiment="negative"), daily))
    return out


# --- issues -----------------------------------------------------------------------------------
def issue_ref(ctx: _Ctx, issue: Issue, at: datetime | None = None) -> IssueRef:
    at = at or ctx.cutoff()
    closed = issue.status == IssueStatus.CLOSED
    return IssueRef(
        id=issue.id, title=mask_pii(issue.title), severity=SEVERITY_LABELS.get(issue.severity, issue.severity),
        unit=ctx.unit_name(issue.unit), step=CLOSED if closed else issue.step, status=issue.status,
        method=issue.method, opened=ctx.local(issue.created_at, "%m-%d"), due=ctx.local(issue.due_at, "%m-%d"),
        overdue=_overdue_at(issue, at), post_count=issue.post_count, link=links.issue_url(ctx.base, issue.id),
        created_at=issue.created_at, closed_at=issue.closed_at)


def _overdue_at(issue: Issue, at: datetime) -> bool:
    """Open at ``at`` and past its deadline."""
    open_then = issue.closed_at is None or issue.closed_at >= at
    return open_then and issue.due_at is not None and issue.due_at < at


def _classify(issues: list[Issue], since: datetime, until: datetime, cutoff: datetime) -> dict[str, list[Issue]]:
    return {
        "raised": [i for i in issues if since <= i.created_at < until],
        "resolved": [i for i in issues if i.closed_at is not None and since <= i.closed_at < until],
        "overdue": [i for i in issues if _overdue_at(i, cutoff)],
    }


def _tally(pairs: list[tuple[str, int]]) -> list[tuple[str, int, list[int]]]:
    ids: dict[str, list[int]] = defaultdict(list)
    for key, issue_id in pairs:
        ids[key].append(issue_id)
    return sorted(((k, len(v), v) for k, v in ids.items()), key=lambda t: (-t[1], t[0]))


def _issue_section(ctx: _Ctx, prev: Period) -> tuple[IssueSection, dict]:
    since, until = ctx.period.since(ctx.tz), ctx.period.until(ctx.tz)
    active = ctx.store.digest_issues(since, until, ctx.units)
    parts = _classify(active, since, until, ctx.cutoff())
    prev_active = ctx.store.digest_issues(prev.since(ctx.tz), prev.until(ctx.tz), ctx.units)
    prev_counts = {k: len(v) for k, v in _classify(prev_active, prev.since(ctx.tz), prev.until(ctx.tz),
                                                                ctx.cutoff(prev)).items()}
    refs = {i.id: issue_ref(ctx, i) for i in active}
    by_step: dict[str, list[int]] = {s: [] for s in (*STEPS, CLOSED)}
    for i in active:
        by_step.setdefault(refs[i.id].step, []).append(i.id)
    steps = [(s, len(ids), ids) for s, ids in by_step.items()]
    methods = _tally([(i.method, i.id) for i in active if i.method in METHODS])
    overdue_units = _tally([(refs[i.id].unit, i.id) for i in parts["overdue"]])
    section = IssueSection(
        raised=[refs[i.id] for i in parts["raised"]], resolved=[refs[i.id] for i in parts["resolved"]],
        overdue=[refs[i.id] for i in parts["overdue"]], steps=steps, methods=methods, overdue_by_unit=overdue_units)
    return section, prev_counts
