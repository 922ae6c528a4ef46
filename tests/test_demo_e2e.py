"""The acceptance of the foundation: `yuqing demo --no-dashboard`, then `yuqing stats --json`."""

from __future__ import annotations

import json
import subprocess
import sys
from email import policy
from email.parser import BytesParser

import pytest

from yuqing.demo.commands import set_forum_url

pytestmark = pytest.mark.slow


def test_set_forum_url_touches_only_forum_sources():
    text = ('data_dir = "data"\n\n[[sources]]\nid = "wx"\nkind = "wechat_group"\nurl = ""\n\n'
            '[[sources]]\nid = "bbs"\nkind = "forum"\nurl = ""\n')
    out = set_forum_url(text, "http://127.0.0.1:9/")
    assert out.count('url = "http://127.0.0.1:9/"') == 1
    assert out.index('url = "http://127.0.0.1:9/"') > out.index('id = "bbs"')


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    env_cmd = [sys.executable, "-m", "yuqing"]
    proc = subprocess.run([*env_cmd, "demo", "--no-dashboard", "--dir", str(d)], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = subprocess.run([*env_cmd, "--config", str(d / "yuqing.toml"), "stats", "--json"], capture_output=True,
                           text=True, timeout=120)
    assert stats.returncode == 0, stats.stderr
    return d, json.loads(stats.stdout), proc


def test_demo_runs_the_whole_loop(demo_run):
    d, s, _ = demo_run
    assert s["posts"] >= 3000
    assert len([k for k, n in s["posts_by_source_kind"].items() if n > 0]) >= 3
    assert s["posts_analyzed"] == s["posts"]
    assert s["issues_open"] >= 1
    assert s["emails_sent"] >= 1


def test_demo_raises_an_issue_about_the_wage_arrears(demo_run):
    d, _, _ = demo_run
    proc = subprocess.run([sys.executable, "-m", "yuqing", "--config", str(d / "yuqing.toml"), "issues", "list",
                           "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    issues = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    wage = [i for i in issues if i["topic"] == "wages" and i["status"] == "open"]
    assert wage, issues
    assert any(i["severity"] == "high" for i in wage)


def _yuqing(d, *args) -> str:
    proc = subprocess.run([sys.executable, "-m", "yuqing", "--config", str(d / "yuqing.toml"), *args],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_demo_committees_work_the_matters_with_a_record_for_every_step(demo_run):
    from openpyxl import load_workbook

    d, _, proc = demo_run
    issues = [json.loads(line) for line in _yuqing(d, "issues", "list", "--json").splitlines()]
    shown = {i["id"]: json.loads(_yuqing(d, "issues", "show", str(i["id"]), "--json")) for i in issues}
    steps = {i: [r["step"] for r in s["records"]] for i, s in shown.items()}
    full = [i for i, st in steps.items() if st[:6] == ["干部问事", "职工说事", "集中议事", "及时办事", "定期评事", "督促查事"]
            and st[-1] == "已办结"]
    assert len(full) >= 2, steps
    wage = next(s for s in shown.values() if s["topic"] == "wages")
    verdicts = [r["fields"].get("satisfaction") for r in wage["records"] if r["step"] == "定期评事"]
    assert verdicts == ["不满意"] and wage["step"] == "及时办事" and wage["status"] == "open"  # sent back, being redone
    assert [r["step"] for r in wage["records"]].count("集中议事") == 2
    escalated = [s for s in shown.values() if any(h["action"] == "escalated" for h in s["history"])]
    assert escalated and any(s["status"] == "closed" for s in escalated)
    months = sorted({r["at"][:7] for s in shown.values() for r in s["records"]})
    rows = [row for m in months for row in json.loads(_yuqing(d, "scorecard", "--month", m, "--json"))]
    assert any(r["closed"] and r["satisfaction_rate"] == 1.0 and r["level"] >= 3 for r in rows)
    assert any(r["escalated"] for r in rows) and any(r["education_persons"] or r["practical_deeds"] for r in rows)
    default = json.loads(_yuqing(d, "scorecard", "--json"))
    assert default[0]["closed"] + default[0]["ratings"] >= 1
    ledger = d / "data" / "ledgers" / f"ledger-ALL-{months[-1]}.xlsx"
    ws = load_workbook(ledger)["工作台账"]
    assert ws.max_row >= 4 and any("干部问事" == c.value for c in ws[3])
    report = (d / "data" / "digests" / f"monthly-{months[-1]}-G.html").read_text(encoding="utf-8")
    assert "说事解事委员会工作情况与考核评价" in report and "开展职工思想教育" in report and "件次" in report


def test_demo_emails_are_real_messages_with_masked_phones(demo_run):
    d, _, _ = demo_run
    emls = sorted((d / "data" / "mail").glob("*.eml"))
    assert emls
    msgs = [BytesParser(policy=policy.default).parse(p.open("rb")) for p in emls]
    for m in msgs:
        assert m["Subject"] and m["To"]
        body = m.get_body(("plain",)).get_content()
        assert not __import__("re").search(r"1[3-9]\d{9}", body), "unmasked phone number in an alert e-mail"


def test_demo_rerun_adds_nothing(demo_run):
    d, s, _ = demo_run
    proc = subprocess.run([sys.executable, "-m", "yuqing", "demo", "--no-dashboard", "--dir", str(d)],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = json.loads(subprocess.run([sys.executable, "-m", "yuqing", "--config", str(d / "yuqing.toml"), "stats",
                                       "--json"], capture_output=True, text=True, timeout=120).stdout)
    assert again["posts"] == s["posts"]
    assert again["issues"] == s["issues"] and again["issues_open"] == s["issues_open"]
    assert "说事解事：已演示过，不再重复" in proc.stderr
    assert again["emails_sent"] == s["emails_sent"]


def test_demo_speaks_chinese_and_its_last_line_carries_the_store_figures(demo_run):
    import re

    from .chinese import english_lines

    _, s, proc = demo_run
    yuqing_lines = [ln for ln in proc.stderr.splitlines() if not re.match(r"\s|\S+Warning: ", ln)]  # not a library's warning
    assert english_lines(proc.stdout) == [] and english_lines("\n".join(yuqing_lines)) == []
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith(f"演示：帖子 {s['posts']} 条（") and f"已分析 {s['posts_analyzed']} 条" in last
    assert f"议题 {s['issues']} 个（未结 {s['issues_open']} 个），已发邮件 {s['emails_sent']} 封" in last
    assert "微信群 " in last  # the source kinds by their Chinese names
