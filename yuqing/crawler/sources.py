"""Which configured source a chat, official account or forum belongs to.

A chat is matched through each source's ``match`` list (chat room ids, chat names, account
names, forum base URLs). A chat that matches no source by name or id may still be a chat the
store already holds, exported by another tool (which names the chat differently) or renamed on
disk: :class:`ChatBinder` looks its first messages up in the store (same second, same text, and the
same sender where both exports name one) and, when most of them are there in one source, files
the chat under that source and remembers the new name as an alias. Only a chat nobody knows
becomes a new source with status ``pending`` and no unit, under a stable id derived from the chat
id, until staff assign it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..schema import Source, SourceKind, SourceStatus, content_hash
from ..storage.base import StoredMessage
from .parsers.records import ChatRecord

if TYPE_CHECKING:
    from ..storage.protocols import ImportStore

_PREFIX = {SourceKind.WECHAT_GROUP: "wx", SourceKind.WECHAT_ARTICLE: "mp", SourceKind.WECHAT_COMMENT: "mp",
           SourceKind.FORUM: "forum", SourceKind.RSS: "rss"}

#: How many of an unknown chat's messages are looked up before deciding where it belongs.
SAMPLE = 50
#: The widest window an export dates messages to (MemoTrace Word: the 5-minute header above them):
#: a stored copy of a message may be up to this many seconds earlier than its exact time.
WINDOW = 300


def pending_source_id(chat_id: str, kind: SourceKind) -> str:
    """The stable id of an auto-created source: same chat id → same source id, always."""
    digest = hashlib.sha1(chat_id.encode("utf-8")).hexdigest()[:12]
    return f"{_PREFIX.get(SourceKind(kind), 'src')}-auto-{digest}"


def match_source(sources: Iterable[Source], keys: Iterable[str]) -> Source | None:
    """The first non-disabled source whose id or ``match`` list contains one of ``keys``.
    A URL key also matches a source whose ``url`` or a URL in ``match`` is a prefix of it."""
    keys = [k for k in keys if k]
    for s in sources:
        if s.status == SourceStatus.DISABLED:
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
                  match=match, status=SourceStatus.PENDING)


#: One looked-up message: (sent at, content hash of its text, sender id or "", seconds the time may be
#: early by: 0 for an exact time, 300 for MemoTrace Word's 5-minute windows).
Probe = tuple[datetime, str, str, int]


def probe_of(rec: ChatRecord) -> Probe | None:
    """What identifies a record across exporters, or None for one no other tool writes the same
    way (a link card: tools differ in whether they keep its description)."""
    if rec.key_text:
        return None
    return rec.post.created_at, content_hash(rec.post.text), rec.post.author_id, rec.time_window


def _same_sender(a: str, b: str) -> bool:
    return not a or not b or a == b


def overlap_choice(sample: Sequence[Probe], found: Iterable[StoredMessage]) -> str | None:
    """The source most of ``sample`` is already stored in, or None.

    ``found`` holds the stored messages near the sample's times with their texts. A probe counts
    for a source when the text agrees, the time does (within the probe's window, or stored up to
    :data:`WINDOW` early: a copy from an export that dates messages to windows) and, where both
    name a sender id, the sender too. The winner must hold at least half
    of the sample (and two probes, unless the sample is a single message), and no other source
    as many: one broadcast notice pasted into every group at the same second is not enough.
    """
    if not sample:
        return None
    by_hash: dict[str, list[StoredMessage]] = {}
    for m in found:
        by_hash.setdefault(m.content_hash, []).append(m)
    votes: Counter[str] = Counter()
    for at, h, author_id, window in sample:
        votes.update({m.source_id for m in by_hash.get(h, ())
                      if -max(window, WINDOW) <= (m.created_at - at).total_seconds() <= window
                      and _same_sender(author_id, m.author_id)})
    if not votes:
        return None
    ranked = votes.most_common(2)
    best, n = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == n:
        return None
    if n * 2 < len(sample) or (n < 2 and len(sample) > 1):
        return None
    return best


def same_message(rec: ChatRecord, candidates: Iterable[StoredMessage], claimed: set[str], *, window: int,
                 early_only: bool = False) -> StoredMessage | None:
    """The stored message a record is when one of the two is dated only to a window of ``window``
    seconds: same text and sender, within the window (``early_only``: the stored one at most that
    much *before* the record — an exact record meeting a window-dated copy), not already claimed by
    another record of the file; the closest in time wins."""
    at, h, author_id = rec.post.created_at, content_hash(rec.post.text), rec.post.author_id

    def near(m: StoredMessage) -> bool:
        d = (m.created_at - at).total_seconds()
        return -window <= d <= (0 if early_only else window)

    fits = [m for m in candidates if m.content_hash == h and m.post_id not in claimed and near(m)
            and _same_sender(author_id, m.author_id)]
    return min(fits, key=lambda m: (abs((m.created_at - at).total_seconds()), m.post_id), default=None)


class SourceResolver:
    """Resolves identities to source ids against the store, creating pending sources as needed."""

    def __init__(self, store: ImportStore):
        self.store = store
        self.sources = store.list_sources()
        self._cache: dict[tuple[str, str, str], str] = {}

    def lookup(self, chat_id: str, chat_name: str, kind: SourceKind) -> str | None:
        """The source a chat's id or name names, or None."""
        key = (chat_id, chat_name, str(kind))
        sid = self._cache.get(key)
        if sid is None:
            found = match_source(self.sources, (chat_id, chat_name))
            if found is None:
                return None
            sid = self._cache[key] = found.id
        return sid

    def resolve(self, chat_id: str, chat_name: str, kind: SourceKind) -> str:
        """The source of a chat by its id or name, a new pending source if none matches."""
        sid = self.lookup(chat_id, chat_name, kind)
        if sid is None:
            found = pending_source(chat_id, chat_name, kind)
            existing = self.store.get_source(found.id)
            if existing is None:
                self.store.upsert_source(found)
            self.sources.append(existing or found)
            sid = self._cache[(chat_id, chat_name, str(kind))] = found.id
        return sid

    def alias(self, source_id: str, chat_id: str, chat_name: str, kind: SourceKind) -> str:
        """Remember ``chat_id`` as another name of ``source_id`` (an export by another tool)."""
        for i, s in enumerate(self.sources):
            if s.id == source_id:
                if chat_id and chat_id not in s.match:
                    s = replace(s, match=[*s.match, chat_id])
                    self.store.upsert_source(s)
                    self.sources[i] = s
                break
        self._cache[(chat_id, chat_name, str(kind))] = source_id
        return source_id


class ChatBinder:
    """Gives each chat record of one file its source, recognising chats the store already holds.

    A record whose chat is known by id or name passes straight through. The records of an unknown
    group chat wait (at most :data:`SAMPLE` of them) until their messages can be looked up in the
    store (:func:`overlap_choice`); then they go out with the source found, or a new pending one.
    """

    def __init__(self, resolver: SourceResolver):
        self.resolver = resolver
        self.waiting: dict[tuple[str, str, SourceKind], list[ChatRecord]] = {}

    def feed(self, rec: ChatRecord) -> Iterator[tuple[ChatRecord, str]]:
        key = (rec.chat_id, rec.chat_name, rec.kind)
        sid = self.resolver.lookup(*key)
        if sid is not None:
            yield rec, sid
            return
        if rec.kind != SourceKind.WECHAT_GROUP:
            yield rec, self.resolver.resolve(*key)
            return
        held = self.waiting.setdefault(key, [])
        held.append(rec)
        if len(held) >= SAMPLE:
            yield from self._decide(key)

    def flush(self) -> Iterator[tuple[ChatRecord, str]]:
        """The records still waiting (call at the end of the file)."""
        for key in list(self.waiting):
            yield from self._decide(key)

    def _decide(self, key: tuple[str, str, SourceKind]) -> Iterator[tuple[ChatRecord, str]]:
        held = self.waiting.pop(key)
        sample = [p for p in map(probe_of, held) if p is not None]
        slack = timedelta(seconds=max(WINDOW, *(p[3] for p in sample)))
        found = self.resolver.store.find_messages([(at, h) for at, h, _, _ in sample], slack=slack) if sample else []
        sid = overlap_choice(sample, found)
        sid = self.resolver.alias(sid, *key) if sid else self.resolver.resolve(*key)
        for rec in held:
            yield rec, sid
