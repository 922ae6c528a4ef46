"""SQLite queries only the digests need (period comparisons, issue outcomes, method usage).
Mixed into :class:`yuqing.storage.sqlite.SqliteStore`."""

from __future__ import annotations


class DigestMixin:
    pass
