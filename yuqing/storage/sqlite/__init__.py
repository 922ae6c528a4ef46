"""The SQLite backend (the default), laid out like :mod:`..elasticsearch`: :mod:`.store` (the store, its
connection and transactions: the IO), :mod:`.sql` (SQL built from queries) and :mod:`.rows` (values ↔
rows, the epoch↔datetime conversion) — both pure —, and the mixins :mod:`.casework`, :mod:`.aggregates`,
:mod:`.digest`, :mod:`.users`. Migrations are in ``yuqing/storage/migrations/``."""

from .store import SqliteStore

__all__ = ["SqliteStore"]
