"""舆情检索 honours a digest's evidence links: the query parameters pre-fill the filters once,
``post=`` opens that post, a cadre's link never reaches past their units, bad values only warn."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from yuqing.config import load_config
from yuqing.dashboard import session
from yuqing.dashboard.search_params import SearchFilters
from yuqing.digest import links
from yuqing.orgtree import OrgTree
from yuqing.storage.base import PostQuery
from yuqing.storage.sqlite import SqliteStore

from .fixture_store import M2_SECRET, UNITS
from .test_app import _texts

TREE = OrgTree(UNITS)


@pytest.fixture
def store(dash_config):
    s = SqliteStore(load_config(dash_config, env={}).db_path)
    yield s
    s.close()


@pytest.fixture
def tz(dash_config):
    return load_config(dash_config, env={}).tz


def _open_link(app_for, username: str, params: dict[str, str]):
    at = app_for(username)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    at.switch_page("views/search.py").run()
    assert not at.exception, at.exception
    return at


def _shown_texts(at) -> list[str]:
    return list(at.dataframe[0].value["内容"])


def _total(at) -> int:
    caption = next(c.value for c in at.caption if "条匹配" in c.value)
    return int(caption.split("共 ")[1].split(" 条")[0].replace(",", ""))


def _utc(d: date, tz) -> datetime:
    return datetime.combine(d, time(), tzinfo=tz).astimezone(timezone.utc)


def test_link_prefills_filters_and_matches_the_store(app_for, store, tz):
    today = datetime.now(tz).date()
    since, until = today - timedelta(days=12), today - timedelta(days=2)  # both days included
    at = _open_link(app_for, "jiance", {"since": since.isoformat(), "until": until.isoformat(), "topic": "wages",
                                        "sentiment": "negative", "scope": "M1", "source_kind": "forum"})
    assert at.multiselect(key="search_topics").value == ["wages"]
    assert [str(s) for s in at.multiselect(key="search_sentiments").value] == ["negative"]
    assert [str(k) for k in at.multiselect(key="search_kinds").value] == ["forum"]
    assert at.date_input(key="search_dates").value == (since, until)
    assert at.selectbox(key="flt_unit").value == "M1"
    q = PostQuery(since=_utc(since, tz), until=_utc(until + timedelta(days=1), tz), units=TREE.subtree("M1"),
                  topics=["wages"], sentiments=["negative"], source_kinds=["forum"], limit=20)
    expected = store.query_posts(q)
    assert expected, "the fixture has matching posts"
    assert _shown_texts(at) == [sp.post.text for sp in expected]
    assert _total(at) == store.count_posts(q) < store.count_posts(PostQuery())
    assert not at.warning


def test_unit_means_that_unit_only_until_the_user_picks_another(app_for, store):
    at = _open_link(app_for, "jiance", {"unit": "M1"})
    assert set(at.dataframe[0].value["单位"]) == {"一矿工会"}
    assert _total(at) == store.count_posts(PostQuery(units={"M1"}, since=datetime.now(timezone.utc) - timedelta(days=31)))
    at.selectbox(key="flt_unit").set_value("M1-ZC").run()  # the user's own choice wins over the link
    assert not at.exception
    assert set(at.dataframe[0].value["单位"]) == {"一矿综采队"}


def test_parameters_apply_once(app_for):
    at = _open_link(app_for, "jiance", {"topic": "wages", "q": "工资", "since": "2026-01-01"})
    assert at.text_input(key="search_text").value == "工资" and at.date_input(key="search_dates").value
    at.selectbox(key="flt_period").set_value("近7天").run()  # choosing a period drops the link's dates
    assert at.date_input(key="search_dates").value == () and "近7天" in next(
        c.value for c in at.caption if "条匹配" in c.value)
    at.multiselect(key="search_topics").set_value(["safety"]).run()
    at.text_input(key="search_text").input("").run()
    assert not at.exception
    assert at.multiselect(key="search_topics").value == ["safety"]
    assert at.text_input(key="search_text").value == ""
    assert set(at.dataframe[0].value["话题"]) == {"安全生产"}


def test_post_link_opens_that_post_even_outside_the_results(app_for, store):
    oldest = store.query_posts(PostQuery(units={"M1", "M1-ZC"}, newest_first=False, limit=1))[0]
    at = _open_link(app_for, "jiance", {"post": oldest.post.id})
    assert oldest.post.text not in _shown_texts(at), "older than the default period"
    assert at.selectbox(key="search_pick").value == oldest.post.id
    assert any(oldest.post.text == t.value for t in at.text)
    assert any("链接中的帖子" in i.value for i in at.info)


def test_cadre_link_to_another_mine_shows_none_of_it(app_for, store):
    m2_post = store.query_posts(PostQuery(units={"M2"}, event_id="ev-m2", limit=1))[0]
    for params in ({"scope": "M2"}, {"unit": "M2", "event": "ev-m2", "post": m2_post.post.id}):
        at = _open_link(app_for, "ganbu1", params)
        shown = _texts(at)
        assert M2_SECRET not in shown and "二矿" not in shown and m2_post.post.text not in shown
        assert at.dataframe[0].value.empty and _total(at) == 0
        assert any("不在您的可见范围内" in w.value for w in at.warning)
        assert at.selectbox(key="flt_unit").value == "M1"
    at.button(key="search_link_clear").click().run()  # back to the cadre's own units, still none of 二矿
    assert not at.exception and _total(at) > 0 and "二矿" not in _texts(at)


def test_cadre_link_wider_than_their_units_is_narrowed(app_for):
    at = _open_link(app_for, "ganbu1", {"scope": "S1"})
    assert set(at.dataframe[0].value["单位"]) <= {"一矿工会", "一矿综采队"} and _total(at) > 0
    assert any("只显示其中您可见的单位" in w.value for w in at.warning)
    assert "二矿" not in _texts(at)


def test_malformed_parameters_warn_and_are_ignored(app_for):
    plain = _open_link(app_for, "jiance", {})
    at = _open_link(app_for, "jiance", {"since": "2026-13-45", "until": "昨天", "topic": "nonsense",
                                        "sentiment": "angry", "risk": "extreme", "unit": "NOPE",
                                        "source_kind": "fax", "event": "ev-nope", "post": "p_missing"})
    warnings = " ".join(w.value for w in at.warning)
    for part in ("2026", "nonsense", "angry", "extreme", "NOPE", "fax", "事件"):
        assert part in warnings
    assert at.multiselect(key="search_topics").value == [] and at.date_input(key="search_dates").value == ()
    assert _total(at) == _total(plain) and _shown_texts(at) == _shown_texts(plain)
    assert any("不存在或不在您的权限范围内" in e.value for e in at.error)


def test_page_accepts_every_parameter_a_real_digest_link_carries(app_for, dash_config, store, tz):
    from yuqing.digest.figures import compute_figures
    from yuqing.digest.period import week_of

    period = week_of(datetime.now(tz).date() - timedelta(days=7))
    figures = compute_figures(store, load_config(dash_config, env={}), period, unit="S1")
    urls = [figures.units[0].negative_link, figures.headlines[3].link, figures.days[0].link, figures.topics[0].negative_link,
            links.search_url("http://x", period.start, period.end, units="S1", risk="high", q="工资", unit="M1",
                             source_kind="wechat_group", topic="wages", sentiment="negative", event="ev-wages"),
            links.post_url("http://x", store.query_posts(PostQuery(units={"M1"}, limit=1))[0].post.id)]
    seen: set[str] = set()
    for url in urls:
        assert urlsplit(url).path.endswith("/search")
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        seen |= set(params)
        at = _open_link(app_for, "jiance", params)
        assert not at.warning, [w.value for w in at.warning]
        applied = {"q": at.text_input(key="search_text").value,
                   "topic": "".join(at.multiselect(key="search_topics").value),
                   "sentiment": "".join(map(str, at.multiselect(key="search_sentiments").value)),
                   "risk": "".join(map(str, at.multiselect(key="search_risks").value)),
                   "source_kind": "".join(map(str, at.multiselect(key="search_kinds").value)),
                   "event": at.selectbox(key="search_event").value}
        if "post" in params:
            applied["post"] = at.selectbox(key="search_pick").value
        for k in applied.keys() & params.keys():
            assert applied[k] == params[k], k
        if "since" in params:
            assert at.date_input(key="search_dates").value == (
                date.fromisoformat(params["since"]), date.fromisoformat(params["until"]))
        if "unit" in params or "scope" in params:
            assert at.selectbox(key="flt_unit").value == params.get("unit", params.get("scope"))
    assert {"since", "until", "topic", "sentiment", "risk", "event", "unit", "scope", "source_kind", "q", "post"} <= seen
    assert seen <= set(session.LINK_PARAMS)


# --- the pure parts -----------------------------------------------------------------------------
def test_link_units_never_widen_a_scope():
    cadre = frozenset({"M1", "M1-ZC"})
    f = SearchFilters
    assert session.link_units(f(scope="M2"), TREE, cadre) == (set(), session.link_units(f(units=("M2",)), TREE, cadre)[1])
    assert session.link_units(f(scope="S1"), TREE, cadre)[0] == {"M1", "M1-ZC"}
    assert session.link_units(f(units=("M1",), scope="S1"), TREE, None) == ({"M1"}, "")
    assert session.link_units(f(units=("M1",), scope="M2"), TREE, None)[0] == set()
    assert session.link_units(f(units=("M1", "M2")), TREE, cadre)[0] == {"M1"}  # several units: each one itself
    assert session.link_units(f(topics=("wages",)), TREE, cadre) == (None, "")


def test_link_dates_are_inclusive():
    today = date(2026, 11, 20)
    f = SearchFilters
    assert session.link_dates(f(since=date(2026, 11, 9), until=date(2026, 11, 9)), today) == (date(2026, 11, 9),) * 2
    assert session.link_dates(f(since=date(2026, 11, 9)), today) == (date(2026, 11, 9), today)
    assert session.link_dates(f(until=date(2026, 11, 9)), today)[1] == date(2026, 11, 9)
    assert session.link_dates(f(), today) == ()
