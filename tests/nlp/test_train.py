"""Training on small slices (the full models are trained by `yuqing train`, not here)."""

import numpy as np

from yuqing.nlp.lexicon import lexicon_features
from yuqing.nlp.train import fit_risk, fit_sentiment, fit_topic, predict_scores


def test_sentiment_training_is_deterministic(small_corpus, chnsenti_slice):
    lex = lexicon_features()
    a = fit_sentiment([(chnsenti_slice, 1.0), (small_corpus, 5.0)], lex)
    # the same rows in another order must give the same model
    shuffled = chnsenti_slice.subset([True] * len(chnsenti_slice))
    shuffled.texts.reverse()
    shuffled.labels.reverse()
    b = fit_sentiment([(small_corpus, 5.0), (shuffled, 1.0)], lex)
    probe = small_corpus.texts + chnsenti_slice.texts[:50]
    assert np.array_equal(a.predict_proba(probe), b.predict_proba(probe))


def test_sentiment_scores_are_probabilities(small_corpus, chnsenti_slice):
    model = fit_sentiment([(chnsenti_slice, 1.0), (small_corpus, 5.0)], lexicon_features())
    scores = predict_scores(model, ["工资三个月没发了，太寒心了", "金秋助学金到账了，感谢工会", "明天几点开会"])
    for s in scores:
        assert set(s) == {"negative", "neutral", "positive"}
        assert abs(sum(s.values()) - 1.0) < 1e-9
        assert all(0.0 <= v <= 1.0 for v in s.values())
    assert max(scores[0], key=scores[0].get) == "negative"
    assert max(scores[1], key=scores[1].get) == "positive"


def test_topic_and_risk_fit_on_the_domain_slice(small_corpus):
    topic = fit_topic(small_corpus.relabel("topic"))
    risk = fit_risk(small_corpus.relabel("risk"))
    assert set(topic.classes_) == set(small_corpus.columns["topic"])
    assert list(risk.classes_) == ["high", "medium", "none"]
    again = fit_topic(small_corpus.relabel("topic"))
    assert np.array_equal(topic.predict_proba(small_corpus.texts), again.predict_proba(small_corpus.texts))
