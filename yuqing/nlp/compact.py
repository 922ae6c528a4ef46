"""The trained models in their compact inference form: numpy arrays, no scikit-learn, scipy or skops.

`yuqing train` saves each model as a scikit-learn ``Pipeline`` (skops, the reference) and exports it
with :func:`export_model` into ``<name>.npz`` beside the model: per linear stage the word vocabulary (sorted
64-bit n-gram hashes) and its IDF, the char buckets' IDF (or char vocabulary), the lexicon tables,
the logistic regression's coefficients and intercepts. :func:`load_npz` reads it back with numpy
only, so `yuqing classify` and `yuqing analyze` start in a fraction of a second.

The exported models compute what the pipelines compute, in the same float32 arithmetic and order:
the TF-IDF rows and lexicon features come from the same functions (:mod:`yuqing.nlp.tfidf`,
:mod:`yuqing.nlp.polarity`); the dot product with the coefficients adds each row's terms one after
the other in float32 like scipy's CSR product (:func:`row_dot`); the binary logistic function uses
the C library's ``expf`` like scipy's ``expit``; softmax is sklearn's own sequence of numpy calls.
tests/nlp/test_compact.py checks the probabilities against the pipelines on the held-out sets.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence

import numpy as np

from ..errors import ModelError
from ..schema import SENTIMENT_CLASSES
from .ngrams import ngram_batch
from .polarity import N_COLUMNS, Lexicon
from .tfidf import Rows, tfidf, vocabulary_counts

#: Version of the .npz layout written by :func:`export_model` (a loader refuses other versions).
FORMAT = 1
#: Most rows :func:`row_dot` sums in one block.
_BAND_ROWS = 64


def _libm_expf():
    """The C library's ``expf`` (what scipy's float32 ``expit`` calls), or None where it cannot be loaded."""
    try:
        import ctypes

        fn = ctypes.CDLL("libm.so.6").expf
    except (OSError, AttributeError):
        return None
    fn.restype = ctypes.c_float
    fn.argtypes = [ctypes.c_float]
    return fn


_EXPF = _libm_expf()


def expit32(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + expf(-x))`` in float32, as scipy.special.expit computes it for float32 input."""
    x = np.asarray(x, dtype=np.float32)
    if _EXPF is not None:
        e = np.fromiter(map(_EXPF, (-x).ravel().tolist()), dtype=np.float32, count=x.size).reshape(x.shape)
    else:  # correctly rounded exp: differs from glibc's expf in the last bit for ~0.1% of inputs
        e = np.exp(-x.astype(np.float64)).astype(np.float32)
    one = np.float32(1.0)
    return one / (one + e)


def softmax32(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax, the same numpy calls as ``sklearn.utils.extmath.softmax`` (in place)."""
    x -= x.max(axis=1).reshape((-1, 1))
    np.exp(x, out=x)
    x /= x.sum(axis=1).reshape((-1, 1))
    return x


def _bands(sorted_lengths: list[int]) -> list[tuple[int, int, int]]:
    """Groups of consecutive rows (longest first): ``(first, rows, length)``, a group's rows at
    least half as long as its first, at most :data:`_BAND_ROWS` of them; empty rows are left out."""
    bands = []
    r, n = 0, len(sorted_lengths)
    while r < n and sorted_lengths[r] > 0:
        length = sorted_lengths[r]
        size = 1
        while size < _BAND_ROWS and r + size < n and 2 * sorted_lengths[r + size] >= length:
            size += 1
        bands.append((r, size, length))
        r += size
    return bands


def row_dot(parts: Sequence[tuple[Rows, int]], coef_t: np.ndarray, n_rows: int) -> np.ndarray:
    """``X @ coef_t`` for the sparse matrix ``X`` whose row ``i`` is the entries of row ``i`` of
    each part in turn (a part's columns start at its offset): texts × ``coef_t.shape[1]``.

    Each row's terms ``x_ij * coef_t[j]`` are added one after the other from zero, in the dtype of
    the terms, the way scipy's CSR product does, so the float32 result is the same bit for bit.
    Rows of similar length (longest first) are laid out as zero-padded (position × row × class)
    blocks and each block is summed over its first axis, which numpy does position after position
    (never pairwise: a block always has at least two row columns)."""
    k = coef_t.shape[1]
    dtype = np.result_type(coef_t.dtype, *(r.data.dtype for r, _ in parts))
    lengths = np.zeros(n_rows, dtype=np.int64)
    for rows, _ in parts:
        lengths += np.diff(rows.indptr)
    out = np.zeros((n_rows, k), dtype=dtype)
    if not lengths.any():
        return out
    by_rank = np.argsort(-lengths, kind="stable")
    bands = _bands(lengths[by_rank].tolist())
    widths = [max(size, 2) for _, size, _ in bands]  # a one-row block would be summed pairwise
    base = np.cumsum([0] + [w * length for w, (_, _, length) in zip(widths, bands)])
    band_of_rank = np.repeat(np.arange(len(bands)), [size for _, size, _ in bands])
    ranked = by_rank[:len(band_of_rank)]  # rows with at least one term, longest first
    firsts = np.array([first for first, _, _ in bands])
    # the slot of a row's term at position p is first_slot[row] + p * row_width[row]
    first_slot = np.zeros(n_rows, dtype=np.int64)
    first_slot[ranked] = base[:-1][band_of_rank] + np.arange(len(ranked)) - firsts[band_of_rank]
    row_width = np.zeros(n_rows, dtype=np.int64)
    row_width[ranked] = np.asarray(widths)[band_of_rank]
    slots = int(base[-1])
    columns = np.zeros(slots, dtype=np.int64)  # padding: column 0 with value 0 adds nothing
    values = np.zeros(slots, dtype=dtype)
    done = np.zeros(n_rows, dtype=np.int64)
    for rows, offset in parts:
        counts = np.diff(rows.indptr)
        if len(rows.data):
            slot = np.repeat(first_slot + (done - rows.indptr[:-1]) * row_width, counts)
            slot += np.arange(len(rows.data)) * np.repeat(row_width, counts)
            columns[slot] = rows.indices + offset
            values[slot] = rows.data
        done += counts
    for (first, size, length), width, start in zip(bands, widths, base[:-1].tolist()):
        end = start + width * length
        terms = coef_t.take(columns[start:end], axis=0).astype(dtype, copy=False)
        terms *= values[start:end, None]
        out[by_rank[first:first + size]] = terms.reshape(length, width, k).sum(axis=0)[:size]
    return out


class LinearStage:
    """One exported pipeline: shared n-grams → word + char TF-IDF (+ lexicon features) →
    logistic regression."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict, lexicon: Lexicon | None):
        self.word_range = tuple(meta["word_ngrams"])
        self.char_range = tuple(meta["char_ngrams"])
        self.char_bits = meta["char_bits"]
        self.word_keys = arrays["word_keys"]
        self.word_idf = arrays["word_idf"]
        self.char_keys = arrays["char_keys"]
        self.char_idf = arrays["char_idf"]
        self.lexicon = lexicon
        self.classes_ = np.asarray(meta["classes"])
        n_features = len(self.word_idf) + len(self.char_idf) + (N_COLUMNS if lexicon is not None else 0)
        if n_features != meta["n_features"]:
            raise ModelError("导出的模型前后不一致（特征数不符）：请用 `yuqing train` 重新训练")
        values = np.ascontiguousarray(arrays["coef_values"])
        k = values.shape[1]
        self.coef_t = np.zeros((n_features, k), dtype=values.dtype)
        cell = np.dtype((np.void, values.itemsize * k))  # a row of k values as one item: a fast scatter
        self.coef_t.view(cell).reshape(-1)[arrays["coef_columns"]] = values.view(cell).reshape(-1)
        self.intercept = arrays["intercept"]

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """The logistic regression's scores (texts × 1 for two classes, else texts × classes)."""
        batch = ngram_batch(texts, self.word_range, self.char_range)
        n = batch.n_docs
        word = tfidf(vocabulary_counts(batch.pairs("word"), self.word_keys, n), self.word_idf)
        if self.char_bits is None:
            char = vocabulary_counts(batch.pairs("char"), self.char_keys, n)
        else:
            char = batch.buckets("char", self.char_bits)
        char = tfidf(char, self.char_idf)
        parts = [(word, 0), (char, len(self.word_idf))]
        if self.lexicon is not None:
            lex = self.lexicon.rows(texts)
            parts.append((Rows(lex.ravel(), np.tile(np.arange(N_COLUMNS), n), np.arange(n + 1) * N_COLUMNS,
                               N_COLUMNS), len(self.word_idf) + len(self.char_idf)))
        return row_dot(parts, self.coef_t, n) + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        scores = self.decision_function(list(texts))
        if len(self.classes_) <= 2:
            p = expit32(scores.reshape(-1))
            return np.stack([1 - p, p], axis=1)
        return softmax32(scores)


def combine_two_stage(s: np.ndarray, s_classes: Sequence[str], p: np.ndarray, p_classes: Sequence[str],
                      classes: Sequence[str] = SENTIMENT_CLASSES) -> np.ndarray:
    """Two-stage sentiment probabilities from the subjectivity stage ``s`` (neutral vs polar) and
    the polarity stage ``p``: ``p(neutral) = s1``, ``p(c) = (1 - s1) · s2(c)``."""
    s_classes, p_classes = [str(c) for c in s_classes], [str(c) for c in p_classes]
    p_neutral = s[:, s_classes.index("neutral")]
    out = np.zeros((len(s), len(classes)))
    out[:, classes.index("neutral")] = p_neutral
    for j, c in enumerate(classes):
        if c != "neutral" and c in p_classes:
            out[:, j] = (1.0 - p_neutral) * p[:, p_classes.index(c)]
    return out


class TwoStageModel:
    """The exported :class:`~yuqing.nlp.subjectivity.TwoStageSentiment`."""

    def __init__(self, subjectivity: LinearStage, polarity: LinearStage, classes: Sequence[str]):
        self.subjectivity = subjectivity
        self.polarity = polarity
        self.classes_ = np.asarray(classes)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        return combine_two_stage(self.subjectivity.predict_proba(texts), self.subjectivity.classes_,
                                 self.polarity.predict_proba(texts), self.polarity.classes_,
                                 tuple(str(c) for c in self.classes_))


# --- export (training side: reads the fitted scikit-learn objects) --------------------------------

def _export_stage(pipe, prefix: str, arrays: dict, lexicons: dict) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from .features import HashedTfidf, LexiconFeatures, NgramHasher

    def refuse(why: str):
        raise ModelError(f"无法导出这个模型（{why}）：只支持自带训练方法产生的流水线")

    if not isinstance(pipe, Pipeline) or [n for n, _ in pipe.steps] != ["features", "clf"]:
        refuse("steps")
    union, clf = pipe.named_steps["features"], pipe.named_steps["clf"]
    if not isinstance(union, FeatureUnion) or union.transformer_weights:
        refuse("features")
    if type(clf) is not LogisticRegression:
        refuse(type(clf).__name__)
    names = [n for n, _ in union.transformer_list]
    if names not in (["text"], ["text", "lexicon"]):
        refuse(f"feature parts {names}")
    text = dict(union.transformer_list)["text"]
    if (not isinstance(text, Pipeline) or [n for n, _ in text.steps] != ["ngrams", "tfidf"]
            or type(text.named_steps["ngrams"]) is not NgramHasher
            or type(text.named_steps["tfidf"]) is not HashedTfidf):
        refuse("text features")
    hasher, tf = text.named_steps["ngrams"], text.named_steps["tfidf"]
    lex_key = None
    if "lexicon" in names:
        lex = dict(union.transformer_list)["lexicon"]
        if type(lex) is not LexiconFeatures:
            refuse("lexicon features")
        table = lex.lexicon()
        lex_key = lexicons.setdefault(table.fingerprint, f"lexicon{len(lexicons)}")
        arrays[lex_key] = np.array(json.dumps([table.polarity, table.negations, table.degrees], ensure_ascii=False))
    coef = np.asarray(clf.coef_)
    used = np.flatnonzero(np.any(coef != 0, axis=0))  # most hashed columns of a small corpus stay 0
    arrays.update({f"{prefix}word_keys": tf.word_keys_, f"{prefix}word_idf": tf.word_idf_,
                   f"{prefix}char_keys": tf.char_keys_, f"{prefix}char_idf": tf.char_idf_,
                   f"{prefix}coef_columns": used.astype(np.int32),
                   f"{prefix}coef_values": np.ascontiguousarray(coef[:, used].T),
                   f"{prefix}intercept": np.asarray(clf.intercept_)})
    return {"word_ngrams": list(hasher.word_ngrams), "char_ngrams": list(hasher.char_ngrams),
            "char_bits": tf.char_bits, "classes": [str(c) for c in clf.classes_], "lexicon": lex_key,
            "n_features": int(coef.shape[1])}


def export_model(model) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and the description (``meta``) of a fitted model of the shipped recipe."""
    from .subjectivity import TwoStageSentiment

    arrays: dict[str, np.ndarray] = {}
    lexicons: dict[str, str] = {}
    if isinstance(model, TwoStageSentiment):
        meta = {"kind": "two_stage", "classes": [str(c) for c in model.classes_],
                "stages": {name: _export_stage(getattr(model, name + "_"), name + "/", arrays, lexicons)
                           for name in ("subjectivity", "polarity")}}
    else:
        meta = {"kind": "linear", "classes": [str(c) for c in model.classes_],
                "stages": {"model": _export_stage(model, "model/", arrays, lexicons)}}
    meta["format"] = FORMAT
    return arrays, meta


def npz_bytes(model) -> bytes:
    """The ``.npz`` file of ``model``: uncompressed (it loads in milliseconds) and the same bytes for
    the same model (fixed member dates, sorted names)."""
    import zipfile

    arrays, meta = export_model(model)
    arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            with zf.open(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asanyarray(arrays[name]), allow_pickle=False)
    return buf.getvalue()


# --- loading (inference side: numpy only) ---------------------------------------------------------

def load_npz(raw: bytes):
    """The model in ``raw`` (an .npz written by :func:`npz_bytes`): a :class:`LinearStage` or a
    :class:`TwoStageModel`; :class:`ModelError` when it cannot be read."""
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(str(arrays.pop("meta")))
    except Exception as exc:  # noqa: BLE001 - a damaged file, whatever numpy says
        raise ModelError(f"无法读取导出的模型（{type(exc).__name__}）：请用 `yuqing train` 重新训练") from None
    if meta.get("format") != FORMAT:
        raise ModelError(f"导出的模型格式为 {meta.get('format')}，本版 yuqing 读取格式 {FORMAT}："
                         "请用 `yuqing train` 重新训练")
    lexicons: dict[str, Lexicon] = {}

    def stage(name: str, m: dict) -> LinearStage:
        lex = None
        if m["lexicon"]:
            if m["lexicon"] not in lexicons:
                blob = str(arrays[m["lexicon"]])
                lexicons[m["lexicon"]] = Lexicon(*json.loads(blob),
                                                 fingerprint=hashlib.sha1(blob.encode("utf-8")).hexdigest())
            lex = lexicons[m["lexicon"]]
        part = {k[len(name) + 1:]: v for k, v in arrays.items() if k.startswith(name + "/")}
        return LinearStage(part, m, lex)

    stages = {name: stage(name, m) for name, m in meta["stages"].items()}
    if meta["kind"] == "two_stage":
        return TwoStageModel(stages["subjectivity"], stages["polarity"], meta["classes"])
    return stages["model"]
