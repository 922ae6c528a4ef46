from pathlib import Path

import pytest

from yuqing.alerts.loader import load_rule_file, load_rules, starter_rule_files
from yuqing.alerts.rules import RULE_TYPES
from yuqing.errors import RuleError


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(path: Path) -> str:
    with pytest.raises(RuleError) as exc:
        load_rule_file(path)
    return str(exc.value)


def test_bad_threshold_names_file_and_key(tmp_path):
    p = write(tmp_path, "wage.yaml", "name: w\ntype: spike\nspike:\n  threshold: 0.5\n")
    msg = error_of(p)
    assert msg.startswith(f"{p}: spike.threshold: ")
    assert "应为 >= 1 的数字" in msg


def test_unknown_key_is_named(tmp_path):
    p = write(tmp_path, "r.yaml", "name: w\ntype: keyword\nkeyword:\n  query: 欠薪\n  windw: 2d\n")
    assert f"{p}: keyword.windw: 未知的键" in error_of(p)
    p = write(tmp_path, "r2.yaml", "name: w\ntype: keyword\nseverty: high\nkeyword:\n  query: 欠薪\n")
    assert ": severty: 未知的键" in error_of(p)


@pytest.mark.parametrize("text,key,words", [
    ("name: w\ntype: frequency\nfrequency:\n  count: 3\n  window: two days\n", "frequency.window", "时长"),
    ("name: w\ntype: keyword\nseverity: urgent\nkeyword:\n  query: a\n", "severity", "之一"),
    ("name: w\ntype: keyword\n", "keyword", "缺少"),
    ("name: w\ntype: blah\n", "type", "之一"),
    ("name: w\ntype: keyword\nfilter:\n  topic: [salary]\nkeyword:\n  query: a\n", "filter.topic.0", "之一"),
    ("name: w\ntype: risk\nkeyword:\n  query: a\n", "（顶层）", "其他规则类型"),
    ("name: w\ntype: keyword\nkeyword:\n  query: '(欠薪'\n", "keyword.query", "括号"),
])
def test_schema_errors(tmp_path, text, key, words):
    msg = error_of(write(tmp_path, "r.yaml", text))
    assert f"r.yaml: {key}: " in msg and words in msg


def test_invalid_yaml_and_non_mapping(tmp_path):
    assert "不是有效的 YAML（第" in error_of(write(tmp_path, "a.yaml", "name: [unclosed\n"))
    assert "一条规则" in error_of(write(tmp_path, "b.yaml", "- 1\n- 2\n"))


def test_starter_rules_are_valid_and_cover_the_types():
    rules = load_rules(None)
    assert len(rules) == len(starter_rule_files())
    assert {type(r) for r in rules} >= {RULE_TYPES[t] for t in ("keyword", "risk", "spike", "flatline")}


def test_union_rules_override_and_disable_starter_rules(tmp_path):
    write(tmp_path, "w.yaml", "name: wage_arrears\ntype: keyword\nseverity: medium\nkeyword:\n  query: 欠薪\n")
    write(tmp_path, "q.yaml", "name: source_quiet\ntype: flatline\nenabled: false\nflatline: {}\n")
    rules = {r.name: r for r in load_rules(tmp_path)}
    assert rules["wage_arrears"].severity == "medium"
    assert "source_quiet" not in rules
