"""The storage interface in small pieces: one :class:`~typing.Protocol` per kind of thing stored.

A caller names the pieces it needs (``def drain(store: OutboxStore, …)``, the alert engine an
:class:`AlertsStore`) instead of the whole of :class:`~yuqing.storage.base.FullStore`; both backends
provide every piece (``tests/storage/test_protocols.py`` checks each method and its parameters against
the abstract base, where the contract of every method is written). :class:`MultiWorker` is what several
workers sharing one Elasticsearch cluster need; SQLite (one worker) implements it as a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

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
from .base import AddResult, PostQuery, PostRevision, SearchPage, StoredMessage, ThreadPost


@runtime_checkable
class Transactional(Protocol):
    """Writes that commit together (``with store.transaction():``) and closing the store."""

    def transaction(self) -> AbstractContextManager: ...

    def close(self) -> None: ...


@runtime_checkable
class OrgStore(Protocol):
    """The organisation tree and the sources (chats, accounts, forums) with their units."""

    def sync_config(self, units: Iterable[Unit], sources: Iterable[Source]) -> None: ...

    def list_units(self) -> list[Unit]: ...

    def upsert_source(self, source: Source) -> None: ...

    def get_source(self, source_id: str) -> Source | None: ...

    def list_sources(self) -> list[Source]: ...

    def assign_source(self, source_id: str, unit: str) -> int: ...

    def record_source_failure(self, source_id: str, url: str, error: str) -> None: ...


@runtime_checkable
class PostStore(Protocol):
    """Posts: storing, finding and reading them, and following their changes at the source."""

    def add_posts(self, posts: Iterable[Post]) -> AddResult: ...

    def find_messages(self, keys: Sequence[tuple[datetime, str]], *, slack: timedelta = timedelta(0),
                      source_id: str | None = None) -> list[StoredMessage]: ...

    def get_post(self, post_id: str) -> StoredPost | None: ...

    def query_posts(self, q: PostQuery) -> list[StoredPost]: ...

    def count_posts(self, q: PostQuery) -> int: ...

    def thread_posts(self, source_id: str, thread_id: str) -> list[ThreadPost]: ...

    def edit_post(self, post: Post, at: datetime) -> bool: ...

    def set_post_status(self, post_ids: Iterable[str], status: str, reason: str = "",
                        at: datetime | None = None) -> int: ...

    def post_history(self, post_id: str) -> list[PostRevision]: ...

    def search_posts(self, q: PostQuery) -> SearchPage: ...


@runtime_checkable
class AnalysisStore(Protocol):
    """The NLP's results: analyses of posts and the events they group into."""

    def posts_to_analyze(self, limit: int = 1000, after: tuple[datetime, str] | None = None) -> list[Post]: ...

    def save_analyses(self, analyses: Iterable[Analysis], events: Iterable[Event] = ()) -> int: ...

    def reset_analyses(self) -> int: ...

    def upsert_events(self, events: Iterable[Event]) -> None: ...

    def get_event(self, event_id: str) -> Event | None: ...

    def list_events(self, since: datetime | None = None, units: set[str] | None = None,
                    limit: int = 100) -> list[Event]: ...


@runtime_checkable
class ImportLedger(Protocol):
    """What the importer remembers: files already read and records it could not read."""

    def file_imported(self, content_hash: str) -> ImportedFile | None: ...

    def record_file(self, f: ImportedFile) -> None: ...

    def add_quarantine(self, records: Iterable[QuarantineRecord]) -> int: ...

    def list_quarantine(self, limit: int = 100) -> list[QuarantineRecord]: ...


@runtime_checkable
class StateStore(Protocol):
    """Small persistent values: high-water marks, cursors, schedules."""

    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...


@runtime_checkable
class LabelStore(Protocol):
    """Staff corrections of the NLP's labels (training data)."""

    def add_label(self, post_id: str, field_name: str, value: str, actor: str) -> None: ...

    def list_labels(self) -> list[dict]: ...

    def post_labels(self, post_id: str) -> list[dict]: ...


@runtime_checkable
class IssueStore(Protocol):
    """Issues, the posts they hold and their history lines."""

    def create_issue(self, issue: Issue, post_ids: Iterable[str] = (), actor: str = "system") -> int: ...

    def get_issue(self, issue_id: int, units: set[str] | None = None) -> Issue | None: ...

    def find_open_issue(self, event_id: str) -> Issue | None: ...

    def find_open_issue_by_key(self, group_key: str) -> Issue | None: ...

    def list_issues(self, *, units: set[str] | None = None, status: str | None = None,
                    severity: str | None = None, step: str | None = None, overdue: bool | None = None,
                    now: datetime | None = None, limit: int = 200, offset: int = 0) -> list[Issue]: ...

    def involved_issues(self, units: set[str], *, status: str | None = None, limit: int = 200) -> list[Issue]: ...

    def count_issues(self, *, units: set[str] | None = None, status: str | None = None,
                     overdue: bool | None = None, now: datetime | None = None,
                     since: datetime | None = None, until: datetime | None = None,
                     after_id: int | None = None) -> int: ...

    def max_issue_id(self, units: set[str] | None = None) -> int: ...

    def recent_issues(self, units: set[str] | None = None, limit: int = 10) -> list[Issue]: ...

    def attach_posts(self, issue_id: int, post_ids: Iterable[str], rule: str = "") -> int: ...

    def issue_posts(self, issue_id: int, limit: int = 200) -> list[StoredPost]: ...

    def scoped_issue_posts(self, issue_id: int, units: set[str] | None, limit: int = 200) -> list[StoredPost]: ...

    def issue_post_ids(self, issue_id: int) -> list[str]: ...

    def update_issue(self, issue: Issue, *, actor: str, action: str, note: str = "",
                     data: dict | None = None, at: datetime | None = None, step: str | None = None) -> Issue: ...

    def issue_history(self, issue_id: int) -> list[HistoryEntry]: ...

    def issue_histories(self, issue_ids: Iterable[int]) -> dict[int, list[HistoryEntry]]: ...

    def open_issues_sharing_posts(self, post_ids: Iterable[str]) -> dict[int, int]: ...

    def alert_candidates(self, after: int, limit: int = 5000) -> tuple[list, int]: ...


@runtime_checkable
class OutboxStore(Protocol):
    """The e-mail outbox: queueing, claiming, marking sent or failed."""

    def enqueue_email(self, *, dedupe_key: str, kind: str, recipients: list[str], subject: str,
                      body_text: str, body_html: str = "", issue_id: int | None = None,
                      attachments: list[dict] | None = None, send_after: datetime | None = None,
                      give_up_at: datetime | None = None) -> bool: ...

    def due_emails(self, now: datetime, limit: int = 50) -> list[dict]: ...

    def claim_emails(self, now: datetime, owner: str, lease: timedelta, limit: int = 1) -> list[dict]: ...

    def mark_email_sent(self, email_id: int, message_id: str, owner: str = "") -> None: ...

    def mark_email_failed(self, email_id: int, error: str, retry_at: datetime, *, permanent: bool = False,
                          owner: str = "") -> bool: ...

    def failed_emails(self, *, unreported: bool = False, limit: int = 100) -> list[dict]: ...

    def mark_emails_reported(self, email_ids: Iterable[int]) -> None: ...

    def last_email_at(self, issue_id: int) -> datetime | None: ...

    def outbox_counts(self) -> dict: ...


@runtime_checkable
class AuditLog(Protocol):
    """Who did what, for the admins."""

    def audit(self, actor: str, action: str, target: str = "", detail: dict | None = None) -> None: ...

    def audit_entries(self, limit: int = 100, actor: str = "") -> list[dict]: ...


@runtime_checkable
class UserStore(Protocol):
    """Dashboard users, failed logins and login sessions."""

    def sync_users(self, users: Iterable[User]) -> None: ...

    def get_user(self, username: str) -> User | None: ...

    def set_password_hash(self, username: str, password_hash: str) -> None: ...

    def failed_logins(self, username: str, minutes: int) -> int: ...

    def record_login_failure(self, username: str, client: str = "") -> None: ...

    def login_failures(self, *, username: str | None = None, client: str | None = None,
                       minutes: int = 15) -> tuple[int, int | None]: ...

    def known_client(self, username: str, client: str, days: int = 30) -> bool: ...

    def create_session(self, token: str, username: str, minutes: int, remember: bool = False) -> None: ...

    def session_user(self, token: str) -> str | None: ...

    def end_session(self, token: str) -> None: ...


@runtime_checkable
class DashboardQueries(Protocol):
    """The dashboard's counts and aggregations (all scoped by the query's ``units``)."""

    def overview_counts(self, q: PostQuery) -> dict: ...

    def volume_by_day(self, q: PostQuery, utc_offset_seconds: int = 8 * 3600) -> list[dict]: ...

    def sentiment_by_unit(self, q: PostQuery) -> list[dict]: ...

    def negative_share_by_source_kind(self, q: PostQuery) -> list[dict]: ...

    def topic_mix(self, q: PostQuery) -> list[dict]: ...

    def breakdown(self, q: PostQuery) -> dict: ...

    def term_counts(self, q: PostQuery, limit: int = 200) -> dict[str, int]: ...

    def event_activity(self, q: PostQuery, limit: int = 50) -> list[dict]: ...

    def source_health(self, units: set[str] | None = None, now: datetime | None = None, days: int = 7) -> list[dict]: ...

    def stats(self) -> dict: ...


@runtime_checkable
class DigestQueries(Protocol):
    """What the weekly digest and the monthly report read."""

    def digest_issues(self, since: datetime, until: datetime, units: set[str] | None = None,
                      kind: str = "opinion") -> list[Issue]: ...

    def issues_for_events(self, event_ids: Iterable[str]) -> dict[str, Issue]: ...

    def events_with_issue_posts(self, event_ids: Iterable[str]) -> set[str]: ...

    def representative_posts(self, q: PostQuery) -> list[StoredPost]: ...

    def issue_activity(self, q: PostQuery, kind: str = "opinion", limit: int = 50) -> list[dict]: ...


@runtime_checkable
class TriageStore(Protocol):
    """Posts and matters (events) marked 已处置 / 误报 / 忽略 / 关注, with who, when and a history."""

    def set_triage(self, kind: str, target: str, mark: str, actor: str, *, note: str = "",
                   at: datetime | None = None) -> TriageMark: ...

    def triage_marks(self, kind: str, targets: Iterable[str]) -> dict[str, TriageMark]: ...

    def triage_history(self, kind: str, target: str) -> list[TriageMark]: ...

    def triage_counts(self, since: datetime, until: datetime, units: set[str] | None = None) -> dict[str, dict[str, int]]: ...


@runtime_checkable
class SubjectStore(Protocol):
    """专题: the saved searches staff follow."""

    def save_subject(self, subject: Subject) -> Subject: ...

    def get_subject(self, subject_id: int) -> Subject | None: ...

    def list_subjects(self, units: set[str] | None = None) -> list[Subject]: ...

    def delete_subject(self, subject_id: int) -> bool: ...


@runtime_checkable
class MultiWorker(Protocol):
    """Several workers on one store: a step run by one worker at a time (a lease that expires when its
    holder dies) and a fair share of the analysis. SQLite has one worker: every lease is granted and
    the share is everything (``None``)."""

    def acquire_lease(self, name: str, worker: str, ttl: timedelta) -> bool: ...

    def claim_analysis_buckets(self, worker: str, ttl: timedelta = timedelta(minutes=5)) -> set[int] | None: ...


@runtime_checkable
class AlertsStore(PostStore, AnalysisStore, IssueStore, OutboxStore, StateStore, OrgStore, Transactional,
                  Protocol):
    """What the alert engine reads and writes: posts and events in, issues and queued e-mails out."""


@runtime_checkable
class ImportStore(PostStore, ImportLedger, OrgStore, StateStore, Protocol):
    """What an import or a crawl writes: posts, their sources, the ledger and the quarantine."""


@runtime_checkable
class AnalyzeStore(AnalysisStore, OrgStore, Protocol):
    """What ``yuqing analyze`` reads and writes: posts waiting for analysis, their sources, the events."""


@runtime_checkable
class MailStore(OutboxStore, AuditLog, Protocol):
    """What sending the outbox touches: the e-mails and the audit log (given-up e-mails reported)."""


@runtime_checkable
class CaseStore(IssueStore, OutboxStore, AuditLog, Transactional, Protocol):
    """What working a matter touches: the issue, its history, the e-mails about it and the audit log."""


@runtime_checkable
class ReportStore(DashboardQueries, DigestQueries, IssueStore, PostStore, AnalysisStore, OutboxStore, StateStore, TriageStore,
                  Protocol):
    """What the weekly digest and the monthly report read (and the outbox they are queued in)."""
