"""Scope by construction: a cadre sees no other unit's text, label, keyword or name on any page,
even of a matter that mixes both units' posts; post text is plain text; logging out forgets the
tab; no page shows the server's paths."""

from __future__ import annotations

import pytest

from .fixture_store import MIXED_M1, MIXED_M2, PHISHING
from .test_app import PAGES, _cards, _open, _texts


def _frame(at, column: str):
    """The first table showing ``column``."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _all_texts(at) -> str:
    parts = [_texts(at)]
    parts += [e.label for e in at.get("expandable")] if hasattr(at, "get") else []
    parts += [str(o) for ms in at.multiselect for o in ms.options]
    parts += [w.value for w in at.warning]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_each_mine_sees_only_its_own_words_of_a_mixed_matter(app_for, page):
    for user, _mine, theirs, their_unit in (("ganbu1", MIXED_M1, MIXED_M2, "二矿"), ("ganbu2", MIXED_M2, MIXED_M1, "一矿")):
        shown = _all_texts(_open(app_for(user), page))
        for word in theirs:
            assert word not in shown, (user, page, word)
        assert their_unit not in shown, (user, page)


def test_the_topics_page_labels_the_mixed_event_from_the_viewers_posts(app_for):
    m2 = _open(app_for("ganbu2"), "views/topics.py")
    table = _frame(m2, "事件")
    assert any("风机房" in label for label in table["事件"]), table
    assert m2.selectbox(key="topics_event_pick").options  # the event can be opened
    m2.selectbox(key="topics_event_pick").set_value("ev-mixed").run()
    assert not m2.exception
    assert any("风机房" in m.value and "顶板" not in m.value for m in m2.markdown if m.value.startswith("关键词"))
    posts = _frame(m2, "内容")
    assert set(posts["单位"]) == {"二矿工会"}
    monitor = _open(app_for("jiance"), "views/topics.py")
    assert "顶板" in _texts(monitor) and "风机房" in _texts(monitor)  # all of it, for those who may see all


def test_a_matter_led_by_another_mine_is_shown_read_only_with_the_viewers_posts(app_for):
    board = _open(app_for("ganbu2"), "views/issues.py")
    table = _frame(board, "编号")
    row = table[table["编号"] == 4]
    assert len(row) == 1 and "风机房" in row["标题"].iloc[0] and "顶板" not in row["标题"].iloc[0]
    assert row["单位"].iloc[0] == "其他单位" and row["帖子"].iloc[0] == 3
    at = app_for("ganbu2")
    at.query_params["issue"] = "4"
    _open(at, "views/issues.py")
    assert any("其他单位牵头" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "issue_advance"]  # read only
    posts = _frame(at, "内容")
    assert len(posts) == 3 and set(posts["单位"]) == {"二矿工会"}
    assert "顶板" not in _texts(at) and "办理记录" not in _texts(at)
    overview = _open(app_for("ganbu2"), "views/overview.py")
    alerts = _frame(overview, "环节")
    assert "其他单位（本单位参与）" in set(alerts["单位"])


def test_open_matters_on_the_overview_come_most_severe_first(app_for):
    at = _open(app_for("jiance"), "views/overview.py")
    sev = list(_frame(at, "环节")["严重程度"])
    order = {"严重": 0, "较重": 1, "一般": 2}
    assert sev and [order.get(s, 3) for s in sev] == sorted(order.get(s, 3) for s in sev)


def test_a_link_or_an_icon_in_a_post_stays_text(app_for):
    at = _open(app_for("ganbu1"), "views/search.py")
    at.text_input(key="search_text").input("补发").run()
    assert not at.exception
    assert PHISHING in _cards(at)
    md = "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)
    assert "https://" not in md and ":material/" not in md and "hr@evil" not in md


def test_logout_forgets_everything_the_tab_held(app_for):
    at = _open(app_for("jiance"), "views/search.py")
    at.selectbox(key="flt_period").set_value("近一年").run()
    at.text_input(key="search_text").input("工资").run()
    assert at.session_state["flt_period"] == "近一年"
    at.button(key="logout").click().run()
    assert not at.exception
    assert "auth_token" not in at.session_state and "flt_period" not in at.session_state
    assert "search_text" not in at.session_state
    assert at.text_input(key="login_username").value == ""
    assert any(t.value == "工会职工网络舆情监测" for t in at.title)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_the_servers_paths(app_for, dash_config, page):
    shown = _all_texts(_open(app_for("jiance"), page))
    assert str(dash_config.parent) not in shown and "site-packages" not in shown and "/yuqing/" not in shown


def test_monitors_see_e_mails_given_up_and_cadres_do_not(app_for):
    monitor = _open(app_for("jiance"), "views/overview.py")
    assert any("1 封邮件未能投递" in w.value for w in monitor.warning)
    failed = _frame(monitor, "最后一次错误")
    assert list(failed["收件人"]) == ["nobody@example.org"] and "550" in failed["最后一次错误"].iloc[0]
    cadre = _open(app_for("ganbu1"), "views/overview.py")
    assert not cadre.warning and "nobody@example.org" not in _texts(cadre)


def test_the_lead_units_issue_page_shows_only_its_own_words_of_a_mixed_matter(app_for):
    at = app_for("ganbu1")
    at.query_params["issue"] = "4"
    _open(at, "views/issues.py")
    assert any(t.value == "议题 #4" for t in at.title)
    shown = _all_texts(at) + "\n".join(a.value for a in at.text_area)
    assert "顶板离层" in shown and all(w not in shown for w in MIXED_M2) and "二矿" not in shown
