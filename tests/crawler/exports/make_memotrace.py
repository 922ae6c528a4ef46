"""Write the fixture chats the way MemoTrace (留痕, LC044/WeChatMsg) writes its CSV and TXT exports.

Followed from the upstream history (LC044/WeChatMsg was emptied on GitHub; its commits are read in
the mirror ``zprolab/WeChatMsg``, which carries them unchanged; versions from ``app/config.py``):

* CSV, pandas (0.2.1–0.2.3): ``app/DataBase/output_pc.py`` @ 3808049 (2023-11-16)
* CSV, 9 columns (0.2.4–0.2.8): ``app/DataBase/output_pc.py`` @ 292533b (2023-12-03)
* CSV, 9 columns, ``_utf8`` (0.2.9–1.0.1): ``app/DataBase/output_pc.py`` @ 682e693 (2023-12-10)
* CSV, raw rows (1.0.2): ``app/DataBase/exporter_csv.py`` @ e9cc4b0 (2024-01-03)
* CSV, 12 columns (1.0.3–1.1.2): ``app/DataBase/exporter_csv.py`` @ 4cfc48a … 772a9e0
* CSV, 12 columns (2.0.0–2.0.5): ``app/util/exporter/exporter_csv.py`` @ 43d6792 (2024-02-27)
* CSV, all chats (1.0.0–2.0.5): ``app/util/exporter/output.py`` ``to_csv_all`` +
  ``app/DataBase/package_msg.py`` @ c7cf15a
* CSV, Chinese header (3.x, wxManager): ``exporter/exporter_csv.py`` @ 6535ed0 (2025-03-28)
* TXT (0.2.9–1.0.1): ``app/DataBase/output_pc.py`` @ ad25b45 / 5d59c9b
* TXT (1.0.2–2.0.5): ``app/util/exporter/exporter_txt.py`` @ c7cf15a (as ``app/DataBase/exporter_txt.py``
  @ e9cc4b0)
* TXT (3.x, wxManager): ``exporter/exporter_txt.py`` @ 6535ed0, ``wxManager/model/message.py``

What every MemoTrace up to 2.0.5 reads is the WeChat 3.x PC ``MSG`` table: ``localId, TalkerId, Type,
SubType, IsSender, CreateTime, Status, StrContent`` and ``StrTime`` (``strftime(…, 'localtime')``),
ordered by ``CreateTime`` (oldest first). :func:`db_rows` models those rows: ``StrContent`` holds
the text of a text message, XML for media, the plain line of a system message, and **nothing** for
the type-49 app messages (link cards, quoted replies, notices, transfers …), whose XML WeChat keeps
lz4-compressed in ``CompressContent``; MemoTrace's own TXT/HTML writers read it from there
(``parser_reply(message[11])``, ``share_card(…, message[11])``), its CSV writers never do. With
``appmsg_in_strcontent`` the rows carry that XML in ``StrContent`` instead (what an account whose
client stored it there gives), for the parser's XML path.

Names: MemoTrace's ``Contact.remark`` is the remark, else the nickname, with file-name characters
replaced by ``_`` (the set grew from version to version, :data:`MANGLE`); it names the folder
``data/聊天记录/<remark>/`` and, in the TXT and the 3.x CSV, the sender. ``Me().name`` is the
account's own nickname.

Run ``python -m tests.crawler.exports.make_memotrace OUTDIR`` to write every layout for inspection.
"""

from __future__ import annotations

import csv
import html
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from .conversation import Chat, Message, Person, group_chat, private_chat

#: The characters ``Contact.remark`` turns into ``_``, by release (``app/person.py`` history:
#: cdf8a59 → 0.2.9, 0667a3c → 1.0.2, 15fc176 → 1.0.4, abefd3c → 1.0.5; wxManager ``manager_v3.py``).
MANGLE = {
    "0.2": None,  # ≤ 0.2.8: the remark as it is
    "0.2.9": re.compile(r'[/:*?"<>|]'),
    "1.0.2": re.compile(r'[/:*?"<>|\s]'),
    "1.0.4": re.compile(r'[/:*?"<>|\s.]'),
    "2.0": re.compile(r'[\\/:*?"<>|\s.]'),  # 1.0.5 – 2.0.5
    "3": re.compile(r'[\\/:*?"<>|\s.\x00-\x08\x0b\x0c\x0e-\x1f]'),
}

TALKER_IDS = {True: 27, False: 14}  # Name2ID row of the chat: group, private
SOURCE_NAME = "东峪煤矿工会"  # the official account a shared article card names


def mangle(name: str, version: str = "2.0") -> str:
    rx = MANGLE[version]
    return rx.sub("_", name) if rx else name


def contact_remark(p: Person, version: str = "2.0") -> str:
    """``Contact.remark``: the remark, else the nickname, made safe for file names."""
    return mangle(p.remark or p.nickname, version)


def chat_folder(chat: Chat, version: str = "2.0") -> str:
    return mangle(chat.remark or chat.name, version)


def other_side(chat: Chat) -> Person:
    """The one person a private chat is with."""
    return next(x for x in chat.members if x is not chat.owner)


def display_name(p: Person) -> str:
    """The name WeChat itself puts in a quote's ``<displayname>``: group nickname, else nickname."""
    return p.group_nick or p.nickname


# --- the MSG rows MemoTrace reads ------------------------------------------------------------
@dataclass
class Row:
    """One row of the WeChat 3.x ``MSG`` table, with the message it came from."""

    msg: Message
    local_id: int
    talker_id: int
    type: int
    sub_type: int
    is_sender: int
    create_time: int
    status: int
    str_content: str
    str_time: str
    svrid: int
    bytes_extra: bytes
    compress_content: str | None  # the app-message XML (stored lz4-compressed); None for other types

    def base(self) -> list:
        """``localId … StrTime``: the nine columns every MemoTrace CSV starts with."""
        return [self.local_id, self.talker_id, self.type, self.sub_type, self.is_sender, self.create_time,
                self.status, self.str_content, self.str_time]


def _attr_xml(tag: str, **attrs: str) -> str:
    return f"<{tag} " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + " />"


def media_content(chat: Chat, m: Message) -> str:
    """``StrContent`` of a non-app message as WeChat 3.x stores it."""
    who = m.sender.wxid if m.sender else ""
    md5 = f"{m.svrid:032x}"[-32:]
    if m.kind in ("text", "system"):
        return m.text
    if m.kind == "image":
        return ('<?xml version="1.0"?>\n<msg>\n\t' + _attr_xml("img", aeskey="6b6e7a", encryver="1", md5=md5,
                                                           length="204800", hevc_mid_size="0") + "\n</msg>\n")
    if m.kind == "voice":
        return "<msg>" + _attr_xml("voicemsg", endflag="1", length="3304", voicelength="2303",
                                   fromusername=who, clientmsgid=md5) + "</msg>"
    if m.kind == "video":
        return ('<?xml version="1.0"?>\n<msg>\n\t' + _attr_xml("videomsg", aeskey="6b6e7a", playlength="12",
                                                           length="1048576", md5=md5) + "\n</msg>\n")
    if m.kind == "sticker":
        url = f"http://wxapp.tc.qq.com/262/20304/stodownload?m={md5}&filekey=30340201"
        emoji = _attr_xml("emoji", fromusername=who, tousername=chat.id, type="2", md5=md5, cdnurl=url)
        return f"<msg>{emoji}</msg>"
    if m.kind == "location":
        return ('<?xml version="1.0"?>\n<msg>\n\t' + _attr_xml("location", x="36.187", y="113.116", scale="16",
                                                           label=f"山西省长治市{m.text}", poiname=m.text) + "\n</msg>\n")
    if m.kind == "card":
        return ('<?xml version="1.0"?>\n' + _attr_xml("msg", username="wxid_wang02", nickname=m.text, alias="",
                                                      province="山西", city="长治", sex="1", certflag="0") + "\n")
    if m.kind == "call":
        return ('<voipmsg type="VoIPBubbleMsg"><VoIPBubbleMsg><msg><![CDATA[通话时长 00:12]]></msg>'
                "<room_type>1</room_type></VoIPBubbleMsg></voipmsg>")
    if m.kind == "recall":
        return (f'<sysmsg type="revokemsg"><revokemsg><session>{chat.id}</session><msgid>{m.local_id}</msgid>'
                f"<newmsgid>{m.svrid}</newmsgid><replacemsg><![CDATA[{m.text}]]></replacemsg></revokemsg></sysmsg>")
    raise ValueError(m.kind)


def appmsg_xml(chat: Chat, m: Message) -> str:
    """The app-message XML of a type-49 message (what ``CompressContent`` decompresses to)."""
    sub = m.type_code[1]
    who = m.sender.wxid if m.sender else ""
    inner = [f"<title>{xml_escape(m.text)}</title>"]
    if m.kind == "link":
        inner += [f"<des>{xml_escape(m.link_des)}</des>", f"<type>{sub}</type>", f"<url>{xml_escape(m.link_url)}</url>",
                  f"<sourcedisplayname>{SOURCE_NAME}</sourcedisplayname>"]
    elif m.kind == "quote":
        q = m.quoted
        assert q is not None and q.sender is not None
        ref_type, ref_content = q.type_code[0], (q.text if q.kind == "text" else media_content(chat, q))
        inner += [f"<type>{sub}</type>", "<refermsg>", f"<type>{ref_type}</type>", f"<svrid>{q.svrid}</svrid>",
                  f"<fromusr>{chat.id}</fromusr>", f"<chatusr>{q.sender.wxid}</chatusr>",
                  f"<displayname>{xml_escape(display_name(q.sender))}</displayname>",
                  f"<content>{xml_escape(ref_content)}</content>", "</refermsg>"]
    elif m.kind == "transfer":
        inner += ["<des>收到转账200.00元。如需收钱，请点此升级至最新版本</des>", f"<type>{sub}</type>",
                  "<wcpayinfo><paysubtype>1</paysubtype><feedesc>￥200.00</feedesc><pay_memo></pay_memo></wcpayinfo>"]
    elif m.kind == "file":
        inner += [f"<type>{sub}</type>", "<appattach><totallen>18432</totallen><fileext>xlsx</fileext></appattach>"]
    elif m.kind == "notice":
        inner = ["<title>群公告</title>", f"<type>{sub}</type>",
                 f"<textannouncement>{xml_escape(m.text)}</textannouncement>"]
    else:
        inner += [f"<type>{sub}</type>"]
    return ('<?xml version="1.0"?>\n<msg>\n\t<appmsg appid="" sdkver="0">\n\t\t' + "\n\t\t".join(inner)
            + f"\n\t</appmsg>\n\t<fromusername>{who}</fromusername>\n</msg>\n")


def bytes_extra(m: Message) -> bytes:
    """A ``BytesExtra`` protobuf: field 3, item type 1 = the group sender's wxid."""
    who = (m.sender.wxid if m.sender else "").encode()
    return b"\n\x02\x08\x00\x1a" + bytes([len(who) + 4]) + b"\x08\x01\x12" + bytes([len(who)]) + who


def db_rows(chat: Chat, *, appmsg_in_strcontent: bool = False) -> list[Row]:
    """The chat's ``MSG`` rows, oldest first (``order by CreateTime``)."""
    rows = []
    for m in sorted(chat.messages, key=lambda m: (m.epoch, m.local_id)):
        t, sub = m.type_code
        xml = appmsg_xml(chat, m) if t == 49 else None
        content = (xml if appmsg_in_strcontent else "") if xml is not None else media_content(chat, m)
        rows.append(Row(m, m.local_id, TALKER_IDS[chat.is_group], t, sub, int(m.is_self), m.epoch,
                        2 if m.is_self else 3, content, m.local_time, m.svrid, bytes_extra(m), xml))
    return rows


# --- CSV -------------------------------------------------------------------------------------
HEADER_9 = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent", "StrTime"]
HEADER_12 = [*HEADER_9, "Remark", "NickName", "Sender"]
HEADER_3 = ["消息ID", "类型", "发送人", "时间", "内容", "备注", "昵称", "更多信息"]


def _folder(root: Path, name: str) -> Path:
    out = root / "data" / "聊天记录" / name
    out.mkdir(parents=True, exist_ok=True)
    return out


def _write_csv(path: Path, header: list[str], rows: list[list], *, bom: bool) -> Path:
    """``open(…, 'w', newline='', encoding='utf-8'|'utf-8-sig')`` + ``csv.writer``: \\r\\n rows."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return path


def write_csv_pandas(chat: Chat, root: Path) -> list[Path]:
    """0.2.1–0.2.3: ``pd.DataFrame(messages, columns=9 columns).to_csv(f, encoding='utf-8')`` — the
    index is the first column (empty header cell), no BOM, ``data/聊天记录/<remark>/<remark>.csv``."""
    name = chat_folder(chat, "0.2")
    rows = [[i, *r.base()] for i, r in enumerate(db_rows(chat))]
    return [_write_csv(_folder(root, name) / f"{name}.csv", ["", *HEADER_9], rows, bom=False)]


def write_csv_024(chat: Chat, root: Path) -> list[Path]:
    """0.2.4–0.2.8 (``output_pc.py`` @ 292533b): the nine MSG columns, UTF-8 without BOM,
    ``data/聊天记录/<remark>/<remark>.csv``."""
    name = chat_folder(chat, "0.2")
    return [_write_csv(_folder(root, name) / f"{name}.csv", HEADER_9, [r.base() for r in db_rows(chat)], bom=False)]


def write_csv_029(chat: Chat, root: Path) -> list[Path]:
    """0.2.9–1.0.1 (``output_pc.py`` @ 682e693): as before, file renamed ``<remark>_utf8.csv``."""
    name = chat_folder(chat, "0.2.9")
    rows = [r.base() for r in db_rows(chat)]
    return [_write_csv(_folder(root, name) / f"{name}_utf8.csv", HEADER_9, rows, bom=False)]


def _pyobj(kind: str, n: int) -> str:
    return f"<app.person.{kind} object at 0x{0x1F3A2B4C10 + n * 0x40:016X}>"


def write_csv_102(chat: Chat, root: Path) -> list[Path]:
    """1.0.2 (``exporter_csv.py`` @ e9cc4b0): the 12-column header over ``writer.writerows(messages)``
    — the raw query rows: ``… StrTime, MsgSvrID, BytesExtra, CompressContent`` (bytes written as
    their Python repr) and, in a group, the sender object's repr. BOM, ``<remark>_utf8.csv``."""
    name = chat_folder(chat, "1.0.2")
    rows = []
    for r in db_rows(chat):
        compressed = repr(b"\xf1\x1a" + r.compress_content.encode()[:24]) if r.compress_content else ""
        row = [*r.base(), r.svrid, repr(r.bytes_extra), compressed]
        if chat.is_group:
            row.append(_pyobj("Me" if r.is_sender else ("ContactPC" if r.msg.sender else "ContactDefault"), r.local_id))
        rows.append(row)
    return [_write_csv(_folder(root, name) / f"{name}_utf8.csv", HEADER_12, rows, bom=True)]


def _sender_columns(chat: Chat, r: Row, version: str, *, private_names: bool) -> list[str]:
    """``[Remark, NickName, Sender]`` as ``msg[13]`` (or, in a private chat, ``Me()``/the contact)
    gives them; [] where the version writes nothing."""
    if not chat.is_group and not private_names:
        return []
    if r.is_sender:  # Me(): name, nickName and remark all the account's nickname
        return [chat.owner.nickname, chat.owner.nickname, chat.owner.wxid]
    p = r.msg.sender if chat.is_group else other_side(chat)
    if p is None:  # a system line: ContactDefault('') of a BytesExtra without a sender
        return ["", "", ""]
    return [contact_remark(p, version), p.nickname, p.wxid]


def write_csv_103(chat: Chat, root: Path) -> list[Path]:
    """1.0.3–1.1.2 (``exporter_csv.py`` @ 4cfc48a … ``app/util/exporter`` @ fac0226): group rows
    ``[*msg[:9], remark, nickName, wxid]`` of the sender; private-chat rows only the nine columns
    under the 12-column header. BOM, ``<remark>_utf8.csv``. (Names mangled as from 1.0.5; 1.0.3 and
    1.0.4 still left ``\\`` — and 1.0.3 ``.`` — as they were.)"""
    name = chat_folder(chat, "2.0")
    rows = [[*r.base(), *_sender_columns(chat, r, "2.0", private_names=False)] for r in db_rows(chat)]
    return [_write_csv(_folder(root, name) / f"{name}_utf8.csv", HEADER_12, rows, bom=True)]


def write_csv_200(chat: Chat, root: Path, *, appmsg_in_strcontent: bool = False) -> list[Path]:
    """2.0.0–2.0.5 (``app/util/exporter/exporter_csv.py`` @ 43d6792): every row 12 columns; in a
    private chat ``Me()`` or the contact. BOM, ``data/聊天记录/<remark>/<remark>_utf8.csv``."""
    name = chat_folder(chat, "2.0")
    rows = [[*r.base(), *_sender_columns(chat, r, "2.0", private_names=True)]
            for r in db_rows(chat, appmsg_in_strcontent=appmsg_in_strcontent)]
    return [_write_csv(_folder(root, name) / f"{name}_utf8.csv", HEADER_12, rows, bom=True)]


def _all_chats_sender(chat: Chat, r: Row) -> str:
    """``get_package_message_all``'s Sender: 我; in a group the member's group nickname (the
    chat room's member list), else the raw Remark, else the NickName; in a private chat the chat's
    NickName; '' for a group row without a sender."""
    if r.is_sender:
        return "我"
    if not chat.is_group:
        return other_side(chat).nickname
    p = r.msg.sender
    if p is None:
        return ""
    return p.group_nick or p.remark or p.nickname


def write_csv_all(chats: list[Chat], root: Path) -> list[Path]:
    """「导出全部消息」 1.0.0–2.0.5 (``output.py`` ``to_csv_all`` + ``package_msg.get_package_message_all``
    @ c7cf15a): every chat's rows in one file, oldest first, the 12-column header over the nine MSG
    columns, the *chat's* raw ``Remark`` and ``NickName`` and the sender's display name.
    ``messages.csv`` where the user saves it (the dialog proposes the working folder); BOM from 1.1.0."""
    rows = []
    for chat in chats:
        for r in db_rows(chat):
            chat_remark = chat.remark if chat.is_group else other_side(chat).remark
            chat_nick = chat.name if chat.is_group else other_side(chat).nickname
            rows.append((r.create_time, r.local_id, [*r.base(), chat_remark, chat_nick, _all_chats_sender(chat, r)]))
    rows.sort(key=lambda x: (x[0], x[1]))
    root.mkdir(parents=True, exist_ok=True)
    return [_write_csv(root / "messages.csv", HEADER_12, [row for *_, row in rows], bom=True)]


# --- 3.x (wxManager): message objects and their to_text() ------------------------------------
TYPE_NAMES_3 = {  # wxManager MessageType.name of the type the v3 factory gives each kind
    "text": "文本", "image": "图片", "voice": "语音", "video": "视频", "sticker": "表情包", "location": "位置分享",
    "card": "个人/公众号名片", "call": "音视频通话", "file": "文件", "merged": "合并转发的聊天记录", "miniapp": "小程序",
    "channels": "视频号", "quote": "引用消息", "link": "分享链接", "transfer": "转账", "music": "音乐分享",
    "system": "系统消息",
    # (49,87), (49,62), (49,2001) and 10002 have no factory in manager_v3.type_name_dict: Unknown
    "notice": "未知类型", "pat": "未知类型", "redpacket": "未知类型", "recall": "未知类型",
}


def name_3(chat: Chat, p: Person | None) -> str:
    """``display_name`` in 3.x: ``contacts[wxid].remark`` — in a group the member's group nickname
    when set (``get_chatroom_members``), else the file-name-safe remark/nickname; '' for no sender."""
    if p is None:
        return ""
    if chat.is_group and p.group_nick:
        return p.group_nick
    return contact_remark(p, "3")


def _dict_repr(m: Message, chat: Chat) -> str:
    """``xmltodict.parse(xml)`` printed, as ``Message.to_text`` does for an unknown type."""
    if m.kind == "recall":
        return repr({"sysmsg": {"@type": "revokemsg", "revokemsg": {"session": chat.id, "msgid": str(m.local_id),
                                                                     "newmsgid": str(m.svrid), "replacemsg": m.text}}})
    return repr({"msg": {"appmsg": {"@appid": "", "@sdkver": "0", "title": m.text, "type": str(m.type_code[1])},
                         "fromusername": m.sender.wxid if m.sender else None}})


def to_text_3(chat: Chat, m: Message) -> str:
    """``Message.to_text()`` of the message wxManager builds for ``m``."""
    k = m.kind
    if k in ("text", "system"):
        return m.text
    if k == "quote":
        q = m.quoted
        quoted = q.text if q.kind == "text" else to_text_3(chat, q)
        return f"{m.text}\n引用：{name_3(chat, q.sender)}: {quoted}"
    if k in ("link", "miniapp", "music"):  # LinkMessage.to_text for all three
        if k == "link":
            title, des, href, app = m.text, m.link_des, m.link_url, SOURCE_NAME
        else:
            title, des, href, app = m.text, "", "", m.text
        return f"【分享链接】\n标题：{title}\n描述：{des}\n链接: {href}\n应用：{app}\n"
    if k == "image":
        return "【图片】"
    if k == "sticker":
        return "【表情包】 "
    if k == "video":
        return "【视频】"
    if k == "voice":
        return "【语音】"
    if k == "file":
        return f"【文件】{m.text} 0.02 MB FileStorage\\File\\2026-11\\{m.text} xlsx {m.svrid:032x}"
    if k == "location":
        return f"【位置分享】\n坐标: (36.187,113.116)\n名称: {m.text}\n标签: 山西省长治市{m.text}\n"
    if k == "card":
        return f"【名片】\n微信号:\n昵称: {m.text}\n签名: \n性别: 男\n地区: 山西 长治\n"
    if k == "call":
        return "【音视频通话】\n通话时长 00:12"
    if k == "merged":
        return "【合并转发的聊天记录】\n\n"
    if k == "channels":
        return f"【视频号】\n描述: {m.text}\n发布者: 东峪煤矿\n"
    if k == "transfer":
        return "【发起转账】:￥200.00\n备注: \n"
    return f"-1\n{_dict_repr(m, chat)}"  # Unknown


def _folder_3(root: Path, chat: Chat) -> Path:
    """``<output_dir>/聊天记录/<remark>(<wxid>)`` with the media sub-folders ``makedirs`` creates."""
    out = _folder(root, f"{chat_folder(chat, '3')}({chat.id})")
    for sub in ("image", "emoji", "video", "voice", "file", "avatar", "music", "icon"):
        (out / sub).mkdir(exist_ok=True)
    return out


def write_csv_3(chat: Chat, root: Path) -> list[Path]:
    """3.x (``exporter/exporter_csv.py`` @ 6535ed0): ``消息ID,类型,发送人,时间,内容,备注,昵称,更多信息``,
    BOM, ``<remark>(<wxid>)/<remark>.csv``. ``group_contacts`` is never filled for a CSV export, so a
    group row's 备注 and 昵称 are its display name; a private row takes ``Me()`` (whose remark and
    nickname the library leaves empty) or the contact."""
    rows = []
    for r in db_rows(chat):
        m = r.msg
        shown = name_3(chat, m.sender)
        remark = nickname = shown
        if not chat.is_group:
            if m.is_self:
                remark = nickname = ""
            else:
                contact = other_side(chat)
                remark, nickname = contact_remark(contact, "3"), contact.nickname
        rows.append([str(m.svrid), TYPE_NAMES_3[m.kind], shown, m.local_time, to_text_3(chat, m), remark, nickname,
                     "more"])
    name = chat_folder(chat, "3")
    return [_write_csv(_folder_3(root, chat) / f"{name}.csv", HEADER_3, rows, bom=True)]


def write_txt_3(chat: Chat, root: Path) -> list[Path]:
    """3.x (``exporter/exporter_txt.py`` @ 6535ed0): ``'{str_time} {display_name}\\n{to_text()}'``
    (a system message: the time alone) joined by a blank line, UTF-8, ``<remark>(<wxid>)/<remark>.txt``."""
    parts = []
    for r in db_rows(chat):
        m = r.msg
        title = m.local_time if m.kind == "system" else f"{m.local_time} {name_3(chat, m.sender)}"
        parts.append(f"{title}\n{to_text_3(chat, m)}")
    path = _folder_3(root, chat) / f"{chat_folder(chat, '3')}.txt"
    path.write_bytes("\n\n".join(parts).encode("utf-8"))
    return [path]


# --- TXT up to 2.0.5 --------------------------------------------------------------------------
def js_html_escape(s: str | None) -> str:
    """MemoTrace's ``escape_js_and_html``: HTML-escape (not quotes), then JS-escape ``\\ ' " \\n \\r \\t``."""
    if not s:
        return ""
    s = html.escape(s, quote=False)
    for a, b in (("\\", "\\\\"), ("'", "\\'"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        s = s.replace(a, b)
    return s


def _quote_lines(m: Message) -> str:
    """``parser_reply``: the reply's title, then ``引用:<displayname>:<content>`` for a quoted text
    (``refermsg`` type 1), ``引用:未知`` for anything else."""
    q = m.quoted
    if q.kind == "text":
        return f"{m.text}\n引用:{display_name(q.sender)}:{q.text.lstrip(chr(10))}"
    return f"{m.text}\n引用:未知"


_TXT_MEDIA = {"image": "[图片]", "voice": "[语音]", "video": "[视频]", "sticker": "[表情包]"}


def write_txt_029(chat: Chat, root: Path) -> list[Path]:
    """0.2.9–1.0.1 (``output_pc.py`` ``to_txt`` @ ad25b45 … 5d59c9b): every sender but the account
    (``你``) is named by the chat's remark — in a group too; a system line's text goes, JS/HTML
    escaped, under that name; types 1, 3, 34, 43, 47, 10000 and (from ad25b45) quoted replies."""
    name = chat_folder(chat, "0.2.9")
    out = []
    for r in db_rows(chat):
        m = r.msg
        who = "你" if r.is_sender else name
        if m.kind == "text":
            body = m.text
        elif m.kind in _TXT_MEDIA:
            body = _TXT_MEDIA[m.kind]
        elif m.kind == "system":
            # MemoTrace's own character-set strip, reproduced as its exporter does it
            body = js_html_escape(m.text.lstrip("<revokemsg>").rstrip("</revokemsg>"))  # noqa: B005
        elif m.kind == "quote":
            body = _quote_lines(m)
        else:
            continue
        out.append(f"{m.local_time} {who}\n{body}\n\n")
    path = _folder(root, name) / f"{name}.txt"
    path.write_bytes("".join(out).encode("utf-8"))
    return [path]


def write_txt_102(chat: Chat, root: Path) -> list[Path]:
    """1.0.2–2.0.5 (``app/util/exporter/exporter_txt.py`` @ c7cf15a, unchanged since
    ``app/DataBase/exporter_txt.py`` @ e9cc4b0): ``get_display_name`` (JS/HTML escaped: the account's
    ``Me().name``, else the sender's ``Contact.remark``); system lines on the time line; link cards
    as indented ``[链接]:title: … description: … url: … name:`` lines of escaped fields; types 1, 3,
    34, 43, 47, 10000, 49/57, 49/6, 49/3, 49/5 only. ``data/聊天记录/<remark>/<remark>.txt``."""
    name = chat_folder(chat, "2.0")
    out = []
    for r in db_rows(chat):
        m = r.msg
        if r.is_sender:
            who = js_html_escape(chat.owner.nickname)
        else:
            p = m.sender if chat.is_group else other_side(chat)
            who = js_html_escape(contact_remark(p) if p else "")
        t = m.local_time
        if m.kind == "system":
            line = m.text.replace("<![CDATA[", "").replace(' <a href="weixin://revoke_edit_click">重新编辑</a>]]>', "")
            out.append(f"{t} {line}\n\n")
        elif m.kind == "text":
            out.append(f"{t} {who}\n{m.text}\n\n")
        elif m.kind in _TXT_MEDIA or m.kind in ("file", "music"):
            out.append(f"{t} {who}\n" + {**_TXT_MEDIA, "file": "[文件]", "music": "[音乐分享]"}[m.kind] + "\n\n")
        elif m.kind == "quote":
            out.append(f"{t} {who}\n{_quote_lines(m)}\n\n")
        elif m.kind == "link":
            pad = " " * 12
            out.append(f"{t} {who}\n{pad}[链接]:title:{js_html_escape(m.text)}\n"
                       f"{pad}description:{js_html_escape(m.link_des)}\n{pad}url:{js_html_escape(m.link_url)}\n"
                       f"{pad}name:{js_html_escape(SOURCE_NAME)}\n{pad}\n\n")
    path = _folder(root, name) / f"{name}.txt"
    path.write_bytes("".join(out).encode("utf-8"))
    return [path]


#: Every layout: name → (writer, releases).
LAYOUTS = {
    "csv_pandas": (write_csv_pandas, "0.2.1–0.2.3"),
    "csv_024": (write_csv_024, "0.2.4–0.2.8"),
    "csv_029": (write_csv_029, "0.2.9–1.0.1"),
    "csv_102": (write_csv_102, "1.0.2"),
    "csv_103": (write_csv_103, "1.0.3–1.1.2"),
    "csv_200": (write_csv_200, "2.0.0–2.0.5"),
    "csv_3": (write_csv_3, "3.x"),
    "txt_029": (write_txt_029, "0.2.9–1.0.1"),
    "txt_102": (write_txt_102, "1.0.2–2.0.5"),
    "txt_3": (write_txt_3, "3.x"),
}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.crawler.exports.make_memotrace OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for layout, (write, releases) in LAYOUTS.items():
        for chat in (group_chat(), private_chat()):
            for path in write(chat, out / layout):
                print(f"{layout} ({releases}): {path}")
    for chat in (group_chat(), private_chat()):
        for path in write_csv_200(chat, out / "csv_200_appmsg_xml", appmsg_in_strcontent=True):
            print(f"csv_200_appmsg_xml: {path}")
    for path in write_csv_all([group_chat(), private_chat()], out / "csv_all"):
        print(f"csv_all (1.0.0–2.0.5): {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
