import pytest

from yuqing.nlp.decide import choose_risk, choose_topics, positive_vs_negative, sentiment_label, sentiment_scores
from yuqing.nlp.risk_rules import RuleResult
from yuqing.schema import Risk


def test_scores_cover_three_classes_and_sum_to_one():
    s = sentiment_scores(["negative", "positive"], [0.3333333, 0.6666667])
    assert set(s) == {"negative", "neutral", "positive"}
    assert s["neutral"] == 0.0
    assert sum(s.values()) == pytest.approx(1.0, abs=1e-9)
    assert sentiment_label(s) == "positive" and positive_vs_negative(s) == "positive"


def test_low_confidence_topic_falls_back_to_keywords():
    classes = ["wages", "living", "other"]
    topic, topics = choose_topics(classes, [0.2, 0.35, 0.45], "食堂的班中餐又涨价了", fallback_below=0.5)
    assert topic == "living"
    topic, topics = choose_topics(classes, [0.2, 0.35, 0.45], "食堂的班中餐又涨价了", fallback_below=None)
    assert topic == "other" and topics == ["other", "living"]


def test_risk_takes_the_higher_of_rule_and_classifier():
    classes = ["high", "medium", "none"]
    assert choose_risk(classes, [0.05, 0.1, 0.85], RuleResult(Risk.HIGH), high_at=0.3, medium_at=0.5) == Risk.HIGH
    assert choose_risk(classes, [0.35, 0.1, 0.55], RuleResult(), high_at=0.3, medium_at=0.5) == Risk.HIGH
    assert choose_risk(classes, [0.1, 0.45, 0.45], RuleResult(), high_at=0.3, medium_at=0.5) == Risk.MEDIUM
    assert choose_risk(classes, [0.1, 0.2, 0.7], RuleResult(), high_at=0.3, medium_at=0.5) == Risk.NONE
