"""A Chinese word cloud image (the `wordcloud` package with a CJK font file)."""

from __future__ import annotations

import subprocess
from functools import lru_cache

from ..errors import YuqingError


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """A font file that has Chinese glyphs (so the cloud never shows boxes)."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    # prefer a regular-weight sans font (NotoSansCJK-Regular.ttc on Debian)
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()},
                   key=lambda f: ("Sans" not in f, "Regular" not in f, f))
    if files:
        return files[0]
    raise YuqingError("没有找到中文字体：请安装 fonts-noto-cjk（apt-get install -y fonts-noto-cjk）")


def word_cloud(frequencies: dict[str, int], width: int = 800, height: int = 360):
    """A PIL image of the terms sized by frequency."""
    from wordcloud import WordCloud

    wc = WordCloud(font_path=cjk_font(), width=width, height=height, background_color="white",
                   prefer_horizontal=0.95, max_words=120, random_state=7)
    return wc.generate_from_frequencies(frequencies).to_image()
