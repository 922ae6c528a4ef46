"""Configuration: one TOML file, every scalar setting overridable from the environment.

Lookup order for a setting: built-in default < config file < environment variable
``YUQING_<SECTION>_<KEY>`` (top-level keys: ``YUQING_<KEY>``, e.g. ``YUQING_DATA_DIR``).
Secrets (SMTP password, Elasticsearch credentials) are read from the environment only.

The config file is found at ``--config PATH``, else ``$YUQING_CONFIG``, else ``./yuqing.toml``;
without a file the defaults apply (data in ``./yuqing-data``).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .schema import ROLES, SEVERITIES, SOURCE_STATUSES, Recipient, Role, Source, SourceKind, Unit, User

ENV_PREFIX = "YUQING_"

# --- checks: each returns None when the value is allowed, else the allowed values (Chinese) ---------
Check = Callable[[Any], "str | None"]
_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+")


def between(lo: float, hi: float) -> Check:
    return lambda v: None if lo <= v <= hi else f"应为 {lo}–{hi}"


def at_least(lo: float) -> Check:
    return lambda v: None if v >= lo else f"应不小于 {lo}"


def positive(v) -> str | None:
    return None if v > 0 else "应大于 0"


def one_of(*allowed: str) -> Check:
    return lambda v: None if v in allowed else "应为 " + " / ".join(allowed) + " 之一"


def nonempty(v) -> str | None:
    return None if str(v).strip() else "不能为空"


def refresh_interval(v) -> str | None:
    return None if v == 0 or 5 <= v <= 3600 else "应为 0（不自动刷新）或 5–3600 秒"


def hhmm(v) -> str | None:
    return None if _HHMM.fullmatch(str(v).strip()) else "应为 24 小时制时间，如 07:30"


def hhmm_range(v) -> str | None:
    start, sep, end = str(v).strip().partition("-")
    if not str(v).strip() or (sep and _HHMM.fullmatch(start.strip()) and _HHMM.fullmatch(end.strip())):
        return None
    return "应为 开始-结束 两个 24 小时制时间，如 22:00-07:00（留空表示不设）"


def http_url(v) -> str | None:
    return None if re.match(r"https?://[^\s/]+", str(v)) else "应为 http:// 或 https:// 开头的网址"


def http_url_or_empty(v) -> str | None:
    return None if not str(v).strip() else http_url(v)


def email_address(v) -> str | None:
    return None if _EMAIL.fullmatch(str(v).strip()) else "应为电子邮件地址，如 yuqing@example.org"


def time_zone(v) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(v))
    except (ZoneInfoNotFoundError, ValueError):
        return "应为 IANA 时区名，如 Asia/Shanghai"
    return None


def check(*checks: Check, **kw):
    """A dataclass field whose value is validated at load by ``checks``."""
    return field(metadata={"checks": checks}, **kw)


@dataclass
class StorageConfig:
    backend: str = check(one_of("sqlite", "elasticsearch"), default="sqlite")
    #: SQLite file; relative paths are under data_dir. Default: <data_dir>/yuqing.db
    path: str = check(nonempty, default="yuqing.db")


@dataclass
class EsConfig:
    url: str = check(http_url_or_empty, default="")
    index_prefix: str = check(lambda v: None if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", v) else
                              "应为小写字母、数字、- 或 _ 组成的名字", default="yuqing")
    timeout: float = check(positive, default=10.0)
    #: Replica shards per index (0 on a single-node cluster).
    replicas: int = check(between(0, 10), default=1)
    # credentials come from YUQING_ES_USERNAME / YUQING_ES_PASSWORD / YUQING_ES_API_KEY / YUQING_ES_CA_CERT


@dataclass
class SmtpConfig:
    host: str = check(nonempty, default="127.0.0.1")
    port: int = check(between(1, 65535), default=25)
    security: str = check(one_of("plain", "starttls", "ssl"), default="plain")
    username: str = ""
    sender: str = check(email_address, default="yuqing@localhost")
    #: Seconds one read or write on the connection may take.
    timeout: float = check(positive, default=10.0)
    #: Seconds connecting, the server's greeting, TLS and login may take together.
    connect_timeout: float = check(positive, default=30.0)
    #: Seconds one whole message may take to hand over (a server trickling its replies is cut here).
    send_timeout: float = check(positive, default=120.0)
    #: An e-mail the server keeps deferring (4xx, unreachable) is given up this many hours after it
    #: was queued, and the admins are told; a 5xx answer gives it up at once.
    give_up_hours: float = check(positive, default=72.0)
    # the password comes from YUQING_SMTP_PASSWORD only

    @property
    def password(self) -> str:
        return os.environ.get("YUQING_SMTP_PASSWORD", "")


@dataclass
class CrawlerConfig:
    #: Folder watched for export files; relative paths are under data_dir.
    drop_dir: str = check(nonempty, default="inbox")
    user_agent: str = check(nonempty, default="yuqing/0.1 (+union opinion monitor; contact: admin@localhost)")
    obey_robots: bool = True
    concurrency_per_domain: int = check(between(1, 64), default=2)
    download_delay: float = check(between(0, 3600), default=0.5)
    #: A request that failed (connection error, HTTP 5xx/429) is tried again this many times,
    #: waiting retry_backoff seconds before the first retry, doubling each time.
    retry_times: int = check(between(0, 20), default=3)
    retry_backoff: float = check(between(0, 3600), default=2.0)
    #: Interval between scheduled crawls in `yuqing run`, minutes.
    interval_minutes: int = check(between(1, 7 * 24 * 60), default=30)


@dataclass
class AlertsConfig:
    #: Extra rules folder (besides the starter rules shipped with yuqing); relative to data_dir.
    rules_dir: str = check(nonempty, default="rules")
    realert_minutes: int = check(between(0, 7 * 24 * 60), default=240)
    quiet_hours: str = check(hhmm_range, default="22:00-07:00")
    daily_rollup_time: str = check(hhmm, default="17:30")


@dataclass
class DashboardConfig:
    host: str = check(nonempty, default="127.0.0.1")
    port: int = check(between(1, 65535), default=8501)
    #: Public address used for links in e-mails.
    base_url: str = check(http_url, default="http://localhost:8501")
    #: A login without 「记住我」 lasts this long (reloads and new tabs of the same browser included).
    session_minutes: int = check(between(5, 7 * 24 * 60), default=480)
    #: A login with 「记住我」 lasts this many days on that browser; 0 offers no 「记住我」.
    remember_days: int = check(between(0, 90), default=14)
    #: The overview and the issues board reload themselves this often (seconds; 0 = never), and the
    #: sidebar's new-alert badge is checked as often on every page.
    refresh_seconds: int = check(refresh_interval, default=60)


@dataclass
class DigestConfig:
    #: When `yuqing run` sends the weekly digest: weekday (0=Monday) and local time.
    weekday: int = check(between(0, 6), default=0)
    time: str = check(hhmm, default="08:00")
    #: Day of the month (1–28) on which `yuqing run` sends last month's report, at `time`; 0 = never.
    monthly_day: int = check(between(0, 28), default=1)


def folder_path(v) -> str | None:
    return None if "\x00" not in str(v) and str(v) == str(v).strip() else "应为文件夹路径（不含首尾空格）"


@dataclass
class NlpConfig:
    #: Folder of retrained models: `yuqing train` writes there and analysis and classification read
    #: there; relative paths are under data_dir. Empty: the models shipped inside yuqing.
    models_dir: str = check(folder_path, default="")


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
    nlp: NlpConfig = field(default_factory=NlpConfig)
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
    def models_dir(self) -> Path | None:
        """The folder of retrained models (``[nlp] models_dir``); None: the models shipped with yuqing."""
        return self.resolve(self.nlp.models_dir) if self.nlp.models_dir else None

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
    "nlp": NlpConfig,
}
_TOP_LEVEL = {"data_dir": Path, "timezone": str}


_TYPE_WORDS = {"int": "整数", "float": "数", "bool": "true 或 false", "str": "文本", "Path": "路径"}


def _coerce(value: Any, typ: Any, where: str) -> Any:
    """``value`` as ``typ``; TOML values must already have the type (``port = true`` or ``port = 2.5``
    is refused), environment strings are parsed."""
    typ_name = typ if isinstance(typ, str) else getattr(typ, "__name__", str(typ))
    bad = ConfigError(f"{where} = {_shown(value)} 无效：应为{_TYPE_WORDS.get(typ_name, typ_name)}")
    try:
        if typ_name == "int":
            if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
                raise bad
            if isinstance(value, str):
                value = value.strip()
            return int(value)
        if typ_name == "float":
            if isinstance(value, bool):
                raise bad
            return float(value)
        if typ_name == "bool":
            if isinstance(value, bool):
                return value
            s = str(value).strip().lower()
            if s in ("1", "true", "yes", "on"):
                return True
            if s in ("0", "false", "no", "off"):
                return False
            raise bad
        if isinstance(value, (dict, list)):
            raise bad
        if typ_name == "Path":
            return Path(value)
        return str(value)
    except (TypeError, ValueError):
        raise bad from None


def _shown(value: Any) -> str:
    """A value as the error line quotes it (TOML-like, short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value[:60] + '"'
    return repr(value)[:60]


def _checked(value: Any, f, where: str) -> Any:
    for chk in f.metadata.get("checks", ()):
        problem = chk(value)
        if problem:
            raise ConfigError(f"{where} = {_shown(value)} 无效：{problem}")
    return value


def _build_section(cls, raw: dict, section: str, env: dict[str, str]):
    kwargs = {}
    known = {f.name: f for f in fields(cls)}
    for key in raw:
        if key not in known:
            raise ConfigError(f"[{section}] {key}：未知的设置（可用：{'、'.join(known)}）")
    for name, f in known.items():
        env_key = f"{ENV_PREFIX}{section.upper()}_{name.upper()}"
        if env_key in env:
            where = f"环境变量 {env_key}"
            kwargs[name] = _checked(_coerce(env[env_key], f.type, where), f, where)
        elif name in raw:
            where = f"[{section}] {name}"
            kwargs[name] = _checked(_coerce(raw[name], f.type, where), f, where)
    return cls(**kwargs)


def _list_of(cls, items: Any, section: str) -> list:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"[[{section}]] 应为表的列表（每项以 [[{section}]] 开头）")
    known = [f.name for f in fields(cls)]
    out = []
    for i, item in enumerate(items, 1):
        unknown = [k for k in item if k not in known]
        if unknown:
            raise ConfigError(f"[[{section}]] 第 {i} 项：未知的设置 {unknown[0]}（可用：{'、'.join(known)}）")
        if cls is Source and item.get("kind") not in {str(k) for k in SourceKind}:
            raise ConfigError(f"[[sources]] 第 {i} 项 kind = {_shown(item.get('kind'))} 无效：应为 "
                              + " / ".join(str(k) for k in SourceKind) + " 之一")
        try:
            out.append(cls(**item))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[[{section}]] 第 {i} 项：{exc}") from None
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
    """Load the config file (if any) and apply environment overrides. Every setting is checked
    here: a wrong one is a :class:`ConfigError` of one line naming the key and what is allowed."""
    env = dict(os.environ if env is None else env)
    cfg_path = find_config_path(path, env)
    raw: dict[str, Any] = {}
    if cfg_path is not None:
        try:
            raw = tomllib.loads(cfg_path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ConfigError(f"找不到配置文件：{cfg_path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cfg_path}：无法读取（{exc}）") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{cfg_path}：不是有效的 TOML（invalid TOML: {exc}）") from None
    known_top = set(_TOP_LEVEL) | set(_SECTIONS) | {"units", "sources", "users", "recipients"}
    for key in raw:
        if key not in known_top:
            raise ConfigError(f"{cfg_path}：未知的设置 {key!r}（可用：{'、'.join(sorted(known_top))}）")
    kwargs: dict[str, Any] = {}
    for key, typ in _TOP_LEVEL.items():
        env_key = f"{ENV_PREFIX}{key.upper()}"
        if env_key in env:
            kwargs[key] = _coerce(env[env_key], typ.__name__, f"环境变量 {env_key}")
        elif key in raw:
            kwargs[key] = _coerce(raw[key], typ.__name__, key)
    if "timezone" in kwargs and (problem := time_zone(kwargs["timezone"])):
        where = f"环境变量 {ENV_PREFIX}TIMEZONE" if f"{ENV_PREFIX}TIMEZONE" in env else "timezone"
        raise ConfigError(f"{where} = {_shown(kwargs['timezone'])} 无效：{problem}")
    if "data_dir" in kwargs and not str(kwargs["data_dir"]).strip():
        raise ConfigError("data_dir 无效：不能为空")
    for section, cls in _SECTIONS.items():
        sec_raw = raw.get(section, {})
        if not isinstance(sec_raw, dict):
            raise ConfigError(f"[{section}] 应为一个表（[{section}] 段）")
        kwargs[section] = _build_section(cls, sec_raw, section, env)
    kwargs["units"] = _list_of(Unit, raw.get("units"), "units")
    kwargs["sources"] = _list_of(Source, raw.get("sources"), "sources")
    kwargs["users"] = _list_of(User, raw.get("users"), "users")
    kwargs["recipients"] = _list_of(Recipient, raw.get("recipients"), "recipients")
    cfg = Config(**kwargs, path=cfg_path)
    if cfg_path is not None and not cfg.data_dir.is_absolute() and f"{ENV_PREFIX}DATA_DIR" not in env:
        cfg.data_dir = (cfg_path.parent / cfg.data_dir).resolve()
    _validate(cfg, env)
    return cfg


def _validate(cfg: Config, env: dict[str, str]) -> None:
    """The lists and what ties them together: units form a tree, every unit named exists; paths
    that must be folders are not files."""
    models = cfg.models_dir
    if models is not None and models.exists() and not models.is_dir():
        env_key = f"{ENV_PREFIX}NLP_MODELS_DIR"
        where = f"环境变量 {env_key}" if env_key in env else "[nlp] models_dir"
        raise ConfigError(f"{where} = {_shown(cfg.nlp.models_dir)} 无效：{models} 不是文件夹"
                          "（应为放重新训练的模型的文件夹；留空则用安装包自带的模型）")
    codes = {u.code for u in cfg.units}
    seen: set[str] = set()
    for u in cfg.units:
        where = f"[[units]] {u.code or '(无 code)'}"
        if not isinstance(u.code, str) or not u.code.strip():
            raise ConfigError("[[units]] code 无效：每个单位都要有非空的 code")
        if u.code in seen:
            raise ConfigError(f"{where}：code 重复（duplicate unit code），每个单位的 code 应唯一")
        seen.add(u.code)
        if not isinstance(u.name, str) or not u.name.strip():
            raise ConfigError(f"{where} name 无效：不能为空")
        if not isinstance(u.level, int) or isinstance(u.level, bool) or not 1 <= u.level <= 6:
            raise ConfigError(f"{where} level = {_shown(u.level)} 无效：应为 1–6（1 = 集团，2 = 子公司，3 = 矿/厂，4 = 区科）")
        if u.parent and u.parent not in codes:
            raise ConfigError(f"{where}：parent {u.parent!r} is not a unit（上级单位不存在；应为已定义的单位 code）")
    parents = {u.code: u.parent for u in cfg.units}
    for code in parents:
        chain, cur = {code}, parents[code]
        while cur:
            if cur in chain:
                raise ConfigError(f"[[units]] {code}：上级单位形成循环（parent 链回到了自己）")
            chain.add(cur)
            cur = parents.get(cur, "")

    def unit_ok(unit: str, where: str, *, empty_ok: bool = True) -> None:
        if not unit and empty_ok:
            return
        if codes and unit not in codes:
            raise ConfigError(f"{where} unit = {_shown(unit)} 无效：应为 [[units]] 中的单位 code"
                              f"（{'、'.join(sorted(codes)[:8])}{' …' if len(codes) > 8 else ''}）"
                              + ("" if empty_ok else ""))

    ids: set[str] = set()
    for s in cfg.sources:
        where = f"[[sources]] {s.id or '(无 id)'}"
        if not s.id.strip():
            raise ConfigError("[[sources]] id 无效：每个数据源都要有非空的 id")
        if s.id in ids:
            raise ConfigError(f"{where}：id 重复，每个数据源的 id 应唯一")
        ids.add(s.id)
        unit_ok(s.unit, where)
        if s.status not in SOURCE_STATUSES:
            raise ConfigError(f"{where} status = {_shown(s.status)} 无效：应为 {' / '.join(SOURCE_STATUSES)} 之一")
        if not isinstance(s.match, list) or not all(isinstance(m, str) for m in s.match):
            raise ConfigError(f"{where} match 无效：应为文本列表，如 [\"123@chatroom\", \"群名\"]")
        if not isinstance(s.options, dict):
            raise ConfigError(f"{where} options 无效：应为表，如 {{ username = \"…\" }}")
        if s.url and http_url(s.url):
            raise ConfigError(f"{where} url = {_shown(s.url)} 无效：{http_url(s.url)}")
    names: set[str] = set()
    for user in cfg.users:
        where = f"[[users]] {user.username or '(无 username)'}"
        if not isinstance(user.username, str) or not user.username.strip():
            raise ConfigError("[[users]] username 无效：每个用户都要有非空的 username")
        if user.username in names:
            raise ConfigError(f"{where}：username 重复")
        names.add(user.username)
        if user.role not in ROLES:
            raise ConfigError(f"{where} role = {_shown(user.role)} 无效：unknown role，应为 {' / '.join(ROLES)} 之一")
        if user.role == Role.CADRE and not user.unit:
            raise ConfigError(f"{where}：a cadre needs a unit（工会干部必须设置 unit，应为单位 code）")
        unit_ok(user.unit, where)
        if user.email and email_address(user.email):
            raise ConfigError(f"{where} email = {_shown(user.email)} 无效：{email_address(user.email)}")
    for i, r in enumerate(cfg.recipients, 1):
        where = f"[[recipients]] 第 {i} 项"
        unit_ok(r.unit, where)
        if r.unit and not codes:
            raise ConfigError(f"{where} unit = {_shown(r.unit)} 无效：配置中没有 [[units]]，应留空（接收全部单位）")
        if not isinstance(r.emails, list) or not r.emails:
            raise ConfigError(f"{where} emails 无效：应为非空的地址列表，如 [\"ganbu@example.org\"]")
        for e in r.emails:
            if not isinstance(e, str) or email_address(e):
                raise ConfigError(f"{where} emails 中的 {_shown(e)} 无效：应为电子邮件地址，如 ganbu@example.org")
        if r.min_severity not in SEVERITIES:
            raise ConfigError(f"{where} min_severity = {_shown(r.min_severity)} 无效：应为 {' / '.join(SEVERITIES)} 之一")
        if not isinstance(r.digest, bool):
            raise ConfigError(f"{where} digest = {_shown(r.digest)} 无效：应为 true 或 false")


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
# 每次读写的超时（秒）；连接+问候+TLS+登录的总时限；发送一封邮件的总时限
timeout = 10.0
connect_timeout = 30.0
send_timeout = 120.0
# 服务器暂时拒收（4xx）或连不上时按退避重试，超过这么多小时仍未发出就放弃并报告管理员；5xx 立即放弃
give_up_hours = 72.0

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
# 不勾选「记住我」时登录有效的分钟数；勾选时在本浏览器保持登录的天数（0 表示不提供「记住我」）
session_minutes = 480
remember_days = 14
# 总览和议题看板每隔几秒自动刷新，侧栏的新预警提示也按这个间隔检查（0 表示不自动刷新；否则 5–3600）
refresh_seconds = 60

[digest]
# 周报发送时间：星期几（0=周一）与本地时间
weekday = 0
time = "08:00"
# 月报（上月职工思想动态）在每月几号的同一时间发送（1–28；0 表示不自动发送）
monthly_day = 1

[nlp]
# 重新训练的模型所在的文件夹：`yuqing train` 写到这里，分析和分类从这里读（相对路径相对于数据目录）。
# 留空表示使用安装包自带的模型。
models_dir = ""

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
