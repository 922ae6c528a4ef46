"""chatlog (WeChat 4.x) exports from ``/api/v1/chatlog``: CSV and JSON.

CSV ``Time,SenderName,Sender,TalkerName,Talker,Content`` (no BOM); JSON fields ``seq, time
(RFC 3339), talker, talkerName, isChatRoom, sender, senderName, isSelf, type, subType, content``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_record, csv_rows, from_local
from .records import ParseContext, Record, Skipped
from .wxmsg import MEDIA_TYPES, Message

CSV_HEADER = ["Time", "SenderName", "Sender", "TalkerName", "Talker", "Content"]
_PLACEHOLDERS = {"[图片]": "图片", "[语音]": "语音", "[视频]": "视频", "[动画表情]": "表情", "[表情]": "表情",
                 "[文件]": "文件", "[位置]": "位置"}
_APP_KEEP = {5: "link", 57: "quote"}


def parse_csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    for line_no, row in csv_rows(lines, ctx, CSV_HEADER):
        if isinstance(row, QuarantineRecord):
            yield row
            continue
        content = row["Content"].strip()
        if content in _PLACEHOLDERS:
            yield Skipped(_PLACEHOLDERS[content])
            continue
        text = clean_text(content)
        if not text:
            yield Skipped("空消息")
            continue
        try:
            created = from_local(row["Time"], ctx.tz)
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", str(exc), raw=text[:2000])
            continue
        yield chat_record(Message(text=text), created_at=created, author=row["SenderName"] or row["Sender"],
                          author_id=row["Sender"], native_id="", chat_id=row["Talker"],
                          chat_name=row["TalkerName"] or row["Talker"])


def _json(items: object, ctx: ParseContext) -> Iterator[Record]:
    if not isinstance(items, list):
        yield QuarantineRecord(ctx.origin, "整个文件", "chatlog JSON 应是消息列表")
        return
    for i, m in enumerate(items, 1):
        where = f"第 {i} 条消息"
        if not isinstance(m, dict):
            yield QuarantineRecord(ctx.origin, where, "不是一条消息（应为 JSON 对象）")
            continue
        try:
            type_code, sub = int(m.get("type") or 1), int(m.get("subType") or 0)
        except (TypeError, ValueError):
            yield QuarantineRecord(ctx.origin, where, f"消息类型无效：{str(m.get('type'))[:20]!r}")
            continue
        if type_code != 1 and not (type_code == 49 and sub in _APP_KEEP):
            yield Skipped(MEDIA_TYPES.get(type_code, "其他"))
            continue
        text = clean_text(str(m.get("content") or ""))
        if not text:
            yield Skipped("空消息")
            continue
        try:
            created = from_local(str(m.get("time", "")), ctx.tz)
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, where, str(exc), raw=text[:2000])
            continue
        kind = _APP_KEEP.get(sub, "text") if type_code == 49 else "text"
        msg = Message(text=text, kind=kind if kind != "quote" else "text")
        talker = str(m.get("talker") or "")
        yield chat_record(msg, created_at=created, author=str(m.get("senderName") or m.get("sender") or ""),
                          author_id=str(m.get("sender") or ""), native_id=str(m.get("seq") or ""), chat_id=talker,
                          chat_name=str(m.get("talkerName") or talker), is_self=bool(m.get("isSelf")))


def parse_json(data: object, ctx: ParseContext) -> Iterator[Record]:
    return _json(data, ctx)
