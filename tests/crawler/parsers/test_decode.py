from __future__ import annotations

import io
import json

import pytest

from yuqing.crawler.parsers.decode import JsonArrayError, iter_json_array


def _items(data: str, chunk: int = 7, encoding: str = "utf-8"):
    return list(iter_json_array(io.BytesIO(data.encode(encoding)), chunk=chunk))


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
def test_items_of_an_array_whatever_the_chunk_boundaries(chunk):
    doc = [{"msg": '工资，"引号" ] , [', "n": 12345678901234}, 7, "收到", [1, [2]], None, True, 3.25, {"a": {}}]
    text = "\ufeff" + json.dumps(doc, ensure_ascii=False, indent=1)
    assert _items(text, chunk) == doc
    assert _items(json.dumps(doc), chunk) == doc


def test_a_lone_surrogate_is_repaired_item_by_item():
    assert _items('[{"t": "好\\ud83d"}, {"t": "😀 \\ud83d\\ude00"}]') == [{"t": "好\ufffd"}, {"t": "😀 😀"}]


@pytest.mark.parametrize("text,msg,line", [
    ('[{"a": 1}, {"b": 2}', "文件在数组结束前中断", 1),
    ('[\n {"a": 1},\n {"b": 2\n', "Expecting", 4),
    ('{"a": 1}', "不是 JSON 数组", 1),
    ('[1 2]', "缺少逗号", 1),
])
def test_a_damaged_array_yields_the_items_before_the_damage_then_says_where(text, msg, line):
    got = []
    with pytest.raises(JsonArrayError) as err:
        for item in iter_json_array(io.BytesIO(text.encode()), chunk=3):
            got.append(item)
    assert msg in err.value.msg and err.value.lineno == line
    if text.startswith("[{"):
        assert got[0] == {"a": 1}


def test_gb18030_input():
    assert list(iter_json_array(io.BytesIO('["夜班补贴"]'.encode("gb18030")), "gb18030")) == ["夜班补贴"]
