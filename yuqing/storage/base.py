"""The storage interface. Every read and write of yuqing's data goes through a :class:`Store`.

SQLite (:mod:`yuqing.storage.sqlite`) is the default; an Elasticsearch implementation follows
the same contract. No other module writes SQL or talks to a search engine.

Units scope: every query that returns posts, issues or counts accepts ``units`` — a set of
union unit codes (a cadre's subtree). ``None`` means "all units"; an empty set means "none".
Scoping is enforced here, in the query layer, not by the pages that call it.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..errors import StorageError
from ..schema import TRIAGE_KINDS, TRIAGE_MARKS

if TYPE_CHECKING:  # annotations only: these types live in yuqing.schema and yuqing.casework.model
    from ..casework.model import HistoryEntry, Issue
    from ..schema import (
        Analysis,
        Event,
        ImportedFile,
        Post,
        QuarantineRecord,
        Source,
        StoredPost,
        Subject,
        TriageMark,
        Unit,
        User,
    )


#: How search results are ordered (``PostQuery.sort``): ``time`` (newest first, or oldest first with
#: ``newest_first=False``) or ``heat`` — risk first (high, medium, none, not analysed), then how negative
#: the post is (its negative probability), then newest: what needs the union's attention on top,
#: computed from the post alone, so both backends sort alike with no join.
SORTS = ("time", "heat")


def check_triage_args(kind: str, mark: str) -> None:
    """A triage call names a known kind (post, event) and a known mark (or "" to clear one)."""
    if kind not in TRIAGE_KINDS:
        raise StorageError(f"未知的标注对象 {kind!r}（可用：{'、'.join(TRIAGE_KINDS)}）")
    if mark and mark not in TRIAGE_MARKS:
        raise StorageError(f"未知的标注 {mark!r}（可用：{'、'.join(TRIAGE_MARKS)}，或留空清除）")


@dataclass
class PostQuery:
    """Filters for :meth:`Store.query_posts` / :meth:`Store.count_posts`. All optional."""

    #: full-text query in the search syntax (:mod:`yuqing.query_syntax`): words in any order, also
    #: inside longer words; ``|``/``OR``, ``-word``/``NOT word``, "quoted phrase"
    text: str = ""
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    units: set[str] | None = None  # None = all units
    source_ids: Sequence[str] = ()
    source_kinds: Sequence[str] = ()
    topics: Sequence[str] = ()
    sentiments: Sequence[str] = ()
    risks: Sequence[str] = ()
    event_id: str = ""
    thread_id: str = ""
    ids: Sequence[str] = ()
    analyzed: bool | None = None
    limit: int = 100
    offset: int = 0
    newest_first: bool = True
    #: ``time`` or ``heat`` (:data:`SORTS`)
    sort: str = "time"
    #: one author's posts: their ``author_id``, or their name for posts whose source gives no ids
    author: str = ""
    #: Also posts their source deleted or hid since they were stored (``schema.REMOVED_STATUSES``);
    #: by default every query and count is over live posts only.
    include_removed: bool = False
    #: Triaged posts (``yuqing.schema.TRIAGE_MODES``): ``all`` (the default here: alerts, digests and
    #: exports see every post), ``hide`` leaves out posts marked 已处置/误报/忽略, ``only-open`` keeps
    #: only posts nobody has marked. The dashboard's lists pass ``hide`` unless the user asks otherwise.
    triage: str = "all"


@dataclass
class SearchPage:
    """One page of search results and how many posts match in all (:meth:`Store.search_posts`)."""

    total: int
    posts: list[StoredPost]


@dataclass
class ThreadPost:
    """What the store holds of one post of a forum thread: enough to compare a re-read page with."""

    id: str
    native_id: str | None
    content_hash: str
    status: str = "live"


@dataclass
class PostRevision:
    """An earlier text of an edited post, and when the crawler saw it replaced."""

    text: str
    title: str
    content_hash: str
    replaced_at: datetime


@dataclass
class AddResult:
    inserted: int = 0
    duplicates: int = 0
    inserted_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoredMessage:
    """A stored group-chat message as :meth:`Store.find_messages` returns it."""

    source_id: str
    created_at: datetime
    content_hash: str
    author_id: str
    post_id: str


class Store(abc.ABC):
    """What the rest of yuqing relies on from storage."""

    # --- lifecycle -----------------------------------------------------------------------
    @abc.abstractmethod
    def close(self) -> None: ...

    def transaction(self):
        """``with store.transaction():`` — the store calls inside commit together or not at all (an
        issue and its e-mails). A backend without multi-document transactions (Elasticsearch) runs
        them one by one: there the writes are ordered so a crash loses at most what was not written."""
        return contextlib.nullcontext()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- organisation and sources ---------------------------------------------------------
    @abc.abstractmethod
    def sync_config(self, units: Iterable[Unit], sources: Iterable[Source]) -> None:
        """Make the stored units and configured sources match the config (sources that imports
        created, status ``pending``, are kept; a configured source's unit wins)."""

    @abc.abstractmethod
    def list_units(self) -> list[Unit]: ...

    @abc.abstractmethod
    def upsert_source(self, source: Source) -> None: ...

    @abc.abstractmethod
    def get_source(self, source_id: str) -> Source | None: ...

    @abc.abstractmethod
    def list_sources(self) -> list[Source]: ...

    @abc.abstractmethod
    def assign_source(self, source_id: str, unit: str) -> int:
        """Give a (pending) source a unit; its posts move with it. Returns posts moved."""

    # --- posts ----------------------------------------------------------------------------
    @abc.abstractmethod
    def add_posts(self, posts: Iterable[Post]) -> AddResult:
        """Insert posts; a post whose id is already stored is counted as a duplicate and left
        unchanged. Each post's unit is its source's unit at insert time. A post is found by a
        text query as soon as it is stored (its title and text are indexed with the one tokenizer),
        not only after analysis."""

    @abc.abstractmethod
    def find_messages(self, keys: Sequence[tuple[datetime, str]], *, slack: timedelta = timedelta(0),
                      source_id: str | None = None) -> list[StoredMessage]:
        """Stored group-chat messages with one of ``keys``' content hashes sent within ``slack`` of
        its time (``slack`` 0: that second), in any source or in ``source_id`` — how an import
        recognises a chat the store holds under another name, or a message an export dates only to
        a window. Index lookups only (cost per key, not per post)."""

    @abc.abstractmethod
    def get_post(self, post_id: str) -> StoredPost | None: ...

    # --- posts that change at their source (forum edits and deletions) ---------------------
    @abc.abstractmethod
    def thread_posts(self, source_id: str, thread_id: str) -> list[ThreadPost]:
        """Every stored post of one thread of a source, whatever its status, oldest first."""

    @abc.abstractmethod
    def edit_post(self, post: Post, at: datetime) -> bool:
        """Replace the stored text, title, content hash, PII spans and ``extra`` of the post
        ``post.id`` with ``post``'s (an edit at the source, seen at ``at``). The text it had is kept
        in the post's history (:meth:`post_history`), its analysis is forgotten so `analyze` redoes
        it, and search follows the new text. False when no such post is stored or its text is the same."""

    @abc.abstractmethod
    def set_post_status(self, post_ids: Iterable[str], status: str, reason: str = "",
                        at: datetime | None = None) -> int:
        """Mark stored posts ``deleted`` or ``hidden`` at their source (``reason`` in Chinese, ``at``
        when seen), or ``live`` again; returns how many posts changed status. Removed posts stay
        stored but are left out of queries, counts and the analysis queue (``PostQuery.include_removed``)."""

    @abc.abstractmethod
    def post_history(self, post_id: str) -> list[PostRevision]:
        """The earlier texts of an edited post, oldest first (empty when never edited)."""

    @abc.abstractmethod
    def query_posts(self, q: PostQuery) -> list[StoredPost]: ...

    @abc.abstractmethod
    def count_posts(self, q: PostQuery) -> int: ...

    def search_posts(self, q: PostQuery) -> SearchPage:
        """The page ``q.offset``/``q.limit`` of the posts ``q`` selects, in ``q.sort`` order, with the
        number of posts it selects in all (the search page's and ``yuqing search``'s one call)."""
        return SearchPage(total=self.count_posts(q), posts=self.query_posts(q))

    @abc.abstractmethod
    def posts_to_analyze(self, limit: int = 1000, after: tuple[datetime, str] | None = None) -> list[Post]:
        """Live posts with no analysis yet (new, or edited since), in time order (``created_at``, then
        id); with ``after`` (the last post's ``(created_at, id)``) the ones after it, so a reader can run
        ahead of the writer."""

    @abc.abstractmethod
    def save_analyses(self, analyses: Iterable[Analysis], events: Iterable[Event] = ()) -> int:
        """Store analyses (replacing earlier ones) and the events they created or changed, together:
        one transaction where the backend has them, so an event never counts a post whose analysis
        was lost. Returns the analyses stored. Search does not depend on them: it follows the text."""

    @abc.abstractmethod
    def reset_analyses(self) -> int:
        """Forget every analysis and the events built from them (e.g. after training a new model)
        so `analyze` redoes them; posts stay searchable."""

    # --- events ---------------------------------------------------------------------------
    @abc.abstractmethod
    def upsert_events(self, events: Iterable[Event]) -> None: ...

    @abc.abstractmethod
    def get_event(self, event_id: str) -> Event | None: ...

    @abc.abstractmethod
    def list_events(self, since: datetime | None = None, units: set[str] | None = None,
                    limit: int = 100) -> list[Event]: ...

    # --- import bookkeeping ---------------------------------------------------------------
    @abc.abstractmethod
    def file_imported(self, content_hash: str) -> ImportedFile | None:
        """The ledger entry of a file already imported (by content hash), if any."""

    @abc.abstractmethod
    def record_file(self, f: ImportedFile) -> None: ...

    @abc.abstractmethod
    def add_quarantine(self, records: Iterable[QuarantineRecord]) -> int:
        """Keep records that could not be imported. The same (origin, position, reason) is kept once."""

    @abc.abstractmethod
    def list_quarantine(self, limit: int = 100) -> list[QuarantineRecord]: ...

    @abc.abstractmethod
    def record_source_failure(self, source_id: str, url: str, error: str) -> None: ...

    # --- small persistent state (high-water marks, cursors, schedules) ---------------------
    @abc.abstractmethod
    def get_state(self, key: str) -> str | None: ...

    @abc.abstractmethod
    def set_state(self, key: str, value: str) -> None: ...

    # --- staff corrections (training labels) -----------------------------------------------
    @abc.abstractmethod
    def add_label(self, post_id: str, field_name: str, value: str, actor: str) -> None: ...

    @abc.abstractmethod
    def list_labels(self) -> list[dict]:
        """Latest correction per (post, field): ``{"post_id", "field", "value", "text", "actor", "at"}``."""

    # --- triage (issue #16) ------------------------------------------------------------------
    @abc.abstractmethod
    def set_triage(self, kind: str, target: str, mark: str, actor: str, *, note: str = "",
                   at: datetime | None = None) -> TriageMark:
        """Mark a post or an event (``kind`` ``post``/``event``) with ``mark`` (a key of
        ``TRIAGE_MARKS``; ``""`` clears it): one line appended to its triage history and its current
        mark set, together (one transaction where the backend has them). The line records the
        post's/event's unit. :class:`~yuqing.errors.StorageError` for an unknown kind, mark or target.
        Who may mark what is decided by the caller (:mod:`yuqing.triage`)."""

    @abc.abstractmethod
    def triage_marks(self, kind: str, targets: Iterable[str]) -> dict[str, TriageMark]:
        """The current mark of each of ``targets`` that has one (cleared marks are left out)."""

    @abc.abstractmethod
    def triage_history(self, kind: str, target: str) -> list[TriageMark]:
        """Every triage change of one post or event, oldest first (clearings included, mark "")."""

    @abc.abstractmethod
    def triage_counts(self, since: datetime, until: datetime, units: set[str] | None = None) -> dict[str, dict[str, int]]:
        """``{"post": {mark: n}, "event": {mark: n}}``: how many posts and events were triaged in
        ``[since, until)``, each counted once under the last mark it was given in the period (a mark
        cleared in the period is not counted); only targets whose unit is in ``units``."""

    # --- 专题 (saved searches, issue #16) ----------------------------------------------------------
    @abc.abstractmethod
    def save_subject(self, subject: Subject) -> Subject:
        """Insert a 专题 (``id`` None) or update one if its ``version`` is still current (else
        :class:`~yuqing.errors.ConflictError` "专题 #N 已被他人更新，请刷新"; a 专题 not stored:
        :class:`~yuqing.errors.NotFoundError`); returns it as stored (id, times, version)."""

    @abc.abstractmethod
    def get_subject(self, subject_id: int) -> Subject | None: ...

    @abc.abstractmethod
    def list_subjects(self, units: set[str] | None = None) -> list[Subject]:
        """专题 by name: all (``units`` None), or the organisation's (``unit`` "") and those whose
        ``unit`` is in ``units``."""

    @abc.abstractmethod
    def delete_subject(self, subject_id: int) -> bool: ...

    # --- counts ---------------------------------------------------------------------------
    @abc.abstractmethod
    def stats(self) -> dict:
        """Machine-readable counts; at least ``posts``, ``posts_by_source_kind``,
        ``posts_analyzed``, ``issues``, ``issues_open``, ``emails_sent``, ``quarantined``."""


class CaseworkStore(abc.ABC):
    """Issues, their posts and history, the e-mail outbox (SQLite: ``sqlite/casework.py``).

    Every method that lists or counts takes ``units`` (None = all) so scoping happens here.
    """

    @abc.abstractmethod
    def create_issue(self, issue: Issue, post_ids: Iterable[str] = (), actor: str = "system") -> int:
        """Insert an issue (history: ``opened``) with its first posts; returns its id."""

    @abc.abstractmethod
    def get_issue(self, issue_id: int, units: set[str] | None = None) -> Issue | None:
        """The issue, or None when it does not exist or is outside ``units``."""

    @abc.abstractmethod
    def find_open_issue(self, event_id: str) -> Issue | None: ...

    @abc.abstractmethod
    def list_issues(self, *, units: set[str] | None = None, status: str | None = None,
                    severity: str | None = None, step: str | None = None, overdue: bool | None = None,
                    now: datetime | None = None, limit: int = 200, offset: int = 0) -> list[Issue]: ...

    @abc.abstractmethod
    def involved_issues(self, units: set[str], *, status: str | None = None, limit: int = 200) -> list[Issue]:
        """Issues routed to a unit outside ``units`` that hold live posts from ``units`` — matters a
        unit takes part in without leading them; ``post_count`` counts only the posts from ``units``.
        Ordered like :meth:`list_issues` (open first, then by severity)."""

    @abc.abstractmethod
    def count_issues(self, *, units: set[str] | None = None, status: str | None = None,
                     overdue: bool | None = None, now: datetime | None = None,
                     since: datetime | None = None, until: datetime | None = None,
                     after_id: int | None = None) -> int:
        """Issues in ``units``; ``since``/``until`` on when they were raised; ``after_id``: only issues
        with a larger id (raised after that one was — the dashboard's new-alert badge)."""

    @abc.abstractmethod
    def max_issue_id(self, units: set[str] | None = None) -> int:
        """The id of the last issue raised in ``units`` (0 when none): ids only grow."""

    @abc.abstractmethod
    def attach_posts(self, issue_id: int, post_ids: Iterable[str], rule: str = "") -> int:
        """Attach posts to an issue; returns how many were new to it."""

    @abc.abstractmethod
    def issue_posts(self, issue_id: int, limit: int = 200) -> list[StoredPost]: ...

    @abc.abstractmethod
    def update_issue(self, issue: Issue, *, actor: str, action: str, note: str = "",
                     data: dict | None = None, at: datetime | None = None, step: str | None = None) -> Issue:
        """Save changed fields of ``issue`` if its ``version`` — the version the caller read — is
        still current (else :class:`~yuqing.errors.ConflictError` "议题 #N 已被他人更新，请刷新", nothing
        written), append one history line, return the new state; both in one transaction where the
        backend has them. The line's ``step`` is ``step`` (a step record names the step it records)
        or else the issue's step after the change. ``at`` is when the change happened (default now;
        given only when replaying earlier work, as the demo does — the CLI and the dashboard never pass it)."""

    @abc.abstractmethod
    def issue_history(self, issue_id: int) -> list[HistoryEntry]:
        """The issue's history lines in the order they were written."""

    @abc.abstractmethod
    def issue_histories(self, issue_ids: Iterable[int]) -> dict[int, list[HistoryEntry]]:
        """``{issue id: its history lines in written order}`` for several issues at once (every id
        asked for is a key; the ledger and the scorecard read their step records this way)."""

    @abc.abstractmethod
    def enqueue_email(self, *, dedupe_key: str, kind: str, recipients: list[str], subject: str,
                      body_text: str, body_html: str = "", issue_id: int | None = None,
                      attachments: list[dict] | None = None, send_after: datetime | None = None,
                      give_up_at: datetime | None = None) -> bool:
        """Write an e-mail to the outbox; False when ``dedupe_key`` is already there. It is tried from
        ``send_after`` until ``give_up_at`` (default: three days after it is due)."""

    @abc.abstractmethod
    def due_emails(self, now: datetime, limit: int = 50) -> list[dict]:
        """E-mails due at ``now``: not sent, not given up, not claimed by a live lease (read only)."""

    @abc.abstractmethod
    def claim_emails(self, now: datetime, owner: str, lease: timedelta, limit: int = 1) -> list[dict]:
        """Claim up to ``limit`` due e-mails for ``owner`` until ``now + lease`` and return them: an
        e-mail claimed by one sender is not due for any other until the claim is released (marked sent
        or failed) or expires. Two senders never get the same e-mail."""

    @abc.abstractmethod
    def mark_email_sent(self, email_id: int, message_id: str, owner: str = "") -> None:
        """The server accepted the e-mail (once: a second marking changes nothing); the claim ends."""

    @abc.abstractmethod
    def mark_email_failed(self, email_id: int, error: str, retry_at: datetime, *, permanent: bool = False,
                          owner: str = "") -> bool:
        """An attempt failed: try again at ``retry_at``, unless ``permanent`` (the server refused it for
        good) or ``retry_at`` is past the e-mail's give-up time — then it is given up (failed). Returns
        True when the e-mail is given up now. The claim ends."""

    @abc.abstractmethod
    def failed_emails(self, *, unreported: bool = False, limit: int = 100) -> list[dict]:
        """Given-up e-mails, newest first (``unreported``: those the admins have not been told of)."""

    @abc.abstractmethod
    def mark_emails_reported(self, email_ids: Iterable[int]) -> None:
        """The admins have been told about these given-up e-mails."""

    @abc.abstractmethod
    def audit(self, actor: str, action: str, target: str = "", detail: dict | None = None) -> None: ...

    # alert-engine support
    @abc.abstractmethod
    def find_open_issue_by_key(self, group_key: str) -> Issue | None: ...

    @abc.abstractmethod
    def open_issues_sharing_posts(self, post_ids: Iterable[str]) -> dict[int, int]:
        """``{issue id: how many of post_ids it holds}`` over open issues."""

    @abc.abstractmethod
    def alert_candidates(self, after: int, limit: int = 5000) -> tuple[list, int]:
        """Analysed live posts after the alert cursor ``after``, oldest first, and the new cursor
        (a post deleted or hidden at its source moves the cursor but raises nothing)."""

    @abc.abstractmethod
    def last_email_at(self, issue_id: int) -> datetime | None: ...

    @abc.abstractmethod
    def outbox_counts(self) -> dict:
        """``{"sent", "pending", "failing", "failed"}`` (failing: pending after a failed attempt;
        failed: given up)."""


class AggregatesStore(abc.ABC):
    """The dashboard's aggregations; all scoped by the query's ``units``."""

    @abc.abstractmethod
    def overview_counts(self, q: PostQuery) -> dict: ...

    @abc.abstractmethod
    def volume_by_day(self, q: PostQuery, utc_offset_seconds: int = 8 * 3600) -> list[dict]: ...

    @abc.abstractmethod
    def sentiment_by_unit(self, q: PostQuery) -> list[dict]: ...

    @abc.abstractmethod
    def negative_share_by_source_kind(self, q: PostQuery) -> list[dict]: ...

    @abc.abstractmethod
    def topic_mix(self, q: PostQuery) -> list[dict]: ...

    @abc.abstractmethod
    def breakdown(self, q: PostQuery) -> dict: ...

    @abc.abstractmethod
    def term_counts(self, q: PostQuery, limit: int = 200) -> dict[str, int]: ...

    @abc.abstractmethod
    def event_activity(self, q: PostQuery, limit: int = 50) -> list[dict]: ...

    @abc.abstractmethod
    def source_health(self, units: set[str] | None = None, now: datetime | None = None, days: int = 7) -> list[dict]: ...

    @abc.abstractmethod
    def recent_issues(self, units: set[str] | None = None, limit: int = 10) -> list[Issue]: ...

    @abc.abstractmethod
    def scoped_issue_posts(self, issue_id: int, units: set[str] | None, limit: int = 200) -> list[StoredPost]: ...

    @abc.abstractmethod
    def post_labels(self, post_id: str) -> list[dict]: ...

    @abc.abstractmethod
    def audit_entries(self, limit: int = 100, actor: str = "") -> list[dict]: ...


class UsersStore(abc.ABC):
    """Dashboard users and their sessions."""

    @abc.abstractmethod
    def sync_users(self, users: Iterable[User]) -> None: ...

    @abc.abstractmethod
    def get_user(self, username: str) -> User | None: ...

    @abc.abstractmethod
    def set_password_hash(self, username: str, password_hash: str) -> None: ...

    @abc.abstractmethod
    def failed_logins(self, username: str, minutes: int) -> int: ...

    @abc.abstractmethod
    def record_login_failure(self, username: str, client: str = "") -> None:
        """One failed login for ``username`` from ``client`` (an address; "" when unknown)."""

    @abc.abstractmethod
    def login_failures(self, *, username: str | None = None, client: str | None = None,
                       minutes: int = 15) -> tuple[int, int | None]:
        """Failed logins in the last ``minutes`` for ``username`` (any client) or from ``client`` (any
        username): ``(count, unix time of the latest or None)``."""

    @abc.abstractmethod
    def known_client(self, username: str, client: str, days: int = 30) -> bool:
        """Whether ``client`` logged in to ``username`` successfully within ``days`` (audit ``login``
        lines name the client as their target)."""

    @abc.abstractmethod
    def create_session(self, token: str, username: str, minutes: int, remember: bool = False) -> None:
        """A login session found by ``token`` — callers pass a hash of the browser's token, never the
        token itself (:func:`yuqing.auth.token_hash`)."""

    @abc.abstractmethod
    def session_user(self, token: str) -> str | None: ...

    @abc.abstractmethod
    def end_session(self, token: str) -> None: ...


class DigestStore(abc.ABC):
    """Queries only the digests need."""

    @abc.abstractmethod
    def digest_issues(self, since: datetime, until: datetime, units: set[str] | None = None,
                      kind: str = "opinion") -> list[Issue]: ...

    @abc.abstractmethod
    def issues_for_events(self, event_ids: Iterable[str]) -> dict[str, Issue]: ...

    @abc.abstractmethod
    def events_with_issue_posts(self, event_ids: Iterable[str]) -> set[str]: ...

    @abc.abstractmethod
    def representative_posts(self, q: PostQuery) -> list[StoredPost]: ...

    @abc.abstractmethod
    def issue_activity(self, q: PostQuery, kind: str = "opinion", limit: int = 50) -> list[dict]: ...

    @abc.abstractmethod
    def issue_post_ids(self, issue_id: int) -> list[str]: ...


class WorkerStore(abc.ABC):
    """Several workers sharing one store (:class:`~yuqing.storage.protocols.MultiWorker`); a backend with
    one worker (SQLite) grants every lease and hands out no share."""

    @abc.abstractmethod
    def acquire_lease(self, name: str, worker: str, ttl: timedelta) -> bool:
        """Take or renew the lease ``name`` (a step only one worker may run at a time, e.g. ``alerts``)
        for ``worker`` until ``ttl`` from now; False when another live worker holds it."""

    @abc.abstractmethod
    def claim_analysis_buckets(self, worker: str, ttl: timedelta = timedelta(minutes=5)) -> set[int] | None:
        """Lease ``worker``'s fair share of the analysis (``posts_to_analyze`` then returns only posts in
        it; call again before ``ttl`` runs out to keep it). ``None``: no sharing, every post is ours."""


class FullStore(Store, CaseworkStore, AggregatesStore, UsersStore, DigestStore, WorkerStore, abc.ABC):
    """Everything yuqing relies on from a storage backend (what `open_store` returns)."""
