from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yuqing.config import EsConfig
from yuqing.errors import ConfigError, StorageError, UnavailableError
from yuqing.storage.elasticsearch.client import connect, settings_from

YUQING = Path(sys.executable).with_name("yuqing")


def test_settings_need_a_url_and_a_sane_timeout(tmp_path):
    with pytest.raises(ConfigError, match="YUQING_ES_URL"):
        settings_from(EsConfig(url=""), env={})
    with pytest.raises(ConfigError, match="无效"):
        settings_from(EsConfig(url="localhost:9200"), env={})
    with pytest.raises(ConfigError, match="timeout"):
        settings_from(EsConfig(url="http://h:9200", timeout=0), env={})
    with pytest.raises(ConfigError, match="YUQING_ES_CA_CERT"):
        settings_from(EsConfig(url="https://h:9200"), env={"YUQING_ES_CA_CERT": str(tmp_path / "none.pem")})


def test_credentials_from_env_and_never_in_messages():
    s = settings_from(EsConfig(url="https://elastic:secret@es.example:9243/"),
                      env={"YUQING_ES_API_KEY": "k", "YUQING_ES_USERNAME": "u"})
    assert s.api_key == "k" and s.username == "u"
    assert "secret" not in s.safe_url and s.safe_url == "https://es.example:9243/"


def test_connect_reads_cluster_info(es_like):
    client, info = connect(EsConfig(url=es_like.url, timeout=2))
    assert info["version"]["number"] == "9.1.0"
    client.close()


def test_refused_port_fails_fast_with_url(closed_port):
    t = time.monotonic()
    with pytest.raises(UnavailableError) as e:
        connect(EsConfig(url=f"http://127.0.0.1:{closed_port}", timeout=5))
    assert time.monotonic() - t < 3
    assert f"127.0.0.1:{closed_port}" in str(e.value) and "拒绝" in str(e.value)
    assert "\n" not in str(e.value)


def test_silent_server_fails_within_timeout(silent_port):
    t = time.monotonic()
    with pytest.raises(StorageError, match="超时"):
        connect(EsConfig(url=f"http://127.0.0.1:{silent_port}", timeout=1))
    assert time.monotonic() - t < 2.5


def test_auth_failure_named(es_like):
    es_like.routes[("GET", "/")] = (401, {"error": {"type": "security_exception", "reason": "missing authentication"},
                                          "status": 401})
    with pytest.raises(StorageError, match="认证失败"):
        connect(EsConfig(url=es_like.url, timeout=2))


def _run_stats(url: str, timeout: str, tmp_path) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    env.update(YUQING_STORAGE_BACKEND="elasticsearch", YUQING_ES_URL=url, YUQING_ES_TIMEOUT=timeout,
               YUQING_DATA_DIR=str(tmp_path))
    t = time.monotonic()
    proc = subprocess.run([str(YUQING), "stats"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    return proc, time.monotonic() - t


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_cli_fails_fast_with_one_line(kind, closed_port, silent_port, tmp_path):
    port = closed_port if kind == "refused" else silent_port
    proc, took = _run_stats(f"http://127.0.0.1:{port}", "2", tmp_path)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"http://127.0.0.1:{port}" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert took < 2 + 6  # the timeout, plus interpreter start-up
