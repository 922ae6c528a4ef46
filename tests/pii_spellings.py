"""Spellings of phone, ID and bank-card numbers as people type them, generated (seeded) for
property-style tests of every output path. ``spellings(n)`` gives ``(digits, spelled)`` pairs; a
path passes when :func:`yuqing.pii.readable_numbers` finds none of the ``digits`` in what it shows.
"""

from __future__ import annotations

import random

SEPARATORS = [" ", "-", ".", "－", "—", "_", "/", "·", "  ", " - ", "——", "\u3000", "．"]
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
AREAS = ["110105", "140202", "142401", "410105", "370102", "140427", "610113"]
#: The spellings the issue names, verbatim (digits, spelled).
NAMED = [
    ("13812345678", "008613812345678"),
    ("13812345678", "138.1234.5678"),
    ("13812345678", "138－1234－5678"),
    ("11010519491231002X", "110105 19491231 002X"),
    ("410105491231002", "410105491231002"),
    ("6222021234567890123", "6222 0212 3456 7890 123"),
]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_check(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, _WEIGHTS)) % 11]


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def id18(rng: random.Random) -> str:
    body = rng.choice(AREAS) + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + \
        f"{rng.randint(0, 999):03d}"
    return body + _id_check(body)


def id15(rng: random.Random) -> str:
    return rng.choice(AREAS) + f"{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + \
        f"{rng.randint(0, 999):03d}"


def card(rng: random.Random) -> str:
    n = rng.randint(16, 19)
    return "62" + "".join(rng.choice("0123456789") for _ in range(n - 2))


def grouped(digits: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for size in sizes:
        out.append(digits[i:i + size])
        i += size
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(x for x in out if x)


def random_groups(rng: random.Random, n: int) -> list[int]:
    sizes = []
    while sum(sizes) < n:
        sizes.append(rng.randint(2, 6))
    return sizes


def spell(rng: random.Random, kind: str, digits: str) -> str:
    sep = rng.choice(SEPARATORS)
    style = rng.randrange(6)
    if kind == "phone":
        s = [digits, grouped(digits, [3, 4, 4], sep), grouped(digits, [4, 4, 3], sep),
             rng.choice(["+86", "+86 ", "+86-", "0086", "0086 ", "0086-", "86", "(+86)", "+８６ "]) + grouped(
                 digits, [3, 4, 4], sep), " ".join(digits), grouped(digits, random_groups(rng, 11), sep)][style]
    elif kind == "id18":
        s = [digits, grouped(digits, [6, 8, 4], sep), grouped(digits, [6, 4, 4, 4], sep), digits.lower(),
             grouped(digits, [3, 3, 4, 4, 4], sep), grouped(digits, [6, 8, 4], " ")][style]
    elif kind == "id15":
        s = [digits, grouped(digits, [6, 6, 3], sep), grouped(digits, [3, 3, 3, 3, 3], sep), digits,
             grouped(digits, [6, 6, 3], " "), grouped(digits, [6, 9], sep)][style]
    else:
        s = [digits, grouped(digits, [4, 4, 4, 4, 3], sep), grouped(digits, [4] * 5, sep),
             grouped(digits, [6, 13], sep), grouped(digits, random_groups(rng, len(digits)), sep),
             grouped(digits, [4] * 5, " ")][style]
    if rng.random() < 0.25:
        s = s.translate(FULL)
    return s


def spellings(n: int = 42, seed: int = 15) -> list[tuple[str, str]]:
    """The named spellings and ``n`` generated ones of each kind."""
    rng = random.Random(seed)
    out = list(NAMED)
    for kind, make in (("phone", phone), ("id18", id18), ("id15", id15), ("card", card)):
        for _ in range(n):
            digits = make(rng)
            out.append((digits, spell(rng, kind, digits)))
    return out


CONTEXTS = ["我的电话是{}，有事找我", "{}", "身份证{}。", "工资卡号：{}（工行）", "联系{}张师傅",
            "第一段\n\n第二段\n\n\n号码 {}\n\n最后一段", "请打\n{}\n谢谢"]


def in_context(spelled: str, i: int) -> str:
    return CONTEXTS[i % len(CONTEXTS)].format(spelled)
