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


class JsonArrayError(ValueError):
    """A streamed JSON array that is damaged: ``lineno``/``colno`` say where, ``msg`` what."""

    def __init__(self, msg: str, lineno: int, colno: int):
        super().__init__(f"{msg}: line {lineno} column {colno}")
        self.msg, self.lineno, self.colno = msg, lineno, colno


def iter_json_array(stream: BinaryIO, encoding: str = UTF8, chunk: int = 1 << 20) -> Iterator[object]:
    """The items of a top-level JSON array, decoded one at a time from a binary stream: memory
    holds one chunk and one item, never the whole document (a 190 MB PyWxDump export streams in a
    few MB). Items get :func:`loads_json`'s lone-surrogate repair. Raises :class:`JsonArrayError`
    where the document stops being a JSON array (the items before it have been yielded)."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    decoder = json.JSONDecoder()
    buf, pos, done = "", 0, False
    line, col0 = 1, 0  # line of buf[0] in the document, and the characters before it on that line

    def more() -> bool:
        nonlocal buf, pos, done, line, col0
        if done:
            return False
        data = text.read(chunk)
        if not data:
            done = True
            return False
        dropped = buf[:pos]
        nl = dropped.rfind("\n")
        line += dropped.count("\n")
        col0 = col0 + len(dropped) if nl < 0 else len(dropped) - nl - 1
        buf, pos = buf[pos:] + data, 0
        return True

    def fail(msg: str, at: int):
        nl = buf.rfind("\n", 0, at)
        raise JsonArrayError(msg, line + buf.count("\n", 0, at), at - nl if nl >= 0 else col0 + at + 1)

    def skip_ws() -> bool:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n\ufeff":
                pos += 1
            if pos < len(buf) or not more():
                return pos < len(buf)

    if not skip_ws() or buf[pos] != "[":
        fail("不是 JSON 数组", pos)
    pos += 1
    first = True
    while True:
        if not skip_ws():
            fail("文件在数组结束前中断", pos)
        if buf[pos] == "]":
            return
        if not first:
            if buf[pos] != ",":
                fail("缺少逗号", pos)
            pos += 1
            if not skip_ws():
                fail("文件在数组结束前中断", pos)
        first = False
        while True:
            try:
                item, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if more():  # the item may just run past this chunk
                    continue
                fail(exc.msg, exc.pos)
            # an item is only done when a "," or "]" follows it: a number cut at the chunk's end
            # ("3." of "3.25") decodes, too short
            rest = buf[end:end + 64].lstrip(" \t\r\n")
            if rest[:1] not in (",", "]") and more():
                continue
            break
        if _ESCAPED_SURROGATE.search(buf, pos, end):
            item = _replace_surrogates(item)
        pos = end
        yield item
