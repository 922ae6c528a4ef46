"""Bytes → text: UTF-8 (with or without BOM), UTF-16 with a BOM, falling back to GB18030 for files
re-saved by hand.

The head of a file (64 KB) decides the format; the encoding of a file without BOM is decided over
the whole file (:func:`file_encoding`): a UTF-8 file with a few stray bytes stays UTF-8 (the bytes
become U+FFFD and are reported), a GB18030 file is GB18030 wherever its first non-ASCII byte is."""

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
UTF16 = "utf-16"  # with its BOM: Python's codec reads the byte order from it and drops it

#: A file without BOM stays UTF-8 when at most this share of its non-ASCII bytes are not valid UTF-8
#: (in a GB18030 file most of them are); below SMALL non-ASCII bytes a tenth of that share.
STRAY_SHARE, SMALL = 0.02, 200


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark names (UTF-8, UTF-16 LE/BE), or None."""
    if head.startswith(codecs.BOM_UTF8):
        return UTF8
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        return UTF16
    return None


def sniff_encoding(head: bytes) -> str:
    """The encoding of ``head`` (the start of a file): its BOM's, else ``utf-8-sig`` when it is
    (nearly) valid UTF-8, else ``gb18030``. A multi-byte character cut at the end of ``head`` does
    not count against UTF-8."""
    if bom := bom_encoding(head):
        return bom
    return UTF8 if utf8_stray_bytes(head, final=False)[0] <= _allowed(head) else GB


def _non_ascii(data: bytes) -> int:
    return len(data.translate(None, _ASCII))


_ASCII = bytes(range(128))


def _allowed(data_or_count) -> int:
    """Stray bytes a UTF-8 text of this many non-ASCII bytes may have."""
    n = data_or_count if isinstance(data_or_count, int) else _non_ascii(data_or_count)
    return int(n * STRAY_SHARE) if n >= SMALL else int(n * STRAY_SHARE / 10)


def utf8_stray_bytes(data: bytes, *, final: bool = True) -> tuple[int, str]:
    """How many byte sequences of ``data`` are not valid UTF-8, and its text (those as U+FFFD)."""
    try:
        return 0, codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(data, final=final)
        return text.count("\ufffd") - data.count(b"\xef\xbf\xbd"), text


def file_encoding(stream: BinaryIO, chunk: int = 1 << 20) -> tuple[str, int]:
    """The encoding of a whole file read from ``stream``: ``(encoding, stray bytes)``. With a BOM,
    its encoding. Else UTF-8 when at most 2 % of the non-ASCII bytes are not valid UTF-8 — ``stray``
    says how many, they read as U+FFFD — and GB18030 otherwise. Streams: memory
    holds one chunk."""
    head = stream.read(chunk)
    if bom := bom_encoding(head):
        return bom, 0
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    stray = non_ascii = 0
    data = head
    while data:
        non_ascii += _non_ascii(data)
        stray += decoder.decode(data).count("\ufffd") - data.count(b"\xef\xbf\xbd")
        data = stream.read(chunk)
    stray += decoder.decode(b"", final=True).count("\ufffd")
    stray = max(stray, 0)
    return (UTF8, stray) if stray <= _allowed(non_ascii) else (GB, 0)


def decode_document(data: bytes) -> tuple[str, str, int]:
    """Decode a whole (small) document: ``(text, encoding, stray bytes)`` — its BOM's encoding, UTF-8
    (a few stray bytes read as U+FFFD and counted), else GB18030."""
    if encoding := bom_encoding(data):
        text = data.decode(encoding, errors="replace")
        return (text[1:] if text.startswith("\ufeff") else text), encoding, 0
    stray, text = utf8_stray_bytes(data)
    if stray <= _allowed(data):
        return text, UTF8, stray
    return data.decode(GB, errors="replace"), GB, 0


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole (small) document; returns ``(text, encoding)`` (see :func:`decode_document`)."""
    text, encoding, _ = decode_document(data)
    return text, encoding


def stray_note(stray: int) -> str:
    """The quarantine reason that reports stray bytes in a UTF-8 file."""
    return (f"有 {stray} 处字节不是有效的 UTF-8（显示为 �），其余内容已按 UTF-8 读取；"
            "文件可能在传输或编辑时损坏，如有原件请重新导出")


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
