"""The drill-down links: the search page's URL in the shared contract's parameters (pure)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest

from yuqing.dashboard.links import SEARCH_PARAMS, issue_link, link_params, search_link, search_pairs, with_params


def pairs(link: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(link).query, keep_blank_values=True)


def test_a_link_is_relative_to_the_search_page_and_carries_every_contract_name():
    link = search_link(q="工资 拖欠", unit=["M1", "M1-ZC"], source=["src-a"], topic="wages", sentiment="negative",
                       risk=1, event="ev-1", author="张三", chat="src-a", since=date(2026, 11, 1),
                       until=date(2026, 11, 9), sort="heat", page=3, triage="all")
    assert link.startswith("search?") and "://" not in link and not link.startswith("/")
    assert pairs(link) == [("q", "工资 拖欠"), ("unit", "M1"), ("unit", "M1-ZC"), ("source", "src-a"), ("topic", "wages"),
                           ("sentiment", "negative"), ("risk", "1"), ("event", "ev-1"), ("author", "张三"),
                           ("chat", "src-a"), ("since", "2026-11-01"), ("until", "2026-11-09"), ("sort", "heat"),
                           ("page", "3"), ("triage", "all")]
    assert list(dict.fromkeys(k for k, _ in pairs(link))) == list(SEARCH_PARAMS)  # every name, contract order


def test_values_are_url_encoded():
    link = search_link(q="a&b=c #工资 100%", author="x+y/z")
    raw = urlsplit(link).query
    assert "&b=" not in raw and "#" not in raw and " " not in raw and "author=x%2By%2Fz" in raw
    assert dict(pairs(link)) == {"q": "a&b=c #工资 100%", "author": "x+y/z"}


def test_empty_values_are_left_out_and_no_filter_is_the_bare_page():
    assert search_link() == "search"
    assert search_link(q="", unit=[], source=None, risk=0, page=1, topic="  ") == "search"


def test_repeated_units_keep_order_and_drop_duplicates():
    assert pairs(search_link(unit=["M2", "M1", "M2", ""])) == [("unit", "M2"), ("unit", "M1")]
    assert pairs(search_link(unit="M1")) == [("unit", "M1")]


@pytest.mark.parametrize("bad", [{"sentiment": "angry"}, {"sort": "random"}, {"triage": "none"}, {"page": 0},
                                 {"since": "2026-13-01"}, {"until": "11/09/2026"}])
def test_values_outside_the_contract_are_refused(bad):
    with pytest.raises(ValueError):
        search_link(**bad)


def test_unknown_names_and_lists_for_single_values_are_refused():
    with pytest.raises(TypeError):
        search_link(scope="M1")  # not a contract name
    with pytest.raises(TypeError):
        search_link(topic=["wages", "safety"])  # topic does not repeat


def test_a_utc_instant_is_not_taken_for_a_local_day():
    with pytest.raises(TypeError):
        search_link(since=datetime(2026, 11, 1, 20, tzinfo=timezone.utc))
    assert dict(pairs(search_link(since="2026-11-02"))) == {"since": "2026-11-02"}


def test_link_params_round_trip_for_switch_page():
    link = search_link(unit=["M1", "M1-ZC"], topic="wages", since=date(2026, 11, 1))
    assert link_params(link) == {"unit": ["M1", "M1-ZC"], "topic": ["wages"], "since": ["2026-11-01"]}
    assert search_link(**{k: (v if k == "unit" else v[0]) for k, v in link_params(link).items()}) == link


def test_with_params_overrides_and_keeps_the_rest():
    base = search_link(unit=["M1"], topic="wages", since=date(2026, 11, 1))
    assert dict(search_pairs(**{k: v[0] for k, v in link_params(with_params(base, {"topic": "safety"})).items()})) == \
        {"unit": "M1", "topic": "safety", "since": "2026-11-01"}


def test_issue_link():
    assert issue_link(12) == "issues?issue=12"
    with pytest.raises(ValueError):
        issue_link("1; drop")
