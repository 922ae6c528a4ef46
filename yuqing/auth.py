"""Dashboard users: password hashing (argon2), roles, unit scope and login sessions.

Roles: ``admin`` and ``monitor`` see every unit and may do everything; a ``cadre`` sees only
their unit's subtree and may work (advance, comment, assign) its issues; a ``viewer`` only reads
(their unit's subtree if they have a unit, else everything). Scope is a set of unit codes passed
as ``units=`` to every store call; ``None`` means all units.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .config import User
from .errors import AccessDenied
from .orgtree import OrgTree
from .schema import Unit

ROLES = ("admin", "monitor", "cadre", "viewer")
ROLE_LABELS = {"admin": "管理员", "monitor": "舆情监测员", "cadre": "工会干部", "viewer": "只读用户"}

_hasher = PasswordHasher()
#: After this many failed logins within LOCKOUT_MINUTES a username is refused until they pass.
MAX_FAILURES, LOCKOUT_MINUTES = 5, 15


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (what goes into the config or the users table)."""
    if len(password) < 8:
        raise AccessDenied("密码至少 8 位")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in user and what they may see and do."""

    username: str
    role: str
    unit: str = ""
    name: str = ""
    #: Unit codes this user may see; None = every unit.
    scope: frozenset[str] | None = None

    @property
    def units(self) -> set[str] | None:
        """The ``units=`` argument for store calls."""
        return None if self.scope is None else set(self.scope)

    @property
    def sees_pii(self) -> bool:
        return self.role in ("admin", "monitor")

    @property
    def can_edit(self) -> bool:
        """Label posts, assign sources, import files, edit rules."""
        return self.role in ("admin", "monitor")

    @property
    def can_work_issues(self) -> bool:
        """Advance, assign and comment on issues in scope."""
        return self.role in ("admin", "monitor", "cadre")

    @property
    def display(self) -> str:
        return f"{self.name or self.username}（{ROLE_LABELS.get(self.role, self.role)}）"


def scope_for(user: User, units: list[Unit]) -> frozenset[str] | None:
    """The units a user may see: None (all) for admin/monitor, the unit's subtree otherwise."""
    if user.role not in ROLES:
        raise AccessDenied(f"用户 {user.username} 的角色 {user.role!r} 无效")
    if user.role in ("admin", "monitor"):
        return None
    if not user.unit:
        if user.role == "cadre":
            raise AccessDenied(f"工会干部 {user.username} 没有配置所属单位，无法登录")
        return None
    return frozenset(OrgTree(units).subtree(user.unit))


def current_user(user: User, units: list[Unit]) -> CurrentUser:
    return CurrentUser(username=user.username, role=user.role, unit=user.unit, name=user.name,
                       scope=scope_for(user, units))


def login(store, username: str, password: str, session_minutes: int) -> tuple[str, CurrentUser]:
    """Check the password, open a session and audit the attempt. Returns (token, user).

    Raises :class:`AccessDenied` with the same message for unknown users and wrong passwords,
    and refuses a username after :data:`MAX_FAILURES` failures in :data:`LOCKOUT_MINUTES`.
    """
    if store.failed_logins(username.strip() or "?", LOCKOUT_MINUTES) >= MAX_FAILURES:
        store.audit(username.strip() or "?", "login_locked")
        raise AccessDenied(f"登录失败次数过多，请 {LOCKOUT_MINUTES} 分钟后再试")
    user = store.get_user(username.strip())
    if user is None or not verify_password(user.password_hash, password):
        store.audit(username.strip() or "?", "login_failed")
        raise AccessDenied("用户名或密码不正确")
    cu = current_user(user, store.list_units())
    token = secrets.token_urlsafe(32)
    store.create_session(token, user.username, session_minutes)
    store.audit(user.username, "login")
    return token, cu


def resume(store, token: str) -> CurrentUser | None:
    """The user of a live session token, or None (expired, logged out, user removed)."""
    if not token:
        return None
    username = store.session_user(token)
    if username is None:
        return None
    user = store.get_user(username)
    return current_user(user, store.list_units()) if user else None
