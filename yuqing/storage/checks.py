"""One line of `yuqing doctor`'s report (shared by the SQLite and Elasticsearch checks)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    ok: bool
    what: str
    detail: str = ""
    #: Not a failure, but something to act on (shown with "!"; the doctor still exits 0).
    warn: bool = False
