import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from yuqing.nlp import ngrams
from yuqing.nlp.features import HashedTfidf, NgramHasher
from yuqing.nlp.tokenize import normalise, words

TEXTS = ["综采一队三个月没发工资了！！", "食堂的班中餐太差  太贵", "工资 什么时候发？", "", "[微笑]呵呵，工资又推迟了"]


def test_char_ngrams_count_every_window_inside_each_text_only():
    docs, hashes = ngrams.char_ngrams(["ab", "cd"], (2, 2))
    assert list(docs) == [0, 1]  # "ab" and "cd", never "bc" across the two texts
    docs, hashes = ngrams.char_ngrams(["abc"], (1, 3))
    assert len(hashes) == 3 + 2 + 1
    assert len(set(hashes.tolist())) == 6


def test_hashes_are_stable_and_context_free():
    _, alone = ngrams.char_ngrams(["工资"], (1, 2))
    docs, mixed = ngrams.char_ngrams(["食堂", "工资"], (1, 2))
    assert sorted(alone.tolist()) == sorted(mixed[docs == 1].tolist())
    # n-grams of different orders never share a hash, nor do words and characters
    _, a = ngrams.char_ngrams(["a"], (1, 1))
    _, w = ngrams.word_ngrams(["a"], (1, 1))
    assert a[0] != w[0]


def test_word_ngrams_follow_the_tokenizer():
    text = "综采一队的班中餐太差了"
    docs, hashes = ngrams.word_ngrams([text], (1, 2))
    n = len(words(text))
    assert len(hashes) == n + (n - 1)
    assert set(docs.tolist()) == {0}


def test_batches_are_shared_between_callers():
    ngrams.MEMO.clear()
    first = ngrams.ngram_batch(TEXTS)
    assert ngrams.ngram_batch(list(TEXTS)) is first
    assert ngrams.ngram_batch(TEXTS[:2]) is not first


def _sorted_rows(m):
    m = m.tocsr()
    return [sorted(round(float(v), 4) for v in m[i].data) for i in range(m.shape[0])]


def _fit(**params):
    return HashedTfidf(**params).fit(NgramHasher().transform(TEXTS))


def test_word_block_equals_a_tfidf_vectorizer_over_the_same_words():
    model = _fit(word_min_df=1, char_bits=None, char_min_df=1)
    ours = model.transform(NgramHasher().transform(TEXTS))[:, :len(model.word_idf_)]
    ref = TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                          sublinear_tf=True).fit_transform(TEXTS)
    assert ours.shape[1] == ref.shape[1]
    assert _sorted_rows(ours) == _sorted_rows(ref)


def test_char_vocabulary_block_equals_a_char_tfidf_vectorizer():
    model = _fit(word_min_df=1, char_bits=None, char_min_df=1)
    ours = model.transform(NgramHasher().transform(TEXTS))[:, len(model.word_idf_):]
    prep = lambda t: ngrams._WHITESPACE.sub(" ", normalise(t))  # noqa: E731
    ref = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), preprocessor=prep, lowercase=False,
                          sublinear_tf=True).fit_transform(TEXTS)
    assert ours.shape[1] == ref.shape[1]
    assert _sorted_rows(ours) == _sorted_rows(ref)


def test_min_df_max_features_and_unknown_ngrams():
    model = _fit(word_min_df=2, char_bits=None, char_min_df=2, char_max_features=3)
    assert len(model.char_idf_) == 3
    # only 工资 and 了 appear in two texts among the words (no bigram does)
    assert len(model.word_idf_) == 2
    row = model.transform(NgramHasher().transform(["完全没见过的词语"]))
    assert row.nnz == 0 or set(row.indices) <= set(range(model.n_features_out_))


@pytest.mark.parametrize("bits", [8, 18])
def test_hashed_char_block_has_fixed_width_and_unit_rows(bits):
    model = _fit(char_bits=bits)
    m = model.transform(NgramHasher().transform(TEXTS))
    assert m.shape[1] == len(model.word_idf_) + 2**bits
    char = m[:, len(model.word_idf_):]
    norms = np.sqrt(np.asarray(char.multiply(char).sum(axis=1)).ravel())
    assert np.allclose(norms[[0, 1, 2, 4]], 1.0, atol=1e-5)
    assert norms[3] == 0  # the empty text has no n-grams at all


def test_training_sized_batches_are_not_kept(monkeypatch):
    ngrams.MEMO.clear()
    monkeypatch.setattr(ngrams.MEMO, "max_texts", 3)
    big = ["甲", "乙", "丙", "丁"]
    assert ngrams.ngram_batch(big) is not ngrams.ngram_batch(big)
    small = ["甲", "乙"]
    assert ngrams.ngram_batch(small) is ngrams.ngram_batch(small)
