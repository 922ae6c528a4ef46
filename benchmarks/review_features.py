"""Features of the ChnSentiCorp standard-protocol benchmark (benchmarks/nlp_chnsenticorp.py): review
structure, domain augmentation, NB scaling, and scikit-learn's own vectorizers as the reference the
shipped n-gram batch is compared with. The shipped models do not use this module.

- :func:`last_clause`: the tokens after the last contrast marker (但/但是/不过/可是/然而/就是): a
  review's verdict usually follows its last "but".
- :func:`mark_negation`: prefix the words within ``scope`` words after 不/没/没有/无/别 with ``NEG_``.
- :func:`sentences`, :func:`normalise_review`: sentence split on end punctuation; NFKC, lower case,
  digits to ``0``, runs of a repeated punctuation mark collapsed to two.
- :class:`ReviewNgrams`: binary n-gram counts of the words, with optional namespaced n-grams of
  the last clause (``LC_``) and of the first/last sentence (``FS_``/``LS_``), and optional
  negation marking; :class:`CharNgrams`: binary char n-gram counts of the normalised text.
- :class:`DomainAugmented`: "frustratingly easy" domain adaptation (Daumé III 2007) with domains
  found without labels: k-means over the word TF-IDF of the training texts; every feature gets
  one shared copy and one copy per domain (ChnSentiCorp mixes hotel, laptop and book reviews).
- :class:`NBScaler`: NB-SVM's log-count ratio (Wang & Manning 2012) over binarized features;
  :class:`NBFeatures`: the same ratio unsigned, any number of classes, on the features as they are.
- :func:`vectorizer_features`: word + char TF-IDF with scikit-learn's vectorizers (+ lexicon).

Module-level functions and classes only (no lambdas), so fitted pipelines pickle.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from yuqing.nlp.features import LexiconFeatures
from yuqing.nlp.tokenize import is_word, tokenize, words

CONTRAST = ("但", "但是", "不过", "可是", "然而", "就是")
NEGATIONS = ("不", "没", "没有", "无", "别")
SENTENCE_END = frozenset("。!?！？；;…~～.")
_DIGIT = re.compile(r"\d")
_REPEATED_PUNCT = re.compile(r"([^\w\s])\1+")


def normalise_review(text: str) -> str:
    """NFKC, lower case, every digit to ``0``, a run of one punctuation mark cut to two."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _REPEATED_PUNCT.sub(r"\1\1", _DIGIT.sub("0", text))


def last_clause(tokens: list[str], markers: tuple[str, ...] = CONTRAST) -> list[str]:
    """The tokens after the last contrast marker (to the end of the text); [] if there is none."""
    last = -1
    for i, tok in enumerate(tokens):
        if tok in markers:
            last = i
    return list(tokens[last + 1:]) if last >= 0 else []


def mark_negation(tokens: list[str], negations: tuple[str, ...] = NEGATIONS, scope: int = 3) -> list[str]:
    """Prefix the next ``scope`` word tokens after a negation with ``NEG_``; punctuation ends the
    scope and is kept as is, the negation itself too."""
    out: list[str] = []
    left = 0
    for tok in tokens:
        if tok in negations:
            out.append(tok)
            left = scope
        elif not is_word(tok):
            out.append(tok)
            left = 0
        elif left > 0:
            out.append("NEG_" + tok)
            left -= 1
        else:
            out.append(tok)
    return out


def sentences(tokens: list[str]) -> list[list[str]]:
    """Split tokens into sentences: a sentence ends at end punctuation (a run of it stays with the
    sentence it closes); leading punctuation-only pieces are dropped."""
    out: list[list[str]] = []
    cur: list[str] = []
    ended = False
    for tok in tokens:
        word = is_word(tok)
        if ended and word:
            out.append(cur)
            cur = []
            ended = False
        if not word and not cur:
            continue
        cur.append(tok)
        if not word and all(c in SENTENCE_END for c in tok):
            ended = True
    if cur:
        out.append(cur)
    return out


def token_ngrams(tokens: list[str], lo: int, hi: int, prefix: str = "") -> list[str]:
    """All ``lo``..``hi``-grams of ``tokens`` joined by a space, each prefixed with ``prefix``."""
    return [prefix + " ".join(tokens[i:i + n]) for n in range(lo, hi + 1) for i in range(len(tokens) - n + 1)]


class ReviewAnalyzer:
    """Callable analyzer (picklable): word n-grams (+ namespaced review-structure n-grams)."""

    def __init__(self, ngram_range=(1, 3), negation: bool = False, clause_ngrams: int = 0,
                 sentence_ngrams: int = 0):
        self.ngram_range = tuple(ngram_range)
        self.negation = negation
        self.clause_ngrams = clause_ngrams
        self.sentence_ngrams = sentence_ngrams

    def __call__(self, text: str) -> list[str]:
        toks = tokenize(text)
        if self.negation:
            toks = mark_negation(toks)
        kept = [t for t in toks if is_word(t)]
        out = token_ngrams(kept, *self.ngram_range)
        if self.clause_ngrams:
            out += token_ngrams([t for t in last_clause(toks) if is_word(t)], 1, self.clause_ngrams, "LC_")
        if self.sentence_ngrams:
            sents = sentences(toks)
            if sents:
                out += token_ngrams([t for t in sents[0] if is_word(t)], 1, self.sentence_ngrams, "FS_")
                out += token_ngrams([t for t in sents[-1] if is_word(t)], 1, self.sentence_ngrams, "LS_")
        return out


def review_char_ngrams(text: str, lo: int = 1, hi: int = 5) -> list[str]:
    """Char ``lo``..``hi``-grams of :func:`normalise_review` (text)."""
    s = normalise_review(text)
    return [s[i:i + n] for n in range(lo, hi + 1) for i in range(len(s) - n + 1)]


class CharAnalyzer:
    """Callable analyzer (picklable): :func:`review_char_ngrams` with a fixed range."""

    def __init__(self, ngram_range=(1, 5)):
        self.ngram_range = tuple(ngram_range)

    def __call__(self, text: str) -> list[str]:
        return review_char_ngrams(text, *self.ngram_range)


class ReviewNgrams(CountVectorizer):
    """Binary counts of :class:`ReviewAnalyzer` n-grams (min_df 1 by default)."""

    def __init__(self, word_ngrams=(1, 3), negation: bool = False, clause_ngrams: int = 0,
                 sentence_ngrams: int = 0, min_df=1, binary: bool = True, dtype=np.float64):
        self.word_ngrams = word_ngrams
        self.negation = negation
        self.clause_ngrams = clause_ngrams
        self.sentence_ngrams = sentence_ngrams
        super().__init__(min_df=min_df, binary=binary, lowercase=False, dtype=dtype)

    def build_analyzer(self):
        return ReviewAnalyzer(self.word_ngrams, self.negation, self.clause_ngrams, self.sentence_ngrams)


class CharNgrams(CountVectorizer):
    """Binary counts of char n-grams of the normalised text (:func:`review_char_ngrams`)."""

    def __init__(self, char_ngrams=(1, 5), min_df=1, binary: bool = True, dtype=np.float64):
        self.char_ngrams = char_ngrams
        super().__init__(min_df=min_df, binary=binary, lowercase=False, dtype=dtype)

    def build_analyzer(self):
        return CharAnalyzer(self.char_ngrams)


class NBScaler(BaseEstimator, TransformerMixin):
    """Binarize, then scale each feature by its log-count ratio r = log((p/|p|)/(q/|q|)), p and q the
    ``alpha``-smoothed positive- and negative-class document counts (NB-SVM, Wang & Manning 2012).
    The sign is kept (unlike :class:`NBFeatures`); binary labels only: the
    positive class is ``classes_[1]``."""

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def fit(self, X, y):
        X = _binarize(X)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"NBScaler needs two classes, got {len(self.classes_)}")
        pos = y == self.classes_[1]
        p = np.asarray(X[pos].sum(axis=0)).ravel() + self.alpha
        q = np.asarray(X[~pos].sum(axis=0)).ravel() + self.alpha
        self.r_ = np.log((p / p.sum()) / (q / q.sum()))
        return self

    def transform(self, X):
        return _binarize(X) @ sparse.diags(self.r_)


def _binarize(X) -> sparse.csr_matrix:
    X = sparse.csr_matrix(X, dtype=np.float64, copy=True)
    X.eliminate_zeros()
    X.data[:] = 1.0
    return X


class DomainAugmented(BaseEstimator, TransformerMixin):
    """``features`` (a text vectorizer) plus one copy of its output per unsupervised domain: the
    copy of domain j is non-zero only in the rows k-means assigns to domain j. Domains are
    k-means (``n_domains``, ``random_state``) clusters of the binary word 1–3-gram TF-IDF (n-grams
    in at least ``min_df`` training texts) of the texts given to :meth:`fit`; no labels used."""

    def __init__(self, features=None, n_domains: int = 3, min_df: int = 5, random_state: int = 0):
        self.features = features
        self.n_domains = n_domains
        self.min_df = min_df
        self.random_state = random_state

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        X = list(X)
        self.domain_vectorizer_ = ReviewNgrams((1, 3), min_df=self.min_df).fit(X)
        self.domain_tfidf_ = TfidfTransformer(sublinear_tf=True)
        T = self.domain_tfidf_.fit_transform(self.domain_vectorizer_.transform(X))
        self.kmeans_ = KMeans(self.n_domains, n_init=5, random_state=self.random_state).fit(T)
        self.features_ = clone(self.features if self.features is not None else ReviewNgrams())
        return self._augment(self.features_.fit_transform(X, y), self.kmeans_.labels_)

    def domains(self, X) -> np.ndarray:
        """The domain (0..n_domains-1) of each text."""
        return self.kmeans_.predict(self.domain_tfidf_.transform(self.domain_vectorizer_.transform(list(X))))

    def transform(self, X):
        X = list(X)
        return self._augment(self.features_.transform(X), self.domains(X))

    def _augment(self, F, labels) -> sparse.csr_matrix:
        F = sparse.csr_matrix(F)
        parts = [F] + [sparse.diags((labels == j).astype(F.dtype)) @ F for j in range(self.n_domains)]
        return sparse.hstack(parts, format="csr")


class NBFeatures(BaseEstimator, TransformerMixin):
    """Multiply features by |log-count ratio| learnt from the labels (``alpha`` smoothing). For two
    classes the ratio is log(p(f|pos)/p(f|neg)); for more classes each feature is scaled by the largest
    absolute one-vs-rest ratio, which keeps the transform a single matrix product."""

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def fit(self, X, y):
        X = sparse.csr_matrix(X)
        y = np.asarray(y)
        classes = np.unique(y)
        ratios = []
        for c in classes if len(classes) > 2 else classes[:1]:
            p = np.asarray(X[y == c].sum(axis=0)).ravel() + self.alpha
            q = np.asarray(X[y != c].sum(axis=0)).ravel() + self.alpha
            ratios.append(np.abs(np.log((p / p.sum()) / (q / q.sum()))))
        self.r_ = np.max(np.vstack(ratios), axis=0).astype(np.float32)
        return self

    def transform(self, X):
        return sparse.csr_matrix(X) @ sparse.diags(self.r_)


def word_tokens(text: str) -> list[str]:
    """The tokenizer's words (punctuation dropped): the word-level vectorizer's input."""
    return words(text)


def vectorizer_features(word_ngrams=(1, 2), char_ngrams=(1, 4), lexicon: LexiconFeatures | None = None,
                        min_df: int = 2) -> FeatureUnion:
    """Word TF-IDF over the one tokenizer (the 200,000 most frequent n-grams in ``min_df`` texts or
    more) + char n-gram TF-IDF (300,000) (+ lexicon features), with scikit-learn's vectorizers."""
    parts = [("word", TfidfVectorizer(tokenizer=word_tokens, token_pattern=None, lowercase=False,
                                      ngram_range=word_ngrams, min_df=min_df, max_features=200_000,
                                      sublinear_tf=True, dtype=np.float32)),
             ("char", TfidfVectorizer(analyzer="char", ngram_range=char_ngrams, min_df=min_df,
                                      max_features=300_000, sublinear_tf=True, dtype=np.float32))]
    if lexicon is not None:
        parts.append(("lexicon", lexicon))
    return FeatureUnion(parts)
