"""Benchmark: import a 1,000,000-message MemoTrace CSV into a fresh SQLite store.

    .venv/bin/python benchmarks/import_memotrace.py [--messages N] [--keep DIR]

Writes the CSV (UTF-8 with BOM, newest first, ~5% media/system rows, some quoted replies and
link cards) to a temporary folder, imports it with ``import_paths`` and prints messages/s and
peak RSS (``resource.getrusage``). Target: ≥ 10,000 messages/s and < 500 MB on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from yuqing.config import Config
from yuqing.crawler.importer import import_paths
from yuqing.storage.sqlite import SqliteStore

HEADER = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent", "StrTime",
          "Remark", "NickName", "Sender"]
PHRASES = ["这个月的夜班补贴怎么还没发", "食堂饭菜涨价了", "井下通风设备该换了", "工会组织的体检什么时候开始",
           "加班费结算有问题", "班组长开会通知明天八点", "收到", "好的[微笑]", "有事打我电话 13912345678",
           "安全帽要按时更换", "职工之家周末开放吗", "讨薪的事情有进展了吗"]
LINK = ('<?xml version="1.0"?><msg><appmsg><title>关于调整夜班补贴标准的通知</title><des>集团工会</des><type>5</type>'
        '<url>https://mp.weixin.qq.com/s/abc</url></appmsg></msg>')


def quote_xml(text: str) -> str:
    return (f'<?xml version="1.0"?><msg><appmsg><title>同问</title><type>57</type><refermsg><type>1</type>'
            f'<displayname>张师傅</displayname><content>{text}</content></refermsg></appmsg></msg>')


def write_csv(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    start = 1_700_000_000
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n, 0, -1):  # newest first, like MemoTrace
            t = start + i * 30
            r = rnd.random()
            if r < 0.03:
                type_, sub, content = 3, 0, ""
            elif r < 0.05:
                type_, sub, content = 10000, 0, '"王五"加入了群聊'
            elif r < 0.06:
                type_, sub, content = 49, 5, LINK
            elif r < 0.07:
                type_, sub, content = 49, 57, quote_xml(rnd.choice(PHRASES) + str(i + 1))
            else:
                type_, sub, content = 1, 0, f"{rnd.choice(PHRASES)}{i}"
            who = rnd.randrange(200)
            w.writerow([i, 5, type_, sub, int(who == 0), t, 2, content,
                        time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)), "", f"职工{who}", f"wxid_{who}"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="write the CSV and database here instead of a temp folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        csv_path = root / "聊天记录" / "基准测试群(99999999@chatroom)" / "基准测试群.csv"
        t0 = time.perf_counter()
        write_csv(csv_path, args.messages)
        print(f"wrote {args.messages:,} messages ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f}s")
        config = Config(data_dir=root / "data")
        store = SqliteStore(root / "data" / "bench.db")
        before = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        report = import_paths(store, config, [csv_path])
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_SELF)
        store.close()
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak_mb = after.ru_maxrss / 1024
        print(report.summary())
        print(f"imported {args.messages:,} messages in {elapsed:.1f}s wall: {args.messages / elapsed:,.0f} messages/s; "
              f"CPU {cpu:.1f}s ({args.messages / cpu:,.0f} messages per CPU-second); peak RSS {peak_mb:.0f} MB; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        ok = args.messages / elapsed >= 10_000 and peak_mb < 500
        print("target met" if ok else "TARGET NOT MET (>= 10,000 messages/s, < 500 MB)")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
