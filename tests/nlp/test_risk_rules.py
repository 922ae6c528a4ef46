import pytest

from yuqing.nlp.risk_rules import max_risk, rule_risk
from yuqing.schema import Risk


@pytest.mark.parametrize("text", [
    "明天早上八点大家一起到矿部门口讨个说法",
    "工资再不发，周一谁也别下井了",
    "兄弟们，集体去集团讨说法，不给钱就不走",
    "下周一全队去集团门口坐着，看谁丢人",
    "外委队伍的人集体停工了",
    "把事闹大，闹到省里去",
    "咱们明天8点门口见，不见不散",
    "工会不管，我们就拉横幅",
    "矿上出事瞒着不报，我已经把视频发到网上了",
    "再拖欠工资我就从井架上跳下去",
    "单位不给交社保，这事我要去省里告，谁跟我一起",
])
def test_indirect_and_direct_collective_plans_are_high(text):
    assert rule_risk(text).level == Risk.HIGH


@pytest.mark.parametrize("text", [
    "下班路上堵车堵了一个小时",
    "工会拉横幅庆祝劳模表彰大会召开",
    "电脑又罢工了，谁会修",
    "井下涌水点已经封堵，隐患消除",
    "二号井停工检修三天",
    "周六健步走活动，早上八点广场集合",
    "咱们矿的乐队去集团演出了，鼓手是我们队的",
    "群里的兄弟们都来给我家娃投个票，谢谢啦，拼了",
    "新闻里说国外有个港口工人罢工了",
])
def test_near_misses_are_not_risks(text):
    assert rule_risk(text).level == Risk.NONE


def test_negated_plan_still_counts_but_lower():
    r = rule_risk("我们不会去堵门的，放心")
    assert r.level == Risk.MEDIUM
    assert any("否定" in reason for reason in r.reasons)


def test_grievances_are_medium_with_reason():
    r = rule_risk("这个月工资又拖欠了")
    assert r.level == Risk.MEDIUM and r.reasons == ["欠薪"]


def test_max_risk():
    assert max_risk("none", Risk.MEDIUM, "none") == Risk.MEDIUM
    assert max_risk() == Risk.NONE
