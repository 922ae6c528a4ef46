"""`train_topic` / `train_risk` end to end on the small fixture corpus (seconds, not minutes)."""

import pytest

from yuqing.nlp import data, train
from yuqing.nlp.persist import load_model, read_manifest

from .conftest import NLP_DATA


@pytest.fixture
def fixture_corpus(monkeypatch):
    original = data.domain_corpus
    monkeypatch.setattr(data, "domain_corpus", lambda path=None: original(NLP_DATA / "worker_posts_small.csv"))


def test_held_out_split_is_deterministic_and_about_a_quarter(small_corpus):
    tr, te = data.split_domain(small_corpus)
    assert not set(tr.ids) & set(te.ids)
    assert len(tr) + len(te) == len(small_corpus)
    assert 0.1 < len(te) / len(small_corpus) < 0.4
    assert data.split_domain(small_corpus)[1].ids == te.ids


@pytest.mark.slow
def test_train_topic_and_risk_write_manifests_with_held_out_metrics(fixture_corpus, tmp_path):
    t = train.train_topic([], tmp_path, log=lambda s: None)
    r = train.train_risk([], tmp_path, log=lambda s: None)
    _, te = data.split_domain(data.domain_corpus())
    assert t["held_out"]["worker_posts"]["n"] == len(te)
    assert t["held_out"]["trained_on"][0]["rows"] == 100 - len(te)  # the evaluated model never saw the test part
    assert t["trained_on"][0]["rows"] == 100  # the shipped one is refit on everything
    assert 0.0 <= r["held_out"]["combined"]["high_recall"] <= 1.0
    assert r["high_at"] in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
    manifest = read_manifest("risk", tmp_path)
    assert manifest["libraries"]["jieba"] and manifest["trained_on"][0]["sha256"]
    model, _ = load_model("topic", tmp_path)
    assert set(model.classes_) == set(data.domain_corpus().columns["topic"])


@pytest.mark.slow
def test_training_one_model_into_an_empty_models_dir_copies_the_shipped_others(fixture_corpus, tmp_path):
    from yuqing.nlp.analyzer import Analyzer
    from yuqing.nlp.persist import packaged_models_dir

    folder = tmp_path / "retrained"
    lines: list[str] = []
    out = train.train("topic", [], models_dir=folder, log=lines.append)
    assert set(out) == {"topic"}
    shipped = packaged_models_dir()
    for name in ("sentiment.skops", "sentiment.npz", "sentiment.json", "risk.skops", "risk.npz", "risk.json",
                 "keywords.json"):
        assert (folder / name).read_bytes() == (shipped / name).read_bytes(), name
    assert read_manifest("topic", folder)["trained_on"][0]["rows"] == 100  # trained here, on the fixture
    assert read_manifest("topic", folder)["trained_at"] != read_manifest("topic", shipped)["trained_at"]
    assert any("sentiment" in line and "risk" in line and str(folder) in line for line in lines)
    assert "model card" in (folder / "README.md").read_text(encoding="utf-8")
    a = Analyzer(folder)
    assert a.notes == [] and a.topic_manifest["trained_on"][0]["rows"] == 100
