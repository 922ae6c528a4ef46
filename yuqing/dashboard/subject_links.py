"""Links from a 专题 to the search page (``/search``) carrying its filters in the shared URL
parameters (q, unit, source, since, until, triage). Pure.

``search_link`` is a temporary local copy of helper C's ``yuqing.dashboard.links.search_link``
(relative URL "search?…", values URL-encoded, multi-valued keys repeated): the lead replaces it
with that one on merge.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from ..schema import Subject


def search_link(**filters) -> str:
    """``search?q=…&unit=M1&unit=M2``: empty values left out, lists repeated, in the given order."""
    pairs: list[tuple[str, str]] = []
    for key, value in filters.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs += [(key, str(v)) for v in values if v not in (None, "")]
    return "search" + ("?" + urlencode(pairs) if pairs else "")


def subject_search_link(subject: Subject, since: date | None = None, until: date | None = None) -> str:
    """The search page with the 专题's keywords, units and sources (and the period, local dates)."""
    return search_link(q=subject.query, unit=list(subject.units), source=list(subject.sources),
                       since=since.isoformat() if since else None, until=until.isoformat() if until else None)
