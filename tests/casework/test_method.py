"""The method suggestion: one of the nine, reasoned from the posts, with a sentence saying why."""

import pytest

from yuqing.casework.method import CUES, Evidence, suggest
from yuqing.casework.methods import NINE_METHODS
from yuqing.casework.model import METHODS

ARTICLE_ORDER = ["合理诉求维护法", "家访谈心知情法", "民主恳谈沟通法", "释疑解惑聚力法", "工作激情点燃法",
                 "文娱活动减压法", "精准帮扶暖心法", "典型培育带动法", "网络舆情沟通法"]


def ev(*texts, topic="other", sentiment="negative"):
    return [Evidence(t, topic, sentiment) for t in texts]


def test_exactly_the_nine_methods_of_the_article_in_its_order():
    assert [m.name for m in NINE_METHODS] == ARTICLE_ORDER
    assert list(METHODS) == ARTICLE_ORDER and list(CUES) == ARTICLE_ORDER
    assert "家访谈心记录本" in METHODS["家访谈心知情法"] and "九必访、五看清、四了解、十必谈" in METHODS["家访谈心知情法"]
    assert all(m.practice for m in NINE_METHODS)
    assert any("民主恳谈会" in p for p in NINE_METHODS[2].practice)
    assert any("职工代表问询" in p for p in NINE_METHODS[2].practice)


@pytest.mark.parametrize("posts,expected", [
    (ev("三个月的工资还没到账，房贷都要逾期了", "问了队长说等通知，工会能不能给讨个说法", topic="wages"), "合理诉求维护法"),
    (ev("小李这几天不说话，下了班就一个人闷着抽烟", "听说他家里在闹离婚，找人跟他谈谈吧"), "家访谈心知情法"),
    (ev("新排班谁定的？问过我们没有", "改排班起码开个会听听职工代表的意见"), "民主恳谈沟通法"),
    (ev("听说要混改了，工龄还算不算？", "政策到底咋回事，谁给解释解释", sentiment="neutral"), "释疑解惑聚力法"),
    (ev("今年的技能比武啥时候报名", "想参加发明创意大赛，有没有师傅带", topic="skills", sentiment="neutral"),
     "工作激情点燃法"),
    (ev("连轴转了半个月，太累了", "矿上啥时候搞个篮球赛放松放松"), "文娱活动减压法"),
    (ev("老郭媳妇住院做手术，家里困难", "大家帮一把，工会能不能给点救助", topic="assistance"), "精准帮扶暖心法"),
    (ev("赵师傅井下发现险情把十几个人撤了出来，真是好样的", "应该好好宣传，评个标兵", sentiment="positive"),
     "典型培育带动法"),
    (ev("群里有人转发说井下出事了，是真的吗", "好多群都在传，官方赶紧出来澄清一下"), "网络舆情沟通法"),
])
def test_each_kind_of_matter_gets_its_method_and_a_reason_naming_what_the_posts_said(posts, expected):
    s = suggest(posts)
    assert s.method == expected, s.scores
    assert s.cues and all(c in " ".join(p.text for p in posts) for c in s.cues)
    assert s.reason.startswith("帖子里说到「") and "。" in s.reason and s.reason.count("。") == 1
    assert s.scores[0][0] == expected and len(s.scores) == 9


def test_praise_words_in_a_complaint_are_not_praise():
    complaint = ev("评先进名额全给了机关，一线一个都没有", "评选办法应该拿到职代会上当面说说")
    assert suggest(complaint).method == "民主恳谈沟通法"


def test_the_nlp_topic_decides_when_the_posts_say_little():
    assert suggest(ev("有没有人管管", topic="skills", sentiment="neutral")).method == "工作激情点燃法"
    assert suggest(ev("有没有人管管", topic="culture", sentiment="neutral")).method == "文娱活动减压法"


def test_nothing_to_go_on_asks_for_a_visit_first():
    s = suggest(ev("1", "嗯"))
    assert s.method == "家访谈心知情法" and "走访谈心" in s.reason and not s.cues


def test_a_huge_matter_is_read_from_a_sample_and_counts_shares():
    posts = ev(*["工资还没发"] * 500, *["听说要混改"] * 100)
    s = suggest(posts)
    assert s.method == "合理诉求维护法" and "/300 条" in s.reason
