"""AppTest smoke tests of every page, as a monitor and as a cadre, plus login and escaping."""

from __future__ import annotations

import html
import re

import pytest

from .fixture_store import M2_SECRET, PASSWORD, XSS_IMG, XSS_SCRIPT

PAGES = ["views/overview.py", "views/search.py", "views/topics.py", "views/subjects.py", "views/issues.py", "views/ledger.py",
         "views/scorecard.py", "views/rules.py", "views/sources.py", "views/digests.py"]
UNFILTERED = ("views/rules.py", "views/digests.py")


def _cards(at) -> list[str]:
    """Post texts as shown: plain ``st.text``, and highlighted search cards (the post's characters
    escaped inside our own ``<div>``/``<mark>`` tags) read back as their characters."""
    return [t.value for t in at.text] + [html.unescape(re.sub(r"</?(?:div|mark)\b[^>]*>", "", h.value)) for h in at.html]


def _texts(at) -> str:
    """Everything the page shows as text (markdown, text, captions, titles, metrics, tables)."""
    parts = [e.value for kind in ("markdown", "caption", "title", "subheader", "code", "error", "info", "success")
             for e in getattr(at, kind)]
    parts += _cards(at)
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [str(o) for sb in at.selectbox for o in sb.options]
    return "\n".join(str(p) for p in parts)


def _open(at, page: str):
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_login_form_rejects_wrong_password_then_logs_in(app_for):
    at = app_for(None).run()
    assert not at.exception
    at.text_input(key="login_username").input("ganbu1")
    at.text_input(key="login_password").input("wrong-password")
    at.button[0].click().run()
    assert "用户名或密码不正确" in [e.value for e in at.error]
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["auth_token"]
    assert any(t.value == "舆情总览" for t in at.title)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_a_monitor(app_for, page):
    at = _open(app_for("jiance"), page)
    assert at.title, "page has a title"
    if page not in UNFILTERED:
        assert at.selectbox(key="flt_unit").options[0] == "全部单位"


@pytest.mark.parametrize("page", PAGES)
def test_a_cadre_never_sees_another_mine(app_for, page):
    at = _open(app_for("ganbu1"), page)
    shown = _texts(at)
    assert M2_SECRET not in shown and "二矿" not in shown
    if page not in UNFILTERED:
        assert at.selectbox(key="flt_unit").options == ["测试集团工会 / 一公司工会 / 一矿工会",
                                                         "测试集团工会 / 一公司工会 / 一矿工会 / 一矿综采队"]


def test_cadre_unit_filter_cannot_be_forced_to_another_mine(app_for):
    at = _open(app_for("ganbu1"), "views/search.py")
    with pytest.raises(ValueError):  # not one of the cadre's options
        at.selectbox(key="flt_unit").set_value("M2").run()
    assert "二矿" not in _texts(at)


def test_monitor_sees_everything_and_search_filters(app_for):
    at = _open(app_for("jiance"), "views/search.py")
    at.selectbox(key="search_size").set_value(100).run()  # the newest 100 posts, on one page
    assert M2_SECRET in _texts(at)
    at.selectbox(key="search_size").set_value(20).run()
    at.text_input(key="search_text").input("工资").run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "匹配" in c.value)
    table = at.dataframe[0].value
    assert len(table) > 0 and table["内容"].str.contains("工资").all()
    assert f"共 {len(table):,} 条" in caption or len(table) == 20  # a page of 20
    assert any(c.value == "命中：工资" for c in at.caption)
    marked = [h.value for h in at.html]
    assert len(marked) == len(table) and all("<mark>工资</mark>" in m for m in marked)  # the cards highlight it


def test_post_text_is_shown_literally(app_for):
    at = _open(app_for("jiance"), "views/search.py")
    at.text_input(key="search_text").input("alert").run()
    md = "\n".join(m.value for m in at.markdown)
    assert "<img" not in md and "<script" not in md  # never in markdown
    assert XSS_IMG in _cards(at)  # post text is its own characters: plain text, or escaped in a highlighted card
    assert all("<img" not in h.value and "<script" not in h.value for h in at.html)
    table = at.dataframe[0].value
    assert XSS_IMG in set(table["内容"]) and XSS_SCRIPT in set(table["内容"])
    assert all(not getattr(m.proto, "allow_html", False) for m in at.markdown)


def test_pii_masked_for_cadre_not_for_monitor(app_for):
    def page_of_100(user: str) -> str:
        at = _open(app_for(user), "views/search.py")
        at.selectbox(key="search_size").set_value(100).run()
        return _texts(at)

    cadre, monitor = page_of_100("ganbu1"), page_of_100("jiance")
    assert "13912345678" in monitor and "139****5678" in cadre and "13912345678" not in cadre
    at = app_for("ganbu1")
    at.query_params["issue"] = "2"
    issue_page = _texts(_open(at, "views/issues.py"))
    assert "138****1111" in issue_page and "13800001111" not in issue_page


def test_deep_link_opens_own_issue_and_refuses_other_mines(app_for, dash_config):
    at = app_for("ganbu1")
    at.query_params["issue"] = "1"
    _open(at, "views/issues.py")
    assert any(t.value == "议题 #1" for t in at.title)
    at = app_for("ganbu1")
    at.query_params["issue"] = "3"  # 二矿's issue
    _open(at, "views/issues.py")
    assert "不在您的权限范围内" in _texts(at) and M2_SECRET not in _texts(at)


def _store(dash_config):
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    return SqliteStore(load_config(dash_config, env={}).db_path)


def _new_issue(dash_config, title: str) -> int:
    from yuqing.casework.model import Issue

    store = _store(dash_config)
    try:
        return store.create_issue(Issue(title=title, severity="medium", topic="living", unit="M1"))
    finally:
        store.close()


def _issue_page(app_for, user: str, issue_id: int):
    at = app_for(user)
    at.query_params["issue"] = str(issue_id)
    return _open(at, "views/issues.py")


def test_cadre_records_a_step_with_its_fields_and_it_is_audited(app_for, dash_config):
    iid = _new_issue(dash_config, "一矿澡堂热水不够")
    at = _issue_page(app_for, "ganbu1", iid)
    at.text_area(key="rec_干部问事_visited").input("到一矿综采队班前会，问了三名职工")
    at.button(key="issue_record_submit").click().run()
    assert not at.exception and not at.error
    assert any("「干部问事」已记录" in s.value for s in at.success)
    store = _store(dash_config)
    issue, hist = store.get_issue(iid), store.issue_history(iid)
    assert issue.step == "职工说事" and hist[-1].action == "recorded" and hist[-1].actor == "ganbu1"
    assert hist[-1].step == "干部问事" and hist[-1].data["fields"] == {"visited": "到一矿综采队班前会，问了三名职工"}
    assert store.audit_entries(actor="ganbu1")[0]["action"] == "issue_recorded"
    store.close()
    assert "到一矿综采队班前会" in _texts(at)  # the record is on the page


def test_a_second_tab_on_a_stale_page_is_refused_instead_of_skipping_a_step(app_for, dash_config):
    iid = _new_issue(dash_config, "一矿班车调整")
    first, second = _issue_page(app_for, "ganbu1", iid), _issue_page(app_for, "jiance", iid)
    first.text_area(key="rec_干部问事_visited").input("问了坐班车的职工")
    first.button(key="issue_record_submit").click().run()
    assert not first.error
    second.text_area(key="rec_干部问事_visited").input("另一个人也去问了")
    second.button(key="issue_record_submit").click().run()
    assert not second.exception
    assert any("已被他人更新，请刷新" in e.value for e in second.error)
    store = _store(dash_config)
    assert store.get_issue(iid).step == "职工说事"  # not 集中议事: nothing skipped
    assert [h.actor for h in store.issue_history(iid) if h.action == "recorded"] == ["ganbu1"]
    store.close()
    # the refused tab now shows the current state, so its next click goes through
    second.text_area(key="rec_职工说事_demand").input("班车早上六点那趟别停")
    second.button(key="issue_record_submit").click().run()
    assert not second.error
    store = _store(dash_config)
    assert store.get_issue(iid).step == "集中议事"
    store.close()


def test_closing_from_the_page_is_refused_until_result_and_verdict_are_recorded(app_for, dash_config):
    iid = _new_issue(dash_config, "一矿食堂饭菜涨价")
    at = _issue_page(app_for, "ganbu1", iid)
    assert any("还缺：" in c.value and "result" in c.value for c in at.caption)
    at.selectbox(key="close_已办结_outcome").set_value("办实事")
    at.button(key="issue_close_submit").click().run()
    assert any("还不能办结" in e.value and "satisfaction" in e.value for e in at.error)
    store = _store(dash_config)
    assert store.get_issue(iid).status == "open"
    store.close()


def test_viewer_cannot_work_issues(app_for):
    at = app_for("kan")
    at.query_params["issue"] = "1"
    _open(at, "views/issues.py")
    assert not [b for b in at.button if b.key in ("issue_record_submit", "issue_close_submit", "issue_comment")]
    assert any(t.value == "议题 #1" for t in at.title)


def test_rules_page_edits_only_for_monitors(app_for):
    at = _open(app_for("jiance"), "views/rules.py")
    editor = at.text_area[0]
    assert "name:" in editor.value
    editor.input(editor.value.replace("severity:", "severity: [oops", 1)).run()
    assert at.error and not at.exception
    assert not [b for b in at.button if b.key == "rule_dry_run"]
    cadre = _open(app_for("ganbu1"), "views/rules.py")
    assert not cadre.text_area and "只有监测员和管理员可以编辑规则。" in [i.value for i in cadre.info]


def test_monitor_assigns_a_pending_source(app_for, dash_config):
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    at = _open(app_for("jiance"), "views/sources.py")
    at.selectbox(key="assign_source").set_value("auto-1")
    at.selectbox(key="assign_unit").set_value("M2")
    at.button[[b.label for b in at.button].index("分配")].click().run()
    assert not at.exception and at.success
    store = SqliteStore(load_config(dash_config, env={}).db_path)
    assert store.get_source("auto-1").unit == "M2" and store.get_source("auto-1").status == "active"
    assert store.audit_entries(actor="jiance")[0]["action"] == "source_assigned"
    store.close()


def test_a_broken_config_is_one_readable_error(tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    bad = tmp_path / "yuqing.toml"
    bad.write_text("[dashboard\nport = 1\n", encoding="utf-8")
    monkeypatch.setenv("YUQING_CONFIG", str(bad))
    at = AppTest.from_file(str(Path(__file__).parents[2] / "yuqing/dashboard/app.py"), default_timeout=30).run()
    assert not at.exception
    (err,) = at.error
    assert err.value.startswith("仪表盘无法打开数据：") and "invalid TOML" in err.value


def test_cadre_search_for_another_mines_words_finds_nothing(app_for):
    at = _open(app_for("ganbu1"), "views/search.py")
    at.text_input(key="search_text").input("绝密").run()
    assert not at.exception
    assert any("共 0 条匹配" in c.value for c in at.caption)
    monitor = _open(app_for("jiance"), "views/search.py")
    monitor.text_input(key="search_text").input("绝密").run()
    assert any("共 1 条匹配" in c.value for c in monitor.caption)


def test_cadre_comments_and_assigns(app_for, dash_config):
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    at = app_for("ganbu1")
    at.query_params["issue"] = "1"
    _open(at, "views/issues.py")
    at.text_input(key="issue_note").input("已约谈车间主任")
    at.button(key="issue_comment").click().run()
    at.text_input(key="issue_assignee").input("张主席")
    at.button(key="issue_assign").click().run()
    assert not at.exception
    store = SqliteStore(load_config(dash_config, env={}).db_path)
    hist = store.issue_history(1)
    assert [(h.action, h.actor) for h in hist[-2:]] == [("commented", "ganbu1"), ("assigned", "ganbu1")]
    assert hist[-2].note == "已约谈车间主任" and store.get_issue(1).assignee == "张主席"
    store.close()


def test_root_deep_link_from_an_alert_email_opens_the_issue(app_for):
    at = app_for("ganbu1")
    at.query_params["issue"] = "1"
    at.run()
    assert not at.exception
    assert any(t.value == "议题 #1" for t in at.title)


def test_ledger_and_scorecard_pages_show_only_the_users_units(app_for, dash_config):
    import io
    from datetime import date

    from openpyxl import load_workbook

    from yuqing.casework.ledger_files import ledger_of, xlsx_bytes
    from yuqing.config import load_config
    from yuqing.digest.period import month_of

    cadre = _texts(_open(app_for("ganbu1"), "views/ledger.py"))
    assert "一矿工会 说事解事委员会工作台账" in cadre and M2_SECRET not in cadre
    monitor = _texts(_open(app_for("jiance"), "views/ledger.py"))
    assert "测试集团工会 说事解事委员会工作台账" in monitor and M2_SECRET in monitor
    scores = _open(app_for("ganbu1"), "views/scorecard.py")
    units = scores.dataframe[-1].value["单位"].str.strip("　").tolist()
    assert units == ["一矿工会", "一矿综采队"]
    assert any("说事解事委员会开展职工思想教育" in m.value for m in scores.markdown)
    # the file the download button offers: the cadre's units only
    cfg = load_config(dash_config, env={})
    store = _store(dash_config)
    month = month_of(date.today())
    book = ledger_of(store, cfg, month, unit="M1", allowed={"M1", "M1-ZC"})
    store.close()
    ws = load_workbook(io.BytesIO(xlsx_bytes(book)))["工作台账"]
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert M2_SECRET not in cells and "二矿" not in cells
