from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from yuqing.crawler.parsers.discuz import (
    BadDiscuzTime,
    board_links,
    login_outcome,
    page_message,
    page_uid,
    parse_login_form,
    parse_thread_list,
    parse_thread_page,
    parse_time,
    thread_page_url,
)

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


# --- Discuz! X3.5 as it behaves: last posts, edits, moderation, messages, the login form ---------


def test_thread_list_last_post_time_and_poster():
    page = parse_thread_list((PAGES / "forum-5-1.html").read_text(encoding="utf-8"), "http://f/forum-5-1.html")
    pinned, thread = page.threads  # forumdisplay lists pinned threads first
    assert (pinned.tid, pinned.pinned, pinned.last_post, pinned.last_poster) == ("302", True, "2026-10-1 08:00", "版主")
    # a recent last post is shown relative ("3 小时前"): the absolute time in the span's title wins
    assert (thread.tid, thread.replies, thread.last_post, thread.last_poster) == ("301", 1, "2026-11-4 09:12", "小周")
    old = parse_thread_list((PAGES / "forum-2-1.html").read_text(encoding="utf-8"), "http://f/forum-2-1.html")
    assert old.threads[0].last_post == "" and old.threads[0].last_poster == ""  # a list without the cell


def test_edit_note_is_read_and_left_out_of_the_text():
    page = parse_thread_page((PAGES / "thread-301-1-1.states.html").read_text(encoding="utf-8"),
                             "http://f/thread-301-1-1.html", CST, NOW)
    first = page.posts[0]
    assert (first.status, first.edited_by, first.edited_at) == ("", "老李", datetime(2026, 11, 1, 9, 30, tzinfo=CST))
    assert "本帖最后由" in first.body_html  # kept in the HTML, dropped by the cleaning (i.pstatus) …
    from yuqing.crawler.cleaning import html_to_text

    assert html_to_text(first.body_html) == "安全帽裂了，\n该换了"  # … so the text is the post's own


def test_edit_note_of_a_forum_without_bbcode():
    html = (PAGES / "thread-301-1-1.states.html").read_text(encoding="utf-8").replace(
        '<i class="pstatus"> 本帖最后由 老李 于 2026-11-1 09:30 编辑 </i><br /><br />', "[ 本帖最后由 老李 于 2026-11-1 09:30 编辑 ]<br />\n<br />")
    first = parse_thread_page(html, "http://f/thread-301-1-1.html", CST, NOW).posts[0]
    assert first.edited_by == "老李" and "本帖最后由" not in first.body_html


def test_banned_hidden_awaiting_and_deleted_posts_are_recognised_not_empty():
    page = parse_thread_page((PAGES / "thread-301-1-1.states.html").read_text(encoding="utf-8"),
                             "http://f/thread-301-1-1.html", CST, NOW)
    states = [(p.pid, p.status, p.status_reason) for p in page.posts[1:]]
    assert states == [("3002", "hidden", "被管理员或版主屏蔽"), ("3003", "hidden", "作者被禁止或删除，内容自动屏蔽"),
                      ("3004", "hidden", "仅作者可见"), ("3005", "hidden", "待审核"),
                      ("3006", "deleted", "论坛显示该楼层已被删除")]
    assert all(p.body_html == "" for p in page.posts[1:])
    assert page_uid((PAGES / "thread-301-1-1.states.html").read_text(encoding="utf-8")) == 90


def test_showmessage_pages_are_classified():
    wall = page_message((PAGES / "showmessage-login.html").read_text(encoding="utf-8"))
    assert (wall.kind, wall.text) == ("login", "抱歉，您尚未登录，没有权限访问该版块")
    assert page_message((PAGES / "showmessage-nopermission.html").read_text(encoding="utf-8")).kind == "forbidden"
    assert page_message((PAGES / "showmessage-gone.html").read_text(encoding="utf-8")).kind == "gone"
    assert page_message((PAGES / "thread-101-1-1.html").read_text(encoding="utf-8")) is None
    guest = '<div id="messagetext" class="alert_info"><p>抱歉，您所在的用户组(游客)无法进行此操作</p></div><div id="messagelogin"></div>'
    assert page_message(guest).kind == "login"  # group_nopermission for a guest, with the login box
    assert page_uid((PAGES / "showmessage-login.html").read_text(encoding="utf-8")) == 0


def test_login_form_fields_and_captcha():
    raw = (PAGES / "login.gbk.html").read_bytes()
    form = parse_login_form(raw.decode("gbk"), "http://f/member.php?mod=logging&action=login")
    assert form.action == "http://f/member.php?mod=logging&action=login&loginsubmit=yes&loginhash=LqA1Z"
    assert form.fields == {"formhash": "3f9e2a1b", "referer": "forum.php", "loginfield": "username", "questionid": "0",
                           "answer": "", "cookietime": "2592000", "loginsubmit": "true"}
    assert (form.username_field, form.password_field, form.captcha) == ("username", "password", False)
    assert b'charset="gbk"' in raw
    assert parse_login_form((PAGES / "login-captcha.html").read_text(encoding="utf-8"), "http://f/").captcha is True
    assert parse_login_form((PAGES / "thread-101-1-1.html").read_text(encoding="utf-8"), "http://f/") is None


def test_login_outcome():
    assert login_outcome((PAGES / "login-succeed.html").read_text(encoding="utf-8"), []) == (True, "")
    assert login_outcome("<html></html>", ["yq7f_2132_saltkey", "yq7f_2132_auth"])[0] is True
    assert login_outcome((PAGES / "login-failed.html").read_text(encoding="utf-8"), ["yq7f_2132_saltkey"]) == (
        False, "登录失败，您还可以尝试 4 次")
