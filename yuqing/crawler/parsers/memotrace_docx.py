"""MemoTrace (留痕, LC044/WeChatMsg) Word exports (.docx), read with zipfile + lxml.

Every message is a one-row, two-column table: one cell holds the sender's avatar picture (inserted
from ``avatar/<wxid>.png``, whose file name Word keeps as the picture's name), the other the
message. A centred paragraph between the tables is a time (``%Y-%m-%d %H:%M:%S``, written when more
than 5 minutes passed since the last one: the only time the document has) or a system line.

* **1.0.x – 2.0.5** (``exporter_docx.py``): the content cell holds the text; a quoted reply has a
  second paragraph ``<quoted name>:<quoted text>``; voice, video and stickers are ``【语音】`` …
  placeholders; no sender names (the avatar's wxid is the author); link cards are not written.
* **3.x** (``exporter/exporter_docx.py``, ``<remark>_<n>.docx`` per 500 messages): in a group the
  content cell starts with ``<display name>`` and a line break; every other kind is written as
  ``Message.to_text()`` (``【语音】…``, ``【文件】…``); link cards, mini programs and music are a nested
  table (title with its hyperlink, description, app name).

See ``docs/formats.md`` (MemoTrace HTML and Word).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime

from lxml import etree

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_record, from_local
from .memotrace_html import folder_chat
from .records import ParseContext, Record, Skipped
from .wxmsg import APP_SKIP, Message, app_message, link_message

#: MemoTrace writes a time above a message only when 5 minutes have passed since the last one it wrote.
TIME_WINDOW = 300

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W}}}"
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_AVATAR = re.compile(r"^(.+)\.(?:png|jpg|jpeg)$", re.I)
_AVATAR_EMU = 457200  # 0.5 inch: the avatar's width
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)

#: ``to_text()`` placeholders (3.x) and the fixed placeholders of 2.x → skip kind.
_PLACEHOLDERS = (
    ("【语音】", "语音"), ("【视频】", "视频"), ("【表情包】", "表情"), ("【文件】", "文件"), ("【图片丢失】", "图片"),
    ("【图片】", "图片"), ("【位置分享】", "位置"), ("【名片】", "名片"), ("【音视频通话】", "通话"), ("【红包】", "红包"),
    ("【合并转发的聊天记录】", "合并转发"), ("【视频号】", "视频号"), ("【笔记】", "其他"), ("【分享链接】", "链接"),
    ("【发起转账】", "转账"), ("【已收款】", "转账"), ("【已退还】", "转账"), ("【非实时转账收款】", "转账"),
    ("【发起非实时转账】", "转账"), ("【未知】", "转账"),
)
_ILLEGAL = "非法字符"  # what MemoTrace writes when Word refused a text's characters (the text is lost)
_NO_REFER = "未知引用"  # what 2.x writes under a reply to anything but a text
_UNKNOWN_DUMP = re.compile(r"^-?\d+\n[{<]")  # 3.x Message.to_text() of an untyped message: "<type>\n{dict}"


def _text(el) -> str:
    """The visible text of a paragraph or run (``w:br`` → newline, ``w:tab`` → tab)."""
    out: list[str] = []
    for node in el.iter(f"{_W}t", f"{_W}br", f"{_W}cr", f"{_W}tab"):
        tag = node.tag
        if tag == f"{_W}t":
            out.append(node.text or "")
        elif tag == f"{_W}tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _pictures(el) -> list[tuple[str, int]]:
    """(picture name, width in EMU) of every inline picture under ``el``."""
    out = []
    for inline in el.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor"):
        ext = inline.find(f"{{{WP}}}extent")
        pic = inline.find(f".//{{{PIC}}}cNvPr")
        name = pic.get("name", "") if pic is not None else ""
        out.append((name, int(ext.get("cx", "0")) if ext is not None else 0))
    return out


def _cell_width(tc) -> int:
    w = tc.find(f"{_W}tcPr/{_W}tcW")
    try:
        return int(w.get(f"{_W}w", "0")) if w is not None else 0
    except ValueError:
        return 0


def _split_cells(tbl) -> tuple[object, object, int] | None:
    """(avatar cell, content cell, avatar cell index) of a message table, or None."""
    rows = tbl.findall(f"{_W}tr")
    if len(rows) != 1:
        return None
    cells = rows[0].findall(f"{_W}tc")
    if len(cells) != 2:
        return None

    def avatar_score(i: int) -> int:
        tc = cells[i]
        pics = _pictures(tc)
        if len(pics) != 1 or _text(tc).strip():
            return 0
        return 1 + (_cell_width(tc) == 720) + (pics[0][1] == _AVATAR_EMU)

    scores = [avatar_score(0), avatar_score(1)]
    if not any(scores):
        return None
    i = 0 if scores[0] >= scores[1] else 1
    if scores[0] == scores[1]:  # an image message: both cells are a single picture; the avatar is 0.5 in
        i = 0 if _pictures(cells[0])[0][1] <= _pictures(cells[1])[0][1] else 1
    return cells[i], cells[1 - i], i


def _paragraphs(tc) -> list:
    return tc.findall(f"{_W}p")


def _first_line_name(p) -> tuple[str, str]:
    """3.x group cells: the first run is ``<display name>`` + line break. Returns (name, rest)."""
    runs = p.findall(f"{_W}r") + p.findall(f"{_W}hyperlink/{_W}r")
    if len(runs) < 2:
        return "", _text(p)
    first = runs[0]
    children = [c for c in first if c.tag in (f"{_W}t", f"{_W}br", f"{_W}tab")]
    if len(children) != 2 or children[0].tag != f"{_W}t" or children[1].tag != f"{_W}br":
        return "", _text(p)
    return children[0].text or "", "".join(_text(r) for r in runs[1:])


def _placeholder(text: str) -> str:
    for prefix, kind in _PLACEHOLDERS:
        if text.startswith(prefix):
            return kind
    if text.lstrip().startswith(("<msg", "<?xml", "<sysmsg")):
        return app_message(text).skip or "其他"
    if _UNKNOWN_DUMP.match(text):
        if "revokemsg" in text:
            return "撤回"
        m = re.search(r"""['"<]type['">]:? ?'?(\d+)""", text)
        return APP_SKIP.get(int(m[1]), "其他") if m else "其他"
    return ""


def _card(tbl) -> tuple[str, str]:
    """A 3.x link card, a nested table: (title — maybe a hyperlink —, description); the app name is left."""
    rows = [tr.findall(f"{_W}tc") for tr in tbl.findall(f"{_W}tr")]
    title = _text(rows[0][0]) if rows and rows[0] else ""
    description = _text(rows[1][0]) if len(rows) > 1 and rows[1] else ""
    return title, description


class _Msg:
    __slots__ = ("kind", "text", "quote", "description", "author", "wxid", "is_self", "where", "url")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k, ""))


def _message(tbl, n: int, hyperlinks: dict[str, str]) -> tuple[_Msg | None, str]:
    """One message table → (message, skip kind); (None, "") when it is not a message table."""
    split = _split_cells(tbl)
    if split is None:
        return None, ""
    avatar, content, index = split
    pics = _pictures(avatar)
    m = _AVATAR.match(pics[0][0]) if pics else None
    msg = _Msg(wxid=m[1] if m else "", is_self=index == 1, where=f"第 {n} 个消息表格")
    nested = content.find(f"{_W}tbl")
    if nested is not None:
        title, description = _card(nested)
        link = nested.find(f".//{_W}hyperlink")
        url = hyperlinks.get(link.get(f"{{{REL}}}id", ""), "") if link is not None else ""
        if not (title.strip() or description.strip()):
            return None, "链接"
        msg.kind, msg.text, msg.description, msg.url = "link", title, description, url
        return msg, ""
    paras = _paragraphs(content)
    if not paras:
        return None, "空消息"
    name, first = _first_line_name(paras[0])
    msg.author = name
    if _pictures(content):
        return None, "图片"
    if len(paras) >= 2 and _text(paras[1]).strip():
        msg.kind, msg.text, msg.quote = "quote", first, "\n".join(_text(p) for p in paras[1:])
        return msg, ""
    kind = _placeholder(first.strip())
    if kind:
        return None, kind
    if first.strip() == _ILLEGAL:
        return None, "其他"
    msg.kind, msg.text = "text", first
    return msg, ""


def _hyperlinks(zf: zipfile.ZipFile) -> dict[str, str]:
    try:
        rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return {}
    return {r.get("Id", ""): r.get("Target", "") for r in rels if r.get("TargetMode") == "External"}


def _open(data: bytes, ctx: ParseContext):
    from .archive import zip_problem

    if problem := zip_problem(data, "Word 文件"):
        return None, None, QuarantineRecord(ctx.origin, "整个文件", problem)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        xml = zf.read("word/document.xml")
    except KeyError:
        return None, None, QuarantineRecord(ctx.origin, "整个文件", "ZIP 压缩包里没有 Word 正文：若是压缩包，请先解压，再导入里面的导出文件")
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        return None, None, QuarantineRecord(ctx.origin, "整个文件", f"Word 文件无法打开（可能损坏或不完整）：{type(exc).__name__}")
    try:
        return zf, etree.fromstring(xml, _PARSER), None
    except etree.XMLSyntaxError as exc:
        return None, None, QuarantineRecord(ctx.origin, "整个文件", f"Word 文件内容已损坏：{exc.msg}")


def parse_docx(data: bytes, ctx: ParseContext) -> Iterator[Record]:
    """Records of a MemoTrace Word export; any other Word document gets one readable line."""
    zf, root, bad = _open(data, ctx)
    if bad is not None:
        yield bad
        return
    body = root.find(f"{_W}body")
    items: list = []  # ("time", datetime) | ("skip", kind) | ("msg", _Msg)
    tables = 0
    n = 0
    hyperlinks = _hyperlinks(zf)
    for el in (body if body is not None else ()):
        if el.tag == f"{_W}p":
            text = _text(el).strip()
            if not text:
                continue
            if _TIME.match(text):
                try:
                    items.append(("time", from_local(text, ctx.tz)))
                except BadTime:
                    items.append(("skip", "系统消息"))
            else:
                items.append(("skip", "系统消息"))
        elif el.tag == f"{_W}tbl":
            n += 1
            msg, skip = _message(el, n, hyperlinks)
            if msg is None and not skip:
                continue
            tables += 1
            items.append(("msg", msg) if msg is not None else ("skip", skip))
    if not tables:
        yield QuarantineRecord(ctx.origin, "整个文件", "Word 文档不是留痕（MemoTrace）导出的聊天记录（可能是聊天中发送的文件），未导入")
        return
    yield from _records(items, ctx)


def _records(items: list, ctx: ParseContext) -> Iterator[Record]:
    chat_id, chat_name = folder_chat(ctx.origin)
    # 3.x writes names in groups but not on quoted replies: learn wxid → name from the other messages
    names: dict[str, str] = {}
    for kind, v in items:
        if kind == "msg" and v.author and v.wxid:
            names.setdefault(v.wxid, v.author)
    when: datetime | None = None
    for kind, v in items:
        if kind == "time":
            when = v
            continue
        if kind == "skip":
            yield Skipped(v)
            continue
        text = clean_text(v.text)
        if v.kind == "link":
            msg = link_message(v.text, v.description, v.url)
        elif v.kind == "quote" and v.quote.strip() == _NO_REFER:
            msg = Message(text=text)  # 2.x: a reply to a picture, voice …: the quoted part is not known
        elif v.kind == "quote":
            name, sep, quoted = v.quote.partition(":")
            msg = Message(text=text, kind="quote", quote_name=name.strip() if sep else "",
                          quote_text=clean_text(quoted if sep else v.quote))
            if msg.quote_text.startswith("【") and _placeholder(msg.quote_text):
                msg.quote_text = f"[{_placeholder(msg.quote_text)}]"
        else:
            msg = Message(text=text)
        if not msg.text:
            yield Skipped("空消息")
            continue
        if when is None:
            yield QuarantineRecord(ctx.origin, v.where, "这条消息前面没有时间（时间在上一个 Word 分卷里），无法确定发送时间",
                                   raw=msg.text[:2000])
            continue
        author = v.author or names.get(v.wxid, "") or v.wxid or ("我" if v.is_self else "")
        rec = chat_record(msg, created_at=when, author=author, author_id=v.wxid, native_id="",
                          chat_id=chat_id, chat_name=chat_name, is_self=bool(v.is_self))
        rec.time_window = TIME_WINDOW  # the header's time: the message was sent within 5 minutes after it
        yield rec
