"""`yuqing run`: the service loop picks up dropped exports once and keeps going when a step fails."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date

import pytest

from yuqing.config import load_config
from yuqing.demo.generate import generate_demo
from yuqing.service import Service
from yuqing.storage import open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("svc")
    m = generate_demo(d, end=date(2026, 11, 22))
    return d, m


def test_run_once_imports_the_drop_folder_and_analyses(demo_dir, tmp_path):
    d, m = demo_dir
    cfg_path = d / "yuqing.toml"
    cfg = load_config(cfg_path)
    cfg.drop_dir.mkdir(parents=True, exist_ok=True)
    csv = m.memotrace_csvs[0]
    shutil.copy(csv, cfg.drop_dir / "export-1.csv")
    shutil.copy(csv, cfg.drop_dir / "same-file-renamed.csv")
    cmd = [sys.executable, "-m", "yuqing", "--config", str(cfg_path)]
    proc = subprocess.run([*cmd, "run", "--once"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    stats = json.loads(subprocess.run([*cmd, "stats", "--json"], capture_output=True, text=True).stdout)
    expected = sum(n for k, n in m.file_counts[str(csv.relative_to(d))].items() if k in ("text", "quote", "link"))
    assert stats["posts"] == expected
    assert stats["posts_analyzed"] == stats["posts"]
    assert stats["files_imported"] == 1  # the renamed copy is the same content
    again = subprocess.run([*cmd, "run", "--once"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0
    assert json.loads(subprocess.run([*cmd, "stats", "--json"], capture_output=True, text=True).stdout)["posts"] == expected


def test_a_failing_step_does_not_stop_the_others(demo_dir):
    d, _ = demo_dir
    cfg = load_config(d / "yuqing.toml")
    store = open_store(cfg)

    class Broken(Service):
        def import_drop_folder(self):
            raise RuntimeError("磁盘不可读")

    try:
        results = Broken(cfg, store).tick()
    finally:
        store.close()
    assert results["import_drop_folder"] == "出错：磁盘不可读"
    assert set(results) == set(Service.STEPS)
    assert not any(v.startswith("出错") for k, v in results.items() if k != "import_drop_folder")
