"""Charts use a real CJK font: the font maps the characters, and they render as distinct glyphs."""

import io

import pytest
from PIL import Image, ImageChops

from yuqing.digest import plots
from yuqing.digest.fonts import PROBE, covers, find_cjk_font
from yuqing.digest.model import DayRow


def test_the_resolved_font_has_the_glyphs():
    font = find_cjk_font()
    assert covers(font.path, PROBE + "舆情周报说事解事", font.index)
    assert "CJK" in font.family or "Hei" in font.family or "Han" in font.family


def _render(text: str, fname: str) -> Image.Image:
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 0.8), dpi=60)
    fig.text(0.05, 0.3, text, fontproperties=font_manager.FontProperties(fname=fname), fontsize=20)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_chinese_renders_as_glyphs_not_tofu():
    from matplotlib import font_manager

    cjk = find_cjk_font().path
    latin = font_manager.findfont("DejaVu Sans")
    assert not covers(latin, "职工")
    # a font without the glyphs draws the same box for every character …
    assert ImageChops.difference(_render("职工", latin), _render("负面", latin)).getbbox() is None
    # … the CJK font draws different characters differently
    assert ImageChops.difference(_render("职工", cjk), _render("负面", cjk)).getbbox() is not None


def test_plots_are_pngs():
    png = plots.volume_chart([DayRow("2026-11-16", 5, 2, ""), DayRow("2026-11-17", 0, 0, "")], "本周每日发帖")
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.width > 300


def test_no_cjk_font_is_a_clear_error(monkeypatch):
    from matplotlib import font_manager

    from yuqing.digest import fonts
    from yuqing.digest.errors import DigestError

    latin_only = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    fonts.find_cjk_font.cache_clear()
    try:
        with pytest.raises(DigestError, match="fonts-noto-cjk"):
            fonts.find_cjk_font()
    finally:
        fonts.find_cjk_font.cache_clear()
