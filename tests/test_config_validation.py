"""Every setting is checked when the config is loaded: one line naming the key and what is
allowed, and a non-zero exit — never a silent acceptance, never a traceback a minute later."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from yuqing.cli import main
from yuqing.config import DEFAULT_CONFIG, load_config
from yuqing.errors import ConfigError

UNITS = '[[units]]\ncode = "G"\nname = "集团工会"\nlevel = 1\n'

# (a TOML fragment appended to the default config, the key the error must name, what it must say)
BAD = [
    ("[smtp]", "port = -1", "[smtp] port", "1–65535"),
    ("[smtp]", "port = 70000", "[smtp] port", "1–65535"),
    ("[smtp]", "port = true", "[smtp] port", "整数"),
    ("[smtp]", 'sender = "not an address"', "[smtp] sender", "电子邮件地址"),
    ("[smtp]", "timeout = 0", "[smtp] timeout", "大于 0"),
    ("[smtp]", 'security = "tls"', "[smtp] security", "plain / starttls / ssl"),
    ("[smtp]", "give_up_hours = -1", "[smtp] give_up_hours", "大于 0"),
    ("[alerts]", 'quiet_hours = "25:00-99:00"', "[alerts] quiet_hours", "22:00-07:00"),
    ("[alerts]", "realert_minutes = -5", "[alerts] realert_minutes", "0–10080"),
    ("[alerts]", 'daily_rollup_time = "noon"', "[alerts] daily_rollup_time", "07:30"),
    ("[dashboard]", "port = 0", "[dashboard] port", "1–65535"),
    ("[dashboard]", 'base_url = "localhost:8501"', "[dashboard] base_url", "http://"),
    ("[dashboard]", "session_minutes = -1", "[dashboard] session_minutes", "5–10080"),
    ("[dashboard]", "refresh_seconds = 2", "[dashboard] refresh_seconds", "5–3600"),
    ("[dashboard]", "refresh_seconds = -1", "[dashboard] refresh_seconds", "0（不自动刷新）"),
    ("[digest]", 'time = "8am"', "[digest] time", "07:30"),
    ("[digest]", "weekday = 9", "[digest] weekday", "0–6"),
    ("[digest]", "monthly_day = 45", "[digest] monthly_day", "0–28"),
    ("[crawler]", "concurrency_per_domain = 0", "[crawler] concurrency_per_domain", "1–64"),
    ("[crawler]", "interval_minutes = 0", "[crawler] interval_minutes", "1–10080"),
    ("[crawler]", "retry_times = -3", "[crawler] retry_times", "0–20"),
    ("[es]", "replicas = -1", "[es] replicas", "0–10"),
    ("[es]", 'index_prefix = "Yuqing Index"', "[es] index_prefix", "小写字母"),
    ("", 'timezone = "Mars/Olympus"', "timezone", "Asia/Shanghai"),
    ("[nlp]", 'models_dir = " models "', "[nlp] models_dir", "文件夹路径"),
    ("[nlp]", "models_dir = [\"models\"]", "[nlp] models_dir", "文本"),
]


def config_with(tmp_path, section: str, line: str, extra: str = ""):
    text = DEFAULT_CONFIG
    if section:
        assert f"\n{section}\n" in text
        text = text.replace(f"\n{section}\n", f"\n{section}\n{line}\n", 1)
        # the default file sets most keys already: the later duplicate would be a TOML error
        key = line.split("=")[0].strip()
        lines = text.split("\n")
        first = next(i for i, ln in enumerate(lines) if ln == section)
        dup = [i for i, ln in enumerate(lines) if i > first + 1 and ln.split("=")[0].strip() == key]
        if dup:
            del lines[dup[0]]
        text = "\n".join(lines)
    else:
        text = "\n".join(ln for ln in text.split("\n") if not ln.startswith(line.split("=")[0].strip() + " "))
        text = line + "\n" + text
    p = tmp_path / "yuqing.toml"
    p.write_text(text + "\n" + extra, encoding="utf-8")
    return p


@pytest.mark.parametrize("section, line, key, allowed", BAD, ids=[b[1] for b in BAD])
def test_each_invalid_setting_is_one_line_and_a_non_zero_exit(tmp_path, section, line, key, allowed):
    p = config_with(tmp_path, section, line)
    with pytest.raises(ConfigError) as err:
        load_config(p, env={})
    assert key in str(err.value) and allowed in str(err.value) and "\n" not in str(err.value)
    r = CliRunner().invoke(main, ["--config", str(p), "stats"], env={})
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0 and key in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("extra, key, allowed", [
    (UNITS + '[[recipients]]\nunit = "NOPE"\nemails = ["a@example.org"]\n', "[[recipients]] 第 1 项 unit", "G"),
    (UNITS + '[[recipients]]\nunit = "G"\nemails = ["not-an-address"]\n', "[[recipients]] 第 1 项 emails", "电子邮件"),
    (UNITS + '[[recipients]]\nunit = "G"\nemails = []\n', "[[recipients]] 第 1 项 emails", "非空"),
    (UNITS + '[[recipients]]\nunit = "G"\nemails = ["a@example.org"]\nmin_severity = "urgent"\n',
     "min_severity", "low / medium / high"),
    (UNITS + '[[users]]\nusername = "li"\nrole = "cadre"\nunit = "NOPE"\n', "[[users]] li unit", "G"),
    (UNITS + '[[users]]\nusername = "li"\nrole = "boss"\n', "[[users]] li role", "admin / monitor / cadre / viewer"),
    (UNITS + '[[users]]\nusername = "li"\nrole = "admin"\nemail = "li at example"\n', "[[users]] li email", "电子邮件"),
    (UNITS + '[[sources]]\nid = "s"\nname = "群"\nkind = "telegram"\n', "[[sources]] 第 1 项 kind", "wechat_group"),
    (UNITS + '[[sources]]\nid = "s"\nname = "群"\nkind = "wechat_group"\nunit = "NOPE"\n', "[[sources]] s unit", "G"),
    (UNITS + '[[units]]\ncode = "G"\nname = "重复"\nlevel = 2\nparent = "G"\n', "[[units]] G", "唯一"),
    ('[[units]]\ncode = "A"\nname = "a"\nparent = "B"\nlevel = 2\n[[units]]\ncode = "B"\nname = "b"\nparent = "A"\n'
     'level = 2\n', "[[units]]", "循环"),
])
def test_each_invalid_list_entry_is_one_line(tmp_path, extra, key, allowed):
    p = tmp_path / "yuqing.toml"
    p.write_text(DEFAULT_CONFIG + "\n" + extra, encoding="utf-8")
    r = CliRunner().invoke(main, ["--config", str(p), "stats"], env={})
    assert r.exit_code == 2, r.output
    assert key in r.output and allowed in r.output and r.output.strip().count("\n") == 0


def test_an_environment_override_is_checked_and_named(tmp_path):
    p = tmp_path / "yuqing.toml"
    p.write_text(DEFAULT_CONFIG, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"环境变量 YUQING_SMTP_PORT = -1 无效：应为 1–65535"):
        load_config(p, env={"YUQING_SMTP_PORT": "-1"})
    with pytest.raises(ConfigError, match=r"环境变量 YUQING_TIMEZONE .*Asia/Shanghai"):
        load_config(p, env={"YUQING_TIMEZONE": "Mars/Olympus"})


def test_the_default_config_and_the_demo_config_pass(tmp_path):
    p = tmp_path / "yuqing.toml"
    p.write_text(DEFAULT_CONFIG, encoding="utf-8")
    cfg = load_config(p, env={})
    assert cfg.smtp.give_up_hours == 72 and cfg.smtp.connect_timeout > 0 and cfg.dashboard.remember_days == 14


def test_a_models_dir_that_is_a_file_is_one_line_naming_the_key_or_the_variable(tmp_path):
    (tmp_path / "yuqing-data").mkdir()
    (tmp_path / "yuqing-data" / "models.txt").write_text("not a folder", encoding="utf-8")
    p = config_with(tmp_path, "[nlp]", 'models_dir = "models.txt"')
    with pytest.raises(ConfigError) as err:
        load_config(p, env={})
    assert str(err.value).startswith('[nlp] models_dir = "models.txt" 无效：') and "不是文件夹" in str(err.value)
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match=r"^环境变量 YUQING_NLP_MODELS_DIR = .* 不是文件夹"):
        load_config(tmp_path / "yuqing.toml", env={"YUQING_NLP_MODELS_DIR": str(p)})
    r = CliRunner().invoke(main, ["--config", str(p), "classify"], input="{}\n", env={})
    assert r.exit_code == 2 and "[nlp] models_dir" in r.output and r.output.strip().count("\n") == 0
