"""Discuz! X forums over HTML: boards → thread lists → every page of each thread.

Source options (``[[sources]] kind = "forum"``, ``options = {…}``):

- ``engine = "discuz"`` — selects this spider.
- ``boards = ["forum-2-1.html", "forum.php?mod=forumdisplay&fid=7"]`` — board URLs relative to
  ``url``; without it the boards are discovered from the links on ``url`` (the forum index).
- ``max_list_pages = 20`` — how deep to page through each board's thread list.
- ``cookies = {auth = "…"}`` — for members-only boards.
- ``t2s = true`` — convert traditional to simplified Chinese (any crawled source; needs OpenCC).

Incremental: each thread's reply count and page count are kept as a high-water mark; a
re-crawl skips threads whose reply count has not changed and re-reads a changed thread from its
last known page on. A board's list stops paging once a page holds no new or changed threads.
GBK pages are decoded through their ``<meta charset>`` or HTTP header (Scrapy does this).
"""

from __future__ import annotations

import json

from ...schema import Post, QuarantineRecord, SourceKind, make_post_id
from ..items import PostItem, QuarantineItem, ThreadDoneItem
from ..parsers.discuz import board_links, parse_thread_list, parse_thread_page, thread_page_url
from .base import SourceSpider


class DiscuzSpider(SourceSpider):
    name = "discuz"

    async def start(self):
        base = self.source.url
        boards = self.source.options.get("boards") or []
        if boards:
            for b in boards:
                yield self.request(self._abs(b), self.parse_board)
        else:
            yield self.request(base, self.parse_index)

    def _abs(self, href: str) -> str:
        from urllib.parse import urljoin

        return urljoin(self.source.url if self.source.url.endswith("/") else self.source.url + "/", href)

    def parse_index(self, response):
        """The forum index: follow every board linked from it (the index may itself list threads)."""
        links = board_links(response.text, response.url)
        if not links:
            yield from self.parse_board(response)
        for url in links:
            yield self.request(url, self.parse_board)

    # hooks the site-profile spider overrides
    def list_page(self, response):
        return parse_thread_list(response.text, response.url)

    def thread_page(self, response):
        return parse_thread_page(response.text, response.url, self.tz, self.now)

    def resume_url(self, url: str, page: int) -> str:
        return thread_page_url(url, page)

    def parse_board(self, response, depth: int = 1):
        """One page of a board's thread list: request new and changed threads."""
        page = self.list_page(response)
        changed = 0
        for t in page.threads:
            seen = self.mark("thread", t.tid)
            if seen and t.replies >= 0 and seen.get("replies") == t.replies:
                self.crawler.stats.inc_value("yuqing/threads_unchanged")
                continue
            changed += 0 if t.pinned else 1
            start = int(seen.get("pages", 1)) if seen else 1
            self.crawler.stats.inc_value("yuqing/thread_pages_requested")
            yield self.request(self.resume_url(t.url, start), self.parse_thread, cb_kwargs={"replies": t.replies})
        limit = int(self.source.options.get("max_list_pages", 20))
        if page.next_url and changed and depth < limit:
            yield self.request(page.next_url, self.parse_board, cb_kwargs={"depth": depth + 1})

    def parse_thread(self, response, replies: int):
        """One page of a thread: its posts, then the next page or the thread's high-water mark."""
        page = self.thread_page(response)
        sid = self.source.id
        for fp in page.posts:
            if fp.created_at is None:
                yield QuarantineItem(QuarantineRecord(response.url, f"帖子 {fp.pid}", fp.time_error, source_id=sid))
                continue
            extra = {"page": page.page}
            if fp.quote_text or fp.quote_author:
                extra["quote"] = {"name": fp.quote_author, "text": fp.quote_text[:500]}
            post = Post(source_id=sid, source_kind=SourceKind.FORUM, text="", created_at=fp.created_at,
                        author=fp.author, author_id=fp.author_id, native_id=fp.pid, title=page.title,
                        url=f"{response.url}#pid{fp.pid}", thread_id=page.tid,
                        parent_id=make_post_id(sid, fp.quote_pid) if fp.quote_pid else "", extra=extra)
            yield PostItem(post=post, html=fp.body_html)
        if page.next_url and page.page < page.last_page:
            self.crawler.stats.inc_value("yuqing/thread_pages_requested")
            yield self.request(page.next_url, self.parse_thread, cb_kwargs={"replies": replies})
        else:
            yield ThreadDoneItem(self.state_key("thread", page.tid),
                                 json.dumps({"replies": replies, "pages": page.page}))
