"""Evaluation figures: accuracy, macro-F1, per-class report, confusion matrix. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score, recall_score


def metrics(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] | None = None) -> dict:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix."""
    labels = list(labels) if labels else sorted(set(y_true) | set(y_pred))
    report = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    return {
        "n": len(y_true),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4),
        "per_class": {c: {k: round(float(v), 4) for k, v in report[c].items()} for c in labels},
        "labels": labels,
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def recall_of(y_true: Sequence[str], y_pred: Sequence[str], label: str) -> float:
    return round(float(recall_score(y_true, y_pred, labels=[label], average="macro", zero_division=0)), 4)


def format_report(m: dict, title: str = "") -> str:
    """Plain-text report for the terminal."""
    lines = [title] if title else []
    lines.append(f"样本数 {m['n']}  准确率 {m['accuracy']:.4f}  macro-F1 {m['macro_f1']:.4f}")
    # the Chinese headings are two columns wide per character: padded to the same 12 + 4×10 columns
    lines.append(f"{'类别':<10}{'精确率':>7}{'召回率':>7}{'F1':>10}{'样本数':>7}")
    for c in m["labels"]:
        r = m["per_class"][c]
        lines.append(f"{c:<12}{r['precision']:>10.4f}{r['recall']:>10.4f}{r['f1-score']:>10.4f}{int(r['support']):>10d}")
    width = max(8, *(len(c) + 2 for c in m["labels"]))
    lines.append("混淆矩阵（行 = 真实标签，列 = 预测）：")
    lines.append(" " * width + "".join(f"{c:>{width}}" for c in m["labels"]))
    for c, row in zip(m["labels"], m["confusion"]):
        lines.append(f"{c:<{width}}" + "".join(f"{v:>{width}d}" for v in row))
    return "\n".join(lines)
