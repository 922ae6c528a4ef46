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
    # MemoTrace's image decoder writes these too (BMP, TIFF; WeChat 4's "wxgf" when it cannot decode),
    # and its voice files are ffmpeg MP3s; a shared PDF is copied into the export's file/ folder.
    (b"II*\x00", "图片"), (b"MM\x00*", "图片"), (b"wxgf", "图片"), (b"%PDF-", "文件"),
)
_MP3_SYNC = re.compile(rb"\xff[\xe2-\xff]")


def asset_kind(head: bytes) -> str:
    """The kind of media/resource file ``head`` starts, or ``""``."""
    for magic, kind in _ASSET_MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "图片" if head[8:12] == b"WEBP" else ("音频" if head[8:12] == b"WAVE" else "视频")
    if head[4:8] == b"ftyp":
        return "视频"
    if head[:2] == b"BM" and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "图片"
    if _MP3_SYNC.match(head[:2]) and head[1:2] not in (b"\xfe", b"\xff"):
        return "音频"
    return ""


def looks_like_pcm(head: bytes) -> bool:
    """Raw 16-bit little-endian audio (the ``.pcm`` MemoTrace 3.x leaves beside each voice MP3): a
    smooth, mostly quiet, not silent wave. Random or structured binary data fails one of the tests."""
    n = (min(len(head), 1 << 15) // 2) * 2
    if n < 4096:
        return False
    samples = memoryview(head[:n]).cast("h")
    count = len(samples)
    quiet = sum(1 for s in samples if -8192 < s < 8192)
    nonzero = sum(1 for s in samples if s)
    smooth = sum(1 for a, b in zip(samples, samples[1:]) if -2048 <= b - a <= 2048)
    return quiet >= 0.8 * count and nonzero >= 0.25 * count and smooth >= 0.9 * (count - 1)


_CSV_HEADERS = (
    ("localId,TalkerId,Type,SubType,IsSender,CreateTime", "memotrace_csv"),
    (",localId,TalkerId,Type,SubType,IsSender,CreateTime", "memotrace_csv"),  # 0.2.1–0.2.3: pandas index first
    ("消息ID,类型,发送人,时间,内容,备注,昵称,更多信息", "memotrace_csv"),  # 3.x (wxManager)
    ("id,MsgSvrID,type_name,is_sender,talker,room_name", "pywxdump_csv"),
    ("Time,SenderName,Sender,TalkerName,Talker,Content", "chatlog_csv"),
)
_MEMOTRACE_TXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: |$)")
_EXPORTER_TXT = re.compile(r"^.+ \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\):")
_MEMOTRACE_CSS = {"chat-music-audio", "transfer-box", "chat-refer"}
# WechatExporter: a chat's TXT starts "<chat> - 微信聊天记录", its lists "微信聊天记录 - <account>" and
# the chats' file names; pages hold "<div class="msg chat …">" (chat-left … before 1.7.19), the async
# pages "var msgArray = [...]"; 1.9.6 writes "<account>_Contacts.csv" ("微信号","name","portrait","tags").
_EXPORTER_HISTORY = r"(?:微信聊天记录|WeChat Chat History|Wechat Chat History)"
_EXPORTER_TITLE = re.compile(rf"^.+ - {_EXPORTER_HISTORY}\s*$")
_EXPORTER_LIST = re.compile(rf"^{_EXPORTER_HISTORY}\s*(?:- .*)?$")
_EXPORTER_PAGE = re.compile(r'<div class="(?:msg (?:chat|media|chat-notice)|chat-(?:left|right|notice)|media-(?:left|right))\b'
                            r'|id="msgs-div"')
_EXPORTER_HTML_TITLE = re.compile(rf"<title>[^<]*{_EXPORTER_HISTORY}[^<]*</title>")
_EXPORTER_CONTACT = re.compile(r'^"(?:[^"]|"")*","(?:[^"]|"")*","(?:https?://[^"]*)?","(?:[^"]|"")*"\r?$')
_JSON_KEYS = (
    (('"avatar_src"', '"xml_dict"', '"display_name"'), "memotrace_html_json"),
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


#: MemoTrace's exports for training chat models: no message times; senders reduced to user/assistant.
_AI_JSON_REASON = ("留痕（MemoTrace）导出的 AI 训练数据（JSON）：没有发送时间和发送人，不能作为聊天记录导入；"
                   "请在留痕中改为导出 HTML、CSV 或 Word")
_AI_TXT_REASON = ("留痕（MemoTrace）导出的 AI 对话 TXT：只有日期、没有每条消息的时间，手机号等也已被替换，"
                  "不能作为聊天记录导入；请在留痕中改为导出 HTML、CSV 或 Word")
_AI_JSON = re.compile(r'^\s*\[\s*\{\s*"(?:conversations|messages|system|instruction)"\s*:')
_AI_TXT = re.compile(r"^\*{20}\d{4}-\d{2}-\d{2}\*{20}$")


def memotrace_ai_reason(body: str) -> str:
    """The readable reason for a MemoTrace AI-training export (JSON or TXT), or ``""``."""
    if _AI_JSON.match(body) and ('"role"' in body and '"content"' in body
                                 or '"instruction"' in body and '"output"' in body):
        return _AI_JSON_REASON
    if _AI_TXT.match(body.split("\n", 1)[0].strip()):
        return _AI_TXT_REASON
    return ""


#: wechatDownload's Markdown: a setext title, then its 元数据 line or 「原文地址：[…](…)」.
_WECHATDOWNLOAD_MD = re.compile(r"[^\n]+\n=+\n\n(?:(?:原创|非原创) [^\n]*(?:公号:|发布时间:)|原文地址：\[)")
_CSS_START = re.compile(r"(?:@charset\s|@import\s|@font-face\s*\{|@media\s|@keyframes\s|:root\s*\{|"
                        r"[A-Za-z.#*\[][^{};<>\n]{0,300}\{[^{}<>]*:[^{}<>]*[;}])")


def _looks_like_css(body: str) -> bool:
    """A style sheet (exporters copy a page's CSS beside it): starts, after comments, with a rule."""
    s = re.sub(r"^(?:\s*/\*.*?\*/)*\s*", "", body[:4000], flags=re.S)
    return bool(_CSS_START.match(s))


def _is_binary(head: bytes) -> bool:
    """Binary data rather than text: more than a few NUL bytes, or many control characters. One NUL
    in a CSV row (a damaged export) does not make the file binary: that row is quarantined."""
    sample = head[:8192]
    if not sample:
        return False
    if sample.count(b"\x00") > max(2, len(sample) // 1000):
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / len(sample) > 0.05


def _exporter_html(body: str) -> str | None:
    """``exporter_html`` for a WechatExporter chat page, ``exporter_index`` for its chat lists."""
    if '<div class="msg chat"' in body or _EXPORTER_PAGE.search(body):
        return "exporter_html"
    if _EXPORTER_HTML_TITLE.search(body[:4000]) and "<table" in body and "<a href=" in body:
        return "exporter_index"
    return None


def _exporter_txt_list(body: str) -> bool:
    """A WechatExporter TXT list: after its title only links to ``….txt`` files."""
    lines = [ln.strip() for ln in body.splitlines()[1:]]
    if len(body) >= 60000:
        lines = lines[:-1]  # the head may end inside a line
    return all(ln.endswith(".txt") for ln in lines if ln)


def _exporter_contacts(body: str) -> bool:
    """WechatExporter's ``<account>_Contacts.csv``: only rows of four quoted fields, the third a
    head-image URL (empty for some)."""
    lines = body.split("\n")[:50]
    if len(body) >= 60000:
        lines = lines[:-1]  # the head may end inside a row
    lines = [ln for ln in lines if ln.strip()]
    return (bool(lines) and all(_EXPORTER_CONTACT.match(ln) for ln in lines)
            and any(re.search(r'","https?://', ln) for ln in lines))


def detect_format(head: bytes, text: str) -> Detection:
    """Detect the format from the first bytes of a file (``head``) and their decoded ``text``."""
    if not head.strip():
        return Detection(None, "空文件")
    if kind := asset_kind(head):
        return Detection(None, f"{kind}文件，不含聊天消息", asset=kind)
    if head.startswith(b"PK\x03\x04"):
        if b"xl/" in head:
            return Detection("articles_xlsx")
        if b"word/document.xml" in head or b"[Content_Types].xml" in head and b"word/" in head:
            # a .docx: MemoTrace's Word export (any other Word document gets one readable line)
            return Detection("memotrace_docx")
        if b"ppt/" in head:  # a shared PowerPoint file copied beside an export: never an export
            return Detection(None, "PowerPoint 文件，不含聊天消息", asset="文件")
        return Detection(None, "ZIP 压缩包：请先解压，再导入里面的导出文件")
    if _is_binary(head):
        if looks_like_pcm(head):
            return Detection(None, "音频文件，不含聊天消息", asset="音频")
        return Detection(None, "二进制文件，不是可识别的导出格式（聊天记录导出应是 CSV/TXT/HTML/JSON）")
    body = text.lstrip("\ufeff \t\r\n")
    first = body.split("\n", 1)[0].strip()
    for prefix, fmt in _CSV_HEADERS:
        if first.startswith(prefix):
            return Detection(fmt)
    if _exporter_contacts(body):
        return Detection("exporter_contacts")
    if body[:1] in "[{":
        if ai := memotrace_ai_reason(body):
            return Detection(None, ai)
        if re.fullmatch(r"\[\s*\]\s*", body):
            return Detection(None, "JSON 文件是空列表，没有可导入的记录")
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
    if re.search(r"\bvar\s+msgArray\s*=\s*\[", body) and "moreWechatMsgs" in body:
        return Detection("exporter_js")
    if _WEB_RESOURCE.match(body):
        return Detection(None, "网页脚本或样式表，不含聊天消息", asset="网页资源")
    markup = body[:1] == "<"
    if markup and "<title>PyWxDump</title>" in body and "data.js" in body:
        return Detection(None, "PyWxDump 聊天记录查看器页面（消息在同一文件夹的 data.js 中）", asset="网页资源")
    if markup and (re.search(r"(?m)^\s*const\s+chatMessages\s*=", body) or _MEMOTRACE_CSS.issubset(
            set(re.findall(r"\.(chat-music-audio|transfer-box|chat-refer)\b", body)))):
        # MemoTrace 3.x's page opens with > 64 KB of CSS: its own class names tell it before the data
        return Detection("memotrace_html")
    if markup and (fmt := _exporter_html(body)):
        return Detection(fmt)
    if markup and "#js_article_bottom_bar," in body and ".__page_content__" in body:
        return Detection("articles_html")  # wechat-article-exporter's page template (its <head> style)
    if markup and ("const electedCommentArr = " in body or 'id="readability-page-1"' in body):
        return Detection("wechatdownload_html")
    if markup and ("var msg_title" in body or 'id="js_content"' in body or "weui-msg__title" in body):
        return Detection("article_page")
    low = body[:2000].lower()
    if markup and ("<rss" in low or "<feed" in low or "<rdf:rdf" in low):
        return Detection("feed")
    if ai := memotrace_ai_reason(body):
        return Detection(None, ai)
    if _WECHATDOWNLOAD_MD.match(body):
        return Detection("wechatdownload_md")
    if _MEMOTRACE_TXT.match(first):
        return Detection("memotrace_txt")
    if _EXPORTER_TXT.match(first):
        return Detection("exporter_txt")
    if _EXPORTER_LIST.match(first) and _exporter_txt_list(body):
        return Detection("exporter_index")
    if _EXPORTER_TITLE.match(first):
        return Detection("exporter_txt")
    if _chatlog_text(body):
        return Detection("chatlog_txt")
    if _looks_like_css(body):  # led by a comment or an at-rule, which _WEB_RESOURCE does not take
        return Detection(None, "网页脚本或样式表，不含聊天消息", asset="网页资源")
    return Detection(None, "不是已知的导出格式（MemoTrace、PyWxDump、chatlog、WechatExporter、公众号文章导出）")
