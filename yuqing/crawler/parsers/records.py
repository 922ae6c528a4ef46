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

__all__ = ["SKIP_KINDS", "ChatRecord", "ParseContext", "QuarantineRecord", "QuoteResolver", "Record", "Skipped",
           "assign_message_keys", "message_key"]

#: The kinds a skipped message is counted under, in every format (import reports and the ledger
#: count skips by these names). A parser maps its own placeholders onto them.
SKIP_KINDS = (
    "图片", "语音", "视频", "表情", "文件", "位置", "名片", "通话", "红包", "转账", "链接",  # media and payments
    "合并转发", "小程序", "视频号", "音乐", "群公告", "拍一拍", "撤回", "系统消息",  # app messages and system lines
    "引用",  # a quoted reply whose text the export does not hold (MemoTrace CSV: WeChat keeps it compressed)
    "空消息", "已删除文章", "空留言", "其他",
)


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
    #: The text that identifies the message across exporters (a link card's title; else the text);
    #: empty means ``post.text``. See :func:`message_key`.
    key_text: str = ""
    #: A chat message's key (set by :func:`assign_message_keys`): the stored id is derived from
    #: it, so the same message exported by any tool, in any period or encoding, is stored once.
    msg_key: str = ""
    #: Seconds the time may be early by, for an export that dates messages only to a window
    #: (MemoTrace Word: the 5-minute header above them); 0 for an exact time. The importer then
    #: looks the message up in the store instead of trusting the key alone.
    time_window: int = 0


@dataclass(slots=True, frozen=True)
class Skipped:
    """A media placeholder or system message that was deliberately not imported."""

    kind: str  # one of SKIP_KINDS: 图片, 语音, 系统消息 …

    def __post_init__(self) -> None:
        if self.kind not in SKIP_KINDS:
            raise ValueError(f"unknown skip kind {self.kind!r} (add it to SKIP_KINDS)")


Record = ChatRecord | QuarantineRecord | Skipped


def message_key(created_at_epoch: int, text_hash: str, occurrence: int = 0) -> str:
    """The identity of a chat message within its chat: the second it was sent, the hash of its text
    folded (:func:`~yuqing.schema.content_hash`) and, for the same text sent in the same second (two
    people answering 「收到」), its occurrence number. Every exporter gives these three the same,
    whatever its own message ids, file names or encoding."""
    return f"m:{created_at_epoch}:{text_hash[:20]}:{occurrence}"


def assign_message_keys(records: Iterable[Record], window: int = 4096) -> Iterator[Record]:
    """Give each group-chat record its :attr:`ChatRecord.msg_key` (other records pass through).

    The occurrence number counts records with the same chat, second and text; exports are in
    time order (either way), so only a bounded window of recent keys is remembered.
    """
    counts: OrderedDict[tuple[str, int, str], int] = OrderedDict()
    for r in records:
        if isinstance(r, ChatRecord) and r.kind == SourceKind.WECHAT_GROUP and not r.msg_key:
            second = int(r.post.created_at.timestamp())
            h = content_hash(r.key_text) if r.key_text else r.post.content_hash
            k = (r.chat_id, second, h)
            n = counts.pop(k, 0)
            counts[k] = n + 1
            if len(counts) > window:
                counts.popitem(last=False)
            r.msg_key = message_key(second, h, n)
        yield r


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
        if quote and quote.get("text") and not rec.parent_native:
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
        native = rec.msg_key or rec.post.native_id
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
    for r in assign_message_keys(records):
        if isinstance(r, ChatRecord):
            yield from resolver.feed(r)
        else:
            yield r
    yield from resolver.flush()
