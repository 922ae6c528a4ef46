"""The curated risk lexicon: collective-action plans and other triggers, with near-miss handling.

Pure functions over text. :func:`rule_risk` returns the level the rules alone give and the
reasons (the phrases that fired), so staff can see why a post was flagged. Near-misses
(「堵车」「拉横幅庆祝」「电脑罢工」) are blanked out before matching; a negated trigger
(「不会去堵门」) counts one level lower, because talk of not doing it still means it is talked about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..schema import Risk

_PLACE = r"(门口|大门|矿部|机关|办公楼|调度楼|集团|公司总部|总部|政府|市里|省里|县里|区里|信访办|信访局|劳动局|人社局|北京|电视台)"
_WHO = r"(大家|我们|咱们|咱|全队|全班|全区队|兄弟们|工友们|所有人|一起|都|集体|一块儿?)"

#: Direct collective-action words and indirect plans: high risk.
HIGH_PATTERNS: tuple[tuple[str, str], ...] = (
    ("堵门/堵路", r"堵(大|厂|矿|公司|集团)?门|堵路|堵(住)?(大门|厂门|矿门|路口|马路)|围堵"),
    ("罢工/停工", r"罢工|集体停工|集体怠工|停工抗议|全体停工|怠工"),
    ("上访", r"集体上访|越级上访|(去|到|上)(北京|省里|市里|集团)?上访|上访"),
    ("拉横幅", r"(拉|打|挂|举)(起)?(横幅|条幅|标语牌)"),
    ("静坐/聚集", r"静坐|聚集|群体性事件|示威|游行"),
    ("极端言行", r"跳楼|跳塔吊|自杀|以死相逼|拼命|同归于尽|喝药|一死了之|砍人|放火"),
    ("集体行动计划", _WHO + r".{0,10}(去|到|上|堵|围|坐|站).{0,8}" + _PLACE),
    ("集体不下井", r"(都别|都不|谁也别|谁都别|谁也不|谁都不|一起不|集体不|全都不|明天不|明天都不|统一不)(下井|上班|出工|干活|开工|入井|出勤)"),
    ("集体请假/辞职", r"集体(请假|辞职|休班|罢餐)"),
    ("讨说法行动", r"(一起|大家|都|集体|明天|周一|去|到).{0,12}讨(个)?说法|讨(个)?说法.{0,8}(去|走|集合)"),
    ("闹大", r"(把事)?(闹|搞)(大|到(集团|省里|市里|北京|网上))|闹个(天翻地覆|底朝天)"),
    ("集合约定", r"(明天|后天|周[一二三四五六日天]|[0-9一二三四五六七八九十]+点).{0,10}(集合|碰头|门口见|不见不散)"),
)

#: Grievances, threats of exposure, serious safety talk: medium risk.
MEDIUM_PATTERNS: tuple[tuple[str, str], ...] = (
    ("欠薪", r"欠薪|拖欠|欠发|缓发|停发|讨薪|讨要工资|工资.{0,4}(没发|不发|还没到|迟迟)"),
    ("克扣/罚款", r"克扣|乱扣|扣(钱|工资)|乱罚|罚款太|罚得"),
    ("维权/投诉", r"维权|仲裁|投诉|举报|信访|劳动监察|12345|打官司|起诉|告到|上告"),
    ("曝光", r"曝光|记者|媒体|发(到)?网上|发抖音|发微博|上热搜"),
    ("情绪激烈", r"忍无可忍|受不了了|没法活|活不下去|寒心|逼人|欺人太甚|凭什么|太黑了|吸血|不把人当人"),
    ("安全险情", r"瓦斯超限|冒顶|透水|片帮|违章指挥|强令冒险|冒险作业|带病作业|隐患.{0,6}(没人管|不处理|不整改)"),
    ("工伤纠纷", r"工伤.{0,6}(不认|不给|不报|拒绝|私了)|私了|瞒报"),
    ("串联", r"联名|串联|拉群|建群商量|签名"),
)

#: Near-misses blanked out before matching.
NEAR_MISSES = re.compile(
    r"堵车|塞车|堵塞|堵漏|堵水|堵头|封堵|堵截|堵(住|上)(漏洞|隐患|窟窿|缺口)|"
    r"(拉|挂|打)(起)?(横幅|条幅)(庆祝|欢迎|祝贺|宣传|表彰|迎接)|(庆祝|欢迎|祝贺|宣传|安全月|表彰)\S{0,8}(横幅|条幅)|"
    r"(电脑|手机|胃|肚子|脑子|大脑|身体|腰|膝盖|空调|车|打印机|网络|心脏)(也|都|又|要|快)?罢工|"
    r"停工检修|停产检修|停工整顿|停工整改|聚集地|聚集区|防疫聚集|不要聚集|避免聚集|静坐(冥想|一会)|"
    r"拼命(干|工作|学习|三郎)|集合(训练|拉练|整队)|"
    r"(活动|健步走|运动会|比赛|培训|学习|拉练|演练|体检|会议|开会|表彰|出游|旅游|义诊)[^。！？!?]{0,12}(集合|门口见)"
)
_NEGATION = re.compile(r"(不会|不要|不准|不许|别|没有|没|不能|不可能|不打算|没打算|禁止|严禁)[^，。！？,.!?]{0,4}$")
_LEVEL = {Risk.NONE: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}


@dataclass
class RuleResult:
    level: Risk = Risk.NONE
    reasons: list[str] = field(default_factory=list)


_HIGH = [(name, re.compile(p)) for name, p in HIGH_PATTERNS]
_MEDIUM = [(name, re.compile(p)) for name, p in MEDIUM_PATTERNS]


def _blank_near_misses(text: str) -> str:
    return NEAR_MISSES.sub(lambda m: "□" * len(m.group(0)), text)


def rule_risk(text: str) -> RuleResult:
    """Risk level by the curated lexicon alone, with the names of the rules that fired."""
    t = _blank_near_misses(" ".join(text.split()))
    best = RuleResult()

    def raise_to(level: Risk, reason: str) -> None:
        if _LEVEL[level] > _LEVEL[best.level]:
            best.level = level
        if reason not in best.reasons:
            best.reasons.append(reason)

    for name, rx in _HIGH:
        for m in rx.finditer(t):
            negated = bool(_NEGATION.search(t[max(0, m.start() - 8):m.start()]))
            raise_to(Risk.MEDIUM if negated else Risk.HIGH, name + ("(否定)" if negated else ""))
    for name, rx in _MEDIUM:
        if rx.search(t):
            raise_to(Risk.MEDIUM, name)
    return best


def max_risk(*levels: Risk | str) -> Risk:
    """The highest of the given levels."""
    return max((Risk(level) for level in levels), key=_LEVEL.__getitem__, default=Risk.NONE)
