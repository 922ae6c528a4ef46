"""WeChat message types shared by the Windows export tools, and the app-message XML inside them.

Type/SubType: 1 text · 3 image · 34 voice · 43 video · 47 sticker · 48 location · 49 app family
(49/5 link card, 49/6 file, 49/19 merged forward, 49/57 quoted reply, 49/87 group notice,
49/2000 transfer) · 10000 system.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..cleaning import clean_text

#: Skipped message kinds by type code (Chinese labels, as counted in import reports).
MEDIA_TYPES = {3: "图片", 34: "语音", 43: "视频", 47: "表情", 48: "位置", 42: "名片", 50: "通话",
               10000: "系统消息", 10002: "系统消息"}
APP_SKIP = {6: "文件", 19: "合并转发", 2000: "转账", 2001: "红包", 33: "小程序", 36: "小程序", 51: "视频号",
            3: "音乐", 4: "视频", 8: "表情", 87: "群公告", 62: "拍一拍"}

_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(slots=True)
class Message:
    """What a message says once its type is understood: text to keep, or a skip kind."""

    text: str = ""
    skip: str = ""  # non-empty: not imported, counted under this kind (one of records.SKIP_KINDS)
    url: str = ""
    kind: str = "text"  # text | link | quote
    title: str = ""  # a link card's title (its text is title + description)
    quote_name: str = ""
    quote_text: str = ""
    quote_id: str = ""


def _xml_root(content: str):
    i = content.find("<msg")
    if i < 0:
        i = content.find("<?xml")
    if i < 0:
        return None
    try:
        return etree.fromstring(content[i:].encode("utf-8"), _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _find(root, path: str) -> str:
    el = root.find(path)
    return (el.text or "").strip() if el is not None and el.text else ""


def app_message(content: str, sub_type: int = 0) -> Message:
    """A type-49 message from its XML: link card, quoted reply, group notice, or a skip."""
    root = _xml_root(content)
    if root is None:
        return Message(skip="其他")
    app = root.find("appmsg")
    if app is None:
        return Message(skip="其他")
    try:
        t = int(_find(app, "type") or sub_type or 0)
    except ValueError:
        t = sub_type
    title = _find(app, "title")
    if t == 57:
        ref = app.find("refermsg")
        msg = Message(text=clean_text(title), kind="quote")
        if ref is not None:
            msg.quote_name = _find(ref, "displayname")
            msg.quote_id = _find(ref, "svrid")
            ref_type = _find(ref, "type")
            if ref_type in ("", "1"):
                msg.quote_text = clean_text(_find(ref, "content"))
            elif ref_type.isdigit():  # a quoted picture, voice message …: keep what it was
                msg.quote_text = f"[{MEDIA_TYPES.get(int(ref_type), '消息')}]"
        return msg
    if t == 87:
        return Message(skip="群公告")
    if t == 5:
        return link_message(title, _find(app, "des"), _find(app, "url"))
    return Message(skip=APP_SKIP.get(t, "其他"))


def link_message(title: str, description: str = "", url: str = "") -> Message:
    """A link card: its title and description (the description only when it adds something)."""
    title, description = clean_text(title), clean_text(description)
    text = f"{title}\n{description}" if description and description != title else title
    return Message(text=text, kind="link", url=url, title=title or description)


def typed_message(type_code: int, sub_type: int, content: str) -> Message:
    """Interpret a (Type, SubType, StrContent) triple."""
    if type_code == 1:
        return Message(text=clean_text(content))
    if type_code == 49:
        return app_message(content, sub_type)
    return Message(skip=MEDIA_TYPES.get(type_code, "其他"))
