"""Dashboard users: password hashing (argon2), roles, unit scope and login sessions.

Roles: ``admin`` and ``monitor`` see every unit and may do everything; a ``cadre`` sees only
their unit's subtree and may work (advance, comment, assign) its issues; a ``viewer`` only reads
(their unit's subtree if they have a unit, else everything). Scope is a set of unit codes passed
as ``units=`` to every store call; ``None`` means all units.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import AccessDenied
from .orgtree import OrgTree
from .schema import ROLE_LABELS, ROLES, STAFF_ROLES, Role, Unit, User

_hasher = PasswordHasher()
#: Failed logins are counted over this window.
LOCKOUT_MINUTES = 15
#: From one client (address): this many failures are free, then each next attempt waits 2, 4, 8 …
#: seconds after the last failure, at most CLIENT_MAX_DELAY.
CLIENT_FREE, CLIENT_MAX_DELAY = 5, 15 * 60
#: On one account, from every client together: this many failures are free, then 2, 4, 8 … seconds,
#: at most ACCOUNT_MAX_DELAY — strangers can slow an account down, never lock it; and a client that
#: logged in to the account before (within KNOWN_DAYS) is not slowed by what others did.
ACCOUNT_FREE, ACCOUNT_MAX_DELAY, KNOWN_DAYS = 10, 60, 30
#: Kept for callers of the old lock-out: failures before delays start (per client).
MAX_FAILURES = CLIENT_FREE


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
        return self.role in STAFF_ROLES

    @property
    def can_edit(self) -> bool:
        """Label posts, assign sources, import files, edit rules."""
        return self.role in STAFF_ROLES

    @property
    def can_work_issues(self) -> bool:
        """Advance, assign and comment on issues in scope."""
        return self.role in (*STAFF_ROLES, Role.CADRE)

    @property
    def display(self) -> str:
        return f"{self.name or self.username}（{ROLE_LABELS.get(self.role, self.role)}）"


def scope_for(user: User, units: list[Unit]) -> frozenset[str] | None:
    """The units a user may see: None (all) for admin/monitor, the unit's subtree otherwise."""
    if user.role not in ROLES:
        raise AccessDenied(f"用户 {user.username} 的角色 {user.role!r} 无效")
    if user.role in STAFF_ROLES:
        return None
    if not user.unit:
        if user.role == Role.CADRE:
            raise AccessDenied(f"工会干部 {user.username} 没有配置所属单位，无法登录")
        return None
    return frozenset(OrgTree(units).subtree(user.unit))


def current_user(user: User, units: list[Unit]) -> CurrentUser:
    return CurrentUser(username=user.username, role=user.role, unit=user.unit, name=user.name,
                       scope=scope_for(user, units))


def token_hash(token: str) -> str:
    """What the store keeps of a session token: its SHA-256 (the token itself lives only in the browser)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def growing_delay(failures: int, free: int, cap: int) -> int:
    """Seconds to wait after the last failure once ``failures`` passed ``free``: 2, 4, 8 … up to ``cap``. Pure."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free + 1, 30), cap)


def wait_seconds(store, username: str, client: str, now: float | None = None) -> int:
    """How long ``client`` must still wait before trying ``username`` again (0: go ahead)."""
    now = time.time() if now is None else now
    waits = []
    if client:
        n, last = store.login_failures(client=client, minutes=LOCKOUT_MINUTES)
        waits.append((last or 0) + growing_delay(n, CLIENT_FREE, CLIENT_MAX_DELAY) - now)
    n, last = store.login_failures(username=username, minutes=LOCKOUT_MINUTES)
    delay = growing_delay(n, ACCOUNT_FREE, ACCOUNT_MAX_DELAY)
    if delay and not store.known_client(username, client, KNOWN_DAYS):
        waits.append((last or 0) + delay - now)
    return max(0, int(max(waits, default=0) + 0.999))


def login(store, username: str, password: str, session_minutes: int, *, client: str = "",
          remember_days: int = 0) -> tuple[str, CurrentUser]:
    """Check the password, open a session and audit the attempt. Returns (token, user): the token
    goes to the browser, the store keeps only its hash. ``remember_days`` > 0: the session lasts
    that many days (「记住我」), else ``session_minutes``.

    Raises :class:`AccessDenied` with the same message for unknown users and wrong passwords.
    Repeated failures make the next attempt wait, growing (:func:`wait_seconds`): per client
    address, and per account with a cap, so that nobody can lock an account out."""
    name = username.strip() or "?"
    wait = wait_seconds(store, name, client)
    if wait:
        store.audit(name, "login_throttled", client)
        raise AccessDenied(f"登录尝试过于频繁，请 {wait} 秒后再试")
    user = store.get_user(username.strip())
    if user is None or not verify_password(user.password_hash, password):
        store.record_login_failure(name, client)
        store.audit(name, "login_failed", client)
        raise AccessDenied("用户名或密码不正确")
    cu = current_user(user, store.list_units())
    token = secrets.token_urlsafe(32)
    minutes = remember_days * 24 * 60 if remember_days > 0 else session_minutes
    store.create_session(token_hash(token), user.username, minutes, remember=remember_days > 0)
    store.audit(user.username, "login", client, {"remember": remember_days > 0})
    return token, cu


def resume(store, token: str) -> CurrentUser | None:
    """The user of a live session token, or None (expired, logged out, user removed)."""
    if not token:
        return None
    username = store.session_user(token_hash(token))
    if username is None:
        return None
    user = store.get_user(username)
    return current_user(user, store.list_units()) if user else None


def logout(store, token: str, username: str = "") -> None:
    """End the session: its token no longer opens anything, in this browser or any other."""
    if token:
        store.end_session(token_hash(token))
        if username:
            store.audit(username, "logout")
