"""Live crawls (`yuqing crawl` in a subprocess, offline but for 127.0.0.1) of Discuz!-style forums
that behave as Discuz does: churn (a reply deleted and another added: same reply count), edits,
moderation, a members-only GBK board behind a login wall, a login that works (password from the
environment), a session that expires mid-crawl, the cookie pair, and the forum going down."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from yuqing.schema import make_post_id
from yuqing.storage import PostQuery
from yuqing.storage.sqlite import SqliteStore

from .discuz_site import DiscuzSite
from .forum_site import FPost, FThread

RUNNER = Path(__file__).with_name("offline_run.py")
TZ = ZoneInfo("Asia/Shanghai")


def _when(dt: datetime) -> str:
    return f"{dt.year}-{dt.month}-{dt.day} {dt.hour:02d}:{dt.minute:02d}"  # Discuz's Y-n-j H:i


def _run(tmp_path: Path, cfg: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    net_log = tmp_path / "net.log"
    proc = subprocess.run([sys.executable, str(RUNNER), "--config", str(cfg), "crawl"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "YUQING_TEST_NET_LOG": str(net_log),
                                            "XDG_CACHE_HOME": str(tmp_path / "cache"), **(env or {})})
    assert "Traceback" not in proc.stderr, proc.stderr
    assert not net_log.exists(), net_log.read_text()  # nothing but the configured forum was contacted
    return proc


def _config(tmp_path: Path, url: str, data: str, options: str, sid: str = "bbs") -> Path:
    cfg = tmp_path / f"{data}.toml"
    cfg.write_text(f'data_dir = "{data}"\n[crawler]\ndownload_delay = 0\nretry_times = 1\nretry_backoff = 0.01\n'
                   f'[[sources]]\nid = "{sid}"\nname = "职工论坛"\nkind = "forum"\nurl = "{url}"\n'
                   f'options = {{engine = "discuz", {options}}}\n', encoding="utf-8")
    return cfg


def _posts(tmp_path: Path, data: str, sid: str = "bbs") -> dict[str, object]:
    with SqliteStore(tmp_path / data / "yuqing.db") as store:
        return {sp.post.native_id: sp for sp in store.query_posts(PostQuery(include_removed=True, limit=100))}


@pytest.fixture
def public_forum():
    recent = datetime.now(TZ) - timedelta(days=1)
    threads = [
        FThread(101, 2, "夜班补贴拖欠问题", [
            FPost(1001, "老张", 11, "2026-11-2 08:00", "夜班补贴三个月没发了"),
            FPost(1002, "小李", 12, "2026-11-2 08:30", "我们队也是"),
            FPost(1003, "王师傅", 13, "2026-11-3 09:12", "工会能不能反映一下"),
            FPost(1004, "赵工", 14, "2026-11-3 10:00", "已经反映了"),
            FPost(1005, "孙师傅", 15, "2026-11-3 11:00", "等消息"),
        ]),
        FThread(102, 2, "食堂饭菜质量", [FPost(1101, "周师傅", 16, "2026-11-1 12:00", "最近食堂饭菜不太好"),
                                       FPost(1102, "小马", 26, "2026-11-1 12:30", "菜太咸"),
                                       FPost(1103, "老何", 27, "2026-11-1 13:00", "米饭是夹生的")]),
        FThread(103, 2, "班车时间调整", [FPost(1201, "工会小王", 17, _when(recent), "下周起班车提前十分钟"),
                                        FPost(1202, "吴师傅", 18, _when(recent + timedelta(minutes=5)), "夜班的人怎么办")]),
    ]
    site = DiscuzSite(threads)
    url = site.start()
    yield site, url
    site.stop()


@pytest.mark.slow
def test_recrawl_sees_churn_edits_moderation_and_the_forum_going_down(public_forum, tmp_path):
    site, url = public_forum
    cfg = _config(tmp_path, url, "data", 'boards = ["forum-2-1.html"], recheck_days = 3')
    first = _run(tmp_path, cfg)
    assert first.returncode == 0 and first.stdout.count("\n") == 1, first.stdout  # one line for the one source
    assert first.stdout.startswith("数据源 bbs：新增 10 条，未变 0 条，重复 0 条")

    t101, t102, t103 = site.thread(101), site.thread(102), site.thread(103)
    del t102.posts[1]  # 1102 deleted and two replies added: the thread grew, and its last page moved up
    t102.posts += [FPost(1104, "小马", 26, "2026-11-5 08:00", "今天好点了"), FPost(1105, "老何", 27, "2026-11-5 08:30", "还行")]
    del t101.posts[1]  # 1002 deleted by a moderator: later posts move up, one reply fewer …
    t101.posts.append(FPost(1006, "钱师傅", 19, "2026-11-4 08:00", "有新进展吗"))  # … and one more: same count
    t101.posts[2].body, t101.posts[2].edited = "已经反映了，等回复", ("赵工", "2026-11-4 09:00")  # 1004 edited
    t101.posts[3].status = "banned"  # 1005 屏蔽
    t103.posts[1].body, t103.posts[1].edited = "夜班的人怎么办？请工会问问", ("吴师傅", _when(datetime.now(TZ)))
    site.hits.clear()
    second = _run(tmp_path, cfg)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("数据源 bbs：新增 3 条，编辑 2 条，删除 2 条，屏蔽 1 条，未变 5 条，重复 0 条"), second.stdout
    threads_read = [h for h in site.hits if h.startswith("/thread-")]
    # 102 grew: its last known page first — which starts with another post now, so it is read again from page 1
    assert [h for h in threads_read if h.startswith("/thread-102-")] == [
        "/thread-102-2-1.html", "/thread-102-1-1.html", "/thread-102-2-1.html"]
    assert sorted(h for h in threads_read if not h.startswith("/thread-102-")) == [
        "/thread-101-1-1.html", "/thread-101-2-1.html", "/thread-101-3-1.html",  # churn: read whole
        "/thread-103-1-1.html"]  # unchanged row, but a recent last post: edits are looked for
    posts = _posts(tmp_path, "data")
    assert posts["1006"].status == "live" and posts["1006"].post.text == "有新进展吗"
    assert (posts["1002"].status, posts["1002"].status_reason) == ("deleted", "论坛上已删除")
    assert posts["1102"].status == "deleted" and posts["1104"].status == posts["1105"].status == posts["1103"].status == "live"
    assert (posts["1005"].status, posts["1005"].status_reason) == ("hidden", "被管理员或版主屏蔽")
    assert posts["1004"].post.text == "已经反映了，等回复" and posts["1004"].post.extra["edited"]["by"] == "赵工"
    assert posts["1202"].post.text == "夜班的人怎么办？请工会问问"
    with SqliteStore(tmp_path / "data" / "yuqing.db") as store:
        assert [r.text for r in store.post_history(make_post_id("bbs", "1004"))] == ["已经反映了"]
        live = {sp.post.native_id for sp in store.query_posts(PostQuery(limit=100))}
        assert live == {"1001", "1003", "1004", "1006", "1101", "1103", "1104", "1105", "1201", "1202"}  # deleted, banned: out
        assert store.count_posts(PostQuery()) == 10 and store.stats()["posts_removed"] == 3

    site.hits.clear()
    third = _run(tmp_path, cfg)
    assert third.stdout.startswith("数据源 bbs：新增 0 条，未变 2 条，重复 0 条"), third.stdout
    assert sorted(h for h in site.hits if h.startswith("/thread-")) == ["/thread-103-1-1.html"]  # only the recent one

    site.stop()  # the forum goes down
    down = _run(tmp_path, cfg)
    assert down.returncode == 1
    assert down.stderr.splitlines() == [f"错误：数据源 bbs：无法连接 {url}forum-2-1.html（连接被拒绝）"], down.stderr
    assert down.stdout.startswith("数据源 bbs：新增 0 条")


@pytest.fixture
def members_forum():
    threads = [
        FThread(201, 3, "井下通风设备老化", [FPost(2001, "老刘", 21, "2026-11-2 14:38", "通风设备该换了"),
                                           FPost(2002, "小陈", 22, "2026-11-2 15:00", "同意，噪音很大"),
                                           FPost(2003, "老郑", 23, "2026-11-2 16:00", "上周已经报修")]),
        FThread(202, 3, "劳保用品发放", [FPost(2101, "小赵", 24, "2026-11-3 08:00", "手套不够用"),
                                       FPost(2102, "老钱", 25, "2026-11-3 09:00", "鞋子也该换了")]),
    ]
    site = DiscuzSite(threads, charset="gbk", members_only={3}, users={"工会监测": (90, "s3cret")},
                      boards={3: "安全生产（会员）"})
    url = site.start()
    yield site, url
    site.stop()


@pytest.mark.slow
def test_members_only_gbk_board_login_wall_login_expiry_and_cookie_pair(members_forum, tmp_path):
    site, url = members_forum
    board = 'boards = ["forum-3-1.html"], recheck_days = 0'

    walled = _run(tmp_path, _config(tmp_path, url, "guest", board, sid="club"))
    assert walled.returncode == 1
    assert walled.stderr.splitlines() == [f"错误：数据源 club：{url}forum-3-1.html 需要登录才能访问（抱歉，您尚未登录，没有权限"
                                          "访问该版块）：请为该数据源配置 username 与 password_env，或 cookies"]
    assert "新增 0 条" in walled.stdout and "失败 1 次" in walled.stdout  # a recorded failure, not an empty board
    with SqliteStore(tmp_path / "guest" / "yuqing.db") as store:
        assert "需要登录" in store.q1("SELECT error FROM source_failures WHERE source_id = 'club'")[0]

    login = f'{board}, username = "工会监测", password_env = "CLUB_PASSWORD"'
    site.expire_after = 2  # the session ends after two member pages: the crawl must log in again
    ok = _run(tmp_path, _config(tmp_path, url, "member", login, sid="club"), env={"CLUB_PASSWORD": "s3cret"})
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("数据源 club：新增 5 条"), ok.stdout
    assert site.logins == ["工会监测", "工会监测"] and site.refused == []  # GBK form post; logged in again once
    posts = _posts(tmp_path, "member", "club")
    assert posts["2002"].post.text == "同意，噪音很大" and posts["2102"].post.title == "劳保用品发放"

    wrong = _run(tmp_path, _config(tmp_path, url, "wrong", login, sid="club"), env={"CLUB_PASSWORD": "guess"})
    assert wrong.returncode == 1
    assert wrong.stderr.splitlines() == ["错误：数据源 club：登录失败（用户 工会监测）：登录失败，您还可以尝试 4 次"]

    no_env = _run(tmp_path, _config(tmp_path, url, "noenv", login, sid="club"), env={"CLUB_PASSWORD": ""})
    assert no_env.returncode == 2 and "环境变量 CLUB_PASSWORD 没有设置" in no_env.stderr

    # a browser's cookie pair works; the auth cookie alone does not (it is keyed with the saltkey)
    site.sessions["tok-from-browser"] = (90, "a1b2c3d4")
    pair = f'{board}, cookies = {{ yq7f_2132_auth = "tok-from-browser", yq7f_2132_saltkey = "a1b2c3d4" }}'
    cookies = _run(tmp_path, _config(tmp_path, url, "cookies", pair, sid="club"))
    assert cookies.returncode == 0 and cookies.stdout.startswith("数据源 club：新增 5 条"), cookies.stderr
    alone = _run(tmp_path, _config(tmp_path, url, "alone", f'{board}, cookies = {{ yq7f_2132_auth = "tok-from-browser" }}',
                                   sid="club"))
    assert alone.returncode == 1 and "登录状态已失效" in alone.stderr and len(alone.stderr.splitlines()) == 1
