"""What a parser yields: a chat/account record, a quarantined record, or a skipped message.

Parsers are pure: they get text (or bytes) and a :class:`ParseContext`, and yield these
records. The importer turns a :class:`ChatRecord` into a stored post once it knows the
source (a record's :class:`~yuqing.schema.Post` has no final ``source_id`` yet).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from zoneinfo import ZoneInfo

from ...schema import Post, QuarantineRecord, SourceKind, content_hash

__all__ = ["ChatRecord", "ParseContext", "QuarantineRecord", "QuoteResolver", "Record", "Skipped"]


@dataclass(slots=True)
class ParseContext:
    """What a parser may know besides the content: where it came from and the local zone."""

    origin: str = ""  # file path or URL, for quarantine records and the chat name fallback
    tz: tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    #: wxid → display name, from a PyWxDump ``users.json`` beside the export.
    users: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ChatRecord:
    """One post plus the identity of the chat, account or forum it belongs to.

    ``post.source_id`` is a placeholder; ``parent_native`` is the quoted/replied-to record's
    native id (the importer turns it into ``post.parent_id`` once the source is known).
    """

    post: Post
    chat_id: str
    chat_name: str
    kind: SourceKind = SourceKind.WECHAT_GROUP
    parent_native: str = ""


@dataclass(slots=True, frozen=True)
class Skipped:
    """A media placeholder or system message that was deliberately not imported."""

    kind: str  # 图片, 语音, 系统消息 …


Record = ChatRecord | QuarantineRecord | Skipped


def _quote_key(chat_id: str, text: str) -> tuple[str, str]:
    return chat_id, content_hash(text)


class QuoteResolver:
    """Links quoted replies to the quoted message, whatever the row order.

    A reply whose quoted message has not been seen yet waits (at most ``max_pending`` of them)
    until that message turns up — exports list rows newest first, so the quoted message usually
    comes later. Memory stays bounded by ``max_seen`` + ``max_pending``.
    """

    def __init__(self, max_seen: int = 200_000, max_pending: int = 5_000):
        self.seen: OrderedDict[tuple[str, str], str] = OrderedDict()
        self.pending: OrderedDict[int, tuple[tuple[str, str], ChatRecord]] = OrderedDict()
        self.by_key: dict[tuple[str, str], list[int]] = {}
        self.max_seen = max_seen
        self.max_pending = max_pending
        self._n = 0

    def feed(self, rec: ChatRecord) -> Iterator[ChatRecord]:
        """Register ``rec`` and yield every record that is ready (possibly ``rec`` itself)."""
        held = 0
        quote = rec.post.extra.get("quote")
        if quote and quote.get("text"):
            key = _quote_key(rec.chat_id, quote["text"])
            parent = self.seen.get(key)
            if parent is not None:
                rec.parent_native = parent
            else:
                self._n += 1
                held = self._n
                self.pending[held] = (key, rec)
                self.by_key.setdefault(key, []).append(held)
                if len(self.pending) > self.max_pending:
                    _, (old_key, old) = self.pending.popitem(last=False)
                    self._drop(old_key)
                    yield old
        native = rec.post.native_id
        if native:
            key = (rec.chat_id, rec.post.content_hash)
            self.seen[key] = native
            if len(self.seen) > self.max_seen:
                self.seen.popitem(last=False)
            waiting = [n for n in self.by_key.get(key, ()) if n != held]
            for n in waiting:
                self._drop_id(key, n)
                _, reply = self.pending.pop(n)
                reply.parent_native = native
                yield reply
        if not held:
            yield rec

    def _drop(self, key: tuple[str, str]) -> None:
        ids = self.by_key.get(key)
        if ids:
            ids.pop(0)
            if not ids:
                del self.by_key[key]

    def _drop_id(self, key: tuple[str, str], n: int) -> None:
        ids = self.by_key[key]
        ids.remove(n)
        if not ids:
            del self.by_key[key]

    def flush(self) -> Iterator[ChatRecord]:
        """The replies whose quoted message never turned up (kept without a parent)."""
        for _, rec in self.pending.values():
            yield rec
        self.pending.clear()
        self.by_key.clear()


def resolve_quotes(records: Iterable[Record]) -> Iterator[Record]:
    """Pass records through a :class:`QuoteResolver` (non-chat records go straight through)."""
    resolver = QuoteResolver()
    for r in records:
        if isinstance(r, ChatRecord):
            yield from resolver.feed(r)
        else:
            yield r
    yield from resolver.flush()
