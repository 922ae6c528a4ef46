"""The one tokenizer: used by the models and by full-text search alike."""

from __future__ import annotations

import re

import jieba

jieba.setLogLevel(60)

_EMOJI = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
_SPACE = re.compile(r"\s+")


def tokenize(text: str) -> list[str]:
    """Segment ``text`` into tokens (WeChat emoji codes such as ``[微笑]`` kept whole)."""
    out: list[str] = []
    pos = 0
    for m in _EMOJI.finditer(text):
        out.extend(_cut(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.extend(_cut(text[pos:]))
    return out


def _cut(chunk: str) -> list[str]:
    return [t for t in jieba.lcut(chunk) if not _SPACE.fullmatch(t)] if chunk else []


def tokenize_query(text: str) -> list[str]:
    """Tokens of a search query, cut the same way the index was."""
    return [t for t in tokenize(text) if t.strip()]
