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
_TYPE_WORDS = {"number": "数字", "integer": "整数", "string": "文字", "boolean": "true 或 false",
               "array": "列表", "object": "映射（键: 值）"}


def _describe(err: jsonschema.ValidationError) -> tuple[str, str]:
    """(key path, what is wrong) for one schema error, in words a rule author understands."""
    path = ".".join(str(p) for p in err.absolute_path)
    v, val, schema = err.validator, err.validator_value, err.schema
    kind = _TYPE_WORDS.get(schema.get("type", ""), "值")
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(schema.get("properties", {})))
        key = ".".join(p for p in (path, extra[0] if extra else "") if p)
        return key, f"未知的键（可用：{', '.join(sorted(schema.get('properties', {})))}）"
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(val)
        return ".".join(p for p in (path, missing) if p), "缺少（必填）"
    if v in ("minimum", "maximum"):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is not None and hi is not None:
            return path, f"应为 {lo:g} 到 {hi:g} 之间的{kind}"
        return path, f"应为 >= {lo:g} 的{kind}" if lo is not None else f"应为 <= {hi:g} 的{kind}"
    if v == "type":
        return path, f"应为{_TYPE_WORDS.get(val, val)}"
    if v in ("enum", "const"):
        options = val if v == "enum" else [val]
        return path, f"应为以下之一：{', '.join(map(str, options))}（实际为 {err.instance!r}）"
    if v == "pattern":
        if schema.get("pattern", "").endswith("[mhdw]\\s*$"):
            return path, f"应为时长，如 30m、6h、2d、1w（实际为 {err.instance!r}）"
        return path, f"这里不能用 {err.instance!r}（只能用字母、数字和 - _ .）"
    if v == "not":
        return path, "有属于其他规则类型的选项块（只写 `type` 所指类型的那一块）"
    if v in ("minLength", "minItems"):
        return path, "不能为空"
    return path, err.message


def validate_spec(spec: object, origin: str) -> dict:
    """Check one parsed rule file; :class:`RuleError` ``"origin: key: problem"`` on the first problem."""
    if not isinstance(spec, dict):
        raise RuleError(f"{origin}: 文件里应是一条规则（含 name、type 等键的 YAML 映射）")
    errors = sorted(_VALIDATOR.iter_errors(spec), key=lambda e: (len(e.absolute_path), list(e.absolute_path)))
    if errors:
        # prefer the most specific error (deepest path) — "spike.threshold" beats "spike"
        err = max(errors, key=lambda e: len(e.absolute_path))
        key, problem = _describe(err)
        raise RuleError(f"{origin}: {key or '（顶层）'}: {problem}")
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
        raise RuleError(f"{origin}: 找不到文件") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark else ""
        raise RuleError(f"{origin}: 不是有效的 YAML{where}：{getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise RuleError(f"{origin}: 不是 UTF-8 文本") from None
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
            raise RuleError(f"{f}: name: {rule.name!r} 已被 {origins[rule.name].name} 使用")
        by_name[rule.name] = rule
        origins[rule.name] = f
    return [r for r in by_name.values() if r.spec.get("enabled", True)]
