"""AppTest: triage from a post card and a matter's page, the overview's list, and the 专题 page
(created, opened, scoped, a rule made from it). Each test writes, so each gets its own fixture store."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from .fixture_store import M2_SECRET, build
from .test_app import _cards


@pytest.fixture
def own(tmp_path, monkeypatch):
    """``(make(username) -> AppTest, store)`` over a fresh copy of the dashboard fixture store."""
    from streamlit.testing.v1 import AppTest

    from yuqing.auth import token_hash
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    cfg_path = build(tmp_path)
    monkeypatch.setenv("YUQING_CONFIG", str(cfg_path))
    cfg = load_config(cfg_path, env={})
    store = SqliteStore(cfg.db_path)

    def make(username: str) -> AppTest:
        at = AppTest.from_file(str(Path(__file__).parents[2] / "yuqing/dashboard/app.py"), default_timeout=60)
        token = secrets.token_urlsafe(16)
        store.create_session(token_hash(token), username, 30)
        at.session_state["auth_token"] = token
        return at

    yield make, store, cfg
    store.close()


def _page(at, page: str, **params):
    at.run()
    assert not at.exception, at.exception
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> str:
    parts = [e.value for kind in ("markdown", "text", "caption", "title", "header", "subheader", "error", "info",
                                  "success", "warning") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [str(o) for sb in at.selectbox for o in sb.options]
    return "\n".join(str(p) for p in parts)


def _alerts(at):
    """The overview's list of open matters (AppTest's dataframes carry no key: the one with 标注)."""
    return next(df.value for df in at.dataframe if "标注" in df.value.columns)


def test_marking_a_post_handled_hides_it_from_search_and_keeps_the_history(own):
    make, store, _ = own
    at = _page(make("jiance"), "views/search.py")
    at.text_input(key="search_text").input("食堂").run()
    shown = _cards(at)
    from yuqing.storage import PostQuery

    target = next(sp for sp in store.query_posts(PostQuery(text="食堂", limit=20)) if sp.post.text in shown)
    key = f"search_card_{target.post.id}"
    at.radio(key=f"triage_mark_{key}").set_value("handled")
    at.text_input(key=f"triage_note_{key}").input("已回复职工")
    at.button(key=f"triage_save_{key}").click().run()
    assert not at.exception, at.exception
    assert "已标注为「已处置」" in [s.value for s in at.success]
    assert target.post.text not in _cards(at)  # gone from the results (and the detail picker)
    (line,) = store.triage_history("post", target.post.id)
    assert (line.mark, line.actor, line.note) == ("handled", "jiance", "已回复职工")
    at.selectbox(key="search_triage").set_value("all").run()
    assert target.post.text in _cards(at)


def test_a_watched_post_is_highlighted_and_a_cadre_cannot_mark_another_mine(own):
    make, store, _ = own
    from yuqing.storage import PostQuery

    m1 = store.query_posts(PostQuery(units={"M1", "M1-ZC"}, text="食堂", limit=1))[0]
    store.set_triage("post", m1.post.id, "watch", "jiance")
    at = _page(make("ganbu1"), "views/search.py")
    at.text_input(key="search_text").input("食堂").run()
    assert any(":orange-badge[关注]" in m.value for m in at.markdown)
    keys = [r.key for r in at.radio]
    assert f"triage_mark_search_card_{m1.post.id}" in keys  # a cadre marks their own mine's posts
    from yuqing.auth import CurrentUser
    from yuqing.dashboard.triage_view import apply
    from yuqing.errors import AccessDenied

    m2 = store.query_posts(PostQuery(units={"M2"}, limit=1))[0]
    with pytest.raises(AccessDenied):
        apply(store, CurrentUser("ganbu1", "cadre", "M1", scope=frozenset({"M1", "M1-ZC"})), "post", m2.post.id,
              m2.unit, "ignored")
    assert store.triage_history("post", m2.post.id) == []


def test_a_matter_marked_false_alarm_leaves_the_overview_list(own):
    make, store, _ = own
    at = _page(make("jiance"), "views/issues.py", issue="1")
    at.radio(key="triage_mark_issue_1").set_value("false_alarm")
    at.button(key="triage_save_issue_1").click().run()
    assert not at.exception, at.exception
    assert store.triage_marks("event", ["ev-wages"])["ev-wages"].mark == "false_alarm"
    at = _page(make("jiance"), "views/overview.py")
    table = _alerts(at)
    assert 1 not in list(table["编号"]) and "已隐藏 1 个" in _texts(at)
    assert list(table["严重程度"]) == sorted(table["严重程度"], key=["严重", "较重", "一般"].index)
    at.toggle(key="overview_show_handled").set_value(True).run()
    table = _alerts(at)
    assert 1 in list(table["编号"]) and "误报" in list(table["标注"])


def test_a_subject_created_opened_and_turned_into_a_rule(own):
    make, store, cfg = own
    at = _page(make("jiance"), "views/subjects.py")
    assert at.selectbox(key="subject_pick").value == 0  # no 专题 yet: the new one
    form = "subject_form_new_0"
    at.text_input(key=f"{form}_name").input("食堂饭菜")
    at.text_input(key=f"{form}_query").input("食堂 AND (太咸 OR 热水) NOT 篮球")
    at.button(key=f"{form}_save").click().run()
    assert not at.exception, at.exception
    (subject,) = store.list_subjects()
    assert (subject.name, subject.unit, subject.owner) == ("食堂饭菜", "", "jiance")
    shown = _texts(at)
    assert "已保存专题「食堂饭菜」" in shown and "趋势" in shown and "情感分布" in shown and "热门帖子" in shown
    posts = int(next(m.value for m in at.metric if m.label.startswith("帖子")).replace(",", ""))
    from yuqing.storage import PostQuery

    every = store.query_posts(PostQuery(limit=10000))
    expected = sum("食堂" in sp.post.text and ("太咸" in sp.post.text or "热水" in sp.post.text) for sp in every)
    assert posts == expected > 0
    at.button(key=f"subject_rule_{subject.id}").click().run()
    assert not at.exception, at.exception
    from yuqing.alerts.loader import load_rules

    rules = {r.name: r for r in load_rules(cfg.resolve(cfg.alerts.rules_dir), include_starter=False)}
    assert set(rules) == {f"zhuanti-{subject.id}"}
    assert store.get_subject(subject.id).rule == f"zhuanti-{subject.id}"
    assert rules[f"zhuanti-{subject.id}"].spec["keyword"]["query"] == "食堂 AND (太咸 OR 热水) NOT 篮球"


def test_a_cadre_sees_their_units_subjects_and_only_their_posts(own):
    make, store, _ = own
    from yuqing.schema import Subject

    m2 = store.save_subject(Subject(name="二矿专题", query="绝密 OR 欠薪", unit="M2", owner="ganbu2"))
    org = store.save_subject(Subject(name="全集团欠薪", query="欠薪 OR 工资", owner="jiance"))
    at = _page(make("ganbu1"), "views/subjects.py", subject=str(m2.id))
    options = at.selectbox(key="subject_pick").options
    assert "二矿专题" not in options and "全集团欠薪" in options
    assert at.selectbox(key="subject_pick").value == org.id or at.selectbox(key="subject_pick").value != m2.id
    at.selectbox(key="subject_pick").set_value(org.id).run()
    shown = _texts(at)
    assert M2_SECRET not in shown and "二矿" not in shown
    assert not any(b.key == f"subject_rule_{org.id}" for b in at.button)  # rules are for monitors and admins
