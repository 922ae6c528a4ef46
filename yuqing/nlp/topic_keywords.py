"""Keyword prior for topics: the fallback when the topic classifier is unsure.

Pure: :func:`keyword_topics` counts keyword hits per topic code in a text.
"""

from __future__ import annotations

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "wages": ("工资", "薪", "奖金", "绩效", "工分", "津贴", "补贴", "加班费", "欠薪", "拖欠", "扣钱", "扣工资", "罚款",
              "收入", "涨薪", "降薪", "年终奖", "计件", "夜班费", "讨薪"),
    "safety": ("安全", "瓦斯", "冒顶", "透水", "隐患", "顶板", "支护", "三违", "事故", "通风", "自救器", "违章", "片帮",
               "探放水", "超限", "安检"),
    "labor": ("合同", "劳务派遣", "派遣", "外包", "外委", "辞退", "裁员", "仲裁", "劳动争议", "加班", "休假", "年休假",
              "工时", "倒班", "临时工", "转正", "解除"),
    "insurance": ("社保", "养老", "医保", "公积金", "五险一金", "年金", "退休金", "工伤保险", "报销", "内退", "退休",
                  "养老金", "缴费", "五险"),
    "living": ("食堂", "班中餐", "饭菜", "宿舍", "澡堂", "浴室", "班车", "通勤", "暖气", "供暖", "停水", "停电", "物业",
               "洗衣", "住房", "伙食"),
    "reform": ("改革", "重组", "整合", "混改", "关停", "去产能", "转型", "分流", "转岗", "定员", "智能化", "机器换人",
               "竞聘", "三项制度", "减人提效", "政策"),
    "cadre": ("干部", "领导", "作风", "形式主义", "官僚", "吃拿卡要", "优亲厚友", "暗箱", "不作为", "穿小鞋", "打击报复",
              "一言堂", "腐败", "队长", "走后门"),
    "health": ("职业病", "尘肺", "矽肺", "体检", "粉尘", "噪声", "高温", "防暑", "职业健康", "听力", "防尘", "中暑"),
    "skills": ("培训", "技能", "技师", "竞赛", "比武", "师带徒", "职称", "鉴定", "技术能手", "练兵", "学习班", "考证"),
    "culture": ("运动会", "比赛", "篮球", "拔河", "文艺", "晚会", "书画", "摄影", "读书", "演讲", "健步走", "联欢",
                "乒乓球", "羽毛球", "文体"),
    "assistance": ("困难职工", "帮扶", "送温暖", "金秋助学", "助学", "救助", "慰问", "大病", "困难", "互助", "低保",
                   "特困", "慰问金"),
    "models": ("劳模", "劳动模范", "先进", "奖章", "工匠", "工人先锋号", "表彰", "典型", "榜样", "创新工作室", "标兵"),
}


def _by_first_character() -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for code, words in TOPIC_KEYWORDS.items():
        for w in words:
            index.setdefault(w[0], []).append((code, w))
    return index


#: first character → ``(topic, keyword)`` of every keyword starting with it.
_BY_FIRST = _by_first_character()
_FIRSTS = frozenset(_BY_FIRST)


def keyword_topics(text: str) -> dict[str, int]:
    """Hit counts per topic code (only topics with at least one hit; in display order). Only the
    keywords whose first character occurs in the text are looked for."""
    hits: dict[str, int] = {}
    for c in _FIRSTS.intersection(text):
        for code, w in _BY_FIRST[c]:
            if w in text:
                hits[code] = hits.get(code, 0) + 1
    return {code: hits[code] for code in TOPIC_KEYWORDS if code in hits}


def keyword_topic(text: str) -> str | None:
    """The topic with most keyword hits (ties: display order), or None."""
    hits = keyword_topics(text)
    if not hits:
        return None
    order = list(TOPIC_KEYWORDS)
    return max(hits, key=lambda c: (hits[c], -order.index(c)))
