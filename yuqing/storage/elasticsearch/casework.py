"""Issues, their posts and history, the e-mail outbox and the audit log on Elasticsearch. Mixed into :class:`.store.ElasticsearchStore` (uses its ``put``/``search``/…).

Issues change only through a compare-and-set on ``_seq_no``/``_primary_term``: two workers that
read the same version cannot both advance it. E-mails are marked sent the same way, once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from elasticsearch import ConflictError as EsConflict
from elasticsearch import NotFoundError as EsNotFound

from ...casework.model import HistoryEntry, Issue
from ...errors import ConflictError, NotFoundError
from ...schema import IssueKind, IssueStatus
from . import documents as D
from . import queries as Q
from .bulk import Action
from .client import reachable

#: Upper bound of issues one aggregation reports.
SMALL_AGG = 10000


def _now() -> datetime:
    return datetime.now(timezone.utc)


class CaseworkMixin:
    # --- issues ---------------------------------------------------------------------------
    def _post_counts(self, issue_ids: list[int]) -> dict[int, int]:
        if not issue_ids:
            return {}
        return Q.read_post_counts(self.search(self.ix("issue-posts"), **Q.post_counts_body(issue_ids)))

    def issues_from(self, rows: list[dict]) -> list[Issue]:
        counts = self._post_counts([r["id"] for r in rows])
        return [D.issue_of(r, counts.get(r["id"], 0)) for r in rows]

    def create_issue(self, issue: Issue, post_ids: Iterable[str] = (), actor: str = "system") -> int:
        now = _now()
        issue.created_at = issue.created_at or now
        issue.updated_at = issue.updated_at or issue.created_at
        issue.version = 1
        issue.id = self.next_id("issue")
        self.put("issues", str(issue.id), D.issue_doc(issue), op_type="create")
        self._history(issue.id, actor, "opened", issue.step, issue.summary[:500],
                      {"severity": issue.severity, "unit": issue.unit, "rule": issue.rule})
        self.attach_posts(issue.id, post_ids, issue.rule)
        return issue.id

    def get_issue(self, issue_id: int, units: set[str] | None = None) -> Issue | None:
        d = self.get_doc("issues", str(issue_id))
        if d is None or (units is not None and d["unit"] not in units):
            return None
        return self.issues_from([d])[0]

    def _open_issue(self, field: str, value: str) -> Issue | None:
        if not value:
            return None
        rows = self.sources_of(self.ix("issues"), {"bool": {"filter": [{"term": {field: value}},
                                                                        {"term": {"status": IssueStatus.OPEN}}]}},
                               sort=[{"id": "desc"}], size=1)
        return D.issue_of(rows[0]) if rows else None

    def find_open_issue(self, event_id: str) -> Issue | None:
        return self._open_issue("event_id", event_id)

    def find_open_issue_by_key(self, group_key: str) -> Issue | None:
        """The open issue raised for a grouping key (posts without an event)."""
        return self._open_issue("group_key", group_key)

    def list_issues(self, *, units=None, status=None, severity=None, step=None, overdue=None, now=None,
                    limit: int = 200, offset: int = 0) -> list[Issue]:
        query = Q.issue_filter(units=units, status=status, severity=severity, step=step, overdue=overdue, now=now)
        resp = self.search(self.ix("issues"), **Q.issues_page_body(query, limit, offset))
        return self.issues_from([h["_source"] for h in resp["hits"]["hits"]])

    def involved_issues(self, units: set[str], *, status: str | None = None, limit: int = 200) -> list[Issue]:
        if not units:
            return []
        resp = self.search(self.names.posts_alias, **Q.involved_issues_body(units))
        counts = {int(b["key"]): b["doc_count"] for b in resp["aggregations"]["issues"]["buckets"]}
        if not counts:
            return []
        rows = self.sources_of(self.ix("issues"), Q.involved_issues_filter(list(counts), units, status),
                               sort=Q.ISSUE_SORT, size=limit)
        return [D.issue_of(r, counts.get(r["id"], 0)) for r in rows]

    def count_issues(self, *, units=None, status=None, overdue=None, now=None, since=None, until=None,
                     after_id=None) -> int:
        return self.count(self.ix("issues"), Q.issue_filter(units=units, status=status, overdue=overdue, now=now,
                                                            since=since, until=until, after_id=after_id))

    def max_issue_id(self, units: set[str] | None = None) -> int:
        rows = self.sources_of(self.ix("issues"), Q.issue_filter(units=units), sort=[{"id": "desc"}], size=1)
        return int(rows[0]["id"]) if rows else 0

    def attach_posts(self, issue_id: int, post_ids: Iterable[str], rule: str = "") -> int:
        """Attach posts (once each) and note the issue on the posts (``issue_ids``) for the digest's
        aggregations."""
        now = D.iso(_now())
        outcome = self.bulk(Action("create", self.ix("issue-posts"), f"{issue_id}|{pid}",
                                   {"issue_id": issue_id, "post_id": pid, "rule": rule, "added_at": now})
                            for pid in dict.fromkeys(post_ids))
        new = [doc_id.split("|", 1)[1] for doc_id in outcome.done]
        where = self._locate(new) if new else {}
        script = {"source": Q.ADD_ISSUE_SCRIPT, "params": {"issue": issue_id}}
        self.bulk(Action("update", where[p], p, {}, script=script) for p in new if p in where)
        return len(new)

    def open_issues_sharing_posts(self, post_ids: Iterable[str]) -> dict[int, int]:
        """``{issue_id: posts shared}`` for open opinion issues holding any of ``post_ids``."""
        ids = list(dict.fromkeys(post_ids))
        if not ids:
            return {}
        resp = self.search(self.ix("issue-posts"), size=0, query={"terms": {"post_id": ids}},
                           aggs={"issues": {"terms": {"field": "issue_id", "size": SMALL_AGG}}})
        shared = {int(b["key"]): b["doc_count"] for b in resp["aggregations"]["issues"]["buckets"]}
        if not shared:
            return {}
        open_ids = {d["id"] for d in self.sources_of(self.ix("issues"), {"bool": {"filter": [
            {"terms": {"id": sorted(shared)}}, {"term": {"status": IssueStatus.OPEN}}, {"term": {"kind": IssueKind.OPINION}}]}},
            size=len(shared))}
        return {i: n for i, n in shared.items() if i in open_ids}

    def _issue_post_ids(self, issue_id: int) -> list[str]:
        return [d["post_id"] for d in self.sources_of(self.ix("issue-posts"), Q.issue_posts_filter(issue_id))]

    def issue_posts(self, issue_id: int, limit: int = 200):
        return self.scoped_issue_posts(issue_id, None, limit)

    def update_issue(self, issue: Issue, *, actor: str, action: str, note: str = "",
                     data: dict | None = None, at: datetime | None = None, step: str | None = None) -> Issue:
        if issue.id is None:
            raise NotFoundError("无法更新从未创建过的议题")
        conflict = ConflictError.stale_issue(issue.id)
        try:
            with reachable():
                got = self.es.get(index=self.ix("issues"), id=str(issue.id))
        except EsNotFound:
            raise NotFoundError(f"议题 #{issue.id} 不存在") from None
        read_version = issue.version
        if got["_source"]["version"] != read_version:
            raise conflict
        issue.updated_at = at or _now()
        issue.version = read_version + 1
        try:
            self.put("issues", str(issue.id), D.issue_doc(issue), if_seq_no=got["_seq_no"],
                     if_primary_term=got["_primary_term"])
        except EsConflict:
            issue.version = read_version
            raise conflict from None
        self._history(issue.id, actor, action, step or issue.step, note, data or {}, at)
        return issue

    def _history(self, issue_id: int, actor: str, action: str, step: str, note: str, data: dict,
                 at: datetime | None = None) -> None:
        self.put("history", None, {"issue_id": issue_id, "at": D.iso(at or _now()), "seq": self.next_seq(),
                                   "actor": actor, "action": action, "step": step, "note": note, "data": data})

    def issue_history(self, issue_id: int) -> list[HistoryEntry]:
        return self.issue_histories([issue_id])[issue_id]

    def issue_histories(self, issue_ids: Iterable[int]) -> dict[int, list[HistoryEntry]]:
        ids = sorted(set(issue_ids))
        out: dict[int, list[HistoryEntry]] = {i: [] for i in ids}
        for k in range(0, len(ids), Q.HISTORY_CHUNK):
            for r in self.scan_sources(self.ix("history"), Q.histories_filter(ids[k:k + Q.HISTORY_CHUNK]),
                                       sort=[{"seq": "asc"}]):
                out[r["issue_id"]].append(D.history_of(r))
        return out

    def alert_candidates(self, after: int, limit: int = 5000) -> tuple[list, int]:
        """Analysed posts stored after cursor ``after`` (a post ``seq``), in storage order, stopping at
        the first post not analysed yet; returns (posts, new cursor)."""
        hits = self._hits({"range": {"seq": {"gt": after}}}, sort=[{"seq": "asc"}], size=limit)
        out, cursor = [], after
        for h in hits:
            removed = bool(h["_source"].get("status"))
            if not removed and not h["_source"].get("analyzed_at"):
                break
            if not removed:  # a post deleted or hidden at its source raises nothing
                out.append(D.stored_post(h["_source"]))
            cursor = h["_source"]["seq"]
        return out, cursor

    # --- outbox ---------------------------------------------------------------------------
    def enqueue_email(self, *, dedupe_key: str, kind: str, recipients: list[str], subject: str, body_text: str,
                      body_html: str = "", issue_id: int | None = None, attachments: list[dict] | None = None,
                      send_after: datetime | None = None, give_up_at: datetime | None = None) -> bool:
        doc_id = hashlib.sha1(dedupe_key.encode("utf-8")).hexdigest()
        if self.get_doc("outbox", doc_id) is not None:
            return False
        now = _now()
        due = send_after or now
        doc = {"id": self.next_id("outbox"), "dedupe_key": dedupe_key, "kind": kind, "issue_id": issue_id,
               "recipients": recipients, "subject": subject, "body_text": body_text, "body_html": body_html,
               "attachments": attachments or [], "created_at": D.iso(now), "send_after": D.iso(due),
               "next_attempt_at": D.iso(due), "sent_at": None, "message_id": "", "attempts": 0, "last_error": "",
               "claimed_by": "", "claimed_until": None, "failed_at": None, "reported_at": None,
               "give_up_at": D.iso(give_up_at or max(now, due) + timedelta(days=3))}
        try:
            self.put("outbox", doc_id, doc, op_type="create")
        except EsConflict:
            return False
        return True

    @staticmethod
    def _email_row(r: dict) -> dict:
        r = dict(r)
        for k in ("created_at", "send_after", "next_attempt_at", "sent_at", "claimed_until", "give_up_at", "failed_at",
                  "reported_at"):
            v = D.parse(r.get(k))
            r[k] = None if v is None else int(v.timestamp())
        return r

    def due_emails(self, now: datetime, limit: int = 50) -> list[dict]:
        rows = self.sources_of(self.ix("outbox"), Q.due_emails_filter(now), sort=[{"id": "asc"}], size=limit)
        return [self._email_row(r) for r in rows]

    def claim_emails(self, now: datetime, owner: str, lease: timedelta, limit: int = 1) -> list[dict]:
        """Each due e-mail is claimed with a compare-and-set on its ``_seq_no``: of two senders that
        read it due, only one write succeeds."""
        resp = self.search(self.ix("outbox"), query=Q.due_emails_filter(now), sort=[{"id": "asc"}],
                           size=limit * 3, seq_no_primary_term=True)
        out = []
        for h in resp["hits"]["hits"]:
            if len(out) >= limit:
                break
            doc = {**h["_source"], "claimed_by": owner, "claimed_until": D.iso(now + lease)}
            try:
                self.put("outbox", h["_id"], doc, if_seq_no=h["_seq_no"], if_primary_term=h["_primary_term"])
            except EsConflict:
                continue  # another sender got it first
            out.append(self._email_row(doc))
        return out

    def _change_email(self, email_id: int, change) -> bool:
        """Apply ``change(doc)`` (None: leave it) to an unsent, not given-up e-mail with compare-and-set
        (retried on a race). True when changed."""
        for _ in range(5):
            resp = self.search(self.ix("outbox"), query={"term": {"id": email_id}}, size=1, seq_no_primary_term=True)
            hits = resp["hits"]["hits"]
            if not hits or hits[0]["_source"].get("sent_at") or hits[0]["_source"].get("failed_at"):
                return False  # unknown, already sent or given up: marking is once only
            h = hits[0]
            new = change(dict(h["_source"]))
            if new is None:
                return False
            try:
                self.put("outbox", h["_id"], new, if_seq_no=h["_seq_no"], if_primary_term=h["_primary_term"])
                return True
            except EsConflict:
                continue
        raise ConflictError(f"邮件 #{email_id} 的状态被并发修改，稍后重试")

    def mark_email_sent(self, email_id: int, message_id: str, owner: str = "") -> None:
        def sent(d: dict) -> dict:
            return {**d, "sent_at": D.iso(_now()), "message_id": message_id, "attempts": d["attempts"] + 1,
                    "last_error": "", "claimed_by": "", "claimed_until": None}
        self._change_email(email_id, sent)

    def mark_email_failed(self, email_id: int, error: str, retry_at: datetime, *, permanent: bool = False,
                          owner: str = "") -> bool:
        gave_up = []

        def failed(d: dict) -> dict:
            limit = D.parse(d.get("give_up_at"))
            give_up = permanent or (limit is not None and retry_at > limit)
            gave_up[:] = [give_up]
            return {**d, "attempts": d["attempts"] + 1, "last_error": error[:1000], "next_attempt_at": D.iso(retry_at),
                    "failed_at": D.iso(_now()) if give_up else None, "claimed_by": "", "claimed_until": None}
        return self._change_email(email_id, failed) and bool(gave_up and gave_up[0])

    def failed_emails(self, *, unreported: bool = False, limit: int = 100) -> list[dict]:
        rows = self.sources_of(self.ix("outbox"), Q.failed_emails_filter(unreported), sort=[{"id": "desc"}],
                               size=limit)
        return [self._email_row(r) for r in rows]

    def mark_emails_reported(self, email_ids: Iterable[int]) -> None:
        now = D.iso(_now())
        for email_id in email_ids:
            for d in self.sources_of(self.ix("outbox"), {"term": {"id": email_id}}, size=1):
                self.put("outbox", hashlib.sha1(d["dedupe_key"].encode("utf-8")).hexdigest(), {**d, "reported_at": now})

    def last_email_at(self, issue_id: int) -> datetime | None:
        """When an alert e-mail about the issue was last queued (sent or not)."""
        resp = self.search(self.ix("outbox"), size=0, query={"term": {"issue_id": issue_id}},
                           aggs={"last": {"max": {"field": "created_at"}}})
        v = resp["aggregations"]["last"]["value"]
        return None if v is None else datetime.fromtimestamp(v / 1000, tz=timezone.utc).replace(microsecond=0)

    def outbox_counts(self) -> dict:
        """``{"sent", "pending", "failing"}`` — failing: pending e-mails with at least one failed attempt."""
        return Q.read_outbox_counts(self.search(self.ix("outbox"), **Q.outbox_counts_body()))

    # --- audit ----------------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str = "", detail: dict | None = None) -> None:
        self.put("audit", None, {"at": D.iso(_now()), "seq": self.next_seq(), "actor": actor, "action": action,
                                 "target": target, "detail": detail or {}})
