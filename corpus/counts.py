"""Print the label-count table of the domain corpus (pasted into README.md).

Run: ``.venv/bin/python corpus/counts.py``
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
TOPIC_ORDER = ("wages", "safety", "labor", "insurance", "living", "reform", "cadre", "health", "skills",
               "culture", "assistance", "models", "other")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def count_table(posts: list[dict[str, str]], pairs: list[dict[str, str]]) -> str:
    """A Markdown table: rows per topic split by sentiment and risk, totals, and the pairs' balance."""
    head = "| topic | rows | negative | neutral | positive | risk high | risk medium | risk none |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]

    def line(name: str, rows: list[dict[str, str]]) -> str:
        s = Counter(r["sentiment"] for r in rows)
        k = Counter(r["risk"] for r in rows)
        return (f"| {name} | {len(rows)} | {s['negative']} | {s['neutral']} | {s['positive']} | "
                f"{k['high']} | {k['medium']} | {k['none']} |")

    for topic in TOPIC_ORDER:
        lines.append(line(topic, [r for r in posts if r["topic"] == topic]))
    lines.append(line("**all**", posts))
    reposts = sum(1 for p in pairs if p["is_repost"] == "1")
    lines.append("")
    lines.append(f"repost_pairs.csv: {len(pairs)} pairs, {reposts} reposts (1), {len(pairs) - reposts} "
                 "hard negatives (0)")
    return "\n".join(lines)


def main() -> None:
    pairs_path = HERE / "repost_pairs.csv"
    pairs = read_rows(pairs_path) if pairs_path.exists() else []
    print(count_table(read_rows(HERE / "worker_posts.csv"), pairs))


if __name__ == "__main__":
    main()
