"""Write the harness chats exactly the way sjzar/chatlog answers ``GET /api/v1/chatlog``, saved to a
file by the user (browser "save as", ``curl -o``): that is how its exports reach the drop folder.

Followed upstream: github.com/sjzar/chatlog, tag v0.0.28 (commit a638aa9c20350cb8f55910584583e4c8112ca3b9):

* ``internal/chatlog/http/route.go`` ``handleChatlog``: ``format=csv`` → Go ``encoding/csv`` (LF,
  minimal quoting, no BOM), header ``Time,SenderName,Sender,TalkerName,Talker,Content``, one
  ``Message.CSV`` row per message, download name ``{talker}_{start}_{end}.csv``; ``format=json`` →
  gin ``c.JSON`` (compact ``encoding/json``: ``<``, ``>``, ``&`` as ``\\u003c`` …, map keys sorted);
  default → ``Message.PlainText(multi-talker?, PerfectTimeFormat(start, end), host)`` + ``"\\n"``.
* ``internal/model/message.go``: the ``Message`` JSON fields, ``ParseMediaInfo`` (what ``content`` and
  ``contents`` hold per type), ``PlainText`` (``name(wxid)`` or ``我``, ``[群名(群号)]`` only for
  several talkers) and ``PlainTextContent`` (markdown media links, ``[链接|title](url)``, the ``> ``
  quote block, ``[转账|…]``, ``Type: N Content: …`` for unnamed types).
* ``internal/model/message_v4.go`` (``Wrap``: seq, ``IsSelf``, image/video paths, voice server id),
  ``internal/model/mediamessage.go`` (pat templates, system lines, merged-forward records),
  ``internal/wechatdb/repository/message.go`` (``enrichMessage``: talker name = the group's remark
  or name, groups only; sender name = group nickname, else (not self) remark, else nickname),
  ``pkg/util/time.go`` (``PerfectTimeFormat``); sorted by ``sort_seq`` ascending.
* Older shapes: tag v0.0.21 (JSON before link descriptions, ``imgfile``/``thumb`` paths) and tag
  v0.0.5 (the first JSON shape, ``createTime``/``chatRoomSender``, raw XML contents).

Run ``python -m tests.crawler.exports.make_chatlog OUTDIR`` to write every layout for inspection.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PureWindowsPath
from xml.sax.saxutils import escape

from .conversation import TZ, Chat, Message, Person, group_chat, private_chat

HOST = "127.0.0.1:5030"  # chatlog's default HTTP address; c.Request.Host of a local request
GO_FULL, GO_MONTH_DAY, GO_CLOCK = "2006-01-02 15:04:05", "01-02 15:04:05", "15:04:05"
_STRFTIME = {GO_FULL: "%Y-%m-%d %H:%M:%S", GO_MONTH_DAY: "%m-%d %H:%M:%S", GO_CLOCK: "%H:%M:%S"}
_DATA_ITEM_FIELDS = ("DataType", "DataID", "HTMLID", "DataFmt", "SourceName", "SourceTime", "SourceHeadURL",
                     "DataDesc", "ThumbSourcePath", "ThumbSize", "CDNDataURL", "CDNDataKey", "CDNThumbURL",
                     "CDNThumbKey", "DataSourcePath", "FullMD5", "ThumbFullMD5", "ThumbHead256MD5", "DataSize",
                     "CDNEncryVer", "SrcChatname", "SrcMsgLocalID", "SrcMsgCreateTime", "MessageUUID",
                     "FromNewMsgID", "Link", "StreamWebURL")


@dataclass
class GoMessage:
    """chatlog's ``model.Message`` after ``Wrap``, ``ParseMediaInfo`` and ``enrichMessage``."""

    seq: int
    at: datetime
    talker: str
    talker_name: str
    is_room: bool
    sender: str
    sender_name: str
    is_self: bool
    type: int
    sub: int
    content: str = ""
    contents: dict = field(default_factory=dict)


def _md5(*parts) -> str:
    return hashlib.md5("/".join(map(str, parts)).encode()).hexdigest()


def _win(*parts: str) -> str:
    """Go's filepath.Join on Windows, where WeChat 4 and chatlog run."""
    return str(PureWindowsPath(*parts))


def sender_name(chat: Chat, person: Person, is_self: bool) -> str:
    """enrichMessage: the group nickname; else, unless sent by the exporting account, remark or nickname."""
    if chat.is_group and person.group_nick:
        return person.group_nick
    return "" if is_self else (person.remark or person.nickname)


def _quote_display_name(chat: Chat, person: Person) -> str:
    """The ``displayname`` WeChat writes into a reply's ``refermsg``: group nickname, else nickname."""
    return (person.group_nick if chat.is_group else "") or person.nickname


def _pat(chat: Chat, text: str) -> tuple[str, str]:
    """(patter's wxid, WeChat's pat template) for a harness pat line such as ``"张 伟" 拍了拍 "老王"``."""
    by_nick = {p.nickname: p for p in chat.members}
    names = re.findall(r'"([^"]+)"', text)
    people = [by_nick[n] for n in names if n in by_nick]
    template = text
    for p in people:
        template = template.replace(f'"{p.nickname}"', '"${' + p.wxid + '}"')
    return (people[0].wxid if people else ""), template


def _record_info(m: Message) -> dict:
    """A merged forward's ``recorditem`` as chatlog keeps it (Go struct → JSON field names)."""
    items = [("张 伟", "2026-11-01 20:00", "井下三号巷道积水，\n水泵还没到"), ("老王", "2026-11-01 20:01", "已经报给调度了")]
    data_items = []
    for i, (who, when, desc) in enumerate(items, 1):
        item = {name: "" for name in _DATA_ITEM_FIELDS}
        item.update(DataType="1", DataID=_md5(m.svrid, i), SourceName=who, SourceTime=when, DataDesc=desc)
        item["Location"] = {"Lat": "", "Lng": "", "Scale": "", "Label": "", "PoiName": ""}
        item["DataTitle"] = ""
        item["RecordXML"] = None
        data_items.append(item)
    return {"XMLName": {"Space": "", "Local": "recordinfo"}, "FromScene": "", "FavUsername": "",
            "FavCreateTime": "", "IsChatRoom": "1", "Title": m.text, "Desc": "张 伟: 井下三号巷道积水，\n老王: 已经报给调度了",
            "Info": "", "DataList": {"Count": str(len(items)), "DataItems": data_items}}


def go_messages(chat: Chat, version: str = "0.0.28") -> list[GoMessage]:
    """The chat's messages as chatlog ``version`` holds them, in ``sort_seq`` order."""
    out: list[GoMessage] = []
    per_second: dict[int, int] = {}
    for m in chat.messages:
        n = per_second.get(m.epoch, 0)
        per_second[m.epoch] = n + 1
        out.append(_go_message(chat, m, m.epoch * 1000 + n, version))
    return out


def _go_message(chat: Chat, m: Message, seq: int, version: str) -> GoMessage:
    typ, sub = m.type_code
    person = m.sender
    g = GoMessage(seq=seq, at=m.at, talker=chat.id, talker_name=(chat.remark or chat.name) if chat.is_group else "",
                  is_room=chat.is_group, sender=person.wxid if person else "", sender_name="", is_self=m.is_self,
                  type=typ, sub=sub)
    new = version >= "0.0.24"  # "0.0.28" or "0.0.21": link descriptions, locations, stickers, notices, one path
    c = g.contents
    md5 = _md5("media", m.svrid)
    month = m.at.strftime("%Y-%m")
    kind = m.kind
    if kind == "text":
        g.content = m.text
    elif kind == "image":
        folder = _win("msg", "attach", hashlib.md5(chat.id.encode()).hexdigest(), month, "Img")
        c["md5"] = md5
        if new:
            c["path"] = _win(folder, md5)
        else:
            c["imgfile"], c["thumb"] = _win(folder, md5 + ".dat"), _win(folder, md5 + "_t.dat")
    elif kind == "voice":
        c["voice"] = str(m.svrid)
    elif kind == "video":
        c["md5"], c["rawmd5"] = md5, _md5("raw", m.svrid)
        if new:
            c["path"] = _win("msg", "video", month, md5)
        else:
            c["videofile"] = _win("msg", "video", month, md5 + ".mp4")
            c["thumb"] = _win("msg", "video", month, md5 + "_thumb.jpg")
    elif kind == "sticker" and new:
        c["cdnurl"] = f"http://wxapp.tc.qq.com/262/20304/stodownload?m={md5}&filekey={md5}&hy=SH&storeid=2"
    elif kind == "location" and new:
        c.update(x="40.093617", y="113.291433", label=m.text, cityname="大同市")
    elif kind in ("link", "music"):
        c.update(title=m.text, url=m.link_url)
        if new:
            c["desc"] = m.link_des
    elif kind == "file":
        c.update(title=m.text, md5=md5)
    elif kind == "merged":
        c.update(title=m.text, desc="张 伟: 井下三号巷道积水，\n老王: 已经报给调度了", recordInfo=_record_info(m))
    elif kind == "miniapp":
        c.update(title=m.text, url="")
    elif kind == "channels":
        c.update(title=m.text, url="")
    elif kind == "quote":
        g.content = m.text
        q = m.quoted
        if q is not None:
            refer = _go_message(chat, q, 0, version)
            refer.talker, refer.talker_name, refer.is_room, refer.is_self, refer.contents = "", "", False, False, {}
            refer.sender = q.sender.wxid if q.sender else ""
            refer.sender_name = _quote_display_name(chat, q.sender) if q.sender else ""
            if q.kind == "image":
                refer.contents = {"md5": _md5("media", q.svrid)}  # the quoted picture's XML has no packed info
            c["refer"] = refer
    elif kind == "pat":
        g.sender, g.content = _pat(chat, m.text)
        person = next((p for p in chat.members if p.wxid == g.sender), None)
    elif kind == "notice" and new:
        c.update(title="群公告", desc=m.text)
    elif kind == "transfer":
        g.content = "[转账|接收 ￥200.00]"  # paysubtype 3 (收钱回执), feedesc "￥200.00", no memo
    elif kind == "system":
        g.sender, g.content = "系统消息", m.text
    elif kind == "recall":
        g.sender = ""  # a <sysmsg type="revokemsg">: not a <msg>, so ParseMediaInfo leaves it empty
    if person is not None and g.sender == person.wxid:
        g.sender_name = sender_name(chat, person, m.is_self)
    return g


# --- rendering (Message.PlainTextContent / PlainText / CSV) ----------------------------------------
def _keys(c: dict, *names: str) -> str:
    return ",".join(c[n] for n in names if n in c)


def _record_text(info: dict, kind: str, host: str) -> str:
    out = [f"[{kind}|{info['Title']}]\n"]
    for item in info["DataList"]["DataItems"]:
        out.append(f"  {item['SourceName']} {item['SourceTime']}\n")
        out.extend(f"  {line}\n" for line in item["DataDesc"].split("\n"))  # datatype 1: the default branch
        out.append("\n")
    return "".join(out)


def plain_text_content(g: GoMessage, host: str = HOST) -> str:
    c = g.contents
    if g.type == 1:
        return g.content
    if g.type == 3:
        return f"![图片](http://{host}/image/{_keys(c, 'md5', 'path', 'thumbpath')})"
    if g.type == 34:
        return f"[语音](http://{host}/voice/{c['voice']})" if "voice" in c else "[语音]"
    if g.type == 42:
        return "[名片]"
    if g.type == 43:
        return f"![视频](http://{host}/video/{_keys(c, 'md5', 'rawmd5', 'path')})"
    if g.type == 47:
        return f"![动画表情]({c['cdnurl']})" if "cdnurl" in c else "[动画表情]"
    if g.type == 48:
        return "[位置|" + "|".join(c[k] for k in ("label", "cityname", "x", "y") if k in c) + "]"
    if g.type == 50:
        return "[语音通话]"
    if g.type == 10000:
        return g.content
    if g.type != 49:
        return f"Type: {g.type} Content: {g.content[:120]}"
    return _share_content(g, host)


def _share_content(g: GoMessage, host: str) -> str:
    c, sub = g.contents, g.sub
    if sub == 1:
        return f"[链接|{c.get('title')}]({c.get('desc')})"
    if sub in (4, 5):
        return f"[链接|{c.get('title')}]({c.get('url')})"
    if sub == 6:
        return f"[文件|{c.get('title')}](http://{host}/file/{c.get('md5')})"
    if sub == 19:
        return _record_text(c["recordInfo"], "合并转发", host) if "recordInfo" in c else "[合并转发]"
    if sub in (33, 36):
        return "[小程序]" if c.get("title") == "" else f"[小程序|{c.get('title')}]({c.get('url')})"
    if sub == 51:
        return "[视频号]" if c.get("title") == "" else f"[视频号|{c.get('title')}]({c.get('url')})"
    if sub == 57:
        refer = c.get("refer")
        if refer is None:
            return "> [引用]\n" + g.content if g.content else "[引用]"
        lines = plain_text(refer, False, "", host).split("\n")
        return "".join(f"> {line}\n" for line in lines if line) + g.content
    if sub in (62, 2000):
        return g.content
    if sub == 87:
        return _record_text(c["recordInfo"], "群公告", host) if "recordInfo" in c else "[群公告]"
    if sub == 92:
        return f"[音乐|{c.get('title')}]({c.get('url')})"
    return {2001: "[红包]", 2003: "[红包封面]", 8: "[GIF表情]"}.get(sub, "[分享]")


def plain_text(g: GoMessage, show_chat_room: bool, time_format: str, host: str = HOST) -> str:
    sender = "我" if g.is_self else g.sender
    head = f"{g.sender_name}({sender}) " if g.sender_name else f"{sender} "
    if g.is_room and show_chat_room:
        head += f"[{g.talker_name}({g.talker})] " if g.talker_name else f"[{g.talker}] "
    head += g.at.strftime(_STRFTIME[time_format or GO_MONTH_DAY])
    return f"{head}\n{plain_text_content(g, host)}\n"


def perfect_time_format(start: datetime, end: datetime) -> str:
    """util.PerfectTimeFormat: the year only when the queried range crosses one, the date only across days."""
    if (end.hour, end.minute, end.second, end.microsecond) == (0, 0, 0, 0):
        end = end.fromtimestamp(end.timestamp() - 1, end.tzinfo)
    if start.year != end.year:
        return GO_FULL
    if start.timetuple().tm_yday != end.timetuple().tm_yday:
        return GO_MONTH_DAY
    return GO_CLOCK


def _day_range(msgs: list[GoMessage]) -> tuple[datetime, datetime]:
    """The range of ``time=FIRST_DAY~LAST_DAY`` around the messages (TimeRangeOf, day granularity)."""
    first, last = min(g.at for g in msgs), max(g.at for g in msgs)
    return (first.replace(hour=0, minute=0, second=0),
            last.replace(hour=23, minute=59, second=59, microsecond=999999))


# --- CSV / JSON encoders as Go writes them ---------------------------------------------------------
def go_csv_field(value: str) -> str:
    """encoding/csv: quoted when it holds , " CR LF, starts with a space, or is ``\\.``."""
    if value == "" or not (value == r"\." or any(ch in value for ch in ',"\r\n') or value[0].isspace()):
        return value
    return '"' + value.replace('"', '""') + '"'


def go_csv(rows: list[list[str]]) -> str:
    return "".join(",".join(go_csv_field(v) for v in row) + "\n" for row in rows)


def go_json(obj) -> str:
    """encoding/json.Marshal: compact, UTF-8, HTML-safe escapes."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def rfc3339(at: datetime) -> str:
    return at.astimezone(TZ).isoformat()


def json_object(g: GoMessage) -> dict:
    obj = {"seq": g.seq, "time": rfc3339(g.at), "talker": g.talker, "talkerName": g.talker_name,
           "isChatRoom": g.is_room, "sender": g.sender, "senderName": g.sender_name, "isSelf": g.is_self,
           "type": g.type, "subType": g.sub, "content": g.content}
    if g.contents:  # omitempty; a Go map is written with sorted keys
        obj["contents"] = {k: (json_object(v) if isinstance(v, GoMessage) else v)
                           for k, v in sorted(g.contents.items())}
    return obj


def _browser_name(folder: Path, stem: str, suffix: str) -> Path:
    """The name a browser saves a download under: ``chatlog.json``, then ``chatlog (1).json`` …"""
    path, n = folder / f"{stem}{suffix}", 0
    while path.exists():
        n += 1
        path = folder / f"{stem} ({n}){suffix}"
    return path


# --- the layouts -----------------------------------------------------------------------------------
def write_csv(chat: Chat, folder: Path) -> list[Path]:
    """``/api/v1/chatlog?time=FIRST~LAST&talker=ID&format=csv`` (v0.0.22–v0.0.28), saved under the
    name its Content-Disposition gives: ``{talker}_{start}_{end}.csv``."""
    msgs = go_messages(chat)
    start, end = _day_range(msgs)
    rows = [["Time", "SenderName", "Sender", "TalkerName", "Talker", "Content"]]
    rows += [[g.at.strftime("%Y-%m-%d %H:%M:%S"), g.sender_name, g.sender, g.talker_name, g.talker,
              plain_text_content(g)] for g in msgs]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chat.id}_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"
    path.write_bytes(go_csv(rows).encode("utf-8"))
    return [path]


def write_json(chat: Chat, folder: Path, version: str = "0.0.28") -> list[Path]:
    """``…&format=json`` (v0.0.6–v0.0.28; ``version`` "0.0.21" for the shape before v0.0.24), saved
    by the browser as ``chatlog.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = _browser_name(folder, "chatlog", ".json")
    path.write_bytes(go_json([json_object(g) for g in go_messages(chat, version)]).encode("utf-8"))
    return [path]


def write_json_v0021(chat: Chat, folder: Path) -> list[Path]:
    """v0.0.16–v0.0.22 JSON (tag v0.0.21): links without description, no sticker URL, location or
    notice contents, ``imgfile``/``thumb`` media paths (v0.0.23 already has the one ``path``)."""
    return write_json(chat, folder, "0.0.21")


def write_text(chats: list[Chat], folder: Path, time: str = "all") -> list[Path]:
    """The default plain-text answer (v0.0.15–v0.0.28). Several chats: one request with
    ``talker=A,B`` (each group message then carries ``[群名(群号)]``); ``time="all"`` makes the range
    cross years, so times are written in full; ``time="days"`` queries the chats' own days."""
    msgs = sorted((g for chat in chats for g in go_messages(chat)), key=lambda g: g.seq)
    if time == "all":
        start, end = datetime(1970, 1, 1, tzinfo=TZ), datetime(9999, 12, 31, 23, 59, 59, tzinfo=TZ)
    else:
        start, end = _day_range(msgs)
    fmt = perfect_time_format(start, end)
    body = "".join(plain_text(g, len(chats) > 1, fmt) + "\n" for g in msgs)
    folder.mkdir(parents=True, exist_ok=True)
    path = _browser_name(folder, "chatlog", ".txt")
    path.write_bytes(body.encode("utf-8"))
    return [path]


def write_text_multi(chat: Chat, folder: Path) -> list[Path]:
    """``time=all&talker=GROUP,PRIVATE``: the one plain-text answer yuqing can place and date."""
    return write_text([chat, private_chat()], folder)


def write_text_single(chat: Chat, folder: Path) -> list[Path]:
    """``time=all&talker=GROUP``: full times, but no chat named anywhere (quarantined)."""
    return write_text([chat], folder)


def write_text_days(chat: Chat, folder: Path) -> list[Path]:
    """``time=FIRST~LAST&talker=GROUP,PRIVATE``: times without the year (quarantined)."""
    return write_text([chat, private_chat()], folder, time="days")


def write_json_v0005(chat: Chat, folder: Path) -> list[Path]:
    """The first JSON shape (v0.0.2–v0.0.5, ``model.Message`` with ``createTime``/``chatRoomSender``):
    for WeChat 4 ``talker`` held the sender, contents were raw XML (quarantined with advice)."""
    out = []
    for m in chat.messages:
        typ, sub = m.type_code
        sender = m.sender.wxid if m.sender else ""
        out.append({"sequence": m.epoch * 1000, "createTime": rfc3339(m.at), "talkerID": 0, "talker": sender,
                    "isSender": 1 if m.is_self else 0, "type": typ, "subType": sub if typ == 49 else 0,
                    "content": m.text if typ == 1 else f"<msg><appmsg><title>{escape(m.text)}</title><type>{sub}</type>"
                                                       "</appmsg></msg>",
                    "compressContent": None, "isChatRoom": chat.is_group,
                    "chatRoomSender": "" if m.is_self else sender})
    folder.mkdir(parents=True, exist_ok=True)
    path = _browser_name(folder, "chatlog", ".json")
    path.write_bytes(go_json(out).encode("utf-8"))
    return [path]


LAYOUTS = {
    "csv": write_csv, "json": write_json, "json_v0.0.21": write_json_v0021, "text_multi": write_text_multi,
    "text_single": write_text_single, "text_days": write_text_days, "json_v0.0.5": write_json_v0005,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.crawler.exports.make_chatlog OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for name, write in LAYOUTS.items():
        for chat in (group_chat(), private_chat()) if not name.startswith("text") else (group_chat(),):
            for path in write(chat, out / name):
                print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
