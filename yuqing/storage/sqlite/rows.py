"""Values ↔ SQLite rows: the one epoch↔datetime conversion, and every mapping between yuqing's value
types and the tables' columns (the counterpart of :mod:`..elasticsearch.documents`). Pure: a row is
anything indexable by column name (``sqlite3.Row``, a dict); nothing here touches a connection.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime, timezone
from typing import Any, overload

from ...casework.model import HistoryEntry, Issue
from ...schema import (
    Analysis,
    Event,
    ImportedFile,
    Post,
    PostStatus,
    QuarantineRecord,
    Source,
    SourceKind,
    StoredPost,
    Subject,
    TriageMark,
    Unit,
    User,
)

Row = Mapping[str, Any]

#: The issue columns written and read (besides ``id``), in the table's order.
ISSUE_COLUMNS = ("event_id", "group_key", "rule", "kind", "title", "summary", "severity", "topic", "unit", "method",
                 "method_reason", "step", "status", "assignee", "created_at", "updated_at", "due_at",
                 "closed_at", "version", "extra")
_ISSUE_TIMES = {"created_at", "updated_at", "due_at", "closed_at"}
assert {f.name for f in fields(Issue)} >= set(ISSUE_COLUMNS)


# --- time: UTC epoch seconds in the database, aware datetimes outside ------------------------------
def ts(at: datetime | None) -> int | None:
    """An aware datetime as epoch seconds (None stays None)."""
    return None if at is None else int(at.timestamp())


@overload
def dt(value: int) -> datetime: ...
@overload
def dt(value: None) -> None: ...
def dt(value: int | None) -> datetime | None:
    """Epoch seconds as an aware UTC datetime (None stays None)."""
    return None if value is None else datetime.fromtimestamp(value, tz=timezone.utc)


def now_ts() -> int:
    return int(time.time())


# --- small encodings ------------------------------------------------------------------------------
def to_signed(v: int) -> int:
    """SQLite integers are signed 64-bit; 64-bit hashes are stored two's-complement."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= (1 << 63) else v


def from_signed(v: int) -> int:
    return v & ((1 << 64) - 1)


def dumps(value: Any) -> str:
    """JSON as stored (Chinese kept readable)."""
    return json.dumps(value, ensure_ascii=False)


def _has(r: Row, column: str) -> bool:
    return column in r.keys()


# --- posts ------------------------------------------------------------------------------------------
def post_values(p: Post, unit: str, imported_at: int) -> tuple:
    """The ``posts`` columns of a new post, in :data:`..sql.INSERT_POST`'s order."""
    return (p.id, p.source_id, str(p.source_kind), unit, p.native_id, p.author, p.author_id, p.text, p.title, p.url,
            p.thread_id, p.parent_id, p.likes, p.replies, ts(p.created_at), imported_at, p.content_hash,
            dumps(p.pii) if p.pii else "[]", dumps(p.extra) if p.extra else "{}")


def analysis_values(a: Analysis, analyzed_at: int) -> tuple:
    """The analysis columns of a post, in :data:`..sql.SAVE_ANALYSIS`'s order (the post id last)."""
    s = a.sentiment_scores
    return (str(a.sentiment), s.get("negative", 0.0), s.get("neutral", 0.0), s.get("positive", 0.0), a.topic,
            dumps(a.topics), str(a.risk), dumps(a.keywords), " ".join(t for t in a.tokens if t.strip()),
            to_signed(a.simhash), a.event_id or None, a.model_version, analyzed_at, a.post_id)


def stored_post(r: Row) -> StoredPost:
    """A ``posts`` row (with ``removed_status``/``removed_reason`` when the query joined them)."""
    post = Post(
        id=r["id"], source_id=r["source_id"], source_kind=SourceKind(r["source_kind"]), text=r["text"],
        created_at=dt(r["created_at"]), author=r["author"], author_id=r["author_id"],
        native_id=r["native_id"], title=r["title"], url=r["url"], thread_id=r["thread_id"], parent_id=r["parent_id"],
        likes=r["likes"], replies=r["replies"], pii=json.loads(r["pii"]), extra=json.loads(r["extra"]),
        content_hash=r["content_hash"],
    )
    analysis = None
    if r["analyzed_at"] is not None:
        analysis = Analysis(
            post_id=r["id"], sentiment=r["sentiment"],
            sentiment_scores={"negative": r["p_negative"], "neutral": r["p_neutral"], "positive": r["p_positive"]},
            topic=r["topic"], topics=json.loads(r["topics"] or "[]"), risk=r["risk"],
            keywords=json.loads(r["keywords"] or "[]"), tokens=(r["tokens"] or "").split(),
            simhash=from_signed(r["simhash"] or 0), event_id=r["event_id"] or "", model_version=r["model_version"] or "",
        )
    status, reason = PostStatus.LIVE, ""
    if _has(r, "removed_status") and r["removed_status"]:
        status, reason = r["removed_status"], r["removed_reason"]
    return StoredPost(post=post, unit=r["unit"], analysis=analysis, imported_at=dt(r["imported_at"]),
                      status=status, status_reason=reason)


# --- organisation, events, import bookkeeping ----------------------------------------------------------
def unit(r: Row) -> Unit:
    return Unit(r["code"], r["name"], r["parent"], r["level"])


def source_values(s: Source, configured: bool, created_at: int) -> tuple:
    """The ``sources`` columns, in :data:`..sql.UPSERT_SOURCE`'s order."""
    return (s.id, s.name, str(s.kind), s.unit, dumps(s.match), s.url, s.status, dumps(s.options), int(configured),
            created_at)


def source(r: Row) -> Source:
    return Source(id=r["id"], name=r["name"], kind=SourceKind(r["kind"]), unit=r["unit"], match=json.loads(r["match"]),
                  url=r["url"], status=r["status"], options=json.loads(r["options"]))


def event_values(e: Event) -> tuple:
    """The ``events`` columns, in :data:`..sql.UPSERT_EVENT`'s order."""
    return (e.id, e.label, dumps(e.keywords), e.topic, e.unit, ts(e.first_at), ts(e.last_at), e.size, e.negative,
            to_signed(e.signature))


def event(r: Row) -> Event:
    return Event(id=r["id"], label=r["label"], keywords=json.loads(r["keywords"]), topic=r["topic"], unit=r["unit"],
                 first_at=dt(r["first_at"]), last_at=dt(r["last_at"]), size=r["size"], negative=r["negative"],
                 signature=from_signed(r["signature"]))


def imported_file(r: Row) -> ImportedFile:
    return ImportedFile(content_hash=r["content_hash"], path=r["path"], size=r["size"], posts=r["posts"],
                        duplicates=r["duplicates"], quarantined=r["quarantined"], skipped=r["skipped"], fmt=r["fmt"])


def quarantine_record(r: Row) -> QuarantineRecord:
    return QuarantineRecord(origin=r["origin"], position=r["position"], reason=r["reason"], raw=r["raw"],
                            source_id=r["source_id"])


def label(r: Row) -> dict:
    return {"post_id": r["post_id"], "field": r["field"], "value": r["value"], "text": r["text"],
            "actor": r["actor"], "at": dt(r["at"])}


# --- casework --------------------------------------------------------------------------------------------
def issue_values(issue: Issue) -> list:
    """The ``issues`` columns of :data:`ISSUE_COLUMNS`, in that order."""
    out: list = []
    for name in ISSUE_COLUMNS:
        v = getattr(issue, name)
        if name in _ISSUE_TIMES:
            v = ts(v)
        elif name == "extra":
            v = dumps(v)
        out.append(v)
    return out


def issue(r: Row) -> Issue:
    """An ``issues`` row (``post_count`` when the query counted the issue's posts)."""
    kw = {name: r[name] for name in ISSUE_COLUMNS}
    for f in _ISSUE_TIMES:
        kw[f] = dt(kw[f])
    kw["extra"] = json.loads(kw["extra"] or "{}")
    return Issue(id=r["id"], post_count=r["post_count"] if _has(r, "post_count") else 0, **kw)


def history_entry(r: Row) -> HistoryEntry:
    return HistoryEntry(issue_id=r["issue_id"], at=dt(r["at"]), actor=r["actor"],
                        action=r["action"], step=r["step"], note=r["note"], data=json.loads(r["data"]))


def email(r: Row) -> dict:
    """An ``outbox`` row as the outbox's callers read it (recipients and attachments decoded)."""
    d = dict(r)
    d["recipients"] = json.loads(d["recipients"])
    d["attachments"] = json.loads(d["attachments"])
    return d


def user(r: Row) -> User:
    return User(username=r["username"], role=r["role"], unit=r["unit"], name=r["name"], email=r["email"],
                password_hash=r["password_hash"])


# --- triage and 专题 ------------------------------------------------------------------------------------
def triage_mark(r: Row) -> TriageMark:
    return TriageMark(kind=r["kind"], target=r["target"], mark=r["mark"], actor=r["actor"], at=dt(r["at"]),
                      note=r["note"], unit=r["unit"])


def subject_values(s: Subject) -> tuple:
    """The ``subjects`` columns name … rule, in the order the store writes them."""
    return (s.name, s.query, dumps(list(s.units)), dumps(list(s.sources)), s.unit, s.owner, s.rule)


def subject(r: Row) -> Subject:
    return Subject(name=r["name"], query=r["query"], units=json.loads(r["units"]), sources=json.loads(r["sources"]),
                   unit=r["unit"], owner=r["owner"], rule=r["rule"], created_at=dt(r["created_at"]),
                   updated_at=dt(r["updated_at"]), version=r["version"], id=r["id"])
