"""The search page's URL parameters (pure): every name of the shared contract read, bad values
named in a warning and ignored, and written back the same way."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

from yuqing.dashboard.safe_text import highlight_html
from yuqing.dashboard.search_params import CONTRACT_PARAMS, SearchFilters, parse_search_params, to_params


def test_every_contract_name_is_read():
    f = parse_search_params({
        "q": ["工资 拖欠"], "unit": ["M1", "M2"], "source": ["src-a", "src-b"], "topic": ["wages"],
        "sentiment": ["negative"], "risk": ["1"], "event": ["ev-1"], "author": ["wx-a"], "chat": ["src-a"],
        "since": ["2026-11-01"], "until": ["2026-11-30"], "sort": ["heat"], "page": ["3"], "triage": ["only-open"]})
    assert f == SearchFilters(q="工资 拖欠", units=("M1", "M2"), sources=("src-a", "src-b"), topics=("wages",),
                              sentiments=("negative",), risks=("high", "medium"), event="ev-1", author="wx-a",
                              chat="src-a", since=date(2026, 11, 1), until=date(2026, 11, 30), sort="heat", page=3,
                              triage="only-open")
    assert f.risky and not f.warnings
    assert set(to_params(f)) == set(CONTRACT_PARAMS)


def test_defaults_and_single_strings():
    f = parse_search_params({"q": "食堂", "issue": ["3"]})  # one string per name is accepted; issue= is not ours
    assert (f.q, f.sort, f.page, f.size, f.triage, f.units, f.risky) == ("食堂", "time", 1, 20, "hide", (), False)
    assert not f.warnings and to_params(f) == {"q": ["食堂"]}


def test_bad_values_warn_and_are_ignored():
    f = parse_search_params({"since": ["2026-13-45"], "until": ["昨天"], "topic": ["nonsense"], "sentiment": ["angry"],
                             "risk": ["extreme"], "sort": ["hot"], "page": ["0"], "triage": ["some"], "size": ["7"],
                             "q": ["x" * 300], "event": ["a", "b"]})
    assert f == SearchFilters(event="a")
    joined = " ".join(f.warnings)
    for part in ("2026-13-45", "昨天", "nonsense", "angry", "extreme", "hot", "page", "some", "size", "q", "event"):
        assert part in joined, part
    f = parse_search_params({"since": ["2026-11-16"], "until": ["2026-11-09"]})
    assert f.since is None and f.until is None and "截止日期" in f.warnings[0]
    for bad in ("2026-02-30", "1990-01-01", "2026-1-9", "2026-11-09T00:00"):
        assert parse_search_params({"since": [bad]}).since is None, bad


def test_same_day_range_and_older_links():
    f = parse_search_params({"since": ["2026-11-09"], "until": ["2026-11-09"], "scope": ["S1"],
                             "source_kind": ["forum"], "risk": ["high"], "post": ["p1"], "size": ["50"]})
    assert (f.since, f.until, f.scope, f.source_kinds, f.risks, f.post, f.size) == (
        date(2026, 11, 9), date(2026, 11, 9), "S1", ("forum",), ("high",), "p1", 50)
    assert not f.risky and not f.warnings


def test_round_trip_through_a_url():
    f = SearchFilters(q="欠薪 | \"夜班 饭菜\" -表扬 & =1", units=("M1", "M1-ZC"), sources=("s&1",), sort="heat", page=2,
                      size=100, since=date(2026, 1, 2), until=date(2026, 1, 31), risks=("high", "medium"))
    url = urlencode(to_params(f), doseq=True)
    assert parse_search_params(parse_qs(url)) == f


def test_highlight_html_escapes_every_piece_of_the_text():
    out = highlight_html('<img src=x onerror=alert(1)> 工资 [x](https://evil) :material/home: "工资"&', ["工资"])
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert out.count("<mark>工资</mark>") == 2 and "&quot;" in out and "&amp;" in out
    assert out.replace("<mark>", "").replace("</mark>", "").count("<") == 2  # the wrapper's two tags only
    assert "<a" not in out and "href" not in out
