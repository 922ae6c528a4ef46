"""The truth the export fixtures are written from: one group chat and one private chat, as WeChat
holds them (people with nicknames, remarks and group nicknames; messages with type codes, server
ids and seconds), covering every kind an exporter meets and the texts that break naive parsers.

Each exporter's fixture generator (``make_<tool>.py``) writes these chats exactly the way that
tool's own code writes them; :mod:`.check` compares what yuqing stored with :func:`expected`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from yuqing.crawler.cleaning import clean_text

TZ = ZoneInfo("Asia/Shanghai")

#: kind → (WeChat Type, SubType) as the Windows databases store them.
TYPE_CODES = {
    "text": (1, 0), "image": (3, 0), "voice": (34, 0), "card": (42, 0), "video": (43, 0), "sticker": (47, 0),
    "location": (48, 0), "link": (49, 5), "file": (49, 6), "merged": (49, 19), "miniapp": (49, 33),
    "channels": (49, 51), "quote": (49, 57), "pat": (49, 62), "notice": (49, 87), "transfer": (49, 2000),
    "redpacket": (49, 2001), "call": (50, 0), "system": (10000, 0), "recall": (10002, 0), "music": (49, 3),
}
#: kind → the skip kind yuqing counts it under (yuqing.crawler.parsers.records.SKIP_KINDS).
SKIP_KIND = {
    "image": "图片", "voice": "语音", "card": "名片", "video": "视频", "sticker": "表情", "location": "位置",
    "file": "文件", "merged": "合并转发", "miniapp": "小程序", "channels": "视频号", "pat": "拍一拍", "notice": "群公告",
    "transfer": "转账", "redpacket": "红包", "call": "通话", "system": "系统消息", "recall": "撤回", "music": "音乐",
}
KEPT = ("text", "quote", "link")


@dataclass(frozen=True)
class Person:
    wxid: str
    nickname: str  # the person's own WeChat name
    remark: str = ""  # the name the exporting account gave them (备注)
    group_nick: str = ""  # their name in this group (群昵称)
    alias: str = ""  # their WeChat account id (微信号), when set


@dataclass
class Message:
    local_id: int  # the database's localId, 1… in time order
    svrid: int  # MsgSvrID, 19 digits
    at: datetime  # aware, Asia/Shanghai, whole seconds
    sender: Person | None  # None: a system line
    kind: str  # a key of TYPE_CODES
    text: str = ""  # text, reply text, link title, notice text, system/pat line, file name …
    quoted: Message | None = None  # kind == "quote": the message replied to
    link_des: str = ""  # kind == "link": the card's description
    link_url: str = ""
    is_self: bool = False  # sent by the exporting account

    @property
    def type_code(self) -> tuple[int, int]:
        return TYPE_CODES[self.kind]

    @property
    def kept(self) -> bool:
        return self.kind in KEPT

    @property
    def skip_kind(self) -> str:
        return SKIP_KIND[self.kind]

    @property
    def epoch(self) -> int:
        return int(self.at.timestamp())

    @property
    def local_time(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class Chat:
    id: str  # "…@chatroom" for a group, the other person's wxid for a private chat
    name: str  # the group's name (or the other person's nickname)
    remark: str  # the exporting account's 备注 for the chat ("" if none)
    is_group: bool
    owner: Person  # the exporting account
    members: list[Person] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """What exporters show for the chat: the remark, else the name."""
        return self.remark or self.name

    def kept(self) -> list[Message]:
        return [m for m in self.messages if m.kept]


OWNER = Person("wxid_owner01", "工会小李", alias="ghxl2026")
ZHANG = Person("wxid_zhang01", "张 伟", remark="张_伟 综采", group_nick="综采一队 张伟")
WANG = Person("wxid_wang02", "老王", remark="王师傅")
LI = Person("wxid_li03", "李明", group_nick="李明（机电）")
ZHAO = Person("wxid_zhao04", "赵 小 兰")
QIAN = Person("wxid_qian05", "钱多多", remark="")  # no remark, no group nick
SUN = Person("wxid_sun06", "孙工'程师\"")  # quotes in a name


class _Clock:
    def __init__(self, start: datetime):
        self.t = start

    def __call__(self, seconds: int = 0) -> datetime:
        self.t += timedelta(seconds=seconds)
        return self.t


def group_chat() -> Chat:
    """The standard group: ~45 messages over two days across midnight, every kind, hostile texts."""
    clock = _Clock(datetime(2026, 11, 2, 23, 50, 5, tzinfo=TZ))
    msgs: list[Message] = []

    def add(sender, kind, text="", *, after=37, **kw) -> Message:
        n = len(msgs) + 1
        m = Message(local_id=n, svrid=7_340_000_000_000_000_000 + n * 7919, at=clock(after), sender=sender, kind=kind,
                    text=text, is_self=sender is OWNER, **kw)
        msgs.append(m)
        return m

    add(None, "system", "\"老王\"邀请\"钱多多\"加入了群聊")
    q1 = add(ZHANG, "text", "这个月的夜班补贴怎么还没发？", after=60)
    add(WANG, "text", "同问，三月的也没发，问了工资员说等通知")
    add(LI, "image", "")
    add(QIAN, "quote", "同问+1，我们班也没发", quoted=q1)
    add(OWNER, "text", "已经反映给矿工会了，明天答复大家。")
    add(ZHAO, "voice", "")
    add(SUN, "link", "关于调整夜班补贴标准的通知", link_des="集团工会发布夜班补贴新标准，12月起执行",
        link_url="https://mp.weixin.qq.com/s/AbCdEf123?scene=1&from=groupmessage")
    add(WANG, "text", "数组结束符 ]; 和 </script> 都不能截断消息")  # breaks naive JS-array and HTML scanners
    add(ZHANG, "text", "A&B 班组，<b>不是标签</b> & \"双引号\" '单引号' 反斜杠\\n不是换行")
    add(LI, "text", "多行消息第一行\n第二行，带逗号,和\"引号\"\n\n第四行")
    add(QIAN, "text", "[微笑][强] 好的，收到[抱拳]")
    add(ZHAO, "text", "😀 加班费按1.5倍算吗？")
    add(None, "pat", "\"张 伟\" 拍了拍 \"老王\"")
    add(WANG, "redpacket", "恭喜发财，大吉大利")
    add(ZHANG, "transfer", "收到转账200.00元")
    add(LI, "sticker", "")
    add(QIAN, "location", "东峪煤矿职工食堂")
    add(ZHAO, "file", "夜班补贴申请表.xlsx")
    add(SUN, "call", "")
    add(OWNER, "notice", "本周六上午九点在工会活动室召开班组长会议，请准时参加。")
    same = clock(50)  # two people answer 「收到」 in the same second
    for who in (ZHANG, WANG):
        n = len(msgs) + 1
        msgs.append(Message(local_id=n, svrid=7_340_000_000_000_000_000 + n * 7919, at=same, sender=who, kind="text",
                            text="收到"))
    add(LI, "text", "通知见 https://example.com/a?b=1&c=2 ，大家看一下", after=0)
    add(None, "recall", "\"李明\" 撤回了一条消息")
    add(QIAN, "video", "")
    add(ZHAO, "merged", "群聊的聊天记录")
    q2 = add(WANG, "text", "食堂的饭菜又涨价了，一份红烧肉十八块", after=3600)
    add(SUN, "quote", "确实贵，建议工会和食堂谈谈", quoted=q2)
    add(ZHANG, "card", "王师傅")
    add(LI, "miniapp", "职工之家")
    add(OWNER, "quote", "已记录，周四说事会上议一议", quoted=q2)
    img = [m for m in msgs if m.kind == "image"][0]
    add(ZHAO, "quote", "这张图看不清", quoted=img)  # a reply to a picture: text kept, no parent
    add(QIAN, "text", "C:\\temp\\新建文件夹 路径里的反斜杠")
    add(WANG, "text", "  前后有空格  ")
    add(SUN, "text", "最后一条：谢谢工会！")
    return Chat(id="4455667788@chatroom", name="东峪煤矿综采一队职工群", remark="综采一队群", is_group=True, owner=OWNER,
                members=[OWNER, ZHANG, WANG, LI, ZHAO, QIAN, SUN], messages=msgs)


def private_chat() -> Chat:
    """A one-to-one chat between the exporting account and 老王."""
    clock = _Clock(datetime(2026, 11, 3, 8, 0, 0, tzinfo=TZ))
    msgs: list[Message] = []

    def add(sender, kind, text="", **kw) -> Message:
        n = len(msgs) + 1
        m = Message(local_id=100 + n, svrid=7_341_000_000_000_000_000 + n * 104729, at=clock(45), sender=sender,
                    kind=kind, text=text, is_self=sender is OWNER, **kw)
        msgs.append(m)
        return m

    q = add(WANG, "text", "李主席，我家孩子上学的助学金申请表交到哪里？")
    add(OWNER, "quote", "交到矿工会二楼办公室，周五前", quoted=q)
    add(WANG, "image", "")
    add(WANG, "text", "好的，谢谢[抱拳]")
    return Chat(id=WANG.wxid, name=WANG.nickname, remark=WANG.remark, is_group=False, owner=OWNER,
                members=[OWNER, WANG], messages=msgs)


@dataclass(frozen=True)
class Expected:
    """One post as yuqing should store it."""

    author: str
    local_time: str  # "%Y-%m-%d %H:%M:%S" in Asia/Shanghai
    text: str
    quote_of: str | None = None  # the stored text of the quoted post, when the quote is linked


def expected(chat: Chat, *, author, link_description: bool = True, linked_quotes: bool = True) -> list[Expected]:
    """The posts yuqing should store for ``chat`` from one export: every text, quoted reply and link
    card, ``author(message)`` naming the sender the way that tool does. ``link_description``:
    the tool writes the card's description; ``linked_quotes``: the tool lets a reply be linked to
    the quoted message (it names the quoted text)."""
    out = []
    for m in chat.kept():
        if m.kind == "link":
            text = clean_text(f"{m.text}\n{m.link_des}" if link_description and m.link_des else m.text)
        else:
            text = clean_text(m.text)
        quote_of = None
        if m.kind == "quote" and linked_quotes and m.quoted is not None and m.quoted.kept:
            quote_of = clean_text(m.quoted.text)
        out.append(Expected(author(m), m.local_time, text, quote_of))
    return out


def skipped(chat: Chat) -> dict[str, int]:
    """What an import should count as skipped, by kind, when the tool keeps every message's type."""
    out: dict[str, int] = {}
    for m in chat.messages:
        if not m.kept:
            out[m.skip_kind] = out.get(m.skip_kind, 0) + 1
    return out
