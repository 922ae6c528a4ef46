"""Results kept for the last few batches of texts, so models reading the same batch compute it once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class BatchMemo:
    """The values of the last ``batches`` keys asked for (least recently used dropped first).

    Meant for pure functions of a batch of texts: reusing a value changes nothing but the time.
    Values for more than ``max_texts`` texts are not kept (training sets: hundreds of MB that
    nothing rereads)."""

    def __init__(self, batches: int = 4, max_texts: int = 10_000):
        self.batches = batches
        self.max_texts = max_texts
        self._values: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        """The value kept for ``key``, or None."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key, value, n_texts: int):
        """Keep ``value`` (computed for ``n_texts`` texts) under ``key``; returns ``value``."""
        if n_texts > self.max_texts:
            return value
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.batches:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
