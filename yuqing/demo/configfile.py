"""The demo ``yuqing.toml``: the fictional union's units, sources, users and recipients."""

from __future__ import annotations

import hashlib
import json

from argon2 import PasswordHasher
from argon2.low_level import hash_secret

from .org import ACCOUNTS, DEMO_PASSWORD, FORUM_NAME, FORUM_SOURCE_ID, GROUPS, UNITS, USERS


def _s(value: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def password_hash(password: str, username: str, seed: int) -> str:
    """An argon2id hash PasswordHasher.verify accepts, with a salt derived from the seed and the
    user so the demo config is byte-for-byte reproducible."""
    ph = PasswordHasher()
    salt = hashlib.sha256(f"yuqing-demo:{seed}:{username}".encode()).digest()[:16]
    raw = hash_secret(
        password.encode(),
        salt,
        time_cost=ph.time_cost,
        memory_cost=ph.memory_cost,
        parallelism=ph.parallelism,
        hash_len=ph.hash_len,
        type=ph.type,
    )
    return raw.decode("ascii")


def render_config(seed: int) -> str:
    """The whole demo config file as TOML text."""
    out = [
        "# 演示配置：虚构的「恒岳能源集团工会」。由 `yuqing.demo.generate` 生成，所有单位、人员和内容均为虚构。",
        f"# 演示账号的密码都是 {DEMO_PASSWORD}。",
        'data_dir = "data"',
        'timezone = "Asia/Shanghai"',
        "",
        "[smtp]",
        'host = "127.0.0.1"',
        "port = 8025",
        'security = "plain"',
        'sender = "yuqing-demo@example.org"',
        "",
        "[crawler]",
        "download_delay = 0  # 演示论坛在本机，无需限速",
        "",
    ]
    for u in UNITS:
        out += ["[[units]]", f"code = {_s(u.code)}", f"name = {_s(u.name)}"]
        if u.parent:
            out.append(f"parent = {_s(u.parent)}")
        out += [f"level = {u.level}", ""]
    for g in GROUPS:
        if not g.configured:
            continue
        out += [
            "[[sources]]",
            f"id = {_s(g.source_id)}",
            f"name = {_s(g.name)}",
            'kind = "wechat_group"',
            f"unit = {_s(g.unit)}",
            f"match = {_list([g.chat_id, g.name])}",
            "",
        ]
    for a in ACCOUNTS:
        out += [
            "[[sources]]",
            f"id = {_s(a.source_id)}",
            f"name = {_s(a.name)}",
            'kind = "wechat_article"',
            f"unit = {_s(a.unit)}",
            f"match = {_list([a.name, a.gh_id, a.biz])}",
            "",
        ]
    out += [
        "[[sources]]",
        f"id = {_s(FORUM_SOURCE_ID)}",
        f"name = {_s(FORUM_NAME)}",
        'kind = "forum"',
        'unit = "G"',
        'url = ""  # 演示时由 `yuqing demo` 填入本地论坛地址',
        f"match = {_list([FORUM_NAME])}",
        'options = {engine = "discuz"}',
        "",
    ]
    for user in USERS:
        out += ["[[users]]", f"username = {_s(user.username)}", f"role = {_s(user.role)}"]
        if user.unit:
            out.append(f"unit = {_s(user.unit)}")
        out += [
            f"name = {_s(user.name)}",
            f"email = {_s(user.email)}",
            f"password_hash = {_s(password_hash(DEMO_PASSWORD, user.username, seed))}",
            "",
        ]
    for user in USERS:
        if user.role == "cadre":
            out += [
                "[[recipients]]",
                f"unit = {_s(user.unit)}",
                f"emails = {_list([user.email])}",
                'min_severity = "medium"',
                "digest = false",
                "",
            ]
    leaders = [u.email for u in USERS if u.role in ("monitor", "viewer")]
    out += [
        "[[recipients]]",
        'unit = "G"',
        f"emails = {_list(leaders)}",
        'min_severity = "high"',
        "digest = true",
        "",
    ]
    return "\n".join(out)
