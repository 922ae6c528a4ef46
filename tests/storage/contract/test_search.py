"""Search — for every backend: words in any order and inside longer words, the query syntax
(OR, NOT, phrases), paging with the total, sort by time or heat, one author's posts, one chat's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from yuqing.schema import Analysis
from yuqing.storage import PostQuery

from ...conftest import T0, make_post

TEXTS = {
    1: "工资拖欠三个月了",
    2: "拖欠工资的事谁来管",
    3: "工资又被拖欠，家里揪心",
    4: "选煤厂机修车间夜班饭菜凉",
    5: "食堂饭菜表扬一下",
    6: "食堂涨价太多",
    7: "欠薪的事情有说法了吗",
    8: "WiFi 坏了，ＷＩＦＩ 还没修",
}


def _ids(posts) -> set[int]:
    return {int(sp.post.native_id) for sp in posts}


def _search(store, text: str, **kw) -> set[int]:
    return _ids(store.query_posts(PostQuery(text=text, limit=100, **kw)))


def _stored(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i, t, author_id=f"wx{i % 3}") for i, t in TEXTS.items()])


def test_words_in_any_order_and_as_a_term_or_apart_find_the_same_posts(store, units, sources):
    _stored(store, units, sources)
    together, reversed_, apart = _search(store, "工资拖欠"), _search(store, "拖欠工资"), _search(store, "工资 拖欠")
    assert together == reversed_ == apart == {1, 2, 3}
    assert store.count_posts(PostQuery(text="拖欠工资")) == 3


def test_part_of_a_word_finds_the_post(store, units, sources):
    _stored(store, units, sources)
    assert _search(store, "选煤") == {4}  # inside 选煤厂
    assert _search(store, "机修车") == {4}
    assert _search(store, "薪") == {7}  # one character
    assert _search(store, "wifi") == {8} and _search(store, "ＷｉＦｉ") == {8}  # case and width folded


def test_or_not_and_phrases(store, units, sources):
    _stored(store, units, sources)
    assert _search(store, "欠薪 | 拖欠工资") == {1, 2, 3, 7}
    assert _search(store, "欠薪 OR 涨价") == {6, 7}
    assert _search(store, "食堂 -表扬") == {6}
    assert _search(store, "食堂 NOT 表扬") == {6}
    assert _search(store, "-食堂") == set(TEXTS) - {5, 6}
    assert _search(store, '"工资拖欠"') == {1}  # a phrase as it stands
    assert _search(store, '"拖欠工资"') == {2}
    assert _search(store, '"夜班 饭菜"') == set()  # 夜班饭菜 runs on without a separator: not the phrase
    assert _search(store, "，。！") == set()  # no searchable character: nothing, not everything


def test_edited_text_is_searched_by_its_new_words(store, units, sources):
    _stored(store, units, sources)
    post = store.get_post(make_post(6, TEXTS[6]).id).post
    assert store.edit_post(replace(post, text="澡堂热水不够", content_hash="new"), T0 + timedelta(days=1))
    assert _search(store, "涨价") == set() and _search(store, "热水") == {6}


def test_paging_with_the_total(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i, f"工资第{i}次") for i in range(1, 26)])
    first = store.search_posts(PostQuery(text="工资", limit=10, offset=0))
    third = store.search_posts(PostQuery(text="工资", limit=10, offset=20))
    assert first.total == third.total == 25
    assert len(first.posts) == 10 and len(third.posts) == 5
    assert [int(sp.post.native_id) for sp in first.posts] == list(range(25, 15, -1))  # newest first
    assert not _ids(first.posts) & _ids(third.posts)
    assert store.search_posts(PostQuery(text="工资", units=set())).total == 0


def test_sort_by_heat_puts_risk_then_negativity_first(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i, f"食堂第{i}条") for i in range(1, 6)])

    def analysis(i: int, risk: str, neg: float) -> Analysis:
        return Analysis(make_post(i).id, "negative", {"negative": neg, "neutral": 1 - neg, "positive": 0.0}, "living",
                        risk=risk)

    store.save_analyses([analysis(1, "high", 0.5), analysis(2, "none", 0.9), analysis(3, "high", 0.9),
                         analysis(4, "medium", 0.1)])  # 5: not analysed
    hot = store.search_posts(PostQuery(text="食堂", sort="heat", limit=10))
    assert [int(sp.post.native_id) for sp in hot.posts] == [3, 1, 4, 2, 5]
    by_time = store.query_posts(PostQuery(text="食堂", sort="time", limit=10))
    assert [int(sp.post.native_id) for sp in by_time] == [5, 4, 3, 2, 1]
    assert [int(sp.post.native_id) for sp in store.query_posts(PostQuery(sort="heat", limit=2, offset=2))] == [4, 2]


def test_one_authors_posts_within_scope(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(1, "甲说", author_id="wx-a"), make_post(2, "乙说", author_id="wx-b"),
                     make_post(3, "甲又说", author_id="wx-a", source="src-b"),
                     replace(make_post(4, "论坛甲说"), author="老张"),
                     replace(make_post(5, "论坛乙说", author_id="x"), author="老张")])
    assert _ids(store.query_posts(PostQuery(author="wx-a"))) == {1, 3}
    assert _ids(store.query_posts(PostQuery(author="wx-a", units={"M1-ZC"}))) == {1}  # the scope holds
    assert _ids(store.query_posts(PostQuery(author="老张"))) == {4}  # a name counts only where there is no id
    assert store.count_posts(PostQuery(author="wx-a", text="又说")) == 1


def test_one_chat_in_time_order(store, units, sources):
    store.sync_config(units, sources)
    store.add_posts([make_post(i, f"消息{i}", source="src-a" if i % 2 else "src-b") for i in range(1, 9)])
    chat = store.search_posts(PostQuery(source_ids=["src-a"], newest_first=False, limit=3, offset=1))
    assert chat.total == 4 and [int(sp.post.native_id) for sp in chat.posts] == [3, 5, 7]
