"""Triage and 专题 on Elasticsearch. Mixed into :class:`.store.ElasticsearchStore`.

A triage change is written in order — its history line (``triage``), the current mark
(``triage-state``, id ``<kind>:<target>``), then a post's own ``triage`` field, which is what
searches filter on — so a crash loses at most the later writes, never the history (no
multi-document transactions here). 专题 change through a compare-and-set on
``_seq_no``/``_primary_term`` like issues.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from elasticsearch import ConflictError as EsConflict
from elasticsearch import NotFoundError as EsNotFound

from ...errors import CONFLICT, ConflictError, NotFoundError
from ...schema import TRIAGE_KINDS, Subject, TriageMark
from ..base import check_triage_args
from . import documents as D
from . import queries as Q


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _mark(d: dict) -> TriageMark:
    return TriageMark(kind=d["kind"], target=d["target"], mark=d["mark"], actor=d["actor"], at=D.parse(d["at"]),
                      note=d.get("note", ""), unit=d.get("unit", ""))


def subject_doc(s: Subject) -> dict:
    return {"id": s.id, "name": s.name, "query": s.query, "units": list(s.units), "sources": list(s.sources),
            "unit": s.unit, "owner": s.owner, "rule": s.rule, "created_at": D.iso(s.created_at),
            "updated_at": D.iso(s.updated_at), "version": s.version}


def subject_of(d: dict) -> Subject:
    return Subject(name=d["name"], query=d["query"], units=list(d.get("units") or []),
                   sources=list(d.get("sources") or []), unit=d.get("unit", ""), owner=d.get("owner", ""),
                   rule=d.get("rule", ""), created_at=D.parse(d.get("created_at")),
                   updated_at=D.parse(d.get("updated_at")), version=d["version"], id=d["id"])


class TriageMixin:
    # --- triage ---------------------------------------------------------------------------
    def set_triage(self, kind: str, target: str, mark: str, actor: str, *, note: str = "",
                   at: datetime | None = None) -> TriageMark:
        check_triage_args(kind, mark)
        when = at or _now()
        post_index = ""
        if kind == "post":
            hits = self._hits({"ids": {"values": [target]}}, size=1, source=["unit"])
            if not hits:
                raise NotFoundError(f"没有帖子 {target}")
            post_index, unit = hits[0]["_index"], hits[0]["_source"].get("unit", "")
        else:
            event = self.get_doc("events", target)
            if event is None:
                raise NotFoundError(f"没有事件 {target}")
            unit = event.get("unit", "")
        line = {"kind": kind, "target": target, "unit": unit or "", "mark": mark, "actor": actor, "note": note,
                "at": D.iso(when)}
        self.put("triage", None, {**line, "seq": self.next_seq()})
        state_id = f"{kind}:{target}"
        if mark:
            self.put("triage-state", state_id, line)
        else:
            try:
                self.es.delete(index=self.ix("triage-state"), id=state_id, refresh=self.refresh)
            except EsNotFound:
                pass
        if post_index:
            self.es.update(index=post_index, id=target, doc={"triage": mark or None}, refresh=self.refresh,
                           retry_on_conflict=3)
        return _mark(line)

    def triage_marks(self, kind: str, targets: Iterable[str]) -> dict[str, TriageMark]:
        check_triage_args(kind, "")
        ids = sorted(set(targets))
        out: dict[str, TriageMark] = {}
        for i in range(0, len(ids), 1000):
            part = [f"{kind}:{t}" for t in ids[i:i + 1000]]
            for d in self.sources_of(self.ix("triage-state"), {"ids": {"values": part}}, size=len(part)):
                out[d["target"]] = _mark(d)
        return out

    def triage_history(self, kind: str, target: str) -> list[TriageMark]:
        check_triage_args(kind, "")
        query = {"bool": {"filter": [{"term": {"kind": kind}}, {"term": {"target": target}}]}}
        return [_mark(d) for d in self.scan_sources(self.ix("triage"), query, sort=[{"seq": "asc"}])]

    def triage_counts(self, since: datetime, until: datetime, units: set[str] | None = None) -> dict[str, dict[str, int]]:
        query = Q.triage_counts_filter(since, until, units)
        if query == Q.MATCH_NONE:
            return {k: {} for k in TRIAGE_KINDS}
        return Q.last_marks(self.scan_sources(self.ix("triage"), query, sort=[{"seq": "asc"}]))

    # --- 专题 -------------------------------------------------------------------------------
    def save_subject(self, subject: Subject) -> Subject:
        now = _now()
        if subject.id is None:
            stored = Subject(**{**subject.__dict__, "id": self.next_id("subject"), "created_at": now,
                                "updated_at": now, "version": 1})
            self.put("subjects", str(stored.id), subject_doc(stored), op_type="create")
            return stored
        conflict = ConflictError(f"专题 #{subject.id} {CONFLICT}")
        try:
            got = self.es.get(index=self.ix("subjects"), id=str(subject.id))
        except EsNotFound:
            raise NotFoundError(f"专题 #{subject.id} 不存在") from None
        if got["_source"]["version"] != subject.version:
            raise conflict
        stored = Subject(**{**subject.__dict__, "created_at": D.parse(got["_source"].get("created_at")),
                            "updated_at": now, "version": subject.version + 1})
        try:
            self.put("subjects", str(subject.id), subject_doc(stored), if_seq_no=got["_seq_no"],
                     if_primary_term=got["_primary_term"])
        except EsConflict:
            raise conflict from None
        return stored

    def get_subject(self, subject_id: int) -> Subject | None:
        d = self.get_doc("subjects", str(subject_id))
        return subject_of(d) if d else None

    def list_subjects(self, units: set[str] | None = None) -> list[Subject]:
        rows = self.sources_of(self.ix("subjects"), Q.subjects_filter(units), sort=[{"name": "asc"}, {"id": "asc"}])
        return [subject_of(d) for d in rows]

    def delete_subject(self, subject_id: int) -> bool:
        try:
            self.es.delete(index=self.ix("subjects"), id=str(subject_id), refresh=self.refresh)
        except EsNotFound:
            return False
        return True
