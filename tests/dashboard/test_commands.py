from __future__ import annotations

from click.testing import CliRunner

from yuqing.auth import verify_password
from yuqing.cli import main
from yuqing.dashboard.commands import APP, streamlit_command


def test_users_passwd_sets_an_argon2_hash(tmp_path):
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "d"}"\n[[users]]\nusername = "jiance"\nrole = "monitor"\n', encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["--config", str(cfg), "users", "passwd", "jiance", "--password-stdin"],
                      input="new-pass-123\n")
    assert r.exit_code == 0, r.output
    assert "new-pass-123" not in r.output
    from yuqing.storage.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "d" / "yuqing.db")
    assert verify_password(store.get_user("jiance").password_hash, "new-pass-123")
    store.close()
    r = runner.invoke(main, ["--config", str(cfg), "users", "passwd", "ghost"], input="new-pass-123\n")
    assert r.exit_code != 0 and "没有用户" in r.output


def test_a_password_on_the_command_line_is_refused(tmp_path):
    """Any user of the machine can read a command line (``ps``): the password is typed or piped."""
    cfg = tmp_path / "yuqing.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "d"}"\n[[users]]\nusername = "jiance"\nrole = "monitor"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["--config", str(cfg), "users", "passwd", "jiance", "--password", "new-pass-123"])
    assert r.exit_code != 0 and "--password-stdin" in r.output
    assert not (tmp_path / "d" / "yuqing.db").exists() or "new-pass" not in r.output
    r = CliRunner().invoke(main, ["--config", str(cfg), "users", "passwd", "jiance"], input="\n")
    assert r.exit_code != 0 and "没有密码" in r.output


def test_dashboard_command_runs_streamlit_on_the_entry_file():
    cmd = streamlit_command("127.0.0.1", 9999)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == str(APP) and APP.exists()
    assert cmd[cmd.index("--server.port") + 1] == "9999"


def test_tables_export_only_through_the_safe_excel_buttons():
    """Streamlit's own CSV download (English, unaudited, a post starting with "=" written as it is) is off."""
    cmd = streamlit_command("127.0.0.1", 9999)
    assert cmd[cmd.index("--client.disableDataExport") + 1] == "true"
