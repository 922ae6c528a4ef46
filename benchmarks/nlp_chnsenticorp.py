"""Standard protocol: train on chnsenticorp_train only, score on chnsenticorp_validation.

Run: .venv/bin/python benchmarks/nlp_chnsenticorp.py [variant ...]
Prints validation accuracy per feature/classifier variant, stores them in models/benchmarks.json
(key ``chnsenticorp_variants``) and refreshes the model card.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from yuqing.nlp import data
from yuqing.nlp.card import write_card
from yuqing.nlp.features import text_features
from yuqing.nlp.lexicon import lexicon_features
from yuqing.nlp.nbsvm import NBFeatures
from yuqing.nlp.persist import default_models_dir
from yuqing.nlp.pipelines import sentiment_pipeline


def variants(lex):
    lr = lambda C: LogisticRegression(C=C, max_iter=5000)  # noqa: E731
    return {
        "word TF-IDF + LR (plain baseline)": lambda: Pipeline([
            ("f", text_features((1, 1), (1, 1), None).set_params(char="drop")), ("clf", lr(4))]),
        "shipped: word 1–2 + hashed char 1–4 + lexicon, LR C=32": lambda: sentiment_pipeline(lex),
        "word 1–2 + char 1–4 vocabulary + lexicon, LR C=32": lambda: Pipeline([
            ("f", text_features((1, 2), (1, 4), lex, hashed=False)), ("clf", lr(32))]),
        "same + NB log-count-ratio scaling, LR C=32": lambda: Pipeline([
            ("f", text_features((1, 2), (1, 4), lex, hashed=False)), ("nb", NBFeatures()), ("clf", lr(32))]),
    }


def main(names: list[str]) -> None:
    train, val = data.chnsenticorp("train"), data.chnsenticorp("validation")
    y = np.array([v == "positive" for v in val.labels])
    results, probas = {}, {}
    for name, build in variants(lexicon_features()).items():
        if names and not any(n in name for n in names):
            continue
        t = time.perf_counter()
        model = build().fit(train.texts, train.labels)
        p = model.predict_proba(val.texts)[:, list(model.classes_).index("positive")]
        probas[name] = p
        results[name] = round(float(np.mean((p > 0.5) == y)), 4)
        print(f"{name:60s} {results[name]:.4f}  ({time.perf_counter() - t:.0f}s)", flush=True)
    if len(probas) >= 3:
        keys = [k for k in probas if "vocabulary" in k or "NB" in k]
        p = np.mean([probas[k] for k in keys], axis=0)
        results["ensemble: mean probability of the vocabulary LR and NB-LR"] = round(float(np.mean((p > 0.5) == y)), 4)
        print(f"{'ensemble':60s} {results['ensemble: mean probability of the vocabulary LR and NB-LR']:.4f}")
    path = default_models_dir() / "benchmarks.json"
    bench = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    bench["chnsenticorp_variants"] = results
    path.write_text(json.dumps(bench, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_card()


if __name__ == "__main__":
    main(sys.argv[1:])
