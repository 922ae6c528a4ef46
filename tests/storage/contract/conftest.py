"""The ``store`` fixture of the contract suite: every test runs once per backend.

``sqlite`` always runs (a temporary file). ``elasticsearch`` runs against the cluster named by
``YUQING_ES_URL`` (credentials from ``YUQING_ES_USERNAME``/``PASSWORD``/``API_KEY``/``CA_CERT``),
each test in its own uniquely-prefixed indices, deleted afterwards; without ``YUQING_ES_URL``
each Elasticsearch case is skipped with the reason below.
"""

from __future__ import annotations

import os
import uuid

import pytest

NO_CLUSTER = "YUQING_ES_URL not set: no Elasticsearch cluster configured"


def _es_store():
    from yuqing.config import EsConfig
    from yuqing.storage.elasticsearch.store import ElasticsearchStore

    es = EsConfig(url=os.environ["YUQING_ES_URL"], index_prefix=f"yuqing-test-{uuid.uuid4().hex[:10]}",
                  timeout=float(os.environ.get("YUQING_ES_TIMEOUT", "30")))
    return ElasticsearchStore.open(es, replicas=0)


@pytest.fixture(params=["sqlite", "elasticsearch"])
def store(request, tmp_path):
    if request.param == "sqlite":
        from yuqing.storage.sqlite import SqliteStore

        s = SqliteStore(tmp_path / "contract.db")
        yield s
        s.close()
        return
    if not os.environ.get("YUQING_ES_URL"):
        pytest.skip(NO_CLUSTER)
    s = _es_store()
    try:
        yield s
    finally:
        s.drop_all()
        s.close()
