"""Links from a digest into the dashboard, so every figure leads to the posts or issues behind it. Pure."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode


def issue_url(base_url: str, issue_id: int | None) -> str:
    """The issue's page in the dashboard (the same form the alert e-mails use)."""
    return f"{base_url.rstrip('/')}/?issue={issue_id}"


def post_url(base_url: str, post_id: str) -> str:
    return f"{base_url.rstrip('/')}/search?{urlencode({'post': post_id})}"


def search_url(base_url: str, since: date, until: date, *, units: str = "", **filters: str) -> str:
    """A dashboard search for the posts of a figure: period (local dates, ``until`` exclusive here; the
    link carries the last day, the search page's dates being inclusive), unit scope and filters
    (``topic``, ``sentiment``, ``risk``, ``event``, ``q``, ``unit``, ``source_kind``)."""
    params = {"since": since.isoformat(), "until": (until - timedelta(days=1)).isoformat()}
    if units:
        params["scope"] = units
    params.update({k: v for k, v in filters.items() if v})
    return f"{base_url.rstrip('/')}/search?{urlencode(params)}"
