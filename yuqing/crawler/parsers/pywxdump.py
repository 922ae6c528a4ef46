"""PyWxDump exports: CSV (no BOM, 5,000 rows a file), JSON lists, and the HTML export's ``data.js``.

Fields ``id, MsgSvrID, type_name, is_sender, talker, room_name, msg, src, CreateTime``;
CreateTime is a local ``%Y-%m-%d %H:%M:%S`` string; ``room_name`` is the chat id. Sender
names come from ``users.json`` (wxid → remark/nickname) when the importer finds one beside the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_record, csv_rows, from_local, from_unix
from .records import SKIP_KINDS, ParseContext, Record, Skipped
from .wxmsg import Message

CSV_HEADER = ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "CreateTime"]

_TEXT = {"文本"}
_QUOTE = {"引用回复"}
_LINK = {"(分享)卡片式链接", "卡片式链接", "分享链接"}
_NOTICE = {"群公告"}
_SYSTEM = {"系统通知", "拍一拍", "邀请加群", "撤回消息", "系统消息"}
#: PyWxDump's names for skipped kinds → the names the other exports use (one count per kind).
_SKIP_NAMES = {"动画表情": "表情", "表情包": "表情", "文件消息": "文件", "合并转发聊天记录": "合并转发", "语音通话": "通话",
               "视频通话": "通话", "音视频通话": "通话"}
_QUOTE_RE = re.compile(r"^(.*?)\n\n\[引用\]\((.*?)\)(.*?):(.*)$", re.S)
_DETAIL_LINK = re.compile(r"\n*<a href=[^>]*>点击查看详情</a>\s*$")


def users_map(data: object) -> dict[str, str]:
    """wxid → display name (remark, else nickname) from a parsed ``users.json`` / ``local_user_list``."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for wxid, u in data.items():
            if isinstance(u, dict):
                out[str(wxid)] = str(u.get("remark") or u.get("nickname") or u.get("account") or wxid)
    return out


def _message(type_name: str, msg: str) -> Message:
    if type_name in _TEXT:
        return Message(text=clean_text(msg))
    if type_name in _QUOTE:
        m = _QUOTE_RE.match(msg)
        if not m:
            return Message(text=clean_text(msg))
        return Message(text=clean_text(m[1]), kind="quote", quote_name=m[3].strip(), quote_text=clean_text(m[4]))
    if type_name in _LINK:
        return Message(text=clean_text(_DETAIL_LINK.sub("", msg)), kind="link")
    if type_name in _NOTICE:
        return Message(skip="群公告")
    if type_name in _SYSTEM:
        return Message(skip="系统消息")
    kind = _SKIP_NAMES.get(type_name, type_name)
    return Message(skip=kind if kind in SKIP_KINDS else "其他")


def _record(row: dict, where: str, ctx: ParseContext) -> Record:
    msg = _message(str(row.get("type_name", "")), str(row.get("msg") or ""))
    if msg.skip:
        return Skipped(msg.skip)
    if not msg.text:
        return Skipped("空消息")
    raw_time = row.get("CreateTime")
    try:
        created = from_unix(raw_time) if isinstance(raw_time, (int, float)) else from_local(str(raw_time), ctx.tz)
    except BadTime as exc:
        return QuarantineRecord(ctx.origin, where, str(exc), raw=msg.text[:2000])
    talker = str(row.get("talker") or "")
    is_self = str(row.get("is_sender")) == "1" or talker == "我"
    chat_id = str(row.get("room_name") or "")
    author = "我" if is_self and talker in ("", "我") else ctx.users.get(talker, talker)
    native = str(row.get("MsgSvrID") or "") or str(row.get("id") or "")
    src = str(row.get("src") or "")
    return chat_record(msg, created_at=created, author=author, author_id="" if talker == "我" else talker,
                       native_id=native, chat_id=chat_id, chat_name=ctx.users.get(chat_id, chat_id),
                       is_self=is_self, url=src if msg.kind == "link" else "")


def parse_csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    def gen():
        for line_no, row in csv_rows(lines, ctx, CSV_HEADER):
            yield row if isinstance(row, QuarantineRecord) else _record(row, f"第 {line_no} 行", ctx)
    return gen()


def _records(items: object, ctx: ParseContext, what: str) -> Iterator[Record]:
    if not isinstance(items, list):
        yield QuarantineRecord(ctx.origin, "整个文件", f"{what}应是消息列表")
        return
    for i, row in enumerate(items, 1):
        if not isinstance(row, dict):
            yield QuarantineRecord(ctx.origin, f"第 {i} 条消息", "不是一条消息（应为 JSON 对象）", raw=str(row)[:2000])
            continue
        yield _record(row, f"第 {i} 条消息", ctx)


def parse_json(data: object, ctx: ParseContext) -> Iterator[Record]:
    """Records of a PyWxDump JSON export (already parsed)."""
    return _records(data, ctx, "PyWxDump JSON ")


_JS_VAR = re.compile(r"const\s+(local_msg_list|local_user_list)\s*=\s*")


def parse_datajs(text: str, ctx: ParseContext) -> Iterator[Record]:
    """Records of the HTML export's ``data.js`` (``const local_msg_list = [...]``)."""
    found: dict[str, object] = {}
    decoder = json.JSONDecoder()
    for m in _JS_VAR.finditer(text):
        try:
            found[m[1]], _ = decoder.raw_decode(text, m.end())
        except json.JSONDecodeError as exc:
            return iter([QuarantineRecord(ctx.origin, f"字符 {exc.pos}", f"data.js 中 {m[1]} 无法解析（文件可能不完整）：{exc.msg}")])
    if "local_msg_list" not in found:
        return iter([QuarantineRecord(ctx.origin, "整个文件", "data.js 中找不到 local_msg_list")])
    if "local_user_list" in found:
        ctx.users = {**users_map(found["local_user_list"]), **ctx.users}
    return _records(found["local_msg_list"], ctx, "local_msg_list ")
