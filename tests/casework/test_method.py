import pytest

from yuqing.casework.method import suggest_method
from yuqing.casework.model import METHODS

NEG = {"negative": 0.8, "neutral": 0.15, "positive": 0.05}
POS = {"negative": 0.05, "neutral": 0.15, "positive": 0.8}
MIXED = {"negative": 0.4, "neutral": 0.5, "positive": 0.1}


@pytest.mark.parametrize("topic,mix,risk,keywords,expected", [
    ("wages", NEG, "medium", ["欠薪"], "合理诉求维护法"),
    ("other", NEG, "none", ["拖欠", "工资"], "合理诉求维护法"),
    ("reform", MIXED, "none", ["改革", "听说"], "释疑解惑聚力法"),
    ("assistance", MIXED, "none", ["住院"], "精准帮扶暖心法"),
    ("cadre", {"negative": 0.9, "neutral": 0.1}, "high", ["不公平"], "民主恳谈沟通法"),
    ("health", MIXED, "none", ["加班", "太累"], "文娱活动减压法"),
    ("health", MIXED, "none", ["压力", "孩子"], "家访谈心知情法"),
    ("models", POS, "none", ["劳模"], "典型培育带动法"),
    ("safety", MIXED, "none", ["隐患"], "建言献策激励法"),
    ("labor", MIXED, "none", ["合同"], "协商共事和谐法"),
])
def test_fitting_method_with_a_reason(topic, mix, risk, keywords, expected):
    method, reason = suggest_method(topic, mix, risk, keywords)
    assert method == expected and method in METHODS
    assert reason and len(reason) > 8


def test_praise_of_wages_is_not_a_grievance():
    method, _ = suggest_method("wages", POS, "none", ["工资", "涨了"])
    assert method != "合理诉求维护法"
