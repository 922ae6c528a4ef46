"""SQLite storage for casework: issues and their posts and history, the e-mail outbox and the
audit log. Mixed into :class:`.store.SqliteStore` (uses its ``tx``/``q``/``q1``/``conn``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from ...casework.model import HistoryEntry, Issue
from ...errors import ConflictError, NotFoundError
from ...schema import IssueKind, IssueStatus
from . import rows as R
from . import sql as S

#: Seconds after which an e-mail nobody gave a give-up time is given up (3 days).
DEFAULT_GIVE_UP = 3 * 86400


class CaseworkMixin:
    # --- issues ---------------------------------------------------------------------------
    def create_issue(self, issue: Issue, post_ids: Iterable[str] = (), actor: str = "system") -> int:
        now = datetime.now(timezone.utc)
        issue.created_at = issue.created_at or now
        issue.updated_at = issue.updated_at or issue.created_at
        issue.version = 1
        with self.tx():
            cur = self.conn.execute(S.INSERT_ISSUE, R.issue_values(issue))
            issue.id = cur.lastrowid
            self._history(issue.id, actor, "opened", issue.step, issue.summary[:500],
                          {"severity": issue.severity, "unit": issue.unit, "rule": issue.rule})
            self.attach_posts(issue.id, post_ids, issue.rule)
        return issue.id

    def get_issue(self, issue_id: int, units: set[str] | None = None) -> Issue | None:
        w = S.issue_where(units=units)
        if w is None:
            return None
        where, params = w
        r = self.q1(f"{S.ISSUE_WITH_COUNT} WHERE i.id = ? AND {where}", [issue_id, *params])
        return R.issue(r) if r else None

    def find_open_issue(self, event_id: str) -> Issue | None:
        if not event_id:
            return None
        r = self.q1("SELECT i.* FROM issues i WHERE event_id = ? AND status = ? ORDER BY id DESC LIMIT 1",
                    (event_id, IssueStatus.OPEN))
        return R.issue(r) if r else None

    def find_open_issue_by_key(self, group_key: str) -> Issue | None:
        """The open issue raised for a grouping key (posts without an event)."""
        if not group_key:
            return None
        r = self.q1("SELECT i.* FROM issues i WHERE group_key = ? AND status = ? ORDER BY id DESC LIMIT 1",
                    (group_key, IssueStatus.OPEN))
        return R.issue(r) if r else None

    def open_issues_sharing_posts(self, post_ids: Iterable[str]) -> dict[int, int]:
        """``{issue_id: posts shared}`` for open opinion issues holding any of ``post_ids``."""
        ids = list(dict.fromkeys(post_ids))
        out: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            among, params = S.in_("ip.post_id", ids[i:i + 500])
            for r in self.q(f"""SELECT ip.issue_id, COUNT(*) FROM issue_posts ip JOIN issues i ON i.id = ip.issue_id
                                WHERE i.status = ? AND i.kind = ? AND {among} GROUP BY ip.issue_id""",
                            [IssueStatus.OPEN, IssueKind.OPINION, *params]):
                out[r[0]] = out.get(r[0], 0) + r[1]
        return out

    def alert_candidates(self, after: int, limit: int = 5000) -> tuple[list, int]:
        """Analysed posts stored after cursor ``after`` (a post rowid), in storage order, stopping at
        the first post not analysed yet (so none is skipped); returns (posts, new cursor)."""
        rows = self.q(f"{S.WITH_STATUS} WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?", (after, limit))
        out, cursor = [], after
        for r in rows:
            if r["removed_status"] is None and r["analyzed_at"] is None:
                break
            if r["removed_status"] is None:  # a post deleted or hidden at its source raises nothing
                out.append(R.stored_post(r))
            cursor = r["rowid"]
        return out, cursor

    def last_email_at(self, issue_id: int) -> datetime | None:
        """When an alert e-mail about the issue was last queued (sent or not)."""
        r = self.q1("SELECT MAX(created_at) FROM outbox WHERE issue_id = ?", (issue_id,))
        return R.dt(r[0]) if r and r[0] is not None else None

    def outbox_counts(self) -> dict:
        """``{"sent", "pending", "failing", "failed"}`` — failing: pending e-mails with at least one failed
        attempt; failed: given up (refused for good, or deferred past their give-up time)."""
        r = self.q1("""SELECT SUM(sent_at IS NOT NULL), SUM(sent_at IS NULL AND failed_at IS NULL),
                              SUM(sent_at IS NULL AND failed_at IS NULL AND attempts > 0), SUM(failed_at IS NOT NULL)
                       FROM outbox""")
        return {"sent": r[0] or 0, "pending": r[1] or 0, "failing": r[2] or 0, "failed": r[3] or 0}

    def list_issues(self, *, units=None, status=None, severity=None, step=None, overdue=None, now=None,
                    limit: int = 200, offset: int = 0) -> list[Issue]:
        w = S.issue_where(units=units, status=status, severity=severity, step=step, overdue=overdue,
                          now=now or datetime.now(timezone.utc))
        if w is None:
            return []
        where, params = w
        rows = self.q(f"{S.ISSUE_WITH_COUNT} WHERE {where} ORDER BY {S.ISSUE_ORDER} LIMIT ? OFFSET ?",
                      [*params, limit, offset])
        return [R.issue(r) for r in rows]

    def involved_issues(self, units: set[str], *, status: str | None = None, limit: int = 200) -> list[Issue]:
        """Issues routed outside ``units`` that hold posts from them; ``post_count`` counts only those."""
        if not units:
            return []
        u, up = S.in_("p.unit", units)
        iu, iup = S.in_("i.unit", units)
        where, params = [u, f"NOT {iu}"], [*up, *iup]
        if status:
            where.append("i.status = ?")
            params.append(status)
        rows = self.q(
            f"""SELECT i.*, COUNT(*) AS post_count FROM issue_posts ip JOIN posts p ON p.id = ip.post_id
                JOIN issues i ON i.id = ip.issue_id WHERE {' AND '.join(where)}
                  AND p.{S.LIVE}
                GROUP BY i.id ORDER BY {S.ISSUE_ORDER} LIMIT ?""", [*params, limit])
        return [R.issue(r) for r in rows]

    def count_issues(self, *, units=None, status=None, overdue=None, now=None, since=None, until=None,
                     after_id=None) -> int:
        w = S.issue_where(units=units, status=status, overdue=overdue, now=now or datetime.now(timezone.utc),
                          since=since, until=until, after_id=after_id)
        if w is None:
            return 0
        where, params = w
        return self.q1(f"SELECT COUNT(*) FROM issues i WHERE {where}", params)[0]

    def max_issue_id(self, units: set[str] | None = None) -> int:
        w = S.issue_where(units=units)
        if w is None:
            return 0
        where, params = w
        return self.q1(f"SELECT MAX(i.id) FROM issues i WHERE {where}", params)[0] or 0

    def attach_posts(self, issue_id: int, post_ids: Iterable[str], rule: str = "") -> int:
        now = R.now_ts()
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
        return [R.stored_post(r) for r in rows]

    def update_issue(self, issue: Issue, *, actor: str, action: str, note: str = "", data: dict | None = None,
                     at: datetime | None = None, step: str | None = None) -> Issue:
        if issue.id is None:
            raise NotFoundError("无法更新从未创建过的议题")
        read_version = issue.version
        issue.updated_at = at or datetime.now(timezone.utc)
        issue.version = read_version + 1
        with self.tx():
            cur = self.conn.execute(S.UPDATE_ISSUE, [*R.issue_values(issue), issue.id, read_version])
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
            (issue_id, R.ts(at) if at else R.now_ts(), actor, action, step, note, R.dumps(data)))

    def issue_history(self, issue_id: int) -> list[HistoryEntry]:
        return [R.history_entry(r)
                for r in self.q("SELECT * FROM issue_history WHERE issue_id = ? ORDER BY id", (issue_id,))]

    def issue_histories(self, issue_ids: Iterable[int]) -> dict[int, list[HistoryEntry]]:
        ids = sorted(set(issue_ids))
        out: dict[int, list[HistoryEntry]] = {i: [] for i in ids}
        for k in range(0, len(ids), 500):
            among, params = S.in_("issue_id", ids[k:k + 500])
            for r in self.q(f"SELECT * FROM issue_history WHERE {among} ORDER BY issue_id, id", params):
                out[r["issue_id"]].append(R.history_entry(r))
        return out

    # --- outbox ---------------------------------------------------------------------------
    def enqueue_email(self, *, dedupe_key: str, kind: str, recipients: list[str], subject: str, body_text: str,
                      body_html: str = "", issue_id: int | None = None, attachments: list[dict] | None = None,
                      send_after: datetime | None = None, give_up_at: datetime | None = None) -> bool:
        now = R.now_ts()
        after = R.ts(send_after) if send_after else now
        give_up = R.ts(give_up_at) if give_up_at else max(now, after) + DEFAULT_GIVE_UP
        with self.tx():
            cur = self.conn.execute(
                """INSERT OR IGNORE INTO outbox(dedupe_key, kind, issue_id, recipients, subject, body_text, body_html,
                     attachments, created_at, send_after, next_attempt_at, give_up_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (dedupe_key, kind, issue_id, R.dumps(recipients), subject, body_text, body_html,
                 R.dumps(attachments or []), now, after, after, give_up))
            return cur.rowcount == 1

    def due_emails(self, now: datetime, limit: int = 50) -> list[dict]:
        t = R.ts(now)
        return [R.email(r) for r in self.q(S.DUE_EMAILS.format(columns="*"), (t, t, limit))]

    def claim_emails(self, now: datetime, owner: str, lease: timedelta, limit: int = 1) -> list[dict]:
        t = R.ts(now)
        with self.tx():  # BEGIN IMMEDIATE: no other sender can claim between our read and our write
            ids = [r[0] for r in self.conn.execute(S.DUE_EMAILS.format(columns="id"), (t, t, limit))]
            if not ids:
                return []
            among, params = S.in_("id", ids)
            self.conn.execute(f"UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE {among}",
                              (owner, t + int(lease.total_seconds()), *params))
            rows = self.conn.execute(f"SELECT * FROM outbox WHERE {among} ORDER BY id", params).fetchall()
        return [R.email(r) for r in rows]

    def mark_email_sent(self, email_id: int, message_id: str, owner: str = "") -> None:
        with self.tx():
            self.conn.execute("""UPDATE outbox SET sent_at = ?, message_id = ?, attempts = attempts + 1, last_error = '',
                                   claimed_by = '', claimed_until = NULL WHERE id = ? AND sent_at IS NULL""",
                              (R.now_ts(), message_id, email_id))

    def mark_email_failed(self, email_id: int, error: str, retry_at: datetime, *, permanent: bool = False,
                          owner: str = "") -> bool:
        with self.tx():
            r = self.conn.execute("SELECT give_up_at FROM outbox WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
                                  (email_id,)).fetchone()
            if r is None:
                return False
            give_up = permanent or (r[0] is not None and R.ts(retry_at) > r[0])
            self.conn.execute("""UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                                   failed_at = ?, claimed_by = '', claimed_until = NULL WHERE id = ?""",
                              (error[:1000], R.ts(retry_at), R.now_ts() if give_up else None, email_id))
            return give_up

    def failed_emails(self, *, unreported: bool = False, limit: int = 100) -> list[dict]:
        where = "failed_at IS NOT NULL" + (" AND reported_at IS NULL" if unreported else "")
        return [R.email(r) for r in self.q(f"SELECT * FROM outbox WHERE {where} ORDER BY id DESC LIMIT ?", (limit,))]

    def mark_emails_reported(self, email_ids: Iterable[int]) -> None:
        ids = list(email_ids)
        if not ids:
            return
        with self.tx():
            among, params = S.in_("id", ids)
            self.conn.execute(f"UPDATE outbox SET reported_at = ? WHERE {among}", (R.now_ts(), *params))

    # --- audit ----------------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str = "", detail: dict | None = None) -> None:
        with self.tx():
            self.conn.execute("INSERT INTO audit_log(at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                              (R.now_ts(), actor, action, target, R.dumps(detail or {})))
