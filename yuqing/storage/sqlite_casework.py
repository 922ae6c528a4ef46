"""SQLite storage for casework: issues and their posts and history, the e-mail outbox and the
audit log. Mixed into :class:`yuqing.storage.sqlite.SqliteStore` (uses its ``tx``/``q``)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime, timedelta, timezone

from ..casework.model import HistoryEntry, Issue
from ..errors import ConflictError, NotFoundError

_ISSUE_COLUMNS = ("event_id", "group_key", "rule", "kind", "title", "summary", "severity", "topic", "unit", "method",
                  "method_reason", "step", "status", "assignee", "created_at", "updated_at", "due_at",
                  "closed_at", "version", "extra")
_TIME_FIELDS = {"created_at", "updated_at", "due_at", "closed_at"}


def _ts(d: datetime | None) -> int | None:
    return None if d is None else int(d.timestamp())


def _dt(v: int | None) -> datetime | None:
    return None if v is None else datetime.fromtimestamp(v, tz=timezone.utc)


def _now() -> int:
    return int(time.time())


#: Seconds after which an e-mail nobody gave a give-up time is given up (3 days).
DEFAULT_GIVE_UP = 3 * 86400


def _in(column: str, values) -> tuple[str, list]:
    values = sorted(values)
    return f"{column} IN ({','.join('?' * len(values))})", values


class CaseworkMixin:
    # --- issues ---------------------------------------------------------------------------
    @staticmethod
    def _issue(r) -> Issue:
        kw = {name: r[name] for name in _ISSUE_COLUMNS}
        for f in _TIME_FIELDS:
            kw[f] = _dt(kw[f])
        kw["extra"] = json.loads(kw["extra"] or "{}")
        keys = r.keys()
        return Issue(id=r["id"], post_count=r["post_count"] if "post_count" in keys else 0, **kw)

    def _issue_values(self, issue: Issue) -> list:
        out = []
        for name in _ISSUE_COLUMNS:
            v = getattr(issue, name)
            if name in _TIME_FIELDS:
                v = _ts(v)
            elif name == "extra":
                v = json.dumps(v, ensure_ascii=False)
            out.append(v)
        return out

    def create_issue(self, issue: Issue, post_ids: Iterable[str] = (), actor: str = "system") -> int:
        now = datetime.now(timezone.utc)
        issue.created_at = issue.created_at or now
        issue.updated_at = issue.updated_at or issue.created_at
        issue.version = 1
        with self.tx():
            cur = self.conn.execute(
                f"INSERT INTO issues({', '.join(_ISSUE_COLUMNS)}) VALUES ({', '.join('?' * len(_ISSUE_COLUMNS))})",
                self._issue_values(issue),
            )
            issue.id = cur.lastrowid
            self._history(issue.id, actor, "opened", issue.step, issue.summary[:500],
                          {"severity": issue.severity, "unit": issue.unit, "rule": issue.rule})
            self.attach_posts(issue.id, post_ids, issue.rule)
        return issue.id

    def _scoped(self, units: set[str] | None, clauses: list[str], params: list) -> bool:
        if units is None:
            return True
        if not units:
            return False
        c, p = _in("i.unit", units)
        clauses.append(c)
        params.extend(p)
        return True

    def get_issue(self, issue_id: int, units: set[str] | None = None) -> Issue | None:
        clauses, params = ["i.id = ?"], [issue_id]
        if not self._scoped(units, clauses, params):
            return None
        r = self.q1(
            f"""SELECT i.*, (SELECT COUNT(*) FROM issue_posts ip WHERE ip.issue_id = i.id) AS post_count
                FROM issues i WHERE {' AND '.join(clauses)}""", params)
        return self._issue(r) if r else None

    def find_open_issue(self, event_id: str) -> Issue | None:
        if not event_id:
            return None
        r = self.q1("SELECT i.* FROM issues i WHERE event_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
                    (event_id,))
        return self._issue(r) if r else None

    def find_open_issue_by_key(self, group_key: str) -> Issue | None:
        """The open issue raised for a grouping key (posts without an event)."""
        if not group_key:
            return None
        r = self.q1("SELECT i.* FROM issues i WHERE group_key = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
                    (group_key,))
        return self._issue(r) if r else None

    def open_issues_sharing_posts(self, post_ids: Iterable[str]) -> dict[int, int]:
        """``{issue_id: posts shared}`` for open opinion issues holding any of ``post_ids``."""
        ids = list(dict.fromkeys(post_ids))
        out: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in self.q(f"""SELECT ip.issue_id, COUNT(*) FROM issue_posts ip JOIN issues i ON i.id = ip.issue_id
                                WHERE i.status = 'open' AND i.kind = 'opinion'
                                  AND ip.post_id IN ({','.join('?' * len(chunk))}) GROUP BY ip.issue_id""", chunk):
                out[r[0]] = out.get(r[0], 0) + r[1]
        return out

    def alert_candidates(self, after: int, limit: int = 5000) -> tuple[list, int]:
        """Analysed posts stored after cursor ``after`` (a post rowid), in storage order, stopping at
        the first post not analysed yet (so none is skipped); returns (posts, new cursor)."""
        rows = self.q("""SELECT p.*, r.status AS removed_status, r.reason AS removed_reason FROM posts p
                         LEFT JOIN post_removals r ON r.post_rowid = p.rowid
                         WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?""", (after, limit))
        out, cursor = [], after
        for r in rows:
            if r["removed_status"] is None and r["analyzed_at"] is None:
                break
            if r["removed_status"] is None:  # a post deleted or hidden at its source raises nothing
                out.append(self._row_to_stored(r))
            cursor = r["rowid"]
        return out, cursor

    def last_email_at(self, issue_id: int) -> datetime | None:
        """When an alert e-mail about the issue was last queued (sent or not)."""
        r = self.q1("SELECT MAX(created_at) FROM outbox WHERE issue_id = ?", (issue_id,))
        return _dt(r[0]) if r and r[0] is not None else None

    def outbox_counts(self) -> dict:
        """``{"sent", "pending", "failing", "failed"}`` — failing: pending e-mails with at least one failed
        attempt; failed: given up (refused for good, or deferred past their give-up time)."""
        r = self.q1("""SELECT SUM(sent_at IS NOT NULL), SUM(sent_at IS NULL AND failed_at IS NULL),
                              SUM(sent_at IS NULL AND failed_at IS NULL AND attempts > 0), SUM(failed_at IS NOT NULL)
                       FROM outbox""")
        return {"sent": r[0] or 0, "pending": r[1] or 0, "failing": r[2] or 0, "failed": r[3] or 0}

    def _issue_where(self, *, units, status=None, severity=None, step=None, overdue=None, now=None,
                     since=None, until=None) -> tuple[str, list] | None:
        clauses: list[str] = []
        params: list = []
        if not self._scoped(units, clauses, params):
            return None
        if status:
            clauses.append("i.status = ?")
            params.append(status)
        if severity:
            clauses.append("i.severity = ?")
            params.append(severity)
        if step:
            clauses.append("i.step = ?")
            params.append(step)
        if overdue is not None:
            t = _ts(now or datetime.now(timezone.utc))
            if overdue:
                clauses.append("i.status = 'open' AND i.due_at IS NOT NULL AND i.due_at < ?")
            else:
                clauses.append("NOT (i.status = 'open' AND i.due_at IS NOT NULL AND i.due_at < ?)")
            params.append(t)
        if since is not None:
            clauses.append("i.created_at >= ?")
            params.append(_ts(since))
        if until is not None:
            clauses.append("i.created_at < ?")
            params.append(_ts(until))
        return " AND ".join(clauses) or "1", params

    def list_issues(self, *, units=None, status=None, severity=None, step=None, overdue=None, now=None,
                    limit: int = 200, offset: int = 0) -> list[Issue]:
        w = self._issue_where(units=units, status=status, severity=severity, step=step, overdue=overdue, now=now)
        if w is None:
            return []
        where, params = w
        rows = self.q(
            f"""SELECT i.*, (SELECT COUNT(*) FROM issue_posts ip WHERE ip.issue_id = i.id) AS post_count
                FROM issues i WHERE {where}
                ORDER BY i.status = 'closed', CASE i.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,
                         i.updated_at DESC LIMIT ? OFFSET ?""",
            [*params, limit, offset],
        )
        return [self._issue(r) for r in rows]

    def involved_issues(self, units: set[str], *, status: str | None = None, limit: int = 200) -> list[Issue]:
        """Issues routed outside ``units`` that hold posts from them; ``post_count`` counts only those."""
        if not units:
            return []
        u, up = _in("p.unit", units)
        iu, iup = _in("i.unit", units)
        where, params = [u, f"NOT {iu}"], [*up, *iup]
        if status:
            where.append("i.status = ?")
            params.append(status)
        rows = self.q(
            f"""SELECT i.*, COUNT(*) AS post_count FROM issue_posts ip JOIN posts p ON p.id = ip.post_id
                JOIN issues i ON i.id = ip.issue_id WHERE {' AND '.join(where)}
                  AND p.rowid NOT IN (SELECT post_rowid FROM post_removals)
                GROUP BY i.id
                ORDER BY i.status = 'closed', CASE i.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,
                         i.updated_at DESC LIMIT ?""", [*params, limit])
        return [self._issue(r) for r in rows]

    def count_issues(self, *, units=None, status=None, overdue=None, now=None, since=None, until=None) -> int:
        w = self._issue_where(units=units, status=status, overdue=overdue, now=now, since=since, until=until)
        if w is None:
            return 0
        where, params = w
        return self.q1(f"SELECT COUNT(*) FROM issues i WHERE {where}", params)[0]

    def attach_posts(self, issue_id: int, post_ids: Iterable[str], rule: str = "") -> int:
        now = _now()
        n = 0
        with self.tx():
            for pid in post_ids:
                n += self.conn.execute(
                    "INSERT OR IGNORE INTO issue_posts(issue_id, post_id, rule, added_at) VALUES (?, ?, ?, ?)",
                    (issue_id, pid, rule, now)).rowcount
        return n

    def issue_posts(self, issue_id: int, limit: int = 200):
        rows = self.q(
            """SELECT p.*, r.status AS removed_status, r.reason AS removed_reason
               FROM issue_posts ip JOIN posts p ON p.id = ip.post_id
               LEFT JOIN post_removals r ON r.post_rowid = p.rowid
               WHERE ip.issue_id = ? ORDER BY p.created_at DESC LIMIT ?""", (issue_id, limit))
        return [self._row_to_stored(r) for r in rows]

    def update_issue(self, issue: Issue, *, actor: str, action: str, note: str = "", data: dict | None = None,
                     at: datetime | None = None, step: str | None = None) -> Issue:
        if issue.id is None:
            raise NotFoundError("cannot update an issue that was never created")
        read_version = issue.version
        issue.updated_at = at or datetime.now(timezone.utc)
        issue.version = read_version + 1
        assignments = ", ".join(f"{c} = ?" for c in _ISSUE_COLUMNS)
        with self.tx():
            cur = self.conn.execute(f"UPDATE issues SET {assignments} WHERE id = ? AND version = ?",
                                    [*self._issue_values(issue), issue.id, read_version])
            if cur.rowcount != 1:
                issue.version = read_version
                if self.q1("SELECT 1 FROM issues WHERE id = ?", (issue.id,)) is None:
                    raise NotFoundError(f"议题 #{issue.id} 不存在")
                raise ConflictError.stale_issue(issue.id)
            self._history(issue.id, actor, action, step or issue.step, note, data or {}, at)
        return issue

    def _history(self, issue_id: int, actor: str, action: str, step: str, note: str, data: dict,
                 at: datetime | None = None) -> None:
        self.conn.execute(
            "INSERT INTO issue_history(issue_id, at, actor, action, step, note, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (issue_id, _ts(at) if at else _now(), actor, action, step, note, json.dumps(data, ensure_ascii=False)))

    @staticmethod
    def _history_entry(r) -> HistoryEntry:
        return HistoryEntry(issue_id=r["issue_id"], at=_dt(r["at"]), actor=r["actor"], action=r["action"],
                            step=r["step"], note=r["note"], data=json.loads(r["data"]))

    def issue_history(self, issue_id: int) -> list[HistoryEntry]:
        return [self._history_entry(r)
                for r in self.q("SELECT * FROM issue_history WHERE issue_id = ? ORDER BY id", (issue_id,))]

    def issue_histories(self, issue_ids: Iterable[int]) -> dict[int, list[HistoryEntry]]:
        ids = sorted(set(issue_ids))
        out: dict[int, list[HistoryEntry]] = {i: [] for i in ids}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            for r in self.q(f"SELECT * FROM issue_history WHERE issue_id IN ({','.join('?' * len(chunk))}) "
                            "ORDER BY issue_id, id", chunk):
                out[r["issue_id"]].append(self._history_entry(r))
        return out

    # --- outbox ---------------------------------------------------------------------------
    def enqueue_email(self, *, dedupe_key: str, kind: str, recipients: list[str], subject: str, body_text: str,
                      body_html: str = "", issue_id: int | None = None, attachments: list[dict] | None = None,
                      send_after: datetime | None = None, give_up_at: datetime | None = None) -> bool:
        now = _now()
        after = _ts(send_after) if send_after else now
        give_up = _ts(give_up_at) if give_up_at else max(now, after) + DEFAULT_GIVE_UP
        with self.tx():
            cur = self.conn.execute(
                """INSERT OR IGNORE INTO outbox(dedupe_key, kind, issue_id, recipients, subject, body_text, body_html,
                     attachments, created_at, send_after, next_attempt_at, give_up_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (dedupe_key, kind, issue_id, json.dumps(recipients, ensure_ascii=False), subject, body_text, body_html,
                 json.dumps(attachments or [], ensure_ascii=False), now, after, after, give_up))
            return cur.rowcount == 1

    @staticmethod
    def _email_row(r) -> dict:
        d = dict(r)
        d["recipients"] = json.loads(d["recipients"])
        d["attachments"] = json.loads(d["attachments"])
        return d

    def due_emails(self, now: datetime, limit: int = 50) -> list[dict]:
        t = _ts(now)
        rows = self.q("""SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                           AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?""", (t, t, limit))
        return [self._email_row(r) for r in rows]

    def claim_emails(self, now: datetime, owner: str, lease: timedelta, limit: int = 1) -> list[dict]:
        t = _ts(now)
        with self.tx():  # BEGIN IMMEDIATE: no other sender can claim between our read and our write
            ids = [r[0] for r in self.conn.execute(
                """SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                     AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?""", (t, t, limit))]
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            self.conn.execute(f"UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN ({marks})",
                              (owner, t + int(lease.total_seconds()), *ids))
            rows = self.conn.execute(f"SELECT * FROM outbox WHERE id IN ({marks}) ORDER BY id", ids).fetchall()
        return [self._email_row(r) for r in rows]

    def mark_email_sent(self, email_id: int, message_id: str, owner: str = "") -> None:
        with self.tx():
            self.conn.execute("""UPDATE outbox SET sent_at = ?, message_id = ?, attempts = attempts + 1, last_error = '',
                                   claimed_by = '', claimed_until = NULL WHERE id = ? AND sent_at IS NULL""",
                              (_now(), message_id, email_id))

    def mark_email_failed(self, email_id: int, error: str, retry_at: datetime, *, permanent: bool = False,
                          owner: str = "") -> bool:
        with self.tx():
            r = self.conn.execute("SELECT give_up_at FROM outbox WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
                                  (email_id,)).fetchone()
            if r is None:
                return False
            give_up = permanent or (r[0] is not None and _ts(retry_at) > r[0])
            self.conn.execute("""UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                                   failed_at = ?, claimed_by = '', claimed_until = NULL WHERE id = ?""",
                              (error[:1000], _ts(retry_at), _now() if give_up else None, email_id))
            return give_up

    def failed_emails(self, *, unreported: bool = False, limit: int = 100) -> list[dict]:
        where = "failed_at IS NOT NULL" + (" AND reported_at IS NULL" if unreported else "")
        return [self._email_row(r) for r in self.q(f"SELECT * FROM outbox WHERE {where} ORDER BY id DESC LIMIT ?",
                                                   (limit,))]

    def mark_emails_reported(self, email_ids: Iterable[int]) -> None:
        ids = list(email_ids)
        if not ids:
            return
        with self.tx():
            self.conn.execute(f"UPDATE outbox SET reported_at = ? WHERE id IN ({','.join('?' * len(ids))})",
                              (_now(), *ids))

    # --- audit ----------------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str = "", detail: dict | None = None) -> None:
        with self.tx():
            self.conn.execute("INSERT INTO audit_log(at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                              (_now(), actor, action, target, json.dumps(detail or {}, ensure_ascii=False)))


assert {f.name for f in fields(Issue)} >= set(_ISSUE_COLUMNS)
