import pytest

from yuqing.alerts.rules.expr import fold, parse
from yuqing.errors import RuleError


def m(expr: str, text: str) -> bool:
    return parse(expr).matches(fold(text))


def test_and_binds_tighter_than_or():
    e = "欠薪 OR 拖欠 AND 工资"
    assert m(e, "又欠薪了")  # 欠薪 OR (拖欠 AND 工资)
    assert not m(e, "拖欠了好久")
    assert m(e, "拖欠工资")
    assert not m("(欠薪 OR 拖欠) AND 工资", "又欠薪了")


def test_juxtaposition_is_and_and_not_applies_to_next_atom():
    assert m("食堂 饭菜", "食堂的饭菜太贵")
    assert not m("食堂 饭菜", "食堂关门了")
    assert m("欠薪 NOT 补发", "欠薪三个月")
    assert not m("欠薪 NOT 补发", "欠薪已经补发")
    assert m("NOT (补发 OR 表彰) 欠薪", "欠薪")
    assert not m("NOT NOT 欠薪", "没有")


def test_quoted_phrase_keeps_spaces_and_case_folds():
    assert m('"ABC 公司"', "abc   公司 又拖了")
    assert not m('"ABC 公司"', "ABC的公司")
    assert m("ＡＢＣ", "abc")  # NFKC full-width


def test_proximity_either_order():
    e = "欠薪 NEAR/5 堵门"
    assert m(e, "欠薪了明天去堵门")
    assert m(e, "堵门是因为欠薪")
    assert not m(e, "欠薪的事情大家再等等看看领导怎么说不行就去堵门")
    assert m('"工资 没发" NEAR/2 堵门', "工资 没发就堵门")


@pytest.mark.parametrize("bad", ["", "欠薪 AND", "(欠薪 OR 拖欠", '"未闭合', "欠薪 )", "(a OR b) NEAR/3 c", "OR 欠薪"])
def test_malformed_expressions_raise_rule_error(bad):
    with pytest.raises(RuleError):
        parse(bad)


def test_terms_lists_positive_terms():
    assert parse("(欠薪 OR 拖欠) NOT 补发").terms() == ["欠薪", "拖欠"]
