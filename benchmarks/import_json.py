"""Benchmark: import a large PyWxDump JSON export (one file, as ``export_json`` writes it) and show
that the import streams it: peak RSS stays flat however large the file.

    .venv/bin/python benchmarks/import_json.py [--mb 190] [--keep DIR]

Writes ``export/<my wxid>/json/<chat>@chatroom/<chat>@chatroom_0_<n+1>.json`` in PyWxDump 3.0.40's
layout (``json.dumps(rows, ensure_ascii=False, indent=4)``, CRLF line ends; each row ``id``,
``MsgSvrID``, ``type_name``, ``is_sender``, ``talker``, ``room_name``, ``content`` = ``{"src",
"msg"}``, ``CreateTime`` local time; ~10% pictures and system lines), streamed so the writer itself
stays small, then imports it with ``import_paths`` and prints messages/s and peak RSS
(``resource.getrusage``). Issue #13's figure before streaming: a 190 MB file peaked at 1,039 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from yuqing.config import Config
from yuqing.crawler.importer import import_paths
from yuqing.storage.sqlite import SqliteStore

PHRASES = ["这个月的夜班补贴怎么还没发", "食堂饭菜涨价了，味道还不如以前", "井下通风设备该换了", "工会组织的体检什么时候开始",
           "加班费结算有问题，找谁反映", "班组长开会通知明天八点", "收到", "好的", "安全帽要按时更换",
           "职工之家周末开放吗", "讨薪的事情有进展了吗", "宿舍热水器又坏了，报修三天没人来"]
CHAT = "20001234567@chatroom"
OWNER = "wxid_benchowner"


def rows(n: int, seed: int = 13):
    rnd = random.Random(seed)
    at = datetime(2026, 6, 1, 8, 0, 0)
    for i in range(1, n + 1):
        at += timedelta(seconds=rnd.randrange(1, 40))
        roll = rnd.random()
        if roll < 0.06:
            type_name, src, msg = "图片", f"FileStorage\\MsgAttach\\{i:032x}\\Image\\2026-06\\{i:032x}.dat", "图片"
        elif roll < 0.1:
            type_name, src, msg = "系统通知", "", f"\"职工{rnd.randrange(300)}\"邀请\"职工{rnd.randrange(300)}\"加入了群聊"
        else:
            type_name, src = "文本", ""
            msg = f"{rnd.choice(PHRASES)}（第{i}条，{rnd.choice(PHRASES)}）"
        who = rnd.randrange(300)
        yield {"MsgSvrID": str(7_000_000_000_000_000_000 + i), "type_name": type_name, "is_sender": int(who == 0),
               "talker": OWNER if who == 0 else f"wxid_worker{who:03d}", "room_name": CHAT,
               "content": {"src": src, "msg": msg}, "CreateTime": at.strftime("%Y-%m-%d %H:%M:%S"), "id": i}


def write_json(folder: Path, target_bytes: int) -> tuple[Path, int]:
    """Rows written the way ``json.dumps(data, ensure_ascii=False, indent=4)`` lays them out, until
    the file reaches ``target_bytes``; the file is renamed to PyWxDump's ``<chat>_0_<n+1>.json``."""
    out = folder / "export" / OWNER / "json" / CHAT
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "writing.tmp"
    n = 0
    with tmp.open("w", encoding="utf-8", newline="\r\n") as f:
        f.write("[")
        for row in rows(10**9):
            item = json.dumps(row, ensure_ascii=False, indent=4)
            f.write(("," if n else "") + "\n    " + item.replace("\n", "\n    "))
            n += 1
            if n % 1000 == 0 and f.tell() >= target_bytes:
                break
        f.write("\n]")
    path = out / f"{CHAT}_0_{n + 1}.json"
    tmp.rename(path)
    return path, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=190, help="size of the JSON file in MB (default 190)")
    ap.add_argument("--keep", type=Path, help="write the export and database here instead of a temp folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        t0 = time.perf_counter()
        path, n = write_json(root, args.mb * 1_000_000)
        print(f"wrote {n:,} messages ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f}s")
        start_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        config = Config(data_dir=root / "data")
        store = SqliteStore(root / "data" / "bench.db")
        t0 = time.perf_counter()
        report = import_paths(store, config, [path])
        elapsed = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stored = store.count_posts(__import__("yuqing.storage", fromlist=["PostQuery"]).PostQuery())
        store.close()
        print(report.summary())
        print(f"imported {stored:,} posts from {n:,} messages in {elapsed:.1f}s wall ({n / elapsed:,.0f} messages/s); "
              f"peak RSS {peak_mb:.0f} MB (before the import {start_mb:.0f} MB); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        ok = peak_mb < 300
        print("streams: peak RSS under 300 MB" if ok else "PEAK RSS 300 MB OR MORE: the file is not streamed")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
