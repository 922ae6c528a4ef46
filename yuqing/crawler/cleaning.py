"""Pure text cleaning: HTML → text with line breaks, whitespace and full-width normalisation.

WeChat emoji codes such as ``[微笑]`` are ordinary text and are kept as they are. Forum
signatures and Discuz's 「本帖最后由 … 编辑」 notes are dropped.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# Full-width ASCII letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９) → half-width; CJK punctuation stays.
_FULLWIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x200B: None, 0xFEFF: None, 0x200C: None, 0x200D: None})
_SPACES = re.compile(r"[ \t\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_EDITED = re.compile(r"本帖最后由\s*\S+\s*于\s*[\d\-/: ]+\s*编辑")

_BLOCK = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section",
          "table", "ul", "ol", "hr"}
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "template", "head"}
_DROP_CLASSES = ("sign", "pstatus", "quote", "mp_profile_iframe", "reward_area")


def normalise_text(text: str) -> str:
    """Full-width letters/digits to half-width, spaces collapsed, ≤ 1 blank line, trimmed."""
    if not text:
        return ""
    text = text.translate(_FULLWIDTH)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_text(text: str) -> str:
    """A plain-text message cleaned for storage (the text itself is kept; it is never HTML)."""
    return normalise_text(_EDITED.sub("", text))


def html_to_text(html: str, *, drop_classes: tuple[str, ...] = _DROP_CLASSES) -> str:
    """Visible text of an HTML fragment, keeping paragraph and ``<br>`` line breaks.

    Scripts, styles, signatures (``.sign``), Discuz edit notes (``.pstatus``) and quotes
    (``.quote``; the spiders keep the quoted post as a link instead) are dropped.
    """
    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(html)
    parts: list[str] = []
    _walk(root, parts, drop_classes)
    return clean_text("".join(parts))


def _walk(el, parts: list[str], drop_classes: tuple[str, ...]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower()
    skip = tag in _DROP or not isinstance(el.tag, str)
    if not skip and drop_classes:
        classes = (el.get("class") or "").split()
        skip = any(c in drop_classes for c in classes)
    if tag == "br":
        parts.append("\n")
    elif not skip:
        if tag in _BLOCK:
            parts.append("\n")
        if tag == "img" and el.get("alt"):
            parts.append(el.get("alt"))
        if el.text:
            parts.append(el.text)
        for child in el:
            _walk(child, parts, drop_classes)
        if tag in _BLOCK:
            parts.append("\n")
    if el.tail:
        parts.append(el.tail)
