"""Text from what users hand us: bytes in UTF-8 (BOM or not) or GB18030, strings with lone surrogates.

Shared by the importer, `yuqing classify` and `yuqing eval`. Pure.
"""

from __future__ import annotations

import re

#: The encodings tried, in order: UTF-8 (a leading BOM dropped), then GB18030 (files saved by
#: Chinese Windows tools).
ENCODINGS = ("utf-8-sig", "gb18030")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_text(raw: bytes) -> str | None:
    """``raw`` decoded strictly with the first of :data:`ENCODINGS` that fits; ``None`` if none does."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def replace_lone_surrogates(text: str) -> str:
    """``text`` with every lone UTF-16 surrogate (half an emoji: JSON's ``"\\ud83d"`` without its
    pair, left by exporters that cut strings by UTF-16 units) replaced by U+FFFD, so it can be
    encoded as UTF-8. A Python string holds a paired emoji as one code point, so any surrogate left
    in it is a lone one."""
    return _LONE_SURROGATE.sub("\ufffd", text)
