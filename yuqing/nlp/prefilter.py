"""Which texts of a batch a regular expression can match at all, found with numpy. Pure.

:func:`necessary_conditions` reads a pattern's syntax tree and returns conditions every match
satisfies: each a set of one- and two-character strings one of which the match contains (a
mandatory literal's character, a bigram of a mandatory literal run, a mandatory character class,
or, for an alternation, the union over its branches). A text that fails one of a pattern's
conditions cannot match it, so :class:`GramFilter` lets the caller run a pattern on the few texts
that can. Only speed depends on which conditions are chosen (the rarer the grams the better); a
pattern without conditions (one that can match an empty string, a negated class, a flag such as
IGNORECASE) is simply run on every text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

try:
    from re import _parser as _sre  # Python >= 3.11
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre

#: The most frequent Chinese characters (and the space): a condition made of them rules out few texts.
_COMMON = set(" 的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作"
              "里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从"
              "想实日者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应向头文体")
_UNI_BITS = 21  # a code point's bits: a bigram key is first << 21 | second
_BMP = 0x10000


def _cost(grams: set[str]) -> int:
    return sum((40 if g in _COMMON else 4) if len(g) == 1 else (2 if g[0] in _COMMON and g[1] in _COMMON else 1)
               for g in grams)


def _sequence(items) -> list[set[str]]:
    """Conditions of a sequence: one per mandatory part (a literal run gives its rarest bigram)."""
    found: list[set[str]] = []
    run = ""
    for op, av in [*items, (None, None)]:
        if op is _sre.LITERAL:
            run += chr(av)
            continue
        if run:  # any one bigram of a literal run is necessary; a lone character is
            grams = [{run}] if len(run) == 1 else [{run[i:i + 2]} for i in range(len(run) - 1)]
            found.append(min(grams, key=_cost))
            run = ""
        if op is not None:
            found.extend(_item(op, av))
    return found


def _item(op, av) -> list[set[str]]:
    if op is _sre.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is _sre.LITERAL:
                chars.add(chr(a))
            elif o is _sre.RANGE and a[1] - a[0] <= 512:
                chars.update(map(chr, range(a[0], a[1] + 1)))
            else:  # negated, a category (\d, \w …) or a wide range: any character
                return []
        return [chars]
    if op is _sre.SUBPATTERN:
        return [] if av[1] & re.IGNORECASE else _sequence(av[-1])
    if op is _sre.BRANCH:  # one condition per branch, united
        branches = [_sequence(b) for b in av[1]]
        return [] if not all(branches) else [set().union(*(min(b, key=_cost) for b in branches))]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        return _sequence(av[2]) if av[0] >= 1 else []
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence(av)
    return []  # anchors, lookarounds, any character, back-references: no condition


def necessary_conditions(pattern: re.Pattern, most: int = 2) -> list[set[str]]:
    """Up to ``most`` conditions (the rarest) every match of ``pattern`` satisfies: sets of one- and
    two-character strings, each holding one the match contains; [] when there are none."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE) or not isinstance(pattern.pattern, str):
        return []
    try:
        found = _sequence(list(_sre.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - an unfamiliar tree: no condition, the pattern runs everywhere
        return []
    unique = []
    for c in sorted(found, key=_cost):
        if c not in unique:
            unique.append(c)
    return unique[:most]


def necessary_grams(pattern: re.Pattern) -> set[str] | None:
    """The rarest of :func:`necessary_conditions`, or None."""
    found = necessary_conditions(pattern, 1)
    return found[0] if found else None


class GramFilter:
    """Which texts may match each of a list of patterns: those meeting all of the pattern's
    :func:`necessary_conditions` (at most 63 conditions in all; past that, one per pattern)."""

    def __init__(self, patterns: Sequence[re.Pattern]):
        conditions = [necessary_conditions(rx) for rx in patterns]
        if sum(map(len, conditions)) > 63:
            conditions = [c[:1] for c in conditions]
        if sum(map(len, conditions)) > 63:
            raise ValueError("too many patterns for one GramFilter")
        self.n_patterns = len(patterns)
        self._needs: list[int] = []  # per pattern: the condition bits it needs (0: none, always a candidate)
        uni: dict[int, int] = {}
        bi: dict[int, int] = {}
        bit = 0
        for conds in conditions:
            need = 0
            for grams in conds:
                for g in grams:
                    table, key = (uni, ord(g)) if len(g) == 1 else (bi, ord(g[0]) << _UNI_BITS | ord(g[1]))
                    table[key] = table.get(key, 0) | 1 << bit
                need |= 1 << bit
                bit += 1
            self._needs.append(need)
        # one-character grams: a table over the Basic Multilingual Plane (codes above it: searched)
        self._uni_table = np.zeros(_BMP, dtype=np.int64)
        for key, bits in uni.items():
            if key < _BMP:
                self._uni_table[key] = bits
        wide = sorted(k for k in uni if k >= _BMP)
        self._wide_keys = np.array(wide, dtype=np.int64)
        self._wide_bits = np.array([uni[k] for k in wide], dtype=np.int64)
        # two-character grams: searched only where a text has a gram's first character
        self._bi_keys = np.array(sorted(bi), dtype=np.int64)
        self._bi_bits = np.array([bi[k] for k in sorted(bi)], dtype=np.int64)
        self._bi_first = np.zeros(_BMP + 1, dtype=bool)  # the last slot: every code above the BMP
        for key in bi:
            self._bi_first[min(key >> _UNI_BITS, _BMP)] = True

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
        met = np.zeros(n, dtype=np.int64)  # the conditions each text meets
        if lengths.sum():
            codes = np.frombuffer("\0".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
            in_bmp = np.minimum(codes, _BMP)
            hits = self._uni_table[np.where(codes < _BMP, codes, 0)]
            wide = np.flatnonzero(codes >= _BMP)
            if len(wide) and len(self._wide_keys):
                hits[wide] |= self._lookup(codes[wide], self._wide_keys, self._wide_bits)
            at = np.flatnonzero(self._bi_first[in_bmp[:-1]])
            if len(at):
                hits[at] |= self._lookup(codes[at] << _UNI_BITS | codes[at + 1], self._bi_keys, self._bi_bits)
            starts = np.cumsum(lengths + 1) - lengths - 1  # each text is followed by one "\0"
            filled = lengths > 0
            met[filled] = np.bitwise_or.reduceat(hits, starts[filled])
        out = np.zeros(n, dtype=np.int64)
        for i, need in enumerate(self._needs):
            out |= ((met & need) == need).astype(np.int64) << i
        return out
