"""Pure export parsers, one module per format family, and the registry the importer uses.

Each format is read one of five ways (``Format.reads``): ``lines`` (streamed text lines — the
big chat exports), ``json_items`` (the items of a top-level JSON array, streamed), ``text`` (the
whole decoded document), ``json`` (a parsed JSON document) or ``bytes`` (XLSX, Word). ``side`` formats hold no posts (PyWxDump ``users.json``) and are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import (
    article_exports,
    chatlog,
    discourse,
    discuz_api,
    feeds,
    memotrace,
    memotrace_docx,
    memotrace_html,
    pywxdump,
    wechat_articles,
    wechat_exporter,
    wechatdownload,
)
from .detect import Detection, detect_format
from .records import ChatRecord, ParseContext, QuarantineRecord, Record, Skipped


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # for people: "MemoTrace CSV"
    reads: str  # lines | json_items | text | json | bytes | side
    parse: Callable | None = None


FORMATS: dict[str, Format] = {
    "memotrace_csv": Format("MemoTrace CSV", "lines", memotrace.parse_csv),
    "memotrace_txt": Format("MemoTrace TXT", "lines", memotrace.parse_txt),
    "memotrace_html": Format("MemoTrace HTML", "text", memotrace_html.parse_html),
    "memotrace_html_json": Format("MemoTrace HTML 数据 JSON", "json", memotrace_html.parse_html_json),
    "memotrace_docx": Format("MemoTrace Word", "bytes", memotrace_docx.parse_docx),
    "pywxdump_csv": Format("PyWxDump CSV", "lines", pywxdump.parse_csv),
    "pywxdump_json": Format("PyWxDump JSON", "json_items", pywxdump.parse_json),
    "pywxdump_datajs": Format("PyWxDump data.js", "text", pywxdump.parse_datajs),
    "pywxdump_users": Format("PyWxDump users.json", "side"),
    "chatlog_csv": Format("chatlog CSV", "lines", chatlog.parse_csv),
    "chatlog_json": Format("chatlog JSON", "json", chatlog.parse_json),
    "chatlog_txt": Format("chatlog 纯文本", "text", chatlog.parse_text),
    "exporter_txt": Format("WechatExporter TXT", "lines", wechat_exporter.parse_txt),
    "exporter_html": Format("WechatExporter HTML", "text", wechat_exporter.parse_html),
    "exporter_js": Format("WechatExporter 分页 msg-N.js", "text", wechat_exporter.parse_js),
    "exporter_index": Format("WechatExporter 聊天列表", "side"),
    "exporter_contacts": Format("WechatExporter 通讯录 CSV", "side"),
    "articles_json": Format("公众号文章 JSON", "json", wechat_articles.parse_json),
    "articles_xlsx": Format("公众号文章 XLSX", "bytes", wechat_articles.parse_xlsx),
    "articles_html": Format("公众号文章 HTML", "text", article_exports.parse_html),
    "wechatdownload_html": Format("wechatDownload HTML", "text", wechatdownload.parse_html),
    "wechatdownload_md": Format("wechatDownload Markdown", "text", wechatdownload.parse_markdown),
    "discourse_topic": Format("Discourse 主题 JSON", "json", discourse.records),
    "discourse_posts": Format("Discourse 帖子 JSON", "json", discourse.records),
    "discourse_latest": Format("Discourse 主题列表 JSON", "json", discourse.records),
    "discuz_api": Format("Discuz 手机接口 JSON", "json", discuz_api.records),
    "feed": Format("RSS/Atom", "bytes", feeds.records),
    "article_page": Format("公众号文章网页", "text", wechat_articles.parse_page),
}

__all__ = ["FORMATS", "ChatRecord", "Detection", "Format", "ParseContext", "QuarantineRecord", "Record",
           "Skipped", "detect_format"]
