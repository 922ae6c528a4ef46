"""Discuz! X forums over HTML: boards → thread lists → every page of each thread.

Source options (``[[sources]] kind = "forum"``, ``options = {…}``):

- ``engine = "discuz"`` — selects this spider.
- ``boards = ["forum-2-1.html", "forum.php?mod=forumdisplay&fid=7"]`` — board URLs relative to
  ``url``; without it the boards are discovered from the links on ``url`` (the forum index).
- ``max_list_pages = 20`` — how deep to page through each board's thread list.
- ``recheck_days = 3`` — a thread whose last post is younger than this is read again in full on
  every crawl even when its list row has not changed (edits do not show in the list); 0 = never.
- ``username = "…"`` and ``password_env = "BBS_PASSWORD"`` — log in (members-only boards) with
  the password read from that environment variable (never from the config file). The session
  is kept for the whole crawl; a login wall in the middle of a crawl (an expired session) logs in
  again once. ``login_url`` (default ``member.php?mod=logging&action=login``).
- ``cookies = {"xxxx_2132_auth" = "…", "xxxx_2132_saltkey" = "…"}`` — instead of a password:
  a logged-in browser's Discuz cookie pair (``{cookiepre}auth`` and ``{cookiepre}saltkey``).
- ``t2s = true`` — convert traditional to simplified Chinese (any crawled source; needs OpenCC).

Incremental: each thread's reply count, last post (time and poster, from the list), page count
and the first post id of its last page are kept as a mark. A re-crawl skips threads whose list
row is unchanged (unless recent, see ``recheck_days``). A thread that only grew is read from its
last known page on — unless that page now starts with another post (earlier posts were deleted
and the rest moved up), then it is read whole; a thread whose reply count did not grow but whose
last post changed (a reply added while another was deleted) is read whole. Every post read is
compared with the stored one by the changes pipeline (same text: nothing; other text: an edit),
posts shown as banned/hidden/deleted are marked so, and a stored post missing from a thread read
through is marked deleted. A board's list stops paging once a page holds no new or changed threads.
GBK pages are decoded through their ``<meta charset>`` or HTTP header (Scrapy does this), and the
login form is posted in the page's charset, as a browser does.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from urllib.parse import urljoin

import scrapy

from ...errors import ConfigError
from ...schema import Post, QuarantineRecord, Source, SourceKind, make_post_id
from ..items import PostItem, PostStatusItem, QuarantineItem, ThreadDoneItem, ThreadSeen
from ..parsers.discuz import (
    BadDiscuzTime,
    board_links,
    login_outcome,
    page_message,
    page_uid,
    parse_login_form,
    parse_thread_list,
    parse_thread_page,
    parse_time,
    thread_id_from_url,
    thread_page_url,
)
from .base import SourceSpider

LOGIN_PATH = "member.php?mod=logging&action=login"


def login_password(source: Source) -> str | None:
    """The password of a source that logs in (from the environment variable it names), None for
    a source that does not; :class:`ConfigError` for a half or unsafe configuration."""
    opts = source.options
    if "password" in opts:
        raise ConfigError(f"数据源 {source.id}：不要把论坛密码写在配置文件里，请改用 password_env = \"环境变量名\"")
    user, env = str(opts.get("username") or ""), str(opts.get("password_env") or "")
    if not user and not env:
        return None
    if not user or not env:
        raise ConfigError(f"数据源 {source.id}：登录需要同时配置 username 和 password_env")
    if opts.get("cookies"):
        raise ConfigError(f"数据源 {source.id}：username/password_env 与 cookies 只能选一种登录方式")
    password = os.environ.get(env, "")
    if not password:
        raise ConfigError(f"数据源 {source.id}：环境变量 {env} 没有设置（论坛登录密码只从环境变量读取）")
    return password


class DiscuzSpider(SourceSpider):
    name = "discuz"
    #: Thread pages can be asked for by number (the profile spider's sites cannot).
    can_resume = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = self.source.options
        self.username = str(opts.get("username") or "")
        self.session = "password" if self.username else ("cookies" if self.cookies else "")
        self.recheck = timedelta(days=float(opts.get("recheck_days", 3)))
        self.logins = 0  # successful logins in this crawl (a second one renews an expired session)
        self.relogging = False
        self.waiting: list[scrapy.Request] = []  # requests that met the login wall, replayed after logging in

    # --- start, and the session ---------------------------------------------------------
    async def start(self):
        if self.session == "password":
            yield self.login_request()
            return
        for r in self.start_requests_():
            yield r

    def start_requests_(self) -> list[scrapy.Request]:
        boards = self.source.options.get("boards") or []
        if boards:
            return [self.request(self._abs(b), self.parse_board) for b in boards]
        return [self.request(self.source.url, self.parse_index)]

    def _abs(self, href: str) -> str:
        return urljoin(self.source.url if self.source.url.endswith("/") else self.source.url + "/", href)

    def request(self, url: str, callback, **kwargs) -> scrapy.Request:
        meta = {**kwargs.pop("meta", {}), "session": self.logins}
        return super().request(url, callback, meta=meta, **kwargs)

    def login_request(self) -> scrapy.Request:
        url = self._abs(str(self.source.options.get("login_url") or LOGIN_PATH))
        return scrapy.Request(url, callback=self.login_form, errback=self.failed, dont_filter=True, priority=100)

    def login_form(self, response):
        form = parse_login_form(response.text, response.url)
        if form is None and (page_uid(response.text) or 0) > 0:  # the session is still good: Discuz says so
            yield from self._session_ready()
            return
        if form is None:
            self.fail_source(f"登录页面上没有找到登录表单：{response.url}", response.url)
        if form.captcha:
            self.fail_source("论坛登录要求填写验证码或验证问答，无法自动登录：请改用 cookies（见 docs/crawling.md）",
                             response.url)
        password = login_password(self.source) or ""
        data = {**form.fields, form.username_field: self.username, form.password_field: password}
        # a browser posts the form in the page's charset (GBK on a GBK forum)
        yield scrapy.FormRequest(form.action, formdata=data, encoding=response.encoding, callback=self.logged_in,
                                 errback=self.failed, dont_filter=True, priority=100)

    def logged_in(self, response):
        names = [c.split(b"=", 1)[0].decode("latin-1").strip() for c in response.headers.getlist("Set-Cookie")]
        ok, message = login_outcome(response.text, names)
        if not ok:
            self.fail_source(f"登录失败（用户 {self.username}）：{message}", response.url)
        yield from self._session_ready()

    def _session_ready(self):
        self.logins += 1
        self.crawler.stats.inc_value("yuqing/logins")
        if self.logins == 1:
            yield from self.start_requests_()
            return
        self.relogging = False
        waiting, self.waiting = self.waiting, []
        for r in waiting:
            yield r.replace(dont_filter=True, meta={**r.meta, "session": self.logins})

    def blocked(self, response) -> list | None:
        """None when ``response`` is the page asked for; else the requests to go on with (the
        page met a login wall: log in again once and replay it) — or the source fails here."""
        msg = page_message(response.text)
        expired = self.session == "password" and self.logins > 0 and page_uid(response.text) == 0
        if (msg is None and not expired) or (msg is not None and msg.kind == "gone"):
            return None
        self.pages_read -= 1  # a message, not the page
        url, text = response.url, msg.text if msg is not None else "页面显示为游客"
        if msg is None or msg.kind == "login":
            if self.session == "password":
                if response.meta.get("session", self.logins) < self.logins:  # sent before the session was renewed
                    return [response.request.replace(dont_filter=True, meta={**response.meta, "session": self.logins})]
                if self.logins < 2:
                    self.waiting.append(response.request)
                    if not self.relogging:
                        self.relogging = True
                        self.crawler.stats.inc_value("yuqing/relogins")
                        return [self.login_request()]
                    return []
                self.fail_source(f"重新登录后仍被要求登录（{url}：{text}）", url)
            if self.session == "cookies":
                self.fail_source(f"登录状态已失效（{url}：{text}）：请更新 cookies 里的 auth 与 saltkey", url)
            self.fail_source(f"{url} 需要登录才能访问（{text}）：请为该数据源配置 username 与 password_env，或 cookies", url)
        self.store.record_source_failure(self.source.id, url, f"无法读取：{text}")
        self.crawler.stats.inc_value("yuqing/failures")
        if self._first_failure is None:
            self._first_failure = (url, text, False)
        return []

    # --- boards ---------------------------------------------------------------------------
    def parse_index(self, response):
        """The forum index: follow every board linked from it (the index may itself list threads)."""
        if (todo := self.blocked(response)) is not None:
            yield from todo
            return
        links = board_links(response.text, response.url)
        if not links:
            yield from self.parse_board(response, checked=True)
        for url in links:
            yield self.request(url, self.parse_board)

    # hooks the site-profile spider overrides
    def list_page(self, response):
        return parse_thread_list(response.text, response.url)

    def thread_page(self, response):
        return parse_thread_page(response.text, response.url, self.tz, self.now)

    def resume_url(self, url: str, page: int) -> str:
        return thread_page_url(url, page)

    def _recent(self, last_post: str) -> bool:
        if not last_post or self.recheck <= timedelta(0):
            return False
        try:
            return parse_time(last_post, "", self.tz, self.now) >= self.now - self.recheck
        except BadDiscuzTime:
            return False

    def parse_board(self, response, depth: int = 1, checked: bool = False):
        """One page of a board's thread list: request new and changed threads."""
        if not checked and (todo := self.blocked(response)) is not None:
            yield from todo
            return
        page = self.list_page(response)
        changed = 0
        for t in page.threads:
            seen = self.mark("thread", t.tid)
            row = {"replies": t.replies, "last": t.last_post, "last_poster": t.last_poster}
            same_replies = bool(seen) and t.replies >= 0 and seen.get("replies") == t.replies
            if same_replies and t.last_post and "last" not in seen:  # a mark from before last posts were kept
                seen = {**seen, "last": t.last_post, "last_poster": t.last_poster}
                yield ThreadDoneItem(self.state_key("thread", t.tid), json.dumps(seen))
            same_last = (seen.get("last", ""), seen.get("last_poster", "")) == (t.last_post, t.last_poster)
            recent = self._recent(t.last_post)
            if same_replies and same_last and not seen.get("gone") and not recent:
                self.crawler.stats.inc_value("yuqing/threads_unchanged")
                continue
            changed += 0 if t.pinned or (same_replies and same_last) else 1
            # only grew: go on from the last known page; anything else (churn, recent edits): read it whole
            grew = bool(seen) and t.replies > int(seen.get("replies", -1)) >= 0 and not seen.get("gone")
            start = int(seen.get("pages", 1)) if grew and self.can_resume and not recent else 1
            reading = {"start": start, "head": seen.get("head") if start > 1 else None, "seen": []}
            self.crawler.stats.inc_value("yuqing/thread_pages_requested")
            yield self.request(self.resume_url(t.url, start), self.parse_thread,
                               cb_kwargs={"replies": t.replies, "row": row, "reading": reading})
        limit = int(self.source.options.get("max_list_pages", 20))
        if page.next_url and changed and depth < limit:
            yield self.request(page.next_url, self.parse_board, cb_kwargs={"depth": depth + 1})

    # --- threads --------------------------------------------------------------------------
    def parse_thread(self, response, replies: int, row: dict | None = None, reading: dict | None = None):
        """One page of a thread: its posts, then the next page or the thread's mark."""
        if (todo := self.blocked(response)) is not None:
            yield from todo
            return
        row = row or {"replies": replies}
        reading = reading if reading is not None else {"start": 1, "head": None, "seen": []}
        sid = self.source.id
        msg = page_message(response.text)
        if msg is not None and msg.kind == "gone":  # 指定的主题不存在或已被删除: the whole thread is gone
            tid = thread_id_from_url(response.url)
            yield ThreadDoneItem(self.state_key("thread", tid), json.dumps({**row, "gone": True}),
                                 seen=ThreadSeen(sid, tid, [], None, f"主题已被删除（{msg.text}）"))
            return
        page = self.thread_page(response)
        if not page.posts:
            self.store.record_source_failure(sid, response.url, "帖子页面上没有找到任何帖子（页面结构变了？）")
            self.crawler.stats.inc_value("yuqing/failures")
            return
        if reading["head"] and page.page == reading["start"] and page.posts[0].pid != reading["head"]:
            # the last known page now starts with another post: earlier posts were deleted — read it all
            self.crawler.stats.inc_value("yuqing/thread_pages_requested")
            # (``again``: its pages are asked for a second time in this crawl, past the duplicate filter)
            yield self.request(self.resume_url(response.url, 1), self.parse_thread, dont_filter=True,
                               cb_kwargs={"replies": replies, "row": row,
                                          "reading": {"start": 1, "head": None, "seen": [], "again": True}})
            return
        if page.page == reading["start"] and reading["start"] > 1:  # read from here on: in view are this page's posts and later
            reading["since"] = _int(page.posts[0].pid)
        yield from self.page_items(response, page, reading)
        if page.next_url and page.page < page.last_page:
            self.crawler.stats.inc_value("yuqing/thread_pages_requested")
            yield self.request(page.next_url, self.parse_thread, dont_filter=bool(reading.get("again")),
                               cb_kwargs={"replies": replies, "row": row, "reading": reading})
            return
        since = reading.get("since") if reading["start"] > 1 else None
        if reading["start"] > 1 and since is None:  # cannot tell which stored posts were in view: mark none gone
            since = 1 << 62
        mark = {**row, "pages": page.page, "head": page.posts[0].pid}
        yield ThreadDoneItem(self.state_key("thread", page.tid), json.dumps(mark),
                             seen=ThreadSeen(sid, page.tid, list(reading["seen"]), since))

    def page_items(self, response, page, reading: dict):
        sid = self.source.id
        for fp in page.posts:
            reading["seen"].append(fp.pid)
            if fp.status:
                yield PostStatusItem(sid, page.tid, fp.pid, fp.status, fp.status_reason)
                continue
            if fp.created_at is None:
                yield QuarantineItem(QuarantineRecord(response.url, f"帖子 {fp.pid}", fp.time_error, source_id=sid))
                continue
            extra: dict = {"page": page.page}
            if fp.quote_text or fp.quote_author:
                extra["quote"] = {"name": fp.quote_author, "text": fp.quote_text[:500]}
            if fp.edited_by or fp.edited_at:
                extra["edited"] = {"by": fp.edited_by, "at": fp.edited_at.isoformat() if fp.edited_at else ""}
            post = Post(source_id=sid, source_kind=SourceKind.FORUM, text="", created_at=fp.created_at,
                        author=fp.author, author_id=fp.author_id, native_id=fp.pid, title=page.title,
                        url=f"{response.url}#pid{fp.pid}", thread_id=page.tid,
                        parent_id=make_post_id(sid, fp.quote_pid) if fp.quote_pid else "", extra=extra)
            yield PostItem(post=post, html=fp.body_html)


def _int(pid: str) -> int | None:
    return int(pid) if str(pid).isdigit() else None
