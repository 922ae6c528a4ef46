"""Who receives an alert: configured recipients of the issue's unit and of every unit above it
(a recipient with no unit receives every unit's alerts). Pure."""

from __future__ import annotations

from collections.abc import Iterable

from ..orgtree import OrgTree
from ..schema import SEVERITIES, Recipient, severity_rank


def recipients_for(unit: str, severity: str, recipients: Iterable[Recipient], tree: OrgTree) -> list[str]:
    """E-mail addresses for an issue of ``severity`` routed to ``unit`` (walks up the tree; a
    recipient entry applies when the severity reaches its ``min_severity``)."""
    chain = {unit, *tree.ancestors(unit)} if unit else set()
    level = SEVERITIES.index(severity)
    out: list[str] = []
    for r in recipients:
        if (r.unit in chain or not r.unit) and level >= severity_rank(r.min_severity):
            out.extend(e for e in r.emails if e not in out)
    return out
