"""The hand-labelled domain corpus (corpus/ at the repository root) is well-formed and covers what the models need."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from corpus.counts import count_table
from yuqing.schema import TOPICS

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
POSTS = CORPUS / "worker_posts.csv"
PAIRS = CORPUS / "repost_pairs.csv"
SENTIMENTS = {"negative", "neutral", "positive"}
RISKS = {"high", "medium", "none"}
#: the topics where high/medium risk must occur (collective action is not only about wages)
RISK_TOPICS = ("wages", "labor", "safety", "cadre", "living", "reform", "health")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name} must be UTF-8 without BOM"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def posts() -> list[dict[str, str]]:
    header, rows = _read(POSTS)
    assert header in (["id", "text", "sentiment", "topic", "risk"], ["id", "text", "sentiment", "topic", "risk", "note"])
    return rows


@pytest.fixture(scope="module")
def pairs() -> list[dict[str, str]]:
    header, rows = _read(PAIRS)
    assert header == ["a", "b", "is_repost"]
    return rows


def test_ids_are_unique_and_sequential(posts):
    ids = [r["id"] for r in posts]
    assert len(set(ids)) == len(ids)
    assert ids == [f"wp{i:04d}" for i in range(1, len(ids) + 1)]


def test_texts_are_present_and_distinct(posts):
    texts = [r["text"].strip() for r in posts]
    assert all(texts), "empty text"
    dupes = [t for t, n in Counter(texts).items() if n > 1]
    assert not dupes, f"duplicate texts: {dupes[:5]}"


def test_label_values_are_valid(posts):
    for r in posts:
        assert r["sentiment"] in SENTIMENTS, r
        assert r["topic"] in TOPICS, r
        assert r["risk"] in RISKS, r


def test_size_and_coverage_minimums(posts):
    assert len(posts) >= 1600
    topics = Counter(r["topic"] for r in posts)
    for topic in TOPICS:
        assert topics[topic] >= (100 if topic == "other" else 80), (topic, topics[topic])
    sentiments = Counter(r["sentiment"] for r in posts)
    assert min(sentiments[s] for s in SENTIMENTS) >= 350, sentiments
    risks = Counter(r["risk"] for r in posts)
    assert risks["high"] >= 120 and risks["medium"] >= 150, risks


def test_risk_is_spread_over_topics(posts):
    for topic in RISK_TOPICS:
        flagged = [r for r in posts if r["topic"] == topic and r["risk"] != "none"]
        assert len(flagged) >= 5, (topic, len(flagged))


@pytest.mark.parametrize("text,sentiment,risk", [
    ("真是好领导啊，工资拖三个月，年终总结还说职工收入稳步增长[微笑]", "negative", None),
    ("明天八点都去矿门口，谁不去谁是孙子，公资不给个说法不下井", "negative", "high"),
    ("堵车堵了一个小时，刚到家", None, "none"),
])
def test_guideline_examples_are_labelled_as_the_readme_says(posts, text, sentiment, risk):
    row = next(r for r in posts if r["text"] == text)
    assert sentiment is None or row["sentiment"] == sentiment
    assert risk is None or row["risk"] == risk


def test_no_real_looking_phone_numbers(posts, pairs):
    texts = [r["text"] for r in posts] + [p[k] for p in pairs for k in ("a", "b")]
    hits = [t for t in texts if PHONE.search(t)]
    assert not hits, hits[:3]


def test_pairs_are_valid_and_balanced(pairs):
    assert len(pairs) >= 300
    assert all(p["a"].strip() and p["b"].strip() and p["a"] != p["b"] for p in pairs)
    assert {p["is_repost"] for p in pairs} == {"0", "1"}
    reposts = sum(p["is_repost"] == "1" for p in pairs)
    assert 0.4 <= reposts / len(pairs) <= 0.6
    keys = [(p["a"], p["b"]) for p in pairs]
    assert len(set(keys)) == len(keys), "duplicate pair"


def test_readme_count_table_is_current(posts, pairs):
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert count_table(posts, pairs) in readme, "regenerate: python corpus/counts.py"
