"""What each 说事解事 step records, and reading those records back from an issue's history. Pure.

A step's record is one history line (action ``recorded``, its ``step``, who and when) whose
``data["fields"]`` holds the step's fields; closing is the line ``closed`` with the matter's
classification for the committee's figures. :func:`step_records` turns a history into that view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ..errors import YuqingError
from .model import (
    CLOSED,
    METHODS,
    OUTCOME_NEEDS_REASON,
    OUTCOMES,
    OUTCOMES_IN_PERSONS,
    SATISFACTION,
    SATISFIED,
    STEPS,
    HistoryEntry,
)

#: History actions that are step records.
RECORD_ACTIONS = ("recorded", "closed")
#: A field's value is kept to this many characters.
MAX_VALUE_CHARS = 2000
YES, NO = "是", "否"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    required: bool = True
    choices: tuple[str, ...] = ()
    kind: str = "text"  # text | date | count | choice
    help: str = ""


#: How a closed matter counts in the figures: given when closing (or already with 及时办事's result).
CLASS_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("outcome", "办结分类", choices=OUTCOMES, kind="choice",
              help="合理诉求解决 / 帮扶（填人次）/ 办实事 / 意见建议（可填条数）/ 思想教育（填人次）/ 不属合理诉求（填理由）"),
    FieldSpec("persons", "人次", required=False, kind="count", help="帮扶、思想教育：涉及多少人次"),
    FieldSpec("items", "条数", required=False, kind="count", help="意见建议：收集了多少条（默认 1 条）"),
    FieldSpec("reason", "不属合理诉求的理由", required=False, help="经核实不属于合理诉求时，写明理由"),
)
_OPTIONAL_CLASS = tuple(FieldSpec(f.key, f.label, False, f.choices, f.kind, f.help) for f in CLASS_FIELDS)

STEP_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "干部问事": (
        FieldSpec("visited", "问了谁、在哪里", help="例：掘进二队班前会，问了王队长和三名职工"),
        FieldSpec("reply", "在群里/论坛发布的回应", required=False, help="网络舆情沟通法：实际发出的回应口径"),
    ),
    "职工说事": (FieldSpec("demand", "职工的诉求（职工自己的话）", help="例：三个月的绩效工资要按时发"),),
    "集中议事": (
        FieldSpec("decision", "议定的办理意见"),
        FieldSpec("owner_dept", "承办部门"),
        FieldSpec("due", "办结期限", kind="date", help="YYYY-MM-DD，成为议题的新期限"),
        FieldSpec("method", "选用的工作方法", required=False, choices=tuple(METHODS), kind="choice",
                  help="九法之一；不填则沿用系统建议的方法"),
    ),
    "及时办事": (FieldSpec("result", "办理结果"), *_OPTIONAL_CLASS),
    "定期评事": (
        FieldSpec("satisfaction", "职工评议", choices=SATISFACTION, kind="choice"),
        FieldSpec("feedback", "职工的意见", required=False, help="评议为不满意时必填"),
    ),
    "督促查事": (
        FieldSpec("recheck", "督查情况"),
        FieldSpec("came_back", "问题是否反弹", choices=(YES, NO), kind="choice", help="是：退回集中议事重新办理"),
    ),
    CLOSED: CLASS_FIELDS,
}

FIELD_LABELS: dict[str, str] = {f.key: f.label for specs in STEP_FIELDS.values() for f in specs}
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_BOOL = {"是": YES, "yes": YES, "y": YES, "true": YES, "1": YES, "否": NO, "no": NO, "n": NO, "false": NO, "0": NO}


def parse_sets(pairs: Iterable[str]) -> dict[str, str]:
    """``["visited=掘进二队 王队长", …]`` (``--set KEY=VALUE``) → ``{"visited": "掘进二队 王队长"}``."""
    out: dict[str, str] = {}
    for raw in pairs:
        key, sep, value = raw.partition("=")
        key = key.strip()
        if not sep or not key:
            raise YuqingError(f"--set 的格式是 KEY=VALUE，收到 {raw!r}")
        if key in out:
            raise YuqingError(f"--set {key} 给了两次")
        out[key] = value.strip()
    return out


def _usage(step: str) -> str:
    return "、".join(f"{f.key}（{f.label}{'' if f.required else '，可选'}）" for f in STEP_FIELDS[step])


def validate_fields(step: str, fields: Mapping[str, str]) -> dict[str, str]:
    """The step's fields checked and normalised (empty optional ones dropped); a
    :class:`YuqingError` with one line otherwise. Required means present and not blank — except
    when closing, whose classification may already be on record (the close itself checks it)."""
    specs = {f.key: f for f in STEP_FIELDS[step]}
    unknown = [k for k in fields if k not in specs]
    if unknown:
        raise YuqingError(f"「{step}」没有字段 {'、'.join(unknown)}；可填：{_usage(step)}")
    out: dict[str, str] = {}
    missing = []
    for key, spec in specs.items():
        value = " ".join(str(fields.get(key, "") or "").split()) if spec.kind != "text" else \
            str(fields.get(key, "") or "").strip()
        if not value:
            if spec.required and step != CLOSED:
                missing.append(f"{spec.label}（{key}）")
            continue
        out[key] = _normalise(step, spec, value)
    if missing:
        raise YuqingError(f"记录「{step}」还缺：{'、'.join(missing)}")
    return out


def _normalise(step: str, spec: FieldSpec, value: str) -> str:
    if len(value) > MAX_VALUE_CHARS:
        raise YuqingError(f"「{step}」的{spec.label}（{spec.key}）超过 {MAX_VALUE_CHARS} 字")
    if spec.key == "came_back":
        if value.lower() not in _BOOL:
            raise YuqingError(f"{spec.label}（{spec.key}）只能是 是 或 否，收到 {value!r}")
        return _BOOL[value.lower()]
    if spec.choices and value not in spec.choices:
        raise YuqingError(f"{spec.label}（{spec.key}）只能是 {'/'.join(spec.choices)}，收到 {value!r}")
    if spec.kind == "date":
        parse_date(value, spec.key)
        return date.fromisoformat("-".join(p.zfill(2) for p in value.split("-"))).isoformat()
    if spec.kind == "count":
        if not value.isdigit() or int(value) < 1 or int(value) > 1_000_000:
            raise YuqingError(f"{spec.label}（{spec.key}）应为正整数，收到 {value!r}")
        return str(int(value))
    return value


def parse_date(value: str, key: str = "due") -> date:
    if _DATE.match(value):
        try:
            return date.fromisoformat("-".join(p.zfill(2) for p in value.split("-")))
        except ValueError:
            pass
    raise YuqingError(f"{FIELD_LABELS.get(key, key)}（{key}）应为日期 YYYY-MM-DD，收到 {value!r}")


def check_classification(fields: Mapping[str, str]) -> str:
    """'' when the classification fields hang together, else what is wrong (Chinese, short)."""
    outcome = fields.get("outcome", "")
    if not outcome:
        return ""
    if outcome in OUTCOMES_IN_PERSONS and not fields.get("persons"):
        return f"「{outcome}」要填人次（persons）"
    if outcome == OUTCOME_NEEDS_REASON and not fields.get("reason"):
        return "「不属合理诉求」要写明理由（reason）"
    if fields.get("persons") and outcome not in OUTCOMES_IN_PERSONS:
        return f"人次（persons）只用于{'、'.join(OUTCOMES_IN_PERSONS)}"
    if fields.get("items") and outcome != "意见建议":
        return "条数（items）只用于意见建议"
    if fields.get("reason") and outcome != OUTCOME_NEEDS_REASON:
        return "理由（reason）只用于不属合理诉求"
    return ""


# --- reading the records back ------------------------------------------------------------------
@dataclass(frozen=True)
class StepRecord:
    """One step's record: which step, who, when, its fields and note; ``round`` counts how many times
    the matter had been sent back to 集中议事 before it (0 = first time through)."""

    step: str
    at: datetime
    actor: str
    fields: dict[str, str]
    note: str = ""
    round: int = 0
    reopened: bool = False  # this record sent the matter back to 集中议事


def step_records(history: Sequence[HistoryEntry]) -> list[StepRecord]:
    """The step records of one issue's history, oldest first (other history lines are skipped)."""
    out: list[StepRecord] = []
    rnd = 0
    for h in history:
        if h.action not in RECORD_ACTIONS:
            continue
        fields = dict(h.data.get("fields") or {})
        reopened = bool(h.data.get("reopened"))
        out.append(StepRecord(h.step if h.action == "recorded" else CLOSED, h.at, h.actor, fields, h.note, rnd,
                              reopened))
        if reopened:
            rnd += 1
    return out


@dataclass
class RecordSummary:
    """What the records of one matter amount to (for closing, the ledger and the scorecard)."""

    records: list[StepRecord] = field(default_factory=list)
    round: int = 0  # the current round (times sent back)

    def of(self, step: str) -> list[StepRecord]:
        return [r for r in self.records if r.step == step]

    def latest(self, step: str, current_round_only: bool = False) -> StepRecord | None:
        for r in reversed(self.records):
            if r.step == step and (not current_round_only or r.round == self.round):
                return r
        return None

    @property
    def first_response_at(self) -> datetime | None:
        """When a cadre first recorded 干部问事 (the response to the matter)."""
        first = next((r for r in self.records if r.step == STEPS[0]), None)
        return first.at if first else None

    @property
    def ratings(self) -> list[StepRecord]:
        return [r for r in self.records if r.step == "定期评事" and r.fields.get("satisfaction")]

    @property
    def classification(self) -> dict[str, str]:
        """The latest classification given (at closing, or with 及时办事's result)."""
        for r in reversed(self.records):
            if r.fields.get("outcome") and r.step in (CLOSED, "及时办事"):
                return {k: r.fields[k] for k in ("outcome", "persons", "items", "reason") if r.fields.get(k)}
        return {}

    @property
    def closed(self) -> StepRecord | None:
        return self.latest(CLOSED)

    def missing_for_close(self) -> list[str]:
        """What closing still needs, in words (empty: it may close). The result and a satisfied
        verdict must be from the current round: a matter sent back needs both again."""
        missing = []
        if self.latest("及时办事", current_round_only=True) is None:
            missing.append("及时办事的办理结果（result）")
        rating = self.latest("定期评事", current_round_only=True)
        if rating is None:
            missing.append("定期评事的职工评议（satisfaction）")
        elif rating.fields.get("satisfaction") not in SATISFIED:
            missing.append("职工评议为满意或基本满意（satisfaction；不满意须重新议事办理）")
        return missing


def summarise(history: Sequence[HistoryEntry]) -> RecordSummary:
    records = step_records(history)
    rnd = sum(1 for r in records if r.reopened)
    return RecordSummary(records, rnd)


def describe_fields(fields: Mapping[str, str]) -> str:
    """``"问了谁、在哪里：…；在群里发布的回应：…"`` — a record's fields in words."""
    return "；".join(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in fields.items() if v)
