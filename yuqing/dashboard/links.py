"""Links into the dashboard's pages: the drill-down from every chart, table row and alert to the
posts behind it. Pure: no Streamlit, no store.

:func:`search_link` writes the search page's URL in the query parameters the search page reads
(``yuqing.dashboard.search_params.parse_search_params``), so a view can be shared and bookmarked.
The link is *relative* (``search?…``): the pages live side by side under the app's root, so the
same link works behind a proxy's path prefix. Whatever a link carries, the search page filters
within the viewer's scope; a link never widens what someone may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from urllib.parse import parse_qs, quote, urlencode

#: The search page's URL path (``st.Page(..., url_path="search")``).
SEARCH_PATH = "search"
#: The issues page's URL path; ``?issue=ID`` opens one matter.
ISSUES_PATH = "issues"
#: The search page's query parameters, in the order a link writes them (the shared contract).
SEARCH_PARAMS = ("q", "unit", "source", "topic", "sentiment", "risk", "event", "author", "chat", "since", "until",
                 "sort", "page", "triage")
#: Parameters that may repeat (``unit=M1&unit=M1-Q1``).
MULTI = frozenset({"unit", "source"})
SENTIMENTS = frozenset({"positive", "neutral", "negative"})
SORTS = frozenset({"time", "heat"})
TRIAGE = frozenset({"hide", "all", "only-open"})


def _day(name: str, value) -> str:
    if isinstance(value, datetime):  # a UTC instant is not a local day: the caller converts first
        raise TypeError(f"{name}: pass a local date (date or YYYY-MM-DD), not a datetime")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    try:
        if date.fromisoformat(text).isoformat() == text:
            return text
    except ValueError:
        pass
    raise ValueError(f"{name}: {value!r} is not a YYYY-MM-DD date")


def _scalar(name: str, value) -> str:
    if name in ("since", "until"):
        return _day(name, value)
    if name == "risk":
        return "1" if value in (True, 1, "1") else ""
    if name == "page":
        n = int(value)
        if n < 1:
            raise ValueError(f"page: {value!r} (pages count from 1)")
        return "" if n == 1 else str(n)
    text = str(value).strip()
    allowed = {"sentiment": SENTIMENTS, "sort": SORTS, "triage": TRIAGE}.get(name)
    if allowed is not None and text and text not in allowed:
        raise ValueError(f"{name}: {text!r} is not one of {sorted(allowed)}")
    return text


def search_pairs(**filters) -> list[tuple[str, str]]:
    """The (name, value) pairs of a search link, in the contract's order; empty values left out,
    ``unit`` and ``source`` repeated for each value (order kept, duplicates dropped)."""
    unknown = set(filters) - set(SEARCH_PARAMS)
    if unknown:
        raise TypeError(f"unknown search parameter(s): {', '.join(sorted(unknown))}")
    pairs: list[tuple[str, str]] = []
    for name in SEARCH_PARAMS:
        value = filters.get(name)
        if value is None or value == "" or value is False:
            continue
        if name in MULTI and not isinstance(value, str) and isinstance(value, Iterable):
            values = [str(v).strip() for v in value]
            pairs += [(name, v) for v in dict.fromkeys(values) if v]
            continue
        if not isinstance(value, (str, int, date)):
            raise TypeError(f"{name}: one value expected, got {type(value).__name__}")
        text = _scalar(name, value)
        if text:
            pairs.append((name, text))
    return pairs


def search_link(**filters) -> str:
    """``search?q=…&unit=M1&unit=M1-Q1&since=2026-11-01`` — the search page showing the posts that
    match ``filters`` (names: :data:`SEARCH_PARAMS`; values URL-encoded)."""
    pairs = search_pairs(**filters)
    return SEARCH_PATH + ("?" + urlencode(pairs, quote_via=quote) if pairs else "")


def issue_link(issue_id: int) -> str:
    """The issues page opened on one matter (the form alert e-mails use, relative)."""
    return f"{ISSUES_PATH}?{urlencode({'issue': int(issue_id)})}"


def link_params(link: str) -> dict[str, list[str]]:
    """A link's query parameters as ``st.switch_page(..., query_params=…)`` takes them."""
    _, _, query = link.partition("?")
    return {k: v for k, v in parse_qs(query, keep_blank_values=False).items()}


def with_params(link: str, extra: Mapping[str, object]) -> str:
    """``link`` with more filters (``extra`` wins over the link's own values)."""
    current = link_params(link)
    merged = {k: (v if k in MULTI else v[0]) for k, v in current.items()}
    merged.update({k: v for k, v in extra.items()})
    return search_link(**merged)
