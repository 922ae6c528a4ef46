from yuqing.alerts.describe import describe, representative
from yuqing.orgtree import OrgTree
from yuqing.schema import Event, Unit

from .factory import sp

TREE = OrgTree([Unit("G", "集团工会"), Unit("M1", "一矿工会", "G"), Unit("M1-JJ", "掘进队", "M1")])


def test_representative_quotes_a_forwarded_text_once_and_prefers_risk():
    posts = [sp(1, "再不发我就不干了，出去打工也比这强", sentiment="negative"),
             sp(2, "再不发我就不干了 出去打工也比这强！", sentiment="negative"),
             sp(3, "明天去矿门口堵门", sentiment="negative", risk="high"),
             sp(4, "今天天气不错")]
    got = [p.post.text for p in representative(posts, 3)]
    assert got[0] == "明天去矿门口堵门" and len(got) == 3
    assert sum("出去打工" in t for t in got) == 1


def test_description_masks_pii_and_titles_from_keywords_unless_event_dominates():
    posts = [sp(i, f"工资三个月没发了，找我 1391234567{i}", unit="M1-JJ", sentiment="negative", topic="wages",
                keywords=["工资", "欠薪"], event="e1" if i < 2 else f"x{i}") for i in range(6)]
    d = describe(posts, TREE, rule_severity="medium", reasons=["6 条帖子提到 欠薪"], event=Event("e1", "掘进队欠薪"))
    assert "1391234567" not in d.summary and "139****567" in d.summary
    assert d.title == "掘进队 · 薪酬待遇：工资、欠薪" and d.unit == "M1-JJ" and d.method == "合理诉求维护法"
    d2 = describe(posts[:2], TREE, rule_severity="medium", reasons=[], event=Event("e1", "掘进队欠薪"))
    assert d2.title == "掘进队 · 掘进队欠薪"
