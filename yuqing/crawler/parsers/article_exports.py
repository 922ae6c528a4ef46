"""wechat-article-exporter's HTML export: one ``index.html`` per article.

The page is the article's ``#js_article`` with every script removed, the publish date rendered
as text (``2025年06月03日 18:30``, the exporter's browser-local time: minutes only) and, with
「导出留言」, the featured comments rendered below ``<!-- 评论数据 -->`` as styled ``div``s: name,
IP province (or 「作者」 for the account), time, likes, text, then the replies. 2.x writes each
time as ``YYYY-MM-DD HH:mm:ss`` and every reply (「回复 某人:」 before a reply to a reply); the
2024–25 versions wrote the date relative to the moment of the export (``formatAlbumTime``:
Today, Yesterday, 2 days ago, N天前, 1 week ago, ``MM/DD`` this year, ``YYYY/MM/DD``) and only
the replies the comment list carries. There are no ids or links in the page: identities are
:mod:`.articles_common`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo

from ...schema import QuarantineRecord
from ..cleaning import clean_text, html_to_text
from .articles_common import ArticleHead, Thread, page_minute, strip_reply_to, to_int
from .common import BadTime, from_local
from .records import ParseContext, Record, Skipped

_FULL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$")
_ALBUM_TIME = re.compile(r"^(Today|Yesterday|2 days ago|\d+天前|1 week ago|\d{2}/\d{2}|\d{4}/\d{2}/\d{2})$")
_BADGES = ("作者", "朋友", "undefined", "")


def parse_html(text: str, ctx: ParseContext) -> Iterator[Record]:
    """One article page of wechat-article-exporter's HTML export, with its comments."""
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        yield QuarantineRecord(ctx.origin, "整个文件", "HTML 无法解析（文件可能已损坏）")
        return
    article = _first(doc, '//*[@id="js_article"]')
    if article is None:
        yield QuarantineRecord(ctx.origin, "整个文件", "公众号文章导出页面里没有文章（#js_article）")
        return
    title = _text(_first(article, './/*[@id="activity-name"]')) or _text(_first(doc, "//title"))
    account = _text(_first(article, './/*[@id="js_name"] | .//*[contains(@class, "account_nickname_inner")]'))
    try:
        published = page_minute(_text(_first(article, './/*[@id="publish_time"]')), ctx.tz)
    except BadTime as exc:
        yield QuarantineRecord(ctx.origin, "整个文件", f"页面上没有可用的发布时间（{exc}）", raw=title[:500])
        return
    if not account:
        yield QuarantineRecord(ctx.origin, "整个文件", "页面上没有公众号名称（#js_name）", raw=title[:500])
        return
    author = _text(_first(article, './/*[@id="meta_content"]/span[contains(@class, "rich_media_meta_text")][not(@id)]'))
    body_el = _first(article, './/*[@id="js_content"]')
    body = html_to_text(lxml.html.tostring(body_el, encoding="unicode")) if body_el is not None else ""
    read = re.search(r'<p class="__page_content__">阅读量 (\d+)</p>', text)
    head = ArticleHead(account=account, biz="", title=title, published=published, author=author, text=body,
                       extra={"read": int(read[1])} if read else {})
    comments = _comment_items(doc)
    head.comments = len(comments)
    yield head.record()
    thread = Thread(head)
    for n, item in enumerate(comments, 1):
        yield from _comment(item, thread, f"第 {n} 条留言", ctx)


def _first(el, xpath: str):
    found = el.xpath(xpath)
    return found[0] if found else None


def _text(el) -> str:
    return clean_text(el.text_content()) if el is not None else ""


def _comment_items(doc) -> list:
    """The comment ``div``s: children of the ``div`` after the 「留言 N」 heading (outside the article)."""
    for p in doc.xpath('//body/div/p[starts-with(normalize-space(.), "留言")]'):
        box = p.getnext()
        if box is not None and box.tag == "div":
            return [c for c in box if c.tag == "div"]
    return []


def _person(block) -> tuple[dict, object | None]:
    """(name, badges, time text, likes) of one comment/reply block and its text paragraph."""
    flex = _first(block, './div[contains(@style, "flex: 1")]')
    if flex is None:
        return {}, None
    ps = flex.xpath("./p")
    if not ps:
        return {}, None
    spans = ps[0].xpath("./span")
    info = {"name": clean_text(spans[0].text_content()) if spans else "", "ip": "", "time": "", "likes": 0}
    for s in spans[1:]:
        t = clean_text(s.text_content())
        if _FULL_TIME.match(t) or _ALBUM_TIME.match(t):
            info["time"] = t
        elif not info["time"] and t not in _BADGES:
            info["ip"] = t
    likes = ps[0].xpath('.//span[contains(@class, "sns_praise_btn")]')
    info["likes"] = to_int(likes[0].text_content()) if likes else 0
    text_p = next((p for p in ps[1:] if "pre-line" in (p.get("style") or "")), None)
    info["pictures"] = bool(flex.xpath("./p[not(contains(@style, 'pre-line'))]//img"))
    return info, text_p


def _body(p) -> str:
    return clean_text(p.text_content()) if p is not None else ""


def _when(t: str, head: ArticleHead, tz: tzinfo) -> tuple[datetime, str]:
    """A comment time as the page shows it: exact, a date (``day``) or only relative (``unknown``:
    the article's time, the earliest the comment can have been written)."""
    if _FULL_TIME.match(t):
        return from_local(t, tz), ""
    floor = head.published
    m = re.fullmatch(r"(?:(\d{4})/)?(\d{2})/(\d{2})", t)
    if not m:
        return floor, "unknown"
    month, day = int(m[2]), int(m[3])
    year = int(m[1]) if m[1] else _year_on_or_after(floor.astimezone(tz), month, day)
    try:
        d = datetime(year, month, day, tzinfo=tz)
    except ValueError:
        return floor, "unknown"
    return max(d, floor), "day"


def _year_on_or_after(start: datetime, month: int, day: int) -> int:
    """The first year in which ``month``/``day`` falls on or after ``start`` (a comment comes after its article)."""
    for year in (start.year, start.year + 1):
        try:
            if datetime(year, month, day, tzinfo=start.tzinfo) + timedelta(days=1) > start:
                return year
        except ValueError:
            continue
    return start.year


def _comment(item, thread: Thread, where: str, ctx: ParseContext) -> Iterator[Record]:
    main = _first(item, './div[contains(@style, "display: flex")]')
    info, text_p = _person(main) if main is not None else ({}, None)
    if not info.get("name"):
        yield QuarantineRecord(ctx.origin, where, "留言的格式无法识别")
        return
    text = _body(text_p)
    if not text:
        yield Skipped("图片" if info["pictures"] else "空留言")
        return
    created, precision = _when(info["time"], thread.head, ctx.tz)
    rec = thread.comment(author=info["name"], text=text, created=created, likes=info["likes"], precision=precision,
                         extra={"ip": info["ip"]} if info["ip"] else {})
    replies = item.xpath('./div[contains(@style, "padding-left: 38px")]/div')
    rec.post.replies = len(replies)
    yield rec
    names = [info["name"], thread.head.account]
    for k, r in enumerate(replies, 1):
        r_info, r_p = _person(r)
        if not r_info.get("name"):
            yield QuarantineRecord(ctx.origin, f"{where}第 {k} 条回复", "回复的格式无法识别")
            continue
        r_text, to = strip_reply_to(_body(r_p), names)
        names.append(r_info["name"])
        if not r_text:
            yield Skipped("图片" if r_info["pictures"] else "空留言")
            continue
        r_created, r_precision = _when(r_info["time"], thread.head, ctx.tz)
        by_account = r_info["name"] == thread.head.account and not r_info["ip"]
        yield thread.reply(rec, author=r_info["name"], text=r_text, created=r_created, likes=r_info["likes"],
                           by_account=by_account, reply_to=to, precision=r_precision,
                           extra={"ip": r_info["ip"]} if r_info["ip"] else {})
