"""The one tokenizer: used by the models and by full-text search alike.

jieba's dictionary plus yuqing's domain dictionary (``dicts/domain.txt``: coal-mining and union
terms), cut by jieba-rs (the ``rjieba`` binding; its built-in dictionary is jieba's ``dict.txt``);
WeChat emoji codes such as ``[微笑]`` are kept as single tokens; ASCII letters are folded to lower
case. Results are cached per text, so the models, keywords and the search index cut a post once.

jieba-rs runs jieba's algorithm (max-probability path through the dictionary DAG) natively: it
gives jieba's own cut (no HMM) on 99.96% of the benchmark's texts (the rest differ in ties such as
「两两」 vs 「两 两」) at ~6x jieba's speed (29,280 vs 4,614 posts/s on a busy machine, ``benchmarks/nlp_bench.py``);
``tests/nlp/test_tokenize.py`` keeps that agreement at >= 98%. :func:`_jieba` (jieba itself) is only
the reference those measurements compare with (imported when asked for: importing jieba costs ~0.25
CPU-s). HMM (new-word discovery) is off: it is slower and splits domain terms less
consistently between a query and the indexed text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import rjieba

if TYPE_CHECKING:
    import jieba

from ..decoding import replace_lone_surrogates

#: The domain dictionary, a data file of the package (found with importlib.resources, like the models).
DOMAIN_DICT = Path(str(resources.files("yuqing.nlp").joinpath("dicts", "domain.txt")))

_EMOJI = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
_PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_engine: rjieba.Jieba | None = None


def _jieba() -> jieba.Tokenizer:
    """jieba itself with the domain words loaded: the reference the engine is measured against."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(60)
                t = jieba.Tokenizer()
                t.initialize()
                t.load_userdict(str(DOMAIN_DICT))
                _tokenizer = t
    return _tokenizer


def _rjieba() -> rjieba.Jieba:
    """The cutting engine: jieba-rs, whose built-in dictionary is jieba's ``dict.txt``, plus the domain
    words with their frequencies (what :func:`_jieba` loads too; ~0.1 s instead of ~0.9 s).

    ``import rjieba`` already builds one engine with the built-in dictionary (its module-level
    default); yuqing takes that one over rather than building a second (~0.2 CPU-s and ~25 MB
    saved; nothing else in the process uses rjieba's module-level functions)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                engine = getattr(rjieba, "_DEFAULT_JIEBA", None) or rjieba.Jieba()
                for word, freq in domain_entries():
                    engine.add_word(word, freq, None)
                _engine = engine
    return _engine


def domain_entries() -> list[tuple[str, int]]:
    """``(word, frequency)`` of every line of the domain dictionary, in file order."""
    with DOMAIN_DICT.open(encoding="utf-8") as fh:
        rows = [line.split() for line in fh if line.strip()]
    return [(r[0], int(r[1]) if len(r) > 1 else 3000) for r in rows]


def domain_words() -> list[str]:
    """The words of the domain dictionary, in file order."""
    return [w for w, _ in domain_entries()]


def _narrow_table() -> dict[int, str]:
    """Full-width ASCII and the ideographic space → their NFKC form (one ASCII character each,
    taken from unicodedata itself)."""
    table = {}
    for c in [*range(0xFF01, 0xFF5F), 0x3000]:
        nfkc = unicodedata.normalize("NFKC", chr(c))
        if len(nfkc) == 1 and nfkc.isascii() and unicodedata.normalize("NFKD", chr(c)) == nfkc:
            table[c] = nfkc
    return table


_NARROW = _narrow_table()
_WIDE_RUN = re.compile("[" + "".join(map(chr, sorted(_NARROW))) + "]+")


def _narrow_run(m: re.Match) -> str:
    return m.group().translate(_NARROW)


@lru_cache(maxsize=20_000)
def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), ASCII lower case; a lone UTF-16 surrogate (half
    an emoji from a broken JSON export) becomes U+FFFD instead of breaking the UTF-8 the engines need.

    Full-width ASCII (Chinese punctuation such as ，！？) is mapped to its NFKC form first: the NFKC of
    the result is the NFKC of the text (both decompose to the same characters), and most texts are
    then already normalised, which is cheap to check, so the full normalisation is rarely needed."""
    narrow = _WIDE_RUN.sub(_narrow_run, text)
    if not unicodedata.is_normalized("NFKC", narrow):
        narrow = unicodedata.normalize("NFKC", narrow)
    return replace_lone_surrogates(narrow.lower())


@lru_cache(maxsize=100_000)
def _cut_text(text: str) -> tuple[str, ...]:
    text = normalise(text)
    if "[" not in text:  # no emoji code
        return tuple(_cut(text))
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
    return [w for w in _rjieba().cut(chunk, False) if not w.isspace()]


def tokenize(text: str) -> list[str]:
    """Segment ``text`` into tokens (emoji codes kept whole, whitespace dropped)."""
    return list(_cut_text(text))


def tokens(text: str) -> tuple[str, ...]:
    """:func:`tokenize` as the cached tuple itself (no copy): for batch code that only reads it."""
    return _cut_text(text)


@lru_cache(maxsize=200_000)
def is_word(token: str) -> bool:
    """True unless the token is only punctuation/symbols (emoji codes count as words)."""
    return bool(_EMOJI.fullmatch(token)) or not _PUNCT_OR_SPACE.fullmatch(token)


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    # an all-alphanumeric token is a word (no character of it is \W or _): no cache lookup needed
    return tuple(t for t in _cut_text(text) if t.isalnum() or is_word(t))


def words(text: str) -> list[str]:
    """The tokens that are words (punctuation dropped): what the models and the index use."""
    return list(_words(text))


def words_of(text: str) -> tuple[str, ...]:
    """:func:`words` as the cached tuple itself (no copy): for batch code that only reads it."""
    return _words(text)


def clear_caches() -> None:
    """Forget every per-text and per-token result (benchmarks measure a cold start with this)."""
    normalise.cache_clear()
    is_word.cache_clear()
    _cut_text.cache_clear()
    _words.cache_clear()
    _search_words.cache_clear()


def tokenize_query(text: str) -> list[str]:
    """Tokens of a search query, cut the same way the index was (punctuation dropped)."""
    return list(_words(text))



def _cut_search(chunk: str) -> list[str]:
    if not chunk:
        return []
    return [w for w in _rjieba().cut_for_search(chunk, False) if not w.isspace()]


@lru_cache(maxsize=20_000)
def _search_words(text: str) -> tuple[str, ...]:
    text = normalise(text)
    out: list[str] = []
    pos = 0
    for m in _EMOJI.finditer(text):
        out.extend(_cut_search(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.extend(_cut_search(text[pos:]))
    return tuple(filter(is_word, out))


def search_tokens(title: str, text: str) -> list[str]:
    """The words a post is found by: jieba's search-mode cut of its title and text — every word of
    the normal cut plus the dictionary words inside the longer ones (「拖欠工资」 also gives 「拖欠」 and
    「工资」), so a query cut normally (:func:`tokenize_query`) finds the post whatever the word order
    or compound it used."""
    return list(_search_words(f"{title}\n{text}" if title else text))
