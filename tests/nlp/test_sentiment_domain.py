"""The two-stage sentiment estimator, the worker-chat corpus and the shipped model on everyday chat."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from yuqing.nlp import data
from yuqing.nlp.data import Dataset
from yuqing.nlp.lexicon import lexicon_features
from yuqing.nlp.persist import load_model, packaged_models_dir, save_model
from yuqing.nlp.subjectivity import TwoStageSentiment, two_stage_sentiment
from yuqing.nlp.train import fit_two_stage

CHAT = data.corpus_dir() / "worker_chat.csv"
PHRASES = Path(str(resources.files("yuqing.demo.phrases")))


@pytest.fixture(scope="module")
def two_stage(small_corpus, chnsenti_slice) -> TwoStageSentiment:
    return fit_two_stage([(chnsenti_slice, 1.0, False), (small_corpus, 5.0, True)], lexicon_features())


def test_probabilities_are_the_product_of_the_two_stages(two_stage, small_corpus):
    texts = small_corpus.texts[:20] + ["收到", "工资又拖了，气死了"]
    p = two_stage.predict_proba(texts)
    assert list(two_stage.classes_) == ["negative", "neutral", "positive"]
    assert np.allclose(p.sum(axis=1), 1.0)
    s1 = two_stage.subjectivity_.predict_proba(texts)[:, list(two_stage.subjectivity_.classes_).index("neutral")]
    s2 = two_stage.polarity_.predict_proba(texts)
    assert np.allclose(p[:, 1], s1)
    assert np.allclose(p[:, 0], (1 - s1) * s2[:, list(two_stage.polarity_.classes_).index("negative")])


def test_non_domain_rows_do_not_decide_neutrality(small_corpus, chnsenti_slice):
    """Stage 1 sees domain rows only: more (or fewer) product reviews leave p(neutral) unchanged,
    while they do change the polarity stage."""
    lex = lexicon_features()
    half = chnsenti_slice.subset([i % 2 == 0 for i in range(len(chnsenti_slice))])
    a = fit_two_stage([(chnsenti_slice, 1.0, False), (small_corpus, 5.0, True)], lex)
    b = fit_two_stage([(half, 1.0, False), (small_corpus, 5.0, True)], lex)
    texts = ["电缆不够了，谁去库房领点", "酒店服务太差了", "明天早班七点开会"]
    assert np.allclose(a.predict_proba(texts)[:, 1], b.predict_proba(texts)[:, 1])
    assert not np.allclose(a.polarity_.predict_proba(texts), b.polarity_.predict_proba(texts))


def test_fit_is_deterministic_and_independent_of_row_order(two_stage, small_corpus, chnsenti_slice):
    rev = Dataset("rev", small_corpus.texts[::-1], small_corpus.labels[::-1])
    again = fit_two_stage([(rev, 5.0, True), (chnsenti_slice, 1.0, False)], lexicon_features())
    texts = small_corpus.texts[:30]
    assert np.array_equal(two_stage.predict_proba(texts), again.predict_proba(texts))


def test_needs_neutral_and_polar_domain_rows():
    only_polar = ["好极了", "差极了", "太好了", "太差了"]
    with pytest.raises(ValueError, match="neutral and polar"):
        two_stage_sentiment(None).fit(only_polar, ["positive", "negative"] * 2)


def test_survives_the_skops_round_trip(two_stage, tmp_path):
    save_model("sentiment", two_stage, {"task": "sentiment"}, tmp_path)
    loaded, _ = load_model("sentiment", tmp_path)
    texts = ["收到", "这破班车又晚了", "谢谢师傅"]
    assert np.allclose(loaded.predict_proba(texts), two_stage.predict_proba(texts))


def _chat_rows() -> list[dict]:
    with CHAT.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_worker_chat_corpus_is_well_formed():
    rows = _chat_rows()
    assert len(rows) >= 500
    assert [r["id"] for r in rows] == [f"wc{i:04d}" for i in range(1, len(rows) + 1)]
    assert len({r["text"] for r in rows}) == len(rows)
    assert {r["sentiment"] for r in rows} == set(data.SENTIMENTS)
    assert all(r["risk"] == "none" for r in rows)
    neutral = sum(r["sentiment"] == "neutral" for r in rows)
    assert neutral / len(rows) > 0.6
    assert not {r["text"] for r in rows} & set(data.domain_corpus().texts)
    assert len(data.worker_chat()) == len(rows)


def test_worker_chat_does_not_copy_the_demo_phrases():
    """Only bare acknowledgements and emoji (< 5 characters) may coincide with demo lines."""
    demo: set[str] = set()
    for p in PHRASES.glob("*.py"):
        demo.update(re.findall(r'"([^"\n]+)"', p.read_text(encoding="utf-8")))
    shared = [r["text"] for r in _chat_rows() if r["text"] in demo]
    assert all(len(t) < 5 for t in shared), shared


def test_shipped_model_is_two_stage_and_its_card_figures_hold():
    model, manifest = load_model("sentiment", packaged_models_dir())
    assert isinstance(model, TwoStageSentiment)
    held = manifest["held_out"]
    assert held["worker_posts_3class"]["macro_f1"] >= 0.75
    assert held["worker_chat_3class"]["neutral_recall"] >= 0.75
    assert held["chnsenticorp_validation_binary"]["accuracy"] >= 0.88
    chat = [d for d in manifest["trained_on"] if d["name"] == "worker_chat"]
    assert chat and chat[0]["rows"] == len(data.worker_chat())
