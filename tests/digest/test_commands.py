"""`yuqing digest` on a config file: writes HTML and PDF, --out copies, --send needs recipients."""

from click.testing import CliRunner

from tests.digest.conftest import build_world
from yuqing.cli import main

CONFIG = """data_dir = "data"
[[units]]
code = "G"
name = "测试集团工会"
level = 1
[[units]]
code = "S1"
name = "一公司工会"
parent = "G"
level = 2
[[units]]
code = "M1"
name = "一矿工会"
parent = "S1"
level = 3
[[units]]
code = "M2"
name = "二矿工会"
parent = "S1"
level = 3
[storage]
path = "{db}"
"""


def test_digest_command_writes_files_and_refuses_send_without_recipients(tmp_path):
    w = build_world(tmp_path)
    w.store.close()
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text(CONFIG.format(db=tmp_path / "d.db"), encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["--config", str(cfg), "digest", "--week", "2026-W47", "--unit", "M1",
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "weekly-2026-W47-M1.pdf" in r.output
    assert (tmp_path / "data" / "digests" / "weekly-2026-W47-M1.html").exists()
    assert (out / "weekly-2026-W47-M1.pdf").read_bytes()[:5] == b"%PDF-"
    r = CliRunner().invoke(main, ["--config", str(cfg), "digest", "--week", "2026-W47", "--send"])
    assert r.exit_code != 0 and "digest = true" in r.output
    r = CliRunner().invoke(main, ["--config", str(cfg), "digest", "--week", "47"])
    assert r.exit_code != 0 and "2026-W47" in r.output and "Traceback" not in r.output


def test_send_queues_once_and_delivers_over_smtp(tmp_path):
    import socket

    from yuqing.notify.sink import SmtpSink

    w = build_world(tmp_path)
    w.store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text(CONFIG.format(db=tmp_path / "d.db") + f"""
[smtp]
host = "127.0.0.1"
port = {port}
[[recipients]]
unit = "M1"
emails = ["m1@example.org"]
digest = true
""", encoding="utf-8")
    args = ["--config", str(cfg), "digest", "--week", "2026-W47", "--unit", "M1", "--send"]
    with SmtpSink(tmp_path / "mail", port=port) as sink:
        r1 = CliRunner().invoke(main, args)
        r2 = CliRunner().invoke(main, args)
        msgs = sink.messages()
    assert r1.exit_code == 0, r1.output
    assert r2.exit_code == 0 and "不会重复发送" in r2.output and "收件人 1 位" in r2.output
    assert len(msgs) == 1
    assert msgs[0]["To"] == "m1@example.org" and "舆情周报" in msgs[0]["Subject"]
    html = msgs[0].get_body(("html",)).get_content()
    assert "一矿欠薪" in html and "13912345678" not in html
