from __future__ import annotations

import re

from yuqing.dashboard.safe_text import emerging_terms, escape_markdown, highlight_markdown, html_to_text, share


def _unescape(md: str) -> str:
    """What a CommonMark renderer shows for our escaped text (backslash escapes, entities), less
    the invisible zero-width spaces."""
    import html

    return html.unescape(re.sub(r"\\(.)", r"\1", md.replace("  \n", "\n"))).replace("\u200b", "")


def test_escaped_markdown_shows_html_literally():
    for text in ("<img src=x onerror=alert(1)>", "<script>alert('x')</script>", ":red[假] $x$ **粗** [链接](http://x)"):
        md = escape_markdown(text)
        assert "<" not in md and "**" not in md and "[" not in md.replace("\\[", "")
        assert _unescape(md) == text


def test_links_icons_and_emoji_stay_text():
    """Escaping alone leaves what Streamlit and GitHub markdown find in the text after it: a bare
    URL, www., an e-mail address, :material/…: icons, :emoji: codes, :red[…] colours."""
    text = "详情 https://evil.example/pay 或 www.evil.example 或 pay@evil.example :material/warning: :smile: :red[急]"
    md = escape_markdown(text)
    assert _unescape(md) == text
    shown = re.sub(r"\\(.)", r"\1", md)
    for live in ("https://", "www.", "@evil", ":material/", ":smile:", ":red["):
        assert live not in shown


def test_highlight_marks_after_escaping():
    md = highlight_markdown("<b>工资</b> 又晚发工资", ["工资"])
    assert md.count(":orange-background[工资]") == 2
    assert "<b>" not in md and "&lt;b&gt;" in md
    # a term that is itself markup is escaped inside the mark
    md2 = highlight_markdown("x <img> y", ["<img>"])
    assert ":orange-background[&lt;img&gt;]" in md2
    assert highlight_markdown("无匹配", []) == escape_markdown("无匹配")


def test_html_to_text_drops_tags_and_scripts():
    text = html_to_text("<html><script>alert(1)</script><h1>周报</h1><p>负面 <b>12</b> 条</p></html>")
    assert text.splitlines() == ["周报", "负面 12 条"]


def test_emerging_terms_rank_growth():
    rows = emerging_terms({"欠薪": 12, "食堂": 5, "篮球": 2, "通风": 6}, {"食堂": 5, "通风": 1})
    assert [r["term"] for r in rows] == ["欠薪", "通风"]
    assert rows[0] == {"term": "欠薪", "this": 12, "last": 0, "growth": 12.0}
    assert share(1, 4) == 0.25 and share(3, 0) == 0.0
