"""Official-account articles and reader comments (wechat-article-exporter), and saved article pages.

JSON ``微信公众号文章.json``: a list of articles (Unix-second times) with optional ``content``
(HTML) and ``comments[]`` (featured comments, each with ``reply_new.reply_list[]``; a reply with
``is_from == 2`` is the account's own). Comments point at their article and replies at their
comment through ``parent_id``. XLSX ``微信公众号文章.xlsx``: one row per article (Chinese headers).
Saved ``mp.weixin.qq.com`` pages: metadata from inline JS; deleted or removed pages are reported.
"""

from __future__ import annotations

import html as html_lib
import io
import re
from collections.abc import Iterator
from datetime import datetime

from ...schema import Post, QuarantineRecord, SourceKind
from ..cleaning import clean_text, html_to_text
from .common import BadTime, from_local, from_unix
from .records import ChatRecord, ParseContext, Record, Skipped

XLSX_HEADERS = ("公众号", "链接", "标题", "发布时间")


def _int(v: object) -> int:
    try:
        return int(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _article_native(a: dict) -> str:
    if a.get("appmsgid") not in (None, ""):
        return f"{a['appmsgid']}_{a.get('itemidx', 1)}"
    return str(a.get("aid") or a.get("link") or "")


def _rec(post: Post, account: str, parent: str = "") -> ChatRecord:
    return ChatRecord(post=post, chat_id=account, chat_name=account, kind=SourceKind.WECHAT_ARTICLE,
                      parent_native=parent)


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
        account = str(a.get("_accountName") or a.get("nickname") or "")
        try:
            created = from_unix(a.get("create_time") or a.get("update_time"))
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, where, str(exc), raw=str(a.get("title", ""))[:500])
            continue
        native = _article_native(a)
        body = html_to_text(str(a["content"])) if a.get("content") else clean_text(str(a.get("digest") or ""))
        title = clean_text(str(a.get("title") or ""))
        post = Post(source_id="", source_kind=SourceKind.WECHAT_ARTICLE, text=body or title, title=title,
                    created_at=created, author=str(a.get("author_name") or account), native_id=native,
                    url=str(a.get("link") or ""), thread_id=native, likes=_int(a.get("likeNum") or a.get("oldLikeNum")),
                    replies=_int(a.get("commentNum")),
                    extra={"read": _int(a.get("readNum")), "share": _int(a.get("shareNum")), "account": account})
        yield _rec(post, account)
        for j, c in enumerate(a.get("comments") or [], 1):
            yield from _comment(c, a, native, account, f"{where}第 {j} 条留言", ctx)


def _comment(c: object, article: dict, article_native: str, account: str, where: str,
             ctx: ParseContext) -> Iterator[Record]:
    if not isinstance(c, dict):
        yield QuarantineRecord(ctx.origin, where, "留言不是 JSON 对象")
        return
    try:
        created = from_unix(c.get("create_time"))
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, where, str(exc), raw=str(c.get("content", ""))[:500])
        return
    text = clean_text(str(c.get("content") or ""))
    if not text:
        yield Skipped("空留言")
        return
    cid = f"c:{c.get('content_id') or c.get('id') or ''}"
    ip = c.get("ip_wording") or {}
    extra = {"article": str(article.get("title") or ""), "elected": bool(c.get("is_elected", 1)),
             "top": bool(c.get("is_top"))}
    if isinstance(ip, dict) and ip.get("province_name"):
        extra["ip"] = str(ip.get("province_name"))
    replies = (c.get("reply_new") or {}).get("reply_list") or []
    post = Post(source_id="", source_kind=SourceKind.WECHAT_COMMENT, text=text, created_at=created,
                author=str(c.get("nick_name") or ""), author_id=str(c.get("openid") or ""),
                native_id=cid if cid != "c:" else None, thread_id=article_native, url=str(article.get("link") or ""),
                likes=_int(c.get("like_num")), replies=len(replies), extra=extra)
    yield _rec(post, account, parent=article_native)
    for k, r in enumerate(replies, 1):
        if not isinstance(r, dict):
            continue
        try:
            r_created = from_unix(r.get("create_time"))
        except BadTime as exc:
            yield QuarantineRecord(ctx.origin, f"{where}第 {k} 条回复", str(exc))
            continue
        r_text = clean_text(str(r.get("content") or ""))
        if not r_text:
            continue
        by_account = _int(r.get("is_from")) == 2
        yield _rec(Post(source_id="", source_kind=SourceKind.WECHAT_COMMENT, text=r_text, created_at=r_created,
                        author=account if by_account else str(r.get("nick_name") or ""),
                        native_id=f"{cid}:r:{r.get('reply_id', k)}", thread_id=article_native,
                        url=str(article.get("link") or ""), likes=_int(r.get("reply_like_num")),
                        extra={"account_reply": by_account, "reply_to": text[:200]}),
                   account, parent=cid)


def parse_xlsx(data: bytes, ctx: ParseContext) -> Iterator[Record]:
    """Articles of a ``微信公众号文章.xlsx`` (first sheet, header row first)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        yield QuarantineRecord(ctx.origin, "整个文件", f"XLSX 文件无法打开（可能损坏或不完整）：{type(exc).__name__}")
        return
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, ())]
        col = {h: i for i, h in enumerate(header)}
        if not all(h in col for h in XLSX_HEADERS):
            yield QuarantineRecord(ctx.origin, "第 1 行", "XLSX 表头不是公众号文章导出的格式")
            return
        for n, row in enumerate(rows, 2):
            def get(name: str) -> str:
                i = col.get(name)
                v = row[i] if i is not None and i < len(row) else None
                return "" if v is None else str(v)
            if not any(row):
                continue
            when = row[col["发布时间"]] if col["发布时间"] < len(row) else None
            try:
                created = when.replace(tzinfo=ctx.tz) if isinstance(when, datetime) else from_local(get("发布时间"), ctx.tz)
            except BadTime as exc:
                yield QuarantineRecord(ctx.origin, f"第 {n} 行", str(exc), raw=get("标题")[:500])
                continue
            account = get("公众号")
            native = get("ID") or get("链接")
            body = html_to_text(get("文章内容")) if get("文章内容") else clean_text(get("摘要"))
            title = clean_text(get("标题"))
            post = Post(source_id="", source_kind=SourceKind.WECHAT_ARTICLE, text=body or title, title=title,
                        created_at=created, author=get("作者") or account, native_id=native or None, url=get("链接"),
                        thread_id=native, likes=_int(get("点赞")), replies=_int(get("留言")),
                        extra={"read": _int(get("阅读")), "share": _int(get("分享")), "account": account})
            yield _rec(post, account)
    finally:
        wb.close()


# --- saved article pages ------------------------------------------------------------------------
_JS_VARS = {
    "title": re.compile(r"var\s+msg_title\s*=\s*(?:htmlDecode\()?['\"](.*?)['\"]", re.S),
    "nickname": re.compile(r"var\s+nickname\s*=\s*(?:htmlDecode\()?['\"](.*?)['\"]"),
    "user_name": re.compile(r"var\s+user_name\s*=\s*['\"](.*?)['\"]"),
    "ct": re.compile(r"var\s+ct\s*=\s*['\"]?(\d+)"),
    "link": re.compile(r"var\s+msg_link\s*=\s*['\"](.*?)['\"]"),
}
_GONE = (("该内容已被发布者删除", "文章已被发布者删除"), ("此内容因违规无法查看", "文章因违规已被删除，无法查看"),
         ("此内容被投诉且经审核涉嫌侵权", "文章因侵权投诉已被删除"), ("该公众号已迁移", "公众号已迁移"))


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
    title = clean_text(html_lib.unescape(meta["title"]) or " ".join(sel.css("#activity-name ::text").getall()))
    account = clean_text(html_lib.unescape(meta["nickname"]) or " ".join(sel.css("#js_name ::text").getall()))
    try:
        created = from_unix(meta["ct"]) if meta["ct"] else from_local(sel.css("#publish_time::text").get(""), ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, "整个文件", f"文章发布时间无法识别：{exc}")
        return
    link = html_lib.unescape(meta["link"])
    post = Post(source_id="", source_kind=SourceKind.WECHAT_ARTICLE, text=html_to_text(body_html) or title,
                title=title, created_at=created, author=account, native_id=link or None, url=link, thread_id=link,
                extra={"account": account, "account_id": meta["user_name"]})
    yield ChatRecord(post=post, chat_id=meta["user_name"] or account, chat_name=account, kind=SourceKind.WECHAT_ARTICLE)
