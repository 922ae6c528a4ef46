"""MemoTrace (留痕 / WeChatMsg) exports: CSV (UTF-8 with BOM, newest first) and TXT (HTML and Word:
:mod:`.memotrace_html`, :mod:`.memotrace_docx`).

CSV header ``localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,
NickName,Sender``; CreateTime is Unix seconds. The chat comes from the export folder
(``<备注>(<wxid>)/<备注>.csv`` or ``<备注>/<备注>_utf8.csv``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_from_path, chat_record, csv_rows, from_local, from_unix
from .records import ParseContext, Record, Skipped
from .wxmsg import Message, typed_message

CSV_HEADER = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent",
              "StrTime", "Remark", "NickName", "Sender"]


def parse_csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    """Records of a MemoTrace CSV given as text lines (streamed)."""
    return _csv(lines, ctx)


def _csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    chat_id, chat_name = chat_from_path(ctx.origin)
    for line_no, row in csv_rows(lines, ctx, CSV_HEADER):
        if isinstance(row, QuarantineRecord):
            yield row
            continue
        try:
            type_code = int(row["Type"])
            sub_type = int(row["SubType"] or 0)
        except ValueError:
            yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", f"消息类型无效：{row['Type'][:20]!r}")
            continue
        msg = typed_message(type_code, sub_type, row["StrContent"])
        if msg.skip:
            yield Skipped(msg.skip)
            continue
        if not msg.text:
            yield Skipped("空消息")
            continue
        try:
            created = from_unix(row["CreateTime"]) if row["CreateTime"] else from_local(row["StrTime"], ctx.tz)
        except BadTime as exc:
            try:
                created = from_local(row["StrTime"], ctx.tz)
            except BadTime:
                yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", str(exc), raw=row["StrContent"][:2000])
                continue
        is_self = row["IsSender"] == "1"
        author = row["Remark"] or row["NickName"] or row["Sender"] or ("我" if is_self else "")
        yield chat_record(msg, created_at=created, author=author, author_id=row["Sender"],
                          native_id=row["localId"], chat_id=chat_id, chat_name=chat_name, is_self=is_self)


# --- TXT: "{StrTime} {name}\n{content}\n\n" blocks ----------------------------------------------
_TXT_HEAD = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?: (.*))?$")
_TXT_MEDIA = {"[图片]": "图片", "[语音]": "语音", "[视频]": "视频", "[表情包]": "表情", "[文件]": "文件"}
_TXT_LINK = re.compile(r"^\[链接\]:title:(.*?)(?:\s+url:(\S*))?$", re.S)
_TXT_QUOTE = re.compile(r"^(.*)\n引用:([^:\n]*):(.*)$", re.S)


def parse_txt(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    """Records of a MemoTrace TXT export (a system message is a header line with no body)."""
    return _txt(lines, ctx)


def _txt(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    chat_id, chat_name = chat_from_path(ctx.origin)
    block: list[str] = []
    start = 0
    n = 0
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        m = _TXT_HEAD.match(line)
        if m and (not block or block[-1] == "" or len(block) == 1):
            if block:
                yield from _txt_block(block, start, ctx, chat_id, chat_name)
            block, start = [line], n
        else:
            if not block:
                if line.strip():
                    yield QuarantineRecord(ctx.origin, f"第 {n} 行", "找不到消息的时间和发送人行", raw=line[:2000])
                continue
            block.append(line)
    if block:
        yield from _txt_block(block, start, ctx, chat_id, chat_name)


def _txt_block(block: list[str], line_no: int, ctx: ParseContext, chat_id: str, chat_name: str) -> Iterator[Record]:
    m = _TXT_HEAD.match(block[0])
    when, name = m[1], (m[2] or "").strip()
    body = "\n".join(block[1:]).strip("\n")
    if not body:
        yield Skipped("系统消息")
        return
    try:
        created = from_local(when, ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", str(exc), raw=body[:2000])
        return
    if body in _TXT_MEDIA:
        yield Skipped(_TXT_MEDIA[body])
        return
    msg = Message(text=clean_text(body))
    if lm := _TXT_LINK.match(body):
        msg = Message(text=clean_text(lm[1]), kind="link", url=lm[2] or "")
    elif qm := _TXT_QUOTE.match(body):
        msg = Message(text=clean_text(qm[1]), kind="quote", quote_name=qm[2], quote_text=clean_text(qm[3]))
    if not msg.text:
        yield Skipped("空消息")
        return
    yield chat_record(msg, created_at=created, author=name, author_id="", native_id="",
                      chat_id=chat_id, chat_name=chat_name)
