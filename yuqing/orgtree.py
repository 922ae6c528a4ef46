"""The union's organisation tree: group → subsidiaries → third-level units → 区科/workshops.

Pure functions over a list of :class:`~yuqing.schema.Unit`; used for routing issues to the
responsible unit, escalating to the parent, and scoping a cadre to their subtree.
"""

from __future__ import annotations

from collections.abc import Iterable

from .schema import Unit


class OrgTree:
    def __init__(self, units: Iterable[Unit]):
        self.units: dict[str, Unit] = {u.code: u for u in units}
        self._children: dict[str, list[str]] = {}
        for u in self.units.values():
            self._children.setdefault(u.parent, []).append(u.code)

    def __contains__(self, code: str) -> bool:
        return code in self.units

    def name(self, code: str) -> str:
        u = self.units.get(code)
        return u.name if u else (code or "未分配")

    def parent(self, code: str) -> str:
        u = self.units.get(code)
        return u.parent if u else ""

    def children(self, code: str) -> list[str]:
        return list(self._children.get(code, []))

    def roots(self) -> list[str]:
        return [c for c, u in self.units.items() if not u.parent]

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent … up to the root (not including ``code``)."""
        out: list[str] = []
        seen = {code}
        cur = self.parent(code)
        while cur and cur not in seen:
            out.append(cur)
            seen.add(cur)
            cur = self.parent(cur)
        return out

    def subtree(self, code: str) -> set[str]:
        """``code`` and every unit below it."""
        out: set[str] = set()
        stack = [code]
        while stack:
            c = stack.pop()
            if c in out:
                continue
            out.add(c)
            stack.extend(self._children.get(c, []))
        return out

    def path_name(self, code: str) -> str:
        """"集团 / 子公司 / 矿 / 区科" for display."""
        chain = [code, *self.ancestors(code)][::-1]
        return " / ".join(self.name(c) for c in chain if c)
