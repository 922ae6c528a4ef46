"""chatlog (sjzar/chatlog, WeChat 4.x/3.x): answers of ``GET /api/v1/chatlog`` saved to a file.

Written from chatlog's own code (tag v0.0.28, checked back to v0.0.2; see docs/formats.md, chatlog):

* CSV (``format=csv``, v0.0.22+): ``Time,SenderName,Sender,TalkerName,Talker,Content``, Go
  ``encoding/csv`` (LF, quoted only where needed, no BOM), local ``%Y-%m-%d %H:%M:%S``. ``Content``
  is chatlog's rendering of the message: media as markdown links (``![图片](http://…)``), link cards
  as ``[链接|title](url)`` (no description), quoted replies as a ``> name(wxid) MM-DD HH:MM:SS``
  block before the reply, pats as WeChat's raw ``"${wxid}" 拍了拍 "${wxid}"`` template; system
  lines have the sender ``系统消息``.
* JSON (``format=json``, v0.0.6+): a compact array of messages with type/subType codes, RFC 3339
  times, link cards and the quoted message in ``contents``. The first shape (v0.0.2–v0.0.5,
  ``createTime``/``chatRoomSender``) names no senders and no group: quarantined with advice.
* Plain text (the default): ``name(wxid) [群名(群号)] TIME`` + content + a blank line per message.
  chatlog writes the chat only when several talkers were queried, and the year only when the
  queried range crosses a year; a file without either is quarantined with advice (one line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_record, csv_rows, from_local
from .records import ParseContext, Record, Skipped
from .wxmsg import MEDIA_TYPES, Message, link_message

CSV_HEADER = ["Time", "SenderName", "Sender", "TalkerName", "Talker", "Content"]
SYSTEM_SENDER = "系统消息"  # the sender of every type-10000 line (v0.0.10+; text headers since v0.0.6)
SELF = "我"  # the plain-text header's sender for the exporting account

#: Type-49 subtypes chatlog names (message.go), as skip kinds; 1/4/5 are link cards, 57 quotes.
APP_SKIP = {3: "音乐", 6: "文件", 8: "表情", 19: "合并转发", 24: "其他", 33: "小程序", 36: "小程序", 51: "视频号",
            62: "拍一拍", 63: "视频号", 87: "群公告", 92: "音乐", 2000: "转账", 2001: "红包", 2003: "红包"}
LINK_SUBTYPES = (1, 4, 5)

# --- the rendered content (Message.PlainTextContent) of CSV cells and text blocks ----------------
_SKIPS = [(re.compile(p, re.S), kind) for p, kind in (
    (r"!\[图片\]\(.*\)|\[图片\]", "图片"),
    (r"\[语音\](?:\(.*\))?", "语音"),
    (r"!\[视频\]\(.*\)|\[视频\]", "视频"),
    (r"!\[动画表情\]\(.*\)|\[动画表情\]|\[GIF表情\]", "表情"),
    (r"\[位置(?:\|[^\n]*)?\]", "位置"),
    (r"\[名片\]", "名片"),
    (r"\[语音通话\]", "通话"),
    (r"\[文件\|.*\]\(.*\)|\[文件\]", "文件"),
    (r"\[合并转发(?:\|[^\n]*)?\](?:\n.*)?", "合并转发"),
    (r"\[笔记(?:\|[^\n]*)?\](?:\n.*)?", "其他"),
    (r"\[群公告(?:\|[^\n]*)?\](?:\n.*)?", "群公告"),
    (r"\[小程序\|.*\]\(.*\)|\[小程序\]", "小程序"),
    (r"\[视频号(?:直播)?(?:\|[^\n]*)?\](?:\(.*\))?", "视频号"),
    (r"\[音乐\|.*\]\(.*\)", "音乐"),
    (r"\[转账(?:\|[^\n]*)?\](?:\([^\n]*\))?", "转账"),
    (r"\[红包(?:封面)?\]", "红包"),
    (r"\[分享\]", "其他"),
    (r"\[系统消息\]", "系统消息"),  # v0.0.2–v0.0.5
    (r"\[引用\]", "空消息"),  # a quote whose text chatlog lost
)]
_TYPED = re.compile(r"Type: (\d+) Content:(?: |$)", re.S)  # chatlog's fallback for a type it does not name
_LINK = re.compile(r"\[链接\|(?P<title>.*)\]\((?P<target>.*)\)", re.S)
_QUOTE_HEAD = re.compile(r"> (?:\[引用\]|(?P<who>.*) \d{2}-\d{2} \d{2}:\d{2}:\d{2})")
_PAT_TEMPLATE = re.compile(r"\$\{[^}\s]+\}")
_PAT_FILLED = re.compile(r'(?:"[^"\n]+"|我) ?拍了拍 ?(?:"[^"\n]+"|我|自己)[^\n]*')
_WHO = re.compile(r"(?P<name>.+)\((?P<id>[^()]*)\)")
_RECALL = "撤回了一条消息"


def split_who(who: str) -> tuple[str, str]:
    """``name(id)`` → (name, id); a bare ``id`` → ("", id). Used for senders and chats."""
    m = _WHO.fullmatch(who)
    return (m["name"], m["id"]) if m else ("", who)


def system_kind(content: str) -> str:
    """A system line's skip kind: a recall notice or another system message."""
    return "撤回" if content.rstrip().endswith(_RECALL) else "系统消息"


def typed_skip(type_code: int) -> str:
    return "撤回" if type_code == 10002 else MEDIA_TYPES.get(type_code, "其他")


def is_pat(content: str) -> bool:
    """A pat: WeChat's raw template (``"${wxid_a}" 拍了拍 "${wxid_b}"``) or the filled sentence."""
    return ("拍了拍" in content and bool(_PAT_TEMPLATE.search(content))) or bool(_PAT_FILLED.fullmatch(content))


def rendered_message(content: str) -> Message:
    """What one rendered content (a CSV ``Content`` cell, a text block's body) says."""
    body = content.strip()
    if not body:
        return Message(skip="空消息")
    if body.startswith("> ") and (quote := _quote(body)) is not None:
        return quote
    if m := _LINK.fullmatch(body):
        target = m["target"]
        if target.startswith(("http://", "https://")):
            return link_message(m["title"], "", target)
        return link_message(m["title"], target)  # subtype 1: chatlog writes the description there
    for rx, kind in _SKIPS:
        if rx.fullmatch(body):
            return Message(skip=kind)
    if m := _TYPED.match(body):
        return Message(skip=typed_skip(int(m[1])))
    if is_pat(body):
        return Message(skip="拍一拍")
    return Message(text=clean_text(content))


def _quote(body: str) -> Message | None:
    """A reply: the ``> `` lines chatlog puts before it hold the quoted message (its header first)."""
    lines = body.split("\n")
    head = _QUOTE_HEAD.fullmatch(lines[0])
    if head is None:
        return None
    n = 1
    while n < len(lines) and lines[n].startswith("> "):
        n += 1
    quoted = "\n".join(line[2:] for line in lines[1:n])
    name, ident = split_who(head["who"] or "")
    inner = rendered_message(quoted) if quoted else None
    return Message(text=clean_text("\n".join(lines[n:])), kind="quote", quote_name=name or ident,
                   quote_text=_quoted_text(inner))


def _quoted_text(inner: Message | None) -> str:
    """The quoted message as the reply's link to it: its stored text, or ``[图片]`` and the like."""
    if inner is None or inner.skip == "空消息":
        return ""
    return f"[{inner.skip}]" if inner.skip else inner.text


# --- CSV -------------------------------------------------------------------------------------------
def parse_csv(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    """Records of a saved ``format=csv`` answer (streamed)."""
    for line_no, row in csv_rows(lines, ctx, CSV_HEADER):
        if isinstance(row, QuarantineRecord):
            yield row
            continue
        sender, name, talker = row["Sender"], row["SenderName"], row["Talker"]
        if sender == SYSTEM_SENDER and not name:
            yield Skipped(system_kind(row["Content"]))
            continue
        msg = rendered_message(row["Content"])
        if msg.skip or not msg.text:
            yield Skipped(msg.skip or "空消息")
            continue
        try:
            created = from_local(row["Time"], ctx.tz)
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, f"第 {line_no} 行", str(exc), raw=msg.text[:2000])
            continue
        # chatlog names only group chats; a private chat is named after the other person
        chat_name = row["TalkerName"] or (name if sender == talker else "") or talker
        yield chat_record(msg, created_at=created, author=name or sender, author_id=sender, native_id="",
                          chat_id=talker, chat_name=chat_name)


# --- JSON ------------------------------------------------------------------------------------------
_OLD_JSON = ("请用新版 chatlog（v0.0.6 及以后）加 &format=json 或 &format=csv 重新导出：这是 v0.0.5 及更早版本"
             "（2025 年 3 月）的 JSON，没有发送人名称，微信 4 的群聊也认不出是哪个群")


def parse_json(data: object, ctx: ParseContext) -> Iterator[Record]:
    """Records of a saved ``format=json`` answer (a list of chatlog messages)."""
    if not isinstance(data, list):
        yield QuarantineRecord(ctx.origin, "整个文件", "chatlog JSON 应是消息列表")
        return
    first = next((m for m in data if isinstance(m, dict)), {})
    if "chatRoomSender" in first and "senderName" not in first:
        yield QuarantineRecord(ctx.origin, "整个文件", _OLD_JSON)
        return
    names = _private_names(data)
    for i, m in enumerate(data, 1):
        yield from _json_record(m, i, names, ctx)


def _private_names(items: list) -> dict[str, str]:
    """talker → the other person's name, for private chats (chatlog leaves ``talkerName`` empty)."""
    names: dict[str, str] = {}
    for m in items:
        if not isinstance(m, dict) or m.get("talkerName") or not m.get("senderName"):
            continue
        if m.get("sender") == m.get("talker"):
            names.setdefault(str(m["talker"]), str(m["senderName"]))
    return names


def _json_record(m: object, i: int, names: dict[str, str], ctx: ParseContext) -> Iterator[Record]:
    where = f"第 {i} 条消息"
    if not isinstance(m, dict):
        yield QuarantineRecord(ctx.origin, where, "不是一条消息（应为 JSON 对象）")
        return
    try:
        msg = json_message(m)
    except (TypeError, ValueError):
        yield QuarantineRecord(ctx.origin, where, f"消息类型无效：{str(m.get('type'))[:20]!r}")
        return
    if msg.skip or not msg.text:
        yield Skipped(msg.skip or "空消息")
        return
    try:
        created = from_local(str(m.get("time", "")), ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, where, str(exc), raw=msg.text[:2000])
        return
    talker, sender = str(m.get("talker") or ""), str(m.get("sender") or "")
    yield chat_record(msg, created_at=created, author=str(m.get("senderName") or sender), author_id=sender,
                      native_id=str(m.get("seq") or ""), chat_id=talker,
                      chat_name=str(m.get("talkerName") or names.get(talker) or talker), is_self=bool(m.get("isSelf")))


def json_message(m: dict) -> Message:
    """What one chatlog JSON message says, from its type/subType codes and ``contents``."""
    type_code, sub = int(m.get("type") or 0), int(m.get("subType") or 0)
    content = str(m.get("content") or "")
    contents = m.get("contents") if isinstance(m.get("contents"), dict) else {}
    if type_code == 1:
        return Message(text=clean_text(content))
    if type_code == 10000:
        return Message(skip=system_kind(content))
    if type_code != 49:
        return Message(skip=typed_skip(type_code))
    if sub in LINK_SUBTYPES:
        return link_message(str(contents.get("title") or ""), str(contents.get("desc") or ""),
                            str(contents.get("url") or ""))
    if sub == 57:
        refer = contents.get("refer")
        name = quoted = ""
        if isinstance(refer, dict):
            name = str(refer.get("senderName") or refer.get("sender") or "")
            try:
                quoted = _quoted_text(json_message(refer))
            except (TypeError, ValueError):
                quoted = ""
        return Message(text=clean_text(content), kind="quote", quote_name=name, quote_text=quoted)
    return Message(skip=APP_SKIP.get(sub, "其他"))


# --- plain text ------------------------------------------------------------------------------------
_TEXT_HEAD = re.compile(r"(?P<who>(?:\S.*?)?) (?:\[(?P<chat>.*)\] )?"  # PlainText: the Go layout from PerfectTimeFormat
                        r"(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
                        r"|\d{2}:\d{2}:\d{2})")
_CLOCK_AT_END = re.compile(r" \d{2}:\d{2}:\d{2}$")
_MAX_HEAD = 1000  # a header is a name, a chat and a time: a longer line is content
_FULL_TIME = len("2006-01-02 15:04:05")
_ADVICE = "请在请求地址里加 &format=csv（或 &format=json）重新导出"
_NO_YEAR = f"chatlog 纯文本输出的时间没有年份（查询的时间范围在同一年内时它只写“月-日 时:分:秒”），无法确定消息日期：{_ADVICE}"
_NO_DATE = f"chatlog 纯文本输出的时间只有“时:分:秒”（查询的是一天之内），没有日期：{_ADVICE}"
_NO_CHAT = (f"chatlog 纯文本输出没有写明是哪个群（只查询一个聊天对象时它不写群名和群号），无法归到信息源：{_ADVICE}")
_PRIVATE_SELF = "这条“我”发的私聊消息无法确定发给了谁（文件里有多个私聊对象）"
_NO_SENDER = "这条消息既没有发送人也没有群名，无法确定属于哪个聊天"


def _header(line: str) -> re.Match | None:
    """A message header line (cheap checks first: content lines can be long)."""
    if len(line) > _MAX_HEAD or not _CLOCK_AT_END.search(line):
        return None
    return _TEXT_HEAD.fullmatch(line)


def looks_like_text(body: str) -> bool:
    """Whether ``body`` (the start of a file) is chatlog's plain-text output: a header line,
    then a content, a blank line and the next header (or the end)."""
    lines = body.split("\n")
    first = _header(lines[0].rstrip("\r"))
    if first is None:
        return False
    width = len(first["time"])
    for prev, line in zip(lines[1:], lines[2:]):
        if not prev.strip() and (m := _header(line.rstrip("\r"))) and len(m["time"]) == width:
            return True
    return body.endswith(("\n\n", "\r\n\r\n"))


def text_blocks(text: str) -> list[tuple[int, re.Match, str]]:
    """(line number, header match, content) per message. A header is a header-shaped line after a
    blank line (or first) with the first header's time format; content may hold blank lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[tuple[int, re.Match, str]] = []
    head, body, start, prev_blank = None, [], 0, True
    for n, line in enumerate(lines, 1):
        m = _header(line) if prev_blank else None
        if m and (head is None or len(m["time"]) == len(head["time"])):
            if head is not None:
                blocks.append((start, head, "\n".join(body).rstrip("\n")))
            head, body, start = m, [], n
        elif head is not None:
            body.append(line)
        prev_blank = not line.strip()
    if head is not None:
        blocks.append((start, head, "\n".join(body).rstrip("\n")))
    return blocks


def parse_text(text: str, ctx: ParseContext) -> Iterator[Record]:
    """Records of a saved plain-text answer, when it says which chat and which year each message
    belongs to; otherwise one quarantine record that says how to export it instead."""
    blocks = text_blocks(text.lstrip("\ufeff"))
    if not blocks:
        return
    width = len(blocks[0][1]["time"])
    if width != _FULL_TIME:
        yield QuarantineRecord(ctx.origin, "整个文件", _NO_YEAR if width > len("15:04:05") else _NO_DATE)
        return
    if not any(head["chat"] for _, head, _ in blocks):
        yield QuarantineRecord(ctx.origin, "整个文件", _NO_CHAT)
        return
    # Several talkers were queried: a message without "[群名(群号)]" is a private chat's, whose
    # talker is the other person (the sender of every message that is not "我").
    private: dict[str, str] = {}
    for _, head, _ in blocks:
        name, ident = split_who(head["who"])
        if not head["chat"] and ident not in ("", SELF, SYSTEM_SENDER):
            if not private.get(ident):
                private[ident] = name
    for line_no, head, content in blocks:
        yield from _text_record(line_no, head, content, private, ctx)


def _text_record(line_no: int, head: re.Match, content: str, private: dict[str, str],
                 ctx: ParseContext) -> Iterator[Record]:
    name, ident = split_who(head["who"])
    if ident == SYSTEM_SENDER and not name:
        yield Skipped(system_kind(content))
        return
    msg = rendered_message(content)
    if msg.skip or not msg.text:
        yield Skipped(msg.skip or "空消息")
        return
    where = f"第 {line_no} 行"
    if head["chat"]:
        chat_name, chat_id = split_who(head["chat"])
        chat_name = chat_name or chat_id
    elif ident not in ("", SELF):
        chat_id, chat_name = ident, private.get(ident) or ident
    elif ident == SELF and len(private) == 1:
        chat_id, chat_name = next(iter(private.items()))
        chat_name = chat_name or chat_id
    else:
        yield QuarantineRecord(ctx.origin, where, _PRIVATE_SELF if ident == SELF else _NO_SENDER, raw=msg.text[:2000])
        return
    try:
        created = from_local(head["time"], ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, where, str(exc), raw=msg.text[:2000])
        return
    yield chat_record(msg, created_at=created, author=name or ident, author_id="" if ident == SELF else ident,
                      native_id="", chat_id=chat_id, chat_name=chat_name, is_self=ident == SELF)
