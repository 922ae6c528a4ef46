"""Regenerate the README's dashboard screenshots from a demo store.

    .venv/bin/yuqing demo --no-dashboard --dir /tmp/yq-demo
    .venv/bin/python docs/make_screenshots.py /tmp/yq-demo/yuqing.toml

Starts `yuqing dashboard` on a free port, logs in as the demo monitor in Debian's chromium
(Playwright, headless) and saves docs/dashboard.png, docs/issue.png (the wage matter with its step
records and draft reply), docs/scorecard.png (考核评价 for the month of the demo's story), and one
picture of each other page: docs/drill.png (舆情检索 opened by a click on the overview's topic chart),
docs/search.png (a search in one word order, its words highlighted), docs/subjects.png (a 专题),
docs/topics.png, docs/issues.png, docs/ledger.png, docs/rules.png (the ✅ of each valid rule: the
emoji font) and docs/sources.png (数据源 with its 健康 column).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def login(page, user: str, password: str) -> None:
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def demo_subject(config: str) -> int:
    """The 专题 the picture shows (the demo's wage story), saved once: its id."""
    from yuqing.config import load_config
    from yuqing.schema import Subject
    from yuqing.storage.sqlite import SqliteStore

    with SqliteStore(load_config(config).db_path) as store:
        for sj in store.list_subjects():
            if sj.name == "工资发放":
                return sj.id
        return store.save_subject(Subject(name="工资发放", query="工资 AND (拖欠 OR 晚发 OR 没发)", owner="jiance")).id


def main(config: str, user: str = "jiance", password: str = "yuqing-demo") -> None:
    subject = demo_subject(config)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "yuqing", "--config", config, "dashboard", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            page.goto(base + "/")
            login(page, user, password)
            page.get_by_role("heading", name="总览").first.wait_for(timeout=60000)
            page.get_by_test_id("stVegaLiteChart").nth(3).locator("svg, canvas").first.wait_for(timeout=60000)
            time.sleep(4)  # let the charts draw
            page.screenshot(path=DOCS / "dashboard.png", full_page=False)
            page.goto(base + "/?issue=1")  # an e-mail's link: the session cookie keeps the login
            page.get_by_role("heading", name="议题 #1").or_(page.get_by_label("用户名")).first.wait_for(timeout=60000)
            if page.get_by_label("用户名").count():
                login(page, user, password)
            page.get_by_role("heading", name="议题 #1").wait_for(timeout=60000)
            page.set_viewport_size({"width": 1440, "height": 1500})
            time.sleep(3)
            page.screenshot(path=DOCS / "issue.png", full_page=False)
            page.get_by_test_id("stSidebarNav").get_by_text("考核评价", exact=True).click()
            page.get_by_role("heading", name="考核评价").first.wait_for(timeout=60000)
            time.sleep(3)
            page.screenshot(path=DOCS / "scorecard.png", full_page=False)
            page.set_viewport_size({"width": 1440, "height": 1000})
            # the drill-down: a click on the overview's largest topic bar opens its posts
            page.get_by_test_id("stSidebarNav").get_by_text("总览", exact=True).click()
            page.get_by_role("heading", name="舆情总览").first.wait_for(timeout=60000)
            chart = page.get_by_test_id("stVegaLiteChart").nth(3)
            chart.scroll_into_view_if_needed()
            time.sleep(3)
            chart.locator("g.mark-rect path").first.click()  # the largest topic's bar
            page.wait_for_function("() => location.pathname.endsWith('/search')", timeout=60000)
            page.get_by_role("heading", name="舆情检索").first.wait_for(timeout=60000)
            time.sleep(3)
            page.screenshot(path=DOCS / "drill.png", full_page=False)
            # search: the words in either order, highlighted (a bookmarked address)
            page.goto(base + "/search?q=" + urllib.parse.quote("工资拖欠"))
            page.get_by_role("heading", name="舆情检索").first.wait_for(timeout=60000)
            page.locator(".yq-post mark").first.wait_for(timeout=60000)
            time.sleep(3)
            page.screenshot(path=DOCS / "search.png", full_page=False)
            page.goto(base + f"/subjects?subject={subject}")
            page.get_by_role("heading", name="工资发放").first.wait_for(timeout=60000)
            page.get_by_test_id("stVegaLiteChart").first.locator("svg, canvas").first.wait_for(timeout=60000)
            page.set_viewport_size({"width": 1440, "height": 1400})
            time.sleep(4)
            page.screenshot(path=DOCS / "subjects.png", full_page=False)
            page.set_viewport_size({"width": 1440, "height": 1000})
            for label, heading, name in (("话题与事件", "话题与事件", "topics"), ("议题", "议题看板", "issues"),
                                         ("工作台账", "说事解事委员会工作台账", "ledger"), ("规则", "预警规则", "rules"),
                                         ("数据源", "数据源", "sources")):
                page.get_by_test_id("stSidebarNav").get_by_text(label, exact=True).click()
                page.get_by_role("heading", name=heading).first.wait_for(timeout=60000)
                page.set_viewport_size({"width": 1440, "height": 1750 if name == "topics" else 1000})  # the cloud too
                time.sleep(4)
                page.screenshot(path=DOCS / f"{name}.png", full_page=False)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main(*sys.argv[1:])
