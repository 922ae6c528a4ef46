"""The fictional union: its units, WeChat groups, official accounts and forum, and the demo users."""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Unit

UNION_NAME = "恒岳能源集团工会"

UNITS: tuple[Unit, ...] = (
    Unit("G", UNION_NAME, "", 1),
    Unit("S1", "恒岳西山煤业公司工会", "G", 2),
    Unit("S2", "恒岳北岭煤业公司工会", "G", 2),
    Unit("S1-M1", "青石沟煤矿工会", "S1", 3),
    Unit("S1-M2", "东峪煤矿工会", "S1", 3),
    Unit("S2-M3", "北岭煤矿工会", "S2", 3),
    Unit("S2-P1", "北岭选煤厂工会", "S2", 3),
    Unit("S1-M1-ZC1", "青石沟煤矿综采一队", "S1-M1", 4),
    Unit("S1-M1-JD", "青石沟煤矿机电科", "S1-M1", 4),
    Unit("S1-M1-TF", "青石沟煤矿通风区", "S1-M1", 4),
    Unit("S1-M2-ZC1", "东峪煤矿综采一队", "S1-M2", 4),
    Unit("S1-M2-JJ2", "东峪煤矿掘进二队", "S1-M2", 4),
    Unit("S1-M2-YS", "东峪煤矿运输区", "S1-M2", 4),
    Unit("S2-M3-ZC2", "北岭煤矿综采二队", "S2-M3", 4),
    Unit("S2-M3-JJ1", "北岭煤矿掘进一队", "S2-M3", 4),
    Unit("S2-M3-JD", "北岭煤矿机电科", "S2-M3", 4),
    Unit("S2-P1-XX", "北岭选煤厂洗选车间", "S2-P1", 4),
    Unit("S2-P1-JX", "北岭选煤厂机修车间", "S2-P1", 4),
)

#: Where the story lines happen.
WAGE_UNIT = "S1-M2-JJ2"
WAGE_MINE = "S1-M2"
CANTEEN_MINE = "S2-M3"

MEMOTRACE = "memotrace"
PYWXDUMP = "pywxdump"


@dataclass(frozen=True, slots=True)
class DemoGroup:
    """A WeChat group in the exports; ``source_id`` empty = not configured (pending)."""

    source_id: str
    name: str
    chat_id: str
    unit: str
    fmt: str
    team: str  # how members name their own team in chat (综采一队 …)
    mine: str  # short mine name (东峪矿 …)
    members: int
    activity: float  # chatter conversations per day
    stories: tuple[str, ...] = ()  # story lines that surface here (besides chatter)

    @property
    def configured(self) -> bool:
        return bool(self.source_id)


GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup("wx-qsg-zc1", "青石沟矿综采一队", "2345678901@chatroom", "S1-M1-ZC1", MEMOTRACE, "综采一队", "青石沟矿", 46, 1.6, ("skills",)),
    DemoGroup("wx-qsg-jd", "青石沟矿机电科工作群", "2345678912@chatroom", "S1-M1-JD", MEMOTRACE, "机电科", "青石沟矿", 31, 1.2),
    DemoGroup("wx-qsg-home", "青石沟矿职工之家", "2345679023@chatroom", "S1-M1", MEMOTRACE, "", "青石沟矿", 180, 1.8, ("skills",)),
    DemoGroup("wx-dy-jj2", "东峪矿掘进二队兄弟群", "3456780134@chatroom", "S1-M2-JJ2", MEMOTRACE, "掘进二队", "东峪矿", 52, 1.5, ("wages",)),
    DemoGroup("wx-dy-home", "东峪矿职工交流群", "3456780245@chatroom", "S1-M2", MEMOTRACE, "", "东峪矿", 210, 1.7, ("wages", "skills")),
    DemoGroup("wx-bl-home", "北岭矿职工群", "4567891356@chatroom", "S2-M3", MEMOTRACE, "", "北岭矿", 195, 1.7, ("canteen", "skills")),
    DemoGroup("wx-bl-zc2", "北岭矿综采二队", "4567891467@chatroom", "S2-M3-ZC2", MEMOTRACE, "综采二队", "北岭矿", 44, 1.4, ("canteen",)),
    DemoGroup("wx-blx-xx", "北岭选煤厂洗选车间", "5678902578@chatroom", "S2-P1-XX", MEMOTRACE, "洗选车间", "选煤厂", 38, 1.2),
    DemoGroup("wx-dy-ys", "东峪矿运输区", "34567812689@chatroom", "S1-M2-YS", PYWXDUMP, "运输区", "东峪矿", 40, 1.3, ("wages",)),
    DemoGroup("wx-bl-jj1", "北岭矿掘进一队", "45678923790@chatroom", "S2-M3-JJ1", PYWXDUMP, "掘进一队", "北岭矿", 41, 1.3, ("canteen",)),
    DemoGroup("wx-hy-skills", "恒岳集团技能比武交流群", "12345678801@chatroom", "G", PYWXDUMP, "", "集团", 260, 1.0, ("skills",)),
    DemoGroup("wx-blx-jx", "北岭选煤厂机修车间", "56789034812@chatroom", "S2-P1-JX", PYWXDUMP, "机修车间", "选煤厂", 27, 1.0),
    # Not in the config: shows up as a pending source awaiting assignment.
    DemoGroup("", "东峪项目部外包兄弟", "34567845923@chatroom", "", PYWXDUMP, "外包队", "东峪矿", 63, 1.1, ("wages",)),
)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    source_id: str
    name: str
    gh_id: str
    biz: str
    unit: str


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("mp-hy-union", "恒岳职工之家", "gh_3a7c1e9d52b0", "MzA5NjYxNzE4MQ==", "G"),
    DemoAccount("mp-dy-union", "东峪煤矿工会", "gh_8f21b4c06d7e", "MzI4MTQ0NTYwNg==", "S1-M2"),
)

FORUM_SOURCE_ID = "bbs-hy"
FORUM_NAME = "恒岳职工论坛"


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: str
    unit: str
    name: str
    email: str


USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "admin", "", "系统管理员", "admin@example.org"),
    DemoUser("jiance", "monitor", "G", "舆情监测员 周敏", "jiance@example.org"),
    DemoUser("qsg-ganbu", "cadre", "S1-M1", "青石沟煤矿工会 郭志刚", "qsg-ganbu@example.org"),
    DemoUser("dy-ganbu", "cadre", "S1-M2", "东峪煤矿工会 薛建平", "dy-ganbu@example.org"),
    DemoUser("bl-ganbu", "cadre", "S2-M3", "北岭煤矿工会 韩丽娟", "bl-ganbu@example.org"),
    DemoUser("blx-ganbu", "cadre", "S2-P1", "北岭选煤厂工会 樊宝山", "blx-ganbu@example.org"),
    DemoUser("lingdao", "viewer", "G", "集团工会 领导", "lingdao@example.org"),
)

DEMO_PASSWORD = "yuqing-demo"
