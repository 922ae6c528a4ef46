from __future__ import annotations

import pytest

from yuqing.config import DEFAULT_CONFIG, load_config
from yuqing.errors import ConfigError


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config(env={})
    assert cfg.path is None
    assert cfg.storage.backend == "sqlite"
    assert cfg.db_path.name == "yuqing.db"


def test_default_file_loads_and_data_dir_is_relative_to_it(tmp_path):
    p = tmp_path / "conf" / "yuqing.toml"
    p.parent.mkdir()
    p.write_text(DEFAULT_CONFIG, encoding="utf-8")
    cfg = load_config(p, env={})
    assert cfg.data_dir == (p.parent / "yuqing-data").resolve()
    assert cfg.smtp.port == 25 and cfg.timezone == "Asia/Shanghai"


def test_environment_overrides_every_scalar(tmp_path):
    p = tmp_path / "yuqing.toml"
    p.write_text(DEFAULT_CONFIG, encoding="utf-8")
    env = {"YUQING_SMTP_HOST": "mail.example.org", "YUQING_SMTP_PORT": "2525", "YUQING_DATA_DIR": str(tmp_path / "d"),
           "YUQING_STORAGE_BACKEND": "elasticsearch", "YUQING_ES_URL": "http://es:9200",
           "YUQING_CRAWLER_OBEY_ROBOTS": "false", "YUQING_DASHBOARD_PORT": "9000"}
    cfg = load_config(p, env=env)
    assert cfg.smtp.host == "mail.example.org" and cfg.smtp.port == 2525
    assert cfg.data_dir == tmp_path / "d"
    assert cfg.storage.backend == "elasticsearch" and cfg.es.url == "http://es:9200"
    assert cfg.crawler.obey_robots is False and cfg.dashboard.port == 9000


def test_secrets_come_only_from_the_environment(tmp_path, monkeypatch):
    p = tmp_path / "yuqing.toml"
    p.write_text('[smtp]\npassword = "hunter2"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[smtp\] password：未知的设置"):
        load_config(p, env={})
    monkeypatch.setenv("YUQING_SMTP_PASSWORD", "s3cret")
    p.write_text("", encoding="utf-8")
    assert load_config(p).smtp.password == "s3cret"


@pytest.mark.parametrize("body, message", [
    ('[smtp]\nport = "abc"\n', r'\[smtp\] port = "abc" 无效：应为整数'),
    ("[[units]]\ncode='A'\nname='a'\nparent='Z'\n", "parent 'Z' is not a unit"),
    ("[[users]]\nusername='u'\nrole='cadre'\n", "a cadre needs a unit"),
    ("[storage]\nbackend='mysql'\n", "应为 sqlite / elasticsearch 之一"),
    ("nonsense = 1\n", "未知的设置 'nonsense'"),
    ("[smtp\n", "invalid TOML"),
])
def test_bad_config_is_one_readable_error(tmp_path, body, message):
    p = tmp_path / "yuqing.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(p, env={})


def test_bad_env_value_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="YUQING_SMTP_PORT"):
        load_config(None, env={"YUQING_SMTP_PORT": "x"})


def test_models_dir_is_empty_by_default_and_relative_to_the_data_dir(tmp_path):
    p = tmp_path / "yuqing.toml"
    p.write_text(DEFAULT_CONFIG, encoding="utf-8")
    assert load_config(p, env={}).models_dir is None  # the models shipped inside yuqing
    cfg = load_config(p, env={"YUQING_NLP_MODELS_DIR": "retrained"})
    assert cfg.models_dir == (tmp_path / "yuqing-data" / "retrained").resolve()
    cfg = load_config(p, env={"YUQING_NLP_MODELS_DIR": str(tmp_path / "abs")})
    assert cfg.models_dir == tmp_path / "abs"
