"""The one tokenizer: used by the models and by full-text search alike.

jieba with yuqing's domain dictionary (``dicts/domain.txt``: coal-mining and union terms)
loaded once into a private :class:`jieba.Tokenizer`; WeChat emoji codes such as ``[微笑]``
are kept as single tokens; ASCII letters are folded to lower case. Results are cached per
text, so the three models and the search index cut a post once.

HMM (new-word discovery) is off: measured it is ~1.4x slower and splits domain terms less
consistently between a query and the indexed text (see benchmarks/nlp_bench.py). Without HMM,
jieba's segmentation is a max-probability path through the dictionary DAG; :func:`_cut_block`
computes exactly that path from the instance's dictionary (tested equal to
``jieba.Tokenizer.cut(HMM=False)``) ~1.4x faster, with jieba's log-frequencies cached.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from math import log
from pathlib import Path

import jieba

jieba.setLogLevel(60)

DOMAIN_DICT = Path(__file__).parent / "dicts" / "domain.txt"
USE_HMM = False

_EMOJI = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
_PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")  # jieba's re_han_default
_RE_SKIP = re.compile("(\r\n|\\s)")  # jieba's re_skip_default
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_logfreq: dict[str, float] = {}


def _jieba() -> jieba.Tokenizer:
    """The shared jieba instance, dictionary and domain words loaded on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                t = jieba.Tokenizer()
                t.initialize()
                t.load_userdict(str(DOMAIN_DICT))
                _tokenizer = t
    return _tokenizer


def domain_words() -> list[str]:
    """The words of the domain dictionary, in file order."""
    with DOMAIN_DICT.open(encoding="utf-8") as fh:
        return [line.split()[0] for line in fh if line.strip()]


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), ASCII lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=100_000)
def _cut_text(text: str) -> tuple[str, ...]:
    text = normalise(text)
    out: list[str] = []
    pos = 0
    for m in _EMOJI.finditer(text):
        out.extend(_cut(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.extend(_cut(text[pos:]))
    return tuple(out)


def _cut(chunk: str) -> list[str]:
    if not chunk:
        return []
    if USE_HMM:
        return [t for t in _jieba().cut(chunk, HMM=True) if not t.isspace()]
    out: list[str] = []
    for blk in _RE_HAN.split(chunk):
        if not blk:
            continue
        if _RE_HAN.match(blk):
            out.extend(_cut_block(blk))
        else:
            for x in _RE_SKIP.split(blk):
                if x and not x.isspace():
                    out.extend(x)
    return out


def _cut_block(s: str) -> list[str]:
    """jieba's no-HMM cut of one block of CJK/alphanumerics: the max log-probability path through
    the dictionary DAG (ties to the longer word), runs of single letters/digits joined."""
    t = _jieba()
    freq, logtotal, logf = t.FREQ, log(t.total), _logfreq
    n = len(s)
    dag = []
    for k in range(n):
        ends = []
        i, frag = k, s[k]
        while i < n and frag in freq:
            if freq[frag]:
                ends.append(i)
            i += 1
            frag = s[k:i + 1]
        dag.append(ends or [k])
    score = [0.0] * (n + 1)
    nxt = [0] * (n + 1)
    for idx in range(n - 1, -1, -1):
        best_s, best_x = None, 0
        for x in dag[idx]:
            w = s[idx:x + 1]
            lf = logf.get(w)
            if lf is None:
                lf = logf[w] = log(freq.get(w) or 1) - logtotal
            sc = lf + score[x + 1]
            if best_s is None or sc > best_s or (sc == best_s and x > best_x):
                best_s, best_x = sc, x
        score[idx], nxt[idx] = best_s, best_x
    out: list[str] = []
    buf = ""
    x = 0
    while x < n:
        y = nxt[x] + 1
        w = s[x:y]
        if y - x == 1 and w in _ALNUM:
            buf += w
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(w)
        x = y
    if buf:
        out.append(buf)
    return out


def tokenize(text: str) -> list[str]:
    """Segment ``text`` into tokens (emoji codes kept whole, whitespace dropped)."""
    return list(_cut_text(text))


@lru_cache(maxsize=200_000)
def is_word(token: str) -> bool:
    """True unless the token is only punctuation/symbols (emoji codes count as words)."""
    return bool(_EMOJI.fullmatch(token)) or not _PUNCT_OR_SPACE.fullmatch(token)


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(t for t in _cut_text(text) if is_word(t))


def words(text: str) -> list[str]:
    """The tokens that are words (punctuation dropped): what the models and the index use."""
    return list(_words(text))


def tokenize_query(text: str) -> list[str]:
    """Tokens of a search query, cut the same way the index was (punctuation dropped)."""
    return list(_words(text))
