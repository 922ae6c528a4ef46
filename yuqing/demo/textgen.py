"""Turning pool sentences into chat-like text: slot filling and light, seeded perturbation."""

from __future__ import annotations

import random
import string
from collections.abc import Mapping, Sequence

EMOJI = (
    "[流泪]", "[捂脸]", "[强]", "[微笑]", "[抓狂]", "[愤怒]", "[叹气]", "[发呆]", "[呲牙]",
    "[偷笑]", "[抱拳]", "[OK]", "[撇嘴]", "[难过]", "[衰]", "[擦汗]",
)
ANGRY_EMOJI = ("[抓狂]", "[愤怒]", "[流泪]", "[叹气]", "[衰]", "[发怒]", "[难过]")
HAPPY_EMOJI = ("[强]", "[呲牙]", "[抱拳]", "[玫瑰]", "[鼓掌]", "[OK]", "[偷笑]")

#: Colloquial swaps, dialect words and common typos (applied rarely, one at a time).
SWAPS = (
    ("什么", "啥"), ("怎么", "咋"), ("的", "滴"), ("已经", "以经"), ("没有", "木有"),
    ("知道", "知到"), ("我们", "俺们"), ("昨天", "夜儿个"), ("明天", "明儿"), ("不知道", "不晓得"),
    ("这样", "这样子"), ("一下", "一哈"), ("干什么", "做甚"), ("厉害", "利害"), ("觉得", "觉的"),
    ("在", "再"), ("吗", "嘛"), ("吧", "叭"), ("真的", "真滴"), ("管", "管球"),
)
WEEKDAYS = "一二三四五六日"

DEFAULT_SLOTS: dict[str, Sequence[str]] = {
    "n": [str(i) for i in range(3, 16)],
    "k": ("两", "三", "四", "五", "六"),
    "fine": ("50", "100", "200", "300", "500"),
    "tons": ("3200", "3850", "4100", "4600", "5020"),
    "money": ("五百", "八百", "一千", "一千五", "两千"),
    "months": ("两", "三"),
    "price": ("12", "13", "15", "16", "18"),
    "price2": ("18", "20", "22"),
    "date": ("15号", "18号", "20号", "25号"),
    "who": ("老王", "老李", "张师傅", "大刘", "小赵", "建军", "老郭", "二虎"),
    "who2": ("老孙", "小马", "杨师傅", "大周", "海军"),
    "team": ("掘进二队", "综采一队", "机电科", "运输区"),
    "mine": ("东峪矿", "北岭矿", "青石沟矿"),
    "dish": ("土豆丝", "红烧肉", "烩菜", "面条", "回锅肉"),
}


def phone_number(rng: random.Random) -> str:
    """An invented mainland mobile number, written the ways people type them."""
    prefix = rng.choice(("139", "138", "137", "135", "158", "186", "152", "177", "188"))
    rest = "".join(rng.choices(string.digits, k=8))
    style = rng.random()
    if style < 0.6:
        return prefix + rest
    if style < 0.85:
        return f"{prefix} {rest[:4]} {rest[4:]}"
    return f"{prefix}-{rest[:4]}-{rest[4:]}"


def fill(template: str, rng: random.Random, slots: Mapping[str, Sequence[str] | str] | None = None) -> str:
    """Fill ``{slot}`` fields; ``slots`` values are fixed strings or choices."""
    merged: dict[str, Sequence[str] | str] = dict(DEFAULT_SLOTS)
    if slots:
        merged.update(slots)
    values: dict[str, str] = {}
    for name in _fields(template):
        if name == "phone":
            values[name] = phone_number(rng)
        elif name == "wd":
            values[name] = rng.choice(WEEKDAYS[:5])
        else:
            choice = merged.get(name, "")
            values[name] = choice if isinstance(choice, str) else rng.choice(list(choice))
    return template.format(**values)


def _fields(template: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


def perturb(text: str, rng: random.Random, *, mood: str = "neutral", rate: float = 1.0) -> str:
    """Light, human-looking noise: a dialect swap, 。。。, a trailing emoji, dropped punctuation."""
    if rng.random() < 0.12 * rate:
        for old, new in rng.sample(SWAPS, 3):
            if old in text:
                text = text.replace(old, new, 1)
                break
    if rng.random() < 0.10 * rate:
        text = text.rstrip("。，！？!?") + rng.choice(("。。。", "...", "！！", "？？", "啊", "哎"))
    if rng.random() < 0.15 * rate:
        text = text.replace("，", " ", 1)
    emoji_p = {"angry": 0.30, "happy": 0.25}.get(mood, 0.10) * rate
    if rng.random() < emoji_p and not text.endswith("]"):
        pool = {"angry": ANGRY_EMOJI, "happy": HAPPY_EMOJI}.get(mood, EMOJI)
        text += rng.choice(pool) * rng.choice((1, 1, 2))
    return text


def repost_variant(text: str, rng: random.Random) -> str:
    """The same long complaint, pasted again with small edits."""
    edits = [
        lambda t: "转：" + t,
        lambda t: t + "（请转发）",
        lambda t: t.replace("！", "!!"),
        lambda t: t.replace("，", ","),
        lambda t: "兄弟们看看，" + t,
        lambda t: t + rng.choice(ANGRY_EMOJI),
        lambda t: t.replace("。", "。。"),
        lambda t: t.rstrip("！!。"),
    ]
    wanted, done = rng.randint(1, 2), 0
    for edit in rng.sample(edits, len(edits)):
        edited = edit(text)
        if edited != text:
            text, done = edited, done + 1
        if done == wanted:
            break
    return text
