import json
import shutil

import pytest

from yuqing.errors import ModelError
from yuqing.nlp.persist import check_versions, library_versions, load_model, read_manifest, save_model
from yuqing.nlp.train import fit_risk


@pytest.fixture(scope="module")
def fitted(tmp_path_factory, small_corpus):
    folder = tmp_path_factory.mktemp("saved")
    model = fit_risk(small_corpus.relabel("risk"))
    save_model("risk", model, {"task": "risk", "trained_on": [small_corpus.provenance()]}, folder)
    return folder, model


@pytest.fixture
def saved(fitted, tmp_path):
    """A fresh copy of the saved model per test (tests damage it)."""
    folder, model = fitted
    for p in folder.iterdir():
        shutil.copy(p, tmp_path / p.name)
    return tmp_path, model


def test_manifest_records_versions_data_and_size(saved):
    folder, _ = saved
    m = read_manifest("risk", folder)
    assert m["libraries"]["scikit-learn"] == library_versions()["scikit-learn"]
    assert m["trained_on"][0]["rows"] == 100 and len(m["trained_on"][0]["sha256"]) == 64
    assert m["size_bytes"] == (folder / "risk.skops").stat().st_size


def test_round_trip_gives_the_same_predictions(saved, small_corpus):
    folder, model = saved
    loaded, _ = load_model("risk", folder)
    assert (loaded.predict_proba(small_corpus.texts) == model.predict_proba(small_corpus.texts)).all()


def test_version_mismatch_raises_model_error(saved):
    folder, _ = saved
    path = folder / "risk.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["libraries"]["scikit-learn"] = "0.24.2"
    path.write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain with `yuqing train`") as exc:
        load_model("risk", folder)
    assert "\n" not in str(exc.value)


def test_check_versions_compares_major_minor_only():
    current = library_versions()
    patched = dict(current, numpy=current["numpy"].rsplit(".", 1)[0] + ".999")
    check_versions({"libraries": patched}, "x", current)
    with pytest.raises(ModelError):
        check_versions({"libraries": dict(current, scipy="0.1.0")}, "x", current)


def test_missing_and_damaged_models_raise_model_error(saved, tmp_path_factory):
    with pytest.raises(ModelError, match="yuqing train"):
        load_model("sentiment", tmp_path_factory.mktemp("empty"))
    folder, _ = saved
    (folder / "risk.skops").write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="yuqing train"):
        load_model("risk", folder)


def test_the_training_folder_is_the_configured_one_else_the_package_in_a_checkout(tmp_path, monkeypatch):
    from yuqing.nlp import persist

    assert persist.training_folder(tmp_path) == tmp_path
    assert persist.training_folder(None) == persist.packaged_models_dir()  # tests run from the checkout
    monkeypatch.setattr(persist, "checkout_root", lambda: None)  # an installed yuqing
    assert persist.training_folder(tmp_path) == tmp_path
    with pytest.raises(ModelError, match=r"models_dir.*YUQING_NLP_MODELS_DIR"):
        persist.training_folder(None)


def test_seeding_copies_only_the_missing_shipped_models(tmp_path):
    from yuqing.nlp.persist import packaged_models_dir, seed_from_package

    (tmp_path / "risk.json").write_text("{}", encoding="utf-8")
    assert seed_from_package(tmp_path, keep="topic") == ["sentiment", "keywords"]
    assert (tmp_path / "risk.json").read_text(encoding="utf-8") == "{}"  # what the folder has is kept
    assert not (tmp_path / "topic.json").exists() and (tmp_path / "sentiment.npz").is_file()
    assert seed_from_package(tmp_path, keep="topic") == []
    assert seed_from_package(packaged_models_dir(), keep="topic") == []
