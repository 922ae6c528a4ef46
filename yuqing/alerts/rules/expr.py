"""Keyword expressions for the ``keyword`` rule: a tiny boolean query language. Pure.

Grammar (operators in upper case; juxtaposition means AND)::

    expr  := or
    or    := and ("OR" and)*
    and   := not (["AND"] not)*
    not   := "NOT" not | near
    near  := atom ("NEAR/" n atom)*
    atom  := TERM | "quoted phrase" | "(" expr ")"

``欠薪 NEAR/10 堵门`` matches when the two occur within 10 characters of each other (either order).
Text and terms are compared NFKC-folded, lower-cased, with runs of whitespace as one space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ...errors import RuleError

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)"|(NEAR/\d+)|("[^"]*$)|([^\s()"]+))')


def fold(text: str) -> str:
    """Text as expressions see it."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


class Node:
    def matches(self, text: str) -> bool:
        """``text`` must already be :func:`fold`-ed."""
        raise NotImplementedError

    def terms(self) -> list[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Term(Node):
    text: str

    def matches(self, text: str) -> bool:
        return self.text in text

    def positions(self, text: str) -> list[int]:
        out, i = [], text.find(self.text)
        while i >= 0:
            out.append(i)
            i = text.find(self.text, i + 1)
        return out

    def terms(self) -> list[str]:
        return [self.text]


@dataclass(frozen=True)
class Not(Node):
    child: Node

    def matches(self, text: str) -> bool:
        return not self.child.matches(text)

    def terms(self) -> list[str]:
        return []


@dataclass(frozen=True)
class And(Node):
    left: Node
    right: Node

    def matches(self, text: str) -> bool:
        return self.left.matches(text) and self.right.matches(text)

    def terms(self) -> list[str]:
        return self.left.terms() + self.right.terms()


@dataclass(frozen=True)
class Or(Node):
    left: Node
    right: Node

    def matches(self, text: str) -> bool:
        return self.left.matches(text) or self.right.matches(text)

    def terms(self) -> list[str]:
        return self.left.terms() + self.right.terms()


@dataclass(frozen=True)
class Near(Node):
    left: Term
    right: Term
    distance: int

    def matches(self, text: str) -> bool:
        a, b = self.left, self.right
        for i in a.positions(text):
            for j in b.positions(text):
                gap = j - (i + len(a.text)) if j >= i else i - (j + len(b.text))
                if gap <= self.distance:
                    return True
        return False

    def terms(self) -> list[str]:
        return [self.left.text, self.right.text]


def _tokens(expr: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    expr = expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            break
        lp, rp, phrase, near, open_quote, word = m.groups()
        if lp:
            out.append(("(", lp))
        elif rp:
            out.append((")", rp))
        elif phrase is not None:
            out.append(("TERM", phrase))
        elif near:
            out.append(("NEAR", near[5:]))
        elif open_quote is not None:
            raise RuleError(f"引号没有闭合：{open_quote}")
        elif word in ("AND", "OR", "NOT"):
            out.append((word, word))
        else:
            out.append(("TERM", word))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.toks = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise RuleError("关键词表达式为空")
        node = self.or_()
        if self.peek() is not None:
            raise RuleError(f"表达式在“{self.toks[self.i][1]}”处多余")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek() == "OR":
            self.take()
            node = Or(node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.peek() in ("AND", "NOT", "TERM", "("):
            if self.peek() == "AND":
                self.take()
            node = And(node, self.not_())
        return node

    def not_(self) -> Node:
        if self.peek() == "NOT":
            self.take()
            return Not(self.not_())
        return self.near()

    def near(self) -> Node:
        node = self.atom()
        while self.peek() == "NEAR":
            _, n = self.take()
            right = self.atom()
            if not isinstance(node, Term) or not isinstance(right, Term):
                raise RuleError("NEAR 两边只能是词或带引号的短语")
            node = Near(node, right, int(n))
        return node

    def atom(self) -> Node:
        kind = self.peek()
        if kind is None:
            raise RuleError("表达式不完整（结尾缺少词）")
        if kind == "(":
            self.take()
            node = self.or_()
            if self.peek() != ")":
                raise RuleError("括号没有闭合")
            self.take()
            return node
        if kind == "TERM":
            text = fold(self.take()[1])
            if not text:
                raise RuleError("表达式里有空的引号短语")
            return Term(text)
        raise RuleError(f"表达式在“{self.toks[self.i][1]}”处不完整")


def parse(expr: str) -> Node:
    """Compile an expression; :class:`RuleError` with a readable reason when it is malformed."""
    return _Parser(_tokens(expr)).parse()
