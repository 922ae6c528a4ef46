"""SQLite aggregations for the dashboard and the digests (volume, sentiment and topic mixes by
day, unit and source kind; source health). Mixed into :class:`.store.SqliteStore`.

Every aggregation takes a :class:`~yuqing.storage.base.PostQuery` for its filters, so the unit
scope (``q.units``) and the period apply exactly as in ``query_posts``. Only the filter fields
are used; ``limit``/``offset`` are ignored.

A period over all units with no other filter (the monitors' overview and topics pages) is read
from the rollups kept by triggers (migration ``0016_rollups``): its whole hours (days, for
keywords) from ``post_hours`` / ``term_days``, its partial edges from the posts; so a month or a
year costs the same on a million posts as on a thousand. Anything else is counted from the posts.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from ...casework.model import Issue
from ...schema import TOPICS, SourceKind, SourceStatus, StoredPost
from ..base import PostQuery
from . import rows as R
from . import sql as S
from .sql import rollable, split_period


def _period(q: PostQuery, size: int):
    """``split_period`` of a rollable query's period into buckets of ``size`` seconds."""
    return split_period(R.ts(q.since), R.ts(q.until) if q.until is not None else None, size)

_COUNTS = """COUNT(*) AS total,
             COALESCE(SUM(p.sentiment = 'negative'), 0) AS negative,
             COALESCE(SUM(p.sentiment = 'neutral'), 0) AS neutral,
             COALESCE(SUM(p.sentiment = 'positive'), 0) AS positive,
             COALESCE(SUM(p.risk = 'high'), 0) AS high_risk"""


#: A rollup dimension and the posts column it counts.
_DIM_COLUMN = {"unit": "p.unit", "kind": "p.source_kind", "topic": "COALESCE(p.topic, '')"}
_FIELDS = ("total", "negative", "neutral", "positive", "high_risk")


def _add(into: dict, key, row) -> None:
    acc = into.setdefault(key, dict.fromkeys(_FIELDS, 0))
    for f in _FIELDS:
        acc[f] += row[f] or 0


class AggregatesMixin:
    # --- rollups --------------------------------------------------------------------------
    def _rolled(self, q: PostQuery, dim: str) -> dict[str, dict]:
        """``{value: counts}`` of one rollup dimension over ``q``'s period (``rollable(q)``)."""
        whole, edges = _period(q, 3600)
        out: dict[str, dict] = {}
        if whole is not None:
            sql = f"""SELECT value, {', '.join(f'SUM({f}) AS {f}' for f in _FIELDS)} FROM post_hours
                      WHERE dim = ? AND hour >= ?{' AND hour < ?' if whole[1] is not None else ''} GROUP BY value"""
            for r in self.q(sql, [dim, *(h for h in whole if h is not None)]):
                _add(out, r["value"], r)
        for lo, hi in edges:
            for r in self.q(f"""SELECT {_DIM_COLUMN[dim]} AS value, {_COUNTS} FROM posts p
                                WHERE p.created_at >= ? AND p.created_at < ? AND p.{S.LIVE} GROUP BY value""", [lo, hi]):
                _add(out, r["value"], r)
        return {k: v for k, v in out.items() if v["total"] > 0}

    def _rolled_rows(self, q: PostQuery, dim: str, key: str, skip_empty: bool = False) -> list[dict]:
        rows = [{key: k, **v} for k, v in self._rolled(q, dim).items() if k or not skip_empty]
        return sorted(rows, key=lambda d: (-d["total"], d[key]))

    def _grouped(self, q: PostQuery, key: str, order: str = "total DESC, k", extra: str = "1") -> list[dict]:
        where, params = self.post_where(q)
        rows = self.q(f"SELECT {key} AS k, {_COUNTS} FROM posts p WHERE {where} AND {extra} GROUP BY k ORDER BY {order}",
                      params)
        return [dict(r) for r in rows]

    def overview_counts(self, q: PostQuery) -> dict:
        """``{"total", "negative", "neutral", "positive", "high_risk"}`` over the posts ``q`` selects."""
        if rollable(q):
            counts = dict.fromkeys(_FIELDS, 0)
            for v in self._rolled(q, "kind").values():  # every post has one source kind
                _add({0: counts}, 0, v)
            return counts
        where, params = self.post_where(q)
        return dict(self.q1(f"SELECT {_COUNTS} FROM posts p WHERE {where}", params))

    def volume_by_day(self, q: PostQuery, utc_offset_seconds: int = 8 * 3600) -> list[dict]:
        """Posts per local day: ``[{"day": "2026-11-02", "total", "negative", "neutral", "positive", "high_risk"}]``.

        A period without a text query is counted day by day (one index range per day: no sort of
        the whole period, which is what makes a year on a million posts fast); anything else is
        grouped in one query.
        """
        off = int(utc_offset_seconds)
        if rollable(q) and off % 3600 == 0:
            return self._rolled_days(q, off)
        if q.since is None or q.text.strip():
            rows = self._grouped(q, f"(p.created_at + {off}) / 86400", order="k")
            for r in rows:
                r["day"] = R.dt(r.pop("k") * 86400).date().isoformat()
            return rows
        start = R.ts(q.since)
        end = R.ts(q.until) if q.until is not None else R.now_ts() + 1
        rows = []
        for day in range((start + off) // 86400, (end - 1 + off) // 86400 + 1):
            lo, hi = max(start, day * 86400 - off), min(end, (day + 1) * 86400 - off)
            r = self.overview_counts(replace(q, since=R.dt(lo), until=R.dt(hi)))
            if r["total"]:
                rows.append({**r, "day": R.dt(day * 86400).date().isoformat()})
        return rows

    def _rolled_days(self, q: PostQuery, off: int) -> list[dict]:
        """``volume_by_day`` from the hourly rollup (a whole-hour UTC offset) and the edges' posts."""
        whole, edges = _period(q, 3600)
        days: dict[int, dict] = {}
        if whole is not None:
            sql = f"""SELECT (hour * 3600 + ?) / 86400 AS day, {', '.join(f'SUM({f}) AS {f}' for f in _FIELDS)}
                      FROM post_hours WHERE dim = 'kind' AND hour >= ?{' AND hour < ?' if whole[1] is not None else ''}
                      GROUP BY day"""
            for r in self.q(sql, [off, *(h for h in whole if h is not None)]):
                _add(days, r["day"], r)
        for lo, hi in edges:
            for r in self.q(f"""SELECT (p.created_at + ?) / 86400 AS day, {_COUNTS} FROM posts p
                                WHERE p.created_at >= ? AND p.created_at < ? AND p.{S.LIVE} GROUP BY day""", [off, lo, hi]):
                _add(days, r["day"], r)
        return [{"day": R.dt(d * 86400).date().isoformat(), **v}
                for d, v in sorted(days.items()) if v["total"] > 0]

    def sentiment_by_unit(self, q: PostQuery) -> list[dict]:
        """``[{"unit", "total", "negative", …}]``, largest first."""
        if rollable(q):
            return self._rolled_rows(q, "unit", "unit")
        return [{"unit": r.pop("k"), **r} for r in self._grouped(q, "p.unit")]

    def negative_share_by_source_kind(self, q: PostQuery) -> list[dict]:
        """``[{"source_kind", "total", "negative", …}]``, largest first."""
        if rollable(q):
            return self._rolled_rows(q, "kind", "source_kind")
        return [{"source_kind": r.pop("k"), **r} for r in self._grouped(q, "p.source_kind")]

    def topic_mix(self, q: PostQuery) -> list[dict]:
        """``[{"topic", "total", "negative", …}]`` over analysed posts, largest first."""
        if rollable(q):
            return self._rolled_rows(q, "topic", "topic", skip_empty=True)
        return [{"topic": r.pop("k"), **r} for r in self._grouped(q, "p.topic", extra="p.topic IS NOT NULL")]

    def breakdown(self, q: PostQuery) -> dict:
        """The overview's figures for long periods on large stores: ``{"counts", "by_unit",
        "by_kind", "topics"}``, the same rows as ``overview_counts``, ``sentiment_by_unit``,
        ``negative_share_by_source_kind`` and ``topic_mix``.

        Over all units: one small query per unit, source kind and topic, each a range scan of a
        covering index that starts with that column — no sorting of the whole period and no
        reliance on the planner's statistics. Within a unit scope: the grouped queries, which read
        only the scope's rows through the unit-first index.
        """
        if rollable(q):
            by_kind = self._rolled_rows(q, "kind", "source_kind")
            counts = dict.fromkeys(_FIELDS, 0)
            for r in by_kind:
                _add({0: counts}, 0, r)
            return {"counts": counts, "by_unit": self._rolled_rows(q, "unit", "unit"), "by_kind": by_kind,
                    "topics": self._rolled_rows(q, "topic", "topic", skip_empty=True)}
        if q.units is not None:  # a scope: the unit-first index already limits the rows; group those
            return {"counts": self.overview_counts(q), "by_unit": self.sentiment_by_unit(q),
                    "by_kind": self.negative_share_by_source_kind(q), "topics": self.topic_mix(q)}
        where, params = self.post_where(q)
        units = sorted({"", *(r[0] for r in self.q("SELECT DISTINCT unit FROM sources"))})

        def split(col: str, values) -> list[dict]:
            out = []
            for v in values:
                r = dict(self.q1(f"SELECT {_COUNTS} FROM posts p WHERE {where} AND p.{col} = ?", [*params, v]))
                if r["total"]:
                    out.append({col: v, **r})
            return sorted(out, key=lambda d: (-d["total"], d[col]))

        by_kind = split("source_kind", [str(k) for k in SourceKind])
        # every post has one of the SourceKind values, so the kinds add up to the totals
        counts = {k: sum(r[k] for r in by_kind) for k in ("total", "negative", "neutral", "positive", "high_risk")}
        return {"counts": counts, "by_unit": split("unit", units), "by_kind": by_kind, "topics": split("topic", list(TOPICS))}

    def term_counts(self, q: PostQuery, limit: int = 200) -> dict[str, int]:
        """How many selected posts name each NLP keyword, most frequent first."""
        if rollable(q):
            return self._rolled_terms(q, limit)
        where, params = self.post_where(q)
        rows = self.q(
            f"""SELECT j.value AS term, COUNT(*) AS n FROM posts p, json_each(p.keywords) j
                WHERE {where} AND p.keywords IS NOT NULL GROUP BY term ORDER BY n DESC, term LIMIT ?""",
            [*params, limit])
        return {r["term"]: r["n"] for r in rows}

    def _rolled_terms(self, q: PostQuery, limit: int) -> dict[str, int]:
        """``term_counts`` over all units: whole days from ``term_days``, the edges from the posts."""
        whole, edges = _period(q, 86400)
        parts, params = [], []
        if whole is not None:
            parts.append(f"SELECT term, n FROM term_days WHERE day >= ?{' AND day < ?' if whole[1] is not None else ''}")
            params += [d for d in whole if d is not None]
        for lo, hi in edges:
            parts.append(f"""SELECT j.value AS term, 1 AS n FROM posts p, json_each(p.keywords) j WHERE p.created_at >= ?
                             AND p.created_at < ? AND p.{S.LIVE} AND p.keywords IS NOT NULL""")
            params += [lo, hi]
        if not parts:
            return {}
        rows = self.q(f"""SELECT term, SUM(n) AS total FROM ({' UNION ALL '.join(parts)}) GROUP BY term
                          HAVING total > 0 ORDER BY total DESC, term LIMIT ?""", [*params, limit])
        return {r["term"]: r["total"] for r in rows}

    def _rolled_events(self, q: PostQuery, limit: int) -> list[dict]:
        """``event_activity`` over all units: whole days from ``event_days``, the edges' posts
        counted, then each top event's last post in the period from its time index."""
        lo = R.ts(q.since)
        hi = R.ts(q.until) if q.until is not None else None
        whole, edges = split_period(lo, hi, 86400)
        parts, params = [], []
        if whole is not None:
            parts.append(f"""SELECT event_id, posts, negative FROM event_days
                             WHERE day >= ?{' AND day < ?' if whole[1] is not None else ''}""")
            params += [d for d in whole if d is not None]
        for a, b in edges:
            parts.append(f"""SELECT p.event_id AS event_id, 1 AS posts, p.sentiment IS 'negative' AS negative FROM posts p
                             WHERE p.created_at >= ? AND p.created_at < ? AND p.{S.LIVE}
                             AND p.event_id IS NOT NULL AND p.event_id != ''""")
            params += [a, b]
        if not parts:
            return []
        top = self.q(f"""SELECT event_id, SUM(posts) AS n, SUM(negative) AS neg FROM ({' UNION ALL '.join(parts)})
                         GROUP BY event_id HAVING n > 0 ORDER BY n DESC, event_id LIMIT ?""", [*params, limit])
        out = []
        for eid, n, neg in top:
            last = self.q1(f"""SELECT MAX(p.created_at) FROM posts p WHERE p.event_id = ? AND p.created_at >= ?
                               AND p.created_at < ? AND p.{S.LIVE}""", [eid, lo, hi if hi is not None else 2**62])[0]
            out.append({"event_id": eid, "posts": n, "negative": neg,
                        "last_at": R.dt(last)})
        return out

    def event_activity(self, q: PostQuery, limit: int = 50) -> list[dict]:
        """Events by posts in the selection: ``[{"event_id", "posts", "negative", "last_at"}]``."""
        if rollable(q):
            return self._rolled_events(q, limit)
        where, params = self.post_where(q)
        rows = self.q(
            f"""SELECT p.event_id, COUNT(*) AS posts, COALESCE(SUM(p.sentiment = 'negative'), 0) AS negative,
                       MAX(p.created_at) AS last_at
                FROM posts p WHERE {where} AND p.event_id IS NOT NULL AND p.event_id != ''
                GROUP BY p.event_id ORDER BY posts DESC LIMIT ?""", [*params, limit])
        return [{**dict(r), "last_at": R.dt(r["last_at"])} for r in rows]

    def source_health(self, units: set[str] | None = None, now: datetime | None = None, days: int = 7) -> list[dict]:
        """Every source (in ``units``; pending sources have no unit and show for ``None`` only) with
        its last post, posts in the last ``days`` and in all, and fetch failures in the last ``days``."""
        now_s = R.ts(now) if now else R.now_ts()
        since = now_s - days * 86400
        clauses, params = [], [since, since]
        if units is not None:
            if not units:
                return []
            c, p = S.in_("s.unit", units)
            clauses.append(c)
            params.extend(p)
        where = " AND ".join(clauses) or "1"
        rows = self.q(
            f"""SELECT s.id, s.name, s.kind, s.unit, s.status,
                       (SELECT MAX(created_at) FROM posts p WHERE p.source_id = s.id) AS last_post_at,
                       (SELECT COUNT(*) FROM posts p WHERE p.source_id = s.id AND p.created_at >= ?) AS recent_posts,
                       (SELECT COUNT(*) FROM posts p WHERE p.source_id = s.id) AS total_posts,
                       (SELECT COUNT(*) FROM source_failures f WHERE f.source_id = s.id AND f.at >= ?) AS failures,
                       (SELECT error FROM source_failures f WHERE f.source_id = s.id ORDER BY f.at DESC LIMIT 1)
                         AS last_error
                FROM sources s WHERE {where} ORDER BY s.status = ? DESC, s.unit, s.id""", [*params, SourceStatus.PENDING])
        out = []
        for r in rows:
            d = dict(r)
            d["last_post_at"] = R.dt(d["last_post_at"]) if d["last_post_at"] else None
            out.append(d)
        return out

    def recent_issues(self, units: set[str] | None = None, limit: int = 10) -> list[Issue]:
        """Newest issues first (the "latest alerts" list)."""
        if units is not None and not units:
            return []
        where, params = S.in_("i.unit", units) if units is not None else ("1", [])
        rows = self.q(f"{S.ISSUE_WITH_COUNT} WHERE {where} ORDER BY i.created_at DESC, i.id DESC LIMIT ?",
                      [*params, limit])
        return [R.issue(r) for r in rows]

    def scoped_issue_posts(self, issue_id: int, units: set[str] | None, limit: int = 200) -> list[StoredPost]:
        """An issue's posts, only those in ``units`` (an issue of one unit may quote another's posts)."""
        if units is not None and not units:
            return []
        where, params = "ip.issue_id = ?", [issue_id]
        if units is not None:
            c, p = S.in_("p.unit", units)
            where += " AND " + c
            params.extend(p)
        rows = self.q(f"""SELECT p.*, r.status AS removed_status, r.reason AS removed_reason
                          FROM issue_posts ip JOIN posts p ON p.id = ip.post_id
                          LEFT JOIN post_removals r ON r.post_rowid = p.rowid
                          WHERE {where} ORDER BY p.created_at DESC LIMIT ?""", [*params, limit])
        return [R.stored_post(r) for r in rows]

    def post_labels(self, post_id: str) -> list[dict]:
        """Every staff correction of a post, newest first: ``[{"field", "value", "actor", "at"}]``."""
        rows = self.q("SELECT field, value, actor, at FROM labels WHERE post_id = ? ORDER BY id DESC", (post_id,))
        return [{**dict(r), "at": R.dt(r["at"])} for r in rows]

    def audit_entries(self, limit: int = 100, actor: str = "") -> list[dict]:
        """Newest audit-log lines: ``[{"at", "actor", "action", "target", "detail"}]``."""
        where, params = ("actor = ?", [actor]) if actor else ("1", [])
        rows = self.q(f"SELECT * FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ?", [*params, limit])
        return [{"at": R.dt(r["at"]), "actor": r["actor"], "action": r["action"],
                 "target": r["target"], "detail": json.loads(r["detail"])} for r in rows]
