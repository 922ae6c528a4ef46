"""Which union unit an issue goes to. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..orgtree import OrgTree

#: A unit counts as "involved" when it holds at least this share of the posts.
INVOLVED_SHARE = 0.15
#: Units this high in the tree (group, subsidiaries) run broadcast channels — official accounts,
#: forums; when lower units are involved too, the matter belongs down there.
BROADCAST_DEPTH = 2
#: … and when at least this share of the posts comes from below them.
DEEP_SHARE = 0.1


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


def root_unit(tree: OrgTree) -> str:
    """The top of the organisation (the group's union); "" when no units are configured."""
    roots = sorted(tree.roots(), key=lambda c: (tree.units[c].level, c))
    return roots[0] if roots else ""


def route(post_units: Iterable[str], tree: OrgTree) -> str:
    """The posts' dominant unit; when several sibling units are involved (each ≥ 15 % of the
    posts), their lowest common ancestor, which can coordinate them. A matter none of whose posts
    has a unit (a chat not assigned yet) goes to the root unit, so it always reaches someone.

    The group's and subsidiaries' channels (official accounts, forums) talk about everybody's
    matters: when enough posts come from the units below, only those decide where it goes."""
    counts = Counter(u for u in post_units if u)
    if not counts:
        return root_unit(tree)
    deep = Counter({u: n for u, n in counts.items() if len(tree.ancestors(u)) >= BROADCAST_DEPTH})
    if sum(deep.values()) >= max(2, DEEP_SHARE * sum(counts.values())):
        counts = deep
    total = sum(counts.values())
    involved = [u for u, n in counts.most_common() if n / total >= INVOLVED_SHARE and n >= 2]
    above = {a for u in involved for a in tree.ancestors(u)}  # a broadcast unit above another one
    involved = [u for u in involved if not (u in above and len(tree.ancestors(u)) < BROADCAST_DEPTH)]
    if len(involved) == 1:
        return involved[0]
    if len(involved) >= 2:
        lca = lowest_common_ancestor(tree, involved)
        if lca:
            return lca
    return counts.most_common(1)[0][0]


def unassigned_sources(posts) -> list[str]:
    """The sources (ids) of posts that have no unit: chats nobody assigned yet."""
    return sorted({sp.post.source_id for sp in posts if not sp.unit})


def related_units(a: str, b: str, tree: OrgTree) -> bool:
    """One unit is the other or above it (an unknown unit is related to every unit)."""
    return not a or not b or a == b or a in tree.ancestors(b) or b in tree.ancestors(a)


def escalation_target(unit: str, tree: OrgTree) -> str:
    """Where an overdue issue goes: the parent unit (or the unit itself at the top)."""
    return tree.parent(unit) or unit
