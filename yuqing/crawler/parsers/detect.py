"""Which export format a file is in, judged from its content (never from its name)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chatlog import looks_like_text as _chatlog_text

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Detection:
    fmt: str | None  # a key of yuqing.crawler.parsers.FORMATS, or None
    reason: str = ""  # why it is not importable, when fmt is None
    #: A file that holds no posts by design (an image, a voice clip, a stylesheet an exporter
    #: copied beside its export): skipped and counted under this kind, never quarantined.
    asset: str = ""


#: Magic numbers of the media and resource files exporters copy beside their exports.
_ASSET_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "图片"), (b"\xff\xd8\xff", "图片"), (b"GIF87a", "图片"), (b"GIF89a", "图片"),
    (b"\x00\x00\x01\x00", "图片"), (b"#!AMR", "语音"), (b"#!SILK_V3", "语音"),
    (b"\x02#!SILK_V3", "语音"), (b"ID3", "音频"), (b"OggS", "音频"), (b"fLaC", "音频"), (b"wOFF", "字体"),
    (b"wOF2", "字体"), (b"\x00\x01\x00\x00\x00", "字体"), (b"OTTO", "字体"),
)


def asset_kind(head: bytes) -> str:
    """The kind of media/resource file ``head`` starts, or ``""``."""
    for magic, kind in _ASSET_MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "图片" if head[8:12] == b"WEBP" else ("音频" if head[8:12] == b"WAVE" else "视频")
    if head[4:8] == b"ftyp":
        return "视频"
    return ""


_CSV_HEADERS = (
    ("localId,TalkerId,Type,SubType,IsSender,CreateTime", "memotrace_csv"),
    ("id,MsgSvrID,type_name,is_sender,talker,room_name", "pywxdump_csv"),
    ("Time,SenderName,Sender,TalkerName,Talker,Content", "chatlog_csv"),
)
_MEMOTRACE_TXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: |$)")
_EXPORTER_TXT = re.compile(r"^.+ \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\):")
_JSON_KEYS = (
    (('"MsgSvrID"', '"type_name"'), "pywxdump_json"),
    (('"talkerName"', '"senderName"'), "chatlog_json"),
    (('"chatRoomSender"', '"isSender"'), "chatlog_json"),  # chatlog v0.0.2–v0.0.5 (quarantined with advice)
    (('"appmsgid"',), "articles_json"),
    (('"_accountName"',), "articles_json"),
    (('"post_stream"',), "discourse_topic"),
    (('"topic_list"',), "discourse_latest"),
    (('"latest_posts"',), "discourse_posts"),
    (('"Variables"', '"forum_threadlist"'), "discuz_api"),
    (('"Variables"', '"postlist"'), "discuz_api"),
    (('"cooked"', '"post_number"'), "discourse_posts"),
)


#: The HTML export's data file (``data.js``); its variables, any of which starts the first 64 KB
#: (``local_msg_list`` comes after the user list, which can be longer than that).
_PYWXDUMP_DATAJS = re.compile(
    r"(?m)^\s*(?:const\s+local_(?:msg_list|user_list|msg_count|mywxid)\s*=|localStorage\.setItem\('isUseLocalData')")
#: Scripts and stylesheets of a viewer an exporter copies beside its data (PyWxDump's HTML export
#: copies its whole web viewer): a JS module or bundle, or CSS.
_WEB_RESOURCE = re.compile(
    r"""^(?:import\s*[{*"']|export\s*[{*]|\(function\s*\(|!function\s*\(|["']use strict["']"""
    r"""|@charset\s|@import\s|@font-face|:root\s*\{|[.#*]?[A-Za-z_][A-Za-z0-9_ ,>.#:()\[\]="'-]*\{\s*[A-Za-z-]+\s*:)""")


def _is_binary(head: bytes) -> bool:
    if b"\x00" in head[:8192]:
        return True
    sample = head[:8192]
    if not sample:
        return False
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / len(sample) > 0.05


def detect_format(head: bytes, text: str) -> Detection:
    """Detect the format from the first bytes of a file (``head``) and their decoded ``text``."""
    if not head.strip():
        return Detection(None, "空文件")
    if kind := asset_kind(head):
        return Detection(None, f"{kind}文件，不含聊天消息", asset=kind)
    if head.startswith(b"PK\x03\x04"):
        if b"xl/" in head:
            return Detection("articles_xlsx")
        return Detection(None, "ZIP 压缩包：请先解压，再导入里面的导出文件")
    if _is_binary(head):
        return Detection(None, "二进制文件，不是可识别的导出格式（聊天记录导出应是 CSV/TXT/HTML/JSON）")
    body = text.lstrip("\ufeff \t\r\n")
    first = body.split("\n", 1)[0].strip()
    for prefix, fmt in _CSV_HEADERS:
        if first.startswith(prefix):
            return Detection(fmt)
    if body[:1] in "[{":
        for keys, fmt in _JSON_KEYS:
            if all(k in body for k in keys):
                return Detection(fmt)
        if '"nickname"' in body and '"wxid"' in body:
            return Detection("pywxdump_users")
        if _chatlog_text(body):  # a chatlog text whose first header starts with "[" (sender-less line)
            return Detection("chatlog_txt")
        return Detection(None, "JSON 文件，但不是已知的导出格式（聊天记录、公众号文章、论坛）")
    if _PYWXDUMP_DATAJS.search(body):
        return Detection("pywxdump_datajs")
    if _WEB_RESOURCE.match(body):
        return Detection(None, "网页脚本或样式表，不含聊天消息", asset="网页资源")
    markup = body[:1] == "<"
    if markup and "<title>PyWxDump</title>" in body and "data.js" in body:
        return Detection(None, "PyWxDump 聊天记录查看器页面（消息在同一文件夹的 data.js 中）", asset="网页资源")
    if markup and re.search(r"(?m)^\s*const\s+chatMessages\s*=", body):
        return Detection("memotrace_html")
    if markup and '<div class="msg chat"' in body:
        return Detection("exporter_html")
    if markup and ("var msg_title" in body or 'id="js_content"' in body or "weui-msg__title" in body):
        return Detection("article_page")
    low = body[:2000].lower()
    if markup and ("<rss" in low or "<feed" in low or "<rdf:rdf" in low):
        return Detection("feed")
    if _MEMOTRACE_TXT.match(first):
        return Detection("memotrace_txt")
    if _EXPORTER_TXT.match(first):
        return Detection("exporter_txt")
    if _chatlog_text(body):
        return Detection("chatlog_txt")
    return Detection(None, "不是已知的导出格式（MemoTrace、PyWxDump、chatlog、WechatExporter、公众号文章导出）")
