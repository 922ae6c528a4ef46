"""Discuz! X 3.x pages, parsed without IO: board index, thread lists and thread pages.

Thread list ``tbody#normalthread_{tid}`` (pinned ``stickthread_{tid}``), title ``a.s.xst``,
replies ``td.num a.xi2``. Thread page: ``#thread_subject``, posts ``div#post_{pid}``, author
``.authi a.xw1|a.xi2``, time ``em#authorposton{pid}`` (``发表于 2021-3-23 14:38``, or a relative
``<span title="2021-3-24 09:12">昨天 09:12</span>``: the ``title`` wins), body
``td#postmessage_{pid}``; a ``div.quote`` is taken out of the body and kept as a link to the
quoted post. Pagination ``div.pg`` (``a.nxt``, ``共 N 页``). Both ``forum.php?…`` and rewritten
``forum-{fid}-{page}.html`` / ``thread-{tid}-{page}-1.html`` URLs are understood.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from urllib.parse import parse_qs, urlencode, urljoin, urlparse, urlunparse

import lxml.html
from parsel import Selector

from ..cleaning import clean_text, html_to_text

_BOARD_LINK = re.compile(r"(?:forum-(\d+)-\d+\.html|mod=forumdisplay&(?:amp;)?fid=(\d+)|forum/(\d+)(?:/|$))")
_THREAD_REWRITE = re.compile(r"thread-(\d+)-(\d+)-(\d+)\.html")
_THREAD_X35 = re.compile(r"thread/(\d+)/(\d+)/")
_ABS_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?")
_REL_DAY = re.compile(r"(昨天|前天|今天)\s*(\d{1,2}):(\d{2})")
_REL_AGO = re.compile(r"(\d+|半)\s*(秒|分钟|小时|天)前")
_PID = re.compile(r"[?&;]pid=(\d+)")


class BadDiscuzTime(ValueError):
    """A post time that is neither absolute nor a known relative form."""


@dataclass(slots=True)
class ThreadRef:
    tid: str
    url: str
    title: str
    replies: int
    author: str = ""
    pinned: bool = False


@dataclass(slots=True)
class ListPage:
    threads: list[ThreadRef] = field(default_factory=list)
    next_url: str = ""
    forum_name: str = ""


@dataclass(slots=True)
class ForumPost:
    pid: str
    author: str
    author_id: str
    body_html: str  # the post body with any quote taken out (the clean-text pipeline makes it text)
    created_at: datetime | None
    time_error: str = ""
    quote_pid: str = ""
    quote_author: str = ""
    quote_text: str = ""


@dataclass(slots=True)
class ThreadPage:
    tid: str
    title: str
    page: int
    last_page: int
    posts: list[ForumPost] = field(default_factory=list)
    next_url: str = ""


def parse_time(text: str, title: str, tz: tzinfo, now: datetime) -> datetime:
    """A Discuz post time: the ``title`` attribute if present, else absolute ``Y-n-j H:i[:s]``,
    else relative (刚刚, 半小时前, N 分钟前, 昨天 09:12 …) counted back from ``now``."""
    for s in (title, text):
        m = _ABS_TIME.search(s or "")
        if m:
            y, mo, d, h, mi, sec = (int(g or 0) for g in m.groups())
            try:
                return datetime(y, mo, d, h, mi, sec, tzinfo=tz)
            except ValueError:
                raise BadDiscuzTime(f"帖子时间无效：{m.group(0)}") from None
    s = (text or "").replace("\xa0", " ")
    local_now = now.astimezone(tz)
    if "刚刚" in s:
        return local_now
    if m := _REL_DAY.search(s):
        days = {"今天": 0, "昨天": 1, "前天": 2}[m[1]]
        day = (local_now - timedelta(days=days)).date()
        return datetime(day.year, day.month, day.day, int(m[2]), int(m[3]), tzinfo=tz)
    if m := _REL_AGO.search(s):
        n = 0.5 if m[1] == "半" else int(m[1])
        unit = {"秒": "seconds", "分钟": "minutes", "小时": "hours", "天": "days"}[m[2]]
        return local_now - timedelta(**{unit: n})
    raise BadDiscuzTime(f"无法识别的帖子时间：{s.strip()[:40]!r}")


def board_links(html: str, base_url: str) -> list[str]:
    """Board (forum list) URLs linked from a page, first page of each board, in page order."""
    sel = Selector(text=html)
    seen: dict[str, str] = {}
    for href in sel.css("a::attr(href)").getall():
        m = _BOARD_LINK.search(href)
        if m:
            fid = next(g for g in m.groups() if g)
            seen.setdefault(fid, urljoin(base_url, href))
    return list(seen.values())


def _int(text: str | None) -> int:
    m = re.search(r"\d+", text or "")
    return int(m.group(0)) if m else 0


def parse_thread_list(html: str, url: str) -> ListPage:
    """Threads on one page of a board, and the next page's URL."""
    sel = Selector(text=html)
    page = ListPage(forum_name=clean_text(" ".join(sel.css("#pt a:last-child::text, h1.xs2 a::text").getall()[-1:])))
    for tb in sel.css('tbody[id^="normalthread_"], tbody[id^="stickthread_"]'):
        tid = tb.attrib["id"].split("_", 1)[1]
        link = tb.css("a.xst")
        if not link:
            continue
        page.threads.append(ThreadRef(
            tid=tid, url=urljoin(url, link.attrib.get("href", "")), title=clean_text("".join(link.css("::text").getall())),
            replies=_int(tb.css("td.num a.xi2::text").get()), author=clean_text(tb.css("td.by cite a::text").get("")),
            pinned=tb.attrib["id"].startswith("stick")))
    nxt = sel.css("div.pg a.nxt::attr(href)").get()
    page.next_url = urljoin(url, nxt) if nxt else ""
    return page


def _last_page(sel: Selector, current: int) -> int:
    m = re.search(r"共\s*(\d+)\s*页", " ".join(sel.css("div.pg span::attr(title), div.pg label span::text").getall()))
    if m:
        return int(m[1])
    numbers = [_int(t) for t in sel.css("div.pg a::text, div.pg strong::text").getall() if t.strip().lstrip(".").isdigit()]
    return max([current, *numbers])


def _post(node: Selector, pid: str, tz: tzinfo, now: datetime) -> ForumPost:
    author_link = node.css(".authi a.xw1, .authi a.xi2")
    author = clean_text("".join(author_link[:1].css("::text").getall()))
    uid = ""
    if author_link:
        m = re.search(r"uid[=-](\d+)", author_link[0].attrib.get("href", ""))
        uid = m[1] if m else ""
    em = node.css(f"em#authorposton{pid}")
    created, error = None, ""
    try:
        created = parse_time(" ".join(em.css("::text").getall()), em.css("span::attr(title)").get(""), tz, now)
    except BadDiscuzTime as exc:
        error = str(exc)
    body = node.css(f"#postmessage_{pid}")
    post = ForumPost(pid=pid, author=author, author_id=uid, body_html="", created_at=created, time_error=error)
    if not body:
        return post
    root = copy.deepcopy(body[0].root)
    for quote in root.xpath('.//div[contains(concat(" ", normalize-space(@class), " "), " quote ")]'):
        links = quote.xpath(".//a/@href")
        pid_m = next((m for m in (_PID.search(h) for h in links) if m), None)
        block = quote.find(".//blockquote")
        text = html_to_text(lxml.html.tostring(block if block is not None else quote, encoding="unicode"), drop_classes=())
        head, sep, rest = text.partition("\n")
        if " 发表于 " in head:
            post.quote_author = head.split(" 发表于 ", 1)[0].strip()
            text = rest.strip() if sep else ""
        post.quote_text, post.quote_pid = text, pid_m[1] if pid_m else ""
        quote.drop_tree()
    post.body_html = lxml.html.tostring(root, encoding="unicode")
    return post


def parse_thread_page(html: str, url: str, tz: tzinfo, now: datetime) -> ThreadPage:
    """Posts on one page of a thread, the page number, the last page and the next page's URL."""
    sel = Selector(text=html)
    tid = thread_id_from_url(url)
    current = _int(sel.css("div.pg strong::text").get()) or 1
    page = ThreadPage(tid=tid, title=clean_text("".join(sel.css("#thread_subject ::text").getall())),
                      page=current, last_page=_last_page(sel, current))
    for node in sel.css('div[id^="post_"]'):
        pid = node.attrib["id"][5:]
        if pid.isdigit():
            page.posts.append(_post(node, pid, tz, now))
    nxt = sel.css("div.pg a.nxt::attr(href)").get()
    page.next_url = urljoin(url, nxt) if nxt else ""
    return page


def thread_id_from_url(url: str) -> str:
    if m := _THREAD_REWRITE.search(url) or _THREAD_X35.search(url):
        return m[1]
    return parse_qs(urlparse(url).query).get("tid", [""])[0]


def thread_page_url(url: str, page: int) -> str:
    """The URL of page ``page`` of the thread whose (any page's) URL is ``url``."""
    if _THREAD_REWRITE.search(url):
        return _THREAD_REWRITE.sub(lambda m: f"thread-{m[1]}-{page}-{m[3]}.html", url, count=1)
    if _THREAD_X35.search(url):
        return _THREAD_X35.sub(lambda m: f"thread/{m[1]}/{page}/", url, count=1)
    parts = urlparse(url)
    query = parse_qs(parts.query)
    query["page"] = [str(page)]
    return urlunparse(parts._replace(query=urlencode({k: v[0] for k, v in query.items()})))
