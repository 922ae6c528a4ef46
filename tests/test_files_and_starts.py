"""Starting twice at once on a fresh store works, and what yuqing writes is private (0600/0700)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from yuqing.cli import main
from yuqing.files import loose_modes

ROOT = Path(__file__).resolve().parents[1]
OPEN = "import sys; from yuqing.storage.sqlite import SqliteStore; SqliteStore(sys.argv[1]).close(); print('ok')"


def env() -> dict:
    e = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    e["PYTHONPATH"] = str(ROOT)
    return e


def test_three_processes_opening_a_fresh_store_at_once_all_succeed(tmp_path):
    for round_ in range(3):
        db = tmp_path / f"r{round_}" / "yuqing.db"
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env()) for _ in range(3)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], [o[1][-300:] for o in outs]


def test_two_services_started_at_once_on_a_fresh_store_both_run_and_write_private_files(tmp_path):
    conf = tmp_path / "yuqing.toml"
    r = CliRunner().invoke(main, ["init", str(conf)], env={})
    assert r.exit_code == 0, r.output
    cmd = [sys.executable, "-m", "yuqing", "--config", str(conf), "run", "--once"]
    old = os.umask(0o022)  # what a shell usually has: yuqing must not rely on it
    try:
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(),
                                  cwd=tmp_path) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
    finally:
        os.umask(old)
    assert [p.returncode for p in procs] == [0, 0], [o[1][-500:] for o in outs]
    assert all("导入 0 个文件：新增 0 条" in o[0] for o in outs)  # the drop-folder step ran in both
    data = tmp_path / "yuqing-data"
    assert (data / "yuqing.db").is_file() and any((data / "digests").iterdir())
    assert loose_modes([data, conf]) == []
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600 and stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "yuqing.db").stat().st_mode) == 0o600


def test_the_sink_keeps_each_mail_private(tmp_path):
    import smtplib

    from yuqing.notify.sink import SmtpSink

    from .conftest import free_port

    port = free_port()
    old = os.umask(0o022)
    try:
        with SmtpSink(tmp_path / "mail", port=port) as sink:
            with smtplib.SMTP("127.0.0.1", port) as s:
                s.sendmail("a@example.org", ["b@example.org"], "Subject: x\r\n\r\n13812345678\r\n")
            (eml,) = sink.folder.glob("*.eml")
    finally:
        os.umask(old)
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600 and stat.S_IMODE(sink.folder.stat().st_mode) == 0o700
