"""Small helpers the chat parsers share: times, CSV rows, chat identity from an export path."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone, tzinfo
from pathlib import PurePath

from ...schema import Post, QuarantineRecord, SourceKind
from .records import ChatRecord, ParseContext
from .wxmsg import Message

csv.field_size_limit(1 << 24)

#: The id of a parsed post whose source is not known yet (the importer sets the real one; with a
#: native id there is no point hashing a placeholder id for every message of a big export).
UNSET_ID = "p_unset"

_LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
_NAME_WITH_ID = re.compile(r"^(?P<name>.+)\((?P<id>[^()]+)\)$")


class BadTime(ValueError):
    """A time that cannot be read (quarantined with the row)."""


def from_unix(value: str | int | float) -> datetime:
    try:
        secs = float(value)
    except (TypeError, ValueError):
        raise BadTime(f"时间无效：{str(value)[:40]!r}") from None
    if not 946684800 <= secs <= 4102444800:  # 2000-01-01 … 2100-01-01
        raise BadTime(f"时间超出范围：{str(value)[:40]!r}")
    return datetime.fromtimestamp(secs, tz=timezone.utc)


def from_local(value: str, tz: tzinfo) -> datetime:
    """A ``%Y-%m-%d %H:%M[:%S]`` local time (zero padding optional) in ``tz``."""
    s = (value or "").strip()
    for fmt in _LOCAL_FORMATS:
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    try:
        d = datetime.fromisoformat(s)
    except ValueError:
        raise BadTime(f"时间无效：{s[:40]!r}") from None
    return d if d.tzinfo else d.replace(tzinfo=tz)


def chat_from_path(origin: str) -> tuple[str, str]:
    """(chat id, chat name) from an export path such as ``聊天记录/班组群(123@chatroom)/班组群.csv``
    or ``聊天记录/班组群/班组群_utf8.csv``; the name doubles as the id when no id is in the path."""
    p = PurePath(origin)
    m = _NAME_WITH_ID.match(p.parent.name)
    if m:
        return m["id"], m["name"]
    stem = re.sub(r"_utf8$", "", p.stem)
    return stem, stem


def csv_rows(lines: Iterable[str], ctx: ParseContext, expected: list[str]) -> Iterator[tuple[int, dict | QuarantineRecord]]:
    """CSV rows as dicts keyed by the header; a row with the wrong number of fields becomes a
    :class:`QuarantineRecord`. Yields ``(line number, row)``."""
    reader = csv.reader(lines)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        return
    missing = [h for h in expected if h not in header]
    if missing:
        yield 1, QuarantineRecord(ctx.origin, "第 1 行", f"表头缺少列：{', '.join(missing)}")
        return
    width = len(header)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, QuarantineRecord(ctx.origin, f"第 {reader.line_num} 行", f"CSV 格式错误：{exc}")
            continue
        if not row:
            continue
        if len(row) != width:
            yield reader.line_num, QuarantineRecord(
                ctx.origin, f"第 {reader.line_num} 行", f"列数不对：应为 {width} 列，实际 {len(row)} 列（文件可能不完整）",
                raw=",".join(row)[:2000])
            continue
        yield reader.line_num, dict(zip(header, row))


def chat_record(msg: Message, *, created_at: datetime, author: str, author_id: str, native_id: str,
                chat_id: str, chat_name: str, is_self: bool = False, url: str = "") -> ChatRecord:
    """The record for one kept chat message (text, link card, quoted reply or group notice)."""
    extra: dict = {}
    if msg.kind == "quote":
        extra["quote"] = {"name": msg.quote_name, "text": msg.quote_text}
    elif msg.kind == "link":
        extra["link"] = True
    if is_self:
        extra["is_self"] = True
    post = Post(source_id="", source_kind=SourceKind.WECHAT_GROUP, text=msg.text, created_at=created_at,
                author=author, author_id=author_id, native_id=native_id or None, thread_id=chat_id,
                url=msg.url or url, extra=extra, id=UNSET_ID if native_id else "")
    return ChatRecord(post=post, chat_id=chat_id, chat_name=chat_name, key_text=msg.title if msg.kind == "link" else "")
