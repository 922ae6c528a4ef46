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
    assert again["issues"] == s["issues"]
    assert again["emails_sent"] == s["emails_sent"]
