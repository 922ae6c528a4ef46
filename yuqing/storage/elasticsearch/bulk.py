"""Bulk writes with back-pressure and per-document errors.

Documents go in chunks (by count and by bytes). A chunk the cluster refuses as a whole with 429
(too many requests) is retried with exponential backoff; inside a chunk, each document that got a
429 is retried the same way. A document the cluster rejects for any other reason (a mapping
conflict, a too-large field …) is not lost: it becomes a :class:`~yuqing.schema.QuarantineRecord`
carrying the cluster's reason. ``create`` conflicts (409) are duplicates, not errors.

:func:`chunked` and :func:`classify` are pure; :func:`run_bulk` does the IO.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from elasticsearch import ApiError, Elasticsearch
from elasticsearch import ConnectionError as EsConnectionError

from ...errors import StorageError, UnavailableError
from ...schema import QuarantineRecord


@dataclass(frozen=True)
class Action:
    """One bulk line pair: ``op`` is ``create`` (insert once), ``index`` (replace) or ``update``
    (a partial document, or a script)."""

    op: str
    index: str
    id: str
    doc: dict
    #: For ``update``: a script instead of a partial document.
    script: dict | None = None

    def lines(self) -> list[dict]:
        if self.op == "update":
            body = {"script": self.script} if self.script else {"doc": self.doc}
        else:
            body = self.doc
        return [{self.op: {"_index": self.index, "_id": self.id}}, body]

    def size(self) -> int:
        return len(json.dumps(self.doc, ensure_ascii=False).encode("utf-8")) + 100


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)  # created / replaced / updated ids
    duplicates: list[str] = field(default_factory=list)
    rejected: list[QuarantineRecord] = field(default_factory=list)
    retries: int = 0


def chunked(actions: Iterable[Action], *, max_docs: int = 500, max_bytes: int = 5_000_000) -> Iterator[list[Action]]:
    """Split actions into chunks of at most ``max_docs`` documents and about ``max_bytes`` bytes."""
    chunk: list[Action] = []
    size = 0
    for a in actions:
        s = a.size()
        if chunk and (len(chunk) >= max_docs or size + s > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(a)
        size += s
    if chunk:
        yield chunk


def reason_of(error: dict | str) -> str:
    """One readable line from a bulk item's ``error`` object (type, reason and its cause)."""
    if isinstance(error, str):
        return error
    text = f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
    cause = error.get("caused_by")
    if isinstance(cause, dict) and cause.get("reason"):
        text += f"（{cause.get('type', '')}: {cause['reason']}）"
    return " ".join(text.split())


def classify(items: list[dict], chunk: list[Action], outcome: BulkOutcome) -> list[Action]:
    """Sort a bulk response's ``items`` into the outcome; returns the actions to retry (429)."""
    retry: list[Action] = []
    for item, action in zip(items, chunk, strict=True):
        (result,) = item.values()
        status = result.get("status", 500)
        if status < 300:
            outcome.done.append(action.id)
        elif status == 409 and action.op == "create":
            outcome.duplicates.append(action.id)
        elif status == 429:
            retry.append(action)
        else:
            outcome.rejected.append(QuarantineRecord(
                origin=f"elasticsearch:{action.index}", position=f"文档 {action.id}",
                reason=f"Elasticsearch 拒绝写入（HTTP {status}）：{reason_of(result.get('error', ''))}",
                raw=json.dumps(action.doc, ensure_ascii=False, default=str)[:4000],
                source_id=str(action.doc.get("source_id", "")),
            ))
    return retry


def run_bulk(client: Elasticsearch, actions: Iterable[Action], *, refresh: bool | str = False,
             max_docs: int = 500, max_bytes: int = 5_000_000, max_retries: int = 6, initial_backoff: float = 0.5,
             sleep: Callable[[float], None] = time.sleep) -> BulkOutcome:
    """Send ``actions`` in chunks; back off and retry on 429; report each document's fate."""
    outcome = BulkOutcome()
    for chunk in chunked(actions, max_docs=max_docs, max_bytes=max_bytes):
        pending, attempt = chunk, 0
        while pending:
            try:
                resp = client.bulk(operations=[line for a in pending for line in a.lines()], refresh=refresh)
                retry = classify(resp["items"], pending, outcome)
            except ApiError as exc:
                if exc.meta.status != 429:
                    raise StorageError(f"Elasticsearch 批量写入失败：HTTP {exc.meta.status} {exc.message}") from None
                retry = pending
            except EsConnectionError as exc:
                raise UnavailableError(f"Elasticsearch 批量写入时连接中断：{exc.message}") from None
            if not retry:
                break
            attempt += 1
            if attempt > max_retries:
                for a in retry:
                    outcome.rejected.append(QuarantineRecord(
                        origin=f"elasticsearch:{a.index}", position=f"文档 {a.id}",
                        reason=f"Elasticsearch 持续繁忙（429），重试 {max_retries} 次后放弃；稍后重新导入即可",
                        raw=json.dumps(a.doc, ensure_ascii=False, default=str)[:4000],
                        source_id=str(a.doc.get("source_id", ""))))
                break
            outcome.retries += 1
            sleep(initial_backoff * 2 ** (attempt - 1))
            pending = retry
    return outcome
