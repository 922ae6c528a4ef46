"""Which texts of a batch a regular expression can match at all, found with numpy. Pure.

:func:`necessary_grams` reads a pattern's syntax tree and returns a set of one- and two-character
strings one of which every match must contain (a mandatory literal's character, a bigram of a
mandatory literal run, or, for an alternation, the union over its branches), or None when it
cannot tell (an optional-only pattern, a negated class, a flag such as IGNORECASE). A text that
contains none of a pattern's grams cannot match it, so :class:`GramFilter` lets the caller run a
pattern on the few texts that can. Only speed depends on which grams are chosen (the rarer the
better); a pattern without grams is simply run on every text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

try:
    from re import _parser as _sre  # Python >= 3.11
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre

#: Frequent Chinese characters (and the space): a condition made of them rules out few texts.
_COMMON = set(" 的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作"
              "里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从"
              "想实日者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应向头文体"
              "政美相见被利什二等产或新己制身果加西月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比"
              "员解水名真论处走义各入几口认条平系气题活更别打女变四总何电数安少报才结反受目太量再感建务做接必场件"
              "计管期市直资命山金指许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完"
              "设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改"
              "收根干造言联持组每济车亲极林服快办议往元英证近失转夫令准布始怎呢存未远叫台单影具字爱击流备兵连调深"
              "商算质团集百需价花党华城石级整府离况请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八"
              "功吗包片史委乎查轻易早曾除农找装广显吧李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列红"
              "响虽推势参希古众构房半节土投某案黑维划致律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留"
              "讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱"
              "破网热助倒育属坐限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微")
_UNI_BITS = 21  # a code point's bits: a bigram key is first << 21 | second


def _cost(grams: set[str]) -> int:
    return sum((40 if g in _COMMON else 4) if len(g) == 1 else (2 if g[0] in _COMMON and g[1] in _COMMON else 1)
               for g in grams)


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if _cost(a) <= _cost(b) else b


def _sequence(items) -> set[str] | None:
    """The cheapest condition among the mandatory parts of a sequence (None: no condition)."""
    found = None
    run = ""
    for op, av in [*items, (None, None)]:
        if op is _sre.LITERAL:
            run += chr(av)
            continue
        if run:  # any one bigram of a literal run is necessary; a lone character is
            grams = [{run}] if len(run) == 1 else [{run[i:i + 2]} for i in range(len(run) - 1)]
            found = _better(found, min(grams, key=_cost))
            run = ""
        if op is not None:
            found = _better(found, _item(op, av))
    return found


def _item(op, av) -> set[str] | None:
    if op is _sre.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is _sre.LITERAL:
                chars.add(chr(a))
            elif o is _sre.RANGE and a[1] - a[0] <= 512:
                chars.update(map(chr, range(a[0], a[1] + 1)))
            else:  # negated, a category (\d, \w …) or a wide range: any character
                return None
        return chars
    if op is _sre.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _sequence(av[-1])
    if op is _sre.BRANCH:
        branches = [_sequence(b) for b in av[1]]
        return None if any(b is None for b in branches) else set().union(*branches)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        return _sequence(av[2]) if av[0] >= 1 else None
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence(av)
    return None  # anchors, lookarounds, any character, back-references: no condition


def necessary_grams(pattern: re.Pattern) -> set[str] | None:
    """One- and two-character strings one of which every match of ``pattern`` contains, or None."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE) or not isinstance(pattern.pattern, str):
        return None
    try:
        return _sequence(list(_sre.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - an unfamiliar tree: no condition, the pattern runs everywhere
        return None


class GramFilter:
    """For up to 63 patterns, which texts contain one of each pattern's :func:`necessary_grams`."""

    def __init__(self, patterns: Sequence[re.Pattern]):
        if len(patterns) > 63:
            raise ValueError("GramFilter takes at most 63 patterns")
        self.always = 0  # patterns without a condition
        uni: dict[int, int] = {}
        bi: dict[int, int] = {}
        for i, rx in enumerate(patterns):
            grams = necessary_grams(rx)
            if grams is None:
                self.always |= 1 << i
                continue
            for g in grams:
                if len(g) == 1:
                    uni[ord(g)] = uni.get(ord(g), 0) | 1 << i
                else:
                    key = ord(g[0]) << _UNI_BITS | ord(g[1])
                    bi[key] = bi.get(key, 0) | 1 << i
        self._uni_keys = np.array(sorted(uni), dtype=np.int64)
        self._uni_bits = np.array([uni[k] for k in sorted(uni)], dtype=np.int64)
        self._bi_keys = np.array(sorted(bi), dtype=np.int64)
        self._bi_bits = np.array([bi[k] for k in sorted(bi)], dtype=np.int64)

    @staticmethod
    def _lookup(keys: np.ndarray, table: np.ndarray, bits: np.ndarray) -> np.ndarray:
        if len(table) == 0:
            return np.zeros(len(keys), dtype=np.int64)
        pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
        return np.where(table[pos] == keys, bits[pos], 0)

    def candidates(self, texts: Sequence[str]) -> np.ndarray:
        """One int per text: bit ``i`` set when pattern ``i`` may match the text."""
        n = len(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        out = np.zeros(n, dtype=np.int64)
        if lengths.sum():
            codes = np.frombuffer("\0".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
            hits = self._lookup(codes, self._uni_keys, self._uni_bits)
            if len(codes) > 1:
                hits[:-1] |= self._lookup(codes[:-1] << _UNI_BITS | codes[1:], self._bi_keys, self._bi_bits)
            starts = np.cumsum(lengths + 1) - lengths - 1  # each text is followed by one "\0"
            filled = lengths > 0
            out[filled] = np.bitwise_or.reduceat(hits, starts[filled])
        return out | self.always
