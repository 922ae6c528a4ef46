"""The embedded SQLite store (the default): one WAL-mode file, versioned migrations, FTS5.

Posts, sources, events, import bookkeeping and state live here; issues, the outbox and the audit log in
:mod:`.casework`; users and sessions in :mod:`.users`; the dashboard's and digests' aggregations in
:mod:`.aggregates` and :mod:`.digest`. The SQL they run is built by :mod:`.sql` and rows are read and
written by :mod:`.rows` (both pure). All SQL of yuqing is in this package.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from ...errors import NotFoundError, StorageError
from ...query_syntax import index_grams, parse_query
from ...schema import (
    POST_STATUSES,
    Analysis,
    Event,
    ImportedFile,
    IssueStatus,
    Post,
    PostStatus,
    QuarantineRecord,
    Sentiment,
    Source,
    SourceStatus,
    StoredPost,
    Unit,
)
from ..base import AddResult, FullStore, PostQuery, PostRevision, SearchPage, StoredMessage, ThreadPost
from . import rows as R
from . import sql as S
from .aggregates import AggregatesMixin
from .casework import CaseworkMixin
from .digest import DigestMixin
from .triage import TriageMixin
from .users import UsersMixin


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("yuqing.storage").joinpath("migrations")
    return sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".sql"))


class SqliteStore(CaseworkMixin, AggregatesMixin, UsersMixin, DigestMixin, TriageMixin, FullStore):
    """SQLite implementation of :class:`~yuqing.storage.base.FullStore`.

    One connection per store object; safe to share between threads (a lock serialises use),
    and several processes may open the same file (WAL).
    """

    def __init__(self, path: str | Path, *, tokenizer=None, search_tokenizer=None):
        self.path = Path(path)
        if str(path) != ":memory:":
            from ...files import create_private

            try:  # workers' personal data: the file (and SQLite's -wal/-shm, which copy its mode) 0600
                create_private(self.path)
            except OSError as exc:
                raise StorageError(f"无法创建数据库 {path}：{exc.strerror or exc}") from None
        try:
            self.conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"无法打开数据库 {path}：{exc}") from None
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        self._tokenizer = tokenizer
        self._search_tokenizer = search_tokenizer
        try:
            self.conn.execute("PRAGMA busy_timeout=30000")
            self._start()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StorageError(f"{path} 不是可用的 yuqing 数据库：{exc}") from None

    def _start(self, patience: float = 60.0) -> None:
        """WAL mode and migrations. Switching a fresh file to WAL needs it to itself, and SQLite
        answers "locked" at once (no busy wait) while another process is doing the same: then wait
        a little and try again, so any number of processes may open a fresh store together."""
        deadline = time.monotonic() + patience
        pause = 0.02
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self.migrate()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    # --- plumbing -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def tx(self):
        """``with store.tx():`` — one IMMEDIATE transaction, serialised across threads."""
        return _Tx(self)

    # --- one worker: every lease is ours, the whole analysis too -------------------------------
    def acquire_lease(self, name: str, worker: str, ttl: timedelta) -> bool:
        return True

    def claim_analysis_buckets(self, worker: str, ttl: timedelta = timedelta(minutes=5)) -> set[int] | None:
        return None

    def transaction(self):
        """Store calls inside ``with store.transaction():`` commit together or not at all."""
        return _Tx(self)

    def q(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, tuple(params)).fetchall()

    def q1(self, sql: str, params: Iterable = ()):
        with self.lock:
            return self.conn.execute(sql, tuple(params)).fetchone()

    def migrate(self) -> list[str]:
        """Apply pending migrations in name order, each recorded in ``schema_migrations``, all under
        one write lock (``BEGIN IMMEDIATE``): when several processes open a fresh store at once, one
        applies them and the others wait, then find them done. Nothing pending: no lock taken."""
        if not self._pending_migrations():
            return []
        applied = []
        with self.tx():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)"
            )
            done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
            for name, sql in _migrations():
                if name in done:
                    continue
                # executescript would COMMIT; run statement by statement inside our transaction
                for stmt in S.split_statements(sql):
                    self.conn.execute(stmt)
                if name in _AFTER:  # a step SQL cannot do (grams are computed in Python)
                    getattr(self, _AFTER[name])()
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, R.now_ts()))
                applied.append(name)
        return applied

    def index_all_grams(self, batch: int = 5000) -> None:
        """Index every stored post's character grams (after migration 0012, and by ``yuqing doctor --repair``
        after clearing the index); inside the caller's transaction."""
        last = 0
        while True:
            rows = self.conn.execute("SELECT rowid, title, text FROM posts WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                     (last, batch)).fetchall()
            if not rows:
                return
            self.conn.executemany("INSERT INTO posts_grams(rowid, grams) VALUES (?, ?)",
                                  [(r[0], index_grams(r[1], r[2])) for r in rows])
            last = rows[-1][0]

    def _pending_migrations(self) -> list[str]:
        try:
            done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        except sqlite3.OperationalError:  # a fresh file
            done = set()
        return [name for name, _ in _migrations() if name not in done]

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from ...nlp.tokenize import tokenize_query

            self._tokenizer = tokenize_query
        return self._tokenizer

    @property
    def query_cutter(self):
        """``term -> words``: how a query term is cut (the search-mode cut the posts' words come from)."""
        search = self.search_tokenizer
        return lambda term: search("", term)

    @property
    def search_tokenizer(self):
        """``(title, text) -> tokens``: what a post is found by, from the moment it is stored."""
        if self._search_tokenizer is None:
            from ...nlp.tokenize import search_tokens

            self._search_tokenizer = search_tokens
        return self._search_tokenizer

    # --- organisation and sources ---------------------------------------------------------
    def sync_config(self, units: Iterable[Unit], sources: Iterable[Source]) -> None:
        units = list(units)
        sources = list(sources)
        with self.tx():
            if units:
                self.conn.execute("DELETE FROM units")
                self.conn.executemany("INSERT INTO units(code, name, parent, level) VALUES (?, ?, ?, ?)",
                                      [(u.code, u.name, u.parent, u.level) for u in units])
            for s in sources:
                self._upsert_source(s, configured=True)

    def list_units(self) -> list[Unit]:
        return [R.unit(r) for r in self.q("SELECT * FROM units ORDER BY level, code")]

    def upsert_source(self, source: Source) -> None:
        with self.tx():
            self._upsert_source(source, configured=False)

    def _upsert_source(self, s: Source, *, configured: bool) -> None:
        old = self.conn.execute("SELECT unit FROM sources WHERE id = ?", (s.id,)).fetchone()
        self.conn.execute(S.UPSERT_SOURCE, R.source_values(s, configured, R.now_ts()))
        if old is not None and old["unit"] != s.unit:
            self.conn.execute("UPDATE posts SET unit = ? WHERE source_id = ?", (s.unit, s.id))

    def get_source(self, source_id: str) -> Source | None:
        r = self.q1("SELECT * FROM sources WHERE id = ?", (source_id,))
        return R.source(r) if r else None

    def list_sources(self) -> list[Source]:
        return [R.source(r) for r in self.q("SELECT * FROM sources ORDER BY unit, id")]

    def assign_source(self, source_id: str, unit: str) -> int:
        with self.tx():
            cur = self.conn.execute("UPDATE sources SET unit = ?, status = ? WHERE id = ?",
                                    (unit, SourceStatus.ACTIVE, source_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"没有数据源 {source_id!r}")
            return self.conn.execute("UPDATE posts SET unit = ? WHERE source_id = ?", (unit, source_id)).rowcount

    # --- posts ----------------------------------------------------------------------------
    def add_posts(self, posts: Iterable[Post]) -> AddResult:
        """One transaction per call: the rows go in with one ``executemany`` (a post whose id is
        stored is ignored), then the new rows — those past the table's last rowid before, the write
        lock being held — are read back and their character grams indexed for search."""
        posts = list(posts)
        result = AddResult()
        if not posts:
            return result
        now = R.now_ts()
        with self.tx():
            units = {r[0]: r[1] for r in self.conn.execute("SELECT id, unit FROM sources")}
            last = self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM posts").fetchone()[0]
            self.conn.executemany(S.INSERT_POST, [R.post_values(p, units.get(p.source_id, ""), now) for p in posts])
            new = self.conn.execute("SELECT rowid, id FROM posts WHERE rowid > ? ORDER BY rowid", (last,)).fetchall()
            result.inserted_ids = [r[1] for r in new]
            # searchable at once: the new rows' grams go into the full-text index with them
            first = {}
            for p in posts:  # a batch repeating an id stored its first post
                first.setdefault(p.id, p)
            self.conn.executemany("INSERT INTO posts_grams(rowid, grams) VALUES (?, ?)",
                                  [(r[0], index_grams(first[r[1]].title, first[r[1]].text)) for r in new])
            # the dashboard's hourly rollup (migration 0016): a new post only adds to the totals
            hours: Counter = Counter()
            for _, pid in new:
                p = first[pid]
                hour = R.ts(p.created_at) // 3600
                hours["unit", hour, units.get(p.source_id, "")] += 1
                hours["kind", hour, str(p.source_kind)] += 1
                hours["topic", hour, ""] += 1
            self.conn.executemany(
                """INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
                   VALUES (?, ?, ?, ?, 0, 0, 0, 0) ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total""",
                [(*key, n) for key, n in hours.items()])
        result.inserted = len(result.inserted_ids)
        result.duplicates = len(posts) - result.inserted
        return result

    def find_messages(self, keys, *, slack: timedelta = timedelta(0), source_id: str | None = None) -> list[StoredMessage]:
        pad = int(slack.total_seconds())
        sql = """SELECT source_id, created_at, content_hash, author_id, id FROM posts
                 WHERE content_hash = ? AND created_at BETWEEN ? AND ? AND source_kind = 'wechat_group'"""
        if source_id is not None:
            sql += " AND source_id = ?"
        seen: set[str] = set()
        out = []
        for at, h in dict.fromkeys((R.ts(at), h) for at, h in keys):  # posts_hash: (content_hash, created_at)
            params = (h, at - pad, at + pad) + ((source_id,) if source_id is not None else ())
            for r in self.q(sql, params):
                if r[4] not in seen:
                    seen.add(r[4])
                    out.append(StoredMessage(r[0], R.dt(r[1]), r[2], r[3], r[4]))
        return out

    def get_post(self, post_id: str) -> StoredPost | None:
        r = self.q1(f"{S.WITH_STATUS} WHERE p.id = ?", (post_id,))
        return R.stored_post(r) if r else None

    # --- posts that change at their source ------------------------------------------------
    def thread_posts(self, source_id: str, thread_id: str) -> list[ThreadPost]:
        rows = self.q("""SELECT p.id, p.native_id, p.content_hash, r.status FROM posts p
                          LEFT JOIN post_removals r ON r.post_rowid = p.rowid
                          WHERE p.source_id = ? AND p.thread_id = ? ORDER BY p.created_at, p.rowid""",
                      (source_id, thread_id))
        return [ThreadPost(r[0], r[1], r[2], r[3] or PostStatus.LIVE) for r in rows]

    def _event_delta(self, event_id: str | None, negative: bool, sign: int) -> None:
        """An analysed post leaves (-1) or rejoins (+1) its event's counts."""
        if event_id:
            self.conn.execute("UPDATE events SET size = MAX(0, size + ?), negative = MAX(0, negative + ?) WHERE id = ?",
                              (sign, sign if negative else 0, event_id))

    def edit_post(self, post: Post, at: datetime) -> bool:
        with self.tx():
            row = self.conn.execute("SELECT * FROM posts WHERE id = ?", (post.id,)).fetchone()
            if row is None or row["content_hash"] == post.content_hash:
                return False
            self.conn.execute("""INSERT INTO post_revisions(post_id, text, title, content_hash, replaced_at)
                                 VALUES (?, ?, ?, ?, ?)""", (post.id, row["text"], row["title"], row["content_hash"], R.ts(at)))
            # the grams follow the text (the old ones are computed again: the grams table keeps no copy)
            self.conn.execute("INSERT INTO posts_grams(posts_grams, rowid, grams) VALUES ('delete', ?, ?)",
                              (row["rowid"], index_grams(row["title"], row["text"])))
            self.conn.execute("INSERT INTO posts_grams(rowid, grams) VALUES (?, ?)",
                              (row["rowid"], index_grams(post.title, post.text)))
            # the analysis is stale: forget it (and the post's place in its event, which analysis gives again)
            self._event_delta(row["event_id"], row["sentiment"] == Sentiment.NEGATIVE, -1)
            self.conn.execute(
                f"UPDATE posts SET text=?, title=?, content_hash=?, pii=?, extra=?, {S.NO_ANALYSIS} WHERE rowid=?",
                (post.text, post.title, post.content_hash, R.dumps(post.pii) if post.pii else "[]",
                 R.dumps(post.extra) if post.extra else "{}", row["rowid"]))
        return True

    def set_post_status(self, post_ids: Iterable[str], status: str, reason: str = "",
                        at: datetime | None = None) -> int:
        if status not in POST_STATUSES:
            raise StorageError(f"未知的帖子状态 {status!r}")
        n = 0
        when = R.ts(at) if at is not None else R.now_ts()
        with self.tx():
            for pid in dict.fromkeys(post_ids):
                row = self.conn.execute("""SELECT p.rowid, p.event_id, p.sentiment, r.status FROM posts p
                                           LEFT JOIN post_removals r ON r.post_rowid = p.rowid WHERE p.id = ?""",
                                        (pid,)).fetchone()
                if row is None or (row["status"] or PostStatus.LIVE) == status:
                    continue
                if status == PostStatus.LIVE:
                    self.conn.execute("DELETE FROM post_removals WHERE post_rowid = ?", (row["rowid"],))
                else:
                    self.conn.execute("""INSERT INTO post_removals(post_rowid, post_id, status, reason, at)
                                         VALUES (?, ?, ?, ?, ?) ON CONFLICT(post_rowid) DO UPDATE SET
                                         status=excluded.status, reason=excluded.reason, at=excluded.at""",
                                      (row["rowid"], pid, status, reason, when))
                was_live, is_live = row["status"] is None, status == PostStatus.LIVE
                if was_live != is_live:
                    self._event_delta(row["event_id"], row["sentiment"] == Sentiment.NEGATIVE, 1 if is_live else -1)
                n += 1
        return n

    def post_history(self, post_id: str) -> list[PostRevision]:
        return [PostRevision(r["text"], r["title"], r["content_hash"], R.dt(r["replaced_at"]))
                for r in self.q("SELECT * FROM post_revisions WHERE post_id = ? ORDER BY id", (post_id,))]

    def post_where(self, q: PostQuery, alias: str = "p") -> tuple[str, list]:
        """:func:`.sql.post_where` for ``q`` with its text parsed and cut as the posts' words were (what
        the mixins' queries filter posts by)."""
        parsed = parse_query(q.text, self.query_cutter) if q.text.strip() else None
        return S.post_where(q, parsed, alias)

    def query_posts(self, q: PostQuery) -> list[StoredPost]:
        where, params = self.post_where(q)
        rows = self.q(f"{S.WITH_STATUS} WHERE {where} ORDER BY {S.post_order(q)} LIMIT ? OFFSET ?",
                      [*params, q.limit, q.offset])
        return [R.stored_post(r) for r in rows]

    def count_posts(self, q: PostQuery) -> int:
        where, params = self.post_where(q)
        return self.q1(f"SELECT COUNT(*) FROM posts p WHERE {where}", params)[0]

    def search_posts(self, q: PostQuery) -> SearchPage:
        with self.lock:  # no write of this connection between the count and the page
            return SearchPage(total=self.count_posts(q), posts=self.query_posts(q))

    def posts_to_analyze(self, limit: int = 1000, after: tuple[datetime, str] | None = None) -> list[Post]:
        if after is None:
            rows = self.q(f"SELECT * FROM posts WHERE analyzed_at IS NULL AND {S.LIVE} ORDER BY created_at, id LIMIT ?",
                          (limit,))
        else:
            rows = self.q(f"""SELECT * FROM posts WHERE analyzed_at IS NULL AND {S.LIVE} AND (created_at, id) > (?, ?)
                              ORDER BY created_at, id LIMIT ?""", (R.ts(after[0]), after[1], limit))
        return [R.stored_post(r).post for r in rows]

    def save_analyses(self, analyses: Iterable[Analysis], events: Iterable[Event] = ()) -> int:
        now = R.now_ts()
        rows = [R.analysis_values(a, now) for a in analyses]
        with self.tx():
            self.upsert_events(events)
            # rowcount, not total_changes: the rollup triggers (0016) change rows of their own
            return self.conn.executemany(S.SAVE_ANALYSIS, rows).rowcount

    def reset_analyses(self) -> int:
        with self.tx():
            # events are built from analyses: forget them too, or re-analysis would double-count their sizes
            self.conn.execute("DELETE FROM events")
            # the search index follows the text: posts remain searchable
            return self.conn.execute(f"UPDATE posts SET {S.NO_ANALYSIS} WHERE analyzed_at IS NOT NULL").rowcount

    # --- events ---------------------------------------------------------------------------
    def upsert_events(self, events: Iterable[Event]) -> None:
        with self.tx():
            self.conn.executemany(S.UPSERT_EVENT, [R.event_values(e) for e in events])

    def get_event(self, event_id: str) -> Event | None:
        r = self.q1("SELECT * FROM events WHERE id = ?", (event_id,))
        return R.event(r) if r else None

    def list_events(self, since: datetime | None = None, units: set[str] | None = None, limit: int = 100) -> list[Event]:
        w = S.events_where(since, units)
        if w is None:
            return []
        where, params = w
        # walked largest first by events_size, each probed once in posts_unit_event, until the limit (0017)
        return [R.event(r) for r in self.q(
            f"SELECT * FROM events e INDEXED BY events_size WHERE {where} ORDER BY size DESC, last_at DESC LIMIT ?",
            [*params, limit])]

    # --- import bookkeeping ---------------------------------------------------------------
    def file_imported(self, content_hash: str) -> ImportedFile | None:
        r = self.q1("SELECT * FROM imported_files WHERE content_hash = ?", (content_hash,))
        return R.imported_file(r) if r else None

    def record_file(self, f: ImportedFile) -> None:
        with self.tx():
            self.conn.execute(
                """INSERT OR REPLACE INTO imported_files(content_hash, path, size, fmt, posts, duplicates, quarantined,
                     skipped, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (f.content_hash, f.path, f.size, f.fmt, f.posts, f.duplicates, f.quarantined, f.skipped, R.now_ts()),
            )

    def add_quarantine(self, records: Iterable[QuarantineRecord]) -> int:
        n = 0
        with self.tx():
            for r in records:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO quarantine(origin, position, reason, raw, source_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (r.origin, r.position, r.reason, r.raw[:4000], r.source_id, R.now_ts()),
                )
                n += cur.rowcount
        return n

    def list_quarantine(self, limit: int = 100) -> list[QuarantineRecord]:
        return [R.quarantine_record(r) for r in self.q("SELECT * FROM quarantine ORDER BY id DESC LIMIT ?", (limit,))]

    def record_source_failure(self, source_id: str, url: str, error: str) -> None:
        with self.tx():
            self.conn.execute("INSERT INTO source_failures(source_id, at, url, error) VALUES (?, ?, ?, ?)",
                              (source_id, R.now_ts(), url, error[:2000]))

    # --- state ----------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        r = self.q1("SELECT value FROM state WHERE key = ?", (key,))
        return r[0] if r else None

    def set_state(self, key: str, value: str) -> None:
        with self.tx():
            self.conn.execute("INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                              (key, value))

    # --- labels ---------------------------------------------------------------------------
    def add_label(self, post_id: str, field_name: str, value: str, actor: str) -> None:
        if field_name not in ("sentiment", "topic", "risk"):
            raise StorageError(f"不能标注字段 {field_name!r}")
        with self.tx():
            self.conn.execute("INSERT INTO labels(post_id, field, value, actor, at) VALUES (?, ?, ?, ?, ?)",
                              (post_id, field_name, value, actor, R.now_ts()))

    def list_labels(self) -> list[dict]:
        rows = self.q(
            """SELECT l.post_id, l.field, l.value, l.actor, l.at, p.text FROM labels l
               JOIN posts p ON p.id = l.post_id
               WHERE l.id IN (SELECT MAX(id) FROM labels GROUP BY post_id, field) ORDER BY l.id"""
        )
        return [R.label(r) for r in rows]

    # --- counts ---------------------------------------------------------------------------
    def stats(self) -> dict:
        by_kind = {r[0]: r[1] for r in self.q(f"SELECT source_kind, COUNT(*) FROM posts WHERE {S.LIVE} GROUP BY source_kind")}
        return {
            "posts": sum(by_kind.values()),
            "posts_by_source_kind": by_kind,
            "posts_removed": self.q1("SELECT COUNT(*) FROM post_removals")[0],
            "posts_analyzed": self.q1("SELECT COUNT(*) FROM posts WHERE analyzed_at IS NOT NULL")[0],
            "sources": self.q1("SELECT COUNT(*) FROM sources")[0],
            "sources_pending": self.q1("SELECT COUNT(*) FROM sources WHERE status = ?", (SourceStatus.PENDING,))[0],
            "events": self.q1("SELECT COUNT(*) FROM events")[0],
            "issues": self.q1("SELECT COUNT(*) FROM issues")[0],
            "issues_open": self.q1("SELECT COUNT(*) FROM issues WHERE status = ?", (IssueStatus.OPEN,))[0],
            "emails_sent": self.q1("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")[0],
            "emails_pending": self.q1("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0],
            "emails_failed": self.q1("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")[0],
            "quarantined": self.q1("SELECT COUNT(*) FROM quarantine")[0],
            "files_imported": self.q1("SELECT COUNT(*) FROM imported_files")[0],
        }


#: Python steps run right after a migration, in its transaction (migration file -> method name).
_AFTER = {"0012_grams.sql": "index_all_grams"}


class _Tx:
    def __init__(self, store: SqliteStore):
        self.store = store
        self.nested = False

    def __enter__(self):
        self.store.lock.acquire()
        if self.store.conn.in_transaction:
            self.nested = True
        else:
            self.store.conn.execute("BEGIN IMMEDIATE")
        return self.store.conn

    def __exit__(self, exc_type, exc, tb):
        try:
            if not self.nested:
                if exc_type is None:
                    self.store.conn.execute("COMMIT")
                else:
                    self.store.conn.execute("ROLLBACK")
        finally:
            self.store.lock.release()
        return False
