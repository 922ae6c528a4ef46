"""SQLite queries only the digests need (issues active in a period, issues by their posts in a
period, the issues behind events, representative posts). Mixed into :class:`.store.SqliteStore`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ...casework.model import Issue
from ...schema import IssueKind, StoredPost
from ..base import PostQuery
from . import rows as R
from . import sql as S


class DigestMixin:
    def digest_issues(self, since: datetime, until: datetime, units: set[str] | None = None,
                      kind: str = IssueKind.OPINION) -> list[Issue]:
        """Issues of ``kind`` alive during [since, until): opened before ``until`` and not closed
        before ``since``. Oldest first. Whether each was raised, resolved or overdue in the period
        follows from its ``created_at`` / ``closed_at`` / ``due_at``."""
        clauses = ["i.kind = ?", "i.created_at < ?", "(i.closed_at IS NULL OR i.closed_at >= ?)"]
        params: list = [kind, R.ts(until), R.ts(since)]
        if units is not None:
            if not units:
                return []
            c, p = S.in_("i.unit", units)
            clauses.append(c)
            params.extend(p)
        rows = self.q(f"{S.ISSUE_WITH_COUNT} WHERE {' AND '.join(clauses)} ORDER BY i.created_at, i.id", params)
        return [R.issue(r) for r in rows]

    def issues_for_events(self, event_ids: Iterable[str]) -> dict[str, Issue]:
        """The newest issue raised for each event (open or closed): ``{event_id: issue}``."""
        ids = sorted({e for e in event_ids if e})
        if not ids:
            return {}
        among, params = S.in_("i.event_id", ids)
        rows = self.q(f"{S.ISSUE_WITH_COUNT} WHERE {among} ORDER BY i.id", params)
        return {r["event_id"]: R.issue(r) for r in rows}  # later (newer) rows win

    def events_with_issue_posts(self, event_ids: Iterable[str]) -> set[str]:
        """The events among ``event_ids`` with at least one post attached to an issue."""
        ids = sorted({e for e in event_ids if e})
        if not ids:
            return set()
        among, params = S.in_("p.event_id", ids)
        rows = self.q(f"SELECT DISTINCT p.event_id FROM posts p JOIN issue_posts ip ON ip.post_id = p.id WHERE {among}",
                      params)
        return {r[0] for r in rows}

    def representative_posts(self, q: PostQuery) -> list[StoredPost]:
        """The posts ``q`` selects that say most: high risk first, then most negative, then most
        liked/replied, then newest. ``q.limit`` applies."""
        where, params = self.post_where(q)
        rows = self.q(
            f"""SELECT p.* FROM posts p WHERE {where}
                ORDER BY p.risk = 'high' DESC, COALESCE(p.p_negative, 0) DESC, p.likes + p.replies DESC,
                         p.created_at DESC LIMIT ?""", [*params, q.limit])
        return [R.stored_post(r) for r in rows]

    def issue_activity(self, q: PostQuery, kind: str = IssueKind.OPINION, limit: int = 50) -> list[dict]:
        """Issues by their posts among those ``q`` selects, most negative first:
        ``[{"issue_id", "posts", "negative", "high_risk", "first_at", "last_at"}]`` (times UTC)."""
        where, params = self.post_where(q)
        rows = self.q(
            f"""SELECT ip.issue_id, COUNT(*) AS posts, COALESCE(SUM(p.sentiment = 'negative'), 0) AS negative,
                       COALESCE(SUM(p.risk = 'high'), 0) AS high_risk,
                       MIN(p.created_at) AS first_at, MAX(p.created_at) AS last_at
                FROM issue_posts ip JOIN posts p ON p.id = ip.post_id JOIN issues i ON i.id = ip.issue_id
                WHERE {where} AND i.kind = ?
                GROUP BY ip.issue_id ORDER BY negative DESC, posts DESC, ip.issue_id LIMIT ?""",
            [*params, kind, limit])
        return [{**dict(r), "first_at": R.dt(r["first_at"]), "last_at": R.dt(r["last_at"])} for r in rows]

    def issue_post_ids(self, issue_id: int) -> list[str]:
        """Every post id attached to an issue."""
        return [r[0] for r in self.q("SELECT post_id FROM issue_posts WHERE issue_id = ? ORDER BY post_id",
                                     (issue_id,))]
