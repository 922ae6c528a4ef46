"""Sentiment lexicons read from the shared data at train time (never copied into the repo).

HowNet and NTUSD polarity words, HowNet/BosonNLP negations, HowNet degree adverbs, plus a few
WeChat emoji codes and worker-domain words listed here. The result is stored inside the fitted
pipeline (:class:`~yuqing.nlp.features.LexiconFeatures`), so prediction needs no shared data.
"""

from __future__ import annotations

from pathlib import Path

from .data import shared_data_dir
from .features import LexiconFeatures

EMOJI_POSITIVE = ("[强]", "[赞]", "[鼓掌]", "[玫瑰]", "[爱心]", "[耶]", "[愉快]", "[憨笑]", "[偷笑]", "[呲牙]",
                  "[哈哈]", "[爱你]", "[心]", "[嘻嘻]", "[good]", "[握手]", "[抱拳]", "[庆祝]", "[太开心]", "[奋斗]")
EMOJI_NEGATIVE = ("[流泪]", "[大哭]", "[怒]", "[发怒]", "[抓狂]", "[衰]", "[难过]", "[委屈]", "[撇嘴]", "[鄙视]",
                  "[晕]", "[生病]", "[吐]", "[泪]", "[悲伤]", "[失望]", "[怒骂]", "[叹气]", "[可怜]", "[快哭了]")
DOMAIN_NEGATIVE = ("欠薪", "拖欠", "克扣", "罚款", "扣钱", "扣工资", "降薪", "讨薪", "堵门", "罢工", "上访", "不公平",
                   "寒心", "憋屈", "糊弄", "形式主义", "官僚主义", "穿小鞋", "打击报复", "隐患", "冒顶", "透水", "超限",
                   "尘肺", "职业病", "工伤", "裁员", "下岗", "待岗", "欠发", "缓发", "停发", "凭什么", "没人管")
DOMAIN_POSITIVE = ("送温暖", "慰问", "点赞", "劳模", "先进", "感谢", "暖心", "表彰", "涨工资", "补发", "落实", "解决了")
DEGREES = {"extreme.txt": 2.0, "very.txt": 1.5, "more.txt": 1.25, "ish.txt": 0.6}


def _words(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    return [w.strip() for w in text.splitlines() if w.strip() and " " not in w.strip()]


def polarity_lexicon(root: Path | None = None) -> dict[str, int]:
    """word -> +1/-1; words listed as both positive and negative are left out."""
    lex = (root or shared_data_dir()) / "lexicons"
    pos = set(_words(lex / "hownet" / "pos.txt")) | set(_words(lex / "ntusd" / "ntusd-positive.txt"))
    neg = set(_words(lex / "hownet" / "neg.txt")) | set(_words(lex / "ntusd" / "ntusd-negative.txt"))
    pos |= set(EMOJI_POSITIVE) | set(DOMAIN_POSITIVE)
    neg |= set(EMOJI_NEGATIVE) | set(DOMAIN_NEGATIVE)
    both = pos & neg
    out = {w: 1 for w in pos - both}
    out.update({w: -1 for w in neg - both})
    return dict(sorted(out.items()))


def negations(root: Path | None = None) -> list[str]:
    lex = (root or shared_data_dir()) / "lexicons"
    return sorted(set(_words(lex / "hownet" / "deny.txt")) | set(_words(lex / "bosonnlp" / "notDict.utf8.txt")))


def degrees(root: Path | None = None) -> dict[str, float]:
    lex = (root or shared_data_dir()) / "lexicons" / "hownet"
    out: dict[str, float] = {}
    for name, weight in DEGREES.items():
        for w in _words(lex / name):
            out.setdefault(w, weight)
    return dict(sorted(out.items()))


def lexicon_features(root: Path | None = None) -> LexiconFeatures:
    """A :class:`LexiconFeatures` filled from the shared lexicons."""
    return LexiconFeatures(polarity_lexicon(root), negations(root), degrees(root))


def lexicon_files(root: Path | None = None) -> list[Path]:
    """The shared lexicon files a model built by :func:`lexicon_features` depends on."""
    lex = (root or shared_data_dir()) / "lexicons"
    return [lex / "hownet" / "pos.txt", lex / "hownet" / "neg.txt", lex / "ntusd" / "ntusd-positive.txt",
            lex / "ntusd" / "ntusd-negative.txt", lex / "hownet" / "deny.txt", lex / "bosonnlp" / "notDict.utf8.txt",
            *(lex / "hownet" / n for n in DEGREES)]
