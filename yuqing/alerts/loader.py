"""Loading rule files: YAML → JSON-Schema check → rule objects. Errors name the file and the key."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from ..errors import RuleError
from .rule_schema import RULE_SCHEMA
from .rules import RULE_TYPES, Rule

_VALIDATOR = jsonschema.Draft202012Validator(RULE_SCHEMA)
_TYPE_WORDS = {"number": "a number", "integer": "an integer", "string": "a string", "boolean": "true or false",
               "array": "a list", "object": "a mapping"}


def _describe(err: jsonschema.ValidationError) -> tuple[str, str]:
    """(key path, what is wrong) for one schema error, in words a rule author understands."""
    path = ".".join(str(p) for p in err.absolute_path)
    v, val, schema = err.validator, err.validator_value, err.schema
    kind = _TYPE_WORDS.get(schema.get("type", ""), "a value")
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(schema.get("properties", {})))
        key = ".".join(p for p in (path, extra[0] if extra else "") if p)
        return key, f"unknown key (allowed: {', '.join(sorted(schema.get('properties', {})))})"
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(val)
        return ".".join(p for p in (path, missing) if p), "missing (required)"
    if v in ("minimum", "maximum"):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is not None and hi is not None:
            return path, f"must be {kind} between {lo:g} and {hi:g}"
        return path, f"must be {kind} >= {lo:g}" if lo is not None else f"must be {kind} <= {hi:g}"
    if v == "type":
        return path, f"must be {_TYPE_WORDS.get(val, val)}"
    if v in ("enum", "const"):
        options = val if v == "enum" else [val]
        return path, f"must be one of: {', '.join(map(str, options))} (got {err.instance!r})"
    if v == "pattern":
        if schema.get("pattern", "").endswith("[mhdw]\\s*$"):
            return path, f"must be a duration like 30m, 6h, 2d, 1w (got {err.instance!r})"
        return path, f"{err.instance!r} is not allowed here (letters, digits, - _ . only)"
    if v == "not":
        return path, "has an options block for a different rule type (use the one named by `type`)"
    if v in ("minLength", "minItems"):
        return path, "must not be empty"
    return path, err.message


def validate_spec(spec: object, origin: str) -> dict:
    """Check one parsed rule file; :class:`RuleError` ``"origin: key: problem"`` on the first problem."""
    if not isinstance(spec, dict):
        raise RuleError(f"{origin}: the file must hold one rule (a YAML mapping with name, type, …)")
    errors = sorted(_VALIDATOR.iter_errors(spec), key=lambda e: (len(e.absolute_path), list(e.absolute_path)))
    if errors:
        # prefer the most specific error (deepest path) — "spike.threshold" beats "spike"
        err = max(errors, key=lambda e: len(e.absolute_path))
        key, problem = _describe(err)
        raise RuleError(f"{origin}: {key or '(top level)'}: {problem}")
    return spec


def build_rule(spec: dict, origin: str) -> Rule:
    spec = validate_spec(spec, origin)
    try:
        return RULE_TYPES[spec["type"]](spec)
    except RuleError as exc:  # e.g. a malformed keyword expression
        raise RuleError(f"{origin}: {spec['type']}.query: {exc}") from None


def load_rule_file(path: Path, origin: str | None = None) -> Rule:
    origin = origin or str(path)
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise RuleError(f"{origin}: file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise RuleError(f"{origin}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise RuleError(f"{origin}: not UTF-8 text") from None
    return build_rule(spec, origin)


def starter_rule_files() -> list[Path]:
    folder = resources.files("yuqing.alerts.starter_rules")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


def load_rules(rules_dir: Path | None = None, *, include_starter: bool = True) -> list[Rule]:
    """Starter rules plus the union's own (``rules_dir``); a union rule with a starter rule's name
    replaces it, and ``enabled: false`` switches a rule off."""
    files = starter_rule_files() if include_starter else []
    if rules_dir is not None and rules_dir.is_dir():
        files += sorted(p for p in rules_dir.iterdir() if p.suffix in (".yaml", ".yml"))
    by_name: dict[str, Rule] = {}
    origins: dict[str, Path] = {}
    for f in files:
        rule = load_rule_file(f)
        if rule.name in by_name and origins[rule.name].parent == f.parent:
            raise RuleError(f"{f}: name: {rule.name!r} is already used by {origins[rule.name].name}")
        by_name[rule.name] = rule
        origins[rule.name] = f
    return [r for r in by_name.values() if r.spec.get("enabled", True)]
