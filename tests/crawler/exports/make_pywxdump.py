"""Write the harness chats exactly the way PyWxDump (xaoyaoo/PyWxDump) 3.0.x and 3.1.x export them.

Followed from the released code (the PyPI wheels of each version; the upstream repository was
emptied, its history survives in the fork 2440893398/PyWxDump):

* 3.0.x — ``pywxdump/dbpreprocess/export/exportCSV.py``, ``exportJSON.py`` and
  ``dbpreprocess/parsingMSG.py`` (``ParsingMSG.msg_detail``), ``dbpreprocess/utils.py``
  (``type_converter``, ``timestamp2str``); v3.0.40 (commit 1a42d62). 3.0.4–3.0.5 had the same
  writers in ``analyzer/export_chat.py``.
* 3.1.x — ``pywxdump/api/export/exportCSV.py``, ``exportJSON.py``, ``exportHtml.py``,
  ``db/dbMSG.py`` (``MsgHandler.get_msg_detail``), ``db/__init__.py`` (``DBHandler.get_msgs``),
  ``db/dbMicro.py`` (``get_user_list``: the users.json entries), ``api/remote_server.py`` (the
  export folders, the HTML export copying ``ui/web``); v3.1.45 (= v3.1.46 for the export code).
  Earlier 3.1 releases from ``db/export/*.py`` (commits 6137f5e … 99c273e).

What the generators reproduce, per version (:data:`VERSIONS`):

* Folder ``export/<my wxid>/{csv,json,html}/<chat wxid>/``; files ``<chat wxid>_<i>_<i+page>.csv``
  (5,000 rows a page, or one page of ``count + 1`` when the chat is smaller) and
  ``<chat wxid>_0_<count + 1>.json``; UTF-8 without BOM; CSV ``QUOTE_MINIMAL`` with ``\\r\\n`` rows
  (line breaks inside a message stay ``\\n``); JSON ``indent=4``, ``ensure_ascii=False``, written in
  text mode on Windows (``\\r\\n`` line ends); rows in ``CreateTime`` order, ``id`` = row number;
  times local to the exporting PC (``time.localtime``: Asia/Shanghai here).
* Columns: 3.0.x ``id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime`` with
  ``content`` = ``json.dumps({"src", "msg"})``; 3.1.x ``…,msg,src,CreateTime`` (JSON rows also
  carry ``extra``: the link card's parsed ``appmsg`` from 3.1.17).
* ``talker``: the sender's wxid in a group (from BytesExtra), the other person's wxid in a private
  chat, ``我`` for the account's own messages — its wxid from 3.1.20 — and ``未知`` when no sender
  is recorded (system lines). ``users.json`` (wxid → contact) from 3.1.20, holding the talkers only
  (never the chat room itself).
* ``msg`` by type: the text; 图片/视频/表情; 语音时长；位置 with coordinates; a link card as
  ``title\\ndes\\n\\n<url>`` (3.0.37–3.1.5), ``<a href="url">点击查看详情</a>`` (3.1.6–3.1.13), with
  ``target="_blank"`` (3.1.14+), and before 3.0.37 only its type name; a quoted reply as
  ``title\\n\\n[引用](time)name:content``; any other app message (file, mini program, notice …) as its
  type name, ``未知`` for codes the tool has no name for (red packet 49/2001, pat 49/62); system
  lines and revoke XML as stored.
* HTML (3.1.20+): the viewer ``ui/web`` copied into ``export/<my wxid>/html/<chat wxid>/`` and a
  ``data.js`` written there. The viewer's files are stand-ins written here (index.html, a JS
  chunk, stylesheets, favicon), not upstream's.

CSV exports 3.1.20–3.1.35 crash before writing a file (``users.update`` of a list), so there is no
such layout. Run ``python -m tests.crawler.exports.make_pywxdump OUTDIR`` to write every layout.
"""

from __future__ import annotations

import csv
import json
import ntpath
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .conversation import TZ, Chat, Message, Person, group_chat, private_chat

#: PyWxDump's names of (Type, SubType) (``type_converter``), for the codes the harness uses; every
#: other code is 未知. Identical in 3.0.x and 3.1.x.
TYPE_NAMES = {
    (1, 0): "文本", (3, 0): "图片", (34, 0): "语音", (42, 0): "推荐公众号", (43, 0): "视频", (47, 0): "动画表情",
    (48, 0): "位置", (49, 3): "(分享)音乐", (49, 5): "(分享)卡片式链接", (49, 6): "文件", (49, 19): "合并转发的聊天记录",
    (49, 33): "(分享)小程序", (49, 51): "(分享)视频号视频", (49, 57): "引用回复", (49, 87): "群公告", (49, 2000): "转账",
    (50, 0): "语音通话", (10000, 0): "系统通知", (10000, 4): "拍一拍", (10000, 8000): "邀请加群",
}


@dataclass(frozen=True)
class Version:
    """What changed between PyWxDump releases in what an export holds."""

    name: str
    content_column: bool  # 3.0.x: msg and src inside one JSON "content" value
    link: str  # lost | url | anchor | anchor_blank: how a link card's msg ends
    link_extra: bool  # JSON rows carry the card's appmsg as "extra"
    quoted_picture_named: bool  # a quoted picture's XML is shown as 图片
    self_wxid: bool  # own messages' talker is the account's wxid; users.json and HTML export exist
    csv_works: bool = True  # 3.1.20–3.1.35 crash in the CSV export
    voice_dir: str = "audio"


VERSIONS = {
    "3.0.36": Version("3.0.36", True, "lost", False, False, False),  # 3.0.4–3.0.36
    "3.0.40": Version("3.0.40", True, "url", False, False, False),  # 3.0.37–3.0.42
    "3.1.0": Version("3.1.0", False, "url", False, False, False),  # 3.1.0–3.1.5
    "3.1.6": Version("3.1.6", False, "anchor", False, True, False),  # 3.1.6–3.1.13
    "3.1.18": Version("3.1.18", False, "anchor_blank", True, True, False),  # 3.1.17–3.1.18
    "3.1.30": Version("3.1.30", False, "anchor_blank", True, True, True, csv_works=False, voice_dir=""),  # 3.1.20–35
    "3.1.45": Version("3.1.45", False, "anchor_blank", True, True, True, voice_dir=""),  # 3.1.36–3.1.46
}


# ---------------------------------------------------------------------------------------------
# What WeChat holds for each message (StrContent, the app-message XML, BytesExtra paths)


def _local(at: datetime) -> str:
    return at.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")


def _md5ish(m: Message, salt: str) -> str:
    return f"{m.svrid * 31 + len(salt):x}".rjust(32, "0")[-32:]


def _display_name(p: Person | None, chat: Chat) -> str:
    """The quoted sender's name WeChat puts in ``refermsg/displayname``."""
    if p is None:
        return ""
    return (p.group_nick or p.nickname) if chat.is_group else p.nickname


def _link_appmsg(m: Message) -> dict:
    """The card's ``appmsg`` as PyWxDump's ``xml2dict`` returns it (attributes + child texts)."""
    return {"appid": "", "sdkver": "0", "title": m.text, "des": m.link_des, "action": "view", "type": "5",
            "showtype": "0", "content": {}, "url": m.link_url, "dataurl": {}, "lowurl": {}, "lowdataurl": {},
            "appattach": {"totallen": "0", "attachid": {}, "emoticonmd5": {}, "fileext": {}, "cdnthumbaeskey": {},
                          "aeskey": {}},
            "extinfo": {}, "sourceusername": "gh_3a1b2c3d4e5f", "sourcedisplayname": "集团工会"}


def _quote_content(m: Message, chat: Chat, v: Version) -> str:
    q = m.quoted
    assert q is not None
    if q.kind == "image":
        raw = (f'<?xml version="1.0"?>\n<msg>\n\t<img aeskey="{_md5ish(q, "k")}" encryver="1" length="48213" '
               f'md5="{_md5ish(q, "img")}" hdlength="0" />\n</msg>\n')
        content = "图片" if v.quoted_picture_named else raw
    else:
        content = q.text
    return f"{m.text}\n\n[引用]({_local(q.at)}){_display_name(q.sender, chat)}:{content}"


def _link_msg(m: Message, v: Version) -> str:
    if v.link == "lost":
        return TYPE_NAMES[(49, 5)]
    head = f"{m.text}\n{m.link_des}\n\n"
    if v.link == "url":
        return head + m.link_url
    if v.link == "anchor":
        return head + f'<a href="{m.link_url}">点击查看详情</a>'
    return head + f'<a href="{m.link_url}" target="_blank">点击查看详情</a>'


def _location_msg(m: Message) -> str:
    rest = {"scale": "16", "maptype": "roadmap", "poiid": "nearby_8437299102154", "fromusername": m.sender.wxid}
    return (f"纬度:【39.628453】 经度:【118.183921】\n位置：河北省唐山市古冶区东峪煤矿 {m.text}\n"
            f"其他信息：{json.dumps(rest, ensure_ascii=False, indent=4)}")


def _detail(m: Message, chat: Chat, v: Version) -> tuple[str, str, object, dict]:
    """(type_name, msg, src, extra) of one message, the way ``get_msg_detail`` builds them."""
    type_name = TYPE_NAMES.get(m.type_code, "未知")
    month = m.at.strftime("%Y-%m")
    kind = m.kind
    if kind == "text":
        return type_name, m.text, "", {}
    if kind == "image":
        return type_name, "图片", ntpath.join("FileStorage", "MsgAttach", _md5ish(m, "dir"), "Image", month,
                                              f"{_md5ish(m, 'img')}.dat"), {}
    if kind == "voice":
        when = _local(m.at).replace(":", "-").replace(" ", "_")
        parts = [p for p in (v.voice_dir, chat.id, f"{when}_{int(m.is_self)}_{m.svrid}.wav") if p]
        return type_name, "语音时长：4.32秒", ntpath.join(*parts), {}
    if kind == "video":
        return type_name, "视频", ntpath.join("FileStorage", "Video", month, f"{_md5ish(m, 'mp4')}.mp4"), {}
    if kind == "sticker":
        cdn = f"http://wxapp.tc.qq.com/262/20304/stodownload?m={_md5ish(m, 'e')}&filekey=30340201&hy=SH"
        return type_name, "表情", cdn, {}
    if kind == "location":
        return type_name, _location_msg(m), "", {}
    if kind == "card":  # the card's XML, as stored
        return type_name, (f'<?xml version="1.0"?>\n<msg bigheadimgurl="" smallheadimgurl="" username="wxid_wang02" '
                           f'nickname="{m.text}" fullpy="" shortpy="" alias="" imagestatus="3" scene="17" '
                           f'province="河北" city="唐山" sign="" sex="1" certflag="0" certinfo="" />'), "", {}
    if kind == "link":
        return type_name, _link_msg(m, v), ("" if v.link == "lost" else m.link_url), (
            _link_appmsg(m) if v.link_extra else {})
    if kind == "quote":
        return type_name, _quote_content(m, chat, v), "", {}
    if kind == "merged":
        record = {"title": m.text, "desc": "张 伟: 这个月的夜班补贴怎么还没发？\n老王: 同问", "isChatRoom": "1",
                  "datalist": {"count": "2"}}
        return "合并转发的聊天记录", f"{m.text}\n张 伟: 这个月的夜班补贴怎么还没发？\n老王: 同问", record, {}
    if kind == "transfer":
        return type_name, f"转账：￥200.00\n转账说明：\n转账时间：{_local(m.at)}\n", "", {}
    if kind == "file":
        return type_name, type_name, ntpath.join(chat.owner.wxid, "FileStorage", "File", month, m.text), {}
    if kind == "call":
        return type_name, "语音/视频通话[通话时长 03:12]", "", {}
    if kind == "system":
        return type_name, m.text, "", {}
    if kind == "recall":  # 10002: the revoke XML as stored
        return type_name, (f'<sysmsg type="revokemsg"><revokemsg><session>{chat.id}</session>'
                           f'<msgid>1{m.local_id:09d}</msgid><newmsgid>{m.svrid - 1}</newmsgid>'
                           f'<replacemsg><![CDATA[{m.text}]]></replacemsg></revokemsg></sysmsg>'), "", {}
    # Every other app message (file, notice, mini program, channels, red packet, pat …): its type name.
    return type_name, type_name, "", {}


def _talker(m: Message, chat: Chat, v: Version) -> str:
    if m.is_self:
        return chat.owner.wxid if v.self_wxid else "我"
    if m.sender is None:
        return "未知"
    return m.sender.wxid if chat.is_group else chat.id


def rows(chat: Chat, version: str = "3.1.45") -> list[dict]:
    """The message dicts PyWxDump builds for ``chat`` (``get_msg_detail`` / ``msg_detail``), in the
    order it exports them (``ORDER BY CreateTime ASC``; ``id`` is the row number)."""
    v = VERSIONS[version]
    out = []
    ordered = sorted(chat.messages, key=lambda m: (m.epoch, m.local_id))
    for n, m in enumerate(ordered, 1):
        type_name, msg, src, extra = _detail(m, chat, v)
        common = {"type_name": type_name, "is_sender": int(m.is_self), "talker": _talker(m, chat, v),
                  "room_name": chat.id}
        if v.content_column:
            out.append({"MsgSvrID": str(m.svrid), **common, "content": {"src": src, "msg": msg},
                        "CreateTime": _local(m.at), "id": n})
        else:
            out.append({"id": n, "MsgSvrID": str(m.svrid), **common, "msg": msg, "src": src, "extra": extra,
                        "CreateTime": _local(m.at)})
    return out


def users(chat: Chat) -> dict:
    """``users.json`` of a 3.1.20+ export: the contact of every talker the database knows (the
    account's own entry included; 未知 and the chat room are not contacts)."""
    people = {p.wxid: p for p in chat.members}
    out = {}
    for r in rows(chat, "3.1.45"):
        p = people.get(r["talker"])
        if p is None or p.wxid in out:
            continue
        out[p.wxid] = {
            "wxid": p.wxid, "nickname": p.nickname, "remark": p.remark, "account": p.alias,
            "describe": "", "headImgUrl": f"https://wx.qlogo.cn/mmhead/ver_1/{p.wxid}/0",
            "ExtraBuf": {"性别[1男2女]": 1, "个性签名": "", "国": "CN", "省": "Hebei", "市": "Tangshan"},
            "LabelIDList": [], "extra": None}
    return out


# ---------------------------------------------------------------------------------------------
# The layouts


#: The tool runs on Windows and writes JSON and data.js in text mode: every "\n" it writes is "\r\n"
#: on disk (the CSV writer is opened with ``newline=''`` and ends rows with "\r\n" itself).
WINDOWS = "\r\n"


def _folder(root: Path, chat: Chat, kind: str) -> Path:
    d = root / "export" / chat.owner.wxid / kind / chat.id
    d.mkdir(parents=True, exist_ok=True)
    return d


def _csv_value(value) -> object:
    return value if isinstance(value, (str, int)) else str(value)  # csv writes str() of a dict


def write_csv(chat: Chat, folder: Path, version: str = "3.1.45", page_size: int = 5000) -> list[Path]:
    """``export_csv``: pages of ``page_size`` rows, a header in each; 3.1.20+ adds ``users.json``."""
    v = VERSIONS[version]
    if not v.csv_works:
        raise RuntimeError(f"PyWxDump {version} fails in its CSV export before writing a file")
    out_dir = _folder(folder, chat, "csv")
    data = rows(chat, version)
    count = len(data)
    if page_size > count:
        page_size = count + 1
    paths = []
    for i in range(0, count, page_size):
        path = out_dir / f"{chat.id}_{i}_{i + page_size}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
            if v.content_column:
                w.writerow(["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "content", "CreateTime"])
                for r in data[i:i + page_size]:
                    w.writerow([r["id"], r["MsgSvrID"], r["type_name"], r["is_sender"], r["talker"], r["room_name"],
                                json.dumps(r["content"], ensure_ascii=False), r["CreateTime"]])
            else:
                w.writerow(["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src",
                            "CreateTime"])
                for r in data[i:i + page_size]:
                    w.writerow([r["id"], r["MsgSvrID"], r["type_name"], r["is_sender"], r["talker"], r["room_name"],
                                r["msg"], _csv_value(r["src"]), r["CreateTime"]])
        paths.append(path)
    if v.self_wxid:
        paths.append(_write_users(out_dir, chat))
    return paths


def _write_users(out_dir: Path, chat: Chat) -> Path:
    path = out_dir / "users.json"
    path.write_text(json.dumps(users(chat), ensure_ascii=False, indent=4), encoding="utf-8", newline=WINDOWS)
    return path


def write_json(chat: Chat, folder: Path, version: str = "3.1.45") -> list[Path]:
    """``export_json``: one file of every row (``indent=4``); 3.1.20+ adds ``users.json``."""
    v = VERSIONS[version]
    out_dir = _folder(folder, chat, "json")
    data = rows(chat, version)
    path = out_dir / f"{chat.id}_0_{len(data) + 1}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=4), encoding="utf-8", newline=WINDOWS)
    return [path, _write_users(out_dir, chat)] if v.self_wxid else [path]


#: Stand-ins for the viewer files ``ui/web`` the HTML export copies (their names and kinds, not
#: their content): the page, a JS entry, a JS chunk, two stylesheets and the icon.
VIEWER_FILES = {
    "index.html": ('<!DOCTYPE html>\n<html lang="en">\n<head>\n    <meta charset="UTF-8">\n'
                   '    <link rel="icon" href="./favicon.ico">\n    <title>PyWxDump</title>\n'
                   '    <script src="./data.js"></script>\n'
                   '  <script type="module" crossorigin src="./assets/index-Fx7aQ2kd.js"></script>\n'
                   '  <link rel="stylesheet" crossorigin href="./assets/index-Ua83bLpe.css">\n</head>\n<body>\n'
                   '<div id="app" style="height: 100%;"></div>\n</body>\n</html>\n'),
    "assets/index-Fx7aQ2kd.js": ('(function(){const e=document.createElement("link").relList;'
                                 'if(e&&e.supports&&e.supports("modulepreload"))return;})();'
                                 'const t=window.local_msg_list||[];export{t as m};\n'),
    "assets/ChatView-Qm2Zt0aa.js": ('import{m as a}from"./index-Fx7aQ2kd.js";const r={class:"chat"};'
                                    'export{r as default};\n'),
    "assets/index-Ua83bLpe.css": '@charset "UTF-8";:root{--vt-c-white: #ffffff}body{margin:0}\n',
    "assets/AboutView-p0Lk3mNe.css": ".about{background-color:#d2d2fa;height:100%}\n",
}
FAVICON = b"\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00" + bytes(64)


def write_html(chat: Chat, folder: Path, version: str = "3.1.45") -> list[Path]:
    """``export_html`` (3.1.20+): the viewer copied into the chat's folder and ``data.js`` written
    there (``local_user_list`` before ``local_msg_list``, one line each, ``indent=None``)."""
    v = VERSIONS[version]
    if not v.self_wxid:
        raise RuntimeError(f"PyWxDump {version} has no HTML export")
    out_dir = _folder(folder, chat, "html")
    paths = []
    for name, text in VIEWER_FILES.items():
        p = out_dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    icon = out_dir / "favicon.ico"
    icon.write_bytes(FAVICON)
    paths.append(icon)
    data = rows(chat, version)
    js = ("localStorage.setItem('isUseLocalData', 't')  //  't' : 'f' \n"
          f"const local_msg_count = {len(data)}\n"
          f"const local_mywxid = '{chat.owner.wxid}' \n"
          f"const local_user_list = {json.dumps(users(chat), ensure_ascii=False, indent=None)} \n"
          f"const local_msg_list = {json.dumps(data, ensure_ascii=False, indent=None)} \n")
    p = out_dir / "data.js"
    p.write_text(js, encoding="utf-8", newline=WINDOWS)
    paths.append(p)
    return paths


def _pinned(write: Callable, version: str) -> Callable[[Chat, Path], list[Path]]:
    def run(chat: Chat, folder: Path) -> list[Path]:
        return write(chat, folder, version)
    run.__name__ = f"{write.__name__}_{version.replace('.', '_')}"
    run.__doc__ = f"{write.__doc__.splitlines()[0]} — PyWxDump {version}."
    return run


#: Every distinct layout: name → ``write(chat, folder)`` (3.1.20–3.1.35 write JSON and HTML the
#: way 3.1.45 does, and no CSV).
LAYOUTS: dict[str, Callable[[Chat, Path], list[Path]]] = {
    **{f"csv-{ver}": _pinned(write_csv, ver) for ver in ("3.0.36", "3.0.40", "3.1.0", "3.1.6", "3.1.18", "3.1.45")},
    **{f"json-{ver}": _pinned(write_json, ver) for ver in ("3.0.36", "3.0.40", "3.1.0", "3.1.6", "3.1.18", "3.1.45")},
    "html-3.1.45": _pinned(write_html, "3.1.45"),
}


def write_all(out: Path) -> list[Path]:
    paths = []
    for name, write in LAYOUTS.items():
        for chat in (group_chat(), private_chat()):
            paths += write(chat, out / name)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "pywxdump-exports")
    for p in write_all(target):
        print(p)
