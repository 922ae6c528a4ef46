"""Which of the nine methods (九法) fits a matter, reasoned from its posts, with a sentence saying why. Pure.

Each method has cue phrases — what workers write when the matter is of that kind (a wage not paid, a
worker who stopped talking, a rule nobody asked them about, a rumour, a competition, fatigue, an
illness, a good deed, a forwarded screenshot) — weighted 1–3 by how clearly they point to it. A post
votes for a method with its strongest cue (a little more for further cues); a method's score is its
mean vote over the matter's posts, plus a prior from the posts' NLP topics, shaped by the posts'
sentiment (praise is 典型培育带动法 only when positive; questions lean to 释疑解惑聚力法). The highest
score wins; the reason names the cues found and what a cadre does under the method.

Measured on the labelled matters in ``corpus/matters.csv`` (``yuqing methods --eval``; README).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .methods import NINE_METHODS

ORDER = tuple(m.name for m in NINE_METHODS)

#: method → {cue: weight}. A cue is a plain substring of the post text.
CUES: dict[str, dict[str, float]] = {
    "合理诉求维护法": {
        **dict.fromkeys(("欠薪", "拖欠", "欠工资", "工资没发", "工资还没", "没发工资", "没到账", "还没到账", "讨薪", "克扣",
                         "少发", "扣了", "扣钱", "没拿到钱", "踢皮球", "说话不算数", "说理", "不按文件",
                         "按文件执行", "执行不一致", "两个标准", "同工不同酬", "同岗不同酬", "该发的", "按规定", "规定的", "没按", "不批", "讨个说法"), 3.0),
        **dict.fromkeys(("加班费", "补助", "补贴", "绩效", "奖金", "报销", "工伤", "年休假", "年假", "劳保", "公积金",
                         "养老金", "高温", "夜班费", "班中餐", "派遣", "合同", "工资条", "待遇", "不合理",
                         "依据", "停了", "没发", "没给", "不发", "走流程", "权益"), 1.5),
    },
    "家访谈心知情法": {
        **dict.fromkeys(("不说话", "闷着", "憋着", "想不开", "活着没意思", "不想活", "睡不着", "离婚", "喝酒", "不对劲",
                         "心神不宁", "走神", "排挤", "心事", "想家", "不想干了", "状态", "心里憋屈",
                         "谈谈", "聊聊", "去他家", "去她家", "家里看看", "家访", "谈心", "私下",
                         "抽烟", "发牢骚", "辞职", "我老公", "我媳妇", "心里不痛快"), 3.0),
        **dict.fromkeys(("媳妇", "老公", "家属", "家里", "孩子", "父母", "爸妈", "老人", "脾气", "吵", "情绪", "憋屈",
                         "老家"), 1.2),
    },
    "民主恳谈沟通法": {
        **dict.fromkeys(("问过我们", "征求", "听听大家", "听听", "听听意见", "商量", "当面", "面对面",
                         "坐下来", "座谈", "开个会", "职工代表", "职代会", "一言堂", "不公示", "公示", "谁定的", "谁同意",
                         "恳谈", "把话说开", "说开", "沟通"), 3.0),
        **dict.fromkeys(("排班", "班车", "通勤", "食堂", "承包", "宿舍", "澡堂", "作风", "骂人", "难听", "机关",
                         "考核办法", "管理办法", "方案", "分配", "定编", "合并", "收费", "领导",
                         "意见", "提了"), 1.3),
    },
    "释疑解惑聚力法": {
        **dict.fromkeys(("政策", "新规", "混改", "分流", "去产能", "关井", "延迟退休", "退养", "内退", "年金", "个税",
                         "工龄", "持证上岗", "体制", "职能移交", "形势", "解读", "解释", "讲讲", "宣讲", "明白纸",
                         "大白话", "看不懂", "没看懂", "不懂", "不明白", "糊涂", "准话", "咨询", "是不是要", "会不会",
                         "到底咋回事", "咋回事", "怎么回事", "心里没底", "人心惶惶", "心里慌"), 3.0),
        **dict.fromkeys(("听说", "都在传", "都说", "说法", "文件", "改革", "退休", "医保", "社保", "报销比例", "降薪",
                         "裁员", "减人", "智能化", "亏损", "到底",
                         "是不是", "能不能", "啥", "咋", "？"), 1.0),
    },
    "工作激情点燃法": {
        **dict.fromkeys(("技能", "比武", "竞赛", "大赛", "创新", "发明", "革新", "攻关", "合理化建议", "师带徒", "带徒",
                         "学技术", "技术推广", "工作室", "技能大师", "考证", "高级工", "技师", "职称", "劲头", "干劲",
                         "积极性", "混日子", "躺平", "干多干少", "奔头", "搭平台", "压担子", "比学赶超", "流动红旗",
                         "排名", "运动会", "激励"), 3.0),
        **dict.fromkeys(("技术", "培训", "学", "琢磨", "绝活", "推广", "年轻人", "大学生", "留不住", "专业", "奖励", "评比"), 1.2),
    },
    "文娱活动减压法": {
        **dict.fromkeys(("文体", "联欢", "晚会", "春节", "中秋", "篮球", "乒乓", "拔河", "跳绳", "广场舞", "摄影", "书法",
                         "书画", "读书角", "棋牌", "健身", "活动室", "娱乐", "业余", "爬山", "放松", "松快", "减压",
                         "压力太大", "压力大", "太累", "累得", "散架", "疲劳", "连轴转", "熬着",
                         "松口气", "歇歇", "热闹", "猜灯谜", "兴趣小组", "疏导", "调节", "节目"), 3.0),
        **dict.fromkeys(("活动", "累", "闷", "烦躁", "紧张", "火气", "加班", "倒班", "夜班", "噪音", "提心吊胆", "运动会", "比赛", "文化"), 1.2),
    },
    "精准帮扶暖心法": {
        **dict.fromkeys(("困难职工", "帮扶", "救助", "救急", "大病", "住院", "手术", "透析", "癌", "白血病", "尿毒症",
                         "尘肺", "ICU", "截肢", "去世", "走了", "着火", "烧了", "泡了", "暴雨", "学费", "助学", "单亲",
                         "瘫痪", "送温暖", "慰问", "看望", "独居", "孤寡", "过世", "病逝", "募捐", "捐款", "水滴筹", "凑钱", "帮一把", "互助保险", "积蓄", "困难"), 3.0),
        **dict.fromkeys(("看病", "吃药", "药", "病", "受伤", "医院", "治病", "房贷", "日子",
                         "一个人住", "照顾", "陪护", "上学", "凑"), 1.3),
    },
    "典型培育带动法": {
        **dict.fromkeys(("劳模", "模范", "先进", "标兵", "榜样", "典型", "表彰", "好样的", "救命恩人", "救了", "拾到",
                         "锦旗", "纪录", "零差错", "工匠", "标杆", "经验", "实至名归", "长脸", "好人", "向他学习", "学学", "学习",
                         "感动", "宣传", "点赞", "服气", "值得"), 3.0),
        **dict.fromkeys(("[强]", "厉害", "真给", "第一", "冠军", "大师", "师傅", "赞", "好事"), 1.2),
    },
    "网络舆情沟通法": {
        **dict.fromkeys(("转发", "在传", "谣言", "辟谣", "澄清", "截图", "视频", "抖音", "快手", "朋友圈",
                         "网上", "贴吧", "阅读量", "评论区", "留言", "没人回", "有没有人回", "管理员", "群主", "小编",
                         "营销号", "链接", "诈骗", "冒充", "声明", "回应", "回个帖", "在群里说", "刷屏", "断章取义", "是真的吗", "真的吗", "工会在吗",
                         "官方", "越传越"), 3.0),
        **dict.fromkeys(("群里", "论坛", "帖子", "发帖", "评论", "回复", "公众号", "转", "传", "网", "图", "引导",
                         "真假", "假的"), 1.0),
    },
}

#: NLP topic → {method: prior weight} (added per share of posts with that topic).
TOPIC_PRIOR: dict[str, dict[str, float]] = {
    "wages": {"合理诉求维护法": 0.8},
    "insurance": {"合理诉求维护法": 0.4, "释疑解惑聚力法": 0.4},
    "labor": {"合理诉求维护法": 0.5, "民主恳谈沟通法": 0.3},
    "living": {"民主恳谈沟通法": 0.6},
    "reform": {"释疑解惑聚力法": 0.9},
    "cadre": {"民主恳谈沟通法": 0.8},
    "health": {"文娱活动减压法": 0.4, "精准帮扶暖心法": 0.3},
    "safety": {"民主恳谈沟通法": 0.3, "合理诉求维护法": 0.3},
    "skills": {"工作激情点燃法": 0.9},
    "culture": {"文娱活动减压法": 0.9},
    "assistance": {"精准帮扶暖心法": 0.9},
    "models": {"典型培育带动法": 0.9},
}

#: A further distinct cue in the same post adds this much to its vote (up to MAX_VOTE).
EXTRA_CUE = 0.3
MAX_VOTE = 4.0
#: At most this many posts are read (a big matter's first and newest ones are enough).
MAX_POSTS = 300
_QUESTION = re.compile(r"[？?]|是不是|会不会|能不能|到底|吗$|吗[，。！]")

REASONS: dict[str, str] = {
    "合理诉求维护法": "属于依法依规应当维护的合理诉求：宜代表职工向职能部门反映，协调限期妥善处置",
    "家访谈心知情法": "是个别职工的思想和家庭情况：宜上门家访、个别谈心，记入家访谈心记录本",
    "民主恳谈沟通法": "是职工对管理安排的意见，需要双向沟通：宜组织民主恳谈会或职工代表问询、商谈",
    "释疑解惑聚力法": "是职工对形势政策了解不多、有疑虑：宜宣讲解读，因人、因时、因事解答疏导",
    "工作激情点燃法": "关乎职工学技术、搞创造的积极性：宜通过技能比武、发明创意大赛、劳模技术推广、劳动竞赛点燃工作激情",
    "文娱活动减压法": "是职工的压力和疲劳：宜开展文化体育活动舒缓压力、消除疲劳",
    "精准帮扶暖心法": "是职工或家庭的困难：宜运用帮扶职工“九项机制”精准帮扶救助",
    "典型培育带动法": "是身边的先进事迹：宜选树、宣传先进典型，发挥带动作用",
    "网络舆情沟通法": "讨论本身在网上发酵：宜在群里、论坛里直接回应，澄清事实、引导情绪（见回应口径）",
}


@dataclass(frozen=True)
class Evidence:
    """One post as the suggestion sees it: its text and the NLP's reading of it."""

    text: str
    topic: str = "other"
    sentiment: str = "neutral"
    risk: str = "none"


@dataclass(frozen=True)
class Suggestion:
    method: str
    reason: str
    #: The cue phrases behind the choice, most frequent first.
    cues: tuple[str, ...] = ()
    #: Every method's score, best first.
    scores: tuple[tuple[str, float], ...] = ()


def _cues_in(text: str, method: str) -> list[tuple[str, float]]:
    return [(c, w) for c, w in CUES[method].items() if c in text]


def _vote(found: list[tuple[str, float]]) -> float:
    if not found:
        return 0.0
    weights = sorted((w for _, w in found), reverse=True)
    return min(MAX_VOTE, weights[0] + EXTRA_CUE * (len(weights) - 1))


def _sample(posts: Sequence[Evidence]) -> Sequence[Evidence]:
    if len(posts) <= MAX_POSTS:
        return posts
    half = MAX_POSTS // 2
    return [*posts[:half], *posts[-half:]]


def score_methods(posts: Sequence[Evidence]) -> tuple[dict[str, float], dict[str, Counter]]:
    """Every method's score and, per method, how many posts each of its cues appeared in."""
    posts = _sample(posts)
    n = len(posts) or 1
    scores = dict.fromkeys(ORDER, 0.0)
    seen: dict[str, Counter] = {m: Counter() for m in ORDER}
    for p in posts:
        text = p.text or ""
        for m in ORDER:
            found = _cues_in(text, m)
            scores[m] += _vote(found) / n
            seen[m].update(c for c, _ in found)
        for m, w in TOPIC_PRIOR.get(p.topic, {}).items():
            scores[m] += w / n
    mix = Counter(p.sentiment for p in posts)
    positive, negative = mix["positive"] / n, mix["negative"] / n
    questions = sum(1 for p in posts if _QUESTION.search(p.text or "")) / n
    # praise is praise only when the posts are positive (a complaint about who was named 先进 is not)
    scores["典型培育带动法"] *= 0.3 + 0.7 * min(1.0, positive / 0.4)
    # a matter told in questions wants answers; a matter told in anger wants more than an explanation
    scores["释疑解惑聚力法"] *= 0.8 + 0.5 * questions - 0.3 * negative
    # hardship and grievances are not cheerful
    scores["精准帮扶暖心法"] *= 1.0 - 0.4 * positive
    scores["合理诉求维护法"] *= 1.0 - 0.5 * positive
    return scores, seen


def suggest(posts: Sequence[Evidence]) -> Suggestion:
    """The method that fits the matter told by ``posts``, and one sentence saying why."""
    scores, seen = score_methods(posts)
    ranked = sorted(ORDER, key=lambda m: (-round(scores[m], 6), ORDER.index(m)))
    best = ranked[0]
    if scores[best] <= 0:
        return Suggestion("家访谈心知情法", "帖子里看不出是哪类事情：宜先走访谈心，了解职工的真实想法",
                          (), tuple((m, 0.0) for m in ranked))
    cues = tuple(c for c, _ in seen[best].most_common(3))
    n = len(_sample(posts))
    with_cue = sum(1 for p in _sample(posts) if _cues_in(p.text or "", best))
    said = "、".join(f"「{c}」" for c in cues)
    if said:
        lead = f"帖子里说到{said}（{with_cue}/{n} 条）" if n > 1 else f"帖子里说到{said}"
    else:
        lead = "帖子的话题"
    return Suggestion(best, f"{lead}，{REASONS[best]}。", cues, tuple((m, round(scores[m], 3)) for m in ranked))
