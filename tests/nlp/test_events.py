from dataclasses import replace
from datetime import datetime, timedelta, timezone

from yuqing.nlp.events import EventGrouper, EventInput, event_label, group, merge_keywords
from yuqing.nlp.simhash import simhash
from yuqing.nlp.tokenize import words
from yuqing.schema import Event

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


def item(pid, text, topic, kws, days=0, neg=True, unit="M1"):
    return EventInput(pid, T0 + timedelta(days=days), topic, tuple(kws), simhash(text), neg, unit)


def test_same_matter_across_sources_and_days_is_one_event():
    items = [
        item("p1", "综采一队三个月没发工资了", "wages", ["综采一队", "工资", "三个月"]),
        item("p2", "论坛：综采一队工资拖欠三个月，有人管吗", "wages", ["综采一队", "工资", "拖欠"], days=1),
        item("p3", "公众号留言：综采一队的工资什么时候发", "wages", ["工资", "综采一队"], days=3),
    ]
    assignments, events = group(items)
    assert len(set(assignments.values())) == 1
    (ev,) = events
    assert ev.size == 3 and ev.negative == 3
    assert ev.first_at == T0 and ev.last_at == T0 + timedelta(days=3)
    assert ev.label.startswith("薪酬待遇：") and "综采一队" in ev.label


def test_different_matters_and_topics_stay_apart():
    items = [
        item("p1", "综采一队三个月没发工资了", "wages", ["综采一队", "工资"]),
        item("p2", "食堂班中餐太差", "living", ["班中餐", "食堂"]),
        item("p3", "掘进二队夜班费少发", "wages", ["掘进二队", "夜班费"]),
    ]
    assignments, events = group(items)
    assert len(set(assignments.values())) == 3
    assert len(events) == 3


def test_reposts_join_by_simhash_without_keyword_overlap():
    text = "明天早上八点矿部门口集合，讨个说法"
    items = [item("p1", text, "wages", ["集合"]), item("p2", text + "！", "wages", ["说法"], days=1)]
    assignments, _ = group(items)
    assert assignments["p1"] == assignments["p2"]


def test_incremental_join_of_a_stored_event_and_window():
    stored = Event(id="e_old", label="薪酬待遇：综采一队、工资", keywords=["综采一队", "工资"], topic="wages",
                   first_at=T0, last_at=T0, size=4, negative=2, signature=simhash("旧帖"))
    near = item("p9", "综采一队工资还没发", "wages", ["综采一队", "工资"], days=2)
    late = item("p10", "综采一队工资还没发", "wages", ["综采一队", "工资"], days=30)
    assignments, changed = group([near], [stored])
    assert assignments["p9"] == "e_old"
    assert changed[0].size == 5 and changed[0].negative == 3
    assert stored.size == 4  # the caller's event is not mutated
    assignments, _ = group([late], [stored])
    assert assignments["p10"] != "e_old"


def test_merge_keywords_and_label():
    assert merge_keywords(["工资", "综采一队"], 5, ["欠薪", "工资"])[:2] == ["工资", "综采一队"]
    assert event_label("living", []) == "生活后勤"


# --- grouping with the posts' IDF-weighted terms (what run_analyze passes) -------------------------

#: A small IDF table: everyday words low, unknown words (names, rare matters) get the maximum.
IDF = {"工资": 5.7, "食堂": 6.7, "两个": 5.0, "有人": 5.5, "大家": 4.0, "今天": 4.5, "中午": 6.0,
       "涨价": 8.7, "份量": 8.0, "卫生": 6.3, "头发": 7.3, "拖欠": 8.0, "外包": 7.3, "掘进": 8.7, "二队": 9.8,
       "晚上": 4.3, "喝": 5.0, "两杯": 8.0, "十月": 6.5, "到账": 7.5, "班中餐": 9.8}
STOP = frozenset({"的", "了", "是", "都", "我", "你们", "这个", "还", "没", "吗"})


def post(pid, text, topic, days=0.0, unit="S1-M1", neg=True):
    terms = EventInput.terms_of(words(text), IDF, STOP)
    return EventInput(pid, T0 + timedelta(days=days), topic, tuple(t for t, _ in terms[:5]), simhash(text), neg,
                      unit, terms)


def test_mine_names_cut_into_characters_are_terms_and_weigh_little():
    terms = dict(EventInput.terms_of(["东", "峪", "矿", "食堂", "涨价"], IDF, STOP))
    assert "东峪" in terms and terms["东峪"] <= 5.0 < terms["涨价"]


def test_edited_repost_in_another_group_joins_the_event():
    items = [
        post("p1", "北岭矿掘进二队10月的工资到现在还没发，都15号了[流泪]", "wages", unit="S1-M1-JJ2"),
        post("p2", "请问北岭矿掘进二队十月工资啥时候能发？娃下周要交学费了", "wages", 0.5, unit="S1-M1"),
        post("p3", "转自其他群：请问北岭矿掘进二队十月公资啥时候能发？娃下周要交学费了！！", "labor", 1.2, unit="G"),
    ]
    assignments, _ = group(items)
    assert len(set(assignments.values())) == 1


def test_a_different_wage_matter_in_another_mine_the_same_week_stays_apart():
    items = [
        post("p1", "北岭矿掘进二队10月的工资到现在还没发，都15号了", "wages", unit="S1-M1-JJ2"),
        post("p2", "北岭矿掘进二队十月工资还没到账，队长说等通知", "wages", 0.3, unit="S1-M1-JJ2"),
        post("p3", "东峪矿外包队的工资已经两个月没结了，老板人都找不着", "wages", 1, unit="S1-M2"),
        post("p4", "东峪外包队欠薪两个月，包工头说矿上没给他结账", "wages", 1.5, unit="S1-M2"),
    ]
    a, _ = group(items)
    assert a["p1"] == a["p2"] and a["p3"] == a["p4"] and a["p1"] != a["p3"]


def test_canteen_price_and_canteen_hygiene_in_one_mine_stay_apart():
    items = [
        post("p1", "东峪矿食堂又涨价了，一份红烧肉从8块涨到12，份量还少了一半", "living", unit="S1-M2"),
        post("p2", "东峪矿食堂今天中午的菜里吃出一根头发，卫生太差了", "living", 0.5, unit="S1-M2"),
    ]
    a, _ = group(items)
    assert a["p1"] != a["p2"]


def test_chit_chat_does_not_join_a_real_matter():
    items = [
        post("p1", "北岭矿掘进二队10月的工资到现在还没发", "wages", unit="S1-M1"),
        post("p2", "北岭矿掘进二队十月工资还没到账", "wages", 0.2, unit="S1-M1"),
        post("p3", "晚上谁去喝两杯", "other", 0.3, unit="S1-M1"),
        post("p4", "收到", "other", 0.4, unit="S1-M1"),
    ]
    a, _ = group(items)
    assert a["p3"] != a["p1"] and a["p4"] != a["p1"]


def test_incremental_equals_one_pass():
    texts = [
        ("北岭矿掘进二队10月的工资到现在还没发", "wages", "S1-M1"),
        ("东峪矿食堂又涨价了，份量还少了", "living", "S1-M2"),
        ("北岭矿掘进二队十月工资还没到账", "wages", "S1-M1"),
        ("晚上谁去喝两杯", "other", "S1-M1"),
        ("东峪矿食堂涨价份量少，有人管没", "living", "S1-M2"),
        ("转：北岭矿掘进二队10月的工资到现在还没发[流泪]", "wages", "G"),
        ("东峪矿食堂中午的菜里吃出头发", "living", "S1-M2"),
        ("掘进二队十月工资拖欠，有人管吗", "wages", "S1-M1"),
    ]
    items = [post(f"p{i}", t, topic, i * 0.4, unit) for i, (t, topic, unit) in enumerate(texts)]
    one, _ = group(items)
    first, changed = group(items[:4])
    stored = [replace(e, keywords=list(e.keywords)) for e in changed]  # what the store gives back
    second, _ = group(items[4:], stored)
    assert {**first, **second} == one
    assert len(set(one.values())) < len(items)  # something was grouped


def test_without_terms_keywords_still_group_and_other_topic_needs_more():
    g = EventGrouper()
    a = g.add(item("p1", "综采一队三个月没发工资了", "wages", ["综采一队", "工资"]))
    b = g.add(item("p2", "综采一队工资拖欠三个月", "wages", ["综采一队", "工资"], days=1))
    c = g.add(item("p3", "哈哈", "other", ["工资"], days=1))
    assert a == b != c


def test_events_leave_memory_once_the_window_has_passed_and_come_from_indexes():
    from yuqing.nlp.events import EventGrouper

    g = EventGrouper(window=timedelta(days=7))
    for day in range(60):  # one new matter a day, each with its own words
        g.add(item(f"p{day}", f"第{day}号矿井{day}班组的问题", "wages", [f"班组{day}", f"问题{day}"], days=day))
        assert len(g.open) <= 8  # only the last week's events are held
    # a post sharing no band and no heavy term with any open event is compared with none of them
    probe = item("q", "完全无关的话题", "living", ["无关"], days=59)
    assert g._candidates(probe, [("无关", 7.0)]) == set()
    same = item("q2", "第59号矿井59班组的问题", "wages", ["班组59", "问题59"], days=59)
    assert g._candidates(same, [("班组59", 7.0)]) == {g.add(same)}


def test_an_events_unit_is_where_it_started_and_its_matter_goes_where_most_posts_come_from():
    from yuqing.casework.routing import route
    from yuqing.orgtree import OrgTree
    from yuqing.schema import Unit

    text = "明天早上八点矿部门口集合，讨个说法"
    items = [item("a1", text, "wages", ["集合", "说法"], unit="M1")]
    items += [item(f"b{i}", text + "！" * i, "wages", ["集合", "说法"], days=i * 0.01, unit="M2") for i in range(1, 4)]
    items += [item("c1", text + "？", "wages", ["集合", "说法"], days=0.5, unit="")]  # a chat with no unit yet
    assignments, (ev,) = group(items)
    assert len(set(assignments.values())) == 1 and ev.size == 5
    # the event keeps the unit it started in (the anchor of the same-unit join: a matter does not
    # wander with its majority, which measurably merged other units' matters into it)
    assert ev.unit == "M1"
    # the issue raised from it goes where most of its posts come from
    tree = OrgTree([Unit("G", "集团工会"), Unit("M1", "一矿工会", parent="G"), Unit("M2", "二矿工会", parent="G")])
    assert route([it.unit for it in items], tree) == "M2"

