"""SQLite storage for triage (posts and events marked 已处置 / 误报 / 忽略 / 关注, with their history)
and 专题 (saved searches). Mixed into :class:`.store.SqliteStore` (uses its ``tx``/``q``/``conn``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from ...errors import CONFLICT, ConflictError, NotFoundError
from ...schema import TRIAGE_KINDS, Subject, TriageMark
from ..base import check_triage_args
from . import rows as R
from . import sql as S


class TriageMixin:
    # --- triage ---------------------------------------------------------------------------
    def set_triage(self, kind: str, target: str, mark: str, actor: str, *, note: str = "",
                   at: datetime | None = None) -> TriageMark:
        check_triage_args(kind, mark)
        when = R.ts(at or datetime.now(timezone.utc))
        with self.tx():
            if kind == "post":
                row = self.conn.execute("SELECT rowid, unit FROM posts WHERE id = ?", (target,)).fetchone()
            else:
                row = self.conn.execute("SELECT NULL AS rowid, unit FROM events WHERE id = ?", (target,)).fetchone()
            if row is None:
                raise NotFoundError(f"没有{'帖子' if kind == 'post' else '事件'} {target}")
            unit = row["unit"] or ""
            self.conn.execute("INSERT INTO triage_log(kind, target, unit, mark, actor, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (kind, target, unit, mark, actor, note, when))
            if mark:
                self.conn.execute(
                    """INSERT INTO triage_state(kind, target, post_rowid, unit, mark, actor, note, at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, target) DO UPDATE SET
                       post_rowid=excluded.post_rowid, unit=excluded.unit, mark=excluded.mark, actor=excluded.actor,
                       note=excluded.note, at=excluded.at""",
                    (kind, target, row["rowid"], unit, mark, actor, note, when))
            else:
                self.conn.execute("DELETE FROM triage_state WHERE kind = ? AND target = ?", (kind, target))
        return TriageMark(kind, target, mark, actor, R.dt(when), note, unit)

    def triage_marks(self, kind: str, targets: Iterable[str]) -> dict[str, TriageMark]:
        check_triage_args(kind, "")
        ids = sorted(set(targets))
        out: dict[str, TriageMark] = {}
        for i in range(0, len(ids), 500):
            among, params = S.in_("target", ids[i:i + 500])
            for r in self.q(f"SELECT * FROM triage_state WHERE kind = ? AND {among}", [kind, *params]):
                out[r["target"]] = R.triage_mark(r)
        return out

    def triage_history(self, kind: str, target: str) -> list[TriageMark]:
        check_triage_args(kind, "")
        return [R.triage_mark(r) for r in self.q("SELECT * FROM triage_log WHERE kind = ? AND target = ? ORDER BY id",
                                         (kind, target))]

    def triage_counts(self, since: datetime, until: datetime, units: set[str] | None = None) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {k: {} for k in TRIAGE_KINDS}
        if units is not None and not units:
            return out
        where, params = "at >= ? AND at < ?", [R.ts(since), R.ts(until)]
        if units is not None:
            among, codes = S.in_("unit", units)
            where += " AND " + among
            params += codes
        rows = self.q(f"""SELECT kind, mark, COUNT(*) AS n FROM triage_log WHERE id IN (
                              SELECT MAX(id) FROM triage_log WHERE {where} GROUP BY kind, target)
                          AND mark != '' GROUP BY kind, mark""", params)
        for r in rows:
            out[r["kind"]][r["mark"]] = r["n"]
        return out

    # --- 专题 -------------------------------------------------------------------------------
    def save_subject(self, subject: Subject) -> Subject:
        now = R.now_ts()
        values = R.subject_values(subject)
        with self.tx():
            if subject.id is None:
                cur = self.conn.execute(
                    """INSERT INTO subjects(name, query, units, sources, unit, owner, rule, created_at, updated_at, version)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""", (*values, now, now))
                sid = cur.lastrowid
            else:
                cur = self.conn.execute(
                    """UPDATE subjects SET name=?, query=?, units=?, sources=?, unit=?, owner=?, rule=?, updated_at=?,
                       version = version + 1 WHERE id = ? AND version = ?""",
                    (*values, now, subject.id, subject.version))
                if cur.rowcount == 0:
                    exists = self.conn.execute("SELECT 1 FROM subjects WHERE id = ?", (subject.id,)).fetchone()
                    if exists:
                        raise ConflictError(f"专题 #{subject.id} {CONFLICT}")
                    raise NotFoundError(f"专题 #{subject.id} 不存在")
                sid = subject.id
            r = self.conn.execute("SELECT * FROM subjects WHERE id = ?", (sid,)).fetchone()
        return R.subject(r)

    def get_subject(self, subject_id: int) -> Subject | None:
        r = self.q1("SELECT * FROM subjects WHERE id = ?", (subject_id,))
        return R.subject(r) if r else None

    def list_subjects(self, units: set[str] | None = None) -> list[Subject]:
        if units is None:
            rows = self.q("SELECT * FROM subjects ORDER BY name, id")
        else:
            among, codes = S.in_("unit", units) if units else ("0", [])
            rows = self.q(f"SELECT * FROM subjects WHERE unit = '' OR {among} ORDER BY name, id", codes)
        return [R.subject(r) for r in rows]

    def delete_subject(self, subject_id: int) -> bool:
        with self.tx():
            return self.conn.execute("DELETE FROM subjects WHERE id = ?", (subject_id,)).rowcount > 0
