"""MemoTrace (留痕, LC044/WeChatMsg) HTML exports: the messages are a JavaScript array in the page.

Three layouts, told apart by the array's content (see ``docs/formats.md`` (MemoTrace HTML and Word)):

* **1.0.0** (Dec 2023, ``app/DataBase/output_pc.py``) and **1.0.1 – 2.0.5** (``exporter_html.py``):
  ``const chatMessages = [ { type:1, text: '…', is_send:0, …, displayname:'…'}, … ];`` — single-quoted
  JS literals with unquoted keys; every text went through ``escape_js_and_html`` (``html.escape``
  without quotes, then JS escapes), so it is HTML-unescaped here. 1.0.x also writes its 5-minute time
  separators into the array (``type:0`` with a date as text) and 1.0.0 replaced emoji codes with
  ``<img … id="微笑" class="emoji_img">``. Quoted replies are ``type:49, sub_type:57`` with
  ``refer_text: '<name>：<quoted text>'``; link cards ``type:49, sub_type:5`` with title/description/url.
* **3.x** (2025, ``exporter/exporter_html.py``): ``const chatMessages = <json.dumps(..., indent=4)>;``
  of ``Message.to_json()`` dicts whose strings were ``html.escape``-d unless they start with ``http``;
  ``type`` is ``str((sub_type << 32) | type)``. The same list, unescaped, is written beside the page
  as ``<name>.html.json`` (:func:`parse_html_json`).

The array is read with a scanner that understands JS string literals, so ``];`` or ``</script>`` in
a message cannot end it, and one damaged element costs that element only.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from pathlib import PurePath

from ...decoding import replace_lone_surrogates
from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_from_path, chat_record, from_unix
from .records import ParseContext, Record, Skipped
from .wxmsg import APP_SKIP, MEDIA_TYPES, Message, link_message

_ARRAY = re.compile(r"const\s+chatMessages\s*=\s*")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_PAGE_WXID = re.compile(r"""const\s+wxid\s*=\s*["']([^"'\n]+)["']""")
_TIME_MARK = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_EMOJI_IMG = re.compile(r"<img\b[^>]*>", re.I)
_IMG_ATTR = re.compile(r"""\b(id|alt)\s*=\s*["']([^"']+)["']""", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_ITEM_START = re.compile(r"\{\s*(?:type|\"type\")\s*:")
_RAW_TYPE = re.compile(r"""\btype["']?\s*:\s*["']?(-?\d+)""")
_RAW_SUB = re.compile(r"""\bsub_type["']?\s*:\s*(\d+)""")
#: Placeholders MemoTrace writes as a text message when a video file is gone.
_VIDEO_LOST = "视频丢失"
#: What 3.x names a quoted message it cannot find in the database.
_QUOTE_NOT_FOUND = "无效的消息"
#: What 2.0.x writes for a quoted reply whose XML it could not read (the real text is lost).
_REPLY_ERROR = ("发生错误", "用户名：引用错误")


class JSSyntaxError(ValueError):
    def __init__(self, msg: str, pos: int):
        super().__init__(msg)
        self.pos = pos


# --- a scanner for the JS/JSON literals MemoTrace writes ------------------------------------------
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_WORDS = {"true": True, "false": False, "null": None, "undefined": None, "True": True, "False": False,
          "None": None}
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_WS = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)+", re.S)
_STOP = {q: re.compile("[" + re.escape(q) + r"\\\n]") for q in "'\"`"}  # a string's end, an escape, a newline


_SURROGATE = re.compile("[\ud800-\udfff]")


def _pair_surrogates(text: str) -> str:
    """Join ``\\ud83d\\ude00`` escape pairs into their character; a lone half becomes U+FFFD."""
    return replace_lone_surrogates(text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass"))


_KEY_COLON = re.compile(r"""\s*(?:([A-Za-z_$][\w$]*)|"([^"\\\n]*)"|'([^'\\\n]*)')\s*:""")
_AFTER = re.compile(r"\s*([,}\]])")
_WS_START = frozenset(" \t\r\n/\ufeff\xa0")


class _Scanner:
    """A recursive-descent reader of JS object/array/string/number literals (no code)."""

    def __init__(self, text: str, pos: int = 0):
        self.s, self.i, self.n = text, pos, len(text)

    def ws(self) -> None:
        m = _WS.match(self.s, self.i)
        if m:
            self.i = m.end()

    def peek(self) -> str:
        if self.i < self.n and self.s[self.i] not in _WS_START:
            return self.s[self.i]
        self.ws()
        return self.s[self.i] if self.i < self.n else ""

    def value(self):
        c = self.peek()
        if c == "'" or c == '"' or c == "`":
            return self.string()
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        m = _NUMBER.match(self.s, self.i)
        if m:
            self.i = m.end()
            text = m.group()
            return float(text) if any(ch in text for ch in ".eE") else int(text)
        m = _IDENT.match(self.s, self.i)
        if m and m.group() in _WORDS:
            self.i = m.end()
            return _WORDS[m.group()]
        raise JSSyntaxError("无法识别的值", self.i)

    def string(self) -> str:
        quote = self.s[self.i]
        stop = _STOP[quote]
        i, n, out = self.i + 1, self.n, []
        while True:
            m = stop.search(self.s, i)
            if m is None:
                raise JSSyntaxError("字符串没有结束", self.i)
            j = m.start()
            out.append(self.s[i:j])
            c = self.s[j]
            if c == quote:
                self.i = j + 1
                text = "".join(out)
                return _pair_surrogates(text) if _SURROGATE.search(text) else text
            if c == "\n":
                if quote == "`":
                    out.append("\n")
                    i = j + 1
                    continue
                raise JSSyntaxError("字符串中有未转义的换行", j)
            esc = self.s[j + 1] if j + 1 < n else ""
            if esc == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", self.s[j + 2:j + 6]):
                out.append(chr(int(self.s[j + 2:j + 6], 16)))
                i = j + 6
            elif esc == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", self.s[j + 2:j + 4]):
                out.append(chr(int(self.s[j + 2:j + 4], 16)))
                i = j + 4
            elif esc == "\r" and self.s[j + 2:j + 3] == "\n":
                i = j + 3  # a line continuation
            elif esc == "\n":
                i = j + 2
            else:
                out.append(_ESCAPES.get(esc, esc))
                i = j + 2

    def key(self) -> str:
        m = _KEY_COLON.match(self.s, self.i)
        if m:
            self.i = m.end()
            return m.group(1) or m.group(2) or m.group(3) or ""
        c = self.peek()  # a quoted key with escapes
        if c not in ("'", '"'):
            raise JSSyntaxError("对象的键无效", self.i)
        k = self.string()
        if self.peek() != ":":
            raise JSSyntaxError("对象的键后面缺少冒号", self.i)
        self.i += 1
        return k

    def obj(self) -> dict:
        self.i += 1
        out: dict = {}
        if self.peek() == "}":
            self.i += 1
            return out
        while True:
            k = self.key()
            out[k] = self.value()
            m = _AFTER.match(self.s, self.i)
            if m is None or m.group(1) == "]":
                if self.i >= self.n:
                    raise JSSyntaxError("对象没有结束", self.i)
                raise JSSyntaxError("对象的成员之间缺少逗号", self.i)
            self.i = m.end()
            if m.group(1) == "}":
                return out
            if self.peek() == "}":  # a trailing comma
                self.i += 1
                return out

    def arr(self) -> list:
        self.i += 1
        out: list = []
        while True:
            c = self.peek()
            if c == "]":
                self.i += 1
                return out
            if c == ",":  # an elision
                self.i += 1
                continue
            if not c:
                raise JSSyntaxError("数组没有结束", self.i)
            out.append(self.value())
            c = self.peek()
            if c == ",":
                self.i += 1
            elif c != "]":
                raise JSSyntaxError("数组的元素之间缺少逗号", self.i)


def scan_array(text: str, start: int) -> Iterator[tuple[int, object | JSSyntaxError | None]]:
    """The elements of the JS array literal whose ``[`` is at ``start``: ``(position, element)``.

    A damaged element is yielded as ``(position, JSSyntaxError)`` and scanning resumes at the next
    element start (``{ type:``); ``(position, None)`` at the end means the array never closed.
    """
    sc = _Scanner(text, start + 1)
    while True:
        c = sc.peek()
        if c == "]":
            return
        if c == ",":
            sc.i += 1
            continue
        if not c:
            yield sc.i, None
            return
        pos = sc.i
        try:
            item = sc.value()
        except JSSyntaxError as exc:
            yield pos, exc
            nxt = _ITEM_START.search(text, max(exc.pos, pos + 1))
            if nxt is None:
                yield len(text), None
                return
            sc.i = nxt.start()
            continue
        yield pos, item
        c = sc.peek()
        if c == ",":
            sc.i += 1
        elif c != "]":
            if not c:
                yield sc.i, None
                return
            nxt = _ITEM_START.search(text, sc.i)
            if nxt is None:
                yield sc.i, None
                return
            sc.i = nxt.start()


# --- records -----------------------------------------------------------------------------------
def _chat_identity(text: str, ctx: ParseContext) -> tuple[str, str]:
    """(chat id, chat name): the page title (the chat's remark), the 3.x page's wxid, else the folder."""
    path_id, path_name = folder_chat(ctx.origin)
    m = _TITLE.search(text, 0, 200_000) or _TITLE.search(text)
    title = html_lib.unescape(m[1]).strip() if m else ""
    if title in ("出错了", "Chat Records"):
        title = ""
    w = _PAGE_WXID.search(text)
    chat_id = w[1] if w and w[1] not in ("{{wxid}}",) else ""
    name = title or path_name
    return chat_id or (path_id if path_id != path_name else name), name


def folder_chat(origin: str) -> tuple[str, str]:
    """(chat id, chat name) from a MemoTrace export folder: ``<remark>(<wxid>)/…`` (3.x) gives both;
    ``<remark>/…`` (1.x/2.x) gives the remark twice. The file name is not used (it may be renamed)."""
    p = PurePath(origin)
    folder = p.parent.name
    if folder and folder != "聊天记录":
        cid, name = chat_from_path(str(p.parent / (folder + ".x")))
        return cid, name
    return chat_from_path(origin)


def _unescape(s: object) -> str:
    return html_lib.unescape(str(s)) if s not in (None, "") else ""


def _legacy_text(s: object) -> str:
    """A 1.x/2.x text field: emoji ``<img>`` tags back to ``[微笑]``, ``<br>`` to newlines, entities out."""
    text = "" if s is None else str(s)
    if "<" in text:
        def emoji(m: re.Match) -> str:
            attrs = dict((k.lower(), v) for k, v in _IMG_ATTR.findall(m.group()))
            name = attrs.get("id") or attrs.get("alt") or ""
            return name if name.startswith("[") else (f"[{name}]" if name else "")
        text = _BR.sub("\n", _EMOJI_IMG.sub(emoji, text))
    return html_lib.unescape(text)


def _is_emoji_url(url: str) -> bool:
    return url.startswith("./emoji/") or any(k in url for k in ("mmemoticon", "stodownload", "emoji"))


def _legacy_kind(item: dict) -> Message:
    """What a 1.x/2.x element is: a kept message or a skip."""
    type_code = _int(item.get("type"))
    sub = _int(item.get("sub_type"))
    if type_code == 1:
        text = clean_text(_legacy_text(item.get("text")))
        if text == _VIDEO_LOST:
            return Message(skip="视频")
        return Message(text=text)
    if type_code == 49 and sub == 57:
        text, refer = _legacy_text(item.get("text")), _legacy_text(item.get("refer_text"))
        if (text, refer) == _REPLY_ERROR:
            return Message(skip="其他")
        msg = Message(text=clean_text(text))
        if refer:
            name, sep, quoted = refer.partition("：")
            if not sep:
                name, sep, quoted = refer.partition(":")
            msg.kind = "quote"
            msg.quote_name, msg.quote_text = (name.strip(), clean_text(quoted)) if sep else ("", clean_text(refer))
        return msg
    if type_code == 49 and sub == 5:
        msg = link_message(_unescape(item.get("title")), _unescape(item.get("description")), _unescape(item.get("url")))
        return msg if msg.text else Message(skip="链接")
    if type_code == 49:
        return Message(skip=APP_SKIP.get(sub, "其他"))
    if type_code == 0:
        return Message(skip="系统消息")
    if type_code == 3:
        return Message(skip="表情" if _is_emoji_url(str(item.get("text") or "")) else "图片")
    return Message(skip=MEDIA_TYPES.get(type_code, "其他"))


def _int(v: object) -> int:
    try:
        return int(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1


def _v3_types(item: dict) -> tuple[int, int]:
    """(WeChat Type, SubType) of a 3.x element: ``type`` is ``(sub_type << 32) | type``."""
    t = _int(item.get("type"))
    return (t & 0xFFFFFFFF, t >> 32) if t > 0 else (t, 0)


def _xml_get(d: object, *path: str) -> object:
    for k in path:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _v3_kind(item: dict, escaped: bool) -> Message:
    """What a 3.x ``Message.to_json()`` dict is. ``escaped``: its strings went through ``html.escape``
    (in the page) unless they start with ``http``."""
    def s(key: str) -> str:
        v = item.get(key)
        if v is None:
            return ""
        v = str(v)
        return html_lib.unescape(v) if escaped and not v.startswith("http") else v

    type_code, sub = _v3_types(item)
    app_type = str(_xml_get(item.get("xml_dict"), "msg", "appmsg", "type") or "")
    if app_type == "62":
        return Message(skip="拍一拍")
    if type_code == 1 and sub == 0:
        return Message(text=clean_text(s("text")))
    if type_code == 49 and sub == 57:
        msg = Message(text=clean_text(s("text")), kind="quote")
        quote = s("quote_text")
        name, sep, quoted = quote.partition(": ")
        msg.quote_name, msg.quote_text = (name, quoted) if sep else ("", quote)
        quote_type = _int(item.get("quote_type"))
        if quote_type not in (1, 244813135921):  # a quoted picture, file …: keep what it was, no link
            msg.quote_text = f"[{MEDIA_TYPES.get(quote_type & 0xFFFFFFFF, '消息')}]" if quote_type > 0 else ""
        msg.quote_text = clean_text(msg.quote_text)
        if msg.quote_text == _QUOTE_NOT_FOUND:  # 3.x could not find the quoted message
            msg.kind, msg.quote_name, msg.quote_text = "text", "", ""
        return msg
    if type_code == 49 and sub == 5:
        msg = link_message(s("title"), s("description"), s("url"))
        return msg if msg.text else Message(skip="链接")
    if type_code == 10000:
        return Message(skip="系统消息")
    if type_code == -1:
        return Message(skip=_unknown_skip(item.get("xml_dict")))
    if type_code == 49:
        return Message(skip=APP_SKIP.get(sub, "其他"))
    return Message(skip=MEDIA_TYPES.get(type_code, "其他"))


def _unknown_skip(xml: object) -> str:
    """The skip kind of a message 3.x could not type (``type: "-1"``), from its XML."""
    app_type = _xml_get(xml, "msg", "appmsg", "type")
    if app_type is not None and str(app_type).isdigit():
        return APP_SKIP.get(int(str(app_type)), "其他")
    sys_type = _xml_get(xml, "sysmsg", "@type")
    if sys_type == "revokemsg":
        return "撤回"
    if sys_type == "pat":
        return "拍一拍"
    return "其他" if not sys_type else "系统消息"


def _record(msg: Message, item: dict, when: object, author: str, author_id: str, chat: tuple[str, str],
            ctx: ParseContext, where: str) -> Iterator[Record]:
    if msg.skip:
        yield Skipped(msg.skip)
        return
    if not msg.text:
        yield Skipped("空消息")
        return
    try:
        created = from_unix(when)  # type: ignore[arg-type]
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, where, str(exc), raw=msg.text[:2000])
        return
    is_self = str(item.get("is_send")).lower() in ("1", "true")
    yield chat_record(msg, created_at=created, author=author or ("我" if is_self else ""), author_id=author_id,
                      native_id="", chat_id=chat[0], chat_name=chat[1], is_self=is_self)


_AVATAR_WXID = re.compile(r"(?:^|/)avatar/([^/]+)\.(?:png|jpg|jpeg)$")


def _legacy_record(item: dict, chat: tuple[str, str], ctx: ParseContext, where: str) -> Iterator[Record]:
    if _int(item.get("type")) == 0 and _TIME_MARK.match(str(item.get("text") or "")):
        return  # 1.0.x's 5-minute time separator, not a message
    msg = _legacy_kind(item)
    m = _AVATAR_WXID.search(str(item.get("avatar_path") or ""))
    yield from _record(msg, item, item.get("timestamp"), _legacy_text(item.get("displayname")).strip(),
                       m[1] if m else "", chat, ctx, where)


def _v3_record(item: dict, chat: tuple[str, str], ctx: ParseContext, where: str, escaped: bool) -> Iterator[Record]:
    msg = _v3_kind(item, escaped)
    name = item.get("display_name") or ""
    name = html_lib.unescape(name) if escaped and not str(name).startswith("http") else str(name)
    yield from _record(msg, item, item.get("timestamp"), name.strip(), "", chat, ctx, where)


def _is_v3(item: object) -> bool:
    return isinstance(item, dict) and ("display_name" in item or "server_id" in item) and "displayname" not in item


def parse_html(text: str, ctx: ParseContext) -> Iterator[Record]:
    """Records of a MemoTrace HTML page (any version)."""
    m = _ARRAY.search(text)
    if not m or text[m.end():m.end() + 1] != "[":
        if m and text[m.end():m.end() + 2] == "/*":
            yield QuarantineRecord(ctx.origin, "整个文件", "MemoTrace HTML 模板里没有写入聊天数据（导出未完成）")
        else:
            yield QuarantineRecord(ctx.origin, "整个文件", "MemoTrace HTML 中找不到 chatMessages 聊天数据")
        return
    chat = _chat_identity(text, ctx)
    n = 0
    for pos, item in _elements(text, m.end()):
        if item is None:
            yield QuarantineRecord(ctx.origin, f"第 {n + 1} 条消息起", f"文件不完整：chatMessages 数组没有结束（前 {n} 条已读取）")
            return
        n += 1
        where = f"第 {n} 条消息"
        if isinstance(item, JSSyntaxError):
            yield from _damaged(text, pos, item, ctx, where)
            continue
        if not isinstance(item, dict):
            continue
        if _is_v3(item):
            yield from _v3_record(item, chat, ctx, where, escaped=True)
        else:
            yield from _legacy_record(item, chat, ctx, where)


def _elements(text: str, start: int) -> Iterator[tuple[int, object | JSSyntaxError | None]]:
    """The array's elements: 3.x writes JSON, read at C speed; anything else (1.x/2.x literals, a
    damaged 3.x page) goes through :func:`scan_array`."""
    if _JSON_START.match(text, start):
        try:
            doc, end = json.JSONDecoder().raw_decode(text, start)
        except json.JSONDecodeError:
            pass
        else:
            if isinstance(doc, list):
                fix = _ESCAPED_SURROGATE.search(text, start, end) is not None
                for item in doc:
                    yield start, _fix_surrogates(item) if fix else item
                return
    yield from scan_array(text, start)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_JSON_START = re.compile(r'\[\s*(?:\]|\{\s*")')


def _fix_surrogates(obj):
    if isinstance(obj, str):
        return replace_lone_surrogates(obj) if _SURROGATE.search(obj) else obj
    if isinstance(obj, dict):
        return {k: _fix_surrogates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fix_surrogates(v) for v in obj]
    return obj


def _damaged(text: str, pos: int, exc: JSSyntaxError, ctx: ParseContext, where: str) -> Iterator[Record]:
    """A damaged element: a media/file element (MemoTrace writes file names unescaped) is still
    counted by its type; anything else is quarantined with its raw text."""
    end = _ITEM_START.search(text, max(exc.pos, pos + 1))
    raw = text[pos:end.start() if end else min(len(text), pos + 2000)]
    t, sub = _RAW_TYPE.search(raw), _RAW_SUB.search(raw)
    type_code = int(t[1]) if t else -1
    if type_code not in (-1, 1) and not (type_code == 49 and sub and sub[1] in ("57", "5")):
        yield Skipped(_legacy_kind({"type": type_code, "sub_type": sub[1] if sub else 0}).skip or "其他")
        return
    yield QuarantineRecord(ctx.origin, where, f"这条消息的数据无法解析（{exc}）", raw=raw[:2000])


def parse_html_json(doc: object, ctx: ParseContext) -> Iterator[Record]:
    """Records of MemoTrace 3.x's ``<name>.html.json`` (the page's messages, not HTML-escaped)."""
    if not isinstance(doc, list):
        yield QuarantineRecord(ctx.origin, "整个文件", "MemoTrace 3.x 的 .html.json 应是消息列表")
        return
    chat = folder_chat(ctx.origin)
    for n, item in enumerate(doc, 1):
        if isinstance(item, dict):
            yield from _v3_record(item, chat, ctx, f"第 {n} 条消息", escaped=False)
