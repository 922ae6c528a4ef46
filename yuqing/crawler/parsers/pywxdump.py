"""PyWxDump exports, 3.0.x and 3.1.x: CSV pages, JSON lists and the HTML export's ``data.js``.

Every version writes one dict per message (see ``docs/formats.md``, PyWxDump):

* 3.0.x: ``id, MsgSvrID, type_name, is_sender, talker, room_name, content, CreateTime`` where
  ``content`` is ``{"src", "msg"}`` (a JSON string in the CSV);
* 3.1.x: ``id, MsgSvrID, type_name, is_sender, talker, room_name, msg, src, extra, CreateTime``
  (no ``extra`` in the CSV).

``CreateTime`` is a local ``%Y-%m-%d %H:%M:%S``; ``room_name`` is the chat's id; ``talker`` the
sender's wxid (``我`` for the account itself before 3.1.20, its wxid since). Names come from
``users.json`` beside the file (3.1.20+) or ``local_user_list`` in ``data.js``: remark, else nickname.
``type_name`` is PyWxDump's name of the WeChat type; ``msg`` a rendering of the message: quoted
replies as ``text\\n\\n[引用](time)name:quoted``, link cards as ``title\\ndes\\n\\n`` + the URL or an
``<a href=…>点击查看详情</a>`` anchor, other app messages as their type name.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_record, csv_rows, from_local, from_unix
from .records import SKIP_KINDS, ParseContext, Record, Skipped
from .wxmsg import Message, link_message

#: The columns every PyWxDump CSV has; 3.1.x adds ``msg, src``, 3.0.x has ``content`` instead.
CSV_COLUMNS = ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "CreateTime"]

TEXT, QUOTE, LINK, UNKNOWN = "文本", "引用回复", "(分享)卡片式链接", "未知"
SELF = "我"

#: PyWxDump's type names (``type_converter``) of the messages that are not imported → skip kind.
SKIP_BY_TYPE_NAME = {
    "图片": "图片", "语音": "语音", "视频": "视频", "动画表情": "表情", "用户上传的GIF表情": "表情", "位置": "位置",
    "位置共享": "位置", "推荐公众号": "名片", "文件": "文件", "文件(猜)": "文件", "合并转发的聊天记录": "合并转发",
    "(分享)小程序": "小程序", "(分享)视频号视频": "视频号", "(分享)视频号名片": "视频号", "视频号直播或直播回放": "视频号",
    "视频号直播或直播回放等": "视频号", "(分享)音乐": "音乐", "群公告": "群公告", "转账": "转账", "赠送红包封面": "红包",
    "语音通话": "通话", "系统通知": "系统消息", "邀请加群": "系统消息", "添加好友": "系统消息", "拍一拍": "拍一拍",
    "企业微信打招呼(猜)": "系统消息", "企业微信添加好友(猜)": "系统消息",
}

_QUOTE = re.compile(r"\n\n\[引用\]\(([^)\n]*)\)([^\n]*?):(.*)\Z", re.S)
_XML_TITLE = re.compile(r"<title>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</title>", re.S)
_LINK_TAIL = re.compile(r"\n\n(?:<a href=\"?([^\"\s>]*)\"?[^>]*>点击查看详情</a>|(\S*))\s*\Z")


def users_map(data: object) -> dict[str, str]:
    """wxid → display name (remark, else nickname) from a parsed ``users.json`` / ``local_user_list``."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for wxid, u in data.items():
            if isinstance(u, dict):
                name = next((u[k] for k in ("remark", "nickname", "account") if isinstance(u.get(k), str) and u[k]), "")
                out[str(wxid)] = name or str(wxid)
    return out


def quote_message(msg: str) -> Message:
    """A quoted reply ``text\\n\\n[引用](time)name:quoted``; the quoted text names the quoted message
    (a quoted picture is ``图片`` since 3.1.6, a quoted reply or card its title; before 3.1.6, and
    for XML without a declaration, the stored XML: a picture becomes ``[图片]``, an app message its title)."""
    m = _QUOTE.search(msg)
    if m is None:
        return Message(text=clean_text(msg))
    quoted = m[3]
    if quoted.lstrip().startswith(("<?xml", "<msg")):  # the quoted message's XML, as stored
        title = _XML_TITLE.search(quoted)
        quoted = "[图片]" if "<img" in quoted else html.unescape(title[1]) if title else ""
    return Message(text=clean_text(msg[:m.start()]), kind="quote", quote_name=m[2].strip(),
                   quote_text=clean_text(quoted))


def link_card(msg: str, src: object = "", extra: object = None) -> Message:
    """A link card: from the card's ``appmsg`` in ``extra`` (JSON since 3.1.17), else from ``msg``
    (``title\\ndes\\n\\n`` + URL or anchor). Before 3.0.37 ``msg`` is only the type name: the card's
    text is lost and it is counted as a skipped 链接."""
    url = src if isinstance(src, str) else ""
    if isinstance(extra, dict) and isinstance(extra.get("title"), str) and extra["title"].strip():
        des = extra.get("des")
        if isinstance(extra.get("url"), str):
            url = extra["url"] or url
        return link_message(extra["title"], des if isinstance(des, str) else "", url)
    if msg.strip() in ("", LINK):
        return Message(skip="链接")
    body = msg
    m = _LINK_TAIL.search(msg)
    if m is not None:
        body, url = msg[:m.start()], m[1] or m[2] or url
    title, _, des = body.partition("\n")
    return link_message(title, "" if des.strip() == "{}" else des, url)  # {}: an empty <des/> in 3.1.x


def _unknown_kind(msg: str) -> str:
    """What a message PyWxDump calls 未知 was, when its stored content still says."""
    if 'type="revokemsg"' in msg:
        return "撤回"
    if 'type="pat"' in msg:
        return "拍一拍"
    return "其他"


def message(type_name: str, msg: str, src: object = "", extra: object = None) -> Message:
    """What one exported row says: text to keep or the kind it is skipped as."""
    if type_name == TEXT:
        return Message(text=clean_text(msg))
    if type_name == QUOTE:
        return quote_message(msg)
    if type_name == LINK:
        return link_card(msg, src, extra)
    if type_name == UNKNOWN:
        return Message(skip=_unknown_kind(msg))
    if type_name.startswith("消息撤回"):
        return Message(skip="撤回")
    kind = SKIP_BY_TYPE_NAME.get(type_name) or (type_name if type_name in SKIP_KINDS else "其他")
    if kind == "系统消息" and "撤回了一条消息" in msg:
        kind = "撤回"
    return Message(skip=kind)


def _fields(row: dict) -> tuple[str, object, object]:
    """``(msg, src, extra)`` of a row of either generation (3.0.x keeps msg and src in ``content``)."""
    if "msg" not in row and "content" in row:
        content = row["content"]
        if isinstance(content, str):
            content = json.loads(content)  # ValueError: the caller quarantines the row
        if not isinstance(content, dict):
            raise ValueError("content 不是对象")
        return str(content.get("msg") or ""), content.get("src") or "", None
    return str(row.get("msg") or ""), row.get("src") or "", row.get("extra")


def _record(row: dict, where: str, ctx: ParseContext) -> Record:
    try:
        text, src, extra = _fields(row)
    except ValueError:
        return QuarantineRecord(ctx.origin, where, "content 列无法解析（应为 JSON：{\"src\", \"msg\"}）",
                                raw=str(row.get("content"))[:2000])
    msg = message(str(row.get("type_name") or ""), text, src, extra)
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
    is_self = str(row.get("is_sender")) == "1" or talker == SELF
    if talker in ("", SELF):
        author, author_id = (SELF, "") if is_self else ("", "")
    else:
        author, author_id = ctx.users.get(talker, talker), talker
    chat_id = str(row.get("room_name") or "")
    native = str(row.get("MsgSvrID") or "") or str(row.get("id") or "")
    return chat_record(msg, created_at=created, author=author, author_id=author_id, native_id=native,
                       chat_id=chat_id, chat_name=ctx.users.get(chat_id, chat_id), is_self=is_self)


def parse_csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    """Records of one CSV page (3.0.x ``content`` column or 3.1.x ``msg, src`` columns)."""
    def gen():
        checked = False
        for line_no, row in csv_rows(lines, ctx, CSV_COLUMNS):
            if isinstance(row, QuarantineRecord):
                yield row
                continue
            if not checked:
                checked = True
                if "msg" not in row and "content" not in row:
                    yield QuarantineRecord(ctx.origin, "第 1 行", "表头缺少列：msg（3.0 版为 content）")
                    return
            yield _record(row, f"第 {line_no} 行", ctx)
    return gen()


def _records(items: object, ctx: ParseContext, what: str) -> Iterator[Record]:
    """``items``: a list, or the items of a JSON array as they are streamed from the file."""
    if isinstance(items, (dict, str)) or not isinstance(items, Iterable):
        yield QuarantineRecord(ctx.origin, "整个文件", f"{what}应是消息列表")
        return
    for i, row in enumerate(items, 1):
        if not isinstance(row, dict):
            yield QuarantineRecord(ctx.origin, f"第 {i} 条消息", "不是一条消息（应为 JSON 对象）", raw=str(row)[:2000])
            continue
        yield _record(row, f"第 {i} 条消息", ctx)


def parse_json(data: object, ctx: ParseContext) -> Iterator[Record]:
    """Records of a PyWxDump JSON export: its parsed list, or its items streamed (``Format.reads ==
    "json_items"``: a 190 MB export is never held in memory whole)."""
    return _records(data, ctx, "PyWxDump JSON ")


_JS_VAR = re.compile(r"(?m)^\s*const\s+(local_msg_list|local_user_list)\s*=\s*")


def parse_datajs(text: str, ctx: ParseContext) -> Iterator[Record]:
    """Records of the HTML export's ``data.js`` (``const local_user_list = {…}`` and
    ``const local_msg_list = […]``, one line each)."""
    found: dict[str, object] = {}
    decoder = json.JSONDecoder()
    for m in _JS_VAR.finditer(text):
        try:
            found[m[1]], _ = decoder.raw_decode(text, m.end())
        except json.JSONDecodeError as exc:
            return iter([QuarantineRecord(ctx.origin, f"字符 {exc.pos}", f"data.js 中 {m[1]} 无法解析（文件可能不完整）：{exc.msg}")])
    if "local_msg_list" not in found:
        return iter([QuarantineRecord(ctx.origin, "整个文件", "data.js 中找不到 local_msg_list（文件可能不完整）")])
    if "local_user_list" in found:
        ctx.users = {**users_map(found["local_user_list"]), **ctx.users}
    return _records(found["local_msg_list"], ctx, "local_msg_list ")
