"""Write one group's messages as a PyWxDump JSON export (``export/<wxid>/<wxid>_0_N.json`` + ``users.json``)."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from pathlib import Path

from .chat import ChatMessage
from .org import DemoGroup
from .people import Person
from .weeks import TZ

TYPE_NAMES = {
    "text": "文本", "image": "图片", "sticker": "动画表情", "link": "(分享)卡片式链接", "quote": "引用回复",
    "join": "邀请加群", "recall": "系统通知", "pat": "拍一拍",
}


def _time(m: ChatMessage) -> str:
    return m.when.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choices("0123456789abcdef", k=n))


def _record(rng: random.Random, local_id: int, m: ChatMessage) -> dict:
    msg, src, extra = m.text, "", {}
    month = m.when.astimezone(TZ).strftime("%Y-%m")
    if m.kind == "image":
        md5 = _hex(rng, 32)
        msg, src = "图片", f"FileStorage/MsgAttach/{_hex(rng, 32)}/Image/{month}/{md5}.dat"
    elif m.kind == "sticker":
        msg = ""
        src = f"http://wxapp.tc.qq.com/262/20304/stodownload?m={_hex(rng, 32)}&filekey={_hex(rng, 40)}&hy=SH&bizid=1023"
    elif m.kind == "link" and m.link is not None:
        msg = f'{m.link.title}\n{m.link.des}\n\n<a href="{m.link.url}" target="_blank">点击查看详情</a>'
        src = m.link.url
    elif m.kind == "quote" and m.quoted is not None and m.quoted.sender is not None:
        q = m.quoted
        msg = f"{m.text}\n\n[引用]({_time(q)}){q.sender.nickname}:{q.text}"
        extra = {"refer_svrid": str(q.svrid)}
    if m.sender is None:
        talker = "系统"
    elif m.is_self:
        talker = "我"
    else:
        talker = m.sender.wxid
    return {
        "id": local_id,
        "MsgSvrID": str(m.svrid),
        "type_name": TYPE_NAMES[m.kind],
        "is_sender": 1 if m.is_self else 0,
        "talker": talker,
        "room_name": m.group.chat_id,
        "msg": msg,
        "src": src,
        "CreateTime": _time(m),
        "extra": extra,
    }


def _user(p: Person) -> dict:
    return {
        "wxid": p.wxid,
        "nickname": p.nickname,
        "remark": p.remark,
        "account": p.wxid if not p.wxid.startswith("wxid_") else "",
        "describe": "",
        "headImgUrl": "https://wx.qlogo.cn/mmhead/ver_1/" + hashlib.md5(p.wxid.encode()).hexdigest() + "/132",
    }


def write_group(rng: random.Random, root: Path, group: DemoGroup,
                messages: list[ChatMessage]) -> tuple[Path, Counter]:
    folder = root / "export" / group.chat_id
    folder.mkdir(parents=True, exist_ok=True)
    records = [_record(rng, i, m) for i, m in enumerate(messages, start=1)]
    path = folder / f"{group.chat_id}_0_{len(records)}.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    people: dict[str, Person] = {}
    for m in messages:
        if m.sender is not None:
            people.setdefault(m.sender.wxid, m.sender)
        if m.quoted is not None and m.quoted.sender is not None:
            people.setdefault(m.quoted.sender.wxid, m.quoted.sender)
    users = {wxid: _user(p) for wxid, p in sorted(people.items())}
    # The contact list also holds the chat room itself, named as the group.
    users[group.chat_id] = {"wxid": group.chat_id, "nickname": group.name, "remark": "", "account": "",
                            "describe": "", "headImgUrl": ""}
    (folder / "users.json").write_text(json.dumps(users, ensure_ascii=False, indent=2), encoding="utf-8")
    return path, Counter(m.kind for m in messages)
