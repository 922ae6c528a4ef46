import json

import pytest

from yuqing.errors import ModelError
from yuqing.nlp.persist import check_versions, library_versions, load_model, read_manifest, save_model
from yuqing.nlp.train import fit_topic


@pytest.fixture
def saved(tmp_path, small_corpus):
    model = fit_topic(small_corpus.relabel("topic"))
    save_model("topic", model, {"task": "topic", "trained_on": [small_corpus.provenance()]}, tmp_path)
    return tmp_path, model


def test_manifest_records_versions_data_and_size(saved):
    folder, _ = saved
    m = read_manifest("topic", folder)
    assert m["libraries"]["scikit-learn"] == library_versions()["scikit-learn"]
    assert m["trained_on"][0]["rows"] == 100 and len(m["trained_on"][0]["sha256"]) == 64
    assert m["size_bytes"] == (folder / "topic.skops").stat().st_size


def test_round_trip_gives_the_same_predictions(saved, small_corpus):
    folder, model = saved
    loaded, _ = load_model("topic", folder)
    assert list(loaded.predict(small_corpus.texts)) == list(model.predict(small_corpus.texts))


def test_version_mismatch_raises_model_error(saved):
    folder, _ = saved
    path = folder / "topic.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["libraries"]["scikit-learn"] = "0.24.2"
    path.write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain with `yuqing train`") as exc:
        load_model("topic", folder)
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
    (folder / "topic.skops").write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="yuqing train"):
        load_model("topic", folder)
