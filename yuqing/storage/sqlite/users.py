"""SQLite storage for dashboard users and login sessions. Mixed into
:class:`.store.SqliteStore` (uses its ``tx``/``q``/``q1``)."""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import NotFoundError
from ...schema import User
from . import rows as R


class UsersMixin:
    # --- users ----------------------------------------------------------------------------
    def sync_users(self, users: Iterable[User]) -> None:
        """Make the configured users exist with the config's role, unit, name and e-mail.

        A password hash in the config replaces the stored one; without one the stored hash
        (set by ``yuqing users passwd``) is kept.
        """
        with self.tx():
            for u in users:
                self.conn.execute(
                    """INSERT INTO users(username, name, role, unit, email, password_hash, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(username) DO UPDATE SET name=excluded.name, role=excluded.role,
                         unit=excluded.unit, email=excluded.email,
                         password_hash=CASE WHEN excluded.password_hash != '' THEN excluded.password_hash
                                            ELSE users.password_hash END""",
                    (u.username, u.name, u.role, u.unit, u.email, u.password_hash, R.now_ts()))

    def get_user(self, username: str) -> User | None:
        """An enabled user, or None."""
        r = self.q1("SELECT * FROM users WHERE username = ? AND disabled = 0", (username,))
        if r is None:
            return None
        return R.user(r)

    def set_password_hash(self, username: str, password_hash: str) -> None:
        with self.tx():
            cur = self.conn.execute("UPDATE users SET password_hash = ? WHERE username = ?", (password_hash, username))
            if cur.rowcount == 0:
                raise NotFoundError(f"没有用户 {username!r}：请先在配置文件 [[users]] 中添加")

    def failed_logins(self, username: str, minutes: int) -> int:
        """Failed logins for ``username`` in the last ``minutes`` (from the audit log)."""
        return self.q1("SELECT COUNT(*) FROM audit_log WHERE at >= ? AND actor = ? AND action = 'login_failed'",
                       (R.now_ts() - minutes * 60, username))[0]

    def record_login_failure(self, username: str, client: str = "") -> None:
        now = R.now_ts()
        with self.tx():
            self.conn.execute("DELETE FROM login_failures WHERE at < ?", (now - 86400,))
            self.conn.execute("INSERT INTO login_failures(at, username, client) VALUES (?, ?, ?)",
                              (now, username, client))

    def login_failures(self, *, username: str | None = None, client: str | None = None,
                       minutes: int = 15) -> tuple[int, int | None]:
        """Failed logins in the last ``minutes`` for ``username`` (any client) or from ``client`` (any
        username): ``(count, unix time of the latest)``."""
        col, value = ("username", username) if username is not None else ("client", client)
        r = self.q1(f"SELECT COUNT(*), MAX(at) FROM login_failures WHERE {col} = ? AND at >= ?",
                    (value, R.now_ts() - minutes * 60))
        return r[0], r[1]

    def known_client(self, username: str, client: str, days: int = 30) -> bool:
        """Whether ``client`` logged in to ``username`` successfully within ``days``."""
        if not client:
            return False
        return self.q1("SELECT 1 FROM audit_log WHERE actor = ? AND action = 'login' AND target = ? AND at >= ? LIMIT 1",
                       (username, client, R.now_ts() - days * 86400)) is not None

    # --- sessions -------------------------------------------------------------------------
    def create_session(self, token: str, username: str, minutes: int, remember: bool = False) -> None:
        now = R.now_ts()
        with self.tx():
            self.conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            self.conn.execute("INSERT INTO sessions(token, username, created_at, expires_at, remember) VALUES (?, ?, ?, ?, ?)",
                              (token, username, now, now + minutes * 60, int(remember)))

    def session_user(self, token: str) -> str | None:
        """The username of a live session, or None when unknown or expired."""
        r = self.q1("SELECT username FROM sessions WHERE token = ? AND expires_at >= ?", (token, R.now_ts()))
        return r[0] if r else None

    def end_session(self, token: str) -> None:
        with self.tx():
            self.conn.execute("DELETE FROM sessions WHERE token = ?", (token,))
