"""Which of the nine methods (网络舆情沟通法) fits an issue, and why. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..schema import TOPICS

_HARDSHIP = ("困难", "生病", "住院", "大病", "看病", "救助", "补助", "家里出事", "手术", "孩子上学")
_RUMOUR = ("听说", "传言", "谣言", "据说", "是不是", "真的假的", "会不会", "怎么回事", "看不懂", "不明白")
_STRESS = ("压力", "太累", "累死", "加班", "连轴转", "疲劳", "睡不好", "熬夜", "焦虑", "没休息")
_FAMILY = ("家里", "老婆", "孩子", "老人", "家属", "心理", "想不开", "抑郁")
_ARREARS = ("欠薪", "拖欠", "欠工资", "工资没发", "讨薪", "克扣", "扣工资", "绩效没发", "奖金没发")
_PRAISE = ("劳模", "先进", "标兵", "榜样", "表彰", "点赞", "工匠", "师傅")
_SUGGEST = ("建议", "提个建议", "改进", "隐患", "合理化")


def _has(words: Iterable[str], keywords: set[str], text: str) -> bool:
    return any(w in keywords or w in text for w in words)


def suggest_method(topic: str, sentiment_mix: Mapping[str, float], risk: str,
                   keywords: Iterable[str] = (), text: str = "") -> tuple[str, str]:
    """(method, reason) for an issue.

    ``sentiment_mix`` is the share of negative/neutral/positive posts; ``risk`` the highest post
    risk (none/medium/high); ``keywords`` the NLP keywords of its posts; ``text`` optional sample text.
    """
    kw = set(keywords)
    neg = sentiment_mix.get("negative", 0.0)
    pos = sentiment_mix.get("positive", 0.0)
    topic_name = TOPICS.get(topic, topic)
    heated = neg >= 0.6 and risk == "high"

    if topic == "wages" or _has(_ARREARS, kw, text):
        if neg >= pos:
            return "合理诉求维护法", f"涉及{topic_name}（欠薪、待遇）的合理诉求，应依法依规帮助职工维护，协调行政限期解决"
    if topic == "assistance" or _has(_HARDSHIP, kw, text):
        return "精准帮扶暖心法", "职工反映生活困难或患病，需要精准帮扶、送温暖"
    if topic == "models" and pos >= neg:
        return "典型培育带动法", "职工称赞先进典型，宜选树宣传、发挥示范带动作用"
    if _has(_PRAISE, kw, "") and pos > 0.5:
        return "典型培育带动法", "正面评价集中，宜选树宣传先进典型"
    if topic == "reform" or _has(_RUMOUR, kw, text):
        return "释疑解惑聚力法", "职工对政策、改革或传言有疑虑，需要及时权威解读、澄清事实"
    if heated or (neg >= 0.7 and topic in ("cadre", "labor", "living")):
        return "民主恳谈沟通法", f"围绕{topic_name}的情绪较大（负面 {neg:.0%}），宜组织职工代表与行政面对面恳谈"
    if topic == "health" or _has(_STRESS, kw, text):
        if _has(_FAMILY, kw, text):
            return "家访谈心知情法", "职工压力大并牵涉家庭、心理，宜走访谈心了解真实想法"
        return "文娱活动减压法", "职工反映疲劳、压力大，宜开展文体活动疏导压力"
    if topic == "culture":
        return "文娱活动减压法", "职工关心文体活动，宜组织活动凝聚人心、缓解压力"
    if topic in ("safety", "skills") or _has(_SUGGEST, kw, text):
        return "建言献策激励法", f"职工就{topic_name}提出意见，宜鼓励建言献策，采纳后给予激励"
    if topic in ("labor", "insurance", "living"):
        return "协商共事和谐法", f"{topic_name}问题宜通过集体协商、厂务公开解决"
    if topic == "cadre":
        return "民主恳谈沟通法", "职工对干部作风有意见，宜组织恳谈、当面听取意见"
    return "家访谈心知情法", "情况尚不清楚，先走访谈心了解职工真实想法"
