"""Find a real CJK font for the charts (never tofu boxes): one matplotlib knows whose character
map covers the Chinese the digest writes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .errors import DigestError

#: Families tried first, in order; any other font covering the probe text is accepted after them.
PREFERRED = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Noto Serif CJK SC", "AR PL UMing CN", "Droid Sans Fallback")
#: Characters every chart label may use (topic names, units, 负面/正面, 周/月).
PROBE = "职工发帖负面正面中性占比议题薪酬待遇安全生产生活后勤周月日一二三四五六七八九十工会矿厂"


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: str
    #: Face index inside a .ttc collection.
    index: int = 0


def covers(path: str, text: str, index: int = 0) -> bool:
    """True when the font file maps every character of ``text`` to a glyph (fontTools cmap lookup)."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if path.lower().endswith((".ttc", ".otc")):
            font = TTCollection(path, lazy=True).fonts[index]
        else:
            font = TTFont(path, lazy=True)
        cmap = font.getBestCmap() or {}
    except Exception:  # noqa: BLE001 - an unreadable font file simply does not qualify
        return False
    return all(ord(c) in cmap for c in text if not c.isspace())


def _index_in_collection(path: str, family: str) -> int:
    """The face of a .ttc whose family name is ``family`` (0 when not a collection)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    for i, face in enumerate(TTCollection(path, lazy=True).fonts):
        if face["name"].getDebugName(1) == family:
            return i
    return 0


@lru_cache(maxsize=1)
def find_cjk_font() -> CjkFont:
    """The CJK font the charts use; :class:`DigestError` when none is installed."""
    from matplotlib import font_manager

    entries = [f for f in font_manager.fontManager.ttflist if f.weight in (400, "normal", "regular")]
    entries.sort(key=lambda f: PREFERRED.index(f.name) if f.name in PREFERRED else len(PREFERRED))
    for f in entries:
        if f.name not in PREFERRED and "CJK" not in f.name and "Hei" not in f.name and "Song" not in f.name:
            continue
        index = _index_in_collection(f.fname, f.name)
        if covers(f.fname, PROBE, index):
            return CjkFont(f.name, f.fname, index)
    raise DigestError("找不到中文字体，图表无法显示中文：请安装 fonts-noto-cjk（Debian/Ubuntu: apt install fonts-noto-cjk）"
                      "后删除 matplotlib 字体缓存（~/.cache/matplotlib）再试")
