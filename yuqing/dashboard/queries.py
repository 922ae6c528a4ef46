"""The dashboard's data access: cached store calls, keyed by the user's unit scope.

Every function takes ``scope`` (a sorted tuple of unit codes, or None for all units) and
passes it as ``units=`` to the store, so a page can only ever see what the scope allows; events
and issues that gather posts of other units come back as the scope may see them (label, keywords,
title and summary from the scope's own posts: :mod:`.scoped`). Post text, titles, labels and
keywords are masked (:func:`yuqing.pii.mask_pii`) unless ``show_pii`` is true. Results are plain
data (lists of dicts and dataclasses) that ``st.cache_data`` can copy.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import streamlit as st

from ..casework.model import Issue
from ..orgtree import OrgTree
from ..pii import has_pii, mask_pii
from ..schema import Event, IssueStatus, StoredPost, severity_rank
from ..scoped import event_view
from ..scoped import issue_view as scoped_issue_view
from ..storage.base import PostQuery
from .session import config, store
from .session import config as session_config

TTL = 60


def _units(scope: tuple[str, ...] | None) -> set[str] | None:
    return None if scope is None else set(scope)


def _masked(posts: list[StoredPost], show_pii: bool) -> list[StoredPost]:
    if show_pii:
        return posts
    out = []
    for sp in posts:
        p = sp.post
        masked = replace(p, text=mask_pii(p.text), title=mask_pii(p.title), author=mask_pii(p.author))
        out.append(replace(sp, post=masked))
    return out


def _masked_event(event: Event, show_pii: bool) -> Event:
    if show_pii:
        return event
    return replace(event, label=mask_pii(event.label), keywords=[mask_pii(k) for k in event.keywords])


def _scoped_event(s, scope, event: Event | None) -> Event | None:
    """The event as ``scope`` may see it (label and keywords from the scope's posts)."""
    if event is None or scope is None:
        return event
    q = post_query(scope, event_id=event.id, limit=500)
    return event_view(event, s.query_posts(q), s.count_posts(q))


def _tree() -> OrgTree:
    return OrgTree(store().list_units() or config().units)


def _scoped_issue(s, scope, issue: Issue, *, involved: bool = False) -> Issue:
    """The issue as ``scope`` may see it (title and summary from the scope's posts)."""
    if scope is None:
        return issue
    visible = s.scoped_issue_posts(issue.id, _units(scope), limit=2000)
    if involved:  # its post_count counts the scope's posts only: compare with all of them
        full = s.get_issue(issue.id)
        issue = replace(issue, post_count=full.post_count if full else issue.post_count)
    view = scoped_issue_view(issue, visible, _tree(), tz=config().tz)
    if involved:
        view = replace(view, extra={**view.extra, "involved": True})
    return view


def post_query(scope, since: datetime | None = None, until: datetime | None = None, **filters) -> PostQuery:
    return PostQuery(units=_units(scope), since=since, until=until, **filters)


# --- overview ---------------------------------------------------------------------------
def live_key(scope) -> tuple[int, int]:
    """Not cached: (newest issue id, open issues) in ``scope`` — passed as ``live=`` to the cached
    queries that show alerts, so a new alert is a new cache key and shows at once."""
    from .live import signature

    return signature(store(), _units(scope))


@st.cache_data(ttl=TTL, show_spinner=False)
def overview(scope, show_pii: bool, since: datetime, utc_offset: int, live: tuple = ()) -> dict:
    s = store()
    q = post_query(scope, since)
    units = _units(scope)
    recent = [_masked_issue(i, show_pii) for i in _issues_for(s, scope, status="open", limit=30)]
    return {
        **s.breakdown(q),  # counts, by_unit, by_kind, topics in one pass
        "by_day": s.volume_by_day(q, utc_offset),
        "open_issues": s.count_issues(units=units, status=IssueStatus.OPEN),
        "overdue_issues": s.count_issues(units=units, overdue=True),
        # open matters (the page orders them by severity, then time, and hides handled matters)
        "recent_issues": recent,
        "issue_event_marks": s.triage_marks("event", [i.event_id for i in recent if i.event_id]),
    }


# --- search -----------------------------------------------------------------------------
@st.cache_data(ttl=TTL, show_spinner=False)
def search(scope, show_pii: bool, text: str, since: datetime | None, source_ids: tuple, topics: tuple,
           sentiments: tuple, risks: tuple, limit: int = 100, *, until: datetime | None = None,
           source_kinds: tuple = (), event_id: str = "", author: str = "", sort: str = "time", offset: int = 0,
           newest_first: bool = True, triage: str = "hide") -> tuple[int, list[StoredPost]]:
    """One page of matching posts (``offset``/``limit``, ``sort`` time|heat) and how many match in all;
    ``triage`` (``hide`` by default: posts marked 已处置/误报/忽略 are left out of the page and the count;
    ``all``; ``only-open``)."""
    q = post_query(scope, since, until, text=text, source_ids=source_ids, source_kinds=source_kinds, topics=topics,
                   sentiments=sentiments, risks=risks, event_id=event_id, author=author, sort=sort, limit=limit,
                   offset=offset, newest_first=newest_first, triage=triage)
    page = store().search_posts(q)
    return page.total, _masked(page.posts, show_pii)


def query_cutter():
    """How the store cuts a query term into words (the search-mode cut; for highlighting the same words)."""
    from ..nlp.tokenize import search_tokens

    return lambda term: search_tokens("", term)


@st.cache_data(ttl=TTL, show_spinner=False)
def chat_position(scope, source_id: str, post_id: str, since: datetime | None = None,
                  until: datetime | None = None) -> int | None:
    """How many of the chat's posts (in scope, in the period) come before ``post_id``; None when the
    post is not one of them."""
    s = store()
    found = s.query_posts(post_query(scope, since, until, source_ids=(source_id,), ids=(post_id,), limit=1))
    if not found:
        return None
    return s.count_posts(post_query(scope, since, found[0].post.created_at, source_ids=(source_id,)))


@st.cache_data(ttl=TTL, show_spinner=False)
def event_choices(scope, show_pii: bool, since: datetime | None, wanted: str = "") -> dict[str, str]:
    """Events with posts in scope (largest first) as id → label, plus ``wanted`` when it has posts in
    scope; an event seen only outside the scope is never named."""
    s = store()
    found = {e.id: _scoped_event(s, scope, e).label for e in s.list_events(since=since, units=_units(scope), limit=50)}
    if wanted and wanted not in found and s.count_posts(post_query(scope, event_id=wanted, limit=1)):
        event = _scoped_event(s, scope, s.get_event(wanted))
        found[wanted] = event.label if event else wanted
    return found if show_pii else {k: mask_pii(v) for k, v in found.items()}


@st.cache_data(ttl=TTL, show_spinner=False)
def post_detail(scope, show_pii: bool, post_id: str) -> dict | None:
    """A post in scope with its thread context, its event and its corrections; None if outside scope."""
    s = store()
    found = s.query_posts(post_query(scope, ids=(post_id,), limit=1))
    if not found:
        return None
    sp = found[0]
    context: list[StoredPost] = []
    if sp.post.thread_id:
        t = sp.post.created_at
        context = s.query_posts(post_query(scope, t - timedelta(days=1), t + timedelta(days=1),
                                           thread_id=sp.post.thread_id, limit=15, newest_first=False))
    event = s.get_event(sp.analysis.event_id) if sp.analysis and sp.analysis.event_id else None
    event = _scoped_event(s, scope, event)
    return {"post": _masked([sp], show_pii)[0], "context": _masked(context, show_pii),
            "event": _masked_event(event, show_pii) if event else None, "labels": s.post_labels(post_id)}


# --- topics and events ------------------------------------------------------------------
def _terms(counts: dict[str, int], show_pii: bool) -> dict[str, int]:
    """Word-cloud terms; a term that is somebody's phone or ID number is left out unless allowed."""
    return counts if show_pii else {t: n for t, n in counts.items() if not has_pii(t)}


@st.cache_data(ttl=TTL, show_spinner=False)
def week_compare(scope, now: datetime, show_pii: bool = False) -> dict:
    s = store()
    this_q = post_query(scope, now - timedelta(days=7), now)
    last_q = post_query(scope, now - timedelta(days=14), now - timedelta(days=7))
    return {
        "topics_this": s.topic_mix(this_q), "topics_last": s.topic_mix(last_q),
        "terms_this": _terms(s.term_counts(this_q, 300), show_pii),
        "terms_last": _terms(s.term_counts(last_q, 300), show_pii),
        "events_this": s.event_activity(this_q), "events_last": s.event_activity(last_q),
    }


@st.cache_data(ttl=TTL, show_spinner=False)
def events(scope, ids: tuple[str, ...], show_pii: bool = False) -> dict[str, Event]:
    """The events ``ids`` as ``scope`` may see them: label, keywords and unit from its own posts."""
    s = store()
    found = (_scoped_event(s, scope, s.get_event(i)) for i in ids)
    return {e.id: _masked_event(e, show_pii) for e in found if e is not None}


@st.cache_data(ttl=TTL, show_spinner=False)
def event_posts(scope, show_pii: bool, event_id: str, utc_offset: int) -> dict:
    s = store()
    q = post_query(scope, event_id=event_id, limit=50)
    return {"by_day": s.volume_by_day(q, utc_offset), "posts": _masked(s.query_posts(q), show_pii)}


# --- issues -----------------------------------------------------------------------------
def _masked_issue(issue: Issue, show_pii: bool) -> Issue:
    """Issue titles and summaries quote posts, so they are masked like posts."""
    if show_pii:
        return issue
    return replace(issue, title=mask_pii(issue.title), summary=mask_pii(issue.summary))




def _issues_for(s, scope, *, status=None, severity=None, step=None, overdue=None, limit: int = 200) -> list[Issue]:
    """The issues ``scope`` leads and — for a unit scope — those led elsewhere that hold its posts
    (marked ``extra["involved"]``, read only), each as the scope may see it; open and most severe first."""
    now = datetime.now(timezone.utc)
    rows = [_scoped_issue(s, scope, i) for i in s.list_issues(units=_units(scope), status=status, severity=severity,
                                                              step=step, overdue=overdue, now=now, limit=limit)]
    if scope is not None:
        for i in s.involved_issues(_units(scope), status=status, limit=limit):
            late = i.status == IssueStatus.OPEN and i.due_at is not None and i.due_at < now
            if (severity and i.severity != severity) or (step and i.step != step) or (
                    overdue is not None and late != overdue):
                continue
            rows.append(_scoped_issue(s, scope, i, involved=True))
        rows.sort(key=lambda i: (i.status == IssueStatus.CLOSED, -severity_rank(i.severity),
                                 -(i.updated_at.timestamp() if i.updated_at else 0)))
    return rows[:limit]


@st.cache_data(ttl=TTL, show_spinner=False)
def issues(scope, show_pii: bool, status: str | None, severity: str | None, step: str | None,
           overdue: bool | None, live: tuple = ()) -> list[Issue]:
    return [_masked_issue(i, show_pii) for i in _issues_for(store(), scope, status=status, severity=severity,
                                                            step=step, overdue=overdue)]


def issue(scope, issue_id: int) -> Issue | None:
    """Not cached: an issue page must show the current version before anyone changes it.
    Returned unmasked and as stored — the page shows :func:`issue_view` of it (saving a masked or
    scoped copy would store the mask)."""
    return store().get_issue(issue_id, units=_units(scope))


def issue_view(scope, show_pii: bool, issue: Issue) -> Issue:
    """What the page shows of ``issue``: as the scope may see it, masked."""
    return _masked_issue(_scoped_issue(store(), scope, issue), show_pii)


def involved_issue(scope, show_pii: bool, issue_id: int) -> Issue | None:
    """A matter another unit leads that holds posts of ``scope`` (read only), as the scope may see it."""
    if scope is None:
        return None
    s = store()
    for i in s.involved_issues(_units(scope), limit=1000):
        if i.id == issue_id:
            return _masked_issue(_scoped_issue(s, scope, i, involved=True), show_pii)
    return None


@st.cache_data(ttl=TTL, show_spinner=False)
def issue_posts(scope, show_pii: bool, issue_id: int) -> list[StoredPost]:
    return _masked(store().scoped_issue_posts(issue_id, _units(scope)), show_pii)


# --- e-mail -----------------------------------------------------------------------------
@st.cache_data(ttl=TTL, show_spinner=False)
def failed_emails() -> list[dict]:
    """E-mails given up (for monitors and admins)."""
    return store().failed_emails(limit=50)


# --- the committee's ledger and the assessment --------------------------------------------
def _period(kind: str, label: str):
    from ..digest.period import parse_month, parse_year

    return parse_year(label) if kind == "year" else parse_month(label)


@st.cache_data(ttl=TTL, show_spinner=False)
def ledger(scope, unit: str, kind: str, label: str):
    """The 工作台账 of ``unit``'s subtree ("" = everything the scope holds) for a month or a year."""
    from ..casework.ledger_files import ledger_of

    return ledger_of(store(), session_config(), _period(kind, label), unit=unit, allowed=_units(scope))


@st.cache_data(ttl=TTL, show_spinner=False)
def scorecard(scope, label: str):
    """Every unit's assessment for a month, the units outside ``scope`` left out."""
    from ..casework.ledger_files import scorecard_of

    return scorecard_of(store(), session_config(), _period("month", label), allowed=_units(scope))


@st.cache_data(ttl=TTL, show_spinner=False)
def default_month() -> str:
    from ..casework.ledger_files import default_month as pick
    from .session import org

    cfg = session_config()
    return pick(store(), org(), cfg.tz).label


# --- sources ----------------------------------------------------------------------------
@st.cache_data(ttl=TTL, show_spinner=False)
def source_health(scope) -> list[dict]:
    return store().source_health(units=_units(scope))


# --- triage -------------------------------------------------------------------------------
def triage_marks(kind: str, ids) -> dict:
    """Not cached (an index lookup): the current marks of posts or events, so a mark shows at once."""
    ids = [i for i in ids if i]
    return store().triage_marks(kind, ids) if ids else {}


# --- 专题 ---------------------------------------------------------------------------------
#: Candidate posts read per keyword of a 专题 (newest first) before its expression is applied.
SUBJECT_CANDIDATES = 5000


def subjects(scope) -> list:
    """Not cached (a small table): the 专题 ``scope`` may see."""
    return store().list_subjects(_units(scope))


@st.cache_data(ttl=TTL, show_spinner=False)
def subject_view(scope, show_pii: bool, subject_id: int, version: int, since: datetime, now: datetime):
    """A 专题's figures over its posts in ``scope`` since ``since`` (keyed by its version: an edit shows
    at once). Candidates are found with the store's full-text search, one query per keyword of the
    expression, then the expression, units and sources are applied exactly (:mod:`yuqing.subjects`)."""
    from .. import subjects as sj

    s = store()
    subject = s.get_subject(subject_id)
    if subject is None:
        return None
    tree = _tree()
    match = sj.matcher(subject, tree, _units(scope))
    units = match.units
    terms = sj.positive_terms(match.node)
    candidates: list[StoredPost] = []
    truncated = False
    for term in terms:
        q = PostQuery(text=term, since=since, units=units, source_ids=tuple(subject.sources),
                      limit=SUBJECT_CANDIDATES)
        found = s.query_posts(q)
        truncated |= len(found) >= SUBJECT_CANDIDATES
        candidates += found
    posts = sj.matching(candidates, match)
    fig = sj.figures(_masked(posts, show_pii), config().tz, now, truncated=truncated, terms=terms)
    names = {e.id: e.label for e in events(scope, tuple(e for e, _, _ in fig.events[:10]), show_pii).values()}
    return subject, fig, names


def clear() -> None:
    """Forget cached results after a change."""
    st.cache_data.clear()
