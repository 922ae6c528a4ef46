"""How well the method suggestion does on labelled matters.

Each matter's posts go through the shipped NLP models (topic, sentiment, risk) and then
:func:`~yuqing.casework.method.suggest`, exactly as an issue's posts do. Two bundled sets (see
``corpus/README.md``): ``matters.csv``, the development set the cue lists were written and tuned
with, and ``matters_heldout.csv``, written after the cue lists were frozen and never tuned on —
its figure is the one to quote.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import YuqingError
from .method import Evidence, suggest
from .methods import NINE_METHODS

COLUMNS = ("matter", "method", "source_kind", "text")


@dataclass
class Matter:
    id: str
    method: str
    source_kind: str
    texts: list[str] = field(default_factory=list)


#: The bundled labelled sets: name → file in ``corpus/``.
BUNDLED = {"development": "matters.csv", "held_out": "matters_heldout.csv"}


def bundled_corpus(name: str = "development") -> Path:
    return Path(str(resources.files("yuqing.casework").joinpath("corpus", BUNDLED[name])))


def read_matters(path: Path) -> list[Matter]:
    """Rows ``matter,method,source_kind,text`` (one post per row) → matters in file order."""
    names = {m.name for m in NINE_METHODS}
    out: dict[str, Matter] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise YuqingError(f"{path}: 表头应为 {','.join(COLUMNS)}")
            for i, row in enumerate(reader, start=2):
                if row["method"] not in names:
                    raise YuqingError(f"{path}:{i}: 不是九法之一：{row['method']!r}")
                m = out.setdefault(row["matter"], Matter(row["matter"], row["method"], row["source_kind"]))
                if m.method != row["method"]:
                    raise YuqingError(f"{path}:{i}: 事项 {m.id} 标了两种方法")
                m.texts.append(row["text"])
    except OSError as exc:
        raise YuqingError(f"无法读取 {path}：{exc.strerror or exc}") from None
    return list(out.values())


def predict(matters: Sequence[Matter], analyzer) -> list[str]:
    """The suggested method of every matter (its posts analysed in one batch)."""
    texts = [t for m in matters for t in m.texts]
    results = analyzer.analyze_texts(texts)
    out, k = [], 0
    for m in matters:
        rows = results[k:k + len(m.texts)]
        k += len(m.texts)
        ev = [Evidence(t, r["topic"], r["sentiment"], r["risk"]) for t, r in zip(m.texts, rows)]
        out.append(suggest(ev).method)
    return out


def evaluate(matters: Sequence[Matter], analyzer) -> dict:
    """Metrics (as :func:`yuqing.nlp.evaluate.metrics`, labels = the nine in the article's order) and
    the matters suggested wrongly: ``{"metrics": …, "errors": [{"matter", "label", "suggested", "first_post"}]}``."""
    from ..nlp.evaluate import metrics

    pred = predict(matters, analyzer)
    truth = [m.method for m in matters]
    errors = [{"matter": m.id, "label": m.method, "suggested": p, "first_post": m.texts[0]}
              for m, p in zip(matters, pred) if p != m.method]
    return {"metrics": metrics(truth, pred, [m.name for m in NINE_METHODS]), "errors": errors}
