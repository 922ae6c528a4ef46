"""How a file's bytes become parser records: format detection, streaming or whole reads,
and the whole-file problems (too big, damaged JSON, over-long lines) as quarantine records.

Shared by the importer (files on disk, streamed) and the exports spider (a response body).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .parsers import Format, ParseContext, QuarantineRecord, Record
from .parsers.decode import (
    UTF16,
    JsonArrayError,
    decode_document,
    file_encoding,
    iter_json_array,
    iter_lines,
    loads_json,
    sniff_encoding,
    stray_note,
)
from .parsers.detect import Detection, detect_format
from .parsers.pywxdump import users_map
from .parsers.records import resolve_quotes

#: Formats that must be read whole are refused above this size (the line formats stream).
MAX_WHOLE_BYTES = 200 * 1024 * 1024

Progress = Callable[[int], None]  # called with the number of bytes just processed


def detect(head: bytes) -> tuple[Detection, str]:
    """The format and text encoding of a file, from its first bytes (a UTF-16 file is judged by its
    text, as if it were UTF-8: its raw bytes are half NULs)."""
    encoding = sniff_encoding(head)
    text = head[: len(head) // 2 * 2].decode(encoding, errors="replace") if encoding == UTF16 else \
        head.decode(encoding, errors="replace")
    if encoding == UTF16:
        head = text.encode("utf-8")
    return detect_format(head, text), encoding


class _Counting:
    """A binary stream wrapper that reports progress as bytes are read."""

    def __init__(self, raw: BinaryIO, progress: Progress | None):
        self.raw, self.progress = raw, progress

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def readable(self) -> bool:
        return True

    def read1(self, n: int = -1) -> bytes:
        return self._count(self.raw.read1(n))

    def read(self, n: int = -1) -> bytes:
        return self._count(self.raw.read(n))

    def readinto(self, b) -> int:
        n = self.raw.readinto(b)
        if self.progress and n:
            self.progress(n)
        return n

    def _count(self, data: bytes) -> bytes:
        if self.progress and data:
            self.progress(len(data))
        return data


def read_records(open_binary: Callable[[], BinaryIO], size: int, fmt: Format, encoding: str, ctx: ParseContext,
                 progress: Progress | None = None) -> Iterator[Record]:
    """The records of one file in format ``fmt``, chat messages keyed and quoted replies linked to
    the quoted message (:func:`~.parsers.records.resolve_quotes`); line formats are streamed."""
    return resolve_quotes(_parse(open_binary, size, fmt, encoding, ctx, progress))


def _parse(open_binary: Callable[[], BinaryIO], size: int, fmt: Format, encoding: str, ctx: ParseContext,
           progress: Progress | None = None) -> Iterator[Record]:
    if fmt.reads in ("lines", "json_items") and encoding != UTF16:
        # the head chose the format; the encoding is decided over the whole file (a GB18030 file whose
        # first 64 KB are ASCII, a UTF-8 file with one stray byte early on)
        with open_binary() as f:
            encoding, stray = file_encoding(f)
        if stray:
            yield QuarantineRecord(ctx.origin, "全文", stray_note(stray))
    if fmt.reads == "lines":
        overlong: list[int] = []
        with open_binary() as f:
            yield from fmt.parse(iter_lines(_Counting(f, progress), encoding, overlong=overlong), ctx)
        for n in overlong:
            yield QuarantineRecord(ctx.origin, f"第 {n} 行", "这一行超过 1 MB，不像一条聊天消息，已跳过")
        return
    if fmt.reads == "json_items":
        with open_binary() as f:
            try:
                yield from fmt.parse(iter_json_array(_Counting(f, progress), encoding), ctx)
            except JsonArrayError as exc:
                yield QuarantineRecord(ctx.origin, f"第 {exc.lineno} 行第 {exc.colno} 列",
                                       f"文件不完整或已损坏：JSON 无法解析（{exc.msg}）")
        return
    if size > MAX_WHOLE_BYTES:
        yield QuarantineRecord(ctx.origin, "整个文件", f"文件过大（{size // (1 << 20)} MB），这种格式需整体读取；请拆分后导入")
        return
    with open_binary() as f:
        data = f.read()
    if progress:
        progress(size)
    if fmt.reads == "bytes":
        yield from fmt.parse(data, ctx)
        return
    text, _, stray = decode_document(data)
    del data
    if stray:
        yield QuarantineRecord(ctx.origin, "全文", stray_note(stray))
    if fmt.reads == "text":
        yield from fmt.parse(text, ctx)
        return
    try:
        doc = loads_json(text)
    except json.JSONDecodeError as exc:
        yield QuarantineRecord(ctx.origin, f"第 {exc.lineno} 行第 {exc.colno} 列",
                               f"文件不完整或已损坏：JSON 无法解析（{exc.msg}）")
        return
    del text
    yield from fmt.parse(doc, ctx)


def users_beside(path: Path) -> dict[str, str]:
    """wxid → name from a PyWxDump ``users.json`` in the file's folder or the one above."""
    for candidate in (path.parent / "users.json", path.parent.parent / "users.json"):
        if candidate.is_file():
            try:
                return users_map(loads_json(candidate.read_text(encoding="utf-8-sig")))
            except (OSError, ValueError):
                return {}
    return {}
