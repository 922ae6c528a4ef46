"""Official-account articles and reader comments from wechat-article-exporter's JSON and XLSX,
and saved ``mp.weixin.qq.com`` pages. The exporter's HTML is :mod:`.article_exports`;
wechatDownload is :mod:`.wechatdownload`; identities are :mod:`.articles_common`.

JSON ``微信公众号文章.json`` (``JSON.stringify`` of a list): each article is the publish list's
``appmsgex`` entry plus ``fakeid`` (the ``__biz``), from 2.2 ``_accountName``, optional ``content``
(plain text, never HTML: the page's text collapsed to one line up to 2.3.11, 「标题\\n\\n正文」 from
2.3.12), the read/like counts and optional ``comments[]`` (featured comments as the comment API
returns them, HTML-escaped, each with ``$reply_list``: every reply, where ``reply_new.reply_list``
carries only the first few). A reply with ``is_from == 2`` is the account's own.

XLSX, one row per article, four header layouts: 2.2+ (公众号, ID, 链接, 标题, …, 发布时间, …, 文章内容),
2.0–2.1 (the same without 公众号), the 2025 batch download (序号, 公众号, 作者, 是否原创, 标题, 发布时间, 链接,
文章内容) and the 2024–25 list export (标题, 发布日期, 作者, 是否原创, 所属合集, 摘要, 原文链接, 封面图链接…).
A layout without 公众号 names the account by the link's ``__biz``.
"""

from __future__ import annotations

import html as html_lib
import io
import re
from collections.abc import Iterator
from datetime import datetime

from ...schema import QuarantineRecord
from ..cleaning import clean_text, html_to_text
from .articles_common import ArticleHead, Thread, biz_of, page_minute, to_int, wx_text
from .common import BadTime, from_local, from_unix
from .records import ParseContext, Record, Skipped


def _lead_stripped(text: str, leads: list[str]) -> str:
    """``text`` without the title, 「原创」, author and account name a page's text starts with."""
    t = text.strip()
    for lead in leads:
        lead = re.sub(r"\s+", " ", clean_text(lead)).strip()
        if lead and t.startswith(lead) and (len(t) == len(lead) or t[len(lead)].isspace()):
            t = t[len(lead):].lstrip()
    return t


def _content_text(content: str, title: str, author: str, account: str) -> str:
    """The body of an exported ``content``: the page text without its title/author/account lead."""
    if content.lstrip().startswith("<"):  # HTML (hand-made or older files)
        return html_to_text(content)
    return clean_text(_lead_stripped(clean_text(content), [title, "原创", author, account]))


def parse_json(data: object, ctx: ParseContext) -> Iterator[Record]:
    """Articles, featured comments and replies of a wechat-article-exporter JSON (already parsed)."""
    if not isinstance(data, list):
        yield QuarantineRecord(ctx.origin, "整个文件", "公众号文章 JSON 应是文章列表")
        return
    for i, a in enumerate(data, 1):
        where = f"第 {i} 篇文章"
        if not isinstance(a, dict):
            yield QuarantineRecord(ctx.origin, where, "不是一篇文章（应为 JSON 对象）")
            continue
        if a.get("is_deleted") in (True, 1, "1"):
            yield Skipped("已删除文章")
            continue
        try:
            published = from_unix(a.get("update_time") or a.get("create_time"))
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, where, str(exc), raw=str(a.get("title", ""))[:500])
            continue
        link = str(a.get("link") or "")
        account = clean_text(str(a.get("_accountName") or a.get("nickname") or ""))
        biz = str(a.get("fakeid") or "") or biz_of(link)
        if not account and not biz:
            yield QuarantineRecord(ctx.origin, where, "无法确定所属公众号（没有公众号名称，链接里也没有 __biz）",
                                   raw=str(a.get("title", ""))[:500])
            continue
        title = wx_text(a.get("title"))
        author = wx_text(a.get("author_name"))
        content = str(a.get("content") or "")
        body = _content_text(content, title, author, account) if content else wx_text(a.get("digest"))
        head = ArticleHead(account=account, biz=biz, title=title, published=published, author=author, text=body,
                           url=link, likes=to_int(a.get("likeNum") or a.get("oldLikeNum")),
                           comments=to_int(a.get("commentNum")),
                           extra={"aid": str(a.get("aid") or ""), "read": to_int(a.get("readNum")),
                                  "share": to_int(a.get("shareNum"))})
        yield head.record()
        thread = Thread(head)
        for j, c in enumerate(a.get("comments") or [], 1):
            yield from json_comment(c, thread, f"{where}第 {j} 条留言", ctx)


def json_comment(c: object, thread: Thread, where: str, ctx: ParseContext) -> Iterator[Record]:
    """One featured comment as the comment API returns it, then its replies (``$reply_list`` when
    the exporter fetched them all, else ``reply_new.reply_list``)."""
    if not isinstance(c, dict):
        yield QuarantineRecord(ctx.origin, where, "留言不是 JSON 对象")
        return
    try:
        created = from_unix(c.get("create_time"))
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, where, str(exc), raw=str(c.get("content", ""))[:500])
        return
    text = wx_text(c.get("content"))
    if not text:
        yield Skipped("图片" if _pictures(c) else "空留言")
        return
    replies = c.get("$reply_list")
    if not isinstance(replies, list):
        replies = (c.get("reply_new") or {}).get("reply_list") or []
    ip = c.get("ip_wording") or {}
    extra = {"content_id": str(c.get("content_id") or ""), "elected": bool(c.get("is_elected", 1)),
             "top": bool(c.get("is_top"))}
    if isinstance(ip, dict) and (ip.get("province_name") or ip.get("country_name")):
        extra["ip"] = str(ip.get("province_name") or ip.get("country_name"))
    author = clean_text(str(c.get("nick_name") or ""))
    rec = thread.comment(author=author, text=text, created=created, likes=to_int(c.get("like_num")),
                         author_id=str(c.get("openid") or ""), replies=len(replies), extra=extra)
    yield rec
    yield from json_replies(replies, rec, thread, where, ctx)


def json_replies(replies: list, parent, thread: Thread, where: str, ctx: ParseContext) -> Iterator[Record]:
    """The replies of one comment, as the comment-reply API returns them."""
    for k, r in enumerate(replies, 1):
        if not isinstance(r, dict):
            yield QuarantineRecord(ctx.origin, f"{where}第 {k} 条回复", "回复不是 JSON 对象")
            continue
        if to_int(r.get("is_deleted")) or to_int(r.get("reply_del_flag")):
            yield Skipped("撤回")
            continue
        try:
            created = from_unix(r.get("create_time"))
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, f"{where}第 {k} 条回复", str(exc), raw=str(r.get("content", ""))[:500])
            continue
        to = clean_text(str(r.get("to_nick_name") or ""))
        text = wx_text(r.get("content"))
        author = clean_text(str(r.get("nick_name") or "")) or thread.head.chat_name
        if not text:
            yield Skipped("图片" if _pictures(r) else "空留言")
            continue
        yield thread.reply(parent, author=author, text=text, created=created, likes=to_int(r.get("reply_like_num")),
                           author_id=str(r.get("openid") or ""), by_account=to_int(r.get("is_from")) == 2,
                           reply_to=to)


def _pictures(c: dict) -> bool:
    info = c.get("multi_info")
    return isinstance(info, dict) and bool(info.get("pictures"))


# --- XLSX -------------------------------------------------------------------------------------------
_TIME_HEADERS = ("发布时间", "发布日期")
_LINK_HEADERS = ("链接", "原文链接")


def parse_xlsx(data: bytes, ctx: ParseContext) -> Iterator[Record]:
    """Articles of a wechat-article-exporter XLSX (first sheet, header row first; any version)."""
    from openpyxl import load_workbook

    from . import archive

    if problem := archive.zip_problem(data, "XLSX 文件"):
        yield QuarantineRecord(ctx.origin, "整个文件", problem)
        return
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        yield QuarantineRecord(ctx.origin, "整个文件", f"XLSX 文件无法打开（可能损坏或不完整）：{type(exc).__name__}")
        return
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True, max_col=archive.MAX_COLUMNS)
        header = [str(h or "").strip() for h in next(rows, ())]
        col = {h: i for i, h in enumerate(header)}
        time_h = next((h for h in _TIME_HEADERS if h in col), "")
        link_h = next((h for h in _LINK_HEADERS if h in col), "")
        if "标题" not in col or not time_h or not link_h:
            yield QuarantineRecord(ctx.origin, "第 1 行", "XLSX 表头不是公众号文章导出的格式（应有 标题、发布时间、链接 等列）")
            return
        escaped = "序号" in col  # the 2025 batch download kept the body's HTML entities
        for n, row in enumerate(rows, 2):
            if n > archive.MAX_ROWS + 1:
                yield QuarantineRecord(ctx.origin, f"第 {n} 行起", f"表格超过 {archive.MAX_ROWS:,} 行的上限，"
                                       "从这一行起未导入；请拆分后再导入")
                break
            if not any(v not in (None, "") for v in row):
                continue
            rec = _xlsx_row(row, col, time_h, link_h, escaped, n, ctx)
            if rec is not None:
                yield rec
    finally:
        wb.close()


def _xlsx_row(row: tuple, col: dict, time_h: str, link_h: str, escaped: bool, n: int, ctx: ParseContext):
    def get(name: str) -> str:
        i = col.get(name)
        v = row[i] if i is not None and i < len(row) else None
        return "" if v is None else str(v)

    when = row[col[time_h]] if col[time_h] < len(row) else None
    try:
        published = when.replace(tzinfo=ctx.tz) if isinstance(when, datetime) else from_local(get(time_h), ctx.tz)
    except BadTime as exc:
        return QuarantineRecord(ctx.origin, f"第 {n} 行", str(exc), raw=get("标题")[:500])
    link = get(link_h)
    account, biz = clean_text(get("公众号")), biz_of(link)
    if not account and not biz:
        return QuarantineRecord(ctx.origin, f"第 {n} 行", "无法确定所属公众号（表格没有公众号列，链接里也没有 __biz）",
                                raw=get("标题")[:500])
    title, author = clean_text(get("标题")), clean_text(get("作者"))
    content = get("文章内容")
    if content and escaped:
        body = clean_text(html_lib.unescape(content))
    elif content:
        body = _content_text(content, title, author, account)
    else:
        body = clean_text(get("摘要"))
    head = ArticleHead(account=account, biz=biz, title=title, published=published, author=author, text=body,
                       url=link, likes=to_int(get("喜欢") or get("点赞")), comments=to_int(get("留言")),
                       extra={"aid": get("ID"), "read": to_int(get("阅读")), "share": to_int(get("分享"))})
    return head.record()


# --- saved article pages ------------------------------------------------------------------------
_JS_VARS = {
    "title": re.compile(r"var\s+msg_title\s*=\s*(?:htmlDecode\()?['\"](.*?)['\"]", re.S),
    "nickname": re.compile(r"var\s+nickname\s*=\s*(?:htmlDecode\()?['\"](.*?)['\"]"),
    "user_name": re.compile(r"var\s+user_name\s*=\s*['\"](.*?)['\"]"),
    "biz": re.compile(r"var\s+biz\s*=\s*['\"]([^'\"]*)['\"]"),
    "ct": re.compile(r"var\s+ct\s*=\s*['\"]?(\d+)"),
    "link": re.compile(r"var\s+msg_link\s*=\s*['\"](.*?)['\"]"),
}
_GONE = (("该内容已被发布者删除", "文章已被发布者删除"), ("此内容因违规无法查看", "文章因违规已被删除，无法查看"),
         ("此内容被投诉且经审核涉嫌侵权", "文章因侵权投诉已被删除"), ("该公众号已迁移", "公众号已迁移"))


def _js_string(raw: str) -> str:
    """A string of the page's inline JS (``\\x27`` escapes, HTML entities inside), as text."""
    s = re.sub(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\(.)",
               lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else m[3], raw)
    return clean_text(html_lib.unescape(s))


def parse_page(text: str, ctx: ParseContext) -> Iterator[Record]:
    """A saved ``mp.weixin.qq.com`` article page; deleted or removed articles are quarantined with the reason."""
    from parsel import Selector

    sel = Selector(text=text)
    warn = " ".join(t.strip() for t in sel.css(".weui-msg__title::text, .global_error_msg::text").getall())
    for needle, reason in _GONE:
        if needle in warn or (needle in text and not sel.css("#js_content")):
            yield QuarantineRecord(ctx.origin, "整个文件", f"{reason}（页面提示：{needle}）")
            return
    meta = {k: (m[1] if (m := rx.search(text)) else "") for k, rx in _JS_VARS.items()}
    body_html = sel.css("#js_content").get()
    if not body_html:
        yield QuarantineRecord(ctx.origin, "整个文件", "公众号文章页面里没有正文（#js_content）")
        return
    title = clean_text(" ".join(sel.css("#activity-name ::text").getall())) or _js_string(meta["title"])
    account = clean_text(" ".join(sel.css("#js_name ::text").getall())) or _js_string(meta["nickname"])
    try:
        published = from_unix(meta["ct"]) if meta["ct"] else page_minute(sel.css("#publish_time::text").get(""), ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, "整个文件", f"文章发布时间无法识别：{exc}")
        return
    link = html_lib.unescape(_js_string(meta["link"]))
    author = clean_text(" ".join(sel.css("#meta_content > span.rich_media_meta_text:not([id]) ::text").getall()))
    head = ArticleHead(account=account, biz=meta["biz"] or biz_of(link), title=title, published=published,
                       author=author, text=html_to_text(body_html), url=link,
                       extra={"account_id": meta["user_name"]} if meta["user_name"] else {})
    if not head.chat_id:
        head.biz = meta["user_name"]
    yield head.record()
