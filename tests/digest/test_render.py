"""The HTML is self-contained and escapes user text; the PDF opens with the Chinese text in it."""

import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from tests.digest.conftest import PHONE


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.resources: list[tuple[str, str]] = []
        self.anchors: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.anchors.append(a.get("href", ""))
        for key in ("src", "srcset", "data"):
            if key in a:
                self.resources.append((tag, a[key]))
        if tag == "link":
            self.resources.append((tag, a.get("href", "")))


def test_html_is_self_contained(built):
    _, b = built
    html = b.html
    refs = _Refs()
    refs.feed(html)
    imgs = [src for tag, src in refs.resources if tag == "img"]
    assert len(imgs) >= 3
    assert all(src.startswith("data:image/png;base64,") for src in imgs)
    assert [r for r in refs.resources if r[0] != "img"] == []
    assert "@import" not in html and "url(http" not in html
    assert refs.scripts == 0  # the post containing <script> is text, not markup


def test_user_text_is_escaped_and_masked(built):
    _, b = built
    assert "&lt;script&gt;" in b.html
    assert PHONE not in b.html and PHONE not in b.text
    assert "139****5678" in b.html


def test_every_issue_and_event_is_linked(built):
    w, b = built
    refs = _Refs()
    refs.feed(b.html)
    for issue_id in (w.issues["wage"], w.issues["canteen"], w.issues["old"]):
        assert f"http://dash.example:8501/?issue={issue_id}" in refs.anchors
    assert any("event=e_bus" in a for a in refs.anchors)
    assert any("sentiment=negative" in a for a in refs.anchors)
    assert f"?issue={w.issues['health']}" not in b.html  # source-health issues are not opinion figures


def test_files_are_named_for_period_and_unit(built):
    _, b = built
    assert b.html_path.name == "weekly-2026-W47-G.html" and b.pdf_path.name == "weekly-2026-W47-G.pdf"
    assert b.html_path.parent.name == "digests"


def test_pdf_opens_with_chinese_text(built):
    from pypdf import PdfReader

    w, b = built
    reader = PdfReader(str(b.pdf_path))
    assert len(reader.pages) >= 3
    text = "".join(p.extract_text() for p in reader.pages)
    compact = "".join(text.split())
    for needle in ("舆情周报", "核心指标", "一矿欠薪", "二矿班车晚点", "薪酬待遇", "集中议事", "合理诉求维护法"):
        assert needle in compact
    assert PHONE not in compact


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_pdf_renders_to_an_image(built, tmp_path):
    from PIL import Image

    _, b = built
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(b.pdf_path), str(tmp_path / "p")],
                   check=True, timeout=60)
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = sum(page.histogram()[:128])
    assert page.width > 200 and dark > 500  # text and charts were drawn
