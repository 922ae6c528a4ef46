"""SQLite aggregations for the dashboard and the digests (volume, sentiment and topic mixes by
day, unit and source kind). Mixed into :class:`yuqing.storage.sqlite.SqliteStore`."""

from __future__ import annotations


class AggregatesMixin:
    pass
