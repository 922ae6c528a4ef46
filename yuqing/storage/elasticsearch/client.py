"""Building the Elasticsearch client from the config and the environment, failing fast.

The URL is ``[es] url`` or ``YUQING_ES_URL``; credentials come from the environment only:
``YUQING_ES_API_KEY``, or ``YUQING_ES_USERNAME`` + ``YUQING_ES_PASSWORD``; ``YUQING_ES_CA_CERT``
names a CA bundle for https. :func:`connect` checks the cluster answers within
``[es] timeout`` seconds and otherwise raises one :class:`~yuqing.errors.StorageError` line
naming the URL and the reason; :func:`reachable` turns a connection lost later into one
:class:`~yuqing.errors.UnavailableError` line.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, AuthenticationException, Elasticsearch, UnsupportedProductError

from ...config import EsConfig
from ...errors import ConfigError, UnavailableError


@dataclass(frozen=True)
class ClientSettings:
    """Everything needed to build a client (secrets included, so never printed whole)."""

    url: str
    timeout: float
    api_key: str = ""
    username: str = ""
    password: str = ""
    ca_cert: str = ""

    @property
    def safe_url(self) -> str:
        """The URL without any user:password part (for messages)."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))


def settings_from(es: EsConfig, env: Mapping[str, str] | None = None) -> ClientSettings:
    """Read the URL, timeout and credentials; a missing or malformed URL is a config error."""
    env = os.environ if env is None else env
    url = (es.url or "").strip()
    if not url:
        raise ConfigError("storage.backend = elasticsearch 但没有集群地址：请设置环境变量 YUQING_ES_URL 或 [es] url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"Elasticsearch 地址 {url!r} 无效：应形如 http://host:9200 或 https://host:9200")
    if es.timeout <= 0:
        raise ConfigError(f"[es] timeout 必须大于 0（现为 {es.timeout}）")
    ca = env.get("YUQING_ES_CA_CERT", "")
    if ca and not os.path.isfile(ca):
        raise ConfigError(f"YUQING_ES_CA_CERT 指向的文件不存在：{ca}")
    return ClientSettings(url=url, timeout=float(es.timeout), api_key=env.get("YUQING_ES_API_KEY", ""),
                          username=env.get("YUQING_ES_USERNAME", ""), password=env.get("YUQING_ES_PASSWORD", ""),
                          ca_cert=ca)


def build_client(s: ClientSettings) -> Elasticsearch:
    """A client that gives up after ``timeout`` seconds and does not retry a dead node forever."""
    kw: dict = {"request_timeout": s.timeout, "max_retries": 1, "retry_on_timeout": False}
    if s.api_key:
        kw["api_key"] = s.api_key
    elif s.username:
        kw["basic_auth"] = (s.username, s.password)
    if s.ca_cert:
        kw["ca_certs"] = s.ca_cert
    return Elasticsearch(s.url, **kw)


def explain(exc: Exception) -> str:
    """One line for what went wrong talking to the cluster."""
    if isinstance(exc, ConnectionTimeout):
        return "连接超时（集群没有在规定时间内应答）"
    if isinstance(exc, AuthenticationException):
        return "认证失败：请检查 YUQING_ES_API_KEY 或 YUQING_ES_USERNAME/YUQING_ES_PASSWORD"
    if isinstance(exc, UnsupportedProductError):
        return "对方不是受支持的 Elasticsearch（需要 Elasticsearch 9.x）"
    if isinstance(exc, ApiError):
        return f"集群返回 HTTP {exc.meta.status}：{' '.join(str(exc.message).split())[:200]}"
    if isinstance(exc, TransportConnectionError):
        msg = str(exc.message) if getattr(exc, "message", None) else str(exc)
        if "refused" in msg.lower():
            return "连接被拒绝（地址或端口上没有 Elasticsearch 在运行）"
        return "无法连接：" + " ".join(msg.split())[:200]
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def connect(es: EsConfig, env: Mapping[str, str] | None = None) -> tuple[Elasticsearch, dict]:
    """A client whose cluster has answered, and the cluster's ``info()``; else one-line UnavailableError."""
    s = settings_from(es, env)
    client = build_client(s)
    try:
        info = client.info().body
    except (TransportError, ApiError, UnsupportedProductError) as exc:
        client.close()
        raise UnavailableError(f"Elasticsearch {s.safe_url} 不可用：{explain(exc)}") from None
    return client, info


@contextlib.contextmanager
def reachable() -> Iterator[None]:
    """Inside: a connection refused, lost or timed out becomes :class:`~yuqing.errors.UnavailableError`
    (the cluster's own answers — conflicts, missing documents — pass through unchanged)."""
    try:
        yield
    except (TransportConnectionError, ConnectionTimeout) as exc:
        raise UnavailableError(f"Elasticsearch 连接中断：{explain(exc)}") from None
