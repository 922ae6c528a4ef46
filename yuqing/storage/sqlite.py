"""The embedded SQLite store (the default): one WAL-mode file, versioned migrations, FTS5.

Posts, sources, events, import bookkeeping and state live here. Issues, the outbox, users and
the audit log are in :mod:`.sqlite_casework`; the dashboard's and digests' aggregations in
:mod:`.sqlite_aggregates`. All SQL of yuqing is in this package.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

from ..errors import NotFoundError, StorageError
from ..schema import (
    POST_STATUSES,
    Analysis,
    Event,
    ImportedFile,
    Post,
    PostStatus,
    QuarantineRecord,
    Sentiment,
    Source,
    SourceKind,
    StoredPost,
    Unit,
)
from .base import AddResult, FullStore, PostQuery, PostRevision, StoredMessage, ThreadPost
from .sqlite_aggregates import AggregatesMixin
from .sqlite_casework import CaseworkMixin
from .sqlite_digest import DigestMixin
from .sqlite_users import UsersMixin


def ts(dt: datetime | None) -> int | None:
    return None if dt is None else int(dt.timestamp())


def dt(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, tz=timezone.utc)


def now_ts() -> int:
    return int(time.time())


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("yuqing.storage").joinpath("migrations")
    items = sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".sql"))
    return items


#: Forgets a post's analysis (an UPDATE's SET list).
_NO_ANALYSIS = """sentiment=NULL, p_negative=NULL, p_neutral=NULL, p_positive=NULL, topic=NULL, topics=NULL,
                  risk=NULL, keywords=NULL, tokens=NULL, simhash=NULL, event_id=NULL, model_version=NULL,
                  analyzed_at=NULL"""

#: Live posts only: a post its source deleted or hid is listed in post_removals (by rowid, so an
#: index-only scan can still apply this).
LIVE = "rowid NOT IN (SELECT post_rowid FROM post_removals)"

#: A post row with its removal (if any): what :meth:`SqliteStore._row_to_stored` reads.
_WITH_STATUS = """SELECT p.*, r.status AS removed_status, r.reason AS removed_reason
                  FROM posts p LEFT JOIN post_removals r ON r.post_rowid = p.rowid"""


def fts_query(tokens: Iterable[str]) -> str:
    """An FTS5 MATCH expression requiring every token (each quoted, so no operator injection)."""
    parts = []
    for t in tokens:
        t = t.strip()
        if not t:
            continue
        parts.append('"' + t.replace('"', '""') + '"')
    return " AND ".join(parts)


class SqliteStore(CaseworkMixin, AggregatesMixin, UsersMixin, DigestMixin, FullStore):
    """SQLite implementation of :class:`~yuqing.storage.base.Store`.

    One connection per store object; safe to share between threads (a lock serialises use),
    and several processes may open the same file (WAL).
    """

    def __init__(self, path: str | Path, *, tokenizer=None, search_tokenizer=None):
        self.path = Path(path)
        if str(path) != ":memory:":
            from ..files import create_private

            try:  # workers' personal data: the file (and SQLite's -wal/-shm, which copy its mode) 0600
                create_private(self.path)
            except OSError as exc:
                raise StorageError(f"cannot create the database {path}: {exc.strerror or exc}") from None
        try:
            self.conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the database {path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        self._tokenizer = tokenizer
        self._search_tokenizer = search_tokenizer
        try:
            self.conn.execute("PRAGMA busy_timeout=30000")
            self._start()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StorageError(f"{path} is not a usable yuqing database: {exc}") from None

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
                for stmt in _split_sql(sql):
                    self.conn.execute(stmt)
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now_ts()))
                applied.append(name)
        return applied

    def _pending_migrations(self) -> list[str]:
        try:
            done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        except sqlite3.OperationalError:  # a fresh file
            done = set()
        return [name for name, _ in _migrations() if name not in done]

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from ..nlp.tokenize import tokenize_query

            self._tokenizer = tokenize_query
        return self._tokenizer

    @property
    def search_tokenizer(self):
        """``(title, text) -> tokens``: what a post is found by, from the moment it is stored."""
        if self._search_tokenizer is None:
            from ..nlp.tokenize import search_tokens

            self._search_tokenizer = search_tokens
        return self._search_tokenizer

    # --- organisation and sources ---------------------------------------------------------
    def sync_config(self, units: Iterable[Unit], sources: Iterable[Source]) -> None:
        units = list(units)
        sources = list(sources)
        with self.tx():
            if units:
                self.conn.execute("DELETE FROM units")
                self.conn.executemany(
                    "INSERT INTO units(code, name, parent, level) VALUES (?, ?, ?, ?)",
                    [(u.code, u.name, u.parent, u.level) for u in units],
                )
            for s in sources:
                self._upsert_source(s, configured=True)

    def list_units(self) -> list[Unit]:
        return [Unit(r["code"], r["name"], r["parent"], r["level"]) for r in self.q("SELECT * FROM units ORDER BY level, code")]

    def upsert_source(self, source: Source) -> None:
        with self.tx():
            self._upsert_source(source, configured=False)

    def _upsert_source(self, s: Source, *, configured: bool) -> None:
        old = self.conn.execute("SELECT unit FROM sources WHERE id = ?", (s.id,)).fetchone()
        self.conn.execute(
            """INSERT INTO sources(id, name, kind, unit, match, url, status, options, configured, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET name=excluded.name, kind=excluded.kind, unit=excluded.unit,
                 match=excluded.match, url=excluded.url, status=excluded.status, options=excluded.options,
                 configured=MAX(configured, excluded.configured)""",
            (s.id, s.name, str(s.kind), s.unit, json.dumps(s.match, ensure_ascii=False), s.url, s.status,
             json.dumps(s.options, ensure_ascii=False), int(configured), now_ts()),
        )
        if old is not None and old["unit"] != s.unit:
            self.conn.execute("UPDATE posts SET unit = ? WHERE source_id = ?", (s.unit, s.id))

    @staticmethod
    def _source(r) -> Source:
        return Source(id=r["id"], name=r["name"], kind=SourceKind(r["kind"]), unit=r["unit"],
                      match=json.loads(r["match"]), url=r["url"], status=r["status"], options=json.loads(r["options"]))

    def get_source(self, source_id: str) -> Source | None:
        r = self.q1("SELECT * FROM sources WHERE id = ?", (source_id,))
        return self._source(r) if r else None

    def list_sources(self) -> list[Source]:
        return [self._source(r) for r in self.q("SELECT * FROM sources ORDER BY unit, id")]

    def assign_source(self, source_id: str, unit: str) -> int:
        with self.tx():
            cur = self.conn.execute("UPDATE sources SET unit = ?, status = 'active' WHERE id = ?", (unit, source_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"no source {source_id!r}")
            return self.conn.execute("UPDATE posts SET unit = ? WHERE source_id = ?", (unit, source_id)).rowcount

    # --- posts ----------------------------------------------------------------------------
    def add_posts(self, posts: Iterable[Post]) -> AddResult:
        """One transaction per call: the rows go in with one ``executemany`` (a post whose id is
        stored is ignored), then the new rows — those past the table's last rowid before, the write
        lock being held — are read back and indexed for search in one statement."""
        posts = list(posts)
        result = AddResult()
        if not posts:
            return result
        now = now_ts()
        tokenize = self.search_tokenizer
        sql = """INSERT OR IGNORE INTO posts(id, source_id, source_kind, unit, native_id, author, author_id,
                   text, title, url, thread_id, parent_id, likes, replies, created_at, imported_at,
                   content_hash, pii, extra, search)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
        with self.tx():
            units = {r[0]: r[1] for r in self.conn.execute("SELECT id, unit FROM sources")}
            last = self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM posts").fetchone()[0]
            self.conn.executemany(sql, [(
                p.id, p.source_id, str(p.source_kind), units.get(p.source_id, ""), p.native_id, p.author,
                p.author_id, p.text, p.title, p.url, p.thread_id, p.parent_id, p.likes, p.replies,
                ts(p.created_at), now, p.content_hash,
                json.dumps(p.pii, ensure_ascii=False) if p.pii else "[]",
                json.dumps(p.extra, ensure_ascii=False) if p.extra else "{}",
                " ".join(t for t in tokenize(p.title, p.text) if t.strip()),
            ) for p in posts])
            result.inserted_ids = [r[0] for r in self.conn.execute("SELECT id FROM posts WHERE rowid > ? ORDER BY rowid",
                                                                   (last,))]
            # searchable at once: the new rows' words go into the full-text index with them
            self.conn.execute("INSERT INTO posts_fts(rowid, search) SELECT rowid, search FROM posts WHERE rowid > ?",
                              (last,))
        result.inserted = len(result.inserted_ids)
        result.duplicates = len(posts) - result.inserted
        return result

    @staticmethod
    def _row_to_stored(r) -> StoredPost:
        post = Post(
            id=r["id"], source_id=r["source_id"], source_kind=SourceKind(r["source_kind"]), text=r["text"],
            created_at=dt(r["created_at"]), author=r["author"], author_id=r["author_id"], native_id=r["native_id"],
            title=r["title"], url=r["url"], thread_id=r["thread_id"], parent_id=r["parent_id"], likes=r["likes"],
            replies=r["replies"], pii=json.loads(r["pii"]), extra=json.loads(r["extra"]), content_hash=r["content_hash"],
        )
        analysis = None
        if r["analyzed_at"] is not None:
            analysis = Analysis(
                post_id=r["id"], sentiment=r["sentiment"],
                sentiment_scores={"negative": r["p_negative"], "neutral": r["p_neutral"], "positive": r["p_positive"]},
                topic=r["topic"], topics=json.loads(r["topics"] or "[]"), risk=r["risk"],
                keywords=json.loads(r["keywords"] or "[]"), tokens=(r["tokens"] or "").split(),
                simhash=_from_signed(r["simhash"] or 0), event_id=r["event_id"] or "", model_version=r["model_version"] or "",
            )
        status, reason = PostStatus.LIVE, ""
        if "removed_status" in r.keys() and r["removed_status"]:
            status, reason = r["removed_status"], r["removed_reason"]
        return StoredPost(post=post, unit=r["unit"], analysis=analysis, imported_at=dt(r["imported_at"]),
                          status=status, status_reason=reason)

    def find_messages(self, keys, *, slack: timedelta = timedelta(0), source_id: str | None = None) -> list[StoredMessage]:
        pad = int(slack.total_seconds())
        sql = """SELECT source_id, created_at, content_hash, author_id, id FROM posts
                 WHERE content_hash = ? AND created_at BETWEEN ? AND ? AND source_kind = 'wechat_group'"""
        if source_id is not None:
            sql += " AND source_id = ?"
        seen: set[str] = set()
        out = []
        for at, h in dict.fromkeys((ts(at), h) for at, h in keys):  # posts_hash: (content_hash, created_at)
            params = (h, at - pad, at + pad) + ((source_id,) if source_id is not None else ())
            for r in self.q(sql, params):
                if r[4] not in seen:
                    seen.add(r[4])
                    out.append(StoredMessage(r[0], dt(r[1]), r[2], r[3], r[4]))
        return out

    def get_post(self, post_id: str) -> StoredPost | None:
        r = self.q1(f"{_WITH_STATUS} WHERE p.id = ?", (post_id,))
        return self._row_to_stored(r) if r else None

    # --- posts that change at their source ------------------------------------------------
    def thread_posts(self, source_id: str, thread_id: str) -> list[ThreadPost]:
        rows = self.q(f"""SELECT p.id, p.native_id, p.content_hash, r.status FROM posts p
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
                                 VALUES (?, ?, ?, ?, ?)""", (post.id, row["text"], row["title"], row["content_hash"], ts(at)))
            if row["search"] is not None:  # the old words leave the external-content FTS index
                self.conn.execute("INSERT INTO posts_fts(posts_fts, rowid, search) VALUES ('delete', ?, ?)",
                                  (row["rowid"], row["search"]))
            words = " ".join(t for t in self.search_tokenizer(post.title, post.text) if t.strip())
            self.conn.execute("UPDATE posts SET search = ? WHERE rowid = ?", (words, row["rowid"]))
            self.conn.execute("INSERT INTO posts_fts(rowid, search) VALUES (?, ?)", (row["rowid"], words))
            # the analysis is stale: forget it (and the post's place in its event, which analysis gives again)
            self._event_delta(row["event_id"], row["sentiment"] == Sentiment.NEGATIVE, -1)
            self.conn.execute(
                f"UPDATE posts SET text=?, title=?, content_hash=?, pii=?, extra=?, {_NO_ANALYSIS} WHERE rowid=?",
                (post.text, post.title, post.content_hash, json.dumps(post.pii, ensure_ascii=False) if post.pii else "[]",
                 json.dumps(post.extra, ensure_ascii=False) if post.extra else "{}", row["rowid"]))
        return True

    def set_post_status(self, post_ids: Iterable[str], status: str, reason: str = "",
                        at: datetime | None = None) -> int:
        if status not in POST_STATUSES:
            raise StorageError(f"unknown post status {status!r}")
        n = 0
        when = ts(at) if at is not None else now_ts()
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
        return [PostRevision(r["text"], r["title"], r["content_hash"], dt(r["replaced_at"]))
                for r in self.q("SELECT * FROM post_revisions WHERE post_id = ? ORDER BY id", (post_id,))]

    def _where(self, q: PostQuery, alias: str = "p") -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        a = alias + "."
        if q.text.strip():
            tokens = [t for t in self.tokenizer(q.text) if t.strip()]
            match = fts_query(tokens)
            if not match:
                return "0", []
            clauses.append(f"{a}rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)")
            params.append(match)
        if q.since is not None:
            clauses.append(f"{a}created_at >= ?")
            params.append(ts(q.since))
        if q.until is not None:
            clauses.append(f"{a}created_at < ?")
            params.append(ts(q.until))
        if q.units is not None:
            if not q.units:
                return "0", []
            clauses.append(f"{a}unit IN ({','.join('?' * len(q.units))})")
            params.extend(sorted(q.units))
        for col, values in (("source_id", q.source_ids), ("source_kind", q.source_kinds), ("topic", q.topics),
                            ("sentiment", q.sentiments), ("risk", q.risks), ("id", q.ids)):
            if values:
                clauses.append(f"{a}{col} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if q.event_id:
            clauses.append(f"{a}event_id = ?")
            params.append(q.event_id)
        if q.thread_id:
            clauses.append(f"{a}thread_id = ?")
            params.append(q.thread_id)
        if q.analyzed is True:
            clauses.append(f"{a}analyzed_at IS NOT NULL")
        elif q.analyzed is False:
            clauses.append(f"{a}analyzed_at IS NULL")
        if not q.include_removed:
            clauses.append(a + LIVE)
        return (" AND ".join(clauses) or "1"), params

    def query_posts(self, q: PostQuery) -> list[StoredPost]:
        where, params = self._where(q)
        order = "DESC" if q.newest_first else "ASC"
        rows = self.q(
            f"{_WITH_STATUS} WHERE {where} ORDER BY p.created_at {order}, p.rowid {order} LIMIT ? OFFSET ?",
            [*params, q.limit, q.offset],
        )
        return [self._row_to_stored(r) for r in rows]

    def count_posts(self, q: PostQuery) -> int:
        where, params = self._where(q)
        return self.q1(f"SELECT COUNT(*) FROM posts p WHERE {where}", params)[0]

    def posts_to_analyze(self, limit: int = 1000, after: tuple[datetime, str] | None = None) -> list[Post]:
        if after is None:
            rows = self.q(f"SELECT * FROM posts WHERE analyzed_at IS NULL AND {LIVE} ORDER BY created_at, id LIMIT ?",
                          (limit,))
        else:
            rows = self.q(f"""SELECT * FROM posts WHERE analyzed_at IS NULL AND {LIVE} AND (created_at, id) > (?, ?)
                              ORDER BY created_at, id LIMIT ?""", (ts(after[0]), after[1], limit))
        return [self._row_to_stored(r).post for r in rows]

    def save_analyses(self, analyses: Iterable[Analysis], events: Iterable[Event] = ()) -> int:
        now = now_ts()
        rows = [(str(a.sentiment), a.sentiment_scores.get("negative", 0.0), a.sentiment_scores.get("neutral", 0.0),
                 a.sentiment_scores.get("positive", 0.0), a.topic, json.dumps(a.topics, ensure_ascii=False), str(a.risk),
                 json.dumps(a.keywords, ensure_ascii=False), " ".join(t for t in a.tokens if t.strip()),
                 _to_signed(a.simhash), a.event_id or None, a.model_version, now, a.post_id) for a in analyses]
        with self.tx():
            self.upsert_events(events)
            # rowcount, not total_changes: the rollup triggers (0016) change rows of their own
            return self.conn.executemany(
                """UPDATE posts SET sentiment=?, p_negative=?, p_neutral=?, p_positive=?, topic=?, topics=?, risk=?,
                     keywords=?, tokens=?, simhash=?, event_id=?, model_version=?, analyzed_at=? WHERE id=?""", rows
            ).rowcount

    def reset_analyses(self) -> int:
        with self.tx():
            # events are built from analyses: forget them too, or re-analysis would double-count their sizes
            self.conn.execute("DELETE FROM events")
            return self.conn.execute(  # the search index follows the text: posts remain searchable
                """UPDATE posts SET sentiment=NULL, p_negative=NULL, p_neutral=NULL, p_positive=NULL, topic=NULL,
                     topics=NULL, risk=NULL, keywords=NULL, tokens=NULL, simhash=NULL, event_id=NULL,
                     model_version=NULL, analyzed_at=NULL WHERE analyzed_at IS NOT NULL"""
            ).rowcount

    # --- events ---------------------------------------------------------------------------
    def upsert_events(self, events: Iterable[Event]) -> None:
        with self.tx():
            self.conn.executemany(
                """INSERT INTO events(id, label, keywords, topic, unit, first_at, last_at, size, negative, signature)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET label=excluded.label, keywords=excluded.keywords,
                     topic=excluded.topic, unit=excluded.unit, first_at=excluded.first_at, last_at=excluded.last_at,
                     size=excluded.size, negative=excluded.negative, signature=excluded.signature""",
                [(e.id, e.label, json.dumps(e.keywords, ensure_ascii=False), e.topic, e.unit, ts(e.first_at),
                  ts(e.last_at), e.size, e.negative, _to_signed(e.signature)) for e in events],
            )

    @staticmethod
    def _event(r) -> Event:
        return Event(id=r["id"], label=r["label"], keywords=json.loads(r["keywords"]), topic=r["topic"], unit=r["unit"],
                     first_at=dt(r["first_at"]), last_at=dt(r["last_at"]), size=r["size"], negative=r["negative"],
                     signature=_from_signed(r["signature"]))

    def get_event(self, event_id: str) -> Event | None:
        r = self.q1("SELECT * FROM events WHERE id = ?", (event_id,))
        return self._event(r) if r else None

    def list_events(self, since: datetime | None = None, units: set[str] | None = None, limit: int = 100) -> list[Event]:
        clauses, params = [], []
        if since is not None:
            clauses.append("last_at >= ?")
            params.append(ts(since))
        if units is not None:
            if not units:
                return []
            # an event is visible to a unit scope when any of its posts is in that scope
            clauses.append(f"id IN (SELECT event_id FROM posts WHERE event_id IS NOT NULL AND unit IN ({','.join('?' * len(units))}))")
            params.extend(sorted(units))
        where = " AND ".join(clauses) or "1"
        return [self._event(r) for r in self.q(f"SELECT * FROM events WHERE {where} ORDER BY size DESC, last_at DESC LIMIT ?", [*params, limit])]

    # --- import bookkeeping ---------------------------------------------------------------
    def file_imported(self, content_hash: str) -> ImportedFile | None:
        r = self.q1("SELECT * FROM imported_files WHERE content_hash = ?", (content_hash,))
        if r is None:
            return None
        return ImportedFile(content_hash=r["content_hash"], path=r["path"], size=r["size"], posts=r["posts"],
                            duplicates=r["duplicates"], quarantined=r["quarantined"], skipped=r["skipped"], fmt=r["fmt"])

    def record_file(self, f: ImportedFile) -> None:
        with self.tx():
            self.conn.execute(
                """INSERT OR REPLACE INTO imported_files(content_hash, path, size, fmt, posts, duplicates, quarantined,
                     skipped, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (f.content_hash, f.path, f.size, f.fmt, f.posts, f.duplicates, f.quarantined, f.skipped, now_ts()),
            )

    def add_quarantine(self, records: Iterable[QuarantineRecord]) -> int:
        n = 0
        with self.tx():
            for r in records:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO quarantine(origin, position, reason, raw, source_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (r.origin, r.position, r.reason, r.raw[:4000], r.source_id, now_ts()),
                )
                n += cur.rowcount
        return n

    def list_quarantine(self, limit: int = 100) -> list[QuarantineRecord]:
        return [QuarantineRecord(origin=r["origin"], position=r["position"], reason=r["reason"], raw=r["raw"],
                                 source_id=r["source_id"])
                for r in self.q("SELECT * FROM quarantine ORDER BY id DESC LIMIT ?", (limit,))]

    def record_source_failure(self, source_id: str, url: str, error: str) -> None:
        with self.tx():
            self.conn.execute("INSERT INTO source_failures(source_id, at, url, error) VALUES (?, ?, ?, ?)",
                              (source_id, now_ts(), url, error[:2000]))

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
            raise StorageError(f"cannot label field {field_name!r}")
        with self.tx():
            self.conn.execute("INSERT INTO labels(post_id, field, value, actor, at) VALUES (?, ?, ?, ?, ?)",
                              (post_id, field_name, value, actor, now_ts()))

    def list_labels(self) -> list[dict]:
        rows = self.q(
            """SELECT l.post_id, l.field, l.value, l.actor, l.at, p.text FROM labels l
               JOIN posts p ON p.id = l.post_id
               WHERE l.id IN (SELECT MAX(id) FROM labels GROUP BY post_id, field) ORDER BY l.id"""
        )
        return [{"post_id": r["post_id"], "field": r["field"], "value": r["value"], "text": r["text"],
                 "actor": r["actor"], "at": dt(r["at"])} for r in rows]

    # --- counts ---------------------------------------------------------------------------
    def stats(self) -> dict:
        by_kind = {r[0]: r[1] for r in self.q(f"SELECT source_kind, COUNT(*) FROM posts WHERE {LIVE} GROUP BY source_kind")}
        return {
            "posts": sum(by_kind.values()),
            "posts_by_source_kind": by_kind,
            "posts_removed": self.q1("SELECT COUNT(*) FROM post_removals")[0],
            "posts_analyzed": self.q1("SELECT COUNT(*) FROM posts WHERE analyzed_at IS NOT NULL")[0],
            "sources": self.q1("SELECT COUNT(*) FROM sources")[0],
            "sources_pending": self.q1("SELECT COUNT(*) FROM sources WHERE status = 'pending'")[0],
            "events": self.q1("SELECT COUNT(*) FROM events")[0],
            "issues": self.q1("SELECT COUNT(*) FROM issues")[0],
            "issues_open": self.q1("SELECT COUNT(*) FROM issues WHERE status = 'open'")[0],
            "emails_sent": self.q1("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")[0],
            "emails_pending": self.q1("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0],
            "emails_failed": self.q1("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")[0],
            "quarantined": self.q1("SELECT COUNT(*) FROM quarantine")[0],
            "files_imported": self.q1("SELECT COUNT(*) FROM imported_files")[0],
        }


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


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (``sqlite3.complete_statement`` knows about triggers)."""
    out, buf = [], []
    for line in sql.splitlines():
        if not buf and (not line.strip() or line.strip().startswith("--")):
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if buf and "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


def _to_signed(v: int) -> int:
    """SQLite integers are signed 64-bit; store 64-bit hashes two's-complement."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= (1 << 63) else v


def _from_signed(v: int) -> int:
    return v + (1 << 64) if v < 0 else v
