"""Small helpers the chat parsers share: times, CSV rows, chat identity from an export path."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone, tzinfo
from pathlib import PurePath

from ...schema import Post, QuarantineRecord, SourceKind
from .records import ChatRecord, ParseContext
from .wxmsg import Message

csv.field_size_limit(1 << 24)

#: The id of a parsed post whose source is not known yet (the importer sets the real one; with a
#: native id there is no point hashing a placeholder id for every message of a big export).
UNSET_ID = "p_unset"

_LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
_NAME_WITH_ID = re.compile(r"^(?P<name>.+)\((?P<id>[^()]+)\)$")


class BadTime(ValueError):
    """A time that cannot be read (quarantined with the row)."""


def from_unix(value: str | int | float) -> datetime:
    try:
        secs = float(value)
    except (TypeError, ValueError):
        raise BadTime(f"时间无效：{str(value)[:40]!r}") from None
    if not 946684800 <= secs <= 4102444800:  # 2000-01-01 … 2100-01-01
        raise BadTime(f"时间超出范围：{str(value)[:40]!r}")
    return datetime.fromtimestamp(secs, tz=timezone.utc)


def from_local(value: str, tz: tzinfo) -> datetime:
    """A ``%Y-%m-%d %H:%M[:%S]`` local time (zero padding optional) in ``tz``."""
    s = (value or "").strip()
    for fmt in _LOCAL_FORMATS:
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    try:
        d = datetime.fromisoformat(s)
    except ValueError:
        raise BadTime(f"时间无效：{s[:40]!r}") from None
    return d if d.tzinfo else d.replace(tzinfo=tz)


def chat_from_path(origin: str) -> tuple[str, str]:
    """(chat id, chat name) from an export path such as ``聊天记录/班组群(123@chatroom)/班组群.csv``
    or ``聊天记录/班组群/班组群_utf8.csv``; the name doubles as the id when no id is in the path."""
    p = PurePath(origin)
    m = _NAME_WITH_ID.match(p.parent.name)
    if m:
        return m["id"], m["name"]
    stem = re.sub(r"_utf8$", "", p.stem)
    return stem, stem


#: A quoted field running over more lines than this is a quote never closed, not a message.
MAX_RECORD_LINES = 200
MAX_RECORD_CHARS = 1 << 20


class _Runaway(Exception):
    """A record grew past :data:`MAX_RECORD_LINES` / :data:`MAX_RECORD_CHARS`."""


class _Feed:
    """The lines a ``csv.reader`` reads (:meth:`lines`), remembering those of the record in progress
    (``taken``: ``(line number, line)``) so that a broken record can be given back (all but its first
    line) and read again."""

    __slots__ = ("source", "back", "taken", "n")

    def __init__(self, lines: Iterable[str]):
        self.source = iter(lines)
        self.back: list[tuple[int, str]] = []  # lines given back, next one last
        self.taken: list[tuple[int, str]] = []
        self.n = 0

    def lines(self) -> Iterator[str]:
        """The lines, given-back ones first; stops with :class:`_Runaway` when a record grows past
        the limits (a new generator then carries on)."""
        source, back = self.source, self.back
        chars = 0
        while True:
            if back:
                item = back.pop()
            else:
                line = next(source, None)
                if line is None:
                    return
                self.n += 1
                item = (self.n, line)
            taken = self.taken
            taken.append(item)
            if len(taken) == 1:
                chars = len(item[1])
            else:  # a record over several lines: watch that it does not run away
                chars += len(item[1])
                if len(taken) > MAX_RECORD_LINES or chars > MAX_RECORD_CHARS:
                    raise _Runaway
            yield item[1]

    def give_back(self, items: list[tuple[int, str]]) -> None:
        self.back.extend(reversed(items))


_BROKEN_QUOTE = "引号没有闭合（这一行之后的内容被并入了同一格）：这一行已跳过，后面的行照常读取"


class CsvRecords:
    """The records of a CSV file as ``(line number, fields)``, with every damage costing one row,
    never the rest of the file:

    - a quote that is never closed would make the reader swallow the lines after it into one field:
      a record running over :data:`MAX_RECORD_LINES` lines, or a record over several lines that has
      a width ``widths`` does not allow or whose later lines read as rows of their own, is cut back
      to its first line (quarantined) and reading goes on from the line after it;
    - a row holding a NUL byte (a damaged file) is quarantined;
    - a row the ``csv`` module refuses is quarantined.

    ``widths``: the field counts a row may have (set after reading the header; None: any). The line
    number is the record's last line (as ``csv.reader.line_num`` counts). A record on one line — nearly
    all of them — costs one list append and one NUL search more than ``csv.reader`` alone."""

    def __init__(self, lines: Iterable[str], origin: str, widths: set[int] | None = None):
        self.feed = _Feed(lines)
        self.origin = origin
        self.widths = widths
        self.first_shape = ""  # what good rows' first field looks like (an id, a time …), from a sample

    def _ok_width(self, n: int) -> bool:
        return self.widths is None or n in self.widths

    def _looks_broken(self, fields: list[str], taken: list[tuple[int, str]]) -> bool:
        if not self._ok_width(len(fields)):
            return True
        if self.widths is None or not self.first_shape:
            return False
        for _, line in taken[1:]:  # a later line that is a whole row of its own: the quote ran on
            if line.count('"') % 2:
                continue
            try:
                row = next(csv.reader([line]), [])
            except csv.Error:
                continue
            if len(row) > 1 and self._ok_width(len(row)) and _shape(row[0]) == self.first_shape:
                return True
        return False

    def _cut(self, taken: list[tuple[int, str]], reason: str) -> QuarantineRecord:
        """Quarantine the record's first line; the lines after it are read again."""
        self.feed.give_back(taken[1:])
        n, line = taken[0]
        return QuarantineRecord(self.origin, f"第 {n} 行", reason, raw=line[:2000])

    def __iter__(self) -> Iterator[tuple[int, list[str]] | QuarantineRecord]:
        feed = self.feed
        reader = csv.reader(feed.lines())
        good = 0
        while True:
            feed.taken = taken = list[tuple[int, str]]()
            try:
                fields = next(reader)
            except StopIteration:
                return
            except _Runaway:
                yield self._cut(taken, _BROKEN_QUOTE)
                reader = csv.reader(feed.lines())
                continue
            except csv.Error as exc:
                yield QuarantineRecord(self.origin, f"第 {taken[-1][0] if taken else feed.n} 行", f"CSV 格式错误：{exc}",
                                       raw="".join(line for _, line in taken)[:2000])
                continue
            if not fields:
                continue
            if len(taken) > 1 and self._looks_broken(fields, taken):
                yield self._cut(taken, _BROKEN_QUOTE)
                reader = csv.reader(feed.lines())
                continue
            line_no = taken[-1][0]
            if "\x00" in taken[0][1] or (len(taken) > 1 and any("\x00" in line for _, line in taken)):
                yield QuarantineRecord(self.origin, f"第 {line_no} 行", "这一行含有空字符（NUL），文件可能已损坏：这一行已跳过",
                                       raw=",".join(fields).replace("\x00", "\\0")[:2000])
                continue
            if (not self.first_shape or not good & 255) and self.widths is not None and self._ok_width(len(fields)):
                self.first_shape = _shape(fields[0])
            good += 1
            yield line_no, fields


def _shape(field: str) -> str:
    """What a field looks like: digits as 9, Latin letters as a (``7340000000000007919`` → ``9``,
    ``2026-11-02 23:50:42`` → ``9-9-9 9:9:9``)."""
    return re.sub(r"[A-Za-z]+", "a", re.sub(r"\d+", "9", field.strip()))[:24]


def csv_rows(lines: Iterable[str], ctx: ParseContext, expected: list[str]) -> Iterator[tuple[int, dict | QuarantineRecord]]:
    """CSV rows as dicts keyed by the header; a row with the wrong number of fields, a NUL byte or a
    quote never closed becomes a :class:`QuarantineRecord` (only that row: :class:`CsvRecords`).
    Yields ``(line number, row)``."""
    records = CsvRecords(lines, ctx.origin)
    rows = iter(records)
    for first in rows:
        if isinstance(first, QuarantineRecord):
            yield 1, first
            continue
        header = [h.strip().lstrip("\ufeff") for h in first[1]]
        break
    else:
        return
    missing = [h for h in expected if h not in header]
    if missing:
        yield 1, QuarantineRecord(ctx.origin, "第 1 行", f"表头缺少列：{', '.join(missing)}")
        return
    width = len(header)
    records.widths = {width}
    for item in rows:
        if isinstance(item, QuarantineRecord):
            yield 0, item
            continue
        line_no, row = item
        if len(row) != width:
            yield line_no, QuarantineRecord(
                ctx.origin, f"第 {line_no} 行", f"列数不对：应为 {width} 列，实际 {len(row)} 列（文件可能不完整）",
                raw=",".join(row)[:2000])
            continue
        yield line_no, dict(zip(header, row))


def chat_record(msg: Message, *, created_at: datetime, author: str, author_id: str, native_id: str,
                chat_id: str, chat_name: str, is_self: bool = False, url: str = "") -> ChatRecord:
    """The record for one kept chat message (text, link card, quoted reply or group notice)."""
    extra: dict = {}
    if msg.kind == "quote":
        extra["quote"] = {"name": msg.quote_name, "text": msg.quote_text}
    elif msg.kind == "link":
        extra["link"] = True
    if is_self:
        extra["is_self"] = True
    post = Post(source_id="", source_kind=SourceKind.WECHAT_GROUP, text=msg.text, created_at=created_at,
                author=author, author_id=author_id, native_id=native_id or None, thread_id=chat_id,
                url=msg.url or url, extra=extra, id=UNSET_ID if native_id else "")
    return ChatRecord(post=post, chat_id=chat_id, chat_name=chat_name, key_text=msg.title if msg.kind == "link" else "")
