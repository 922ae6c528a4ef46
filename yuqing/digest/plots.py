"""The digest's charts as PNG bytes (matplotlib, Agg, a real CJK font). One function per chart,
each taking plain figures; no store access."""

from __future__ import annotations

import io
from collections.abc import Sequence

from .fonts import find_cjk_font
from .model import DayRow, TopicRow, UnitRow

NEG = "#c0392b"
BASE = "#2e6da4"
PREV = "#b8c7d9"
DPI = 110


def _figure(width: float, height: float):
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    font = find_cjk_font()
    fig = Figure(figsize=(width, height), dpi=DPI)
    prop = font_manager.FontProperties(fname=font.path)
    return fig, prop


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _style(ax, prop, title: str) -> None:
    ax.set_title(title, fontproperties=prop, fontsize=12)
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontproperties(prop)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if ax.get_xlim()[1] > ax.get_ylim()[1] else "y", alpha=0.3)


def text_png(text: str, size: float = 20) -> bytes:
    """A label alone (used to check that Chinese renders as glyphs, not boxes)."""
    fig, prop = _figure(3, 0.8)
    fig.text(0.02, 0.3, text, fontproperties=prop, fontsize=size)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def volume_chart(days: Sequence[DayRow], title: str) -> bytes:
    """Posts per day (bars) with the negative ones (darker)."""
    fig, prop = _figure(7, 2.8)
    ax = fig.add_subplot()
    labels = [d.day[5:] for d in days]
    ax.bar(labels, [d.total for d in days], color=BASE, label="全部")
    ax.bar(labels, [d.negative for d in days], color=NEG, label="负面")
    if len(days) > 10:
        ax.set_xticks(range(0, len(days), 3), labels[::3])
    ax.legend(prop=prop, frameon=False)
    _style(ax, prop, title)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def topic_chart(topics: Sequence[TopicRow], title: str) -> bytes:
    """Posts per top topic: this period against the previous one, negative part marked."""
    fig, prop = _figure(7, 0.45 * max(len(topics), 2) + 1)
    ax = fig.add_subplot()
    names = [t.label for t in topics][::-1]
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], [t.prev_total for t in topics][::-1], height=0.4, color=PREV, label="上期")
    ax.barh([i - 0.2 for i in y], [t.total for t in topics][::-1], height=0.4, color=BASE, label="本期")
    ax.barh([i - 0.2 for i in y], [t.negative for t in topics][::-1], height=0.4, color=NEG, label="本期负面")
    ax.set_yticks(list(y), names)
    ax.legend(prop=prop, frameon=False, loc="lower right")
    _style(ax, prop, title)
    return _png(fig)


def unit_chart(units: Sequence[UnitRow], title: str) -> bytes:
    """Negative share per unit, this period against the previous one."""
    fig, prop = _figure(7, 0.45 * max(len(units), 2) + 1)
    ax = fig.add_subplot()
    names = [u.name for u in units][::-1]
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], [u.prev_negative_share for u in units][::-1], height=0.4, color=PREV, label="上期")
    ax.barh([i - 0.2 for i in y], [u.negative_share for u in units][::-1], height=0.4, color=NEG, label="本期")
    ax.set_yticks(list(y), names)
    ax.set_xlabel("负面占比（%）", fontproperties=prop)
    ax.legend(prop=prop, frameon=False, loc="lower right")
    _style(ax, prop, title)
    return _png(fig)


def count_chart(rows: Sequence[tuple[str, int]], title: str, color: str = BASE) -> bytes:
    """Horizontal bars of (label, count) — issue steps, methods used."""
    fig, prop = _figure(7, 0.4 * max(len(rows), 2) + 1)
    ax = fig.add_subplot()
    names = [r[0] for r in rows][::-1]
    ax.barh(names, [r[1] for r in rows][::-1], color=color)
    ax.xaxis.get_major_locator().set_params(integer=True)
    _style(ax, prop, title)
    return _png(fig)


def trend_chart(days: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str) -> bytes:
    """One line per series over the period's days (an event's posts, a unit's negative posts)."""
    fig, prop = _figure(7, 2.8)
    ax = fig.add_subplot()
    labels = [d[5:] for d in days]
    for name, values in series:
        ax.plot(labels, list(values), marker="o", markersize=3, label=name[:16])
    if len(days) > 10:
        ax.set_xticks(range(0, len(days), 3), labels[::3])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(prop=prop, frameon=False, fontsize=8)
    _style(ax, prop, title)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)
