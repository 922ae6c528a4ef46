"""``ElasticsearchStore``: the storage interface on an Elasticsearch 9 cluster.

Posts, sources, events, import bookkeeping, state and labels live here; issues, the outbox and
the audit log in :mod:`.casework`; users and sessions in :mod:`.users`; the dashboard's and
digests' aggregations in :mod:`.aggregates`. Writes wait for a refresh (``refresh="wait_for"``) so a read right after a
write sees it, as with SQLite; bulk loads (``yuqing migrate``) pass ``refresh=False``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError

from ...config import EsConfig
from ...errors import NotFoundError as StoreNotFound
from ...errors import PagingLimitError, StorageError
from ...query_syntax import ParsedQuery, parse_query
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
from . import documents as D
from . import queries as Q
from .aggregates import AggregatesMixin
from .bulk import Action, BulkOutcome, run_bulk
from .casework import CaseworkMixin
from .client import connect, explain, reachable, settings_from
from .lease_board import LeaseBoard
from .mapping import (
    BUCKETS,
    INDEX_PROPERTIES,
    POST_CHANGE_PROPERTIES,
    POST_PROPERTIES,
    POST_TRIAGE_PROPERTIES,
    Names,
    indices_past_retention,
    posts_template,
    small_index_body,
)
from .triage import TriageMixin
from .users import UsersMixin

#: Upper bound of documents read in one go from the small indices (sources, units, events …).
SMALL = 10000


def _now() -> datetime:
    return datetime.now(timezone.utc)


def quarantine_id(origin: str, position: str, reason: str) -> str:
    """The document id of a quarantine record: the same (origin, position, reason) is kept once."""
    return hashlib.sha1("\x1f".join((origin, position, reason)).encode("utf-8")).hexdigest()


class ElasticsearchStore(CaseworkMixin, AggregatesMixin, UsersMixin, TriageMixin, FullStore):
    """The storage interface on Elasticsearch. Open with :meth:`open` (fails fast) or pass a client."""

    def __init__(self, client: Elasticsearch, *, prefix: str = "yuqing", replicas: int = 1,
                 refresh: bool | str = "wait_for", tokenizer=None, search_tokenizer=None, setup: bool = True):
        self.es = client
        self.names = Names(prefix)
        self.replicas = replicas
        self.refresh = refresh
        self._tokenizer = tokenizer
        self._search_tokenizer = search_tokenizer
        self._last_seq = 0
        #: Analysis buckets this worker holds (None: all — a single worker).
        self.analysis_buckets: set[int] | None = None
        if setup:
            self.ensure_indices()

    @classmethod
    def open(cls, es: EsConfig, **kw) -> ElasticsearchStore:
        """Connect (failing fast) and make sure the template and indices exist. ``[es] replicas``
        is used when the config has it (default 1; a single-node cluster needs 0)."""
        kw.setdefault("replicas", getattr(es, "replicas", 1))
        client, _info = connect(es)
        try:
            return cls(client, prefix=es.index_prefix, **kw)
        except (ApiError, TransportError) as exc:
            client.close()
            raise StorageError(f"Elasticsearch {settings_from(es).safe_url} 无法初始化索引：{explain(exc)}") from None

    # --- plumbing -------------------------------------------------------------------------
    def close(self) -> None:
        self.es.close()

    def ix(self, name: str) -> str:
        return self.names.index(name)

    def ensure_indices(self) -> list[str]:
        """Install the posts template and create missing indices (idempotent); returns those created."""
        self.es.indices.put_index_template(name=self.names.template,
                                           **posts_template(self.names, replicas=self.replicas))
        existing = set(self.es.indices.get(index=f"{self.names.prefix}-*", allow_no_indices=True,
                                           expand_wildcards="open").body)
        created = []
        for name in INDEX_PROPERTIES:
            index = self.ix(name)
            if index not in existing:
                self._create(index, small_index_body(name, replicas=self.replicas))
                created.append(index)
        current = self.names.posts_index(_now())
        posts_indices = sorted(i for i in existing if i.startswith(self.names.posts_alias + "-"))
        self._add_post_fields(posts_indices)
        self._add_small_fields(existing)
        if not posts_indices:
            self._create(current, {})  # the template gives mapping and alias, so the alias always exists
            created.append(current)
        return created

    def _add_post_fields(self, indices: list[str]) -> None:
        """Monthly posts indices made before a release that added post fields get them (adding a
        field to a strict mapping is always allowed; the template gives them to new indices)."""
        if indices:
            self.es.indices.put_mapping(index=",".join(indices),
                                        properties={"search": POST_PROPERTIES["search"], "grams": POST_PROPERTIES["grams"],
                                                    **POST_CHANGE_PROPERTIES, **POST_TRIAGE_PROPERTIES})

    def _add_small_fields(self, existing: set[str]) -> None:
        """Indices made before a release that added fields (the outbox's claims and give-up time, a
        session's remember flag) get them; adding fields to a strict mapping is always allowed."""
        for name in INDEX_PROPERTIES:
            if self.ix(name) in existing:
                self.es.indices.put_mapping(index=self.ix(name), properties=small_index_body(name)["mappings"]["properties"])

    def _create(self, index: str, body: dict) -> None:
        try:
            self.es.indices.create(index=index, **body)
        except ApiError as exc:
            if "resource_already_exists" not in str(exc):
                raise

    def drop_all(self) -> None:
        """Delete every index of this prefix and the template (test and benchmark clean-up)."""
        # by name: clusters refuse wildcard deletes (action.destructive_requires_name, on by default)
        indices = sorted(self.es.indices.get(index=f"{self.names.prefix}-*", allow_no_indices=True,
                                             expand_wildcards="all").body)
        for i in range(0, len(indices), 50):
            self.es.indices.delete(index=",".join(indices[i:i + 50]), ignore_unavailable=True)
        try:
            self.es.indices.delete_index_template(name=self.names.template)
        except NotFoundError:
            pass

    def post_indices(self) -> list[str]:
        """The monthly posts indices behind the alias, oldest first."""
        try:
            return sorted(self.es.indices.get_alias(name=self.names.posts_alias).body)
        except NotFoundError:
            return []

    def drop_months(self, keep_months: int, now: datetime | None = None, *, apply: bool = False) -> list[str]:
        """Retention: the monthly posts indices older than the last ``keep_months`` months —
        deleted whole when ``apply`` (no per-document deletes, no merge storm)."""
        old = indices_past_retention(self.names, self.post_indices(), now or _now(), keep_months)
        if apply and old:
            self.es.indices.delete(index=",".join(old))
        return old

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from ...nlp.tokenize import tokenize_query

            self._tokenizer = tokenize_query
        return self._tokenizer

    @property
    def search_tokenizer(self):
        """``(title, text) -> tokens``: what a post is found by, from the moment it is stored."""
        if self._search_tokenizer is None:
            from ...nlp.tokenize import search_tokens

            self._search_tokenizer = search_tokens
        return self._search_tokenizer

    def search(self, index: str, **body) -> dict:
        """Search with a Query DSL body given as keywords (``from`` may be spelled as in the DSL)."""
        if "from" in body:
            body["from_"] = body.pop("from")
        with reachable():
            return self.es.search(index=index, ignore_unavailable=True, allow_no_indices=True, **body).body

    def sources_of(self, index: str, query: dict, *, sort: list | None = None, size: int = SMALL) -> list[dict]:
        kw = {"sort": sort} if sort else {}
        resp = self.search(index, query=query, size=size, **kw)
        return [h["_source"] for h in resp["hits"]["hits"]]

    def scan_sources(self, index: str, query: dict, *, sort: list, page: int = SMALL):
        """Every matching document's ``_source`` in ``sort`` order, a page at a time (``search_after``)."""
        after = None
        while True:
            kw = {"search_after": after} if after is not None else {}
            hits = self.search(index, query=query, size=page, sort=sort, **kw)["hits"]["hits"]
            for h in hits:
                yield h["_source"]
            if len(hits) < page:
                return
            after = hits[-1]["sort"]

    def count(self, index: str, query: dict | None = None) -> int:
        with reachable():
            return self.es.count(index=index, query=query or {"match_all": {}}, ignore_unavailable=True,
                                 allow_no_indices=True)["count"]

    def get_doc(self, name: str, doc_id: str) -> dict | None:
        try:
            with reachable():
                return self.es.get(index=self.ix(name), id=doc_id)["_source"]
        except NotFoundError:
            return None

    def put(self, name: str, doc_id: str | None, doc: dict, **kw) -> dict:
        with reachable():
            return self.es.index(index=self.ix(name), id=doc_id, document=doc, refresh=self.refresh, **kw).body

    def bulk(self, actions: Iterable[Action]) -> BulkOutcome:
        return run_bulk(self.es, actions, refresh=self.refresh)

    def next_seq(self, n: int = 1) -> int:
        """First of ``n`` increasing sequence numbers (microseconds since the epoch; ordering only)."""
        base = max(time.time_ns() // 1000, self._last_seq + 1)
        self._last_seq = base + n - 1
        return base

    def next_id(self, counter: str) -> int:
        """A cluster-wide increasing integer id (issues, e-mails): an atomic scripted update."""
        resp = self.es.update(index=self.ix("counters"), id=counter, script={"source": "ctx._source.n += 1"},
                              upsert={"n": 1}, retry_on_conflict=10, source=True)  # read back by id: no refresh
        return int(resp["get"]["_source"]["n"])

    # --- organisation and sources ---------------------------------------------------------
    def sync_config(self, units: Iterable[Unit], sources: Iterable[Source]) -> None:
        """Runs when every command opens the store, so it writes only what changed (one bulk)."""
        units = list(units)
        if units and sorted((u.code, u.name, u.parent, u.level) for u in units) != sorted(
                (u.code, u.name, u.parent, u.level) for u in self.list_units()):
            self.es.delete_by_query(index=self.ix("units"), query={"match_all": {}}, refresh=True, conflicts="proceed")
            self.bulk(Action("index", self.ix("units"), u.code,
                             {"code": u.code, "name": u.name, "parent": u.parent, "level": u.level}) for u in units)
        stored = {d["id"]: d for d in self.sources_of(self.ix("sources"), {"match_all": {}})}
        changed, moved = [], []
        for s in sources:
            doc, old = D.source_doc(s, True), stored.get(s.id)
            if doc != old:
                changed.append(Action("index", self.ix("sources"), s.id, doc))
                if old is not None and old["unit"] != s.unit:
                    moved.append((s.id, s.unit))
        if changed:
            self.bulk(changed)
        for source_id, unit in moved:
            self._move_posts(source_id, unit)

    def list_units(self) -> list[Unit]:
        rows = self.sources_of(self.ix("units"), {"match_all": {}}, sort=[{"level": "asc"}, {"code": "asc"}])
        return [Unit(r["code"], r["name"], r["parent"], r["level"]) for r in rows]

    def upsert_source(self, source: Source) -> None:
        self._upsert_source(source, configured=False)

    def _upsert_source(self, s: Source, *, configured: bool) -> None:
        old = self.get_doc("sources", s.id)
        self.put("sources", s.id, D.source_doc(s, configured or bool(old and old.get("configured"))))
        if old is not None and old["unit"] != s.unit:
            self._move_posts(s.id, s.unit)

    def _move_posts(self, source_id: str, unit: str) -> int:
        resp = self.es.update_by_query(
            index=self.names.posts_alias, query={"term": {"source_id": source_id}}, refresh=True, conflicts="proceed",
            script={"source": "ctx._source.unit = params.unit", "params": {"unit": unit}},
            ignore_unavailable=True, allow_no_indices=True)
        return int(resp["updated"])

    def get_source(self, source_id: str) -> Source | None:
        d = self.get_doc("sources", source_id)
        return D.source_of(d) if d else None

    def list_sources(self) -> list[Source]:
        return [D.source_of(d) for d in self.sources_of(self.ix("sources"), {"match_all": {}},
                                                        sort=[{"unit": "asc"}, {"id": "asc"}])]

    def assign_source(self, source_id: str, unit: str) -> int:
        old = self.get_doc("sources", source_id)
        if old is None:
            raise StoreNotFound(f"没有数据源 {source_id!r}")
        self.put("sources", source_id, {**old, "unit": unit, "status": SourceStatus.ACTIVE})
        return self._move_posts(source_id, unit)

    # --- posts ----------------------------------------------------------------------------
    def _units_by_source(self) -> dict[str, str]:
        return {d["id"]: d["unit"] for d in self.sources_of(self.ix("sources"), {"match_all": {}})}

    def post_actions(self, posts: Iterable[Post]) -> list[Action]:
        units = self._units_by_source()
        now = _now()
        posts = list(posts)
        seq = self.next_seq(len(posts))
        tokenize = self.search_tokenizer
        return [Action("create", self.names.posts_index(p.created_at), p.id,
                       D.post_doc(p, units.get(p.source_id, ""), now, seq + i, tokenize(p.title, p.text)))
                for i, p in enumerate(posts)]

    def add_posts(self, posts: Iterable[Post]) -> AddResult:
        """Insert posts (``op_type=create``: a stored id is a duplicate). A post the cluster rejects
        is quarantined with the cluster's reason, never silently lost."""
        outcome = self.bulk(self.post_actions(posts))
        if outcome.rejected:
            self.add_quarantine(outcome.rejected)
        return AddResult(inserted=len(outcome.done), duplicates=len(outcome.duplicates),
                         inserted_ids=list(outcome.done))

    def _hits(self, query: dict, **kw) -> list[dict]:
        return self.search(self.names.posts_alias, query=query, **kw)["hits"]["hits"]

    def find_messages(self, keys, *, slack: timedelta = timedelta(0), source_id: str | None = None) -> list[StoredMessage]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, StoredMessage] = {}
        for i in range(0, len(keys), 200):
            query = Q.messages_near([(D.iso(at - slack), D.iso(at + slack), h) for at, h in keys[i:i + 200]], source_id)
            for h in self._hits(query, size=SMALL, source=["id", "source_id", "created_at", "content_hash", "author_id"]):
                src = h["_source"]
                out[src["id"]] = StoredMessage(src["source_id"], D.parse(src["created_at"]), src["content_hash"],
                                               src["author_id"], src["id"])
        return list(out.values())

    def get_post(self, post_id: str) -> StoredPost | None:
        hits = self._hits({"ids": {"values": [post_id]}}, size=1)
        return D.stored_post(hits[0]["_source"]) if hits else None

    # --- posts that change at their source ------------------------------------------------
    def thread_posts(self, source_id: str, thread_id: str) -> list[ThreadPost]:
        resp = self.search(self.names.posts_alias, **Q.thread_posts_body(source_id, thread_id, SMALL))
        return [ThreadPost(h["_source"]["id"], h["_source"].get("native_id"), h["_source"]["content_hash"],
                           h["_source"].get("status") or PostStatus.LIVE) for h in resp["hits"]["hits"]]

    def _event_delta(self, event_id: str | None, negative: bool, sign: int) -> None:
        """An analysed post leaves (-1) or rejoins (+1) its event's counts."""
        if not event_id:
            return
        try:
            self.es.update(index=self.ix("events"), id=event_id, retry_on_conflict=10, refresh=self.refresh, script={
                "source": "ctx._source.size = Math.max(0, ctx._source.size + params.d); "
                          "ctx._source.negative = Math.max(0, ctx._source.negative + params.n)",
                "params": {"d": sign, "n": sign if negative else 0}})
        except NotFoundError:
            pass

    def edit_post(self, post: Post, at: datetime) -> bool:
        hits = self._hits({"ids": {"values": [post.id]}}, size=1, source=["content_hash", "event_id", "sentiment"])
        if not hits or hits[0]["_source"]["content_hash"] == post.content_hash:
            return False
        old = hits[0]["_source"]
        search = self.search_tokenizer(post.title, post.text)  # the words it is found by follow the text
        resp = self.es.update(index=hits[0]["_index"], id=post.id, script=D.edit_script(post, at, search),
                              refresh=self.refresh, retry_on_conflict=3)
        if resp["result"] != "updated":
            return False
        self._event_delta(old.get("event_id"), old.get("sentiment") == Sentiment.NEGATIVE, -1)
        return True

    def set_post_status(self, post_ids: Iterable[str], status: str, reason: str = "",
                        at: datetime | None = None) -> int:
        if status not in POST_STATUSES:
            raise StorageError(f"未知的帖子状态 {status!r}")
        ids = list(dict.fromkeys(post_ids))
        if not ids:
            return 0
        hits = self._hits({"ids": {"values": ids}}, size=len(ids), source=["status", "event_id", "sentiment"])
        changing = [h for h in hits if (h["_source"].get("status") or PostStatus.LIVE) != status]
        doc = D.status_doc(status, reason, at or _now())
        outcome = self.bulk(Action("update", h["_index"], h["_id"], doc) for h in changing)
        if outcome.rejected:
            self.add_quarantine(outcome.rejected)
        done = set(outcome.done)
        for h in changing:
            was_live = not h["_source"].get("status")
            if h["_id"] in done and was_live != (status == PostStatus.LIVE):
                self._event_delta(h["_source"].get("event_id"), h["_source"].get("sentiment") == Sentiment.NEGATIVE,
                                  1 if status == PostStatus.LIVE else -1)
        return len(done)

    def post_history(self, post_id: str) -> list[PostRevision]:
        hits = self._hits({"ids": {"values": [post_id]}}, size=1, source=["history"])
        return D.history_of_post(hits[0]["_source"]) if hits else []

    def _parsed(self, q: PostQuery) -> ParsedQuery | None:
        if not q.text.strip():
            return None
        search = self.search_tokenizer
        return parse_query(q.text, lambda term: search("", term))

    def post_query(self, q: PostQuery) -> dict:
        return Q.post_filter(q, self._parsed(q))

    def query_posts(self, q: PostQuery) -> list[StoredPost]:
        if q.offset + q.limit > SMALL:
            raise PagingLimitError(f"只能翻看前 {SMALL} 条帖子（Elasticsearch 的分页上限）：请缩小时间范围或加筛选条件")
        resp = self.search(self.names.posts_alias, **Q.search_body(q, self._parsed(q)))
        return [D.stored_post(h["_source"]) for h in resp["hits"]["hits"]]

    def search_posts(self, q: PostQuery) -> SearchPage:
        """One request: the page and the exact number of matches."""
        if q.offset + q.limit > SMALL:
            raise PagingLimitError(f"只能翻看前 {SMALL} 条帖子（Elasticsearch 的分页上限）：请缩小时间范围或加筛选条件")
        resp = self.search(self.names.posts_alias, **Q.search_body(q, self._parsed(q), total=True))
        return SearchPage(total=resp["hits"]["total"]["value"], posts=[D.stored_post(h["_source"])
                                                                       for h in resp["hits"]["hits"]])

    def count_posts(self, q: PostQuery) -> int:
        return self.count(self.names.posts_alias, self.post_query(q))

    def posts_to_analyze(self, limit: int = 1000, after: tuple[datetime, str] | None = None) -> list[Post]:
        """Posts with no analysis yet, in time order; only this worker's buckets when it holds a share."""
        query = Q.post_filter(PostQuery(analyzed=False))
        if self.analysis_buckets is not None:
            query = Q.and_filter(query, {"terms": {"bucket": sorted(self.analysis_buckets)}})
        kw = {"search_after": [D.iso(after[0]), after[1]]} if after is not None else {}
        hits = self._hits(query, sort=[{"created_at": "asc"}, {"id": "asc"}], size=limit, **kw)
        return [D.stored_post(h["_source"]).post for h in hits]

    def claim_analysis_buckets(self, worker: str, ttl: timedelta = timedelta(minutes=5)) -> set[int] | None:
        """Lease this worker's share of the analysis buckets (``posts_to_analyze`` then returns
        only posts in them); call again before ``ttl`` runs out to keep them."""
        board = LeaseBoard(self.es, self.ix("leases"))
        held = board.claim(worker, [f"analyze:{b}" for b in range(BUCKETS)], ttl)
        self.analysis_buckets = {int(name.split(":", 1)[1]) for name in held}
        return self.analysis_buckets

    def acquire_lease(self, name: str, worker: str, ttl: timedelta) -> bool:
        with reachable():
            return LeaseBoard(self.es, self.ix("leases")).acquire(name, worker, ttl)

    def _locate(self, post_ids: list[str]) -> dict[str, str]:
        """``{post id: concrete monthly index}`` (updates must name the index, not the alias)."""
        out: dict[str, str] = {}
        for i in range(0, len(post_ids), 1000):
            part = post_ids[i:i + 1000]
            for h in self._hits({"ids": {"values": part}}, size=len(part), source=False):
                out[h["_id"]] = h["_index"]
        return out

    def save_analyses(self, analyses: Iterable[Analysis], events: Iterable[Event] = ()) -> int:
        """Events first, then the analyses, in one bulk request (Elasticsearch has no transactions:
        a crash in between leaves an event that counts posts not yet analysed, which the next run
        analyses and counts again)."""
        analyses = list(analyses)
        where = self._locate([a.post_id for a in analyses])
        now = _now()
        ev_actions = [Action("index", self.ix("events"), e.id, D.event_doc(e)) for e in events]
        outcome = self.bulk([*ev_actions, *(Action("update", where[a.post_id], a.post_id, D.analysis_doc(a, now))
                                             for a in analyses if a.post_id in where)])
        if outcome.rejected:
            self.add_quarantine(outcome.rejected)
        return len([d for d in outcome.done if d in where])

    def reset_analyses(self) -> int:
        resp = self.es.update_by_query(
            index=self.names.posts_alias, query={"exists": {"field": "analyzed_at"}}, refresh=True,
            conflicts="proceed", ignore_unavailable=True, allow_no_indices=True,
            script={"source": "for (f in params.fields) { ctx._source.remove(f) }",
                    "params": {"fields": list(D.cleared_analysis())}})
        # events are built from analyses: forget them too, or re-analysis would double-count their sizes
        self.es.delete_by_query(index=self.ix("events"), query={"match_all": {}}, refresh=True,
                                conflicts="proceed", ignore_unavailable=True)
        return int(resp["updated"])

    # --- events ---------------------------------------------------------------------------
    def upsert_events(self, events: Iterable[Event]) -> None:
        self.bulk(Action("index", self.ix("events"), e.id, D.event_doc(e)) for e in events)

    def get_event(self, event_id: str) -> Event | None:
        d = self.get_doc("events", event_id)
        return D.event_of(d) if d else None

    def list_events(self, since: datetime | None = None, units: set[str] | None = None,
                    limit: int = 100) -> list[Event]:
        ids: list[str] | None = None
        if units is not None:
            if not units:
                return []
            resp = self.search(self.names.posts_alias, **Q.events_in_units_body(units, SMALL))
            ids = sorted(Q.read_event_keys(resp))
            if not ids:
                return []
        rows = self.sources_of(self.ix("events"), Q.events_filter(since, ids), sort=Q.EVENTS_SORT, size=limit)
        return [D.event_of(r) for r in rows]

    # --- import bookkeeping ---------------------------------------------------------------
    def file_imported(self, content_hash: str) -> ImportedFile | None:
        d = self.get_doc("files", content_hash)
        if d is None:
            return None
        return ImportedFile(content_hash=d["content_hash"], path=d["path"], size=d["size"], posts=d["posts"],
                            duplicates=d["duplicates"], quarantined=d["quarantined"], skipped=d["skipped"],
                            fmt=d["fmt"])

    def record_file(self, f: ImportedFile) -> None:
        self.put("files", f.content_hash, {"content_hash": f.content_hash, "path": f.path, "size": f.size,
                                           "fmt": f.fmt, "posts": f.posts, "duplicates": f.duplicates,
                                           "quarantined": f.quarantined, "skipped": f.skipped,
                                           "imported_at": D.iso(_now())})

    def add_quarantine(self, records: Iterable[QuarantineRecord]) -> int:
        records = list(records)
        now, seq = D.iso(_now()), self.next_seq(len(records))
        outcome = run_bulk(self.es, (Action("create", self.ix("quarantine"), quarantine_id(r.origin, r.position, r.reason),
                                            {"origin": r.origin, "position": r.position, "reason": r.reason,
                                             "raw": r.raw[:4000], "source_id": r.source_id, "at": now, "seq": seq + i})
                                     for i, r in enumerate(records)), refresh=self.refresh)
        if outcome.rejected:  # a quarantine record the cluster refuses cannot be quarantined again
            raise StorageError(f"隔离记录无法写入 Elasticsearch：{outcome.rejected[0].reason}")
        return len(outcome.done)

    def list_quarantine(self, limit: int = 100) -> list[QuarantineRecord]:
        rows = self.sources_of(self.ix("quarantine"), {"match_all": {}}, sort=[{"seq": "desc"}], size=limit)
        return [QuarantineRecord(origin=r["origin"], position=r["position"], reason=r["reason"], raw=r["raw"],
                                 source_id=r["source_id"]) for r in rows]

    def record_source_failure(self, source_id: str, url: str, error: str) -> None:
        self.put("failures", None, {"source_id": source_id, "at": D.iso(_now()), "url": url, "error": error[:2000]})

    # --- state ----------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        d = self.get_doc("state", key)
        return d["value"] if d else None

    def set_state(self, key: str, value: str) -> None:
        self.put("state", key, {"key": key, "value": value})

    # --- labels ---------------------------------------------------------------------------
    def add_label(self, post_id: str, field_name: str, value: str, actor: str) -> None:
        if field_name not in ("sentiment", "topic", "risk"):
            raise StorageError(f"不能标注字段 {field_name!r}")
        self.put("labels", None, {"post_id": post_id, "field": field_name, "value": value, "actor": actor,
                                  "at": D.iso(_now()), "seq": self.next_seq()})

    def list_labels(self) -> list[dict]:
        latest: list[dict] = []
        body = Q.latest_labels_body()
        while True:
            resp = self.search(self.ix("labels"), **body)
            agg = resp["aggregations"]["pairs"]
            latest += [b["newest"]["hits"]["hits"][0]["_source"] for b in agg["buckets"]]
            if "after_key" not in agg or not agg["buckets"]:
                break
            body["aggs"]["pairs"]["composite"]["after"] = agg["after_key"]
        texts = {h["_id"]: h["_source"]["text"]
                 for h in self._hits({"ids": {"values": sorted({r["post_id"] for r in latest})}},
                                     size=max(1, len(latest)), source=["text"])}
        latest.sort(key=lambda r: r["seq"])
        return [{"post_id": r["post_id"], "field": r["field"], "value": r["value"], "text": texts[r["post_id"]],
                 "actor": r["actor"], "at": D.parse(r["at"])} for r in latest if r["post_id"] in texts]

    # --- counts ---------------------------------------------------------------------------
    def stats(self) -> dict:
        resp = self.search(self.names.posts_alias, **Q.posts_by_kind_body())
        aggs = resp["aggregations"]
        by_kind = {b["key"]: b["doc_count"] for b in aggs["live"]["kinds"]["buckets"]}
        outbox = self.outbox_counts()
        return {
            "posts": aggs["live"]["doc_count"],
            "posts_by_source_kind": by_kind,
            "posts_removed": aggs["removed"]["doc_count"],
            "posts_analyzed": resp["aggregations"]["analyzed"]["doc_count"],
            "sources": self.count(self.ix("sources")),
            "sources_pending": self.count(self.ix("sources"), {"term": {"status": SourceStatus.PENDING}}),
            "events": self.count(self.ix("events")),
            "issues": self.count(self.ix("issues")),
            "issues_open": self.count(self.ix("issues"), {"term": {"status": IssueStatus.OPEN}}),
            "emails_sent": outbox["sent"],
            "emails_pending": outbox["pending"],
            "emails_failed": outbox["failed"],
            "quarantined": self.count(self.ix("quarantine")),
            "files_imported": self.count(self.ix("files")),
        }
