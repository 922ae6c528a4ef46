"""Training and evaluation data: where it lives, how it is read, how it is split.

Only this module reads the corpora. Every loader returns a :class:`Dataset` carrying the file's
name, row count and sha256 so manifests can say exactly what a model saw.

The training data is not part of the installed package: the hand-labelled domain corpus lives in
the source checkout's ``corpus/`` (``$YUQING_CORPUS_DIR`` elsewhere), the public corpora and
lexicons in the shared data folder beside the checkout (``$YUQING_SHARED_DATA`` elsewhere).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..decoding import decode_text
from ..errors import ModelError
from ..schema import RISKS as _RISKS
from ..schema import SENTIMENT_CLASSES, TOPICS

#: The labels of the training data, as plain strings (yuqing.schema holds the vocabularies).
SENTIMENTS = SENTIMENT_CLASSES
RISKS: tuple[str, ...] = tuple(str(r) for r in _RISKS)


def checkout_root() -> Path | None:
    """The source checkout yuqing runs from: the folder that holds the ``yuqing`` package beside its
    ``pyproject.toml`` and ``corpus/``. None for an installed yuqing (a wheel has neither)."""
    root = Path(str(resources.files("yuqing"))).parent
    return root if (root / "pyproject.toml").is_file() and (root / "corpus").is_dir() else None


def corpus_dir() -> Path:
    """The hand-labelled domain corpus: ``$YUQING_CORPUS_DIR`` or the checkout's ``corpus/``."""
    env = os.environ.get("YUQING_CORPUS_DIR")
    if env:
        return Path(env)
    root = checkout_root()
    if root is None:
        raise ModelError("训练语料不在安装包里：请在 yuqing 源码目录中运行，或用环境变量 YUQING_CORPUS_DIR "
                         "指向 corpus 文件夹")
    return root / "corpus"


def shared_data_dir() -> Path:
    """``$YUQING_SHARED_DATA`` or ``../shared/data`` beside the source checkout."""
    env = os.environ.get("YUQING_SHARED_DATA")
    if env:
        return Path(env)
    root = checkout_root()
    if root is None:
        raise ModelError("共享训练数据不在安装包里：请用环境变量 YUQING_SHARED_DATA 指向共享数据文件夹（shared/data）")
    return root.parent / "shared" / "data"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Dataset:
    """Texts with labels and the provenance a manifest records."""

    name: str
    texts: list[str]
    labels: list[str]
    path: str = ""
    sha256: str = ""
    ids: list[str] = field(default_factory=list)
    #: extra label columns (the domain corpus has sentiment, topic and risk)
    columns: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.texts)

    def provenance(self) -> dict:
        return {"name": self.name, "rows": len(self.texts), "path": self.path, "sha256": self.sha256}

    def subset(self, keep: Iterable[bool], name: str | None = None) -> Dataset:
        keep = list(keep)
        pick = lambda xs: [x for x, k in zip(xs, keep) if k]  # noqa: E731
        return Dataset(name or self.name, pick(self.texts), pick(self.labels), self.path, self.sha256,
                       pick(self.ids) if self.ids else [], {c: pick(v) for c, v in self.columns.items()})

    def relabel(self, column: str) -> Dataset:
        """The same rows labelled by another column."""
        return Dataset(self.name, self.texts, self.columns[column], self.path, self.sha256, self.ids, self.columns)


def clean_text(text: str) -> str:
    """Strip stray BOMs and surrounding whitespace (the corpora carry a few)."""
    return text.replace("\ufeff", "").strip()


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        raise ModelError(f"找不到训练数据：{path}（请把 YUQING_SHARED_DATA 设为共享数据目录）")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _binary(name: str, path: Path, text_col: str, label_col: str, exclude: set[str] = frozenset(),
            skip_cats: set[str] = frozenset()) -> Dataset:
    texts, labels = [], []
    for r in _read_csv(path):
        t = clean_text(r.get(text_col) or "")
        if not t or t in exclude or r.get("cat", "") in skip_cats:
            continue
        texts.append(t)
        labels.append("positive" if r[label_col].strip() == "1" else "negative")
    return Dataset(name, texts, labels, str(path.relative_to(shared_data_dir().parent)), sha256_of(path))


def chnsenticorp(split: str) -> Dataset:
    """``split`` is ``train`` or ``validation``."""
    p = shared_data_dir() / "sentiment" / f"chnsenticorp_{split}.csv"
    return _binary(f"chnsenticorp_{split}", p, "text", "label")


def weibo() -> Dataset:
    p = shared_data_dir() / "sentiment" / "weibo_senti_subset2400.csv"
    return _binary("weibo_senti_subset2400", p, "review", "label")


def online_shopping(exclude: set[str]) -> Dataset:
    """online_shopping_10_cats without its hotel reviews (most are ChnSentiCorp's) and without
    any text in ``exclude`` (pass the ChnSentiCorp evaluation texts)."""
    p = shared_data_dir() / "sentiment" / "online_shopping_10_cats.csv"
    return _binary("online_shopping_10_cats(-酒店)", p, "review", "label", exclude=exclude, skip_cats={"酒店"})


def domain_corpus(path: Path | None = None) -> Dataset:
    """The hand-labelled worker posts (``id,text,sentiment,topic,risk``); rows with an unknown label
    are skipped."""
    p = path or corpus_dir() / "worker_posts.csv"
    rows = _read_csv(p)
    keep = [r for r in rows if (r.get("text") or "").strip() and r.get("sentiment") in SENTIMENTS
            and r.get("topic") in TOPICS and r.get("risk") in RISKS]
    keep.sort(key=lambda r: r["id"])
    texts = [clean_text(r["text"]) for r in keep]
    cols = {c: [r[c] for r in keep] for c in ("sentiment", "topic", "risk")}
    shown = _shown_path(p)
    return Dataset("worker_posts", texts, cols["sentiment"], shown, sha256_of(p), [r["id"] for r in keep], cols)


def _shown_path(p: Path) -> str:
    """``p`` as a manifest records it: relative to the checkout when it is inside it."""
    root = checkout_root()
    if root is not None:
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(p)


def worker_chat() -> Dataset:
    """The hand-labelled everyday group-chat lines (``corpus/worker_chat.csv``, same columns)."""
    ds = domain_corpus(corpus_dir() / "worker_chat.csv")
    ds.name = "worker_chat"
    return ds


def is_test_id(post_id: str, test_share: float = 0.25) -> bool:
    """Deterministic held-out split: a hash of the id, ``test_share`` of ids are test."""
    h = int(hashlib.sha1(post_id.encode("utf-8")).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF < test_share


def split_domain(ds: Dataset) -> tuple[Dataset, Dataset]:
    """(train, test) parts of the domain corpus by :func:`is_test_id`."""
    test = [is_test_id(i) for i in ds.ids]
    return ds.subset([not t for t in test], ds.name + "[train]"), ds.subset(test, ds.name + "[test]")


def staff_labels(labels: list[dict], field_name: str) -> Dataset:
    """Staff corrections from ``store.list_labels()`` for one field."""
    rows = sorted((r for r in labels if r["field"] == field_name and (r.get("text") or "").strip()),
                  key=lambda r: r["post_id"])
    return Dataset(f"staff_labels[{field_name}]", [clean_text(r["text"]) for r in rows], [r["value"] for r in rows],
                   "store.list_labels()", "", [r["post_id"] for r in rows])


def stopwords() -> frozenset[str]:
    """The union of the four shared stopword lists."""
    words: set[str] = set()
    folder = shared_data_dir() / "lexicons" / "stopwords"
    for p in sorted(folder.glob("*_stopwords.txt")):
        words.update(w.strip() for w in p.read_text(encoding="utf-8").splitlines() if w.strip())
    return frozenset(words)


def read_user_text(path: Path) -> str:
    """A user's file as text: UTF-8 (BOM or not), else GB18030; a readable error otherwise."""
    text = decode_text(path.read_bytes())
    if text is not None:
        return text
    raise ModelError(f"{path}: 编码无法识别（应为 UTF-8 或 GB18030）")


def read_labelled(path: Path, field_name: str) -> Dataset:
    """A labelled CSV or JSON Lines file for ``yuqing eval``: a ``text`` column and a ``label`` or
    ``field_name`` column (binary ``0/1`` is read as negative/positive)."""
    if not path.exists():
        raise ModelError(f"找不到文件：{path}")
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        rows = []
        for n, line in enumerate(read_user_text(path).splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    raise ModelError(f"{path} 第 {n} 行不是合法的 JSON") from None
    else:
        rows = list(csv.DictReader(io.StringIO(read_user_text(path), newline="")))
    texts, labels = [], []
    for r in rows:
        text = clean_text(str(r.get("text") or r.get("review") or ""))
        label = str(r.get(field_name, r.get("label", ""))).strip()
        if not text or not label:
            continue
        if field_name == "sentiment" and label in ("0", "1"):
            label = "positive" if label == "1" else "negative"
        texts.append(text)
        labels.append(label)
    if not texts:
        raise ModelError(f"{path}：没有同时有 text 列和 {field_name!r}（或 'label'）列的行")
    return Dataset(path.name, texts, labels, str(path), sha256_of(path))
