"""Triage of posts and matters (events): who may mark what, and the pure filters lists use. No IO.

Who may triage (issue #16's decision): monitors and admins mark any post or event; a cadre marks
posts and events of units in their scope (their unit's subtree) — an event belongs to the unit it
started in (``Event.unit``), so a cadre cannot mark a matter another unit leads; viewers mark
nothing. Every mark is kept with who and when in the store's triage history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from .auth import CurrentUser
from .errors import AccessDenied
from .schema import TRIAGE_HIDDEN, TRIAGE_MARKS, TRIAGE_MODE_LABELS, TRIAGE_MODES, TriageMark

T = TypeVar("T")

#: The longest note kept with a mark.
NOTE_MAX = 500


def may_triage(user: CurrentUser, unit: str) -> bool:
    """Whether ``user`` may mark a post or event of ``unit``."""
    if user.role in ("admin", "monitor"):
        return True
    if user.role == "cadre":
        return user.scope is not None and unit in user.scope
    return False


def check_triage(user: CurrentUser, unit: str, mark: str, note: str = "") -> str:
    """The note to store (trimmed); :class:`AccessDenied` (Chinese) when ``user`` may not set ``mark``
    on something of ``unit`` or the mark is unknown."""
    if mark and mark not in TRIAGE_MARKS:
        raise AccessDenied(f"未知的标注「{mark}」：应为 {'、'.join(TRIAGE_MARKS.values())} 之一")
    if not may_triage(user, unit):
        raise AccessDenied("只有舆情监测员、管理员和本单位的工会干部可以标注")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise AccessDenied(f"说明最多 {NOTE_MAX} 字")
    return note


def parse_triage_mode(raw: str | None) -> tuple[str, str]:
    """The ``triage`` URL parameter as a mode (default ``hide``) and a warning (Chinese) when it was
    not one of :data:`~yuqing.schema.TRIAGE_MODES`."""
    value = (raw or "").strip()
    if not value:
        return "hide", ""
    if value in TRIAGE_MODES:
        return value, ""
    return "hide", f"链接参数 triage 的值「{value[:20]}」无效（应为 {' / '.join(TRIAGE_MODES)}），按默认隐藏已处置的帖子。"


def shown(mark: TriageMark | None, mode: str) -> bool:
    """Whether an item with ``mark`` is listed under ``mode``."""
    if mode == "all":
        return True
    if mode == "only-open":
        return mark is None or not mark.mark
    return mark is None or mark.mark not in TRIAGE_HIDDEN


def filter_by_triage(items: Sequence[T], marks: Mapping[str, TriageMark], mode: str,
                     key=lambda item: item.post.id) -> list[T]:
    """``items`` (posts by default, keyed by post id) that ``mode`` lists, in their order — for lists
    already in memory; a store query filters with ``PostQuery.triage`` instead (counts and pages stay right)."""
    if mode not in TRIAGE_MODES:
        raise ValueError(f"unknown triage mode {mode!r}")
    return [item for item in items if shown(marks.get(key(item)), mode)]


def mode_label(mode: str) -> str:
    return TRIAGE_MODE_LABELS.get(mode, mode)


def describe(mark: TriageMark, people: Mapping[str, str] | None = None, tz=None) -> str:
    """「已处置 · 监测员 · 2026-11-09 14:05 · 说明」 for a card or a history table."""
    who = (people or {}).get(mark.actor, mark.actor)
    when = mark.at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if mark.at and tz else ""
    return " · ".join(x for x in (mark.label if mark.mark else "取消标注", who, when, mark.note) if x)


def counts_text(counts: Mapping[str, Mapping[str, int]]) -> str:
    """「帖子 12 条（已处置 5、误报 3、忽略 2、关注 2），事件 3 个（已处置 2、关注 1）」; 「本期没有标注」 when none."""
    parts = []
    for kind, noun, unit in (("post", "帖子", "条"), ("event", "事件", "个")):
        row = counts.get(kind, {})
        total = sum(row.values())
        if total:
            detail = "、".join(f"{TRIAGE_MARKS[m]} {row[m]}" for m in TRIAGE_MARKS if row.get(m))
            parts.append(f"{noun} {total} {unit}（{detail}）")
    return "，".join(parts) if parts else "本期没有标注"


def hidden_issue_ids(issues: Iterable, event_marks: Mapping[str, TriageMark]) -> set[int]:
    """Issues whose matter (event) is marked 已处置/误报/忽略: left out of the overview's list by default."""
    return {i.id for i in issues if i.event_id and i.event_id in event_marks and event_marks[i.event_id].hidden}
