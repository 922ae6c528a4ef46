"""The curated risk lexicon: collective-action plans and other triggers, with near-miss handling.

Pure functions over text. :func:`rule_risk` returns the level the rules alone give and the
reasons (the phrases that fired), so staff can see why a post was flagged. Near-misses
(「堵车」「拉横幅庆祝」「电脑罢工」) are blanked out before matching; a negated trigger
(「不会去堵门」) counts one level lower, because talk of not doing it still means it is talked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..schema import Risk
from .prefilter import GramFilter

_PLACE = r"(门口|大门|矿部|机关大楼|办公楼|调度楼|集团|公司总部|总部|政府|市里|省里|县里|区里|信访办|信访局|劳动局|人社局|北京|电视台)"
_WHO = r"(大家|我们|咱们|咱|全队|全班|全区队|兄弟们|工友们|所有人|一起|都|集体|一块儿?)"

#: Direct collective-action words and indirect plans: high risk.
HIGH_PATTERNS: tuple[tuple[str, str], ...] = (
    ("堵门/堵路", r"堵(大|厂|矿|公司|集团)?门|堵路|堵(住)?(大门|厂门|矿门|路口|马路)|围堵|"
                 r"(门|路|大门|路口)(给)?堵(了|上|住|着)|(门口|楼前|楼下)堵着"),
    ("罢工/停工", r"罢工|罢餐|集体停工|集体怠工|停工(抗议|讨薪)|全体停工|怠工|全队(都)?(停工|不干了)"),
    ("上访", r"集体上访|越级上访|(去|到|上)(北京|省里|省城|市里|集团)?上访|上访|信访"),
    ("拉横幅", r"(拉|打|挂|举)(起)?(横幅|条幅|标语牌)"),
    ("静坐/聚集", r"静坐|聚集|群体性事件|示威|游行|(门口|楼前|楼下|楼顶|井口|家门口)[^，。！？]{0,6}(坐着|站着|跪着|不下来|不下去|等着)"),
    ("极端言行", r"跳楼|跳下去|跳塔吊|自杀|以死相逼|跟(他|你|谁)(们)?拼(了|命)|同归于尽|喝药|一死了之|一了百了|不想活|砍人|放火|"
                r"活着(也|太)?(是)?(受罪|太累)|不想再醒|死也要|临死"),
    ("集体行动计划", _WHO + r"[^。！？]{0,10}(去|到|上|堵|围|坐|站)[^。！？]{0,8}" + _PLACE),
    ("集体不下井", r"(都别|都不|谁也别|谁都别|谁也不|谁都不|一起不|集体不|全都不|明天不|明天都不|统一不|一个都不)[^，。！？]{0,4}"
                  r"(下井|上班|出工|干活|开工|入井|出勤|进去|进|去吃|下(这个)?工作面)"),
    ("集体请假/辞职", r"集体(请假|辞职|休班|罢餐)"),
    ("讨说法行动", r"(一起|大家|都|集体|明天|周一|去|到)[^。！？]{0,12}(讨|要)(个)?说法|讨(个)?说法[^。！？]{0,8}(去|走|集合)|等到给说法"),
    ("闹大", r"(把事)?(闹|搞)(大|到(集团|省里|市里|北京|网上))|闹个(天翻地覆|底朝天)"),
    ("串联动员", r"谁跟我(一起)?(去|走)?[。！？!?]?$|谁跟我(一起)?(去|走)|愿意的(自己)?来|人齐了|一起去找他|"
                r"(全楼|全队|全矿|几个矿|几个队|全体)的?人?(一起)?(去|到)|人多力量大|人多了(他们)?才怕|一个(都|也)不能少|老地方(见|集合|出发|开会)|"
                r"(名单上的人|大家)都通知到|(安排|包)好了?[^。！？]{0,6}(大巴|车)|带上工资条|不去的[^。！？]{0,8}别"),
    ("曝光威胁", r"(发|挂|传)(到)?(抖音|快手|微博|网上)|联系(了)?(媒体|记者)|(发|交)给(了)?记者|曝光|让(全网|网友|全国人民)|"
                r"(电视台|热线)来管|实名举报"),
    ("集合约定", r"(明天|后天|礼拜.|周[一二三四五六日天]|[0-9一二三四五六七八九十]+点)[^。！？]{0,10}(碰头|门口见|楼前见|不见不散)|"
                r"(集合|碰头)[^。！？]{0,8}(商量怎么|一起去|去省|去市|去集团)"),
    ("瞒报", r"瞒报|瞒着不报|瞒到|压着不让说|不许外传|统一口径|改口供|捂着不让说|没上报|压下去"),
)

#: Grievances, threats of exposure, serious safety talk: medium risk.
MEDIUM_PATTERNS: tuple[tuple[str, str], ...] = (
    ("欠薪", r"欠薪|拖欠|欠发|缓发|停发|讨薪|讨要工资|工资.{0,4}(没发|不发|还没到|迟迟)"),
    ("克扣/罚款", r"克扣|乱扣|扣(钱|工资)|乱罚|罚款太|罚得"),
    ("维权/投诉", r"维权|仲裁|投诉|举报|信访|劳动监察|12345|打官司|起诉|告到|上告"),
    ("舆论", r"记者|媒体|上热搜|评评理"),
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
    r"(活动|健步走|运动会|比赛|培训|学习|拉练|演练|体检|会议|开会|表彰|出游|旅游|义诊|登山|爬山|团建|参观|演出|观看)"
    r"[^。！？!?]{0,12}(集合|门口见|上车|出发)|"
    r"(去|到)(集团|市里|省里|北京|省城)[^，。！？]{0,4}(比赛|演出|参观|打球|打比赛|打了|开会|学习|培训|看演出|领奖|表演)|"
    r"(比赛|演出|参观|团建|学习|培训|开会|领奖)[^。！？]{0,12}(去|到)(集团|市里|省里|北京|省城)|国外[^。！？]{0,10}罢工"
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
    return _evaluate(" ".join(text.split()), _ALL)


def rule_risk_many(texts: Sequence[str]) -> list[RuleResult]:
    """:func:`rule_risk` of every text. A pattern runs only on the texts that meet its necessary
    conditions (each: one of a set of one- or two-character strings occurs; :mod:`yuqing.nlp.prefilter`,
    one numpy pass over the batch): most texts meet no rule's and are not searched at all."""
    norm = [" ".join(t.split()) for t in texts]
    out = []
    for t, may in zip(norm, _gram_filter().candidates(norm).tolist()):
        out.append(_evaluate(t, may) if may & _RULE_BITS else RuleResult())
    return out


_RULES = _HIGH + _MEDIUM
_ALL = (1 << (len(_RULES) + 1)) - 1
_NEAR_BIT = 1 << len(_RULES)
_RULE_BITS = _NEAR_BIT - 1


@lru_cache(maxsize=1)
def _gram_filter() -> GramFilter:
    return GramFilter([rx for _, rx in _RULES] + [NEAR_MISSES])


def _evaluate(t: str, may: int) -> RuleResult:
    """The rules on the whitespace-normalised ``t``, skipping the patterns whose bit in ``may`` is
    clear (they cannot match it) and the near-miss blanking when its bit is clear."""
    if may & _NEAR_BIT:
        t = _blank_near_misses(t)
    best = RuleResult()

    def raise_to(level: Risk, reason: str) -> None:
        if _LEVEL[level] > _LEVEL[best.level]:
            best.level = level
        if reason not in best.reasons:
            best.reasons.append(reason)

    for i in _set_bits(may & _RULE_BITS):  # the high patterns first, in order, then the medium ones
        name, rx = _RULES[i]
        if i < len(_HIGH):
            for m in rx.finditer(t):
                negated = bool(_NEGATION.search(t[max(0, m.start() - 8):m.start()]))
                raise_to(Risk.MEDIUM if negated else Risk.HIGH, name + ("(否定)" if negated else ""))
        elif rx.search(t):
            raise_to(Risk.MEDIUM, name)
    return best


def _set_bits(mask: int) -> list[int]:
    """The positions of the bits set in ``mask``, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def max_risk(*levels: Risk | str) -> Risk:
    """The highest of the given levels."""
    return max((Risk(level) for level in levels), key=_LEVEL.__getitem__, default=Risk.NONE)
