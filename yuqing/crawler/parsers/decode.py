"""Bytes → text: UTF-8 (with or without BOM), falling back to GB18030 for files re-saved by hand."""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from ...decoding import replace_lone_surrogates

UTF8 = "utf-8-sig"
GB = "gb18030"


def sniff_encoding(head: bytes) -> str:
    """``utf-8-sig`` when ``head`` (the start of a file) is valid UTF-8, else ``gb18030``.

    A multi-byte character cut at the end of ``head`` does not count against UTF-8.
    """
    if head.startswith(codecs.BOM_UTF8):
        return UTF8
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return UTF8
    except UnicodeDecodeError:
        return GB


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole (small) document; returns ``(text, encoding)``."""
    try:
        return data.decode(UTF8), UTF8
    except UnicodeDecodeError:
        return data.decode(GB, errors="replace"), GB


def iter_lines(stream: BinaryIO, encoding: str, *, max_line: int = 1 << 20,
               overlong: list[int] | None = None) -> Iterator[str]:
    """Text lines of a binary stream, streamed (the file is never read whole).

    A line longer than ``max_line`` characters is not yielded: its number goes to
    ``overlong`` (so the parser can quarantine it) and reading resumes after it.
    """
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    n = 0
    while True:
        line = text.readline(max_line)
        if not line:
            return
        n += 1
        if len(line) >= max_line and not line.endswith(("\n", "\r")):
            while True:  # skip the rest of the over-long line
                rest = text.readline(max_line)
                if not rest or rest.endswith(("\n", "\r")):
                    break
            if overlong is not None:
                overlong.append(n)
            yield ""  # keeps csv line numbers in step; an empty line is no record
            continue
        yield line


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _replace_surrogates(obj):
    if isinstance(obj, str):
        return replace_lone_surrogates(obj)
    if isinstance(obj, list):
        return [_replace_surrogates(x) for x in obj]
    if isinstance(obj, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in obj.items()}
    return obj


def loads_json(text: str):
    """``json.loads``, with lone UTF-16 surrogates replaced by U+FFFD
    (:func:`yuqing.decoding.replace_lone_surrogates`), so the record can still be stored as UTF-8.
    Paired escapes decode to their emoji as usual."""
    doc = json.loads(text)
    return _replace_surrogates(doc) if _ESCAPED_SURROGATE.search(text) else doc
