"""MemoTrace (留痕, LC044/WeChatMsg) HTML, Word and AI exports of the harness chats, written the way
MemoTrace's own code writes them.

Upstream read (LC044/WeChatMsg; the GitHub repository is emptied, its history survives in forks such
as zprolab/WeChatMsg):

* 1.0.0 — ``app/DataBase/output_pc.py`` at e420446 (2023-12-20, version 1.0.0): HTML.
* 1.0.1 – 2.0.5 — ``app/util/exporter/exporter_html.py``, ``exporter_docx.py``, ``exporter_json.py``,
  ``exporter_ai_txt.py``, ``exporter.py``, ``output.py`` at b907ecc / 6535ed0^ (2024-03 … 2025-03,
  ``app/config.py`` version 2.0.5), ``app/util/compress_content.py``, ``app/person.py``,
  ``app/DataBase/msg.py``, ``app/resources/data/template.html`` (087b208), ``app/ui/contact/export/
  export_dialog.py`` (the message types ticked by default).
* 3.x — ``exporter/exporter_html.py``, ``exporter_docx.py``, ``exporter_json.py``,
  ``exporter_ai_txt.py``, ``exporter/exporter.py``, ``wxManager/model/message.py`` (``to_json``,
  ``to_text``), ``wxManager/parser/wechat_v3.py`` at 9457ecd (2025-04-09, wxManager 3.0.0),
  ``exporter/resources/template.html``.

Nothing upstream is copied: the page templates are stand-ins with the same structure (where the data
goes, the markers around it, the CSS that opens the 3.x page before the data), and the data is
written with the same escaping, field order, names, folders and file names.

Run ``python -m tests.crawler.exports.make_memotrace_rich OUTDIR`` to write every layout.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from .conversation import Chat, Message, Person, group_chat, private_chat

# --- bytes of the media and resource files MemoTrace copies ---------------------------------------


def png(seed: str, size: int = 4) -> bytes:
    """A tiny PNG whose colour depends on ``seed`` (each avatar its own picture)."""
    rgb = hashlib.md5(seed.encode()).digest()[:3]
    raw = b"".join(b"\x00" + rgb * size for _ in range(size))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)
#: ffmpeg's MP3 (an ID3v2 tag first), WeChat's SILK voice buffer, and the raw PCM 3.x leaves beside it.
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x23TSSE\x00\x00\x00\x0f\x00\x00\x03Lavf60.3.100\x00" + b"\xff\xfb\x90\x64" + bytes(400)
SILK = b"\x02#!SILK_V3" + bytes(range(200))


def pcm(seconds: float = 0.2, rate: int = 44100) -> bytes:
    """16-bit little-endian mono speech-like audio (a quiet 220 Hz tone with a slow swell)."""
    n = int(seconds * rate)
    return b"".join(struct.pack("<h", int(2500 * math.sin(2 * math.pi * 220 * i / rate)
                                           * (0.6 + 0.4 * math.sin(i / 3000))) + 1) for i in range(n))


#: MemoTrace 1.x/2.x copy ``app/resources/data/icons`` into every export folder's ``icon/``.
ICONS = ("csv", "excel", "file", "pause", "pdf", "phone", "play", "ppt", "transfer1", "transfer2", "transfer3",
         "txt", "video", "word", "zip")
#: MemoTrace 3.x copies ``exporter/resources/emoji`` (one PNG per WeChat emoji name) into ``emoji/``.
EMOJI_NAMES = ("微笑", "撇嘴", "色", "发呆", "得意", "流泪", "害羞", "强", "弱", "握手", "胜利", "抱拳", "OK", "666")


def _write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


# --- what WeChat holds besides the harness fields -------------------------------------------------
def svr(m: Message) -> str:
    return str(m.svrid)


def md5(m: Message) -> str:
    return hashlib.md5(f"{m.svrid}".encode()).hexdigest()


def head_url(p: Person | None) -> str:
    return f"https://wx.qlogo.cn/mmhead/ver_1/{hashlib.md5((p.wxid if p else '').encode()).hexdigest()}/132"


def refer_name(m: Message) -> str:
    """``refermsg/displayname`` of a quote: the quoted sender's group nickname or nickname."""
    q = m.quoted.sender if m.quoted is not None else None
    return (q.group_nick or q.nickname) if q else ""


STICKER_URL = "http://mmbiz.qpic.cn/mmemoticon/ajNVdqHZLLDSKTMRgM8agiadpFhKz9IJ3cD5Ra2sTROib/0"
LINK_APP = "东峪煤矿工会"


def str_time(ts: int) -> str:
    from datetime import datetime

    from .conversation import TZ
    return datetime.fromtimestamp(ts, TZ).strftime("%Y-%m-%d %H:%M:%S")


# --- 1.x / 2.x names and escaping ----------------------------------------------------------------
def escape_js_and_html(s: str | None) -> str:
    """MemoTrace's ``escape_js_and_html``: ``html.escape(quote=False)``, then JS string escapes."""
    if not s:
        return ""
    e = html.escape(s, quote=False)
    return (e.replace("\\", "\\\\").replace("'", r"\'").replace('"', r"\"").replace("\n", r"\n")
            .replace("\r", r"\r").replace("\t", r"\t"))


def remark_v1(p: Person) -> str:
    """``ContactPC.remark`` of 1.0.0: remark or nickname, ``\\/:*?"<>|`` replaced by ``_``."""
    return re.sub(r'[\/:*?"<>|]', "_", p.remark or p.nickname)


def remark_v2(p: Person) -> str:
    """``Contact.remark`` of 1.0.x – 2.0.5: also whitespace and dots become ``_``."""
    return re.sub(r'[\\/:*?"<>|\s\.]', "_", p.remark or p.nickname)


def chat_remark_v2(chat: Chat) -> str:
    return re.sub(r'[\\/:*?"<>|\s\.]', "_", chat.remark or chat.name)


def name_v1(chat: Chat, m: Message) -> str:
    if m.sender is None:
        return ""
    return chat.owner.nickname if m.is_self else remark_v1(m.sender)


def name_v2(chat: Chat, m: Message) -> str:
    """``get_display_name``: ``Me().name`` for the exporting account, else the sender's remark."""
    if m.sender is None:
        return ""
    return chat.owner.nickname if m.is_self else remark_v2(m.sender)


def name_v3(chat: Chat, m: Message) -> str:
    """3.x ``display_name``: the contact's remark, else nickname (nothing replaced)."""
    if m.sender is None:
        return ""
    return m.sender.remark or m.sender.nickname


# --- HTML 1.0.1 – 2.0.5 ----------------------------------------------------------------------------
#: ``export_dialog.py``: what an HTML export ticks unless the user ticks more (全选 ticks everything).
HTML_DEFAULT_TYPES = frozenset({1, 3, 10000})
ALL_TYPES = frozenset({1, 3, 34, 43, 47, 4903, 4906, 4905, 492000, 50, 10000})

_CSS = """<style>
* { padding: 0; margin: 0; }
body { margin: 0; display: flex; background-color: #F5F5F5; }
.page .main-body .title-bar { height: 60px; display: flex; }
.bubble { white-space: pre-wrap; max-width: 400px; }
.chat-refer { margin-top: 5px; color: #797979; font-size: 12px; }
.item.item-center span { font-size: 12px; }
.chat-music-audio, .chat-file { width: 300px; display: flex; }
.chat-music-audio .play-button.playing { background: url("./icon/pause.png"); }
.chat-music-audio .play-button.paused { background: url("./icon/play.png"); }
.transfer-box { width: 200px; height: 80px; }
.transfer-box[paysubtype="1"] i { background-image: url(./icon/transfer1.png); }
.call[calltype='1'] i { background-image: url(./icon/phone.png); }
.emoji_img { width: 22px; height: 22px; }
</style>"""


def _template_v2(title: str) -> tuple[str, str]:
    """A stand-in for ``template.html`` (2.0.x) split at its marker, title filled in."""
    head = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta name="referrer" content="no-referrer"/>
    {_CSS}
    <title>{title}</title>
</head>
<body>
<div class="page">
    <div class="main-body">
        <div class="title-bar"><p id="title">{title}</p></div>
        <div class="container"><div class="content" id="chat-container"></div></div>
    </div>
</div>
<script>
const chatMessages = [
"""
    end = """
];

</script>
<script>
const chatContainer = document.getElementById('chat-container');
function messageBubble(message, side) { const t = document.createElement('div'); t.innerHTML = message.text; return t; }
// the real page renders chatMessages 100 per page with innerHTML (so the texts are HTML)
</script>
</body>
</html>
"""
    return head, end


def _v2_element(chat: Chat, m: Message, types: frozenset[int]) -> str:
    """What ``HtmlExporter.export`` writes for one message (``""``: nothing)."""
    is_send = int(m.is_self)
    ts = m.epoch
    chatroom = int(chat.is_group)
    avatar = head_url(m.sender)
    name = escape_js_and_html(name_v2(chat, m))
    common = f"is_send:{is_send},avatar_path:'{avatar}',timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'"
    if m.kind == "text" and 1 in types:
        return f"{{ type:1, text: '{escape_js_and_html(m.text)}',{common}}},"
    if m.kind == "image" and 3 in types:
        return f"{{ type:3, text: './image/{md5(m)}.jpg',{common}}},"
    if m.kind == "voice" and 34 in types:
        return (f"{{ type:34, text:'./voice/{svr(m)}.mp3',is_send:{is_send},avatar_path:'{avatar}',voice_to_text:'',"
                f"timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'}},")
    if m.kind == "video" and 43 in types:
        return f"{{ type:43, text: './video/{md5(m)}.mp4',{common}}},"
    if m.kind == "sticker" and 47 in types:
        return f"{{ type:3, text: '{STICKER_URL}',{common}}},"
    if m.kind == "system" and 10000 in types:
        return (f"{{ type:0, text: '{escape_js_and_html(m.text)}',is_send:{is_send},avatar_path:'',timestamp:{ts},"
                f"is_chatroom:{chatroom},displayname:''}},")
    if m.kind == "quote" and 1 in types:
        text = escape_js_and_html(m.text)
        if m.quoted is not None and m.quoted.kind == "text":  # parser_reply keeps refer only for type 1
            refer = f"{escape_js_and_html(refer_name(m))}：{escape_js_and_html(m.quoted.text)}"
            return (f"{{ type:49, text: '{text}',is_send:{is_send},sub_type:57,refer_text: '{refer}',"
                    f"avatar_path:'{avatar}',timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'}},")
        return (f"{{ type:49, text: '{text}',is_send:{is_send},sub_type:57,avatar_path:'{avatar}',"
                f"timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'}},")
    if m.kind == "file" and 4906 in types:  # not downloaded on the exporting PC: file_path ""
        return (f"{{ type:49, text: '',{common},icon_path: './icon/excel.png',sub_type:6,file_name: '{m.text}',"
                f"file_size: '23.5 KB',app_name: 'None'}},")
    if m.kind == "link" and 4905 in types:
        return (f"{{ type:49,sub_type:5, text:'',is_send:{is_send},avatar_path:'{avatar}',"
                f"url:'{escape_js_and_html(m.link_url)}',timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}',"
                f"title:'{escape_js_and_html(m.text)}',description:'{escape_js_and_html(m.link_des)}',thumbnail:'',"
                f"app_logo:'',app_name:'{escape_js_and_html(LINK_APP)}'}},\n")
    if m.kind == "transfer" and 492000 in types:
        return (f"{{ type:49,sub_type:2000,text:'已收款',{common},paysubtype:3,pay_memo:'',feedesc:'￥200.00',}},\n")
    if m.kind == "call" and 50 in types:
        return (f"{{ type:50, text:'通话时长 00:35',call_type:1,avatar_path:'{avatar}',timestamp:{ts},"
                f"is_chatroom:{chatroom},displayname:'{name}',}},\n")
    return ""


def _icons(folder: Path) -> list[Path]:
    return [_write(folder / "icon" / f"{n}.png", png("icon-" + n)) for n in ICONS]


def write_html_v2(chat: Chat, out: Path, types: frozenset[int] = ALL_TYPES) -> list[Path]:
    """MemoTrace 1.0.1 – 2.0.5 HTML (``exporter_html.py`` b907ecc): ``data/聊天记录/<remark>/<remark>.html``
    and the media the export copies (icons always; images, voices, videos when ticked)."""
    remark = chat_remark_v2(chat)
    folder = out / "data" / "聊天记录" / remark
    files = _icons(folder)
    head, end = _template_v2(remark)
    body = "".join(_v2_element(chat, m, types) for m in chat.messages)
    files.append(_write(folder / f"{remark}.html", head + body + end))
    for m in chat.messages:
        if m.kind == "image" and 3 in types:
            files.append(_write(folder / "image" / f"{md5(m)}.jpg", JPEG))
        elif m.kind == "voice" and 34 in types:
            files.append(_write(folder / "voice" / f"{svr(m)}.mp3", MP3))
        elif m.kind == "video" and 43 in types:
            files.append(_write(folder / "video" / f"{md5(m)}.mp4", MP4))
    return files


# --- HTML 1.0.0 ------------------------------------------------------------------------------------
#: 1.0.0 replaced WeChat emoji codes with images of the emoji (the ``emoji`` dict of output_pc.py).
EMOJI_IMG = {"[微笑]": 1, "[强]": 80, "[抱拳]": 118}


def _emoji_v1(escaped: str) -> str:
    for code, n in EMOJI_IMG.items():
        img = (f'<img src="https://res.wx.qq.com/t/wx_fed/we-emoji/res/v1.2.8/assets/Expression/Expression_{n}@2x.png" '
               f'id="{code[1:-1]}" class="emoji_img">')
        escaped = escaped.replace(code, img)
    return escaped


def write_html_v1(chat: Chat, out: Path) -> list[Path]:
    """MemoTrace 1.0.0 HTML (``app/DataBase/output_pc.py`` e420446): the 5-minute time separators are
    ``type:0`` elements of the array, emoji codes are ``<img>`` tags, avatars ``./avatar/<wxid>.png``."""
    remark = re.sub(r'[\/:*?"<>|]', "_", chat.remark or chat.name)
    folder = out / "data" / "聊天记录" / remark
    files: list[Path] = []
    people = {p.wxid: p for p in chat.members}
    for p in people.values():
        files.append(_write(folder / "avatar" / f"{p.wxid}.png", png(p.wxid)))
    last = 0
    parts: list[str] = []
    for m in chat.messages:
        ts, is_send, chatroom = m.epoch, int(m.is_self), int(chat.is_group)
        name = escape_js_and_html(name_v1(chat, m))
        wxid = (chat.owner.wxid if m.is_self else (m.sender.wxid if m.sender else "")) if chat.is_group else \
            (chat.owner.wxid if m.is_self else chat.id)
        avatar = f"./avatar/{wxid}.png"
        common = f"is_send:{is_send},avatar_path:'{avatar}',timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'"

        def mark(m=m, ts=ts, chatroom=chatroom, name=name) -> str:
            nonlocal last
            if abs(ts - last) > 300:
                last = ts
                return (f"{{ type:0, text: '{m.local_time}',is_send:0,avatar_path:'',timestamp:{ts},"
                        f"is_chatroom:{chatroom},displayname:'{name}'}},")
            return ""

        if m.kind == "text":
            parts.append(mark() + f"{{ type:1, text: '{_emoji_v1(escape_js_and_html(m.text))}',{common}}},")
        elif m.kind == "image":
            parts.append(mark() + f"{{ type:3, text: './image/{md5(m)}.jpg',{common}}},")
            files.append(_write(folder / "image" / f"{md5(m)}.jpg", JPEG))
        elif m.kind == "voice":
            parts.append(mark() + f"{{ type:34, text:'./voice/{svr(m)}.mp3',is_send:{is_send},avatar_path:'{avatar}',"
                                  f"voice_to_text:'',timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'}},")
            files.append(_write(folder / "voice" / f"{svr(m)}.mp3", MP3))
        elif m.kind == "sticker":
            parts.append(mark() + f"{{ type:3, text: './emoji/{md5(m)}.gif',{common}}},")
            files.append(_write(folder / "emoji" / f"{md5(m)}.gif", GIF))
        elif m.kind == "video":
            parts.append(mark() + f"{{ type:43, text: './video/{md5(m)}.mp4',{common}}},")
            files.append(_write(folder / "video" / f"{md5(m)}.mp4", MP4))
        elif m.kind == "system":
            parts.append(f"{{ type:0, text: '{escape_js_and_html(m.text)}',is_send:{is_send},avatar_path:'',"
                         f"timestamp:{ts},is_chatroom:{chatroom},displayname:''}},")
        elif m.kind == "quote":
            text = _emoji_v1(escape_js_and_html(m.text))
            if m.quoted is not None and m.quoted.kind == "text":
                refer = _emoji_v1(f"{escape_js_and_html(refer_name(m))}：{escape_js_and_html(m.quoted.text)}")
                parts.append(f"{{ type:49, text: '{text}',is_send:{is_send},sub_type:57,refer_text: '{refer}',"
                             f"avatar_path:'{avatar}',timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'}},")
            else:
                parts.append(f"{{ type:49, text: '{text}',is_send:{is_send},sub_type:57,avatar_path:'{avatar}',"
                             f"timestamp:{ts},is_chatroom:{chatroom},displayname:'{name}'}},")
    page = (f"""<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="UTF-8">
    <title>{remark}</title>
    {_CSS}
</head>
<body>
<div class="container"><div class="content" id="chat-container"></div></div>
<script>
    const chatContainer = document.getElementById('chat-container');
    // Sample chat messages (replace this with your actual data)
    const chatMessages = [
        """ + "".join(parts) + """
    ];
    function checkEnter(event) { if (event.keyCode === 13) { gotoPage(); } }
</script>
</body>
</html>
""")
    files.append(_write(folder / f"{remark}.html", page))
    return files


# --- 3.x: Message.to_json(), HTML page and .html.json ----------------------------------------------
def code_v3(m: Message) -> int:
    """3.x ``MessageType``: ``(sub_type << 32) | type`` (untyped messages: -1)."""
    t, sub = m.type_code
    if m.kind in ("notice", "recall"):
        return -1  # no factory in wechat_v3.FACTORY_REGISTRY: UnknownMessageFactory
    return (sub << 32) | t if sub else t


def _app_xml(m: Message, app_type: int, **extra) -> dict:
    appmsg = {"title": m.text, "des": extra.pop("des", ""), "type": str(app_type)}
    appmsg.update(extra)
    return {"msg": {"appmsg": appmsg, "fromusername": m.sender.wxid if m.sender else ""}}


def xml_dict(m: Message) -> dict:
    """``xmltodict.parse(xml_content)`` of the message (``{}`` when 3.x keeps no XML, e.g. texts)."""
    k = m.kind
    if k in ("text", "system"):
        return {}
    if k == "quote":
        q = m.quoted
        ref = {"type": str(q.type_code[0]) if q else "1", "svrid": str(q.svrid) if q else "",
               "displayname": refer_name(m), "content": q.text if q else ""}
        return _app_xml(m, 57, refermsg=ref)
    if k == "link":
        return _app_xml(m, 5, des=m.link_des, url=m.link_url, sourcedisplayname=LINK_APP)
    if k == "recall":
        return {"sysmsg": {"@type": "revokemsg", "revokemsg": {"session": "", "replacemsg": m.text}}}
    if k == "image":
        return {"msg": {"img": {"@md5": md5(m), "@length": "10240"}}}
    if k == "voice":
        return {"msg": {"voicemsg": {"@voicelength": "3000", "@length": "4096"}}}
    if k == "video":
        return {"msg": {"videomsg": {"@md5": md5(m), "@playlength": "6"}}}
    if k == "sticker":
        return {"msg": {"emoji": {"@md5": md5(m), "@cdnurl": STICKER_URL}}}
    if k in ("location",):
        return {"msg": {"location": {"@x": "36.1", "@y": "113.2", "@poiname": m.text, "@label": m.text}}}
    if k == "card":
        return {"msg": {"@username": "wxid_wang02", "@nickname": m.text}}
    if k == "call":
        return {"voipmsg": {"@type": "VoIPBubbleMsg", "VoIPBubbleMsg": {"msg": "通话时长 00:35"}}}
    return _app_xml(m, m.type_code[1])


def to_json_v3(chat: Chat, m: Message) -> dict:
    """``Message.to_json()`` of wxManager 3.0 for the harness message ``m``."""
    k = m.kind
    d: dict = {"type": str(code_v3(m)), "is_send": m.is_self, "timestamp": m.epoch, "server_id": svr(m),
               "display_name": name_v3(chat, m), "avatar_src": head_url(m.sender) if m.sender else "",
               "xml_dict": xml_dict(m)}
    month = m.local_time[:7]
    stem = f"{m.at.strftime('%Y%m%d_%H%M%S')}_{svr(m)[:6]}_{int(m.is_self)}"
    if k in ("text", "system"):
        d["text"] = m.text
    elif k == "quote":
        q = m.quoted
        d.update({"text": m.text, "quote_server_id": svr(q), "quote_type": code_v3(q)})
        qtext = {"text": q.text, "image": "【图片】"}.get(q.kind, "") if q else ""
        d["quote_text"] = f"{name_v3(chat, q)}: {qtext}"
    elif k == "image":
        d.update({"path": f"./image/{month}/{stem}.jpg", "file_name": f"{stem}.jpg", "file_size": 10240,
                  "file_type": "jpg", "thumb_path": f"./image_t/{month}/{stem}_t.jpg"})
    elif k == "sticker":
        d.update({"path": STICKER_URL, "file_name": "", "file_size": 0, "file_type": "png",
                  "thumb_path": "", "desc": ""})
    elif k == "voice":
        d.update({"path": f"./voice/{month}/{stem}.mp3", "file_name": stem, "file_size": 0, "file_type": "mp3",
                  "voice_to_text": "", "duration": 3})
    elif k == "video":
        d.update({"path": f"./video/{month}/{stem}.mp4", "file_name": stem, "file_size": 0, "file_type": "mp4",
                  "thumb_path": "", "duration": 6})
    elif k == "file":
        d.update({"path": "", "file_name": m.text, "file_size": 24064, "file_type": "xlsx"})
    elif k in ("link", "miniapp"):
        d.update({"url": m.link_url, "title": m.text, "description": m.link_des, "cover_url": "",
                  "app_logo": "", "app_name": LINK_APP if k == "link" else m.text})
    elif k == "pat":
        d["type"] = 10000  # PatMessage.to_json overrides the type with MessageType.System (an int)
        d["text"] = _pat_xml(m)
    elif k == "transfer":
        d.update({"text": "已收款", "pay_subtype": 3, "pay_memo": "", "fee_desc": "￥200.00"})
    elif k == "redpacket":
        d.update({"text": m.text, "inner_type": 0})
    elif k == "call":
        d.update({"invite_type": 1, "display_content": "通话时长 00:35", "duration": 35})
    elif k == "card":
        d.update({"is_open_im": False, "big_head_url": "", "small_head_url": "", "username": "wxid_wang02",
                  "nickname": m.text, "alias": "", "province": "山西", "city": "长治", "sex": "男",
                  "open_im_desc": "", "open_im_desc_icon": ""})
    elif k == "location":
        d.update({"x": 36.1, "y": 113.2, "label": m.text, "poiname": m.text, "scale": 15.0})
    elif k == "merged":
        d.update({"title": m.text, "description": "张 伟: 夜班补贴什么时候发", "messages": []})
    elif k == "channels":
        d.update({"url": "", "title": m.text, "cover_url": "", "duration": 30, "publisher_nickname": "", "publisher_avatar": ""})
    return d


def _pat_xml(m: Message) -> str:
    return f'<msg><appmsg appid="" sdkver="0"><title>{html.escape(m.text, quote=False)}</title><type>62</type></appmsg></msg>'


def dict_to_js(d: dict) -> dict:
    """3.x ``HtmlExporter.export``'s escaping: ``html.escape`` every string not starting with ``http``
    (nested dicts too; lists untouched)."""
    out = {}
    for k, v in d.items():
        if isinstance(v, str):
            out[k] = v if v.startswith("http") else html.escape(v)
        elif isinstance(v, dict):
            out[k] = dict_to_js(v)
        else:
            out[k] = v
    return out


def _template_v3(title: str, wxid: str) -> tuple[str, str]:
    """A stand-in for 3.x ``template.html``: > 64 KB of CSS first (flatpickr and the page's own, where
    MemoTrace's class names are), the title, then the data script split at the marker."""
    # upstream: flatpickr's CSS, the page's CSS (its class names before byte 65536), ~40 KB more CSS
    flatpickr = "".join(f".flatpickr-day.d{i}{{color:#{i % 4096:03x};margin:{i % 7}px}}\n" for i in range(900))
    more = "".join(f".timeline-item.t{i}{{padding:{i % 9}px;border-left:1px solid #{i % 4096:03x}}}\n" for i in range(1200))
    head = f"""<!DOCTYPE html>
<html lang="zh-CN">

<head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta name="referrer" content="no-referrer" />
    <link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.0.0/css/all.min.css">
    <style>
{flatpickr}
        .chat-refer {{ margin-top: 5px; }}
        .chat-music-audio .song-title {{ font-weight: bold; }}
        .transfer-box {{ width: 200px; }}
{more}
    </style>
    <title>{title}</title>
</head>
<body>
    <div class="page"><p id="title">{title}</p><div id="chat-container"></div></div>
    <script>
        const gender = ['未知', '男', '女'];
        const wxid="{wxid}";
        const isChatroom = wxid.endsWith("@chatroom");
        const avatarPaths = {{{{avatarPaths}}}};
        const avatarUrls = {{{{avatarUrls}}}};
        const chatMessages = """
    end = """;
        var timelineData = {{timelineData}};
        const AllIndex = {{AllIndex}};
    </script>
    <script type="text/javascript" src="http://apps.bdimg.com/libs/jquery/1.10.0/jquery.min.js"></script>
</body>

</html>
"""
    return head, end


def write_html_v3(chat: Chat, out: Path) -> list[Path]:
    """MemoTrace 3.x HTML (``exporter/exporter_html.py`` 9457ecd): ``聊天记录/<remark>(<wxid>)/<remark>.html``
    (data = ``json.dumps(dict_to_js(to_json), indent=4)``), the unescaped ``<remark>.html.json`` beside
    it, the copied emoji PNGs, avatars and media (voices leave their .silk and .pcm)."""
    remark = chat.remark or chat.name
    folder = out / "聊天记录" / f"{remark}({chat.id})"
    files = [_write(folder / "emoji" / f"{n}.png", png("emoji-" + n)) for n in EMOJI_NAMES]
    for p in chat.members:
        files.append(_write(folder / "avatar" / f"{p.wxid}.png", png(p.wxid)))
    data = [to_json_v3(chat, m) for m in chat.messages]
    head, end = _template_v3(remark, chat.id)
    page = head + json.dumps([dict_to_js(d) for d in data], ensure_ascii=False, indent=4)
    end = end.replace("{{timelineData}}", json.dumps({"2026": {"11": [1, data[0]["server_id"]]}}))
    end = end.replace("{{AllIndex}}", json.dumps(list(range(len(data)))))
    files.append(_write(folder / f"{remark}.html", page + end))
    files.append(_write(folder / f"{remark}.html.json", json.dumps(data, ensure_ascii=False, indent=4)))
    for m, d in zip(chat.messages, data):
        if m.kind == "image":
            files.append(_write(folder / d["path"], JPEG))
            files.append(_write(folder / d["thumb_path"], JPEG))
        elif m.kind == "voice":
            mp3 = folder / d["path"]
            files += [_write(mp3, MP3), _write(mp3.with_suffix(".silk"), SILK), _write(mp3.with_suffix(".pcm"), pcm())]
        elif m.kind == "video":
            files.append(_write(folder / d["path"], MP4))
    return files


# --- Word ----------------------------------------------------------------------------------------
def _new_doc(author: str = ""):
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.styles["Normal"].font.name = "Cambria"
    doc.styles["Normal"]._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    if author:
        doc.core_properties.author = author
        doc.core_properties.comments = "generated by MemoTrace"
    return doc


def _create_table(doc, is_send: bool, avatar: Path):
    """``DocxExporter.create_table``: avatar and content side by side (avatar right when sent)."""
    from docx import shared
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT

    table = doc.add_table(rows=1, cols=2, style="Normal Table")
    table.cell(0, 1).height = shared.Inches(0.5)
    table.cell(0, 0).height = shared.Inches(0.5)
    if is_send:
        table.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        table.cell(0, 1).paragraphs[0].add_run().add_picture(str(avatar), width=shared.Inches(0.5))
        table.cell(0, 1).width = shared.Inches(0.5)
        content = table.cell(0, 0)
        content.paragraphs[0].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
    else:
        table.cell(0, 0).paragraphs[0].add_run().add_picture(str(avatar), width=shared.Inches(0.5))
        table.cell(0, 0).width = shared.Inches(0.5)
        content = table.cell(0, 1)
    content.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    return content


def _sender_wxid(chat: Chat, m: Message) -> str:
    if m.is_self:
        return chat.owner.wxid
    return m.sender.wxid if m.sender else ""


@dataclass
class _FiveMinutes:
    """``ExporterBase.is_5_min``: a time is written when > 300 s passed since the last one written."""

    last: int = 0

    def __call__(self, ts: int) -> bool:
        if abs(ts - self.last) > 300:
            self.last = ts
            return True
        return False


#: ``export_dialog.py`` for Word: 文本, 图片, 语音, 视频, 表情包, 拍一拍等系统消息 (全选 ticks them all).
DOCX_TYPES_V2 = frozenset({1, 3, 34, 43, 47, 10000})


def write_docx_v2(chat: Chat, out: Path, types: frozenset[int] = DOCX_TYPES_V2) -> list[Path]:
    """MemoTrace 1.0.x – 2.0.5 Word (``exporter_docx.py`` b907ecc + ``output.py`` ``merge_docx``):
    ``data/聊天记录/<remark>/<remark>.docx`` (the 200-message parts merged, no names: avatars only),
    ``avatar/<wxid>.png``, the copied icons and decoded images."""
    from docx import shared
    from docx.enum.text import WD_COLOR_INDEX, WD_PARAGRAPH_ALIGNMENT

    remark = chat_remark_v2(chat)
    folder = out / "data" / "聊天记录" / remark
    files = _icons(folder)
    avatars = {}
    for p in chat.members:
        avatars[p.wxid] = _write(folder / "avatar" / f"{p.wxid}.png", png(p.wxid))
    files += list(avatars.values())
    doc = _new_doc()
    five = _FiveMinutes()
    for m in chat.messages:
        if five(m.epoch):  # for every message, exported or not
            doc.add_paragraph(m.local_time).alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        t = m.type_code[0]
        avatar = avatars.get(_sender_wxid(chat, m), avatars[chat.owner.wxid])
        if m.kind == "text" and 1 in types:
            cell = _create_table(doc, m.is_self, avatar)
            cell.paragraphs[0].add_run(m.text)
            if m.is_self:
                cell.paragraphs[0].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
            doc.add_paragraph()
        elif m.kind == "image" and 3 in types:
            cell = _create_table(doc, m.is_self, avatar)
            image = _write(folder / "image" / f"{md5(m)}.png", png("image" + md5(m), 16))
            files.append(image)
            cell.paragraphs[0].add_run().add_picture(str(image), height=shared.Inches(2))
            doc.add_paragraph()
        elif t in (34, 43, 47) and t in types:
            cell = _create_table(doc, m.is_self, avatar)
            cell.paragraphs[0].add_run({34: "【语音】", 43: "【视频】", 47: "【表情包】"}[t])
            if m.is_self:
                cell.paragraphs[0].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
            doc.add_paragraph()
        elif m.kind == "system" and 10000 in types:
            doc.add_paragraph(m.text).alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        elif m.kind == "quote" and 1 in types:
            cell = _create_table(doc, m.is_self, avatar)
            cell.paragraphs[0].add_run(m.text)
            reply_p = cell.add_paragraph()
            quoted_text = m.quoted is not None and m.quoted.kind == "text"
            run = cell.paragraphs[1].add_run(f"{refer_name(m)}:{m.quoted.text}" if quoted_text else "未知引用")
            run.font.color.rgb = shared.RGBColor(121, 121, 121)
            run.font.highlight_color = WD_COLOR_INDEX.GRAY_25
            if m.is_self:
                cell.paragraphs[0].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
                reply_p.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
            doc.add_paragraph()
    path = folder / f"{remark}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return files + [path]


def to_text_v3(chat: Chat, m: Message) -> str:
    """``Message.to_text()`` of wxManager 3.0 (what 3.x Word writes for every other kind)."""
    k = m.kind
    if k == "voice":
        return "【语音】"
    if k == "video":
        return "【视频】"
    if k == "sticker":
        return "【表情包】 "
    if k == "file":
        return f"【文件】{m.text} 0.02 MB  xlsx "
    if k == "location":
        return f"【位置分享】\n坐标: (36.1,113.2)\n名称: {m.text}\n标签: {m.text}\n"
    if k == "card":
        return f"【名片】\n微信号:\n昵称: {m.text}\n签名: \n性别: 男\n地区: 山西 长治\n"
    if k == "call":
        return "【音视频通话】\n通话时长 00:35"
    if k == "transfer":
        return "【已收款】:￥200.00\n备注: \n"
    if k == "redpacket":
        return f"【红包】: {m.text}"
    if k == "merged":
        return f"【合并转发的聊天记录】\n\n- {m.local_time} 张 伟: 夜班补贴什么时候发\n"
    if k == "channels":
        return f"【视频号】\n描述: {m.text}\n发布者: \n"
    if k == "pat":
        return _pat_xml(m)
    if code_v3(m) == -1:  # f'{self.type}\n{xmltodict.parse(self.xml_content)}'
        return f"-1\n{xml_dict(m) if m.kind == 'recall' else _app_xml(m, m.type_code[1])}"
    return m.text


def write_docx_v3(chat: Chat, out: Path, per_docx: int = 500) -> list[Path]:
    """MemoTrace 3.x Word (``exporter/exporter_docx.py`` 9457ecd): ``聊天记录/<remark>(<wxid>)/<remark>_<n>.docx``,
    ``per_docx`` messages each; in groups every text cell starts with the sender's name."""
    from docx import shared
    from docx.enum.dml import MSO_THEME_COLOR_INDEX
    from docx.enum.text import WD_COLOR_INDEX, WD_PARAGRAPH_ALIGNMENT
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    remark = chat.remark or chat.name
    folder = out / "聊天记录" / f"{remark}({chat.id})"
    avatars = {p.wxid: _write(folder / "avatar" / f"{p.wxid}.png", png(p.wxid)) for p in chat.members}
    files = list(avatars.values())

    def system_text(doc, text: str) -> None:
        p = doc.add_paragraph(text)
        p.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        p.runs[0].font.color.rgb = shared.RGBColor(121, 121, 121)
        p.runs[0].font.size = Pt(9)

    def text_message(doc, avatar: Path, is_send: bool, content: str, name: str) -> None:
        cell = _create_table(doc, is_send, avatar)
        if name:
            cell.paragraphs[0].add_run(name + "\n")
        cell.paragraphs[0].add_run(content)
        doc.add_paragraph()

    docs: list[Path] = []
    doc = _new_doc("MemoTrace")
    five = _FiveMinutes()
    total = len(chat.messages)
    for index, m in enumerate(chat.messages):
        if five(m.epoch):
            system_text(doc, m.local_time)
        avatar = avatars.get(_sender_wxid(chat, m)) or avatars[chat.owner.wxid]
        name = name_v3(chat, m) if chat.is_group else ""
        if m.kind in ("system",):
            system_text(doc, m.text)
        elif m.kind == "quote":
            q = m.quoted
            quoted = {"text": q.text, "image": "【图片】"}.get(q.kind, "") if q else ""
            cell = _create_table(doc, m.is_self, avatar)
            cell.paragraphs[0].add_run(m.text)
            reply_p = cell.add_paragraph()
            reply_p.add_run(f"{name_v3(chat, q)}:{quoted}")
            run = reply_p.runs[0]
            run.font.color.rgb = shared.RGBColor(121, 121, 121)
            run.font.highlight_color = WD_COLOR_INDEX.GRAY_25
            if m.is_self:
                cell.paragraphs[0].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
                reply_p.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
            doc.add_paragraph()
        elif m.kind == "image":
            cell = _create_table(doc, m.is_self, avatar)
            if chat.is_group:
                cell.paragraphs[0].add_run(name + "\n")
            image = _write(folder / "image" / m.local_time[:7] / f"{md5(m)}.jpg", png("image" + md5(m), 16))
            files.append(image)
            cell.paragraphs[0].add_run().add_picture(str(image), height=shared.Inches(2))
            doc.add_paragraph()
        elif m.kind in ("link", "miniapp"):
            cell = _create_table(doc, m.is_self, avatar)
            table = cell.add_table(rows=3, cols=2)
            for x, width in enumerate([10086, 0.5]):
                for c in table.columns[x].cells:
                    c.width = Inches(width)
            header = table.cell(0, 0)
            header.merge(table.cell(0, 1))
            p_title = header.paragraphs[0]
            p_title.add_run(m.text)
            run = p_title.runs[0]
            run.font.size = Pt(12)
            if m.link_url:
                r_id = p_title.part.relate_to(m.link_url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
                hyperlink = OxmlElement("w:hyperlink")
                hyperlink.set(qn("r:id"), r_id)
                run.font.color.theme_color = MSO_THEME_COLOR_INDEX.HYPERLINK
                run.font.underline = True
                hyperlink.append(run._r)
                p_title._element.append(hyperlink)
            table.cell(1, 0).paragraphs[0].add_run(m.link_des)
            table.cell(1, 1).width = shared.Inches(0.5)
            app = table.cell(2, 0)
            app.merge(table.cell(2, 1))
            app.paragraphs[0].add_run(LINK_APP if m.kind == "link" else m.text)
            first = cell.paragraphs[0]._element
            first.getparent().remove(first)
            doc.add_paragraph()
        else:
            text_message(doc, avatar, m.is_self, to_text_v3(chat, m), name)
        if (index + 1) % per_docx == 0 or index == total - 1:
            path = folder / f"{remark}_{len(docs) + 1}.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            doc.save(str(path))
            docs.append(path)
            doc = _new_doc("MemoTrace")
    return files + docs


# --- AI training exports ---------------------------------------------------------------------------
def write_ai_json_v2(chat: Chat, out: Path) -> list[Path]:
    """2.0.x ``exporter_json.py``: the text messages split where the gap exceeds 60 s
    (``split_by_intervals``), each group a ``{"conversations": [...]}`` of a system prompt and
    user/assistant turns (the exporting account is the assistant; a group must start with a user turn
    and end with an assistant turn; consecutive turns of one role merged with ``\\n``), shuffled, 20 %
    to ``<remark>_dev.json`` and the rest to ``<remark>_train.json`` (left unshuffled here)."""
    remark = chat_remark_v2(chat)
    folder = out / "data" / "聊天记录" / remark
    msgs = [m for m in chat.messages if m.kind == "text"]
    groups: list[list[Message]] = []
    i = 0
    while i < len(msgs):
        while msgs[i].is_self and i + 1 < len(msgs):
            i += 1
        group = [msgs[i]]
        i += 1
        while i < len(msgs) and msgs[i].epoch - group[-1].epoch <= 60:
            group.append(msgs[i])
            i += 1
        while i < len(msgs) and msgs[i].is_self:
            group.append(msgs[i])
            i += 1
        groups.append(group)
    system = {"role": "system", "content": f"你是{chat.owner.nickname}，一个聪明、热情、善良的人，后面的对话来自你的朋友，你要认真地回答他"}
    data = []
    for group in groups:
        while group and not group[-1].is_self:
            group.pop()
        turns = [system]
        for m in group:
            if len(turns) == 1 and m.is_self:
                continue
            role = "assistant" if m.is_self else "user"
            if turns[-1]["role"] == role:
                turns[-1] = {"role": role, "content": turns[-1]["content"] + "\n" + m.text}
            else:
                turns.append({"role": role, "content": m.text})
        if len(turns) > 1:
            data.append({"conversations": turns})
    split = int(len(data) * 0.2)
    return [_write(folder / f"{remark}_train.json", json.dumps(data[split:], ensure_ascii=False, indent=4)),
            _write(folder / f"{remark}_dev.json", json.dumps(data[:split], ensure_ascii=False, indent=4))]


def write_ai_json_v3(chat: Chat, out: Path) -> list[Path]:
    """3.x ``exporter/exporter_json.py`` (default ``JsonConfig``: Alpaca): ``<remark>.json`` of
    ``{system, instruction, input, output, history}``."""
    remark = chat.remark or chat.name
    folder = out / "聊天记录" / f"{remark}({chat.id})"
    texts = [m.text for m in chat.messages if m.kind == "text"]
    data = [{"system": "", "instruction": texts[i], "input": "", "output": texts[i + 1], "history": []}
            for i in range(0, len(texts) - 1, 2)]
    return [_write(folder / f"{remark}.json", json.dumps(data, ensure_ascii=False, indent=4))]


def write_ai_txt(chat: Chat, out: Path) -> list[Path]:
    """``exporter_ai_txt.py`` (2.0.x/3.x): per day ``\\n\\n****…<date>****…\\n``, the name on a change of
    sender, texts run together."""
    remark = chat_remark_v2(chat)
    folder = out / "data" / "聊天记录" / remark
    days: dict[str, list[str]] = {}
    last = -1
    for m in chat.messages:
        if m.kind != "text":
            continue
        title = f"\n{name_v2(chat, m)}:" if int(m.is_self) != last else ""
        last = int(m.is_self)
        days.setdefault(m.local_time[:10], []).append(f"{title}{m.text} ")
    text = "".join(f"\n\n{'*' * 20}{d}{'*' * 20}\n" + "".join(v) for d, v in days.items())
    return [_write(folder / f"{remark}_chat.txt", text)]


LAYOUTS = {
    "html_1.0.0": write_html_v1,
    "html_2.0": write_html_v2,
    "html_3.0": write_html_v3,
    "docx_2.0": write_docx_v2,
    "docx_3.0": write_docx_v3,
    "ai_json_2.0": write_ai_json_v2,
    "ai_json_3.0": write_ai_json_v3,
    "ai_txt": write_ai_txt,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.crawler.exports.make_memotrace_rich OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for name, write in LAYOUTS.items():
        for chat in (group_chat(), private_chat()):
            for f in write(chat, out / name):
                print(f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
