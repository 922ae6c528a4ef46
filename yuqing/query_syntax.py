"""Search queries: the small syntax staff type, and the character grams posts are found by. Pure.

Syntax (what the search page's 语法说明 shows, :data:`SYNTAX_HELP`)::

    工资 拖欠          both (a space is AND; the words in any order)
    工资拖欠           the same: a term is cut into words, each must be in the post
    欠薪 | 拖欠工资     either (``|`` or ``OR`` between two terms)
    食堂 -表扬          食堂 but not 表扬 (``-word`` or ``NOT word``)
    "夜班 饭菜"         the quoted text as it stands (a phrase; spaces and punctuation in it match any separator)

A word matches wherever the post contains it, also inside a longer word (``选煤`` finds 选煤厂). So a
post is found by its **character grams**, not by a dictionary's words: every run of letters and digits
of the title and text (lower case, full-width folded) gives its overlapping two-character grams and
its last character (``工资拖欠`` → ``工资 资拖 拖欠 欠``). A word of two or more characters is the phrase
of its grams (adjacent, in order); a single character matches a gram starting with it (a prefix). The
same :func:`index_grams` string is what SQLite's FTS5 table and Elasticsearch's ``grams`` field hold,
so both backends answer a query alike.

An unquoted term is cut into words with the search-mode cut of the one tokenizer (passed in as
``cut``), keeping its smallest words (``拖欠工资`` → 拖欠, 工资), so word order and compounds do not
matter; the characters no such word covers are looked for together, as they stand (「工资晚发」 and
「晚发工资」 → 工资, 晚发), a lone one only when the term has nothing else (的 in 的工资 is left out).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: What the search page shows under 语法说明 (Chinese, plain text).
SYNTAX_HELP = (
    "空格分隔的词须同时出现（不分先后）：工资 拖欠\n"
    "一个词会自动切分，词序不限：工资拖欠 与 拖欠工资 结果相同\n"
    "词的一部分也能找到：选煤 可找到“选煤厂”\n"
    "任一即可：欠薪 | 拖欠工资（也可写 OR）\n"
    "排除：食堂 -表扬（也可写 NOT 表扬）\n"
    "整句原样匹配：\"夜班 饭菜\"（加英文双引号）\n"
    "不支持括号；英文字母不分大小写，全角半角相同。"
)

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_SPLIT = re.compile(r"\s+")


@dataclass(frozen=True)
class Needle:
    """One piece of text the post must contain. ``grams``: its gram tokens in order; ``prefix``: the
    last token is a prefix (the needle ends in a single character)."""

    text: str
    grams: tuple[str, ...]
    prefix: bool = False


#: One alternative: every needle must be contained.
Alternative = tuple[Needle, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """``all_of``: clauses that must all hold, each an OR of alternatives; ``none_of``: alternatives
    none of which may hold. Empty both: the query had no searchable characters."""

    all_of: tuple[tuple[Alternative, ...], ...] = ()
    none_of: tuple[Alternative, ...] = ()
    terms: tuple[str, ...] = field(default=())  # the positive needles' texts, for highlighting

    @property
    def empty(self) -> bool:
        return not self.all_of and not self.none_of


def fold(text: str) -> str:
    """Full-width to half-width (NFKC) and lower case: what grams and needles are compared as."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def _runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (everything else separates)."""
    out, start = [], None
    for i, ch in enumerate(text):
        if ch.isalnum():
            if start is None:
                start = i
        elif start is not None:
            out.append(text[start:i])
            start = None
    if start is not None:
        out.append(text[start:])
    return out


def _run_grams(run: str, *, closed: bool) -> list[str]:
    """A run's bigrams, plus its last character when the run ends there (``closed``) or is one character."""
    grams = [run[i:i + 2] for i in range(len(run) - 1)]
    if closed or len(run) == 1:
        grams.append(run[-1])
    return grams


def index_grams(title: str, text: str) -> str:
    """The gram tokens a post is indexed by, space separated (title and text)."""
    whole = fold(f"{title}\n{text}" if title else text)
    out: list[str] = []
    for run in _runs(whole):
        out.extend(_run_grams(run, closed=True))
    return " ".join(out)


def needle(text: str) -> Needle | None:
    """The needle for a piece of query text (None when it has no letters or digits). Its runs but the
    last end where the post's run ends (a separator follows in the query too); the last may continue."""
    runs = _runs(fold(text))
    if not runs:
        return None
    grams: list[str] = []
    for i, run in enumerate(runs):
        grams.extend(_run_grams(run, closed=i < len(runs) - 1))
    return Needle(text=" ".join(runs), grams=tuple(grams), prefix=len(runs[-1]) == 1)


def _smallest_words(term: str, cut: Callable[[str], Sequence[str]]) -> list[str]:
    """The pieces of ``term`` to look for: the cut's smallest words of two or more characters (a word
    holding a smaller one is left out: 拖欠工资 → 拖欠, 工资; 发工资 → 工资); then each run of characters
    no such word covers, as it stands (「晚发工资」 → 工资, 晚发, the same as 「工资晚发」), a lone character
    only when nothing else is left (the 的 of 的工资 is not looked for)."""
    folded = fold(term)
    words = [w for w in dict.fromkeys(fold(w) for w in cut(term)) if len(w) > 1 and _runs(w) == [w] and w in folded]
    kept = [w for w in words if not any(v != w and v in w for v in words)]
    mark = [False] * len(folded)
    for w in kept:
        start = folded.find(w)
        while start != -1:
            mark[start:start + len(w)] = [True] * len(w)
            start = folded.find(w, start + 1)
    rest = [run for run in _runs("".join(" " if m else ch for ch, m in zip(folded, mark)))]
    longer = [r for r in rest if len(r) > 1]
    return kept + (longer if kept or longer else rest)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Split the query into ``(token, quoted)``; an unclosed quote runs to the end."""
    out: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    buf = ""
    while i < n:
        ch = text[i]
        if ch in _QUOTES and (not buf or buf in ("-",)):
            close = text.find(_QUOTES[ch], i + 1)
            end = n if close == -1 else close
            out.append((buf + "\x00" + text[i + 1:end], True))
            buf = ""
            i = end + 1
            continue
        if ch.isspace():
            if buf:
                out.append((buf, False))
                buf = ""
        elif ch in "|｜" and not buf:
            out.append(("|", False))
        elif ch in "|｜":
            out.append((buf, False))
            out.append(("|", False))
            buf = ""
        else:
            buf += ch
        i += 1
    if buf:
        out.append((buf, False))
    return out


def parse_query(text: str, cut: Callable[[str], Sequence[str]]) -> ParsedQuery:
    """Parse ``text`` (see the module docstring). ``cut``: the one tokenizer's search-mode cut of a term."""
    clauses: list[list[Alternative]] = []
    negative: list[Alternative] = []
    terms: list[str] = []
    join_next = False
    negate_next = False
    for raw, quoted in _tokens(text):
        if not quoted and raw in ("|", "OR"):
            join_next = bool(clauses)
            continue
        if not quoted and raw == "AND":
            continue
        if not quoted and raw == "NOT":
            negate_next = True
            continue
        negate = negate_next
        negate_next = False
        if quoted:
            lead, _, body = raw.partition("\x00")
            negate = negate or lead == "-"
            found = needle(body)
            alt: Alternative = (found,) if found else ()
        else:
            if raw.startswith("-") and len(raw) > 1:
                negate, raw = True, raw[1:]
            alt = tuple(n for n in (needle(w) for w in _smallest_words(raw, cut)) if n)
        if not alt:
            join_next = False
            continue
        if negate:
            negative.append(alt)
            join_next = False
            continue
        terms.extend(run for n in alt for run in n.text.split(" "))
        if join_next and clauses:
            clauses[-1].append(alt)
        else:
            clauses.append([alt])
        join_next = False
    return ParsedQuery(all_of=tuple(tuple(c) for c in clauses), none_of=tuple(negative),
                       terms=tuple(dict.fromkeys(terms)))


# --- SQLite FTS5 (the posts_grams table): MATCH expressions ------------------------------------
def fts_needle(n: Needle) -> str:
    """A needle as an FTS5 phrase (grams are letters and digits only: nothing to escape)."""
    return '"' + " ".join(n.grams) + '"' + (" *" if n.prefix else "")


def fts_alternative(alt: Alternative) -> str:
    return " AND ".join(fts_needle(n) for n in alt)


def fts_any(alts: Sequence[Alternative]) -> str:
    return " OR ".join(f"({fts_alternative(a)})" for a in alts)


def fts_match(parsed: ParsedQuery) -> tuple[str, str]:
    """``(positive, negative)`` MATCH expressions ("" when there is none): a post is found when it
    matches ``positive`` and not ``negative``."""
    positive = " AND ".join(f"({fts_any(c)})" for c in parsed.all_of)
    return positive, fts_any(parsed.none_of)


# --- highlighting ----------------------------------------------------------------------------
def highlight_spans(text: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """``text`` split into ``(piece, matched)`` where a piece equal (ignoring case and width) to one
    of ``terms`` is marked; pieces joined give ``text`` back unchanged."""
    wanted = [t for t in dict.fromkeys(fold(t) for t in terms) if t.strip()]
    if not wanted or not text:
        return [(text, False)] if text else []
    folded = [fold(ch) for ch in text]
    if any(len(f) != 1 for f in folded):  # a character folding to several: match on the text as is
        folded = [ch.lower() if len(ch.lower()) == 1 else ch for ch in text]
    flat = "".join(folded)
    mark = [False] * len(text)
    for t in wanted:
        start = flat.find(t)
        while start != -1:
            for i in range(start, start + len(t)):
                mark[i] = True
            start = flat.find(t, start + 1)
    out: list[tuple[str, bool]] = []
    for ch, m in zip(text, mark):
        if out and out[-1][1] == m:
            out[-1] = (out[-1][0] + ch, m)
        else:
            out.append((ch, m))
    return out
