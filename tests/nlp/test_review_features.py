import pickle

import numpy as np
from scipy import sparse
from sklearn.base import clone

from benchmarks.review_features import (
    CharNgrams,
    DomainAugmented,
    NBScaler,
    ReviewAnalyzer,
    ReviewNgrams,
    last_clause,
    mark_negation,
    normalise_review,
    review_char_ngrams,
    sentences,
    token_ngrams,
)


def test_last_clause_is_what_follows_the_last_contrast_marker():
    toks = ["房间", "很", "大", "，", "但是", "服务", "差", "，", "不过", "早餐", "好"]
    assert last_clause(toks) == ["早餐", "好"]
    assert last_clause(["房间", "但是", "差"]) == ["差"]
    assert last_clause(["房间", "很", "好"]) == []


def test_negation_marks_the_next_three_words_and_stops_at_punctuation():
    toks = ["不", "是", "很", "好", "吃", "，", "没有", "味道", "。", "还行"]
    assert mark_negation(toks) == ["不", "NEG_是", "NEG_很", "NEG_好", "吃", "，", "没有", "NEG_味道", "。", "还行"]
    assert mark_negation(["别", "去", "，", "好"], scope=1) == ["别", "NEG_去", "，", "好"]


def test_sentences_split_after_end_punctuation():
    s = sentences(["房间", "好", "。", "服务", "差", "！", "！", "总之", "一般"])
    assert s == [["房间", "好", "。"], ["服务", "差", "！", "！"], ["总之", "一般"]]


def test_normalise_review_digits_width_and_repeated_punctuation():
    assert normalise_review("ＡＢ１２３元！！！！。。。") == "ab000元!!。。"


def test_ngrams_with_prefix():
    assert token_ngrams(["a", "b", "c"], 1, 2, "LC_") == ["LC_a", "LC_b", "LC_c", "LC_a b", "LC_b c"]
    assert review_char_ngrams("ab1", 2, 3) == ["ab", "b0", "ab0"]


def test_analyzer_adds_namespaced_clause_and_sentence_ngrams():
    text = "房间很大，但是服务不热情。下次再来"
    plain = ReviewAnalyzer((1, 1))(text)
    rich = ReviewAnalyzer((1, 1), negation=True, clause_ngrams=1, sentence_ngrams=1)(text)
    assert not any(g.startswith(("LC_", "FS_", "LS_", "NEG_")) for g in plain)
    assert "LC_服务" in rich and "LC_房间" not in rich
    assert "FS_房间" in rich and "LS_来" in rich and "FS_来" not in rich
    assert "NEG_热情" in rich and "热情" not in rich and "热情" in plain


def test_vectorizers_are_binary_clone_and_pickle():
    texts = ["好好好，很好", "差，很差"]
    v = ReviewNgrams((1, 2), clause_ngrams=2).fit(texts)
    X = v.transform(texts)
    assert X.max() == 1
    v2 = pickle.loads(pickle.dumps(v))
    assert (v2.transform(texts) != X).nnz == 0
    assert clone(v).get_params()["clause_ngrams"] == 2
    c = CharNgrams((1, 2)).fit(texts)
    assert "好好" in c.vocabulary_ and c.transform(texts).max() == 1


def test_nb_scaler_sign_follows_the_positive_class():
    X = sparse.csr_matrix(np.array([[3, 0, 1], [1, 0, 1], [0, 2, 1], [0, 1, 1]]))
    y = np.array(["positive", "positive", "negative", "negative"])
    nb = NBScaler().fit(X, y)
    assert nb.r_[0] > 0 > nb.r_[1] and abs(nb.r_[2]) < 1e-12
    Z = nb.transform(X).toarray()
    assert np.allclose(Z[0], [nb.r_[0], 0, nb.r_[2]])  # counts are binarized before scaling


def test_domain_augmented_copies_features_into_the_text_domain_only():
    hotel = ["酒店房间干净，服务好", "酒店房间很小，服务差", "房间干净，酒店早餐好", "酒店服务差，房间旧"]
    book = ["这本书内容精彩，作者写得好", "这本书翻译很差，作者啰嗦", "书的内容精彩，作者用心", "书的纸张差，作者一般"]
    texts = hotel + book
    aug = DomainAugmented(ReviewNgrams((1, 1)), n_domains=2, min_df=2, random_state=0)
    X = aug.fit_transform(texts).toarray()
    d = aug.domains(texts)
    assert set(d[:4]) != set(d[4:]) and len(set(d[:4])) == 1 and len(set(d[4:])) == 1
    n = len(aug.features_.vocabulary_)
    assert X.shape == (8, 3 * n)
    for i, dom in enumerate(d):
        shared, copies = X[i, :n], [X[i, n * (j + 1):n * (j + 2)] for j in range(2)]
        assert np.array_equal(copies[dom], shared) and not copies[1 - dom].any()
    assert np.array_equal(pickle.loads(pickle.dumps(aug)).transform(texts).toarray(), X)
