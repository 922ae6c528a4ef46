"""SQLite storage for dashboard users and sessions. Mixed into :class:`yuqing.storage.sqlite.SqliteStore`."""

from __future__ import annotations


class UsersMixin:
    pass
