"""The Discuz spider offline: churn and shifted threads, deleted threads, logins, walls, re-login."""

from __future__ import annotations

import json

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.http import FormRequest, HtmlResponse, Request
from scrapy.utils.test import get_crawler

from yuqing.crawler.items import PostStatusItem, ThreadDoneItem
from yuqing.crawler.spiders.discuz import DiscuzSpider, login_password
from yuqing.errors import ConfigError
from yuqing.schema import Source, SourceKind

from ..conftest import FIXTURES

PAGES = FIXTURES / "discuz"
BASE = "http://forum.example/"


def _spider(store, **options):
    src = Source("club", "会员论坛", SourceKind.FORUM, url=BASE, options={"engine": "discuz", **options})
    crawler = get_crawler(DiscuzSpider)
    sp = DiscuzSpider.from_crawler(crawler, source=src, store=store)
    crawler.spider = sp
    crawler.stats.open_spider()
    return sp


def _resp(name: str, url: str, request: Request | None = None, headers=None) -> HtmlResponse:
    return HtmlResponse(url=url, body=(PAGES / name).read_bytes(), request=request or Request(url), headers=headers)


def test_churned_thread_is_read_whole_and_a_grown_one_from_its_last_page(store):
    sp = _spider(store)
    store.set_state("crawl:club:thread:101", json.dumps({"replies": 2, "pages": 2, "head": "1003"}))  # grew to 4
    store.set_state("crawl:club:thread:102", json.dumps({"replies": 0, "pages": 1, "head": "1101"}))
    out = list(sp.parse_board(_resp("forum-2-1.html", BASE + "forum-2-1.html")))
    assert [(r.url, r.cb_kwargs["reading"]) for r in out[:1]] == [
        (BASE + "thread-101-2-1.html", {"start": 2, "head": "1003", "seen": []})]
    # 301: the same reply count as before but another last post (a reply deleted, one added): read whole
    store.set_state("crawl:club:thread:302", json.dumps({"replies": 0, "pages": 1, "head": "3101", "last": "2026-10-1 08:00",
                                                         "last_poster": "版主"}))
    store.set_state("crawl:club:thread:301", json.dumps({"replies": 1, "pages": 2, "head": "3002", "last": "2026-11-4 08:00",
                                                         "last_poster": "小李"}))
    (again,) = list(sp.parse_board(_resp("forum-5-1.html", BASE + "forum-5-1.html")))
    assert again.url == BASE + "thread-301-1-1.html"
    assert again.cb_kwargs["reading"] == {"start": 1, "head": None, "seen": []}
    assert again.cb_kwargs["row"] == {"replies": 1, "last": "2026-11-4 09:12", "last_poster": "小周"}
    store.set_state("crawl:club:thread:301", json.dumps({**again.cb_kwargs["row"], "pages": 1, "head": "3001"}))
    assert list(sp.parse_board(_resp("forum-5-1.html", BASE + "forum-5-1.html"))) == []  # unchanged now


def test_old_marks_adopt_the_last_post_without_reading(store):
    sp = _spider(store)
    store.set_state("crawl:club:thread:301", json.dumps({"replies": 1, "pages": 1}))
    store.set_state("crawl:club:thread:302", json.dumps({"replies": 0, "pages": 1}))
    out = list(sp.parse_board(_resp("forum-5-1.html", BASE + "forum-5-1.html")))
    assert all(isinstance(o, ThreadDoneItem) for o in out) and len(out) == 2
    assert json.loads(out[1].state_value)["last"] == "2026-11-4 09:12"


def test_a_last_page_that_moved_up_sends_the_thread_back_to_page_one(store):
    sp = _spider(store)
    reading = {"start": 2, "head": "1001", "seen": []}  # page 2 used to start with 1001: it starts with 1003 now
    out = list(sp.parse_thread(_resp("thread-101-2-1.html", BASE + "thread-101-2-1.html"), replies=4,
                               row={"replies": 4}, reading=reading))
    assert [r.url for r in out] == [BASE + "thread-101-1-1.html"]
    again = out[0].cb_kwargs["reading"]
    assert again == {"start": 1, "head": None, "seen": [], "again": True} and out[0].dont_filter
    # page 2 was asked for already in this crawl: the re-read asks for it past the duplicate filter
    more = list(sp.parse_thread(_resp("thread-101-1-1.html", BASE + "thread-101-1-1.html"), **out[0].cb_kwargs))
    assert more[-1].url == BASE + "thread-101-2-1.html" and more[-1].dont_filter


def test_states_become_status_items_and_a_deleted_thread_marks_its_posts(store):
    sp = _spider(store)
    out = list(sp.parse_thread(_resp("thread-301-1-1.states.html", BASE + "thread-301-1-1.html"), replies=5))
    status = [(o.native_id, o.status) for o in out if isinstance(o, PostStatusItem)]
    assert status == [("3002", "hidden"), ("3003", "hidden"), ("3004", "hidden"), ("3005", "hidden"), ("3006", "deleted")]
    done = out[-1]
    assert done.seen.seen == ["3001", "3002", "3003", "3004", "3005", "3006"] and done.seen.since is None
    gone = list(sp.parse_thread(_resp("showmessage-gone.html", BASE + "thread-301-1-1.html"), replies=5))
    (item,) = gone
    assert item.seen.seen == [] and item.seen.since is None and "主题已被删除" in item.seen.reason
    assert json.loads(item.state_value)["gone"] is True


def test_a_login_wall_without_credentials_fails_the_source(store):
    sp = _spider(store)
    with pytest.raises(CloseSpider):
        list(sp.parse_board(_resp("showmessage-login.html", BASE + "forum-3-1.html")))
    assert sp.fatal == ("数据源 club：http://forum.example/forum-3-1.html 需要登录才能访问（抱歉，您尚未登录，没有权限访问该版块）："
                        "请为该数据源配置 username 与 password_env，或 cookies")
    assert store.q1("SELECT COUNT(*) FROM source_failures WHERE source_id = 'club'")[0] == 1


def test_login_posts_the_form_in_the_page_charset_then_starts(store, monkeypatch):
    monkeypatch.setenv("CLUB_PW", "s3cret")
    sp = _spider(store, username="工会监测", password_env="CLUB_PW", boards=["forum-3-1.html"])
    login = sp.login_request()
    assert login.url == BASE + "member.php?mod=logging&action=login"
    (post,) = list(sp.login_form(_resp("login.gbk.html", login.url, request=login)))
    assert isinstance(post, FormRequest) and post.method == "POST"
    assert "username=%B9%A4%BB%E1%BC%E0%B2%E2" in post.body.decode()  # 工会监测 in GBK, as a browser sends it
    assert b"formhash=3f9e2a1b" in post.body and b"password=s3cret" in post.body and b"loginsubmit=true" in post.body
    ok = _resp("login-succeed.html", post.url, request=post, headers={"Set-Cookie": ["yq7f_2132_auth=x; path=/"]})
    assert [r.url for r in sp.logged_in(ok)] == [BASE + "forum-3-1.html"] and sp.logins == 1
    with pytest.raises(CloseSpider):
        list(sp.logged_in(_resp("login-failed.html", post.url, request=post)))
    assert sp.fatal == "数据源 club：登录失败（用户 工会监测）：登录失败，您还可以尝试 4 次"


def test_an_expired_session_logs_in_again_once_and_replays_what_met_the_wall(store, monkeypatch):
    monkeypatch.setenv("CLUB_PW", "s3cret")
    sp = _spider(store, username="工会监测", password_env="CLUB_PW")
    sp.logins = 1
    a, b = sp.request(BASE + "thread-201-1-1.html", sp.parse_thread), sp.request(BASE + "thread-202-1-1.html", sp.parse_thread)
    first = list(sp.parse_thread(_resp("showmessage-login.html", a.url, request=a), replies=2))
    assert [r.url for r in first] == [BASE + "member.php?mod=logging&action=login"]
    assert list(sp.parse_thread(_resp("showmessage-login.html", b.url, request=b), replies=1)) == []  # waits
    ok = _resp("login-succeed.html", BASE + "member.php", headers={"Set-Cookie": ["yq7f_2132_auth=y; path=/"]})
    replayed = list(sp.logged_in(ok))
    assert [r.url for r in replayed] == [a.url, b.url] and all(r.dont_filter and r.meta["session"] == 2 for r in replayed)
    with pytest.raises(CloseSpider):  # the wall again after logging in again: give up
        list(sp.parse_thread(_resp("showmessage-login.html", a.url, request=replayed[0]), replies=2))
    assert sp.fatal.startswith("数据源 club：重新登录后仍被要求登录")


def test_a_page_rendered_for_a_guest_means_the_session_expired(store, monkeypatch):
    monkeypatch.setenv("CLUB_PW", "s3cret")
    sp = _spider(store, username="工会监测", password_env="CLUB_PW")
    sp.logins = 1
    req = sp.request(BASE + "forum-5-1.html", sp.parse_board)
    html = (PAGES / "forum-5-1.html").read_text(encoding="utf-8")  # discuz_uid = '0'
    out = list(sp.parse_board(HtmlResponse(url=req.url, body=html.encode(), encoding="utf-8", request=req)))
    assert [r.url for r in out] == [BASE + "member.php?mod=logging&action=login"]


@pytest.mark.parametrize(("options", "env", "error"), [
    ({"username": "a", "password": "x", "password_env": "P"}, {}, "不要把论坛密码写在配置文件里"),
    ({"username": "a"}, {}, "同时配置 username 和 password_env"),
    ({"username": "a", "password_env": "P", "cookies": {"x_auth": "1"}}, {"P": "x"}, "只能选一种"),
    ({"username": "a", "password_env": "P"}, {}, "环境变量 P 没有设置"),
])
def test_login_options_are_checked_before_crawling(options, env, error, monkeypatch):
    monkeypatch.delenv("P", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ConfigError, match=error):
        login_password(Source("club", "会员论坛", SourceKind.FORUM, url=BASE, options=options))


def test_no_login_options_no_password(monkeypatch):
    assert login_password(Source("bbs", "论坛", SourceKind.FORUM, url=BASE, options={"cookies": {"a": "1"}})) is None


def test_a_source_that_answered_nothing_or_only_errors_fails_with_one_line(store):
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import ConnectionRefusedError
    from twisted.python.failure import Failure

    down = _spider(store)
    f = Failure(ConnectionRefusedError())
    f.request = Request(BASE + "forum-2-1.html")
    down.failed(f)
    down.closed("finished")
    assert down.fatal == "数据源 club：无法连接 http://forum.example/forum-2-1.html（连接被拒绝）"
    erring = _spider(store)
    f = Failure(HttpError(HtmlResponse(BASE + "forum-2-1.html", status=503, body=b"")))
    f.request = Request(BASE + "forum-2-1.html")
    erring.failed(f)
    erring.closed("finished")
    assert erring.fatal == "数据源 club：没有读到任何页面（http://forum.example/forum-2-1.html：HTTP 503）"
    robots = _spider(store)
    f = Failure(IgnoreRequest("Forbidden by robots.txt"))
    f.request = Request(BASE + "forum-2-1.html")
    robots.failed(f)
    robots.closed("finished")
    assert "robots.txt 不允许采集" in robots.fatal and "无法连接" not in robots.fatal
    fine = _spider(store)
    fine.failed(f)
    fine.pages_read = 3  # other pages were read: a failed page is a recorded failure, not a failed source
    fine.closed("finished")
    assert fine.fatal is None
