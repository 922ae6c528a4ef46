"""The small protocols callers name describe exactly the abstract store: every method of
:class:`~yuqing.storage.base.FullStore` is in one protocol with the same parameters, and both backends
provide every protocol."""

from __future__ import annotations

import inspect
from typing import Protocol

import pytest

from yuqing.storage import protocols as P
from yuqing.storage.base import FullStore
from yuqing.storage.elasticsearch.store import ElasticsearchStore
from yuqing.storage.sqlite import SqliteStore

#: The pieces (each a runtime-checkable protocol of its own methods) …
PIECES = [P.Transactional, P.OrgStore, P.PostStore, P.AnalysisStore, P.ImportLedger, P.StateStore, P.LabelStore,
          P.IssueStore, P.OutboxStore, P.AuditLog, P.UserStore, P.DashboardQueries, P.DigestQueries, P.TriageStore,
          P.SubjectStore, P.MultiWorker]
#: … and what callers name when they need several.
COMPOSITES = [P.AlertsStore, P.ImportStore, P.AnalyzeStore, P.MailStore, P.CaseStore, P.ReportStore]


def own_methods(proto) -> dict[str, object]:
    return {n: f for n, f in vars(proto).items() if inspect.isfunction(f) and not n.startswith("_")}


def params(f) -> list[tuple[str, object, str]]:
    """Names, kinds and defaults of a method's parameters (defaults compared by value), annotations aside."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(f).parameters.values()]


def test_every_abstract_method_is_in_exactly_one_piece_with_the_same_parameters():
    seen: dict[str, str] = {}
    for proto in PIECES:
        for name, f in own_methods(proto).items():
            assert name not in seen, f"{name} in {seen.get(name)} and {proto.__name__}"
            seen[name] = proto.__name__
            assert params(f) == params(getattr(FullStore, name)), f"{proto.__name__}.{name}"
    assert set(FullStore.__abstractmethods__) <= set(seen), sorted(set(FullStore.__abstractmethods__) - set(seen))
    assert set(seen) - set(FullStore.__abstractmethods__) == {"transaction", "search_posts"}  # defaults in the base


def test_composites_add_nothing_of_their_own():
    for proto in COMPOSITES:
        assert Protocol in proto.__bases__ and not own_methods(proto)
        assert all(base in PIECES or base is Protocol for base in proto.__bases__)


@pytest.mark.parametrize("backend", [SqliteStore, ElasticsearchStore], ids=["sqlite", "elasticsearch"])
def test_both_backends_provide_every_piece_with_its_parameters(backend):
    for proto in PIECES:
        for name, f in own_methods(proto).items():
            impl = getattr(backend, name)
            assert params(impl) == params(f), f"{backend.__name__}.{name} differs from {proto.__name__}"


def test_an_open_sqlite_store_is_every_protocol(tmp_path):
    store = SqliteStore(tmp_path / "p.db")
    try:
        for proto in PIECES + COMPOSITES:
            assert isinstance(store, proto), proto.__name__
    finally:
        store.close()


def test_a_store_missing_a_method_is_not_taken_for_the_piece():
    class Half:
        def get_state(self, key): ...

    assert not isinstance(Half(), P.StateStore)
