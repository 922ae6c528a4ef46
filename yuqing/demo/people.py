"""Invented people: workers' names, WeChat nicknames and ids, forum users."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚邵武乔牛霍樊"
)
GIVEN = (
    "建军 建国 国强 志强 永刚 海军 红军 卫东 晓东 俊杰 鹏 磊 强 伟 勇 军 斌 涛 波 刚 杰 亮 超 明 辉 鑫 浩 宇 凯 飞 龙 "
    "峰 华 平 春生 二娃 三虎 满仓 金锁 保平 晋生 福生 全喜 宝山 永红 爱民 利军 文斌 小龙 海龙 志刚 建平 建华 "
    "学军 新民 拴柱 栓牢 丑娃 狗蛋 来福 有才 长命 润生 二虎 彦军 晓峰 俊峰 云飞 振华 立新 向东 耀武 兵兵 "
    "晨阳 子豪 梓轩 浩然 一鸣 家乐 丽 芳 娟 霞 红梅 翠萍 秀英 桂花 玉兰 海燕 晓燕 丽娟 美玲"
).split()
PHRASE_NICKS = (
    "平安是福 一路向北 煤海老兵 沉默是金 清风徐来 岁月静好 奋斗的蜗牛 冬天里的一把火 知足常乐 随缘 山里人 "
    "黑金汉子 风雨同舟 快乐每一天 井下一哥 大山的儿子 老骥伏枥 阳光总在风雨后 不忘初心 平凡之路 淡定 "
    "A平安家和 A-老张 好人一生平安 风轻云淡 心若止水 西山顽石 乌金岁月 向日葵 追梦人 简单点 "
    "🌸花开富贵 😊微笑面对 🌙夜班人"
).split()


@dataclass(frozen=True, slots=True)
class Person:
    """A worker as WeChat shows them."""

    wxid: str
    real_name: str
    nickname: str
    remark: str  # the exporting account's note for them (often blank)
    short: str  # how mates address them: 老王, 建军, 王师傅

    def display(self) -> str:
        return self.remark or self.nickname


def _wxid(rng: random.Random) -> str:
    if rng.random() < 0.8:
        return "wxid_" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=14))
    letters = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 8)))
    return f"{letters}{rng.randint(1965, 2002)}"


def make_person(rng: random.Random, team: str = "") -> Person:
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN)
    real = surname + given
    r = rng.random()
    if r < 0.30:
        nick = real
    elif r < 0.42 and team:
        nick = f"{team}-{real}"
    elif r < 0.52:
        nick = rng.choice(("老", "大", "小")) + surname
    elif r < 0.62:
        nick = surname + given[-1] + rng.choice(("", "哥", "师傅"))
    else:
        nick = rng.choice(PHRASE_NICKS)
    remark = real if rng.random() < 0.25 else ""
    short = rng.choice((f"老{surname}", f"{surname}师傅", given if len(given) == 2 else f"小{surname}", f"大{surname}"))
    return Person(wxid=_wxid(rng), real_name=real, nickname=nick, remark=remark, short=short)


def make_people(rng: random.Random, n: int, team: str = "") -> list[Person]:
    seen: set[str] = set()
    out: list[Person] = []
    while len(out) < n:
        p = make_person(rng, team)
        if p.wxid in seen:
            continue
        seen.add(p.wxid)
        out.append(p)
    return out


@dataclass(frozen=True, slots=True)
class ForumUser:
    uid: int
    name: str
    signature: str = ""


FORUM_NAMES = (
    "东峪老矿工 煤海一粟 北岭小刘 掘进人 wangjj1983 采煤机司机 老通风 安全员老杨 选煤厂的 洗煤工 "
    "zhangwei_mine 矿嫂 乌金汉子 黑脸包公 老机电 sx煤黑子 井下一哥 梦想起航 蓝天白云 退休老矿工 "
    "青石沟李工 电钳工小赵 qhl2008 外包兄弟 矿山人 山西老乡 守望者 tfq1976 沉默的大多数 过客 "
    "小马过河 夜班人 东峪打工仔 拾光者 北岭后勤 默默无闻 liuzhiqiang 铁骨铮铮 新员工小白 技术控"
).split()
SIGNATURES = (
    "安全第一，预防为主",
    "平安是最大的福气",
    "宁停三分，不抢一秒",
    "干一行爱一行",
    "家里有人等你回家",
    "心中有安全，步步都平安",
)


def forum_users(rng: random.Random) -> list[ForumUser]:
    uids = rng.sample(range(1001, 9999), len(FORUM_NAMES))
    return [
        ForumUser(uid=uid, name=name, signature=rng.choice(SIGNATURES) if rng.random() < 0.3 else "")
        for uid, name in zip(uids, FORUM_NAMES)
    ]
