"""Write one group's messages as a MemoTrace (留痕) CSV export: UTF-8 with BOM, newest first."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from pathlib import Path

from . import appmsg
from .chat import ChatMessage
from .org import DemoGroup
from .weeks import TZ

HEADER = ("localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status",
          "StrContent", "StrTime", "Remark", "NickName", "Sender")

#: kind → (Type, SubType)
TYPE_CODES = {
    "text": (1, 0), "image": (3, 0), "sticker": (47, 0), "link": (49, 5), "quote": (49, 57),
    "join": (10000, 0), "recall": (10000, 0), "pat": (10000, 4),
}


def csv_path(root: Path, group: DemoGroup) -> Path:
    """``<root>/data/聊天记录/<备注>/<备注>_utf8.csv``."""
    return root / "data" / "聊天记录" / group.name / f"{group.name}_utf8.csv"


def _content(rng: random.Random, m: ChatMessage) -> str:
    if m.kind == "image":
        return appmsg.image_xml(rng)
    if m.kind == "sticker":
        return appmsg.sticker_xml(rng, m.sender.wxid if m.sender else "", m.group.chat_id)
    if m.kind == "link":
        return appmsg.link_xml(m)
    if m.kind == "quote":
        return appmsg.quote_xml(m, m.group.chat_id)
    return m.text


def render_csv(rng: random.Random, group: DemoGroup, talker_id: int, messages: list[ChatMessage]) -> str:
    """The CSV text (without BOM); ``messages`` oldest first, rows written newest first."""
    rows = []
    for local_id, m in enumerate(messages, start=1):
        type_, sub = TYPE_CODES[m.kind]
        person = m.sender
        rows.append((
            local_id, talker_id, type_, sub, 1 if m.is_self else 0, int(m.when.timestamp()),
            2 if m.is_self else 3, _content(rng, m), m.when.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S"),
            person.remark if person else "", person.nickname if person else "", person.wxid if person else "",
        ))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(reversed(rows))
    return buf.getvalue()


def write_group(rng: random.Random, root: Path, group: DemoGroup, talker_id: int,
                messages: list[ChatMessage]) -> tuple[Path, Counter]:
    path = csv_path(root, group)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_csv(rng, group, talker_id, messages).encode("utf-8-sig"))
    return path, Counter(m.kind for m in messages)
