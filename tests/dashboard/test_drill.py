"""Drill-down and export on the pages (AppTest): every chart's data and every list carries links
to the posts behind it, a click on a chart opens the search page with the bar's filters, the links
and the search page stay within the viewer's scope, and every list has its Excel download."""

from __future__ import annotations

import ast
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from yuqing.schema import TOPICS

from .fixture_store import M2_SECRET
from .test_app import _open, _texts

DASHBOARD = Path(__file__).parents[2] / "yuqing" / "dashboard"


def links_of(at) -> list[str]:
    out = []
    for df in at.dataframe:
        for col in ("链接", "议题"):
            if col in df.value.columns:
                out += [v for v in df.value[col] if v]
    return out


def params(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def download_labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_the_overviews_charts_and_alerts_link_to_their_posts(app_for):
    at = _open(app_for("jiance"), "views/overview.py")
    links = links_of(at)
    searches = [params(link) for link in links if link.startswith("search?")]
    topics = {p["topic"][0] for p in searches if "topic" in p}
    assert topics and topics <= set(TOPICS)  # the topic bars, one link each
    assert any(p.get("sentiment") == ["negative"] and "unit" in p for p in searches)  # the unit bars
    assert any(p.get("sentiment") == ["negative"] and "source" in p for p in searches)  # the source-kind bars
    assert any(p.get("until") == p.get("since") and "since" in p for p in searches)  # one day of the trend
    assert any(link.startswith("issues?issue=") for link in links)  # 未结议题: the matter …
    assert any(p.get("event") for p in searches)  # … and its event's posts
    assert all(p["since"] for p in searches if "event" not in p)  # the overview's period goes along
    labels = download_labels(at)
    assert labels.count("下载 Excel") >= 5  # every chart's data and the alert list
    assert "下载舆情简报（HTML）" in labels and "下载舆情简报（PDF）" in labels


def test_a_cadres_links_never_name_another_mine(app_for):
    at = _open(app_for("ganbu1"), "views/overview.py")
    units = {u for link in links_of(at) for u in params(link).get("unit", [])}
    assert units and units <= {"M1", "M1-ZC"}
    sources = {s for link in links_of(at) for s in params(link).get("source", [])}
    assert "src-b" not in sources


@pytest.mark.parametrize("page", ["views/topics.py", "views/issues.py", "views/scorecard.py", "views/sources.py"])
def test_every_list_page_links_and_exports(app_for, page):
    at = _open(app_for("jiance"), page)
    assert links_of(at), page
    assert "下载 Excel" in download_labels(at), page


def test_the_topic_page_links_words_weeks_and_events(app_for):
    at = _open(app_for("jiance"), "views/topics.py")
    searches = [params(link) for link in links_of(at)]
    assert any("q" in p and "since" in p and "until" in p for p in searches)  # a word of the cloud
    assert any("topic" in p and "until" in p for p in searches)  # a week's topic bar
    assert any(p.get("event") == ["ev-wages"] for p in searches)  # an event's posts


def test_a_click_on_a_chart_opens_the_search_page_with_its_filters(app_for):
    at = _open(app_for("jiance"), "views/overview.py")
    at.session_state["_drill_pending"] = "search?topic=wages"  # what a click on the 薪酬待遇 bar leaves
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["舆情检索"]
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["话题"]) == {TOPICS["wages"]}


def test_a_link_past_the_viewers_scope_shows_nothing_of_it(app_for):
    at = app_for("ganbu1")
    at.query_params["unit"] = "M2"  # 二矿, edited into the URL by a cadre of 一矿
    at.query_params["topic"] = "safety"
    at.run()
    at.switch_page("views/search.py").run()
    assert not at.exception, at.exception
    shown = _texts(at)
    assert M2_SECRET not in shown and "二矿" not in shown
    assert all(df.value.empty for df in at.dataframe[:1])


def test_sources_table_shows_health_next_to_the_name(app_for):
    at = _open(app_for("jiance"), "views/sources.py")
    assert list(at.dataframe[0].value.columns[:2]) == ["名称", "健康"]


def test_no_multiselect_offers_english_select_all():
    """Streamlit's multiselect adds an English "Select all" unless told not to: every one says so."""
    missing = []
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "multiselect":
                kw = {k.arg: k.value for k in node.keywords}
                if not (isinstance(kw.get("select_all"), ast.Constant) and kw["select_all"].value is False):
                    missing.append(f"{path.name}:{node.lineno}")
    assert missing == []
