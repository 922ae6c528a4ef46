"""The dashboard's and digests' aggregations as Elasticsearch aggregations (never by pulling
documents into Python), plus the few listings they need. Mixed into
:class:`.store.ElasticsearchStore`. Every aggregation takes a
:class:`~yuqing.storage.base.PostQuery` for its filters, so the units scope applies exactly as in
``query_posts``; ``limit``/``offset`` are ignored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from ...casework.model import Issue
from ...schema import IssueKind, SourceStatus, StoredPost
from ..base import PostQuery
from . import documents as D
from . import queries as Q


class AggregatesMixin:
    def _agg(self, body: dict) -> dict:
        return self.search(self.names.posts_alias, **body)

    def overview_counts(self, q: PostQuery) -> dict:
        """``{"total", "negative", "neutral", "positive", "high_risk"}`` over the posts ``q`` selects."""
        return Q.read_overview(self._agg(Q.overview_body(self.post_query(q))))

    def breakdown(self, q: PostQuery) -> dict:
        """``{"counts", "by_unit", "by_kind", "topics"}`` — the rows of ``overview_counts``,
        ``sentiment_by_unit``, ``negative_share_by_source_kind`` and ``topic_mix`` in one request."""
        return Q.read_breakdown(self._agg(Q.breakdown_body(self.post_query(q))))

    def volume_by_day(self, q: PostQuery, utc_offset_seconds: int = 8 * 3600) -> list[dict]:
        """Posts per local day: ``[{"day": "2026-11-02", "total", "negative", …}]``."""
        return Q.read_volume_by_day(self._agg(Q.volume_by_day_body(self.post_query(q), utc_offset_seconds)))

    def sentiment_by_unit(self, q: PostQuery) -> list[dict]:
        return Q.read_grouped(self._agg(Q.grouped_body(self.post_query(q), "unit")), "unit")

    def negative_share_by_source_kind(self, q: PostQuery) -> list[dict]:
        return Q.read_grouped(self._agg(Q.grouped_body(self.post_query(q), "source_kind")), "source_kind")

    def topic_mix(self, q: PostQuery) -> list[dict]:
        return Q.read_grouped(self._agg(Q.grouped_body(self.post_query(q), "topic")), "topic")

    def term_counts(self, q: PostQuery, limit: int = 200) -> dict[str, int]:
        return Q.read_term_counts(self._agg(Q.term_counts_body(self.post_query(q), limit)))

    def event_activity(self, q: PostQuery, limit: int = 50) -> list[dict]:
        return Q.read_event_activity(self._agg(Q.event_activity_body(self.post_query(q), limit)))

    def source_health(self, units: set[str] | None = None, now: datetime | None = None, days: int = 7) -> list[dict]:
        """Every source (in ``units``; pending sources show for ``None`` only) with its last post, posts
        in the last ``days`` and in all, and fetch failures in the last ``days``."""
        scope = Q.sources_filter(units)
        if scope is None:
            return []
        since = (now or datetime.now(timezone.utc)) - timedelta(days=days)
        sources = self.sources_of(self.ix("sources"), scope)
        ids = [s["id"] for s in sources]
        activity = Q.read_source_activity(self._agg(Q.source_activity_body(ids, since))) if ids else {}
        failures = Q.read_source_failures(self.search(self.ix("failures"), **Q.source_failures_body(ids, since))) \
            if ids else {}
        out = []
        for s in sources:
            a = activity.get(s["id"], {"total_posts": 0, "recent_posts": 0, "last_post_at": None})
            f = failures.get(s["id"], {"failures": 0, "last_error": None})
            out.append({"id": s["id"], "name": s["name"], "kind": s["kind"], "unit": s["unit"], "status": s["status"],
                        "last_post_at": a["last_post_at"], "recent_posts": a["recent_posts"],
                        "total_posts": a["total_posts"], "failures": f["failures"], "last_error": f["last_error"]})
        out.sort(key=lambda r: (r["status"] != SourceStatus.PENDING, r["unit"], r["id"]))
        return out

    def recent_issues(self, units: set[str] | None = None, limit: int = 10) -> list[Issue]:
        """Newest issues first (the "latest alerts" list)."""
        resp = self.search(self.ix("issues"), **Q.recent_issues_body(units, limit))
        return self.issues_from([h["_source"] for h in resp["hits"]["hits"]])

    def scoped_issue_posts(self, issue_id: int, units: set[str] | None, limit: int = 200) -> list[StoredPost]:
        """An issue's posts, only those in ``units``."""
        ids = self._issue_post_ids(issue_id)
        if not ids:
            return []
        return self.query_posts(Q.scoped_issue_posts_query(ids, units, limit))

    def post_labels(self, post_id: str) -> list[dict]:
        """Every staff correction of a post, newest first: ``[{"field", "value", "actor", "at"}]``."""
        rows = self.sources_of(self.ix("labels"), Q.post_labels_filter(post_id), sort=Q.NEWEST_SEQ_FIRST)
        return [{"field": r["field"], "value": r["value"], "actor": r["actor"], "at": D.parse(r["at"])} for r in rows]

    def audit_entries(self, limit: int = 100, actor: str = "") -> list[dict]:
        """Newest audit-log lines: ``[{"at", "actor", "action", "target", "detail"}]``."""
        rows = self.sources_of(self.ix("audit"), Q.audit_filter(actor), sort=Q.NEWEST_SEQ_FIRST, size=limit)
        return [{"at": D.parse(r["at"]), "actor": r["actor"], "action": r["action"], "target": r["target"],
                 "detail": r.get("detail") or {}} for r in rows]

    # --- digests ---------------------------------------------------------------------------
    def digest_issues(self, since: datetime, until: datetime, units: set[str] | None = None,
                      kind: str = IssueKind.OPINION) -> list[Issue]:
        """Issues of ``kind`` alive during [since, until). Oldest first."""
        rows = self.sources_of(self.ix("issues"), Q.digest_issues_filter(since, until, units, kind),
                               sort=[{"created_at": "asc"}, {"id": "asc"}])
        return self.issues_from(rows)

    def issues_for_events(self, event_ids: Iterable[str]) -> dict[str, Issue]:
        """The newest issue raised for each event (open or closed): ``{event_id: issue}``."""
        ids = Q.event_ids_of(event_ids)
        if not ids:
            return {}
        rows = self.sources_of(self.ix("issues"), Q.issues_for_events_filter(ids), sort=Q.ISSUES_OLDEST_FIRST)
        return {i.event_id: i for i in self.issues_from(rows)}

    def events_with_issue_posts(self, event_ids: Iterable[str]) -> set[str]:
        """The events among ``event_ids`` with at least one post attached to an issue."""
        ids = Q.event_ids_of(event_ids)
        if not ids:
            return set()
        return Q.read_event_keys(self._agg(Q.events_with_issue_posts_body(ids)))

    def issue_activity(self, q: PostQuery, kind: str = IssueKind.OPINION, limit: int = 50) -> list[dict]:
        """Issues by their posts among those ``q`` selects, most negative first:
        ``[{"issue_id", "posts", "negative", "high_risk", "first_at", "last_at"}]`` (times UTC)."""
        resp = self._agg(Q.issue_activity_body(self.post_query(q)))
        keys = [int(b["key"]) for b in resp["aggregations"]["issues"]["buckets"]]
        if not keys:
            return []
        of_kind = {d["id"] for d in self.sources_of(self.ix("issues"), Q.issues_of_kind_filter(keys, kind),
                                                    size=len(keys))}
        return Q.read_issue_activity(resp, of_kind, limit)

    def issue_post_ids(self, issue_id: int) -> list[str]:
        """Every post id attached to an issue."""
        return sorted(self._issue_post_ids(issue_id))

    def representative_posts(self, q: PostQuery) -> list[StoredPost]:
        """High risk first, then most negative, then most liked/replied, then newest. ``q.limit`` applies."""
        resp = self._agg(Q.representative_body(self.post_query(q), q.limit))
        return [D.stored_post(h["_source"]) for h in resp["hits"]["hits"]]
