"""Which configured source a chat, official account or forum belongs to.

A chat is matched through each source's ``match`` list (chat room ids, chat names, account
names, forum base URLs). A chat nobody configured becomes a new source with status
``pending`` and no unit, under a stable id derived from the chat id, until staff assign it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ..schema import Source, SourceKind
from ..storage.base import Store

_PREFIX = {SourceKind.WECHAT_GROUP: "wx", SourceKind.WECHAT_ARTICLE: "mp", SourceKind.WECHAT_COMMENT: "mp",
           SourceKind.FORUM: "forum", SourceKind.RSS: "rss"}


def pending_source_id(chat_id: str, kind: SourceKind) -> str:
    """The stable id of an auto-created source: same chat id → same source id, always."""
    digest = hashlib.sha1(chat_id.encode("utf-8")).hexdigest()[:12]
    return f"{_PREFIX.get(SourceKind(kind), 'src')}-auto-{digest}"


def match_source(sources: Iterable[Source], keys: Iterable[str]) -> Source | None:
    """The first non-disabled source whose id or ``match`` list contains one of ``keys``.
    A URL key also matches a source whose ``url`` or a URL in ``match`` is a prefix of it."""
    keys = [k for k in keys if k]
    for s in sources:
        if s.status == "disabled":
            continue
        for k in keys:
            if k == s.id or k in s.match:
                return s
            if k.startswith(("http://", "https://", "file://")):
                prefixes = [s.url, *[m for m in s.match if m.startswith(("http://", "https://", "file://"))]]
                if any(p and k.startswith(p) for p in prefixes):
                    return s
    return None


def pending_source(chat_id: str, chat_name: str, kind: SourceKind) -> Source:
    """A new source for a chat/account no configured source matches: pending, no unit."""
    match = [m for m in dict.fromkeys((chat_id, chat_name)) if m]
    return Source(id=pending_source_id(chat_id or chat_name, kind), name=chat_name or chat_id, kind=kind,
                  match=match, status="pending")


class SourceResolver:
    """Resolves identities to source ids against the store, creating pending sources as needed."""

    def __init__(self, store: Store):
        self.store = store
        self.sources = store.list_sources()
        self._cache: dict[tuple[str, str, str], str] = {}

    def resolve(self, chat_id: str, chat_name: str, kind: SourceKind) -> str:
        key = (chat_id, chat_name, str(kind))
        sid = self._cache.get(key)
        if sid is None:
            found = match_source(self.sources, (chat_id, chat_name))
            if found is None:
                found = pending_source(chat_id, chat_name, kind)
                if self.store.get_source(found.id) is None:
                    self.store.upsert_source(found)
                self.sources.append(found)
            sid = self._cache[key] = found.id
        return sid
