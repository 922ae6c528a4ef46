"""Conversions between yuqing's dataclasses and Elasticsearch documents. No IO."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, overload

from ...casework.model import HistoryEntry, Issue
from ...query_syntax import index_grams
from ...schema import Analysis, Event, IssueStatus, Post, PostStatus, Source, SourceKind, StoredPost, severity_rank
from ..base import PostRevision
from .mapping import BUCKETS

_ISSUE_FIELDS = ("event_id", "group_key", "rule", "kind", "title", "summary", "severity", "topic", "unit", "method",
                 "method_reason", "step", "status", "assignee", "created_at", "updated_at", "due_at", "closed_at",
                 "version", "extra")
_ISSUE_TIMES = {"created_at", "updated_at", "due_at", "closed_at"}
_ANALYSIS_FIELDS = ("analyzed_at", "sentiment", "p_negative", "p_neutral", "p_positive", "topic", "topics", "risk",
                    "keywords", "tokens", "simhash", "event_id", "model_version")


def iso(d: datetime | None) -> str | None:
    """UTC ISO-8601 to the millisecond (what every date field holds)."""
    return None if d is None else d.astimezone(timezone.utc).isoformat(timespec="milliseconds")


@overload
def parse(v: str) -> datetime: ...
@overload
def parse(v: None) -> None: ...
def parse(v: str | None) -> datetime | None:
    if v is None:
        return None
    d = datetime.fromisoformat(v.replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def bucket_of(post_id: str) -> int:
    """The analysis bucket of a post (stable across machines and runs)."""
    return int.from_bytes(hashlib.sha1(post_id.encode("utf-8")).digest()[:4], "big") % BUCKETS


def post_doc(p: Post, unit: str, imported_at: datetime, seq: int, search: Sequence[str] = ()) -> dict:
    """``seq`` orders posts by when they were stored (the alert cursor); ``search`` holds the words
    the post is found by from the moment it is stored (the search-mode cut of its title and text)."""
    return {
        "id": p.id, "source_id": p.source_id, "source_kind": str(p.source_kind), "unit": unit,
        "native_id": p.native_id, "author": p.author, "author_id": p.author_id, "text": p.text, "title": p.title,
        "url": p.url, "thread_id": p.thread_id, "parent_id": p.parent_id, "likes": p.likes, "replies": p.replies,
        "engagement": p.likes + p.replies, "created_at": iso(p.created_at), "imported_at": iso(imported_at),
        "content_hash": p.content_hash, "pii": p.pii, "extra": p.extra, "bucket": bucket_of(p.id), "seq": seq,
        "search": " ".join(t for t in search if t.strip()), "grams": index_grams(p.title, p.text),
    }


def analysis_doc(a: Analysis, analyzed_at: datetime) -> dict:
    s = a.sentiment_scores
    return {
        "analyzed_at": iso(analyzed_at), "sentiment": str(a.sentiment), "p_negative": s.get("negative", 0.0),
        "p_neutral": s.get("neutral", 0.0), "p_positive": s.get("positive", 0.0), "topic": a.topic,
        "topics": list(a.topics), "risk": str(a.risk), "keywords": list(a.keywords),
        "tokens": " ".join(t for t in a.tokens if t.strip()), "simhash": str(a.simhash),
        "event_id": a.event_id or None, "model_version": a.model_version,
    }


def cleared_analysis() -> dict:
    """A partial update that forgets a post's analysis (its ``search`` words stay: they follow the text)."""
    return dict.fromkeys(_ANALYSIS_FIELDS)


def stored_post(src: dict) -> StoredPost:
    post = Post(
        id=src["id"], source_id=src["source_id"], source_kind=SourceKind(src["source_kind"]), text=src["text"],
        created_at=parse(src["created_at"]), author=src["author"], author_id=src["author_id"],
        native_id=src.get("native_id"), title=src["title"], url=src["url"], thread_id=src["thread_id"],
        parent_id=src["parent_id"], likes=src["likes"], replies=src["replies"], pii=src.get("pii") or [],
        extra=src.get("extra") or {}, content_hash=src["content_hash"],
    )
    analysis = None
    if src.get("analyzed_at"):
        analysis = Analysis(
            post_id=src["id"], sentiment=src["sentiment"],
            sentiment_scores={"negative": src["p_negative"], "neutral": src["p_neutral"], "positive": src["p_positive"]},
            topic=src["topic"], topics=src.get("topics") or [], risk=src["risk"], keywords=src.get("keywords") or [],
            tokens=(src.get("tokens") or "").split(), simhash=int(src.get("simhash") or 0),
            event_id=src.get("event_id") or "", model_version=src.get("model_version") or "",
        )
    return StoredPost(post=post, unit=src.get("unit", ""), analysis=analysis, imported_at=parse(src.get("imported_at")),
                      status=src.get("status") or PostStatus.LIVE, status_reason=src.get("status_reason") or "")


def status_doc(status: str, reason: str, at: datetime) -> dict:
    """A partial update that marks a post ``deleted``/``hidden`` at its source, or ``live`` again
    (the status fields absent: documents written before statuses existed are live too)."""
    if status == PostStatus.LIVE:
        return {"status": None, "status_reason": None, "status_at": None}
    return {"status": status, "status_reason": reason, "status_at": iso(at)}


#: The scripted update of an edit: the old text goes to ``history``, the new text, title, hash, PII
#: spans and ``extra`` replace it, and the (stale) analysis is removed so analysis redoes it.
EDIT_SCRIPT = ("if (ctx._source.content_hash == params.content_hash) { ctx.op = 'noop'; return; } "
               "if (ctx._source.history == null) { ctx._source.history = []; } "
               "ctx._source.history.add(['text': ctx._source.text, 'title': ctx._source.title, "
               "'content_hash': ctx._source.content_hash, 'replaced_at': params.at]); "
               "for (e in params.doc.entrySet()) { ctx._source[e.getKey()] = e.getValue(); } "
               "for (f in params.clear) { ctx._source.remove(f); }")


def edit_script(p: Post, at: datetime, search: Sequence[str] | None = None) -> dict:
    """The ``script`` of the update that applies an edit of ``p`` seen at ``at`` (see EDIT_SCRIPT);
    ``search``: the words the new text is found by, where posts carry them."""
    doc = {"text": p.text, "title": p.title, "content_hash": p.content_hash, "pii": p.pii, "extra": p.extra,
           "edited_at": iso(at)}
    if search is not None:
        doc["search"] = " ".join(t for t in search if t.strip())
        doc["grams"] = index_grams(p.title, p.text)
    return {"source": EDIT_SCRIPT, "lang": "painless",
            "params": {"doc": doc, "content_hash": p.content_hash, "at": iso(at), "clear": list(_ANALYSIS_FIELDS)}}


def history_of_post(src: dict) -> list[PostRevision]:
    return [PostRevision(h["text"], h.get("title") or "", h["content_hash"], parse(h["replaced_at"]))
            for h in src.get("history") or []]


def source_doc(s: Source, configured: bool) -> dict:
    return {"id": s.id, "name": s.name, "kind": str(s.kind), "unit": s.unit, "match": list(s.match), "url": s.url,
            "status": s.status, "options": s.options, "configured": configured}


def source_of(d: dict) -> Source:
    return Source(id=d["id"], name=d["name"], kind=SourceKind(d["kind"]), unit=d["unit"], match=d.get("match") or [],
                  url=d["url"], status=d["status"], options=d.get("options") or {})


def event_doc(e: Event) -> dict:
    return {"id": e.id, "label": e.label, "keywords": list(e.keywords), "topic": e.topic, "unit": e.unit,
            "first_at": iso(e.first_at), "last_at": iso(e.last_at), "size": e.size, "negative": e.negative,
            "signature": str(e.signature)}


def event_of(d: dict) -> Event:
    return Event(id=d["id"], label=d["label"], keywords=d.get("keywords") or [], topic=d["topic"], unit=d["unit"],
                 first_at=parse(d.get("first_at")), last_at=parse(d.get("last_at")), size=d["size"],
                 negative=d["negative"], signature=int(d.get("signature") or 0))


def issue_doc(i: Issue) -> dict:
    d: dict[str, Any] = {"id": i.id}
    for name in _ISSUE_FIELDS:
        v = getattr(i, name)
        d[name] = iso(v) if name in _ISSUE_TIMES else v
    d["severity_rank"] = severity_rank(i.severity)
    d["closed"] = i.status == IssueStatus.CLOSED
    return d


def issue_of(d: dict, post_count: int = 0) -> Issue:
    kw: dict[str, Any] = {name: d.get(name) for name in _ISSUE_FIELDS}
    for name in _ISSUE_TIMES:
        kw[name] = parse(kw[name])
    kw["extra"] = kw["extra"] or {}
    return Issue(id=d["id"], post_count=post_count, **kw)


def history_of(d: dict) -> HistoryEntry:
    return HistoryEntry(issue_id=d["issue_id"], at=parse(d["at"]), actor=d["actor"], action=d["action"],
                        step=d.get("step") or "", note=d.get("note") or "", data=d.get("data") or {})
