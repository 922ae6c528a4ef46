"""Configuration: one TOML file, every scalar setting overridable from the environment.

Lookup order for a setting: built-in default < config file < environment variable
``YUQING_<SECTION>_<KEY>`` (top-level keys: ``YUQING_<KEY>``, e.g. ``YUQING_DATA_DIR``).
Secrets (SMTP password, Elasticsearch credentials) are read from the environment only.

The config file is found at ``--config PATH``, else ``$YUQING_CONFIG``, else ``./yuqing.toml``;
without a file the defaults apply (data in ``./yuqing-data``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .schema import Source, Unit

ENV_PREFIX = "YUQING_"


@dataclass
class StorageConfig:
    backend: str = "sqlite"  # sqlite | elasticsearch
    #: SQLite file; relative paths are under data_dir. Default: <data_dir>/yuqing.db
    path: str = "yuqing.db"


@dataclass
class EsConfig:
    url: str = ""
    index_prefix: str = "yuqing"
    timeout: float = 10.0
    #: Replica shards per index (0 on a single-node cluster).
    replicas: int = 1
    # credentials come from YUQING_ES_USERNAME / YUQING_ES_PASSWORD / YUQING_ES_API_KEY / YUQING_ES_CA_CERT


@dataclass
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "plain"  # plain | starttls | ssl
    username: str = ""
    sender: str = "yuqing@localhost"
    timeout: float = 10.0
    # the password comes from YUQING_SMTP_PASSWORD only

    @property
    def password(self) -> str:
        return os.environ.get("YUQING_SMTP_PASSWORD", "")


@dataclass
class CrawlerConfig:
    #: Folder watched for export files; relative paths are under data_dir.
    drop_dir: str = "inbox"
    user_agent: str = "yuqing/0.1 (+union opinion monitor; contact: admin@localhost)"
    obey_robots: bool = True
    concurrency_per_domain: int = 2
    download_delay: float = 0.5
    #: A request that failed (connection error, HTTP 5xx/429) is tried again this many times,
    #: waiting retry_backoff seconds before the first retry, doubling each time.
    retry_times: int = 3
    retry_backoff: float = 2.0
    #: Interval between scheduled crawls in `yuqing run`, minutes.
    interval_minutes: int = 30


@dataclass
class AlertsConfig:
    #: Extra rules folder (besides the starter rules shipped with yuqing); relative to data_dir.
    rules_dir: str = "rules"
    realert_minutes: int = 240
    quiet_hours: str = "22:00-07:00"
    daily_rollup_time: str = "17:30"


@dataclass
class DashboardConfig:
    host: str = "127.0.0.1"
    port: int = 8501
    #: Public address used for links in e-mails.
    base_url: str = "http://localhost:8501"
    session_minutes: int = 480


@dataclass
class DigestConfig:
    #: When `yuqing run` sends the weekly digest: weekday (0=Monday) and local time.
    weekday: int = 0
    time: str = "08:00"
    #: Day of the month (1–28) on which `yuqing run` sends last month's report, at `time`; 0 = never.
    monthly_day: int = 1


@dataclass
class Recipient:
    unit: str
    emails: list[str]
    min_severity: str = "low"
    digest: bool = False


@dataclass
class User:
    username: str
    role: str  # admin | monitor | cadre | viewer
    unit: str = ""
    name: str = ""
    email: str = ""
    #: argon2 hash; plain passwords never go in the file (use `yuqing users passwd`).
    password_hash: str = ""


@dataclass
class Config:
    data_dir: Path = Path("yuqing-data")
    timezone: str = "Asia/Shanghai"
    storage: StorageConfig = field(default_factory=StorageConfig)
    es: EsConfig = field(default_factory=EsConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    crawler: CrawlerConfig = field(default_factory=CrawlerConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    dashboard: DashboardConfig = field(default_factory=DashboardConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    units: list[Unit] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    #: The file this came from, if any.
    path: Path | None = None

    def resolve(self, p: str | Path) -> Path:
        """A path from the config, relative to the data directory."""
        p = Path(p)
        return p if p.is_absolute() else self.data_dir / p

    @property
    def db_path(self) -> Path:
        return self.resolve(self.storage.path)

    @property
    def drop_dir(self) -> Path:
        return self.resolve(self.crawler.drop_dir)

    @property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)


_SECTIONS = {
    "storage": StorageConfig,
    "es": EsConfig,
    "smtp": SmtpConfig,
    "crawler": CrawlerConfig,
    "alerts": AlertsConfig,
    "dashboard": DashboardConfig,
    "digest": DigestConfig,
}
_TOP_LEVEL = {"data_dir": Path, "timezone": str}


def _coerce(value: Any, typ: Any, where: str) -> Any:
    typ_name = typ if isinstance(typ, str) else getattr(typ, "__name__", str(typ))
    try:
        if typ_name in ("int",):
            return int(value)
        if typ_name in ("float",):
            return float(value)
        if typ_name in ("bool",):
            if isinstance(value, bool):
                return value
            s = str(value).strip().lower()
            if s in ("1", "true", "yes", "on"):
                return True
            if s in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if typ_name in ("Path",):
            return Path(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {value!r} is not a valid {typ_name}") from None


def _build_section(cls, raw: dict, section: str, env: dict[str, str]):
    kwargs = {}
    known = {f.name: f for f in fields(cls)}
    for key in raw:
        if key not in known:
            raise ConfigError(f"unknown setting [{section}] {key}")
    for name, f in known.items():
        env_key = f"{ENV_PREFIX}{section.upper()}_{name.upper()}"
        if env_key in env:
            kwargs[name] = _coerce(env[env_key], f.type, env_key)
        elif name in raw:
            kwargs[name] = _coerce(raw[name], f.type, f"[{section}] {name}")
    return cls(**kwargs)


def _list_of(cls, items: Any, section: str) -> list:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ConfigError(f"[[{section}]] must be a list of tables")
    out = []
    for i, item in enumerate(items, 1):
        try:
            out.append(cls(**item))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[[{section}]] #{i}: {exc}") from None
    return out


def find_config_path(explicit: str | Path | None = None, env: dict[str, str] | None = None) -> Path | None:
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit)
    if env.get("YUQING_CONFIG"):
        return Path(env["YUQING_CONFIG"])
    default = Path("yuqing.toml")
    return default if default.exists() else None


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Load the config file (if any) and apply environment overrides."""
    env = dict(os.environ if env is None else env)
    cfg_path = find_config_path(path, env)
    raw: dict[str, Any] = {}
    if cfg_path is not None:
        try:
            raw = tomllib.loads(cfg_path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {cfg_path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{cfg_path}: invalid TOML: {exc}") from None
    known_top = set(_TOP_LEVEL) | set(_SECTIONS) | {"units", "sources", "users", "recipients"}
    for key in raw:
        if key not in known_top:
            raise ConfigError(f"{cfg_path}: unknown setting {key!r}")
    kwargs: dict[str, Any] = {}
    for key, typ in _TOP_LEVEL.items():
        env_key = f"{ENV_PREFIX}{key.upper()}"
        if env_key in env:
            kwargs[key] = _coerce(env[env_key], typ.__name__, env_key)
        elif key in raw:
            kwargs[key] = _coerce(raw[key], typ.__name__, key)
    for section, cls in _SECTIONS.items():
        sec_raw = raw.get(section, {})
        if not isinstance(sec_raw, dict):
            raise ConfigError(f"[{section}] must be a table")
        kwargs[section] = _build_section(cls, sec_raw, section, env)
    kwargs["units"] = _list_of(Unit, raw.get("units"), "units")
    kwargs["sources"] = _list_of(Source, raw.get("sources"), "sources")
    kwargs["users"] = _list_of(User, raw.get("users"), "users")
    kwargs["recipients"] = _list_of(Recipient, raw.get("recipients"), "recipients")
    cfg = Config(**kwargs, path=cfg_path)
    if cfg_path is not None and not cfg.data_dir.is_absolute() and f"{ENV_PREFIX}DATA_DIR" not in env:
        cfg.data_dir = (cfg_path.parent / cfg.data_dir).resolve()
    _validate(cfg)
    return cfg


def _validate(cfg: Config) -> None:
    codes = {u.code for u in cfg.units}
    if len(codes) != len(cfg.units):
        raise ConfigError("[[units]]: duplicate unit code")
    for u in cfg.units:
        if u.parent and u.parent not in codes:
            raise ConfigError(f"[[units]] {u.code}: parent {u.parent!r} is not a unit")
    for s in cfg.sources:
        if s.unit and codes and s.unit not in codes:
            raise ConfigError(f"[[sources]] {s.id}: unit {s.unit!r} is not a unit")
    for user in cfg.users:
        if user.role not in ("admin", "monitor", "cadre", "viewer"):
            raise ConfigError(f"[[users]] {user.username}: unknown role {user.role!r}")
        if user.role == "cadre" and not user.unit:
            raise ConfigError(f"[[users]] {user.username}: a cadre needs a unit")
    if cfg.storage.backend not in ("sqlite", "elasticsearch"):
        raise ConfigError(f"[storage] backend: {cfg.storage.backend!r} (expected sqlite or elasticsearch)")
    if cfg.smtp.security not in ("plain", "starttls", "ssl"):
        raise ConfigError(f"[smtp] security: {cfg.smtp.security!r} (expected plain, starttls or ssl)")


DEFAULT_CONFIG = '''\
# yuqing 配置文件 (TOML)。每个标量设置都可以用环境变量覆盖：
#   YUQING_<SECTION>_<KEY>，例如 YUQING_SMTP_HOST、YUQING_SMTP_PORT；
#   顶层设置用 YUQING_<KEY>，例如 YUQING_DATA_DIR。
# 密码等机密只从环境变量读取：YUQING_SMTP_PASSWORD、YUQING_ES_PASSWORD、YUQING_ES_API_KEY。

# 数据目录：数据库、导入文件夹、邮件副本、周报都在这里（相对路径相对于本文件）。
data_dir = "yuqing-data"
# 时区：导出文件里的本地时间按它解释，页面和周报按它显示。
timezone = "Asia/Shanghai"

[storage]
# sqlite（默认，零配置）或 elasticsearch（见 README「Scaling out」）
backend = "sqlite"
path = "yuqing.db"

[es]
# Elasticsearch 地址；账号、API key、CA 证书从环境变量读取
url = ""
index_prefix = "yuqing"
timeout = 10.0
# 每个索引的副本数（单节点集群设为 0）
replicas = 1

[smtp]
host = "127.0.0.1"
port = 25
# plain | starttls | ssl
security = "plain"
username = ""
sender = "yuqing@localhost"
timeout = 10.0

[crawler]
# 导出文件投放目录：把微信导出文件放进来，`yuqing run` 会自动导入
drop_dir = "inbox"
user_agent = "yuqing/0.1 (+union opinion monitor; contact: admin@localhost)"
obey_robots = true
concurrency_per_domain = 2
download_delay = 0.5
# 请求失败（连不上、HTTP 5xx/429）时重试几次；第一次重试前等几秒（之后每次加倍）
retry_times = 3
retry_backoff = 2.0
interval_minutes = 30

[alerts]
rules_dir = "rules"
realert_minutes = 240
quiet_hours = "22:00-07:00"
daily_rollup_time = "17:30"

[dashboard]
host = "127.0.0.1"
port = 8501
base_url = "http://localhost:8501"
session_minutes = 480

[digest]
# 周报发送时间：星期几（0=周一）与本地时间
weekday = 0
time = "08:00"
# 月报（上月职工思想动态）在每月几号的同一时间发送（1–28；0 表示不自动发送）
monthly_day = 1

# 工会组织树：集团 → 子公司 → 三级单位（矿、厂）→ 区科/车间。
# [[units]]
# code = "G"
# name = "某能源集团工会"
# level = 1
#
# [[units]]
# code = "S1"
# name = "一号子公司工会"
# parent = "G"
# level = 2

# 数据源：每个群、公众号、论坛属于一个工会单位。match 是导入时用来识别它的群 ID、群名或网址。
# [[sources]]
# id = "wx-m1-zongcai"
# name = "一矿综采一队职工群"
# kind = "wechat_group"
# unit = "M1-ZC1"
# match = ["12345678@chatroom", "一矿综采一队职工群"]

# 用户：role = admin | monitor | cadre | viewer；cadre 只能看本单位及下级。
# 密码用 `yuqing users passwd USERNAME` 设置（保存哈希）。
# [[users]]
# username = "jiance"
# role = "monitor"
# name = "舆情监测员"
# email = "jiance@example.org"

# 收件人：按单位与严重程度接收预警邮件；digest = true 接收周报。
# [[recipients]]
# unit = "M1"
# emails = ["ganbu@example.org"]
# min_severity = "medium"
# digest = false
'''
