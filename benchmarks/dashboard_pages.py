"""Time every dashboard page as Streamlit runs it (AppTest: the page script, its queries, charts and
tables, no browser), for a monitor and for a cadre, on a configured store or a bare large one.

    # the demo
    .venv/bin/yuqing demo --no-dashboard --dir /tmp/yq-demo
    .venv/bin/python benchmarks/dashboard_pages.py --config /tmp/yq-demo/yuqing.toml

    # a large store (e.g. the 1,000,000-post store of benchmarks/analyze_scale.py): a config is
    # written beside a copy's directory with the store's own units, a monitor and a cadre
    cp /tmp/yq-1m/yuqing.db /tmp/mine/yuqing.db
    .venv/bin/python benchmarks/dashboard_pages.py --db /tmp/mine/yuqing.db

Each page is timed twice per user: **cold** (every cached query forgotten first: what the first
visitor after a change waits for) and **warm** (the same page again: a widget click, a second
visitor within the cache's minute). The login form is timed too (no session). Prints a table and
exits non-zero when a cold page needs 1 s or more. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "yuqing" / "dashboard" / "app.py"
PAGES = {"总览": "views/overview.py", "舆情检索": "views/search.py", "话题与事件": "views/topics.py",
         "议题": "views/issues.py", "工作台账": "views/ledger.py", "考核评价": "views/scorecard.py",
         "规则": "views/rules.py", "数据源": "views/sources.py", "周报": "views/digests.py"}
LIMIT = 1.0


def config_for(db: Path) -> Path:
    """A config for a bare store: its units, one monitor, one cadre of a third-level unit."""
    from yuqing.storage.sqlite import SqliteStore

    with SqliteStore(db) as store:
        units = store.list_units()
    mine = next((u.code for u in units if u.level == 3), units[0].code if units else "")
    lines = [f'data_dir = "{db.parent}"', 'timezone = "Asia/Shanghai"', "", "[storage]", f'path = "{db.name}"', ""]
    for u in units:
        lines += ["[[units]]", f'code = "{u.code}"', f'name = "{u.name}"', f'parent = "{u.parent}"', f"level = {u.level}", ""]
    for name, role, unit in (("jiance", "monitor", ""), ("ganbu", "cadre", mine)):
        lines += ["[[users]]", f'username = "{name}"', f'role = "{role}"', f'unit = "{unit}"', f'name = "{name}"', ""]
    path = Path(tempfile.mkdtemp(prefix="yq-pages-")) / "yuqing.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def users_of(cfg) -> tuple[str, str | None]:
    monitor = next((u.username for u in cfg.users if u.role in ("monitor", "admin")), None)
    cadre = next((u.username for u in cfg.users if u.role == "cadre"), None)
    return monitor, cadre


def timed_page(cfg, username: str | None, page: str | None) -> tuple[float, float, str]:
    """(cold, warm, error) seconds for one page as ``username`` (None: the login form)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from yuqing.auth import token_hash
    from yuqing.storage.sqlite import SqliteStore

    at = AppTest.from_file(str(APP), default_timeout=120)
    if username:
        with SqliteStore(cfg.db_path) as store:
            token = secrets.token_urlsafe(16)
            store.create_session(token_hash(token), username, 30)
        at.session_state["auth_token"] = token
    # a first run, not timed: AppTest's own start-up (it scans the installed packages for components,
    # 1-2 s, which a server does once) and st.navigation's pages, which AppTest finds only after a run
    at.run()
    if page:
        at.switch_page(page)
    st.cache_data.clear()
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    t = time.perf_counter()
    at.run()
    warm = time.perf_counter() - t
    error = str(at.exception[0].message)[:80] if at.exception else ""
    return cold, warm, error


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--config", type=Path, help="a yuqing.toml (e.g. the demo's)")
    group.add_argument("--db", type=Path, help="a bare SQLite store (a config is written for it)")
    ap.add_argument("--pages", nargs="*", default=list(PAGES), help="page names (default: all)")
    args = ap.parse_args()
    cfg_path = args.config or config_for(args.db)
    os.environ["YUQING_CONFIG"] = str(cfg_path)
    from yuqing.config import load_config
    from yuqing.nlp.tokenize import tokenize
    from yuqing.storage.base import PostQuery
    from yuqing.storage.sqlite import SqliteStore

    cfg = load_config(cfg_path)
    tokenize("预热")  # jieba's dictionary, loaded once per process (the server's first search), not timed
    with SqliteStore(cfg.db_path) as store:
        store.sync_users(cfg.users)
        total = store.count_posts(PostQuery())
    monitor, cadre = users_of(cfg)
    print(f"store: {cfg.db_path.name}, {total:,} posts; users: {monitor} (监测员), {cadre} (干部)")
    timed_page(cfg, monitor, PAGES["总览"])  # Streamlit's and the app's imports, once per process
    worst = 0.0
    cold, warm, error = timed_page(cfg, None, None)
    print(f"{'登录页':<8} {'':<10} 冷 {cold:6.3f} s  热 {warm:6.3f} s {error}")
    for who, user in (("监测员", monitor), ("干部", cadre)):
        if not user:
            continue
        for name in args.pages:
            cold, warm, error = timed_page(cfg, user, PAGES[name])
            worst = max(worst, cold)
            flag = "  ← 超过 1 秒" if cold >= LIMIT else ""
            print(f"{name:<8} {who:<10} 冷 {cold:6.3f} s  热 {warm:6.3f} s {error}{flag}", flush=True)
    print(f"slowest cold page: {worst:.3f} s (limit {LIMIT} s)")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
