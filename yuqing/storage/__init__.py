"""Storage: one interface (:class:`Store`), SQLite by default, Elasticsearch for scale."""

from __future__ import annotations

from ..config import Config
from .base import AddResult, FullStore, PostQuery, Store

__all__ = ["AddResult", "FullStore", "PostQuery", "Store", "open_store"]


def open_store(config: Config, *, sync: bool = True) -> FullStore:
    """Open the configured store and (by default) bring units and sources in line with the config."""
    if config.storage.backend == "elasticsearch":
        from .elasticsearch.store import ElasticsearchStore

        store = ElasticsearchStore.open(config.es)
    else:
        from .sqlite import SqliteStore

        store = SqliteStore(config.db_path)
    if sync:
        store.sync_config(config.units, config.sources)
    return store
