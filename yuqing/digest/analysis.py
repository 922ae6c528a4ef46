"""The monthly report's written analysis: plain Chinese sentences filled from the figures.

Templated sentences driven only by the numbers (what rose, what fell, which units need
attention, how the issues went); each sentence carries the links to what it is based on. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Figures, share

#: A unit needs attention when its negative share is this many points above the whole scope's …
ATTENTION_MARGIN_POINTS = 10.0
#: … and it has at least this many posts in the period.
ATTENTION_MIN_POSTS = 10
#: A topic's change counts as a rise/fall when it moves by at least this many posts.
TOPIC_MIN_CHANGE = 3


@dataclass
class Sentence:
    text: str
    #: (label, url) pairs to the posts or issues behind the sentence.
    links: list[tuple[str, str]] = field(default_factory=list)


def _more_less(change: float, unit: str, prev_word: str, fmt: str = "{:.0f}") -> str:
    if abs(change) < 0.05:
        return f"与{prev_word}持平"
    word = "增加" if change > 0 else "减少"
    if unit == "个百分点":
        word = "上升" if change > 0 else "下降"
    return f"较{prev_word}{word} {fmt.format(abs(change))} {unit}"


def written_analysis(f: Figures) -> list[Sentence]:
    out: list[Sentence] = []
    this_word, prev_word = ("本周", "上周") if f.period.kind == "week" else ("本月", "上月")
    posts, neg_share = f.headline("posts"), f.headline("negative_share")
    hi = f.headline("high_risk")
    text = f"{this_word}共监测到职工发帖 {posts.value:.0f} 条，{_more_less(posts.change, '条', prev_word)}"
    if posts.previous:
        text += f"（{100 * posts.change / posts.previous:+.0f}%）"
    text += f"；负面占比 {neg_share.value:.1f}%，{_more_less(neg_share.change, '个百分点', prev_word, '{:.1f}')}"
    text += f"；高风险帖子 {hi.value:.0f} 条，{_more_less(hi.change, '条', prev_word)}。"
    out.append(Sentence(text, [("全部帖子", posts.link), ("负面帖子", neg_share.link), ("高风险帖子", hi.link)]))

    moves = sorted(((t.total - t.prev_total, t) for t in f.topics), key=lambda m: m[0])
    rising = [(d, t) for d, t in reversed(moves) if d >= TOPIC_MIN_CHANGE]
    falling = [(d, t) for d, t in moves if d <= -TOPIC_MIN_CHANGE]
    if rising:
        parts = [f"「{t.label}」{t.prev_total}→{t.total} 条" for _, t in rising[:3]]
        out.append(Sentence("讨论上升的话题：" + "，".join(parts) + "。", [(t.label, t.link) for _, t in rising[:3]]))
    if falling:
        parts = [f"「{t.label}」{t.prev_total}→{t.total} 条" for _, t in falling[:3]]
        out.append(Sentence("讨论减少的话题：" + "，".join(parts) + "。", [(t.label, t.link) for _, t in falling[:3]]))
    if f.hot_issues and f.hot_issues[0].negative:
        h = f.hot_issues[0]
        out.append(Sentence(f"负面帖子最多的是议题 #{h.issue.id}「{h.issue.title}」（{this_word} {h.posts} 条，其中负面 {h.negative} 条），"
                            f"目前处于「{h.issue.step}」{'，已逾期' if h.issue.overdue else ''}。",
                            [(f"议题 #{h.issue.id}", h.issue.link)]))
    if f.events and f.events[0].negative:
        e = f.events[0]
        out.append(Sentence(f"尚未立议题的事件中负面帖子最多的是「{e.label}」（{e.posts} 条，其中负面 {e.negative} 条）。",
                            [("事件帖子", e.link)]))

    total = sum(u.total for u in f.units)
    overall = share(sum(u.negative for u in f.units), total)
    attention = [u for u in f.units if u.code  # posts of sources not assigned to a unit yet are no unit's
                 and u.total >= ATTENTION_MIN_POSTS and u.negative_share >= overall + ATTENTION_MARGIN_POINTS]
    if attention:
        parts = [f"{u.name}（负面 {u.negative}/{u.total} 条，{u.negative_share:.0f}%）" for u in attention[:4]]
        out.append(Sentence(f"需要关注的单位：负面占比明显高于总体（{overall:.0f}%）的有" + "、".join(parts) + "。",
                            [(u.name, u.negative_link) for u in attention[:4]]))
    elif f.units:
        out.append(Sentence(f"各单位负面占比均未明显高于总体水平（{overall:.0f}%）。"))

    iss = f.issues
    text = f"{this_word}新立议题 {len(iss.raised)} 件、办结 {len(iss.resolved)} 件，期末逾期未办结 {len(iss.overdue)} 件"
    if iss.overdue_by_unit:
        text += "，逾期集中在" + "、".join(f"{u}（{n} 件）" for u, n, _ in iss.overdue_by_unit[:3])
    lk = [(f"议题 #{i.id}", i.link) for i in iss.overdue[:6]]
    out.append(Sentence(text + "。", lk))
    cw = f.casework
    if cw is not None:
        t = cw.total
        text = f"{this_word}说事解事委员会{cw.figures_text}"
        if t.closed:
            text += f"；办结 {t.closed} 件，按期办结率 {100 * t.closed_on_time_rate:.0f}%"
        if t.ratings:
            text += f"，职工评议满意率 {100 * t.satisfaction_rate:.0f}%（{t.ratings} 次评议）"
        if t.escalated:
            text += f"；逾期上报 {t.escalated} 次"
        out.append(Sentence(text + "。", [("说事解事与考核", "#casework")]))
    if iss.methods:
        m, n, _ = iss.methods[0]
        out.append(Sentence(f"使用最多的工作方法是「{m}」（{n} 件）。"))
    if f.emerging_terms:
        out.append(Sentence(f"{this_word}新出现的热词：" + "、".join(f"「{t.term}」（{t.posts} 条）" for t in f.emerging_terms[:5]) + "。",
                            [(t.term, t.link) for t in f.emerging_terms[:5]]))
    return out
