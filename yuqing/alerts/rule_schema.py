"""The JSON Schema every rule file is validated against (before any rule object is built)."""

from __future__ import annotations

from ..schema import RISKS, SENTIMENTS, SEVERITIES, TOPICS, Risk, SourceKind

DURATION = {"type": "string", "pattern": r"^\s*\d+\s*[mhdw]\s*$"}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_GROUP_BY = {"enum": ["event", "unit", "topic", "source", "thread", "all"]}
_COUNT = {"type": "integer", "minimum": 1}
_RATIO = {"type": "number", "minimum": 0, "maximum": 1}
_FACTOR = {"type": "number", "minimum": 1}


def _words(vocabulary) -> list[str]:
    """A vocabulary's words as plain strings (the schema is JSON)."""
    return [str(w) for w in vocabulary]


def _options(props: dict, required: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": props, "required": list(required)}


_COUNTED = {"query": {"type": "string", "minLength": 1}, "min_posts": _COUNT, "window": DURATION,
            "group_by": _GROUP_BY}

TYPE_OPTIONS: dict[str, dict] = {
    "keyword": _options(_COUNTED, ("query",)),
    "risk": _options({**_COUNTED, "levels": {"type": "array", "minItems": 1, "items": {"enum": _words((Risk.HIGH, Risk.MEDIUM))}}}),
    "engagement": _options({**_COUNTED, "min_likes": {"type": "integer", "minimum": 0},
                            "min_replies": {"type": "integer", "minimum": 0},
                            "sentiment": {"type": "array", "items": {"enum": _words(SENTIMENTS)}}}),
    "frequency": _options({"query": {"type": "string", "minLength": 1}, "count": _COUNT, "window": DURATION,
                           "group_by": _GROUP_BY}, ("count", "window")),
    "spike": _options({"query": {"type": "string", "minLength": 1}, "window": DURATION, "baseline": DURATION,
                       "threshold": _FACTOR, "min_count": _COUNT, "min_baseline": {"type": "number", "minimum": 0},
                       "measure": {"enum": ["volume", "negative_share"]}, "group_by": _GROUP_BY,
                       "seasonal": {"type": "boolean"}},
                      ("threshold",)),
    "negative_ratio": _options({"query": {"type": "string", "minLength": 1}, "window": DURATION, "threshold": _RATIO,
                                "min_count": _COUNT, "group_by": _GROUP_BY}, ("threshold",)),
    "emerging": _options({"query": {"type": "string", "minLength": 1}, "by": {"enum": ["event", "term"]},
                          "window": DURATION, "baseline": DURATION, "min_count": _COUNT, "threshold": _FACTOR}),
    "flatline": _options({"quiet_for": DURATION, "baseline": DURATION, "min_count": _COUNT}),
}

RULE_SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "type"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "pattern": r"^[\w\-.]+$"},
        "type": {"enum": sorted(TYPE_OPTIONS)},
        "description": {"type": "string"},
        "severity": {"enum": _words(SEVERITIES)},
        "enabled": {"type": "boolean"},
        "filter": _options({
            "sentiment": {"type": "array", "items": {"enum": _words(SENTIMENTS)}},
            "topic": {"type": "array", "items": {"enum": sorted(TOPICS)}},
            "unit": _STRINGS,
            "source": _STRINGS,
            "source_kind": {"type": "array",
                            "items": {"enum": _words(SourceKind)}},
            "risk": {"type": "array", "items": {"enum": _words(RISKS)}},
        }),
        **TYPE_OPTIONS,
    },
    # the options block named by ``type`` must be there (and no other type's block)
    "allOf": [
        {"if": {"properties": {"type": {"const": t}}, "required": ["type"]},
         "then": {"required": [t] if TYPE_OPTIONS[t].get("required") else [],
                  "not": {"anyOf": [{"required": [o]} for o in TYPE_OPTIONS if o != t]}}}
        for t in TYPE_OPTIONS
    ],
}
