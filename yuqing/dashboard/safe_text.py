"""Turning user text into safe display text. Pure functions, no Streamlit.

Post text is shown with ``st.text`` (plain text: no HTML, markdown, links or icons). Where user
text has to sit inside markdown (a title, an author, an event's label) it is escaped: HTML
entities, every markdown character, and what Streamlit and GitHub markdown would still turn into
something else after escaping — ``:material/…:`` icons, ``:emoji:`` codes, ``:red[…]`` colours,
bare ``https://`` / ``www.`` links and e-mail addresses — is broken with an invisible zero-width
space.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from html.parser import HTMLParser

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all
# also disarms Streamlit's own syntax (:red[...], $latex$, :emoji:).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:$=^\"'])")
_MARK_OPEN, _MARK_CLOSE = "\x00", "\x01"
ZWSP = "\u200b"
#: After escaping, what would still become an icon, emoji, colour or link: a colon (icons, emoji,
#: colours, ``scheme:``), ``www`` before a dot, an ``@`` (e-mail autolinks).
_LIVE = re.compile(r"(:|(?i:www)(?=\\?\.)|@)")


def neutralize(text: str) -> str:
    """``text`` with a zero-width space after every colon, ``www`` and ``@``: no markdown renderer
    turns it into an icon or a link any more, and it reads the same."""
    return _LIVE.sub(lambda m: m.group(0) + ZWSP, text)


def escape_markdown(text: str) -> str:
    """``text`` as markdown that displays literally (``<img …>`` shows as ``<img …>``, a URL stays
    text, ``:material/home:`` stays those characters)."""
    escaped = html.escape(text, quote=False)  # & < > become entities, shown literally
    escaped = neutralize(_MD_SPECIAL.sub(r"\\\1", escaped))
    # keep line breaks as breaks
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def highlight_markdown(text: str, terms: list[str]) -> str:
    """Escaped ``text`` with every occurrence of ``terms`` marked (Streamlit's background highlight)."""
    terms = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not terms:
        return escape_markdown(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    marked = pattern.sub(lambda m: _MARK_OPEN + m.group(0) + _MARK_CLOSE, text.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, ""))
    out = escape_markdown(marked)
    return out.replace(_MARK_OPEN, ":orange-background[").replace(_MARK_CLOSE, "]")


def highlight_html(text: str, terms) -> str:
    """``text`` as inert HTML with every occurrence of ``terms`` marked: every piece of the text is
    HTML-escaped (a tag, an entity, a link or markdown in a post shows as the characters it is), the
    only tags are the wrapper and ``<mark>``; line breaks and spaces kept (``pre-wrap``)."""
    from ..query_syntax import highlight_spans

    body = "".join(f"<mark>{html.escape(piece, quote=True)}</mark>" if hit else html.escape(piece, quote=True)
                   for piece, hit in highlight_spans(text, list(terms)))
    return f'<div class="yq-post" style="white-space: pre-wrap; overflow-wrap: anywhere">{body}</div>'


def html_to_text(markup: str) -> str:
    """The readable text of an HTML document (a digest preview), tags and scripts dropped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line)


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "section"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def emerging_terms(this_week: dict[str, int], last_week: dict[str, int], *, min_count: int = 3,
                   limit: int = 20) -> list[dict]:
    """Terms rising most from last week to this: ``[{"term", "this", "last", "growth"}]``.

    ``growth`` is this/last with last smoothed by +1, so new terms rank by their count.
    """
    rows = []
    for term, n in this_week.items():
        if n < min_count:
            continue
        before = last_week.get(term, 0)
        growth = n / (before + 1)
        if growth > 1:
            rows.append({"term": term, "this": n, "last": before, "growth": round(growth, 2)})
    rows.sort(key=lambda r: (-r["growth"], -r["this"], r["term"]))
    return rows[:limit]


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def local_time(d: datetime | None, tz, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return d.astimezone(tz).strftime(fmt) if d else "—"
