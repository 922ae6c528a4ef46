"""Standard protocol: train on chnsenticorp_train only, score on chnsenticorp_validation.

Run: .venv/bin/python benchmarks/nlp_chnsenticorp.py [variant ...]
Prints validation accuracy per feature/classifier variant (the model-card figures come from here).
"""

from __future__ import annotations

import sys
import time

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from yuqing.nlp import data
from yuqing.nlp.features import text_features
from yuqing.nlp.lexicon import lexicon_features
from yuqing.nlp.nbsvm import NBFeatures


def variants():
    return {
        "tfidf_word_lr": lambda: Pipeline([("f", text_features((1, 1), (1, 1), None).set_params(char="drop")),
                                           ("clf", LogisticRegression(C=4, max_iter=2000))]),
        "word12_char13_lr": lambda: Pipeline([("f", text_features((1, 2), (1, 3), None)),
                                              ("clf", LogisticRegression(C=8, max_iter=2000))]),
        "word12_char14_lex_lr": lambda: Pipeline([("f", text_features((1, 2), (1, 4), lexicon_features())),
                                                  ("clf", LogisticRegression(C=8, max_iter=2000))]),
        "word12_char14_lex_nb_lr": lambda: Pipeline([("f", text_features((1, 2), (1, 4), lexicon_features())),
                                                     ("nb", NBFeatures()),
                                                     ("clf", LogisticRegression(C=8, max_iter=2000))]),
        "word13_char14_lex_nb_svm": lambda: Pipeline([("f", text_features((1, 3), (1, 4), lexicon_features())),
                                                      ("nb", NBFeatures()),
                                                      ("clf", LinearSVC(C=0.3))]),
    }


def main(names: list[str]) -> None:
    train, val = data.chnsenticorp("train"), data.chnsenticorp("validation")
    for name, build in variants().items():
        if names and name not in names:
            continue
        t = time.perf_counter()
        model = build().fit(train.texts, train.labels)
        acc = accuracy_score(val.labels, model.predict(val.texts))
        print(f"{name:28s} validation accuracy {acc:.4f}  ({time.perf_counter() - t:.0f}s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
