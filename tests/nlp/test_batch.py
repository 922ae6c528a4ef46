"""The per-post work done for whole batches gives, text for text, what the one-text functions give."""

import unicodedata

import numpy as np
import pytest
from scipy import sparse

from yuqing.decoding import replace_lone_surrogates
from yuqing.nlp import data, ngrams
from yuqing.nlp import tokenize as tok
from yuqing.nlp.analyzer import Analyzer
from yuqing.nlp.decide import (
    choose_risk,
    choose_risk_many,
    choose_topics,
    choose_topics_many,
    sentiment_label,
    sentiment_scores,
    sentiment_scores_many,
)
from yuqing.nlp.keywords import KeywordRanker, keywords
from yuqing.nlp.persist import load_model
from yuqing.nlp.polarity import Lexicon, lexicon_row
from yuqing.nlp.prefilter import GramFilter, necessary_conditions, necessary_grams
from yuqing.nlp.risk_rules import _HIGH, _MEDIUM, NEAR_MISSES, rule_risk, rule_risk_many
from yuqing.nlp.tfidf import bucket_counts
from yuqing.nlp.topic_keywords import TOPIC_KEYWORDS, keyword_topics

#: Texts at the edges of the batch rules: emoji, negations, near-misses, whitespace, empty.
EDGES = ["", " ", "\n\n", "!!!", "？？", "[微笑]", "[微笑][微笑]呵呵", "谁跟我", "谁跟我去", "门口", "坐着", "我们不会",
         "去堵门", "不会去堵门", "我们不会去堵门的，放心", "下班路上堵车了\r\n晚点到", "拉横幅庆祝", "电脑罢工了", "ＡＢＣ１２３",
         "明天大家一起到矿部门口讨个说法\n谁跟我一起", "工会主席你好，请问工资什么时候发？？？！！！", "\ud83d工资拖欠了",
         "不是很好", "非常不满意", "不 不 好", "太太好了", "没有不开心", "工资" * 300, "\t工资\t拖欠\t", "Ａ\u0301ｂ\u3000Ｃ"]


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return data.domain_corpus().texts + data.worker_chat().texts + data.weibo().texts[:800] + EDGES


def test_rule_risk_many_is_rule_risk_text_for_text(corpus_texts):
    for start in range(0, len(corpus_texts), 700):
        chunk = corpus_texts[start:start + 700]
        got = rule_risk_many(chunk)
        assert [(r.level, r.reasons) for r in got] == [(r.level, r.reasons) for r in map(rule_risk, chunk)]
    assert rule_risk_many([]) == []


def test_every_risk_pattern_has_necessary_conditions_and_every_match_meets_them(corpus_texts):
    matches = 0
    for _, rx in _HIGH + _MEDIUM + [("near", NEAR_MISSES)]:
        conditions = necessary_conditions(rx)
        assert conditions and necessary_grams(rx) == conditions[0], rx.pattern[:40]
        for t in corpus_texts:
            for m in rx.finditer(" ".join(t.split())):
                matches += 1
                for grams in conditions:
                    assert any(g in m.group(0) for g in grams), (rx.pattern[:40], m.group(0), grams)
    assert matches > 300  # the corpora exercise the rules


def test_necessary_grams_cover_alternatives_and_refuse_what_they_cannot_read():
    import re

    assert necessary_grams(re.compile("上访|信访")) == {"上访", "信访"}
    assert necessary_conditions(re.compile("(大家|我们)[^。]{0,4}(门口|矿部)")) in (
        [{"大家", "我们"}, {"门口", "矿部"}], [{"门口", "矿部"}, {"大家", "我们"}])
    assert necessary_grams(re.compile("a?b*")) is None  # can match the empty string
    assert necessary_grams(re.compile("[^x]y?")) is None
    assert necessary_grams(re.compile("(?i)abc")) is None
    flt = GramFilter([re.compile("上访"), re.compile("x?")])
    assert flt.candidates(["他去上访了", "没事", ""]).tolist() == [0b11, 0b10, 0b10]


def test_sentiment_scores_many_matches_row_by_row():
    rng = np.random.default_rng(0)
    p = rng.dirichlet([0.3, 0.3, 0.3], size=3000)
    p[:5] = [[1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0], [0, 0, 0], [0.2, 0.4, 0.4], [0.1234565, 0.2, 0.6765435]]
    classes = ["negative", "neutral", "positive"]
    assert sentiment_scores_many(classes, p) == [sentiment_scores(classes, row) for row in p]
    binary = rng.dirichlet([1, 1], size=50)
    assert sentiment_scores_many(["negative", "positive"], binary) == [sentiment_scores(["negative", "positive"], r)
                                                                       for r in binary]
    scores = sentiment_scores_many(classes, p)
    assert [sentiment_label(s) for s in scores][:2] == ["negative", "negative"]


def test_choose_topics_many_matches_row_by_row(corpus_texts):
    rng = np.random.default_rng(1)
    classes = sorted(TOPIC_KEYWORDS) + ["other"]
    texts = corpus_texts[:1500]
    p = rng.dirichlet([0.2] * len(classes), size=len(texts)).astype(np.float32)
    p[0] = 0
    p[0, [2, 5]] = 0.5  # a tie: the smaller name wins
    p[1] = 1 / len(classes)
    for fallback in (None, 0.3, 0.5):
        want = [choose_topics(classes, row, t, fallback_below=fallback) for row, t in zip(p, texts)]
        assert choose_topics_many(classes, p, texts, fallback_below=fallback) == want
    unsorted = classes[::-1]
    assert (choose_topics_many(unsorted, p, texts, fallback_below=0.3)
            == [choose_topics(unsorted, row, t, fallback_below=0.3) for row, t in zip(p, texts)])


def test_choose_risk_many_matches_row_by_row(corpus_texts):
    rng = np.random.default_rng(2)
    texts = corpus_texts[:800]
    rules = [rule_risk(t) for t in texts]
    p = rng.dirichlet([0.5, 0.5, 0.5], size=len(texts))
    p[0] = [0.5, 0.1, 0.4]  # exactly at a threshold
    for classes in (["high", "medium", "none"], ["medium", "none", "high"]):
        got = choose_risk_many(classes, p, rules, high_at=0.5, medium_at=0.6)
        assert got == [choose_risk(classes, row, r, high_at=0.5, medium_at=0.6) for row, r in zip(p, rules)]


def test_keyword_topics_counts_every_listed_word_present(corpus_texts):
    def reference(text):
        return {code: n for code, words in TOPIC_KEYWORDS.items() if (n := sum(1 for w in words if w in text))}

    for t in corpus_texts:
        assert keyword_topics(t) == reference(t)
        assert list(keyword_topics(t)) == list(reference(t))


def test_keyword_ranker_is_keywords_text_for_text(corpus_texts, monkeypatch):
    stop = frozenset({"的", "了", "我们", "大家", "工资"})
    idf = {"工资": 1.5, "食堂": 3.0, "班中餐": 6.0, "拖欠": 4.0}
    token_lists = [tok.words_of(t) for t in corpus_texts]
    ranker = KeywordRanker(idf, stop)
    want = [keywords(list(t), idf, stop) for t in token_lists]
    assert ranker.many(token_lists) == want
    monkeypatch.setattr(KeywordRanker, "MAX_KEPT", 50)  # the kept weights are dropped and learnt again
    assert KeywordRanker(idf, stop).many(token_lists[:300]) == want[:300]
    assert ranker.many(token_lists, k=2) == [keywords(list(t), idf, stop, k=2) for t in token_lists]


def test_lexicon_rows_are_the_per_text_rows(corpus_texts):
    from yuqing.nlp.lexicon import lexicon_features

    lex = lexicon_features()
    table = Lexicon(lex.polarity, lex.negations, lex.degrees)
    got = table.rows(corpus_texts)
    negations = frozenset(lex.negations)
    want = np.asarray([lexicon_row(tok.tokenize(t), t, lex.polarity, negations, lex.degrees) for t in corpus_texts],
                      dtype=np.float32)
    assert np.array_equal(got, want)
    assert got[:, 4].max() > 0 and got[:, 0].max() > 0  # negations and polar words were met
    toy = Lexicon({"好": 1, "差": -1, "不": 1}, ["不", "没有"], {"很": 2.0, "不": 0.5})  # 不: a negation first
    rows = toy.rows(["不很好", "很不好", "不 差 好", "好 不 a b c 好", "很 a 好 差"])
    expected = [lexicon_row(tok.tokenize(t), t, toy.polarity, frozenset(toy.negations), toy.degrees)
                for t in ["不很好", "很不好", "不 差 好", "好 不 a b c 好", "很 a 好 差"]]
    assert np.array_equal(rows, np.asarray(expected, dtype=np.float32))


def test_bucket_counts_are_scipys_summed_coo_matrix():
    batch = ngrams.NgramBatch(4, *ngrams.word_ngrams(EDGES[:4]), *ngrams.char_ngrams(EDGES[-8:-4]))
    p = batch.pairs("char")
    for bits in (3, 8, 18):  # 3 bits: many n-grams share a bucket
        got = bucket_counts(p, bits, 4)
        cols = (p.keys & np.uint64((1 << bits) - 1)).astype(np.int64)[p.key_index]
        want = sparse.csr_matrix((p.counts, (p.docs, cols)), shape=(4, 1 << bits))
        want.sum_duplicates()
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data)


def test_unique_inverse_is_numpys():
    rng = np.random.default_rng(3)
    cases = [np.zeros(0, np.uint64), np.array([5], np.uint64),
             rng.integers(0, 2**63, 5000, dtype=np.uint64),
             rng.integers(0, 40, 5000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15),
             (rng.integers(0, 3, 5000, dtype=np.uint64) << np.uint64(50)) | rng.integers(0, 2**13, 5000, dtype=np.uint64)]
    for v in cases:  # the last one differs only in the low bits: the argsort path
        keys, inverse = ngrams.unique_inverse(v)
        want_keys, want_inverse = np.unique(v, return_inverse=True)
        assert np.array_equal(keys, want_keys) and np.array_equal(inverse, want_inverse.ravel())


def test_normalise_is_nfkc_lower_case(corpus_texts):
    for t in corpus_texts + ["ｶﾞ", "①②", "ﬁ", "Ⅻ", "㍿", "！\u0338", "＜\u0338", "Ａ\u0301"]:
        assert tok.normalise(t) == replace_lone_surrogates(unicodedata.normalize("NFKC", t).lower())
    assert tok.words("工资，拖欠！[微笑]") == [w for w in tok.tokenize("工资，拖欠！[微笑]") if tok.is_word(w)]


def test_analyzer_gives_what_the_per_text_functions_give(small_models, corpus_texts):
    """The batch analyzer against the previous per-text loop over the skops pipelines."""
    a = Analyzer(small_models)
    texts = corpus_texts[:1200]
    pipes = {name: load_model(name, small_models)[0] for name in ("sentiment", "topic", "risk")}
    s_p, t_p, r_p = (pipes[n].predict_proba(texts) for n in ("sentiment", "topic", "risk"))
    want = []
    for i, text in enumerate(texts):
        scores = sentiment_scores([str(c) for c in pipes["sentiment"].classes_], s_p[i])
        topic, topics = choose_topics([str(c) for c in pipes["topic"].classes_], t_p[i], text,
                                      fallback_below=a.topic_manifest.get("fallback_below"))
        rule = rule_risk(text)
        risk = choose_risk([str(c) for c in pipes["risk"].classes_], r_p[i], rule,
                           high_at=a.risk_manifest["high_at"], medium_at=a.risk_manifest["medium_at"])
        toks = tok.words(text)
        want.append({"sentiment": sentiment_label(scores), "sentiment_scores": scores, "topic": topic,
                     "topics": topics, "risk": str(risk), "risk_reasons": rule.reasons if risk != "none" else [],
                     "keywords": keywords(toks, a.idf, a.stopwords), "tokens": toks})
    got = a.analyze_texts(texts)
    assert [{k: v for k, v in r.items() if k != "simhash"} for r in got] == want
    fields = ("sentiment", "sentiment_scores", "topic", "topics", "risk", "keywords")
    assert a.classify_texts(texts) == [{k: r[k] for k in fields} for r in want]
