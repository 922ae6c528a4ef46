"""SQLite storage for triage (posts and events marked 已处置 / 误报 / 忽略 / 关注, with their history)
and 专题 (saved searches). Mixed into :class:`yuqing.storage.sqlite.SqliteStore` (uses its ``tx``/``q``)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import datetime, timezone

from ..errors import StorageError
from ..schema import TRIAGE_HIDDEN, TRIAGE_KINDS, TRIAGE_MARKS, TRIAGE_MODES, Subject, TriageMark
from .base import CONFLICT


def _ts(d: datetime | None) -> int:
    return int((d or datetime.now(timezone.utc)).timestamp())


def _dt(v: int | None) -> datetime | None:
    return None if v is None else datetime.fromtimestamp(v, tz=timezone.utc)


def triage_clause(mode: str, alias: str = "p") -> str | None:
    """The WHERE clause a ``PostQuery.triage`` mode adds over posts (``alias``); None for ``all``."""
    if mode not in TRIAGE_MODES:
        raise StorageError(f"unknown triage mode {mode!r} (allowed: {', '.join(TRIAGE_MODES)})")
    if mode == "hide":
        marks = ",".join(f"'{m}'" for m in TRIAGE_HIDDEN)
        return (f"{alias}.rowid NOT IN (SELECT post_rowid FROM triage_state WHERE kind = 'post' "
                f"AND post_rowid IS NOT NULL AND mark IN ({marks}))")
    if mode == "only-open":
        return (f"{alias}.rowid NOT IN (SELECT post_rowid FROM triage_state WHERE kind = 'post' "
                "AND post_rowid IS NOT NULL)")
    return None


def _mark(r) -> TriageMark:
    return TriageMark(kind=r["kind"], target=r["target"], mark=r["mark"], actor=r["actor"], at=_dt(r["at"]),
                      note=r["note"], unit=r["unit"])


def check_triage(kind: str, mark: str) -> None:
    if kind not in TRIAGE_KINDS:
        raise StorageError(f"unknown triage kind {kind!r}")
    if mark and mark not in TRIAGE_MARKS:
        raise StorageError(f"unknown triage mark {mark!r} (allowed: {', '.join(TRIAGE_MARKS)} or '')")


class TriageMixin:
    # --- triage ---------------------------------------------------------------------------
    def set_triage(self, kind: str, target: str, mark: str, actor: str, *, note: str = "",
                   at: datetime | None = None) -> TriageMark:
        check_triage(kind, mark)
        when = _ts(at)
        with self.tx():
            if kind == "post":
                row = self.conn.execute("SELECT rowid, unit FROM posts WHERE id = ?", (target,)).fetchone()
            else:
                row = self.conn.execute("SELECT NULL AS rowid, unit FROM events WHERE id = ?", (target,)).fetchone()
            if row is None:
                raise StorageError(f"没有{'帖子' if kind == 'post' else '事件'} {target}")
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
        return TriageMark(kind, target, mark, actor, _dt(when), note, unit)

    def triage_marks(self, kind: str, targets: Iterable[str]) -> dict[str, TriageMark]:
        check_triage(kind, "")
        ids = sorted(set(targets))
        out: dict[str, TriageMark] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for r in self.q(f"SELECT * FROM triage_state WHERE kind = ? AND target IN ({','.join('?' * len(part))})",
                            [kind, *part]):
                out[r["target"]] = _mark(r)
        return out

    def triage_history(self, kind: str, target: str) -> list[TriageMark]:
        check_triage(kind, "")
        return [_mark(r) for r in self.q("SELECT * FROM triage_log WHERE kind = ? AND target = ? ORDER BY id",
                                         (kind, target))]

    def triage_counts(self, since: datetime, until: datetime, units: set[str] | None = None) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {k: {} for k in TRIAGE_KINDS}
        if units is not None and not units:
            return out
        where, params = "at >= ? AND at < ?", [_ts(since), _ts(until)]
        if units is not None:
            where += f" AND unit IN ({','.join('?' * len(units))})"
            params += sorted(units)
        rows = self.q(f"""SELECT kind, mark, COUNT(*) AS n FROM triage_log WHERE id IN (
                              SELECT MAX(id) FROM triage_log WHERE {where} GROUP BY kind, target)
                          AND mark != '' GROUP BY kind, mark""", params)
        for r in rows:
            out[r["kind"]][r["mark"]] = r["n"]
        return out

    # --- 专题 -------------------------------------------------------------------------------
    @staticmethod
    def _subject(r) -> Subject:
        return Subject(name=r["name"], query=r["query"], units=json.loads(r["units"]), sources=json.loads(r["sources"]),
                       unit=r["unit"], owner=r["owner"], rule=r["rule"], created_at=_dt(r["created_at"]),
                       updated_at=_dt(r["updated_at"]), version=r["version"], id=r["id"])

    def save_subject(self, subject: Subject) -> Subject:
        now = int(time.time())
        values = (subject.name, subject.query, json.dumps(list(subject.units), ensure_ascii=False),
                  json.dumps(list(subject.sources), ensure_ascii=False), subject.unit, subject.owner, subject.rule)
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
                    raise StorageError(f"专题 #{subject.id} " + (CONFLICT if exists else "不存在"))
                sid = subject.id
            r = self.conn.execute("SELECT * FROM subjects WHERE id = ?", (sid,)).fetchone()
        return self._subject(r)

    def get_subject(self, subject_id: int) -> Subject | None:
        r = self.q1("SELECT * FROM subjects WHERE id = ?", (subject_id,))
        return self._subject(r) if r else None

    def list_subjects(self, units: set[str] | None = None) -> list[Subject]:
        if units is None:
            rows = self.q("SELECT * FROM subjects ORDER BY name, id")
        else:
            codes = sorted(units)
            rows = self.q(f"SELECT * FROM subjects WHERE unit = '' OR unit IN ({','.join('?' * len(codes)) or 'NULL'}) "
                          "ORDER BY name, id", codes)
        return [self._subject(r) for r in rows]

    def delete_subject(self, subject_id: int) -> bool:
        with self.tx():
            return self.conn.execute("DELETE FROM subjects WHERE id = ?", (subject_id,)).rowcount > 0
