"""JSON Lines in, JSON Lines out: the body of `yuqing classify`. No IO of its own (takes an
iterable of lines, yields dicts)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..decoding import replace_lone_surrogates

OUTPUT_FIELDS = ("sentiment", "sentiment_scores", "topic", "topics", "risk", "keywords")


def parse_line(n: int, line: str | None) -> tuple[object, str | None, str | None]:
    """``(id, text, error)`` for input line ``n`` (1-based); ``None`` is a line that could not be decoded
    (:func:`yuqing.decoding.decode_text`, applied line by line so one odd line does not spoil the others)."""
    if line is None:
        return None, None, f"第 {n} 行的编码无法识别（应为 UTF-8 或 GB18030）"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None, None, f"第 {n} 行不是合法的 JSON"
    if not isinstance(obj, dict):
        return None, None, f"第 {n} 行应是一个 JSON 对象 {{\"id\", \"text\"}}"
    rid, text = obj.get("id"), obj.get("text")
    if isinstance(rid, str):
        rid = replace_lone_surrogates(rid)  # must survive being written back out as UTF-8
    if not isinstance(text, str):
        return rid, None, f"第 {n} 行缺少字符串字段 text"
    return rid, text, None


def classify_lines(analyzer, lines: Iterable[str | None], batch: int = 1000) -> Iterator[dict]:
    """One output dict per non-blank input line, in input order: ``id`` plus
    :data:`OUTPUT_FIELDS`, or ``id``/``line``/``error`` for a line that cannot be read."""
    pending: list[tuple[object, str]] = []
    slots: list[dict | None] = []

    def flush() -> Iterator[dict]:
        results = iter(analyzer.classify_texts([t for _, t in pending]))
        ids = iter(pending)
        for slot in slots:
            if slot is not None:
                yield slot
            else:
                rid, _ = next(ids)
                r = next(results)
                yield {"id": rid, **{k: r[k] for k in OUTPUT_FIELDS}}
        pending.clear()
        slots.clear()

    for n, line in enumerate(lines, 1):
        if line is not None and not line.strip():
            continue
        rid, text, error = parse_line(n, line)
        if error:
            slots.append({"id": rid, "line": n, "error": error})
        else:
            pending.append((rid, text))
            slots.append(None)
        if len(pending) >= batch:
            yield from flush()
    yield from flush()
