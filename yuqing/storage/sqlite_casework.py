"""SQLite storage for casework: issues and their posts and history, the e-mail outbox, users
and the audit log. Mixed into :class:`yuqing.storage.sqlite.SqliteStore` (uses its ``tx``/``q``)."""

from __future__ import annotations


class CaseworkMixin:
    pass
