from datetime import datetime, timedelta, timezone

from yuqing.nlp.events import EventInput, event_label, group, merge_keywords
from yuqing.nlp.simhash import simhash
from yuqing.storage.base import Event

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
