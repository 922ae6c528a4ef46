"""Query and aggregation bodies for the posts alias, and readers of their responses. No IO.

Every function here turns yuqing's filters into plain dicts (the Query DSL) or plain dicts back
into yuqing's shapes, so the dashboard's and digest's queries are unit-tested without a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from ...errors import StorageError
from ...query_syntax import Alternative, Needle, ParsedQuery
from ...schema import REMOVED_STATUSES, RISK_RANK, TRIAGE_HIDDEN, TRIAGE_MODES, IssueStatus
from ..base import PostQuery
from .documents import iso

MATCH_NONE: dict = {"match_none": {}}

#: The per-group counts every post aggregation carries (as ``total``/``negative``/… in the result).
COUNT_AGGS: dict = {
    "negative": {"filter": {"term": {"sentiment": "negative"}}},
    "neutral": {"filter": {"term": {"sentiment": "neutral"}}},
    "positive": {"filter": {"term": {"sentiment": "positive"}}},
    "high_risk": {"filter": {"term": {"risk": "high"}}},
}

#: Live posts only (a post deleted or hidden at its source has a ``status``).
LIVE: dict = {"bool": {"must_not": [{"terms": {"status": list(REMOVED_STATUSES)}}]}}

#: Terms-aggregation sizes: generous upper bounds on units, source kinds and topics.
GROUPS_SIZE = 1000


def needle_query(n: Needle) -> dict:
    """One needle on the ``grams`` field (whitespace-analysed gram tokens, :mod:`yuqing.query_syntax`):
    its grams as a phrase; ending in a single character, the last gram as a prefix."""
    if n.prefix and len(n.grams) == 1:
        return {"prefix": {"grams": n.grams[0]}}
    kind = "match_phrase_prefix" if n.prefix else "match_phrase"
    return {kind: {"grams": " ".join(n.grams)}}


def alternative_query(alt: Alternative) -> dict:
    if len(alt) == 1:
        return needle_query(alt[0])
    return {"bool": {"filter": [needle_query(n) for n in alt]}}


def any_query(alts: Sequence[Alternative]) -> dict:
    if len(alts) == 1:
        return alternative_query(alts[0])
    return {"bool": {"should": [alternative_query(a) for a in alts], "minimum_should_match": 1}}


def text_clauses(parsed: ParsedQuery) -> tuple[list[dict], list[dict]]:
    """``(must, must_not)`` clauses of a parsed search query: the same needles SQLite's grams
    table matches (every clause holds, none of the excluded alternatives does)."""
    return [any_query(c) for c in parsed.all_of], [any_query(parsed.none_of)] if parsed.none_of else []


def post_filter(q: PostQuery, parsed: ParsedQuery | None = None) -> dict:
    """The ``query`` selecting what ``q`` selects (``parsed``: ``q.text`` parsed by the caller,
    :func:`yuqing.query_syntax.parse_query`)."""
    filters: list[dict] = []
    must: list[dict] = []
    must_not: list[dict] = []
    if q.text.strip():
        if parsed is None or parsed.empty:
            return MATCH_NONE
        must, must_not = text_clauses(parsed)
    if q.author:
        filters.append({"bool": {"should": [
            {"term": {"author_id": q.author}},
            {"bool": {"filter": [{"term": {"author": q.author}}, {"term": {"author_id": ""}}]}},
        ], "minimum_should_match": 1}})
    rng: dict = {}
    if q.since is not None:
        rng["gte"] = iso(q.since)
    if q.until is not None:
        rng["lt"] = iso(q.until)
    if rng:
        filters.append({"range": {"created_at": rng}})
    if q.units is not None:
        if not q.units:
            return MATCH_NONE
        filters.append({"terms": {"unit": sorted(q.units)}})
    for field, values in (("source_id", q.source_ids), ("source_kind", q.source_kinds), ("topic", q.topics),
                          ("sentiment", q.sentiments), ("risk", q.risks), ("id", q.ids)):
        if values:
            filters.append({"terms": {field: list(values)}})
    if q.event_id:
        filters.append({"term": {"event_id": q.event_id}})
    if q.thread_id:
        filters.append({"term": {"thread_id": q.thread_id}})
    if q.analyzed is True:
        filters.append({"exists": {"field": "analyzed_at"}})
    elif q.analyzed is False:
        filters.append({"bool": {"must_not": [{"exists": {"field": "analyzed_at"}}]}})
    if not q.include_removed:
        filters.append(LIVE)
    triaged = triage_filter(q.triage)
    if triaged:
        filters.append(triaged)
    if not filters and not must and not must_not:
        return {"match_all": {}}
    body: dict = {}
    if must:
        body["must"] = must
    if must_not:
        body["must_not"] = must_not
    if filters:
        body["filter"] = filters
    return {"bool": body}


def triage_filter(mode: str) -> dict | None:
    """The filter clause of a ``PostQuery.triage`` mode (None for ``all``): ``hide`` leaves out posts
    whose ``triage`` mark is 已处置/误报/忽略, ``only-open`` posts with any mark."""
    if mode not in TRIAGE_MODES:
        raise StorageError(f"unknown triage mode {mode!r} (allowed: {', '.join(TRIAGE_MODES)})")
    if mode == "hide":
        return {"bool": {"must_not": [{"terms": {"triage": list(TRIAGE_HIDDEN)}}]}}
    if mode == "only-open":
        return {"bool": {"must_not": [{"exists": {"field": "triage"}}]}}
    return None


def triage_counts_filter(since: datetime, until: datetime, units: set[str] | None) -> dict:
    """Triage lines written in [since, until) about targets in ``units``."""
    clauses = units_clause(units)
    if clauses is None:
        return MATCH_NONE
    clauses.append({"range": {"at": {"gte": iso(since), "lt": iso(until)}}})
    return {"bool": {"filter": clauses}}


def last_marks(lines: Iterable[dict]) -> dict[str, dict[str, int]]:
    """``{"post": {mark: n}, "event": {…}}`` from triage lines in written order: each target counted
    once, under its last mark ("" — cleared — not counted)."""
    last: dict[tuple[str, str], str] = {}
    for line in lines:
        last[(line["kind"], line["target"])] = line["mark"]
    out: dict[str, dict[str, int]] = {"post": {}, "event": {}}
    for (kind, _), mark in last.items():
        if mark:
            out.setdefault(kind, {})[mark] = out.setdefault(kind, {}).get(mark, 0) + 1
    return out


def subjects_filter(units: set[str] | None) -> dict:
    """专题 a scope may see: the organisation's (``unit`` "") and those of units in ``units``."""
    if units is None:
        return {"match_all": {}}
    return {"bool": {"should": [{"term": {"unit": ""}}, *([{"terms": {"unit": sorted(units)}}] if units else [])],
                     "minimum_should_match": 1}}


def and_filter(query: dict, *extra: dict) -> dict:
    """``query`` narrowed by more filter clauses."""
    if query == MATCH_NONE:
        return query
    return {"bool": {"must": [query], "filter": list(extra)}}


def posts_sort(newest_first: bool) -> list[dict]:
    order = "desc" if newest_first else "asc"
    return [{"created_at": order}, {"imported_at": order}, {"id": order}]


#: ``sort="heat"``'s first key: the post's risk as its rank (RISK_RANK; 0 when not analysed).
RISK_RANK_SCRIPT = ("if (doc['risk'].size() == 0) { return 0; } "
                    "def r = params.ranks.get(doc['risk'].value); return r == null ? 0 : r;")


def heat_sort() -> list[dict]:
    """Risk first, then how negative, then newest (:data:`yuqing.storage.base.SORTS`)."""
    return [{"_script": {"type": "number", "order": "desc",
                         "script": {"lang": "painless", "source": RISK_RANK_SCRIPT, "params": {"ranks": {str(k): v for k, v in RISK_RANK.items()}}}}},
            {"p_negative": {"order": "desc", "missing": "_last"}}, {"created_at": "desc"}, {"id": "desc"}]


def search_body(q: PostQuery, parsed: ParsedQuery | None = None, *, total: bool = False) -> dict:
    """``query_posts`` (and, with ``total``, ``search_posts``: the exact number of matches too)."""
    sort = heat_sort() if q.sort == "heat" else posts_sort(q.newest_first)
    return {"query": post_filter(q, parsed), "sort": sort, "from": q.offset, "size": q.limit,
            "track_total_hits": True if total else False}


def counts(bucket: dict) -> dict:
    """``{"total", "negative", "neutral", "positive", "high_risk"}`` of an aggregation bucket."""
    out = {"total": bucket["doc_count"]}
    for name in COUNT_AGGS:
        out[name] = bucket[name]["doc_count"]
    return out


def overview_body(query: dict) -> dict:
    return {"query": query, "size": 0, "track_total_hits": True, "aggs": COUNT_AGGS}


def read_overview(resp: dict) -> dict:
    aggs = resp["aggregations"]
    return {"total": resp["hits"]["total"]["value"], **{n: aggs[n]["doc_count"] for n in COUNT_AGGS}}


def grouped_body(query: dict, field: str, *, size: int = GROUPS_SIZE) -> dict:
    """Counts per value of ``field``, largest first (ties by value)."""
    return {"query": query, "size": 0, "aggs": {"groups": {
        "terms": {"field": field, "size": size, "order": [{"_count": "desc"}, {"_key": "asc"}]},
        "aggs": COUNT_AGGS}}}


def read_grouped(resp: dict, key_name: str) -> list[dict]:
    return [{key_name: b["key"], **counts(b)} for b in resp["aggregations"]["groups"]["buckets"]]


def breakdown_body(query: dict) -> dict:
    """The overview's four figures in one request: counts, and counts by unit, source kind, topic."""
    def groups(field: str) -> dict:
        return {"terms": {"field": field, "size": GROUPS_SIZE, "order": [{"_count": "desc"}, {"_key": "asc"}]},
                "aggs": COUNT_AGGS}
    return {"query": query, "size": 0, "track_total_hits": True,
            "aggs": {**COUNT_AGGS, "by_unit": groups("unit"), "by_kind": groups("source_kind"),
                     "topics": groups("topic")}}


def read_breakdown(resp: dict) -> dict:
    aggs = resp["aggregations"]

    def rows(name: str, key: str) -> list[dict]:
        return [{key: b["key"], **counts(b)} for b in aggs[name]["buckets"]]
    return {"counts": read_overview(resp), "by_unit": rows("by_unit", "unit"),
            "by_kind": rows("by_kind", "source_kind"), "topics": rows("topics", "topic")}


ISSUE_ACTIVITY_SIZE = 10000


def issue_activity_body(query: dict) -> dict:
    """Per issue, its posts among those ``query`` selects: count, negative, high risk, first and last."""
    return {"query": and_filter(query, {"exists": {"field": "issue_ids"}}), "size": 0, "aggs": {"issues": {
        "terms": {"field": "issue_ids", "size": ISSUE_ACTIVITY_SIZE},
        "aggs": {"negative": COUNT_AGGS["negative"], "high_risk": COUNT_AGGS["high_risk"],
                 "first_at": {"min": {"field": "created_at"}}, "last_at": {"max": {"field": "created_at"}}}}}}


def read_issue_activity(resp: dict, issue_ids: set[int], limit: int) -> list[dict]:
    """The buckets of ``issue_ids`` (issues of the wanted kind), most negative first."""
    def at(v: float) -> datetime:
        return datetime.fromtimestamp(v / 1000, tz=timezone.utc)
    rows = [{"issue_id": int(b["key"]), "posts": b["doc_count"], "negative": b["negative"]["doc_count"],
             "high_risk": b["high_risk"]["doc_count"], "first_at": at(b["first_at"]["value"]),
             "last_at": at(b["last_at"]["value"])}
            for b in resp["aggregations"]["issues"]["buckets"] if int(b["key"]) in issue_ids]
    rows.sort(key=lambda r: (-r["negative"], -r["posts"], r["issue_id"]))
    return rows[:limit]


#: Adds an issue id to a post's ``issue_ids`` (once).
ADD_ISSUE_SCRIPT = ("if (ctx._source.issue_ids == null) { ctx._source.issue_ids = []; } "
                    "if (!ctx._source.issue_ids.contains(params.issue)) { ctx._source.issue_ids.add(params.issue); }")


def utc_offset(seconds: int) -> str:
    """``+08:00`` for 28800 (the ``time_zone`` of a date histogram)."""
    sign = "-" if seconds < 0 else "+"
    m = abs(int(seconds)) // 60
    return f"{sign}{m // 60:02d}:{m % 60:02d}"


def volume_by_day_body(query: dict, utc_offset_seconds: int) -> dict:
    return {"query": query, "size": 0, "aggs": {"days": {
        "date_histogram": {"field": "created_at", "calendar_interval": "day",
                           "time_zone": utc_offset(utc_offset_seconds), "format": "yyyy-MM-dd", "min_doc_count": 1},
        "aggs": COUNT_AGGS}}}


def read_volume_by_day(resp: dict) -> list[dict]:
    return [{"day": b["key_as_string"], **counts(b)} for b in resp["aggregations"]["days"]["buckets"]]


def term_counts_body(query: dict, limit: int) -> dict:
    return {"query": query, "size": 0, "aggs": {"terms": {
        "terms": {"field": "keywords", "size": limit, "order": [{"_count": "desc"}, {"_key": "asc"}]}}}}


def read_term_counts(resp: dict) -> dict[str, int]:
    return {b["key"]: b["doc_count"] for b in resp["aggregations"]["terms"]["buckets"]}


def event_activity_body(query: dict, limit: int) -> dict:
    return {"query": and_filter(query, {"exists": {"field": "event_id"}}), "size": 0, "aggs": {"events": {
        "terms": {"field": "event_id", "size": limit, "exclude": [""],
                  "order": [{"_count": "desc"}, {"_key": "asc"}]},
        "aggs": {"negative": COUNT_AGGS["negative"], "last_at": {"max": {"field": "created_at"}}}}}}


def read_event_activity(resp: dict) -> list[dict]:
    return [{"event_id": b["key"], "posts": b["doc_count"], "negative": b["negative"]["doc_count"],
             "last_at": datetime.fromtimestamp(b["last_at"]["value"] / 1000, tz=timezone.utc)}
            for b in resp["aggregations"]["events"]["buckets"]]


def source_activity_body(source_ids: Sequence[str], since: datetime) -> dict:
    """Per source: last post time, posts since ``since``, posts in all (for source health)."""
    return {"query": {"terms": {"source_id": list(source_ids)}}, "size": 0, "aggs": {"sources": {
        "terms": {"field": "source_id", "size": max(1, len(source_ids))},
        "aggs": {"last": {"max": {"field": "created_at"}},
                 "recent": {"filter": {"range": {"created_at": {"gte": iso(since)}}}}}}}}


def read_source_activity(resp: dict) -> dict[str, dict]:
    out = {}
    for b in resp["aggregations"]["sources"]["buckets"]:
        last = b["last"]["value"]
        out[b["key"]] = {"total_posts": b["doc_count"], "recent_posts": b["recent"]["doc_count"],
                         "last_post_at": datetime.fromtimestamp(last / 1000, tz=timezone.utc) if last else None}
    return out


def source_failures_body(source_ids: Sequence[str], since: datetime) -> dict:
    """Per source: failures since ``since`` and the newest error ever."""
    return {"query": {"terms": {"source_id": list(source_ids)}}, "size": 0, "aggs": {"sources": {
        "terms": {"field": "source_id", "size": max(1, len(source_ids))},
        "aggs": {"recent": {"filter": {"range": {"at": {"gte": iso(since)}}}},
                 "newest": {"top_hits": {"size": 1, "sort": [{"at": "desc"}], "_source": ["error"]}}}}}}


def read_source_failures(resp: dict) -> dict[str, dict]:
    return {b["key"]: {"failures": b["recent"]["doc_count"],
                       "last_error": b["newest"]["hits"]["hits"][0]["_source"]["error"]}
            for b in resp["aggregations"]["sources"]["buckets"]}


#: ``representative_posts``: high risk first, then most negative, most engaged, newest.
REPRESENTATIVE_SORT: list[dict] = [
    {"_script": {"type": "number", "order": "desc", "script": {
        "lang": "painless",
        "source": "doc['risk'].size() > 0 && doc['risk'].value == 'high' ? 1 : 0"}}},
    {"p_negative": {"order": "desc", "missing": 0}},
    {"engagement": "desc"},
    {"created_at": "desc"},
]


def representative_body(query: dict, limit: int) -> dict:
    return {"query": query, "sort": REPRESENTATIVE_SORT, "size": limit}


def posts_by_kind_body() -> dict:
    """``stats``: live posts by source kind, analysed, and the removed ones (counted apart)."""
    return {"size": 0, "track_total_hits": True, "aggs": {
        "live": {"filter": LIVE, "aggs": {"kinds": {"terms": {"field": "source_kind", "size": 100}}}},
        "analyzed": {"filter": {"exists": {"field": "analyzed_at"}}},
        "removed": {"filter": {"terms": {"status": list(REMOVED_STATUSES)}}}}}


def thread_posts_body(source_id: str, thread_id: str, size: int) -> dict:
    """``thread_posts``: one thread's stored posts (any status), oldest first, only the fields compared."""
    return {"query": {"bool": {"filter": [{"term": {"source_id": source_id}}, {"term": {"thread_id": thread_id}}]}},
            "sort": [{"created_at": "asc"}, {"seq": "asc"}], "size": size,
            "_source": ["id", "native_id", "content_hash", "status"]}


# --- issues ------------------------------------------------------------------------------------

def units_clause(units: set[str] | None, field: str = "unit") -> list[dict] | None:
    """Filter clauses for a units scope; None when the scope is empty (nothing is visible)."""
    if units is None:
        return []
    if not units:
        return None
    return [{"terms": {field: sorted(units)}}]


def issue_filter(*, units=None, status=None, severity=None, step=None, overdue=None, now=None, since=None,
                 until=None, kind=None, after_id=None) -> dict:
    clauses = units_clause(units)
    if clauses is None:
        return MATCH_NONE
    for field, value in (("status", status), ("severity", severity), ("step", step), ("kind", kind)):
        if value:
            clauses.append({"term": {field: value}})
    if overdue is not None:
        late = {"bool": {"filter": [{"term": {"status": IssueStatus.OPEN}},
                                    {"range": {"due_at": {"lt": iso(now or datetime.now(timezone.utc))}}}]}}
        clauses.append(late if overdue else {"bool": {"must_not": [late]}})
    rng: dict = {}
    if since is not None:
        rng["gte"] = iso(since)
    if until is not None:
        rng["lt"] = iso(until)
    if rng:
        clauses.append({"range": {"created_at": rng}})
    if after_id is not None:
        clauses.append({"range": {"id": {"gt": after_id}}})
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


#: ``list_issues``: open before closed, severe first, most recently changed first.
ISSUE_SORT: list[dict] = [{"closed": "asc"}, {"severity_rank": "desc"}, {"updated_at": "desc"}, {"id": "desc"}]


def digest_issues_filter(since: datetime, until: datetime, units: set[str] | None, kind: str) -> dict:
    """Issues of ``kind`` alive during [since, until): opened before until, not closed before since."""
    clauses = units_clause(units)
    if clauses is None:
        return MATCH_NONE
    clauses += [{"term": {"kind": kind}}, {"range": {"created_at": {"lt": iso(until)}}},
                {"bool": {"should": [{"bool": {"must_not": [{"exists": {"field": "closed_at"}}]}},
                                     {"range": {"closed_at": {"gte": iso(since)}}}], "minimum_should_match": 1}}]
    return {"bool": {"filter": clauses}}


def issues_page_body(query: dict, limit: int, offset: int) -> dict:
    """``list_issues``: one page of the issues ``query`` selects, in :data:`ISSUE_SORT` order."""
    return {"query": query, "sort": ISSUE_SORT, "size": limit, "from": offset}


def involved_issues_body(units: set[str]) -> dict:
    """``involved_issues``, step one: the issues holding live posts of ``units``, with how many."""
    return {"size": 0, "query": {"bool": {"filter": [{"terms": {"unit": sorted(units)}}, {"exists": {"field": "issue_ids"}},
                                                     LIVE]}},
            "aggs": {"issues": {"terms": {"field": "issue_ids", "size": ISSUE_ACTIVITY_SIZE}}}}


def involved_issues_filter(issue_ids: Sequence[int], units: set[str], status: str | None = None) -> dict:
    """``involved_issues``, step two: those of ``issue_ids`` routed outside ``units``."""
    filters: list[dict] = [{"terms": {"id": sorted(issue_ids)}}]
    if status:
        filters.append({"term": {"status": status}})
    return {"bool": {"filter": filters, "must_not": [{"terms": {"unit": sorted(units)}}]}}


#: ``recent_issues``: newest first.
RECENT_ISSUE_SORT: list[dict] = [{"created_at": "desc"}, {"id": "desc"}]


def recent_issues_body(units: set[str] | None, limit: int) -> dict:
    """``recent_issues``: the ``limit`` newest issues in ``units`` (the "latest alerts" list)."""
    return {"query": issue_filter(units=units), "sort": RECENT_ISSUE_SORT, "size": limit}


def sources_filter(units: set[str] | None) -> dict | None:
    """``source_health``: the sources of ``units`` (all for None); None when the scope is empty."""
    clauses = units_clause(units)
    return None if clauses is None else {"bool": {"filter": clauses}}


def event_ids_of(event_ids: Iterable[str]) -> list[str]:
    """Distinct event ids, sorted, without the empty id (a post or issue with no event)."""
    return sorted({e for e in event_ids if e})


def issues_for_events_filter(event_ids: Sequence[str]) -> dict:
    """``issues_for_events``: every issue (open or closed, any unit) raised for one of ``event_ids``."""
    return {"terms": {"event_id": list(event_ids)}}


#: ``issues_for_events`` reads oldest first, so the newest issue of an event is the one kept.
ISSUES_OLDEST_FIRST: list[dict] = [{"id": "asc"}]


def events_with_issue_posts_body(event_ids: Sequence[str]) -> dict:
    """``events_with_issue_posts``: which of ``event_ids`` have a post attached to an issue."""
    return {"size": 0, "query": {"bool": {"filter": [{"terms": {"event_id": list(event_ids)}},
                                                     {"exists": {"field": "issue_ids"}}]}},
            "aggs": {"events": {"terms": {"field": "event_id", "size": max(1, len(event_ids))}}}}


def read_event_keys(resp: dict) -> set[str]:
    return {b["key"] for b in resp["aggregations"]["events"]["buckets"]}


def events_in_units_body(units: set[str], size: int) -> dict:
    """``list_events``: the events with a post in ``units`` (an event is visible to a unit scope when
    any of its posts is in it). ``units`` is not empty: an empty scope sees no event, unasked."""
    return {"size": 0, "query": {"terms": {"unit": sorted(units)}},
            "aggs": {"events": {"terms": {"field": "event_id", "size": size}}}}


def events_filter(since: datetime | None, event_ids: Sequence[str] | None) -> dict:
    """``list_events``: events seen since ``since`` (last post), among ``event_ids`` (None: any)."""
    clauses: list[dict] = []
    if since is not None:
        clauses.append({"range": {"last_at": {"gte": iso(since)}}})
    if event_ids is not None:
        clauses.append({"terms": {"id": list(event_ids)}})
    return {"bool": {"filter": clauses}}


#: ``list_events``: largest first, then most recently active.
EVENTS_SORT: list[dict] = [{"size": "desc"}, {"last_at": "desc"}]


def issues_of_kind_filter(issue_ids: Sequence[int], kind: str) -> dict:
    """``issue_activity``: which of ``issue_ids`` are issues of ``kind``."""
    return {"bool": {"filter": [{"terms": {"id": list(issue_ids)}}, {"term": {"kind": kind}}]}}


def issue_posts_filter(issue_id: int) -> dict:
    """The ``issue-posts`` rows of one issue (``issue_post_ids``, ``scoped_issue_posts``)."""
    return {"term": {"issue_id": issue_id}}


#: ``issue_histories`` asks for the history of at most this many issues per request.
HISTORY_CHUNK = 500


def histories_filter(issue_ids: Sequence[int]) -> dict:
    """The ``history`` lines of several issues (``issue_histories``; read in ``seq`` order)."""
    return {"terms": {"issue_id": sorted(set(issue_ids))}}


def scoped_issue_posts_query(post_ids: Sequence[str], units: set[str] | None, limit: int) -> PostQuery:
    """``scoped_issue_posts``: an issue's posts, only those in ``units`` (None: all; empty: none);
    posts deleted or hidden at their source since are shown too (with their status), as in SQLite."""
    return PostQuery(ids=list(post_ids), units=units, limit=limit, include_removed=True)


def post_labels_filter(post_id: str) -> dict:
    """``post_labels``: every staff correction of one post."""
    return {"term": {"post_id": post_id}}


def audit_filter(actor: str = "") -> dict:
    """``audit_entries``: one actor's audit lines, or everyone's for ``""``."""
    return {"term": {"actor": actor}} if actor else {"match_all": {}}


#: Labels and audit lines, newest first (``seq`` is the store-wide write order).
NEWEST_SEQ_FIRST: list[dict] = [{"seq": "desc"}]


def post_counts_body(issue_ids: Sequence[int]) -> dict:
    """How many posts each issue has (``issue-posts`` index)."""
    return {"query": {"terms": {"issue_id": list(issue_ids)}}, "size": 0,
            "aggs": {"issues": {"terms": {"field": "issue_id", "size": max(1, len(issue_ids))}}}}


def read_post_counts(resp: dict) -> dict[int, int]:
    return {int(b["key"]): b["doc_count"] for b in resp["aggregations"]["issues"]["buckets"]}


def due_emails_filter(now: datetime) -> dict:
    """Not sent, not given up, due, and not held by a live claim."""
    return {"bool": {"must_not": [{"exists": {"field": "sent_at"}}, {"exists": {"field": "failed_at"}},
                                  {"range": {"claimed_until": {"gte": iso(now)}}}],
                     "filter": [{"range": {"next_attempt_at": {"lte": iso(now)}}}]}}


def failed_emails_filter(unreported: bool = False) -> dict:
    body: dict = {"filter": [{"exists": {"field": "failed_at"}}]}
    if unreported:
        body["must_not"] = [{"exists": {"field": "reported_at"}}]
    return {"bool": body}


def outbox_counts_body() -> dict:
    open_ = [{"exists": {"field": "sent_at"}}, {"exists": {"field": "failed_at"}}]
    return {"size": 0, "aggs": {
        "sent": {"filter": {"exists": {"field": "sent_at"}}},
        "pending": {"filter": {"bool": {"must_not": open_}}},
        "failing": {"filter": {"bool": {"must_not": open_, "filter": [{"range": {"attempts": {"gt": 0}}}]}}},
        "failed": {"filter": {"exists": {"field": "failed_at"}}}}}


def read_outbox_counts(resp: dict) -> dict:
    return {k: resp["aggregations"][k]["doc_count"] for k in ("sent", "pending", "failing", "failed")}


def latest_labels_body() -> dict:
    """The newest label per (post, field), via collapse-like top_hits."""
    return {"size": 0, "aggs": {"pairs": {
        "composite": {"size": 1000, "sources": [{"post": {"terms": {"field": "post_id"}}},
                                                {"field": {"terms": {"field": "field"}}}]},
        "aggs": {"newest": {"top_hits": {"size": 1, "sort": [{"seq": "desc"}]}}}}}}



def messages_near(keys: Sequence[tuple[str, str, str]], source_id: str | None = None) -> dict:
    """Group-chat posts with one of ``keys``' content hashes sent between its two times (ISO UTC,
    inclusive): one ``bool`` clause per key, optionally in one source."""
    filters: list[dict] = [{"term": {"source_kind": "wechat_group"}}]
    if source_id is not None:
        filters.append({"term": {"source_id": source_id}})
    should = [{"bool": {"filter": [{"term": {"content_hash": h}},
                                   {"range": {"created_at": {"gte": lo, "lte": hi}}}]}} for lo, hi, h in keys]
    return {"bool": {"filter": filters, "should": should, "minimum_should_match": 1}}
