"""Who may triage what, and the pure filters lists use."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from yuqing.auth import CurrentUser
from yuqing.errors import AccessDenied
from yuqing.schema import TRIAGE_MODES, TriageMark
from yuqing.triage import (
    check_triage,
    counts_text,
    filter_by_triage,
    hidden_issue_ids,
    may_triage,
    parse_triage_mode,
    shown,
)

AT = datetime(2026, 11, 2, tzinfo=timezone.utc)
MONITOR = CurrentUser("jiance", "monitor")
ADMIN = CurrentUser("admin", "admin")
CADRE = CurrentUser("ganbu1", "cadre", unit="M1", scope=frozenset({"M1", "M1-ZC"}))
VIEWER = CurrentUser("kan", "viewer", unit="M1", scope=frozenset({"M1", "M1-ZC"}))


def _mark(target: str, mark: str) -> TriageMark:
    return TriageMark("post", target, mark, "jiance", AT)


@pytest.mark.parametrize("user, unit, allowed", [
    (MONITOR, "M2", True), (ADMIN, "M2", True), (CADRE, "M1-ZC", True), (CADRE, "M1", True), (CADRE, "M2", False),
    (CADRE, "", False), (VIEWER, "M1", False)])
def test_monitors_and_admins_mark_anything_cadres_their_units_viewers_nothing(user, unit, allowed):
    assert may_triage(user, unit) is allowed
    if allowed:
        assert check_triage(user, unit, "handled", "  已回复  ") == "已回复"
    else:
        with pytest.raises(AccessDenied, match="本单位的工会干部"):
            check_triage(user, unit, "handled")


def test_unknown_marks_and_long_notes_are_refused():
    with pytest.raises(AccessDenied, match="未知的标注"):
        check_triage(MONITOR, "M1", "closed")
    with pytest.raises(AccessDenied, match="最多 500 字"):
        check_triage(MONITOR, "M1", "watch", "长" * 501)
    assert check_triage(MONITOR, "M1", "") == ""  # clearing a mark


def test_the_triage_url_parameter_defaults_to_hide_and_warns_on_nonsense():
    assert parse_triage_mode(None) == ("hide", "") and parse_triage_mode(" ") == ("hide", "")
    assert all(parse_triage_mode(m) == (m, "") for m in TRIAGE_MODES)
    mode, warning = parse_triage_mode("<b>x</b>")
    assert mode == "hide" and "triage" in warning and "hide / all / only-open" in warning


def test_filters_hide_handled_keep_watched_and_only_open_keeps_unmarked():
    items = [SimpleNamespace(post=SimpleNamespace(id=i)) for i in "abcde"]
    marks = {"a": _mark("a", "handled"), "b": _mark("b", "false_alarm"), "c": _mark("c", "ignored"),
             "d": _mark("d", "watch")}
    ids = lambda mode: [x.post.id for x in filter_by_triage(items, marks, mode)]  # noqa: E731
    assert ids("all") == list("abcde")
    assert ids("hide") == ["d", "e"]
    assert ids("only-open") == ["e"]
    assert shown(_mark("x", ""), "only-open") and shown(None, "hide")
    with pytest.raises(ValueError):
        filter_by_triage(items, marks, "some")


def test_counts_text_and_hidden_matters():
    assert counts_text({"post": {"watch": 2, "handled": 5}, "event": {}}) == "帖子 7 条（已处置 5、关注 2）"
    assert counts_text({"post": {}, "event": {}}) == "本期没有标注"
    issues = [SimpleNamespace(id=1, event_id="e1"), SimpleNamespace(id=2, event_id="e2"),
              SimpleNamespace(id=3, event_id="")]
    marks = {"e1": TriageMark("event", "e1", "false_alarm", "jiance", AT),
             "e2": TriageMark("event", "e2", "watch", "jiance", AT)}
    assert hidden_issue_ids(issues, marks) == {1}
