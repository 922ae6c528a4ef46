from __future__ import annotations

import pytest

from yuqing.config import load_config
from yuqing.dashboard.rule_edit import dry_run, parse_rule_text, save_rule
from yuqing.errors import RuleError
from yuqing.storage.sqlite import SqliteStore

RULE = """name: wage_test
type: keyword
description: 工资问题
severity: medium
keyword:
  query: '工资'
  min_posts: 1
  window: 30d
"""


def test_parse_reports_the_key_and_the_line():
    assert parse_rule_text(RULE).name == "wage_test"
    with pytest.raises(RuleError, match="keyword.min_posts"):
        parse_rule_text(RULE.replace("min_posts: 1", "min_posts: many"))
    with pytest.raises(RuleError, match="第 2 行"):
        parse_rule_text("name: [x\n")


def test_dry_run_reads_only_and_save_writes_the_file(dash_config, tmp_path):
    cfg = load_config(dash_config, env={})
    store = SqliteStore(cfg.db_path)
    issues_before = store.stats()["issues"]
    checked, matches, issues = dry_run(store, cfg, parse_rule_text(RULE), 30)
    assert checked > 100 and matches > 0 and issues
    assert all(i.posts > 0 for i in issues)
    assert store.stats()["issues"] == issues_before
    store.close()
    path = save_rule(tmp_path / "rules", parse_rule_text(RULE), RULE)
    assert path.name == "wage_test.yaml" and path.read_text(encoding="utf-8") == RULE
    with pytest.raises(RuleError, match="规则名"):
        save_rule(tmp_path / "rules", parse_rule_text(RULE.replace("wage_test", "wage.v2")), RULE)
