"""`yuqing doctor` for Elasticsearch: reachable, version, template, alias, indices, write and read."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError

from ...config import EsConfig
from ...errors import YuqingError
from ..checks import Check
from .client import connect, explain
from .mapping import INDEX_PROPERTIES, POST_PROPERTIES, Names

SUPPORTED_MAJOR = 9


def _major(version: str) -> int:
    try:
        return int(version.split(".", 1)[0])
    except ValueError:
        return 0


def check_cluster(es: EsConfig) -> Iterator[Check]:
    """Each check in turn; stops after the first one the rest depend on (reachability)."""
    try:
        client, info = connect(es)
    except YuqingError as exc:
        yield Check(False, "集群可连接", str(exc))
        return
    try:
        yield Check(True, "集群可连接", f"{info.get('cluster_name', '?')} @ {es.url}")
        version = info.get("version", {}).get("number", "?")
        yield Check(_major(version) == SUPPORTED_MAJOR, "版本", f"Elasticsearch {version}"
                    + ("" if _major(version) == SUPPORTED_MAJOR else f"（需要 {SUPPORTED_MAJOR}.x）"))
        yield from _check_layout(client, Names(es.index_prefix))
    except (TransportError, ApiError) as exc:
        yield Check(False, "检查中断", explain(exc))
    finally:
        client.close()


def _check_layout(client: Elasticsearch, names: Names) -> Iterator[Check]:
    try:
        tpl = client.indices.get_index_template(name=names.template)["index_templates"][0]["index_template"]
        props = tpl["template"]["mappings"]["properties"]
        missing = sorted(set(POST_PROPERTIES) - set(props))
        yield Check(not missing, "帖子索引模板", names.template + (f"：缺少字段 {', '.join(missing)}" if missing else ""))
    except NotFoundError:
        yield Check(False, "帖子索引模板", f"{names.template} 不存在：运行任一 yuqing 命令（如 yuqing stats）会自动创建")
    try:
        months = sorted(client.indices.get_alias(name=names.posts_alias).body)
        yield Check(True, "帖子别名", f"{names.posts_alias} → {len(months)} 个月度索引"
                    + (f"（{months[0]} … {months[-1]}）" if months else ""))
    except NotFoundError:
        yield Check(False, "帖子别名", f"{names.posts_alias} 不存在")
    existing = set(client.indices.get(index=f"{names.prefix}-*", allow_no_indices=True).body)
    missing = [n for n in INDEX_PROPERTIES if names.index(n) not in existing]
    yield Check(not missing, "其他索引", "齐全" if not missing else f"缺少 {', '.join(names.index(n) for n in missing)}")
    if missing:
        return
    key = f"doctor:{uuid.uuid4().hex}"
    state = names.index("state")
    try:
        client.index(index=state, id=key, document={"key": key, "value": "ok"}, refresh="wait_for")
        got = client.get(index=state, id=key)["_source"]["value"]
        client.delete(index=state, id=key, refresh="wait_for")
        yield Check(got == "ok", "写入与读取", f"在 {state} 写入、读回并删除一条测试记录")
    except ApiError as exc:
        yield Check(False, "写入与读取", explain(exc))
