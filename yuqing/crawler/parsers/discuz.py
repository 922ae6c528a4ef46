"""Discuz! X 3.x pages, parsed without IO: board index, thread lists and thread pages.

Thread list ``tbody#normalthread_{tid}`` (pinned ``stickthread_{tid}``), title ``a.s.xst``,
replies ``td.num a.xi2`` (X3.5: replies + comments), and the last-post cell (the row's last
``td.by``: ``cite a`` the last poster, ``em a`` the time, relative with the absolute time in a
``span[title]`` when recent). Thread page: ``#thread_subject``, posts ``div#post_{pid}``, author
``.authi a.xw1|a.xi2``, time ``em#authorposton{pid}`` (``发表于 2021-3-23 14:38``, or a relative
``<span title="2021-3-24 09:12">昨天 09:12</span>``: the ``title`` wins), body
``td#postmessage_{pid}``; a ``div.quote`` is taken out of the body and kept as a link to the
quoted post; the edit note ``<i class="pstatus"> 本帖最后由 … 于 … 编辑 </i>`` (``[ 本帖最后由 … ]``
where BBCode is off) is read and left out of the text. Posts not shown to us are recognised, not
taken for empty: ``div.locked`` instead of the body (``提示: 该帖被管理员或版主屏蔽``, ``提示: 作者被禁止或删除
内容自动屏蔽``, ``此帖仅作者可见``), ``待审核`` in the body, and the ``无效楼层，该帖已经被删除`` floor of a
deleted post. Pagination ``div.pg`` (``a.nxt``, ``共 N 页``). Both ``forum.php?…`` and rewritten
``forum-{fid}-{page}.html`` / ``thread-{tid}-{page}-1.html`` URLs are understood.

``showmessage`` pages (``div#messagetext``: a login wall 抱歉，您尚未登录，没有权限访问该版块, no
permission, a deleted thread …) are classified by :func:`page_message`; the login form
(``member.php?mod=logging&action=login``) by :func:`parse_login_form` and its answer by
:func:`login_outcome`. Read from Discuz! X3.5's templates (``forum/forumdisplay_list.htm``,
``forum/viewthread_node*.htm``, ``common/showmessage.htm``, ``member/login.htm``) and language
files (``lang_template.php``, ``lang_message.php``, ``forum/lang_misc.php``).
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
    last_post: str = ""  # the last post's time as the list shows it (absolute: a span's title wins)
    last_poster: str = ""


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
    #: "" when shown; "hidden" (banned by a moderator, author banned, only for the thread's author,
    #: awaiting review) or "deleted" (a deleted floor), with the reason in Chinese.
    status: str = ""
    status_reason: str = ""
    edited_by: str = ""  # from the edit note 本帖最后由 {editor} 于 {edittime} 编辑
    edited_at: datetime | None = None


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
        bys = tb.css("td.by")
        last = bys[-1] if len(bys) > 1 else None  # author cell first, last-post cell last
        last_post = last_poster = ""
        if last is not None:
            last_poster = clean_text(" ".join(last.css("cite ::text").getall()))
            em = last.css("em")
            last_post = clean_text(em.css("span::attr(title)").get("") or " ".join(em.css("::text").getall()))
        page.threads.append(ThreadRef(
            tid=tid, url=urljoin(url, link.attrib.get("href", "")), title=clean_text("".join(link.css("::text").getall())),
            replies=_int(tb.css("td.num a.xi2::text").get()), author=clean_text(tb.css("td.by cite a::text").get("")),
            pinned=tb.attrib["id"].startswith("stick"), last_post=last_post, last_poster=last_poster))
    nxt = sel.css("div.pg a.nxt::attr(href)").get()
    page.next_url = urljoin(url, nxt) if nxt else ""
    return page


def _last_page(sel: Selector, current: int) -> int:
    m = re.search(r"共\s*(\d+)\s*页", " ".join(sel.css("div.pg span::attr(title), div.pg label span::text").getall()))
    if m:
        return int(m[1])
    numbers = [_int(t) for t in sel.css("div.pg a::text, div.pg strong::text").getall() if t.strip().lstrip(".").isdigit()]
    return max([current, *numbers])


#: What Discuz shows instead of a post's body (lang_template.php), and what it means for us.
_LOCKED = (("该帖被管理员或版主屏蔽", "被管理员或版主屏蔽"), ("作者被禁止或删除", "作者被禁止或删除，内容自动屏蔽"),
           ("此帖仅作者可见", "仅作者可见"))
_EDIT_NOTE = re.compile(r"本帖最后由\s*(.+?)\s*于\s*(\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)\s*编辑")
_NOBBCODE_NOTE = re.compile(r"^\s*\[ 本帖最后由 .*? 于 .*? 编辑 \]\s*")


def _status(node: Selector, body: list) -> tuple[str, str]:
    """Why a post's text is not shown to us, if it is not (``("", "")`` when it is)."""
    if not node.css("table.plhin") and "无效楼层" in " ".join(node.css(".pct ::text").getall()):
        return "deleted", "论坛显示该楼层已被删除"
    locked = " ".join(node.css("div.pcb div.locked ::text").getall())
    for mark, reason in _LOCKED:  # (a moderator sees the body under the note: hidden from everyone else)
        if mark in locked:
            return "hidden", reason
    if body and clean_text(" ".join(body[0].css("::text").getall())) == "待审核":
        return "hidden", "待审核"
    return "", ""


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
    post.status, post.status_reason = _status(node, body)
    if not body or post.status:
        return post
    note = " ".join(body.css("i.pstatus ::text").getall())
    if m := _EDIT_NOTE.search(note):
        post.edited_by = m[1]
        try:
            post.edited_at = parse_time(m[2], "", tz, now)
        except BadDiscuzTime:
            pass
    root = copy.deepcopy(body[0].root)
    if root.text and (m := _NOBBCODE_NOTE.match(root.text)):  # BBCode off: the note is plain text
        if e := _EDIT_NOTE.search(m.group(0)):
            post.edited_by, post.edited_at = e[1], parse_time(e[2], "", tz, now)
        root.text = root.text[m.end():]
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


@dataclass(slots=True)
class PageMessage:
    """A Discuz ``showmessage`` page instead of the page asked for.

    ``kind``: ``login`` (a login wall: 您尚未登录 / 请先登录 …), ``forbidden`` (logged in, or not,
    but not allowed: 没有权限 / 用户组 …), ``gone`` (主题不存在或已被删除 / 版块不存在) or ``other``."""

    kind: str
    text: str


_LOGIN_MARKS = ("尚未登录", "请先登录", "需要先登录", "需要登录", "登录后才能")
_FORBIDDEN_MARKS = ("没有权限", "无法进行此操作", "需要升级", "特定用户组", "要求阅读权限", "无权")
_GONE_MARKS = ("不存在或已被删除", "指定的版块不存在", "指定的主题不存在")
_UID = re.compile(r"discuz_uid\s*=\s*'(\d+)'")


def page_message(html: str) -> PageMessage | None:
    """The message of a ``showmessage`` page (``div#messagetext``), classified; None for any other page."""
    sel = Selector(text=html)
    box = sel.css("#messagetext")
    if not box:
        return None
    text = clean_text(" ".join(box.css("p:not(.alert_btnleft) ::text").getall()) or " ".join(box.css("::text").getall()))
    login_box = bool(sel.css("#messagelogin"))
    if any(m in text for m in _GONE_MARKS):
        kind = "gone"
    elif any(m in text for m in _LOGIN_MARKS) or (login_box and "游客" in text):
        kind = "login"
    elif any(m in text for m in _FORBIDDEN_MARKS):
        kind = "login" if login_box else "forbidden"
    else:
        kind = "other"
    return PageMessage(kind, text)


def page_uid(html: str) -> int | None:
    """The uid the page was rendered for (``discuz_uid = '…'`` in every page's head; 0 = a guest)."""
    m = _UID.search(html)
    return int(m[1]) if m else None


@dataclass(slots=True)
class LoginForm:
    """The login form of ``member.php?mod=logging&action=login``: where to post and what."""

    action: str
    fields: dict[str, str]  # hidden inputs (formhash, referer …) and the defaults to send
    username_field: str = "username"
    password_field: str = "password"
    captcha: bool = False  # a 验证码/验证问答 is asked: a crawler cannot log in


def parse_login_form(html: str, url: str) -> LoginForm | None:
    """The login form on a page, or None when the page has none."""
    sel = Selector(text=html)
    form = sel.css('form[name="login"], form[id^="loginform_"]')
    if not form:
        return None
    form = form[0]
    fields = {i.attrib["name"]: i.attrib.get("value", "") for i in form.css('input[type="hidden"][name]')}
    select = form.css('select[name="loginfield"]')
    if select:
        fields["loginfield"] = select.css("option::attr(value)").get("username")
    if form.css('select[name="questionid"]'):
        fields.setdefault("questionid", "0")
        fields.setdefault("answer", "")
    if form.css('input[name="cookietime"]'):
        fields["cookietime"] = form.css('input[name="cookietime"]::attr(value)').get("2592000")
    submit = form.css('button[name="loginsubmit"], input[name="loginsubmit"]')
    fields["loginsubmit"] = submit.attrib.get("value", "true") if submit else "true"
    text_inputs = [i.attrib["name"] for i in form.css('input[name]') if i.attrib.get("type", "text") == "text"]
    pw = form.css('input[type="password"]::attr(name)').get("password")
    body = form.get()
    captcha = any(m in body for m in ("updateseccode(", "updatesecqaa(", 'name="seccodeverify"', 'name="secanswer"'))
    return LoginForm(action=urljoin(url, form.attrib.get("action", "")), fields=fields,
                     username_field="username" if "username" in text_inputs or not text_inputs else text_inputs[0],
                     password_field=pw, captcha=captcha)


def login_outcome(html: str, cookie_names: list[str]) -> tuple[bool, str]:
    """Whether a login post succeeded (the ``auth`` cookie was set, or 欢迎您回来), and what the
    forum said (its message when it refused: 登录失败，您还可以尝试 4 次 …)."""
    if any(n.endswith("auth") for n in cookie_names) or "欢迎您回来" in html:
        return True, ""
    msg = page_message(html)
    if msg is not None and msg.text:
        return False, msg.text
    sel = Selector(text=html)
    text = clean_text(" ".join(sel.css(".alert_error ::text, .alert_info ::text").getall()))
    return False, text or "论坛没有给出登录结果"
