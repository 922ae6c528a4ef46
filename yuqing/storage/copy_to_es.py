"""`yuqing migrate --to elasticsearch`: copy a SQLite store into a cluster.

Resumable: posts go in storage (rowid) order and the last copied rowid is kept in the cluster's
state index, so an interrupted run carries on where it stopped. Idempotent: every document has a
fixed id (post id, issue id, ``sqlite-<rowid>`` for log lines), so running it again changes
nothing. Posts keep their rowid as ``seq``, so the alert cursor (a rowid) stays valid, and new
posts (``seq`` = microseconds) sort after them. At the end the counts are compared table by
index; a mismatch is an error. Sessions are not copied (users log in again).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..errors import StorageError
from .elasticsearch import documents as D
from .elasticsearch.bulk import Action, run_bulk
from .elasticsearch.store import ElasticsearchStore, quarantine_id
from .elasticsearch.triage import subject_doc
from .sqlite import SqliteStore
from .sqlite import rows as R

POSTS_CURSOR = "migrate:sqlite:posts_rowid"


def _iso(ts: int | None) -> str | None:
    return None if ts is None else D.iso(R.dt(ts))


@dataclass
class MigrationReport:
    posts: int = 0  # copied in this run
    rejected: int = 0  # refused by the cluster, quarantined there
    tables: dict[str, int] = field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (sqlite, elasticsearch)


def post_batch(src: SqliteStore, dst: ElasticsearchStore, after: int, size: int) -> tuple[list[Action], int]:
    """Posts with rowid > ``after`` (up to ``size``) as full documents; and the last rowid."""
    rows = src.q("SELECT rowid AS seq_, * FROM posts WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, size))
    issues: dict[str, list[int]] = {}
    removals: dict[str, dict] = {}
    history: dict[str, list[dict]] = {}
    triage: dict[str, str] = {}
    if rows:
        span = (after, rows[-1]["seq_"])
        for r in src.q("""SELECT ip.post_id, ip.issue_id FROM issue_posts ip JOIN posts p ON p.id = ip.post_id
                          WHERE p.rowid > ? AND p.rowid <= ? ORDER BY ip.issue_id""", span):
            issues.setdefault(r["post_id"], []).append(r["issue_id"])
        for r in src.q("""SELECT target, mark FROM triage_state WHERE kind = 'post' AND post_rowid > ?
                          AND post_rowid <= ?""", span):
            triage[r["target"]] = r["mark"]
        for r in src.q("SELECT * FROM post_removals WHERE post_rowid > ? AND post_rowid <= ?", span):
            removals[r["post_id"]] = {"status": r["status"], "status_reason": r["reason"], "status_at": _iso(r["at"])}
        for r in src.q("""SELECT v.* FROM post_revisions v JOIN posts p ON p.id = v.post_id
                          WHERE p.rowid > ? AND p.rowid <= ? ORDER BY v.id""", span):
            history.setdefault(r["post_id"], []).append({"text": r["text"], "title": r["title"],
                                                         "content_hash": r["content_hash"],
                                                         "replaced_at": _iso(r["replaced_at"])})
    actions = []
    for r in rows:
        sp = R.stored_post(r)
        doc = D.post_doc(sp.post, sp.unit, sp.imported_at, r["seq_"])
        if sp.post.id in issues:
            doc["issue_ids"] = issues[sp.post.id]
        doc.update(removals.get(sp.post.id, {}))
        if sp.post.id in triage:
            doc["triage"] = triage[sp.post.id]
        if sp.post.id in history:
            doc["history"] = history[sp.post.id]
            doc["edited_at"] = history[sp.post.id][-1]["replaced_at"]
        if sp.analysis is not None:
            doc.update(D.analysis_doc(sp.analysis, R.dt(r["analyzed_at"])))
        actions.append(Action("index", dst.names.posts_index(sp.post.created_at), sp.post.id, doc))
    return actions, (rows[-1]["seq_"] if rows else after)


def table_actions(src: SqliteStore, dst: ElasticsearchStore) -> Iterator[tuple[str, Action]]:
    """Everything but posts and sessions, as ``(index short name, action)``."""
    ix = dst.ix
    for u in src.list_units():
        yield "units", Action("index", ix("units"), u.code, {"code": u.code, "name": u.name, "parent": u.parent,
                                                             "level": u.level})
    for r in src.q("SELECT * FROM sources"):
        yield "sources", Action("index", ix("sources"), r["id"], D.source_doc(R.source(r), bool(r["configured"])))
    for r in src.q("SELECT * FROM events"):
        yield "events", Action("index", ix("events"), r["id"], D.event_doc(R.event(r)))
    for r in src.q("SELECT * FROM imported_files"):
        yield "files", Action("index", ix("files"), r["content_hash"], {
            "content_hash": r["content_hash"], "path": r["path"], "size": r["size"], "fmt": r["fmt"],
            "posts": r["posts"], "duplicates": r["duplicates"], "quarantined": r["quarantined"],
            "skipped": r["skipped"], "imported_at": _iso(r["imported_at"])})
    for r in src.q("SELECT * FROM quarantine"):
        yield "quarantine", Action("index", ix("quarantine"), quarantine_id(r["origin"], r["position"], r["reason"]), {
            "origin": r["origin"], "position": r["position"], "reason": r["reason"], "raw": r["raw"],
            "source_id": r["source_id"], "at": _iso(r["at"]), "seq": r["id"]})
    for r in src.q("SELECT * FROM source_failures"):
        yield "failures", Action("index", ix("failures"), f"sqlite-{r['id']}", {
            "source_id": r["source_id"], "at": _iso(r["at"]), "url": r["url"], "error": r["error"]})
    for r in src.q("SELECT * FROM state"):
        yield "state", Action("index", ix("state"), r["key"], {"key": r["key"], "value": r["value"]})
    for r in src.q("SELECT * FROM labels"):
        yield "labels", Action("index", ix("labels"), f"sqlite-{r['id']}", {
            "post_id": r["post_id"], "field": r["field"], "value": r["value"], "actor": r["actor"],
            "at": _iso(r["at"]), "seq": r["id"]})
    for r in src.q("SELECT * FROM issues"):
        yield "issues", Action("index", ix("issues"), str(r["id"]), D.issue_doc(R.issue(r)))
    for r in src.q("SELECT * FROM issue_posts"):
        yield "issue-posts", Action("index", ix("issue-posts"), f"{r['issue_id']}|{r['post_id']}", {
            "issue_id": r["issue_id"], "post_id": r["post_id"], "rule": r["rule"], "added_at": _iso(r["added_at"])})
    for r in src.q("SELECT * FROM issue_history"):
        yield "history", Action("index", ix("history"), f"sqlite-{r['id']}", {
            "issue_id": r["issue_id"], "at": _iso(r["at"]), "seq": r["id"], "actor": r["actor"],
            "action": r["action"], "step": r["step"], "note": r["note"], "data": json.loads(r["data"] or "{}")})
    for r in src.q("SELECT * FROM outbox"):
        yield "outbox", Action("index", ix("outbox"), hashlib.sha1(r["dedupe_key"].encode("utf-8")).hexdigest(), {
            "id": r["id"], "dedupe_key": r["dedupe_key"], "kind": r["kind"], "issue_id": r["issue_id"],
            "recipients": json.loads(r["recipients"]), "subject": r["subject"], "body_text": r["body_text"],
            "body_html": r["body_html"], "attachments": json.loads(r["attachments"] or "[]"),
            "created_at": _iso(r["created_at"]), "send_after": _iso(r["send_after"]),
            "next_attempt_at": _iso(r["next_attempt_at"]), "sent_at": _iso(r["sent_at"]),
            "message_id": r["message_id"] or "", "attempts": r["attempts"], "last_error": r["last_error"] or ""})
    for r in src.q("SELECT * FROM audit_log"):
        yield "audit", Action("index", ix("audit"), f"sqlite-{r['id']}", {
            "at": _iso(r["at"]), "seq": r["id"], "actor": r["actor"], "action": r["action"], "target": r["target"],
            "detail": json.loads(r["detail"] or "{}")})
    for r in src.q("SELECT * FROM triage_log"):
        yield "triage", Action("index", ix("triage"), f"sqlite-{r['id']}", {
            "kind": r["kind"], "target": r["target"], "unit": r["unit"], "mark": r["mark"], "actor": r["actor"],
            "note": r["note"], "at": _iso(r["at"]), "seq": r["id"]})
    for r in src.q("SELECT * FROM triage_state"):
        yield "triage-state", Action("index", ix("triage-state"), f"{r['kind']}:{r['target']}", {
            "kind": r["kind"], "target": r["target"], "unit": r["unit"], "mark": r["mark"], "actor": r["actor"],
            "note": r["note"], "at": _iso(r["at"])})
    for r in src.q("SELECT * FROM subjects"):
        yield "subjects", Action("index", ix("subjects"), str(r["id"]), subject_doc(R.subject(r)))
    for r in src.q("SELECT * FROM users"):
        yield "users", Action("index", ix("users"), r["username"], {
            "username": r["username"], "name": r["name"], "role": r["role"], "unit": r["unit"], "email": r["email"],
            "password_hash": r["password_hash"], "disabled": bool(r["disabled"]), "created_at": _iso(r["created_at"])})


#: index short name → the SQLite table holding the same rows.
TABLES = {"units": "units", "sources": "sources", "events": "events", "files": "imported_files",
          "failures": "source_failures", "labels": "labels", "issues": "issues", "issue-posts": "issue_posts",
          "history": "issue_history", "outbox": "outbox", "audit": "audit_log", "users": "users",
          "triage": "triage_log", "triage-state": "triage_state", "subjects": "subjects"}


def migrate_to_es(src: SqliteStore, dst: ElasticsearchStore, *, batch: int = 1000,
                  on_posts: Callable[[int], None] = lambda n: None) -> MigrationReport:
    """Copy everything; ``on_posts(n)`` is called after each batch (progress). Raises StorageError
    when the counts do not match at the end."""
    report = MigrationReport()
    cursor = int(dst.get_state(POSTS_CURSOR) or 0)
    while True:
        actions, last = post_batch(src, dst, cursor, batch)
        if not actions:
            break
        outcome = run_bulk(dst.es, actions, refresh=False)
        if outcome.rejected:
            dst.add_quarantine(outcome.rejected)
        report.posts += len(outcome.done)
        report.rejected += len(outcome.rejected)
        cursor = last
        dst.set_state(POSTS_CURSOR, str(cursor))
        on_posts(len(actions))
    actions = list(table_actions(src, dst))
    for name, _ in actions:
        report.tables[name] = report.tables.get(name, 0) + 1
    outcome = run_bulk(dst.es, (a for _, a in actions), refresh=False)
    if outcome.rejected:
        dst.add_quarantine(outcome.rejected)
        report.rejected += len(outcome.rejected)
    for counter, table in (("issue", "issues"), ("outbox", "outbox"), ("subject", "subjects")):
        top = src.q1(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0]
        dst.es.update(index=dst.ix("counters"), id=counter, upsert={"n": top}, retry_on_conflict=10,
                      script={"source": "ctx._source.n = Math.max(ctx._source.n, params.n)", "params": {"n": top}})
    dst.es.indices.refresh(index=f"{dst.names.prefix}-*")
    _verify(src, dst, report)
    return report


def _verify(src: SqliteStore, dst: ElasticsearchStore, report: MigrationReport) -> None:
    report.counts["posts"] = (src.q1("SELECT COUNT(*) FROM posts")[0], dst.count(dst.names.posts_alias))
    report.counts["posts_analyzed"] = (src.q1("SELECT COUNT(*) FROM posts WHERE analyzed_at IS NOT NULL")[0],
                                       dst.count(dst.names.posts_alias, {"exists": {"field": "analyzed_at"}}))
    report.counts["posts_removed"] = (src.q1("SELECT COUNT(*) FROM post_removals")[0],
                                      dst.count(dst.names.posts_alias, {"exists": {"field": "status"}}))
    for name, table in TABLES.items():
        report.counts[name] = (src.q1(f"SELECT COUNT(*) FROM {table}")[0], dst.count(dst.ix(name)))
    report.counts["state"] = (src.q1("SELECT COUNT(*) FROM state")[0],
                              dst.count(dst.ix("state"), {"bool": {"must_not": [{"prefix": {"key": "migrate:"}}]}}))
    wrong = [f"{name} {a}→{b}" for name, (a, b) in report.counts.items() if a != b]
    if wrong and not report.rejected:
        raise StorageError("迁移后数量不一致（SQLite→Elasticsearch）：" + "，".join(wrong))
    if wrong:
        raise StorageError(f"迁移后数量不一致：{'，'.join(wrong)}；{report.rejected} 条被集群拒绝，已写入隔离区"
                           "（yuqing stats 查看），修正后重新运行 yuqing migrate")
