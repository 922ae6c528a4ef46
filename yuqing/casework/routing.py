"""Which union unit an issue goes to. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..orgtree import OrgTree

#: A unit counts as "involved" when it holds at least this share of the posts.
INVOLVED_SHARE = 0.2


def lowest_common_ancestor(tree: OrgTree, codes: Iterable[str]) -> str:
    codes = [c for c in codes if c]
    if not codes:
        return ""
    chains = [[c, *tree.ancestors(c)] for c in codes]
    common = set(chains[0]).intersection(*map(set, chains[1:]))
    for c in chains[0]:  # nearest first
        if c in common:
            return c
    return ""


def route(post_units: Iterable[str], tree: OrgTree) -> str:
    """The posts' dominant unit; when several sibling units are involved (each ≥ 20 % of the
    posts), their lowest common ancestor, which can coordinate them."""
    counts = Counter(u for u in post_units if u)
    if not counts:
        return ""
    total = sum(counts.values())
    involved = [u for u, n in counts.most_common() if n / total >= INVOLVED_SHARE and n >= 2]
    if len(involved) >= 2:
        lca = lowest_common_ancestor(tree, involved)
        if lca:
            return lca
    return counts.most_common(1)[0][0]


def escalation_target(unit: str, tree: OrgTree) -> str:
    """Where an overdue issue goes: the parent unit (or the unit itself at the top)."""
    return tree.parent(unit) or unit
