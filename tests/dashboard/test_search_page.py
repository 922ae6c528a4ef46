"""舆情检索 (issue #16): paging with the total, sort by heat, the author view, the chat view, every view
in the URL, and the viewer's scope whatever the URL asks for."""

from __future__ import annotations

import pytest

from yuqing.config import load_config
from yuqing.storage.base import PostQuery
from yuqing.storage.sqlite import SqliteStore

from .fixture_store import M2_SECRET
from .test_app import _cards, _texts
from .test_search_links import _open_link, _shown_texts, _total


@pytest.fixture
def store(dash_config):
    s = SqliteStore(load_config(dash_config, env={}).db_path)
    yield s
    s.close()


def _url(at) -> dict[str, list[str]]:
    return {k: at.query_params[k] if isinstance(at.query_params[k], list) else [at.query_params[k]]
            for k in at.query_params}


def test_pages_of_results_with_the_total(app_for):
    at = _open_link(app_for, "jiance", {"q": "工资"})
    total = _total(at)
    first = _shown_texts(at)
    assert total > 20 and len(first) == 20
    assert any("第 1/" in c.value for c in at.caption)
    at.number_input(key="search_page").set_value(2).run()
    assert not at.exception
    second = _shown_texts(at)
    assert second and not set(first) & set(second) and _total(at) == total
    assert _url(at)["page"] == ["2"] and _url(at)["q"] == ["工资"]
    at.selectbox(key="search_size").set_value(50).run()  # another page size starts again at page 1
    assert len(_shown_texts(at)) == min(50, total) and "page" not in _url(at) and _url(at)["size"] == ["50"]


def test_sort_by_heat_puts_high_risk_first(app_for):
    at = _open_link(app_for, "jiance", {"q": "工资", "sort": "heat"})
    risks = list(at.dataframe[0].value["风险"])
    order = {"高": 0, "中": 1, "无": 2, "": 3}
    assert risks[0] == "高" and [order[r] for r in risks] == sorted(order[r] for r in risks)
    assert at.radio(key="search_sort").value == "heat"


def test_two_word_orders_give_the_same_posts(app_for):
    a = _open_link(app_for, "jiance", {"q": "工资晚发", "size": "100"})
    b = _open_link(app_for, "jiance", {"q": "晚发工资", "size": "100"})
    assert _total(a) == _total(b) > 0 and sorted(_shown_texts(a)) == sorted(_shown_texts(b))
    assert all("工资" in t and "晚发" in t for t in _shown_texts(a))
    assert all("<mark>工资</mark>" in h.value and "<mark>晚发</mark>" in h.value for h in a.html)
    part = _open_link(app_for, "jiance", {"q": "班费"})  # inside 加班费
    assert _total(part) > 0 and all("加班费" in t for t in _shown_texts(part))


def test_author_view_from_a_card_and_from_the_url(app_for, store):
    at = _open_link(app_for, "jiance", {"q": "工资"})
    button = next(b for b in at.button if b.key and b.key.startswith("search_by_author_"))
    post = store.get_post(button.key.removeprefix("search_by_author_")).post
    button.click().run()
    assert not at.exception
    assert set(at.dataframe[0].value["作者"]) == {post.author} and at.text_input(key="search_text").value == ""
    assert _url(at)["author"] == [post.author] and any("作者视图" in i.value for i in at.info)
    again = _open_link(app_for, "jiance", {"author": post.author})
    assert _total(again) == _total(at)
    again.button(key="search_author_close").click().run()
    assert "author" not in _url(again) and _total(again) > _total(at)


def test_chat_view_around_a_post(app_for, store):
    oldest = store.query_posts(PostQuery(source_ids=["src-a"], newest_first=False, limit=1))[0].post
    middle = store.query_posts(PostQuery(source_ids=["src-a"], newest_first=False, limit=1, offset=45))[0].post
    at = _open_link(app_for, "jiance", {"chat": "src-a", "post": middle.id})
    assert any("会话视图" in i.value for i in at.info)
    shown = _shown_texts(at)
    assert middle.text in shown and oldest.text not in shown  # the page holding the post, not the first
    assert at.number_input(key="search_page").value == 45 // 20 + 1
    assert set(at.dataframe[0].value["单位"]) == {"一矿综采队"}
    times = list(at.dataframe[0].value["时间"])
    assert times == sorted(times)  # in time order
    assert _url(at)["chat"] == ["src-a"] and _url(at)["post"] == [middle.id]
    # from a card of a search
    s = _open_link(app_for, "jiance", {"q": "工资", "source": "src-a"})
    button = next(b for b in s.button if b.key and b.key.startswith("search_chat_of_"))
    button.click().run()
    assert not s.exception and any("会话视图" in i.value for i in s.info) and _url(s)["chat"] == ["src-a"]


def test_a_cadre_never_reaches_another_mine_by_editing_the_url(app_for, store):
    m2 = store.query_posts(PostQuery(units={"M2"}, limit=1))[0].post
    for params in ({"chat": "src-b"}, {"chat": "src-b", "post": m2.id}, {"source": "src-b"},
                   {"author": m2.author, "unit": "M2"}, {"q": "绝密", "unit": "M2"}, {"unit": ["M1", "M2"]}):
        at = _open_link(app_for, "ganbu1", params)
        shown = _texts(at) + "\n".join(_cards(at))
        assert M2_SECRET not in shown and "二矿" not in shown and m2.text not in _shown_texts(at), params
        assert at.warning, params
    at = _open_link(app_for, "ganbu1", {"author": m2.author})  # the same name in one's own units only
    assert set(at.dataframe[0].value["单位"]) <= {"一矿工会", "一矿综采队"}


def test_a_bad_sort_or_page_only_warns(app_for):
    at = _open_link(app_for, "jiance", {"sort": "hot", "page": "x", "triage": "maybe", "size": "7"})
    warnings = " ".join(w.value for w in at.warning)
    assert "hot" in warnings and "page" in warnings and "maybe" in warnings and "size" in warnings
    assert at.radio(key="search_sort").value == "time" and _total(at) > 0
    far = _open_link(app_for, "jiance", {"q": "工资", "page": "999"})  # past the end: the last page
    assert _shown_texts(far) and any(f"第 {far.session_state['search_page']}/" in c.value for c in far.caption)
