"""SQL built from queries, without a database (the counterpart of :mod:`..elasticsearch.queries`).

Each builder returns ``(sql, params)`` with ``?`` placeholders — values never go into the SQL text —
or a fixed statement; :mod:`.store` and its mixins run them. Tested in ``tests/storage/test_sqlite_sql.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from ...errors import StorageError
from ...query_syntax import ParsedQuery, fts_match
from ...schema import RISK_RANK, TRIAGE_HIDDEN, TRIAGE_MODES, IssueStatus
from ..base import PostQuery
from .rows import ISSUE_COLUMNS, ts

#: A live post: not deleted or hidden at its source (``post_removals``); prefix with the table alias.
LIVE = "rowid NOT IN (SELECT post_rowid FROM post_removals)"

#: Posts with their removal status (``removed_status``/``removed_reason``) as :func:`.rows.stored_post` reads them.
WITH_STATUS = """SELECT p.*, r.status AS removed_status, r.reason AS removed_reason
                  FROM posts p LEFT JOIN post_removals r ON r.post_rowid = p.rowid"""

#: Forgets a post's analysis (an UPDATE's SET list).
NO_ANALYSIS = """sentiment=NULL, p_negative=NULL, p_neutral=NULL, p_positive=NULL, topic=NULL, topics=NULL,
                 risk=NULL, keywords=NULL, tokens=NULL, simhash=NULL, event_id=NULL, model_version=NULL,
                 analyzed_at=NULL"""

INSERT_POST = """INSERT OR IGNORE INTO posts(id, source_id, source_kind, unit, native_id, author, author_id,
                   text, title, url, thread_id, parent_id, likes, replies, created_at, imported_at,
                   content_hash, pii, extra)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""

SAVE_ANALYSIS = """UPDATE posts SET sentiment=?, p_negative=?, p_neutral=?, p_positive=?, topic=?, topics=?, risk=?,
                     keywords=?, tokens=?, simhash=?, event_id=?, model_version=?, analyzed_at=? WHERE id=?"""

UPSERT_SOURCE = """INSERT INTO sources(id, name, kind, unit, match, url, status, options, configured, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET name=excluded.name, kind=excluded.kind, unit=excluded.unit,
                     match=excluded.match, url=excluded.url, status=excluded.status, options=excluded.options,
                     configured=MAX(configured, excluded.configured)"""

UPSERT_EVENT = """INSERT INTO events(id, label, keywords, topic, unit, first_at, last_at, size, negative, signature)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT(id) DO UPDATE SET label=excluded.label, keywords=excluded.keywords,
                    topic=excluded.topic, unit=excluded.unit, first_at=excluded.first_at, last_at=excluded.last_at,
                    size=excluded.size, negative=excluded.negative, signature=excluded.signature"""

INSERT_ISSUE = f"INSERT INTO issues({', '.join(ISSUE_COLUMNS)}) VALUES ({', '.join('?' * len(ISSUE_COLUMNS))})"
#: Compare-and-set: the row changes only if its version is still the one read (params: values, id, version).
UPDATE_ISSUE = f"UPDATE issues SET {', '.join(f'{c} = ?' for c in ISSUE_COLUMNS)} WHERE id = ? AND version = ?"

#: An issue with how many posts it holds (``post_count``).
ISSUE_WITH_COUNT = """SELECT i.*, (SELECT COUNT(*) FROM issue_posts ip WHERE ip.issue_id = i.id) AS post_count
                      FROM issues i"""
#: Open first, then by severity (high first), then most recently changed.
ISSUE_ORDER = ("i.status = 'closed', CASE i.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, "
               "i.updated_at DESC")

#: E-mails due at ``?`` and not claimed by a live lease at ``?`` (then ``LIMIT ?``).
DUE_EMAILS = """SELECT {columns} FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                  AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?"""


def in_(column: str, values: Iterable) -> tuple[str, list]:
    """``column IN (?, ?, …)`` and its parameters (sorted, so equal sets give equal SQL). Callers handle
    an empty set first (``IN ()`` is not SQL)."""
    vals = sorted(values)
    return f"{column} IN ({','.join('?' * len(vals))})", vals


def post_where(q: PostQuery, parsed: ParsedQuery | None = None, alias: str = "p") -> tuple[str, list]:
    """The WHERE condition selecting the posts ``q`` asks for (``parsed``: ``q.text`` parsed in the search
    syntax and cut as the posts' words were — the store does that). ``"0"`` when nothing can match (an
    empty unit scope, a text with no words); live posts only unless ``q.include_removed``."""
    clauses: list[str] = []
    params: list = []
    a = alias + "."
    if q.text.strip():
        if parsed is None or parsed.empty:
            return "0", []
        positive, negative = fts_match(parsed)
        if positive:
            clauses.append(f"{a}rowid IN (SELECT rowid FROM posts_grams WHERE posts_grams MATCH ?)")
            params.append(positive)
        if negative:
            clauses.append(f"{a}rowid NOT IN (SELECT rowid FROM posts_grams WHERE posts_grams MATCH ?)")
            params.append(negative)
    if q.author:
        # each side by its own partial index (posts_author_id, posts_author_name; an OR would scan)
        clauses.append(f"""{a}rowid IN (SELECT rowid FROM posts WHERE author_id = ? AND author_id != ''
                            UNION ALL SELECT rowid FROM posts WHERE author_id = '' AND author = ?)""")
        params.extend((q.author, q.author))
    if q.since is not None:
        clauses.append(f"{a}created_at >= ?")
        params.append(ts(q.since))
    if q.until is not None:
        clauses.append(f"{a}created_at < ?")
        params.append(ts(q.until))
    if q.units is not None:
        if not q.units:
            return "0", []
        c, p = in_(a + "unit", q.units)
        clauses.append(c)
        params.extend(p)
    for col, values in (("source_id", q.source_ids), ("source_kind", q.source_kinds), ("topic", q.topics),
                        ("sentiment", q.sentiments), ("risk", q.risks), ("id", q.ids)):
        if values:
            clauses.append(f"{a}{col} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if q.event_id:
        clauses.append(f"{a}event_id = ?")
        params.append(q.event_id)
    if q.thread_id:
        clauses.append(f"{a}thread_id = ?")
        params.append(q.thread_id)
    if q.analyzed is True:
        clauses.append(f"{a}analyzed_at IS NOT NULL")
    elif q.analyzed is False:
        clauses.append(f"{a}analyzed_at IS NULL")
    if not q.include_removed:
        clauses.append(a + LIVE)
    triaged = triage_clause(q.triage, alias)
    if triaged:
        clauses.append(triaged)
    return (" AND ".join(clauses) or "1"), params


def triage_clause(mode: str, alias: str = "p") -> str | None:
    """The condition a ``PostQuery.triage`` mode adds over posts (``alias``); None for ``all``: ``hide``
    leaves out posts marked 已处置/误报/忽略, ``only-open`` every post marked at all."""
    if mode not in TRIAGE_MODES:
        raise StorageError(f"未知的标注筛选方式 {mode!r}（可用：{'、'.join(TRIAGE_MODES)}）")
    if mode == "hide":
        marks = ",".join(f"'{m}'" for m in TRIAGE_HIDDEN)
        return (f"{alias}.rowid NOT IN (SELECT post_rowid FROM triage_state WHERE kind = 'post' "
                f"AND post_rowid IS NOT NULL AND mark IN ({marks}))")
    if mode == "only-open":
        return (f"{alias}.rowid NOT IN (SELECT post_rowid FROM triage_state WHERE kind = 'post' "
                "AND post_rowid IS NOT NULL)")
    return None


def risk_rank_sql(column: str) -> str:
    """``column``'s risk as its rank (:data:`~yuqing.schema.RISK_RANK`; 0 when not analysed)."""
    whens = " ".join(f"WHEN '{risk}' THEN {rank}" for risk, rank in RISK_RANK.items())
    return f"(CASE {column} {whens} ELSE 0 END)"


def post_order(q: PostQuery, alias: str = "p") -> str:
    """The ORDER BY of a post listing: by time (``q.newest_first``), or by heat — risk first, then how
    negative, then newest (``PostQuery.sort``)."""
    a = alias + "."
    if q.sort == "heat":
        return f"{risk_rank_sql(a + 'risk')} DESC, COALESCE({a}p_negative, 0) DESC, {a}created_at DESC, {a}rowid DESC"
    order = "DESC" if q.newest_first else "ASC"
    return f"{a}created_at {order}, {a}rowid {order}"


def events_where(since: datetime | None, units: set[str] | None) -> tuple[str, list] | None:
    """Events (``e``) last active since ``since`` and, with ``units``, holding a post of one of them (None:
    an empty scope, nothing to ask)."""
    clauses, params = [], []
    if since is not None:
        clauses.append("e.last_at >= ?")
        params.append(ts(since))
    if units is not None:
        if not units:
            return None
        # an event is visible to a unit scope when any of its posts is in that scope (one probe of the
        # posts_unit_event index per event, migration 0017)
        c, p = in_("p.unit", units)
        clauses.append(f"EXISTS (SELECT 1 FROM posts p INDEXED BY posts_unit_event WHERE {c} AND p.event_id = e.id)")
        params.extend(p)
    return " AND ".join(clauses) or "1", params


def issue_where(*, units: set[str] | None, status: str | None = None, severity: str | None = None,
                step: str | None = None, overdue: bool | None = None, now: datetime | None = None,
                since: datetime | None = None, until: datetime | None = None,
                after_id: int | None = None) -> tuple[str, list] | None:
    """The WHERE condition over ``issues i`` for a listing or a count (None: an empty unit scope)."""
    clauses: list[str] = []
    params: list = []
    if units is not None:
        if not units:
            return None
        c, p = in_("i.unit", units)
        clauses.append(c)
        params.extend(p)
    for column, value in (("i.status", status), ("i.severity", severity), ("i.step", step)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if overdue is not None:
        late = f"i.status = '{IssueStatus.OPEN}' AND i.due_at IS NOT NULL AND i.due_at < ?"
        clauses.append(late if overdue else f"NOT ({late})")
        params.append(ts(now) if now is not None else None)
    if since is not None:
        clauses.append("i.created_at >= ?")
        params.append(ts(since))
    if until is not None:
        clauses.append("i.created_at < ?")
        params.append(ts(until))
    if after_id is not None:
        clauses.append("i.id > ?")
        params.append(after_id)
    return " AND ".join(clauses) or "1", params


def split_statements(sql: str) -> list[str]:
    """A migration file's statements, one by one (``sqlite3.complete_statement`` knows about triggers;
    comment lines between statements are skipped)."""
    out: list[str] = []
    buf: list[str] = []
    for line in sql.splitlines():
        if not buf and (not line.strip() or line.strip().startswith("--")):
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if buf and "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


def split_period(since: int, until: int | None, size: int) -> tuple[tuple[int, int | None] | None, list[tuple[int, int]]]:
    """The whole buckets of ``size`` seconds inside ``[since, until)`` as ``(first, stop)`` bucket
    numbers (``stop`` None: no end) or None, and the partial edges as ``[(lo, hi)]`` in seconds."""
    first = -(-since // size)
    head = [(since, first * size)] if since < first * size else []
    if until is None:
        return (first, None), head
    stop = until // size
    if stop <= first:
        return None, ([(since, until)] if since < until else [])
    return (first, stop), head + ([(stop * size, until)] if stop * size < until else [])


def rollable(q: PostQuery) -> bool:
    """Whether the rollups answer ``q``: a period over all units, live posts, no other filter."""
    return (q.units is None and q.since is not None and not q.text.strip() and not q.event_id and not q.thread_id
            and not (q.source_ids or q.source_kinds or q.topics or q.sentiments or q.risks or q.ids)
            and q.analyzed is None and not q.include_removed and q.triage == "all" and not q.author)
