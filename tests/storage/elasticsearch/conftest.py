"""A tiny HTTP server on 127.0.0.1 that answers like Elasticsearch for the calls a test names.

It is a real HTTP conversation with the official client (product header included), so the
client's own error handling, timeouts and retries run for real; only the cluster is scripted.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

INFO = {"name": "node-1", "cluster_name": "test", "version": {"number": "9.1.0", "build_flavor": "default"},
        "tagline": "You Know, for Search"}

Reply = tuple[int, dict]


class EsLike:
    """Routes ``(METHOD, path)`` to a reply or to a function of the request body (parsed NDJSON/JSON)."""

    def __init__(self):
        self.routes: dict[tuple[str, str], Reply | Callable[[list | dict], Reply]] = {("GET", "/"): (200, INFO)}
        self.requests: list[tuple[str, str, object]] = []
        #: Answers what no route names: ``fallback(method, path, body, params) -> (status, reply)``.
        self.fallback: Callable[[str, str, object, dict], Reply] | None = None
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        es = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep test output clean
                pass

            def _serve(self):
                path, _, query = self.path.partition("?")
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                lines = [json.loads(x) for x in raw.splitlines() if x.strip()]
                body = lines if path.endswith("/_bulk") else (lines[0] if lines else {})
                es.requests.append((self.command, path, body))
                route = es.routes.get((self.command, path))
                if route is None and es.fallback is not None:
                    route = (lambda b: es.fallback(self.command, path, b, parse_qs(query)))  # noqa: E731
                if route is None:
                    status, reply = 404, {"error": {"type": "not_found", "reason": f"no route {path}"}, "status": 404}
                else:
                    status, reply = route(body) if callable(route) else route
                data = json.dumps(reply).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        return Handler


@pytest.fixture
def es_like():
    srv = EsLike()
    srv.thread.start()
    yield srv
    srv.server.shutdown()
    srv.server.server_close()


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def silent_port():
    """A socket that accepts connections but never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    yield s.getsockname()[1]
    s.close()
