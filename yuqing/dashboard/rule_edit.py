"""Editing an alert rule from the dashboard: parse and validate YAML text with the alerts
engineer's loader, dry-run it over recent posts with the engine's ``plan`` (reads only), save it
into the union's rules folder. The page decides who may do this (admin/monitor)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from ..alerts.describe import describe
from ..alerts.engine import org_tree, plan
from ..alerts.loader import build_rule
from ..alerts.rules import Rule
from ..errors import RuleError
from ..storage.base import PostQuery

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


def parse_rule_text(text: str, origin: str = "规则") -> Rule:
    """A rule from YAML text, validated; :class:`RuleError` ``"origin: key: problem"`` otherwise."""
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark else ""
        raise RuleError(f"{origin}: YAML 格式错误{where}: {getattr(exc, 'problem', exc)}") from None
    return build_rule(spec, origin)


@dataclass
class DryRunIssue:
    title: str
    severity: str
    unit: str
    method: str
    posts: int
    reason: str


def dry_run(store, config, rule: Rule, days: int, limit_posts: int = 200_000) -> tuple[int, int, list[DryRunIssue]]:
    """What ``rule`` would raise over the last ``days`` days: (posts checked, matches, issues).
    Nothing is written or sent."""
    since = datetime.now(timezone.utc) - timedelta(days=days)
    posts = store.query_posts(PostQuery(since=since, analyzed=True, limit=limit_posts, newest_first=False))
    if not posts:
        return 0, 0, []
    matches, drafts, index = plan(store, config, [rule], posts)
    tree = org_tree(store, config)
    out = []
    for draft in sorted(drafts, key=lambda d: -len(d.post_ids)):
        d = describe([index[i] for i in draft.post_ids if i in index], tree, rule_severity=draft.severity,
                     reasons=draft.reasons, event=store.get_event(draft.event_id) if draft.event_id else None,
                     tz=config.tz)
        out.append(DryRunIssue(d.title, d.severity, d.unit, d.method, len(draft.post_ids),
                               draft.reasons[0] if draft.reasons else ""))
    return len(posts), len(matches), out


def save_rule(rules_dir: Path, rule: Rule, text: str) -> Path:
    """Write the validated ``text`` as ``rules_dir/<rule name>.yaml`` (a starter rule of the same
    name is then replaced by this one)."""
    if not _SAFE_NAME.match(rule.name):
        raise RuleError(f"规则名 {rule.name!r} 只能用字母、数字、- 和 _（它也是文件名）")
    rules_dir.mkdir(parents=True, exist_ok=True)
    path = rules_dir / f"{rule.name}.yaml"
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path
