"""Small models trained once per test session on slices (the full training is `yuqing train`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuqing.nlp import data
from yuqing.nlp.data import Dataset
from yuqing.nlp.keywords import build_idf
from yuqing.nlp.lexicon import lexicon_features
from yuqing.nlp.persist import save_model
from yuqing.nlp.tokenize import tokenize
from yuqing.nlp.train import fit_risk, fit_sentiment, fit_topic, write_keywords

NLP_DATA = Path(__file__).resolve().parents[1] / "data" / "nlp"


@pytest.fixture(scope="session")
def small_corpus() -> Dataset:
    return data.domain_corpus(NLP_DATA / "worker_posts_small.csv")


@pytest.fixture(scope="session")
def chnsenti_slice() -> Dataset:
    ds = data.chnsenticorp("train")
    return ds.subset([i % 40 == 0 for i in range(len(ds))], "chnsenticorp_train[::40]")


@pytest.fixture(scope="session")
def small_models(tmp_path_factory, small_corpus, chnsenti_slice) -> Path:
    """A models folder with sentiment/topic/risk fitted on small slices, plus keywords."""
    folder = tmp_path_factory.mktemp("models")
    sentiment = fit_sentiment([(chnsenti_slice, 1.0), (small_corpus, 5.0)], lexicon_features())
    save_model("sentiment", sentiment, {"task": "sentiment"}, folder)
    save_model("topic", fit_topic(small_corpus.relabel("topic")), {"task": "topic", "fallback_below": 0.3}, folder)
    save_model("risk", fit_risk(small_corpus.relabel("risk")), {"task": "risk", "high_at": 0.3, "medium_at": 0.5},
               folder)
    stop = data.stopwords()
    write_keywords(build_idf((tokenize(t) for t in small_corpus.texts + chnsenti_slice.texts), stop), stop, [], folder)
    return folder
