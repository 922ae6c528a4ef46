"""MemoTrace (留痕, LC044/WeChatMsg) exports: CSV and TXT of every release (HTML and Word:
:mod:`.memotrace_html`, :mod:`.memotrace_docx`).

The CSV and TXT layouts (docs/formats.md, MemoTrace CSV and TXT, has the full table and the upstream files):

* CSV up to 2.0.5: the WeChat ``MSG`` columns ``localId,TalkerId,Type,SubType,IsSender,CreateTime,
  Status,StrContent,StrTime`` (0.2.1–0.2.3 with a pandas index column first), from 1.0.2 followed
  by ``Remark,NickName,Sender`` — filled for group rows from 1.0.3, for private rows from 2.0.0,
  and holding raw ``MsgSvrID``/``BytesExtra`` reprs in 1.0.2. Oldest first; UTF-8, with a BOM from
  1.0.2. A type-49 app message (link card, quoted reply, notice …) has an empty ``StrContent``:
  WeChat keeps its XML in ``CompressContent``, which these CSVs never write; its kind is counted.
* 「导出全部消息」 ``messages.csv`` (1.0.0–2.0.5): every chat in one file under the same 12-column
  header, but Remark/NickName are the *chat's* and Sender the sender's display name (told apart
  from a one-chat file by its Sender column: names, never wxids).
* CSV of 3.x (wxManager): ``消息ID,类型,发送人,时间,内容,备注,昵称,更多信息`` with the rendered text.
* TXT: ``{StrTime} {name}`` then the content, blocks separated by a blank line; see ``_txt_block``
  for how each release renders system lines, quotes, link cards and media.

The chat is the export folder ``聊天记录/<备注>/`` (3.x: ``<备注>(<wxid>)/``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import PurePath

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, CsvRecords, chat_record, from_local, from_unix
from .records import ParseContext, Record, Skipped
from .wxmsg import APP_SKIP, Message, link_message, typed_message

CSV_HEADER = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent",
              "StrTime", "Remark", "NickName", "Sender"]
CSV_HEADER_3 = ["消息ID", "类型", "发送人", "时间", "内容", "备注", "昵称", "更多信息"]
_BASE = len(CSV_HEADER) - 3  # the nine MSG columns every release up to 2.0.5 writes first


# --- the chat: the export folder ----------------------------------------------------------------
_FOLDER_WITH_ID = re.compile(r"^(?P<name>.+)\((?P<id>[A-Za-z0-9_.@-]+)\)$")
_STEM_SUFFIX = re.compile(r"(?:_utf8)?(?:\(\d+\))?$")


@dataclass(frozen=True, slots=True)
class ExportChat:
    id: str
    name: str


def export_chat(origin: str) -> ExportChat:
    """The chat of an export file: MemoTrace writes ``聊天记录/<备注>/<备注>[_utf8].csv|.txt``, 3.x
    ``聊天记录/<备注>(<wxid>)/<备注>.csv``. The folder names the chat as long as the file name still
    contains it (a copy saved as ``另存为-<备注>_utf8.csv`` keeps it); a loose file is named by its
    own name."""
    p = PurePath(origin)
    folder = p.parent.name
    if m := _FOLDER_WITH_ID.match(folder):
        return ExportChat(m["id"], m["name"])
    stem = _STEM_SUFFIX.sub("", p.stem)
    name = folder if folder and folder in stem else stem
    return ExportChat(name, name)


# --- CSV --------------------------------------------------------------------------------------
#: A type-49 message whose XML the CSV does not hold: counted under its kind.
_LOST_APP = {5: "链接", 57: "引用"}


def parse_csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    """Records of a MemoTrace CSV of any release, given as text lines (streamed)."""
    return _csv(lines, ctx)


def _csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    records = CsvRecords(lines, ctx.origin)
    items = iter(records)
    for first in items:
        if isinstance(first, QuarantineRecord):
            yield first
            continue
        header = [h.strip().lstrip("\ufeff") for h in first[1]]
        break
    else:
        return
    chat = export_chat(ctx.origin)
    index_column = header[:1] == [""] and header[1:_BASE + 1] == CSV_HEADER[:_BASE]  # 0.2.1–0.2.3: pandas index
    columns = header[1:] if index_column else header
    shift = 1 if index_column else 0
    rows = _rows(items, index_column)
    if columns[:len(CSV_HEADER_3)] == CSV_HEADER_3:
        read_row, layout = _v3_row, ""
        records.widths = {len(CSV_HEADER_3) + shift}
    elif columns[:_BASE + 3] == CSV_HEADER:
        read_row = _db_row
        records.widths = {_BASE + shift, _BASE + 3 + shift, _BASE + 4 + shift}
        head = list(islice(rows, _SNIFF_ROWS))
        layout = ALL_CHATS if any(_is_all_chats_row(r) for r in head if isinstance(r, tuple)) else PER_CHAT
        rows = chain(head, rows)
    elif columns[:_BASE] == CSV_HEADER[:_BASE]:
        read_row, layout = _db_row, NAMELESS
        records.widths = {_BASE + shift}
    else:
        yield QuarantineRecord(ctx.origin, "第 1 行", "表头不是已知的 MemoTrace CSV 格式：" + ",".join(header)[:200])
        return
    for row in rows:
        if isinstance(row, QuarantineRecord):
            yield row
        else:
            yield from read_row(row[1], layout, chat, ctx, row[0])


def _rows(items, index_column: bool) -> Iterator[tuple[int, list[str]] | QuarantineRecord]:
    """``(line number, fields)`` of each data row (a pandas index column dropped); damaged rows
    come as quarantine records (:class:`~.common.CsvRecords`)."""
    for item in items:
        if isinstance(item, QuarantineRecord):
            yield item
        else:
            yield item[0], item[1][1:] if index_column else item[1]


#: Layouts of the ``localId … StrTime`` CSVs: without names (0.2.x), one chat with the sender's
#: ``Remark, NickName, wxid`` (1.0.2–2.0.5), or every chat with the *chat's* ``Remark, NickName`` and
#: the sender's display name (「导出全部消息」 ``messages.csv``, 1.0.0–2.0.5).
NAMELESS, PER_CHAT, ALL_CHATS = "nameless", "per_chat", "all_chats"
_SNIFF_ROWS = 64
#: What MemoTrace 2.0 turns into ``_`` in a contact's remark (and so in the export folder's name).
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\s.]')
#: A WeChat id: ``wxid_…``, a chosen id (6–20, a letter first), an old numeric one, a chat room.
_WXID = re.compile(r"wxid_\w+|[A-Za-z][-\w]{5,19}|\d{5,12}|\S+@(?:chatroom|openim|stranger)")


def _is_all_chats_row(row: tuple[int, list[str]]) -> bool:
    """A ``messages.csv`` row: its Sender is a name (the account's own rows say 我), never a wxid."""
    fields = row[1]
    if len(fields) != _BASE + 3 or _is_raw_tail(fields[_BASE:]):
        return False
    sender = fields[-1].strip()
    return bool(sender) and not _WXID.fullmatch(sender)


def _is_raw_tail(tail: list[str]) -> bool:
    """1.0.2 wrote the query's ``MsgSvrID, BytesExtra, CompressContent`` after ``StrTime``."""
    return len(tail) >= 2 and tail[0].isdigit() and tail[1].startswith(("b'", 'b"'))


def _complete_time(value: str, ctx: ParseContext) -> bool:
    try:
        from_local(value, ctx.tz)
    except BadTime:
        return False
    return True


def _bad_width(ctx: ParseContext, line_no: int, fields: list[str], width: str) -> QuarantineRecord:
    return QuarantineRecord(ctx.origin, f"第 {line_no} 行",
                            f"列数不对：应为 {width} 列，实际 {len(fields)} 列（文件可能不完整）", raw=",".join(fields)[:2000])


def _row_shape(fields: list[str], layout: str) -> str:
    """``base`` (the nine columns), ``named`` (+ Remark, NickName, Sender), ``raw_private`` /
    ``raw_group`` (1.0.2's raw query row, + the sender object's repr in a group), or ``""``."""
    n, tail = len(fields), fields[_BASE:]
    if n == _BASE:
        return "base"
    if layout == NAMELESS:
        return ""
    if n == _BASE + 3:
        return "raw_private" if _is_raw_tail(tail) else "named"
    if n == _BASE + 4 and _is_raw_tail(tail):
        return "raw_group"
    return ""


def _db_row(fields: list[str], layout: str, chat: ExportChat, ctx: ParseContext, line_no: int) -> Iterator[Record]:
    """One row of the ``localId … StrTime[, Remark, NickName, Sender]`` layouts (0.2.1–2.0.5)."""
    shape = _row_shape(fields, layout)
    if not shape or (shape == "base" and layout != NAMELESS and not _complete_time(fields[_BASE - 1], ctx)):
        # (a 12-column row cut short in StrTime is a truncated file, not a private-chat row)
        width = f"{_BASE}" if layout == NAMELESS else f"{_BASE} 或 {_BASE + 3}"
        yield _bad_width(ctx, line_no, fields, width)
        return
    local_id, talker, type_, sub_type, is_sender, create_time, _status, content, str_time = fields[:_BASE]
    try:
        msg = _db_message(int(type_), int(sub_type or 0), content)
    except ValueError:
        yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", f"消息类型无效：{type_[:20]!r}")
        return
    if msg.skip or not msg.text:
        yield Skipped(msg.skip or "空消息")
        return
    try:
        created = from_unix(create_time) if create_time else from_local(str_time, ctx.tz)
    except BadTime as exc:
        try:
            created = from_local(str_time, ctx.tz)
        except BadTime:
            yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", str(exc), raw=content[:2000])
            return
    is_self = is_sender.strip() == "1"
    author, author_id, chat = _db_sender(fields, shape, layout, is_self, chat)
    yield chat_record(msg, created_at=created, author=author, author_id=author_id, native_id=local_id,
                      chat_id=chat.id, chat_name=chat.name, is_self=is_self)


def _db_sender(fields: list[str], shape: str, layout: str, is_self: bool,
               chat: ExportChat) -> tuple[str, str, ExportChat]:
    """(author, author id, chat) of a row. A named row's author is NickName — the person's own name;
    its Remark is MemoTrace's file-name-safe remark (spaces, dots … turned into ``_``)."""
    if shape == "named":
        remark, nickname, sender = fields[_BASE:]
        if layout == ALL_CHATS:  # the chat's Remark and NickName, the sender's display name
            name = _FILE_UNSAFE.sub("_", remark or nickname) or f"会话 {fields[1]}"
            return sender, "", ExportChat(name, name)
        return nickname or remark or sender, sender, chat
    if is_self:
        return "我", "", chat
    # 1.0.2–1.1.2 wrote names for group rows only: a nameless row of such a file is a private chat's
    private = layout == PER_CHAT and shape in ("base", "raw_private")
    return (chat.name if private else ""), "", chat


def _db_message(type_code: int, sub_type: int, content: str) -> Message:
    """A ``(Type, SubType, StrContent)`` row as the CSV holds it."""
    if type_code == 49 and "<msg" not in content and "<?xml" not in content:
        return Message(skip=_LOST_APP.get(sub_type) or APP_SKIP.get(sub_type, "其他"))
    if type_code == 10002:
        return Message(skip="撤回")
    if type_code == 10000 and sub_type == 4:
        return Message(skip="拍一拍")
    return typed_message(type_code, sub_type, content)


# --- CSV of 3.x: the type's name and the rendered text ------------------------------------------
_V3_SKIP = {
    "图片": "图片", "视频": "视频", "语音": "语音", "表情包": "表情", "音视频通话": "通话", "文件": "文件",
    "位置分享": "位置", "红包": "红包", "转账": "转账", "合并转发的聊天记录": "合并转发", "小程序": "小程序",
    "视频号": "视频号", "音乐分享": "音乐", "收藏笔记": "其他", "个人/公众号名片": "名片", "企业微信名片": "名片",
    "系统消息": "系统消息", "拍一拍": "拍一拍",
}
_V3_LINK = re.compile(r"^【分享链接】\n标题：(?P<title>.*?)\n描述：(?P<des>.*?)\n链接: (?P<url>.*?)\n应用：(?P<app>.*?)\n?$",
                      re.S)
_REPR_APP_TYPE = re.compile(r"'type': '(\d+)'")
_UNKNOWN_APP = {87: "群公告", 62: "拍一拍", 2001: "红包", 2003: "红包"}


def _unknown_kind(content: str) -> str:
    """The kind of a 3.x 未知类型 message, from the printed dict of its XML (``-1\\n{…}``)."""
    if "'revokemsg'" in content:
        return "撤回"
    if "'pat'" in content:
        return "拍一拍"
    if m := _REPR_APP_TYPE.search(content):
        t = int(m[1])
        return _UNKNOWN_APP.get(t) or APP_SKIP.get(t, "其他")
    return "其他"


def _v3_link(content: str) -> Message:
    m = _V3_LINK.match(content)
    if not m:
        return Message(skip="链接")
    des = "" if m["des"] == "None" else m["des"]  # an empty <des/> printed through xmltodict
    return link_message(m["title"], des, m["url"].strip())


def _v3_quote(content: str) -> Message:
    """``{reply}\\n引用：{name}: {quoted text}`` (``QuoteMessage.to_text``)."""
    reply, sep, rest = content.rpartition("\n引用：")
    if not sep:
        return Message(text=clean_text(content))
    name, _, quoted = rest.partition(": ")
    return Message(text=clean_text(reply), kind="quote", quote_name=name.strip(), quote_text=clean_text(quoted))


def _v3_row(fields: list[str], _named: bool, chat: ExportChat, ctx: ParseContext, line_no: int) -> Iterator[Record]:
    if len(fields) != len(CSV_HEADER_3):
        yield _bad_width(ctx, line_no, fields, str(len(CSV_HEADER_3)))
        return
    svrid, type_name, shown, when, content, remark, nickname, _more = fields
    if type_name == "文本":
        msg = Message(text=clean_text(content))
    elif type_name == "引用消息":
        msg = _v3_quote(content)
    elif type_name == "分享链接":
        msg = _v3_link(content)
    elif type_name == "未知类型":
        msg = Message(skip=_unknown_kind(content))
    else:
        msg = Message(skip=_V3_SKIP.get(type_name, "其他"))
    if msg.skip or not msg.text:
        yield Skipped(msg.skip or "空消息")
        return
    try:
        created = from_local(when, ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", str(exc), raw=content[:2000])
        return
    yield chat_record(msg, created_at=created, author=nickname or shown or remark, author_id="", native_id=svrid,
                      chat_id=chat.id, chat_name=chat.name)


# --- TXT --------------------------------------------------------------------------------------
_TXT_HEAD = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?: (.*))?$")
#: ≤ 2.0.5 placeholders (the whole body) and 3.x ones (``Message.to_text`` prefixes).
_TXT_MEDIA = {"[图片]": "图片", "[语音]": "语音", "[视频]": "视频", "[表情包]": "表情", "[文件]": "文件",
              "[音乐分享]": "音乐", "【图片】": "图片", "【视频】": "视频"}
_TXT3_PREFIX = (("【表情包】", "表情"), ("【语音】", "语音"), ("【文件】", "文件"), ("【视频号】\n", "视频号"),
                ("【合并转发的聊天记录】", "合并转发"), ("【音视频通话】\n", "通话"), ("【位置分享】\n", "位置"),
                ("【名片】\n", "名片"), ("【红包】: ", "红包"), ("【笔记】\n", "其他"))
_TXT3_TRANSFER = re.compile(r"^【(?:发起转账|已收款|已退还|非实时转账收款|发起非实时转账|未知)】:")
_TXT_LINK_FIELDS = ("description:", "url:", "name:")
#: 0.2.9–1.0.1 put a system line under the chat's name, JS/HTML-escaped (``\"老王\"邀请\"钱多多\"加入了群聊``,
#: ``&lt;sysmsg type=\"pat\"&gt;…``): WeChat's own templates, recognised as such.
_TXT_ESCAPED_SYSTEM = re.compile(
    r'^(?:你|\\"[^\n]*?\\")\s*(?:邀请\\"|将\\"|修改群名为|拍了拍|撤回了一条消息|加入了群聊)|^&lt;sysmsg'
    r"|^你已添加了.{1,40}，现在可以开始聊天了。$|^以上是打招呼的内容$|^收到红包，请在手机上查看$")
_JS_ESCAPE = re.compile(r"\\(.)", re.S)
_JS_CHARS = {"n": "\n", "r": "\r", "t": "\t"}


def unescape_js_html(s: str) -> str:
    """Undo MemoTrace's ``escape_js_and_html`` (HTML-escaped, then ``\\ ' " \\n \\r \\t`` JS-escaped)."""
    return html.unescape(_JS_ESCAPE.sub(lambda m: _JS_CHARS.get(m[1], m[1]), s))


def parse_txt(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    """Records of a MemoTrace TXT export of any release: ``{StrTime} {name}`` blocks."""
    return _txt(lines, ctx)


def _txt(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    chat = export_chat(ctx.origin)
    block: list[str] = []
    start = 0
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if _TXT_HEAD.match(line) and (not block or not block[-1].strip()):
            if block:
                yield from _txt_block(block, start, ctx, chat)
            block, start = [line], n
        elif block:
            block.append(line)
        elif line.strip():
            yield QuarantineRecord(ctx.origin, f"第 {n} 行", "找不到消息的时间和发送人行", raw=line[:2000])
    if block:
        yield from _txt_block(block, start, ctx, chat)


def _txt_block(block: list[str], line_no: int, ctx: ParseContext, chat: ExportChat) -> Iterator[Record]:
    """One ``{time} {name}`` block. A system line is the time alone over its text (3.x), or the time
    and its text on one line with no body (1.0.2–2.0.5), or an escaped body (0.2.9–1.0.1)."""
    when, name = _TXT_HEAD.match(block[0]).groups()
    body = "\n".join(block[1:]).rstrip()
    if name is None or not body.strip():
        yield Skipped("系统消息")
        return
    msg = _txt_message(body)
    if msg.skip or not msg.text:
        yield Skipped(msg.skip or "空消息")
        return
    try:
        created = from_local(when, ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", str(exc), raw=body[:2000])
        return
    author = unescape_js_html(name.strip())
    is_self = author == "你"  # 0.2.9–1.0.1 name the exporting account 你
    yield chat_record(msg, created_at=created, author="我" if is_self else author, author_id="", native_id="",
                      chat_id=chat.id, chat_name=chat.name, is_self=is_self)


def _txt_message(body: str) -> Message:
    """What a TXT block's body says: media placeholders, link cards and quotes of every release."""
    flat = body.strip()
    if flat in _TXT_MEDIA:
        return Message(skip=_TXT_MEDIA[flat])
    for prefix, kind in _TXT3_PREFIX:
        if flat.startswith(prefix):
            return Message(skip=kind)
    if _TXT3_TRANSFER.match(flat):
        return Message(skip="转账")
    if flat.startswith("-1\n{"):
        return Message(skip=_unknown_kind(flat))
    if flat.startswith("[链接]:title:"):
        return _txt_link(flat)
    if flat.startswith("【分享链接】\n"):
        return _v3_link(flat + "\n")
    if _TXT_ESCAPED_SYSTEM.search(flat):
        return Message(skip="系统消息")
    reply, sep, rest = body.rpartition("\n引用:")
    if sep:  # ≤ 2.0.5: 引用:<displayname>:<content>, or 引用:未知 for a quoted picture, voice …
        name, sep2, quoted = rest.partition(":")
        msg = Message(text=clean_text(reply), kind="quote")
        if sep2:
            msg.quote_name, msg.quote_text = name.strip(), clean_text(quoted)
        return msg
    if "\n引用：" in body:
        return _v3_quote(body)
    return Message(text=clean_text(body))


def _txt_link(flat: str) -> Message:
    """1.0.2–2.0.5: ``[链接]:title:…`` then ``description:``, ``url:``, ``name:`` lines (indented),
    every field JS/HTML-escaped onto one line."""
    lines = [ln.strip() for ln in flat.split("\n")]
    fields = {"title:": lines[0][len("[链接]:title:"):]}
    for ln in lines[1:]:
        for key in _TXT_LINK_FIELDS:
            if ln.startswith(key):
                fields[key] = ln[len(key):]
    return link_message(unescape_js_html(fields["title:"]), unescape_js_html(fields.get("description:", "")),
                        unescape_js_html(fields.get("url:", "")))
