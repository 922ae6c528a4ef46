from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from yuqing.crawler.parsers.discuz import (BadDiscuzTime, board_links, parse_thread_list, parse_thread_page,
                                            parse_time, thread_page_url)

from ..conftest import FIXTURES

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=CST)
PAGES = FIXTURES / "discuz"


def test_thread_list_threads_replies_and_next_page():
    page = parse_thread_list((PAGES / "forum-2-1.html").read_text(encoding="utf-8"), "http://f/forum-2-1.html")
    assert [(t.tid, t.replies, t.title) for t in page.threads] == [("101", 4, "夜班补贴拖欠问题"), ("102", 0, "食堂饭菜质量")]
    assert page.threads[0].url == "http://f/thread-101-1-1.html"
    assert page.next_url == "http://f/forum-2-2.html"


def test_thread_page_posts_quote_linked_and_removed():
    page = parse_thread_page((PAGES / "thread-101-1-1.html").read_text(encoding="utf-8"),
                             "http://f/thread-101-1-1.html", CST, NOW)
    assert (page.tid, page.title, page.page, page.last_page) == ("101", "夜班补贴拖欠问题", 1, 3)
    assert page.next_url == "http://f/thread-101-2-1.html"
    first, reply = page.posts
    assert first.author == "老张" and first.author_id == "11"
    assert first.created_at == datetime(2026, 11, 2, 8, 0, tzinfo=CST)
    assert reply.quote_pid == "1001" and reply.quote_author == "老张" and reply.quote_text == "夜班补贴三个月没发了"
    assert "blockquote" not in reply.body_html and "我们队也是" in reply.body_html


def test_relative_time_uses_title_and_gbk_page_parses():
    page = parse_thread_page((PAGES / "thread-101-2-1.html").read_text(encoding="utf-8"),
                             "http://f/thread-101-2-1.html", CST, NOW)
    assert page.posts[0].created_at == datetime(2026, 11, 3, 9, 12, tzinfo=CST)
    gbk = parse_thread_page((PAGES / "thread-201-2-1.gbk.html").read_bytes().decode("gbk"),
                            "http://f/thread-201-2-1.html", CST, NOW)
    assert gbk.posts[0].created_at is None and "很久以前" in gbk.posts[0].time_error


@pytest.mark.parametrize("text,title,expected", [
    ("发表于 2021-3-23 14:38", "", datetime(2021, 3, 23, 14, 38, tzinfo=CST)),
    ("昨天 09:12", "2021-3-24 09:12", datetime(2021, 3, 24, 9, 12, tzinfo=CST)),
    ("昨天\xa009:12", "", datetime(2026, 11, 3, 9, 12, tzinfo=CST)),
    ("半小时前", "", NOW - timedelta(minutes=30)),
    ("3 小时前", "", NOW - timedelta(hours=3)),
])
def test_parse_time(text, title, expected):
    assert parse_time(text, title, CST, NOW) == expected


def test_parse_time_invalid():
    with pytest.raises(BadDiscuzTime):
        parse_time("发表于 2021-2-30 10:00", "", CST, NOW)
    with pytest.raises(BadDiscuzTime):
        parse_time("很久以前", "", CST, NOW)


def test_page_urls_and_board_links():
    assert thread_page_url("http://f/thread-9-1-1.html", 3) == "http://f/thread-9-3-1.html"
    assert thread_page_url("http://f/forum.php?mod=viewthread&tid=9", 2) == "http://f/forum.php?mod=viewthread&tid=9&page=2"
    assert thread_page_url("http://f/thread/9/1/", 4) == "http://f/thread/9/4/"
    html = '<a href="forum-2-1.html">a</a><a href="forum.php?mod=forumdisplay&fid=7&page=2">b</a><a href="forum-2-3.html">c</a>'
    assert board_links(html, "http://f/") == ["http://f/forum-2-1.html", "http://f/forum.php?mod=forumdisplay&fid=7&page=2"]
