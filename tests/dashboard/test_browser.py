"""End to end in a real browser: `yuqing dashboard` as a subprocess, Debian's chromium via Playwright.

A cadre of 一矿 logs in from an issue's deep link, advances it one step, visits every page (only
一矿's data shows), and each page's screenshot is checked to be non-blank.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .fixture_store import M2_SECRET, PASSWORD, XSS_IMG, XSS_SCRIPT

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                 "(apt-get install -y chromium fonts-noto-cjk)")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PAGES = {"总览": "舆情总览", "舆情检索": "舆情检索", "话题与事件": "话题与事件", "专题": "专题", "议题": "议题看板",
         "工作台账": "说事解事委员会工作台账", "考核评价": "考核评价", "规则": "预警规则", "数据源": "数据源", "周报": "舆情周报"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(dash_config, tmp_path):
    port = _free_port()
    env = {**os.environ, "YUQING_CONFIG": str(dash_config)}
    log = open(tmp_path / "streamlit.log", "wb")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "yuqing"), "dashboard", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
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
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(800)


def _non_blank(png: Path) -> None:
    from PIL import Image, ImageStat

    img = Image.open(png).convert("L")
    stat = ImageStat.Stat(img)
    assert stat.stddev[0] > 10, f"{png.name} looks blank"
    assert len(img.getcolors(1 << 16) or range(300)) > 20, f"{png.name} has almost no detail"


def test_cadre_in_a_real_browser(server, dash_config, tmp_path):
    from playwright.sync_api import sync_playwright

    from yuqing.casework.records import STEP_FIELDS
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    store = SqliteStore(load_config(dash_config, env={}).db_path)
    step_before = store.get_issue(1).step
    shots = Path(os.environ.get("YUQING_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server + "/?issue=1")  # the link alert e-mails carry
        page.get_by_label("用户名").wait_for(timeout=30000)
        _settle(page)
        assert "Page not found" not in page.inner_text("body")
        page.get_by_label("用户名").fill("ganbu1")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="议题 #1").wait_for(timeout=30000)
        _settle(page)
        page.screenshot(path=shots / "issue.png", full_page=True)
        # record the step the matter is at: its text fields, then the form's button
        assert step_before in ("干部问事", "职工说事"), step_before
        for spec in STEP_FIELDS[step_before]:
            if spec.required:
                page.get_by_label(spec.label, exact=True).fill("浏览器里填写的记录")
        page.get_by_role("button", name=f"记录「{step_before}」").click()
        _settle(page)
        page.get_by_role("heading", name="议题 #1").wait_for(timeout=30000)
        page.get_by_text(f"「{step_before}」已记录").first.wait_for(timeout=30000)
        for label, heading in PAGES.items():
            page.get_by_test_id("stSidebarNav").get_by_text(label, exact=True).click()
            page.get_by_role("heading", name=heading).first.wait_for(timeout=30000)
            _settle(page)
            body = page.inner_text("body")
            assert "二矿" not in body and M2_SECRET not in body, label
            assert "Traceback" not in body and "Error" not in body, label
            if label == "舆情检索":  # user text shows literally and runs nothing
                page.get_by_label("关键词").fill("alert")
                page.get_by_label("关键词").press("Enter")
                _settle(page)
                assert page.get_by_text(XSS_IMG, exact=True).count() >= 1
                assert page.get_by_text(XSS_SCRIPT, exact=True).count() >= 1
                assert page.locator("img[src='x']").count() == 0
            path = shots / f"{label}.png"
            page.screenshot(path=path, full_page=True)
            _non_blank(path)
        browser.close()
    assert dialogs == []
    after = store.get_issue(1)
    store.close()
    assert after.step != step_before
    assert after.version >= 2
    record = [h for h in store_history(dash_config, 1) if h.action == "recorded"][-1]
    assert record.actor == "ganbu1" and record.step == step_before
    assert "浏览器里填写的记录" in record.data["fields"].values()


def store_history(dash_config, issue_id: int):
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    store = SqliteStore(load_config(dash_config, env={}).db_path)
    try:
        return store.issue_history(issue_id)
    finally:
        store.close()


def _login(page, server: str, user: str, *, remember: bool = False, path: str = "/") -> None:
    page.goto(server + path)
    page.get_by_label("用户名").wait_for(timeout=30000)
    _settle(page)
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    if remember:
        page.get_by_text("记住我").click()
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    _settle(page)


def test_remembered_session_scope_and_plain_text_in_a_real_browser(server, dash_config):
    from playwright.sync_api import sync_playwright

    from .fixture_store import MIXED_M1, PHISHING

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        _login(page, server, "ganbu2", remember=True)
        (cookie,) = [c for c in context.cookies() if c["name"] == "yuqing_session"]
        assert cookie["expires"] > time.time() + 13 * 86400  # 「记住我」: two weeks
        # an alert e-mail's link, opened in a new tab: no second login
        tab = context.new_page()
        tab.goto(server + "/?issue=4")
        tab.get_by_role("heading", name="议题 #4").wait_for(timeout=30000)
        _settle(tab)
        body = tab.inner_text("body")
        assert "其他单位牵头" in body and "风机房" in body
        assert all(w not in body for w in MIXED_M1) and "一矿" not in body
        tab.reload()
        tab.get_by_role("heading", name="议题 #4").wait_for(timeout=30000)  # a reload keeps the login too
        tab.get_by_test_id("stSidebarNav").get_by_text("话题与事件", exact=True).click()
        tab.get_by_role("heading", name="话题与事件").first.wait_for(timeout=30000)
        _settle(tab)
        body = tab.inner_text("body")
        assert all(w not in body for w in MIXED_M1) and "一矿" not in body
        # logging out revokes the session: the same cookie put back opens nothing
        tab.get_by_role("button", name="退出登录").click()
        tab.get_by_label("用户名").wait_for(timeout=30000)
        _settle(tab)
        assert not [c for c in context.cookies() if c["name"] == "yuqing_session" and c["value"]]
        context.add_cookies([cookie])
        tab.goto(server + "/")
        tab.get_by_label("用户名").wait_for(timeout=30000)

        # a worker's post holding a link and an icon code is text: nothing clickable, no icon
        other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
        _login(other, server, "ganbu1", path="/search")
        other.get_by_label("关键词").fill("补发")
        other.get_by_label("关键词").press("Enter")
        _settle(other)
        main = other.get_by_test_id("stMain")
        assert main.get_by_text(PHISHING, exact=True).count() >= 1
        assert main.locator("a[href*='evil']").count() == 0
        # no icon from the post's ":material/warning:" (the cards' 「标注」 popovers and the page's expanders carry their own icons)
        assert main.locator("[data-testid='stIconMaterial']").filter(has_text="warning").count() == 0
        browser.close()


def _cards_shown(page) -> tuple[int, list[str]]:
    """The search page's total and the texts of its highlighted result cards."""
    caption = page.get_by_text("条匹配").first.inner_text()
    total = int(caption.split("共 ")[1].split(" 条")[0].replace(",", ""))
    return total, sorted(page.locator(".yq-post").all_inner_texts())


def test_search_in_both_word_orders_and_by_part_of_a_word_in_a_real_browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        _login(page, server, "jiance", path="/search?q=工资晚发")  # a bookmarked search
        page.get_by_role("heading", name="舆情检索").wait_for(timeout=30000)
        _settle(page)
        total, cards = _cards_shown(page)
        assert total > 0 and cards and all("工资" in c and "晚发" in c for c in cards)
        assert page.locator(".yq-post mark").first.inner_text() in ("工资", "晚发")  # the words are highlighted
        box = page.get_by_label("关键词")
        assert box.input_value() == "工资晚发"
        box.fill("晚发工资")  # the other order
        box.press("Enter")
        _settle(page)
        assert _cards_shown(page) == (total, cards)
        assert "q=%E6%99%9A%E5%8F%91%E5%B7%A5%E8%B5%84" in page.url  # the view is in the URL: bookmark, share
        box.fill("班费")  # part of 加班费
        box.press("Enter")
        _settle(page)
        total, cards = _cards_shown(page)
        assert total > 0 and all("加班费" in c for c in cards)
        assert page.locator("img").count() == 0 or page.locator(".yq-post img").count() == 0
        browser.close()


EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")


def test_chart_click_opens_its_posts_and_an_export_opens_in_openpyxl(server, dash_config, tmp_path):
    """A monitor clicks the largest bar of 话题分布 on the overview: the search page opens with that
    topic in the URL and shows only its posts. The issues board's Excel download is a workbook
    openpyxl reads, holding the board's rows; a cadre's holds only their mine's."""
    from urllib.parse import parse_qs, urlsplit

    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    from yuqing.schema import TOPICS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                   accept_downloads=True).new_page()
        _login(page, server, "jiance", path="/overview")  # the old address: the overview, no "Page not found"
        page.get_by_role("heading", name="舆情总览").wait_for(timeout=30000)
        assert "Page not found" not in page.inner_text("body")
        charts = page.get_by_test_id("stVegaLiteChart")
        charts.nth(3).wait_for(timeout=30000)  # 声量与情感趋势, 各单位, 各来源, 话题分布
        chart = charts.nth(3)
        chart.scroll_into_view_if_needed()
        _settle(page)
        chart.locator("g.mark-rect path").first.click()  # the first bar: the largest topic
        # Streamlit moves to the page with history.pushState: wait for the address, not for a load
        page.wait_for_function("() => location.pathname.endsWith('/search') && location.search.length > 1",
                               timeout=30000)
        page.get_by_role("heading", name="舆情检索").wait_for(timeout=30000)
        _settle(page)
        query = parse_qs(urlsplit(page.evaluate("() => location.href")).query)
        topic = query["topic"][0]
        assert topic in TOPICS and query.get("since")
        caption = page.get_by_text("条匹配").first.inner_text()
        total = int(caption.split("共 ")[1].split(" 条")[0].replace(",", ""))
        of_topic, everything = expected(dash_config, topic, query["since"][0])
        assert total == of_topic and 0 < total < everything  # that topic's posts, and only those

        page.get_by_test_id("stSidebarNav").get_by_text("议题", exact=True).click()
        page.get_by_role("heading", name="议题看板").wait_for(timeout=30000)
        _settle(page)
        caption = page.get_by_text("共 ").filter(has_text="个议题").first.inner_text()
        shown = int(caption.split("共 ")[1].split(" ")[0])
        with page.expect_download(timeout=60000) as dl:
            page.get_by_role("button", name="下载 Excel").first.click()
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        assert path.suffix == ".xlsx" and path.name.startswith("议题清单-")
        ws = load_workbook(path).active
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        header = rows[1]  # row 1: what was exported, by whom, when
        assert "jiance" in rows[0][0] and header[:3] == ["编号", "标题", "单位"] and "议题" not in header
        assert len(rows) - 2 == shown and any(M2_SECRET == r[1] for r in rows[2:])  # a monitor: every mine

        cadre = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                    accept_downloads=True).new_page()
        _login(cadre, server, "ganbu1", path="/issues")
        cadre.get_by_role("heading", name="议题看板").wait_for(timeout=30000)
        with cadre.expect_download(timeout=60000) as dl:
            cadre.get_by_role("button", name="下载 Excel").first.click()
        path = tmp_path / ("cadre-" + dl.value.suggested_filename)
        dl.value.save_as(path)
        cells = "\n".join(str(c.value) for r in load_workbook(path).active.iter_rows() for c in r)
        assert "一矿" in cells and M2_SECRET not in cells and "二矿" not in cells
        browser.close()


@pytest.mark.skipif(not EMOJI_FONT.exists(), reason="needs fonts-noto-color-emoji (python3 dev.py test installs it)")
def test_the_rules_pages_check_mark_is_a_colour_emoji(server, tmp_path):
    """✅ on 规则 renders as the green emoji, not a tofu box: its pixels are green."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        _login(page, server, "jiance", path="/rules")
        page.get_by_role("heading", name="预警规则").wait_for(timeout=30000)
        _settle(page)
        row = page.get_by_test_id("stExpander").filter(has_text="✅").first
        row.screenshot(path=tmp_path / "rule.png")
        browser.close()
    img = Image.open(tmp_path / "rule.png").convert("RGB")
    green = sum(1 for r, g, b in img.getdata() if g > 140 and r < 140 and b < 140 and g - max(r, b) > 40)
    assert green > 40, green


def expected(dash_config, topic: str, since: str) -> tuple[int, int]:
    """(posts of ``topic``, all posts) from the local day ``since`` on, counted in the store."""
    from datetime import date, datetime, timezone
    from datetime import time as dtime

    from yuqing.config import load_config
    from yuqing.storage.base import PostQuery
    from yuqing.storage.sqlite import SqliteStore

    cfg = load_config(dash_config, env={})
    start = datetime.combine(date.fromisoformat(since), dtime(), tzinfo=cfg.tz).astimezone(timezone.utc)
    with SqliteStore(cfg.db_path) as store:
        return store.count_posts(PostQuery(topics=(topic,), since=start)), store.count_posts(PostQuery(since=start))
