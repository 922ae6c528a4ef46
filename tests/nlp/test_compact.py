"""The numpy export of the models: the pipelines' probabilities, loading without scikit-learn, staleness."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import sparse
from scipy.special import expit

from yuqing.cli import main
from yuqing.errors import ModelError
from yuqing.nlp import compact, data
from yuqing.nlp.analyzer import Analyzer
from yuqing.nlp.persist import StaleExport, export_saved, load_exported, load_model, packaged_models_dir, read_manifest
from yuqing.nlp.tfidf import Rows

NAMES = ("sentiment", "topic", "risk")


def _held_out_sets() -> dict[str, list[str]]:
    """The held-out sets the model card reports (texts only)."""
    _, posts = data.split_domain(data.domain_corpus())
    _, chat = data.split_domain(data.worker_chat())
    return {"worker_posts": posts.texts, "worker_chat": chat.texts, "weibo": data.weibo().texts,
            "chnsenticorp_validation": data.chnsenticorp("validation").texts}


@pytest.mark.parametrize("name", NAMES)
def test_shipped_exports_give_the_pipelines_probabilities_on_the_held_out_sets(name):
    pipeline, _ = load_model(name, packaged_models_dir())
    exported = load_exported(name, packaged_models_dir())
    assert [str(c) for c in exported.classes_] == [str(c) for c in pipeline.classes_]
    for set_name, texts in _held_out_sets().items():
        if name != "sentiment" and set_name != "worker_posts":
            continue
        want = pipeline.predict_proba(texts)
        got = exported.predict_proba(texts)
        assert got.shape == want.shape
        assert np.abs(got - want).max() <= 1e-9, set_name
        if compact._EXPF is not None:  # with the C library's expf (as scipy uses): the same bits
            assert np.array_equal(got, want), set_name


def test_small_models_exports_match_their_pipelines(small_models, small_corpus):
    texts = small_corpus.texts + ["", "！！！", "a" * 4000, "[微笑][微笑]", "不是很好，非常不满意"]
    for name in NAMES:
        want = load_model(name, small_models)[0].predict_proba(texts)
        assert np.abs(load_exported(name, small_models).predict_proba(texts) - want).max() <= 1e-9


def test_export_is_deterministic_and_compact(small_models):
    model, _ = load_model("risk", small_models)
    raw = compact.npz_bytes(model)
    assert raw == compact.npz_bytes(model)
    assert raw == (small_models / "risk.npz").read_bytes()
    # the shipped exports stay small next to the skops files
    for name in NAMES:
        assert (packaged_models_dir() / f"{name}.npz").stat().st_size < 4 * (packaged_models_dir() / f"{name}.skops").stat().st_size


def _naive_dot(parts, coef_t, n_rows):
    """Row by row, term by term, in float32: what scipy's CSR product does."""
    out = np.zeros((n_rows, coef_t.shape[1]), dtype=np.float32)
    for i in range(n_rows):
        acc = np.zeros(coef_t.shape[1], dtype=np.float32)
        for rows, offset in parts:
            for j in range(rows.indptr[i], rows.indptr[i + 1]):
                acc = acc + rows.data[j] * coef_t[rows.indices[j] + offset]
        out[i] = acc
    return out


def _random_rows(rng, n_rows, n_cols, lengths):
    indptr = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    indices = np.concatenate([np.sort(rng.choice(n_cols, size=k, replace=False)) for k in lengths]).astype(np.int64)
    data_ = (rng.random(len(indices)) * rng.random(len(indices)) ** 3).astype(np.float32)
    return Rows(data_, indices, indptr, n_cols)


@pytest.mark.parametrize("k", [1, 2, 3, 13])
def test_row_dot_adds_each_row_in_order_like_scipy(k):
    rng = np.random.default_rng(k)
    n_rows = 150
    lengths_a = rng.integers(0, 40, n_rows)
    lengths_a[[3, 77]] = [900, 0]  # a long row, and an empty one
    lengths_b = rng.integers(0, 300, n_rows)
    lengths_b[[3, 9]] = [1200, 0]
    a = _random_rows(rng, n_rows, 1000, lengths_a)
    b = _random_rows(rng, n_rows, 1500, lengths_b)
    coef_t = rng.standard_normal((2500, k)).astype(np.float32)
    parts = [(a, 0), (b, 1000)]
    got = compact.row_dot(parts, coef_t, n_rows)
    assert np.array_equal(got, _naive_dot(parts, coef_t, n_rows))
    x = sparse.hstack([a.to_scipy(), b.to_scipy()], format="csr")
    assert np.array_equal(got, x @ coef_t if k > 1 else (x @ coef_t[:, 0]).reshape(-1, 1))


def test_row_dot_of_no_entries_is_zero():
    empty = Rows(np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(4, np.int64), 5)
    assert not compact.row_dot([(empty, 0)], np.ones((5, 2), np.float32), 3).any()


def test_expit32_is_scipys_float32_expit():
    x = (np.random.default_rng(0).standard_normal(200_000) * 8).astype(np.float32)
    got = compact.expit32(x)
    assert got.dtype == np.float32
    if compact._EXPF is None:
        assert np.abs(got - expit(x)).max() <= 1e-7
    else:
        assert np.array_equal(got, expit(x))


# --- loading: the fast path, and what happens when the export is missing or stale -----------------

@pytest.fixture
def models_copy(small_models, tmp_path):
    folder = tmp_path / "models"
    shutil.copytree(small_models, folder)
    return folder


def _results(folder, texts):
    return Analyzer(folder).analyze_texts(texts)


TEXTS = ["三个月没发工资了，明天大家一起到矿部门口讨个说法", "金秋助学金到账了，感谢工会[强]", "班中餐太差了"]


def test_analyzer_uses_the_exports(models_copy):
    a = Analyzer(models_copy)
    assert a.notes == []
    assert isinstance(a.sentiment, compact.TwoStageModel | compact.LinearStage)
    assert isinstance(a.topic, compact.LinearStage) and isinstance(a.risk, compact.LinearStage)


@pytest.mark.parametrize("damage, says", [
    ("delete", "不存在"),
    ("flip_byte", "不一致"),
    ("no_entry", "没有导出"),
    ("other_skops", "已过期"),
])
def test_a_missing_or_stale_export_falls_back_to_the_pipeline_and_says_why(models_copy, damage, says):
    want = _results(models_copy, TEXTS)
    npz, manifest_path = models_copy / "topic.npz", models_copy / "topic.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if damage == "delete":
        npz.unlink()
    elif damage == "flip_byte":
        raw = bytearray(npz.read_bytes())
        raw[len(raw) // 2] ^= 1
        npz.write_bytes(bytes(raw))
    elif damage == "no_entry":
        del manifest["inference"]
    elif damage == "other_skops":
        manifest["inference"]["model_sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StaleExport, match=says):
        load_exported("topic", models_copy)
    a = Analyzer(models_copy)
    assert len(a.notes) == 1 and says in a.notes[0] and "yuqing train --export-only" in a.notes[0]
    assert not isinstance(a.topic, compact.LinearStage)
    assert a.analyze_texts(TEXTS) == want  # same answers, only slower to start


def test_numpy_version_change_is_a_model_error(models_copy):
    manifest_path = models_copy / "risk.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["libraries"]["numpy"] = "1.0.0"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StaleExport, match="numpy 1.0.0"):
        load_exported("risk", models_copy)
    with pytest.raises(ModelError, match="yuqing train"):  # and the pipeline refuses it too
        Analyzer(models_copy)


def test_export_only_restores_a_missing_export(models_copy):
    (models_copy / "sentiment.npz").unlink()
    assert Analyzer(models_copy).notes
    entry = export_saved("sentiment", models_copy)
    assert entry == read_manifest("sentiment", models_copy)["inference"]
    assert Analyzer(models_copy).notes == []


def _run(args, folder, tmp_path, input=None):
    return CliRunner().invoke(main, args, input=input,
                              env={"YUQING_NLP_MODELS_DIR": str(folder), "YUQING_DATA_DIR": str(tmp_path)})


def test_cli_export_only_and_the_stale_export_note(models_copy, tmp_path):
    (models_copy / "risk.npz").unlink()
    line = json.dumps({"id": 1, "text": TEXTS[0]}, ensure_ascii=False) + "\n"
    res = _run(["classify"], models_copy, tmp_path, input=line)
    assert res.exit_code == 0, res.output
    assert "注意：" in res.stderr and "risk.npz" in res.stderr
    slow = json.loads(res.stdout)
    res = _run(["train", "--export-only", "risk"], models_copy, tmp_path)
    assert res.exit_code == 0, res.output
    assert "已重新导出 1 个模型" in res.stdout and (models_copy / "risk.npz").exists()
    res = _run(["classify"], models_copy, tmp_path, input=line)
    assert "注意" not in res.stderr and json.loads(res.stdout) == slow


def test_classify_imports_neither_scikit_learn_scipy_skops_nor_jieba(small_models):
    script = ("import json, sys\n"
              "from click.testing import CliRunner\n"
              "from yuqing.cli import main\n"
              "res = CliRunner().invoke(main, ['classify'], input=json.dumps({'id': 1, 'text': '工资拖欠三个月了'}))\n"
              "assert res.exit_code == 0, res.output\n"
              "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'skops', 'jieba'})))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "YUQING_NLP_MODELS_DIR": str(small_models)})
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
