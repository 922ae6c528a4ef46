"""No spelling of a phone, ID or card number is readable by a cadre on any dashboard page: search
cards and tables, event labels and keywords, the word cloud's terms."""

from __future__ import annotations

import pytest

from yuqing.pii import readable_numbers

from .fixture_store import PII_SPELLINGS
from .test_app import PAGES, _cards, _open, _texts

DIGITS = [d for d, _ in PII_SPELLINGS]


@pytest.mark.parametrize("page", PAGES)
def test_a_cadre_reads_no_number_on_any_page(app_for, page):
    at = _open(app_for("ganbu1"), page)
    if page == "views/search.py":
        at.text_input(key="search_text").input("号码").run()
        assert not at.exception
        assert sum("号码" in t for t in _cards(at)) >= 20  # the cards are there …
    shown = _texts(at) + "\n".join(str(o) for ms in at.multiselect for o in ms.options)
    assert readable_numbers(shown, DIGITS) == []  # … and show no number


def test_the_topics_page_keywords_and_event_label_are_masked(app_for):
    at = _open(app_for("ganbu1"), "views/topics.py")
    at.selectbox(key="topics_event_pick").set_value("ev-pii").run()
    assert not at.exception
    keywords = next(m.value for m in at.markdown if m.value.startswith("关键词"))
    assert "\\*\\*\\*\\*" in keywords and readable_numbers(keywords, DIGITS) == []


def test_a_monitor_sees_the_numbers(app_for):
    at = _open(app_for("jiance"), "views/search.py")
    at.text_input(key="search_text").input("号码").run()
    assert readable_numbers("\n".join(_cards(at)), DIGITS)
