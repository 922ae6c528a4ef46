"""Links from a 专题 to the search page (``/search``) carrying its filters in the shared URL
parameters (q, unit, source, since, until). Pure."""

from __future__ import annotations

from datetime import date

from ..schema import Subject
from .links import search_link


def subject_search_link(subject: Subject, since: date | str | None = None, until: date | str | None = None,
                        **more) -> str:
    """The search page with the 专题's keywords, units and sources (and the period, local dates, and
    any ``more`` of the shared parameters, e.g. one day's negative posts)."""
    return search_link(q=subject.query, unit=list(subject.units), source=list(subject.sources), since=since,
                       until=until, **more)
