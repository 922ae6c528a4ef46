"""Is a line of yuqing's output Chinese? (The operator reads Chinese; JSON lines are data.)"""

from __future__ import annotations

import json
import re

CJK = re.compile(r"[\u4e00-\u9fff]")


def has_cjk(text: str | None) -> bool:
    return bool(text and CJK.search(text))


def english_lines(output: str) -> list[str]:
    """The lines of ``output`` a person reads that hold no Chinese (JSON lines and blank lines are data)."""
    out = []
    for line in output.splitlines():
        if not line.strip():
            continue
        try:
            json.loads(line)
            continue
        except ValueError:
            pass
        if not has_cjk(line):
            out.append(line)
    return out
