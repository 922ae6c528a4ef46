"""In a real browser (Debian's chromium via Playwright, `yuqing dashboard` as a subprocess, its own
fixture store): marking a post 已处置 hides it from the search list; a 专题 is created and opened
(also from its link); the new-alert badge appears while the overview is open when an alert is raised
through the alert engine, and the overview reloads itself to list it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from .fixture_store import build
from .test_browser import ARGS, CHROMIUM, _free_port, _login, _settle

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium")]
REFRESH = 5


@pytest.fixture
def live_server(tmp_path):
    (tmp_path / "world").mkdir()
    cfg_path = build(tmp_path / "world")
    text = cfg_path.read_text(encoding="utf-8")
    cfg_path.write_text(text.replace("[dashboard]\n", f"[dashboard]\nrefresh_seconds = {REFRESH}\n", 1), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "YUQING_CONFIG": str(cfg_path)}
    log = open(tmp_path / "streamlit.log", "wb")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "yuqing"), "dashboard", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("dashboard did not start: " + (tmp_path / "streamlit.log").read_text(errors="replace")[-2000:])
        time.sleep(0.3)
    yield base, cfg_path
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _store(cfg_path):
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    return SqliteStore(load_config(cfg_path, env={}).db_path)


def test_triage_hides_a_handled_post_and_a_subject_is_created_and_opened(live_server):
    from playwright.sync_api import sync_playwright

    base, cfg_path = live_server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        _login(page, base, "jiance", path="/search")
        page.get_by_label("关键词").fill("篮球赛")
        page.get_by_label("关键词").press("Enter")
        _settle(page)
        main = page.get_by_test_id("stMain")
        cards = main.get_by_text("周末篮球赛报名了", exact=False)
        before = cards.count()
        assert before >= 2
        text = main.locator(".yq-post").first.inner_text()  # the first card's text (highlighted, as escaped HTML)
        assert "篮球赛" in text
        main.get_by_role("button", name=re.compile("^标注")).first.click()  # the first card's 「标注」 popover
        page.get_by_text("已处置", exact=True).first.click()
        page.get_by_label("说明（可选）").fill("已在群里回复")
        page.get_by_role("button", name="保存标注").click()
        _settle(page)
        page.get_by_text("已标注为「已处置」").wait_for(timeout=30000)
        assert text not in main.locator(".yq-post").all_inner_texts()  # handled: hidden by default
        assert main.get_by_text("周末篮球赛报名了", exact=False).count() >= before - 2

        # a 专题: created on its page, shown with its trend, then opened again from its link
        page.get_by_test_id("stSidebarNav").get_by_text("专题", exact=True).click()
        page.get_by_role("heading", name="专题").first.wait_for(timeout=30000)
        _settle(page)
        page.get_by_label("名称").fill("文体活动")
        page.get_by_label("关键词").fill("篮球 OR 文艺汇演")
        page.get_by_role("button", name="保存专题").click()
        page.get_by_role("heading", name="文体活动").wait_for(timeout=30000)
        _settle(page)
        body = page.inner_text("body")
        assert "已保存专题「文体活动」" in body and "趋势" in body and "热门帖子" in body and "Traceback" not in body
        link = page.get_by_role("link", name="在舆情检索中查看这些帖子").get_attribute("href")
        assert link.startswith("search?") and "q=%E7%AF%AE%E7%90%83%20OR" in link
        store = _store(cfg_path)
        (subject,) = store.list_subjects()
        store.close()
        page.goto(f"{base}/subjects?subject={subject.id}")
        page.get_by_role("heading", name="文体活动").wait_for(timeout=30000)
        _settle(page)
        assert "Traceback" not in page.inner_text("body")
        browser.close()
    store = _store(cfg_path)
    from yuqing.storage import PostQuery

    (mark,) = store.triage_marks("post", [sp.post.id for sp in store.query_posts(PostQuery(limit=1000))]).values()
    assert (mark.mark, mark.actor, mark.note) == ("handled", "jiance", "已在群里回复")
    store.close()


def test_the_new_alert_badge_appears_when_an_alert_is_raised_while_the_overview_is_open(live_server):
    from playwright.sync_api import sync_playwright

    from yuqing.alerts.engine import CURSOR, run_alerts
    from yuqing.config import load_config
    from yuqing.schema import Analysis, Post, SourceKind

    base, cfg_path = live_server
    cfg = load_config(cfg_path, env={})
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        _login(page, base, "jiance", path="/")  # the overview (the default page)
        page.get_by_role("heading", name="舆情总览").wait_for(timeout=30000)
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_by_text("新预警", exact=False).count() == 0
        # an alert raised by the alert engine while the page is open (a 堵门 post: the starter rules fire)
        store = _store(cfg_path)
        # the fixture's posts count as evaluated (one of them is never analysed, which holds the cursor)
        store.set_state(CURSOR, str(store.q1("SELECT MAX(rowid) FROM posts")[0]))
        now = datetime.now(timezone.utc)
        posts = [Post(source_id="src-f", source_kind=SourceKind.FORUM, native_id=f"live{i}", author=f"职工{i}",
                      text=f"明天一起去堵门讨说法，工资拖欠三个月了（{i}）", created_at=now - timedelta(minutes=5 - i))
                 for i in range(3)]
        store.add_posts(posts)
        store.save_analyses([Analysis(p.id, "negative", {"negative": 0.9, "neutral": 0.05, "positive": 0.05}, "wages",
                                      risk="high", keywords=["堵门"], tokens=["堵门", "工资"], event_id="ev-live",
                                      model_version="fixture") for p in posts])
        before = store.max_issue_id()
        run_alerts(store, cfg)
        raised = store.max_issue_id()
        open_now = store.count_issues(status="open")
        store.close()
        assert raised > before
        sidebar.get_by_text("新预警", exact=False).wait_for(timeout=(REFRESH * 4) * 1000)
        assert f"新预警 {raised - before} 条" in sidebar.inner_text()
        page.wait_for_function("() => document.title.startsWith('(')", timeout=REFRESH * 4 * 1000)
        # the overview reloaded itself (its cached figures keyed by the newest issue): 未结议题 counts the new one
        metric = page.get_by_test_id("stMetric").filter(has_text="未结议题")
        for _ in range(REFRESH * 8):
            if metric.inner_text().split()[-1] == str(open_now):
                break
            page.wait_for_timeout(500)
        assert metric.inner_text().split()[-1] == str(open_now)
        _settle(page)
        page.get_by_test_id("stSidebarNav").get_by_text("议题", exact=True).click()  # looking at the board …
        page.get_by_role("heading", name="议题看板").wait_for(timeout=30000)
        _settle(page)
        assert sidebar.get_by_text("新预警", exact=False).count() == 0  # … counts as seen
        browser.close()
