"""The ``store`` fixture of the contract suite: every test runs once per backend.

``sqlite`` always runs (a temporary file). ``elasticsearch`` runs against the cluster named by
``YUQING_ES_URL`` (credentials from ``YUQING_ES_USERNAME``/``PASSWORD``/``API_KEY``/``CA_CERT``):
one uniquely-prefixed set of indices per test session, emptied before each test and deleted at
the end. Without ``YUQING_ES_URL`` each Elasticsearch case is skipped with the reason below.
"""

from __future__ import annotations

import os
import uuid

import pytest

NO_CLUSTER = "YUQING_ES_URL not set: no Elasticsearch cluster configured"


@pytest.fixture(scope="session")
def es_session_store():
    from yuqing.config import EsConfig
    from yuqing.storage.elasticsearch.store import ElasticsearchStore

    es = EsConfig(url=os.environ["YUQING_ES_URL"], index_prefix=f"yuqing-test-{uuid.uuid4().hex[:10]}",
                  timeout=float(os.environ.get("YUQING_ES_TIMEOUT", "30")))
    s = ElasticsearchStore.open(es, replicas=0)
    yield s
    s.drop_all()
    s.close()


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
    s = request.getfixturevalue("es_session_store")
    s.es.delete_by_query(index=f"{s.names.prefix}-*", query={"match_all": {}}, refresh=True, conflicts="proceed")
    s.analysis_buckets = None
    yield s
