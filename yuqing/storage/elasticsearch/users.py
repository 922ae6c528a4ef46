"""Dashboard users and login sessions on Elasticsearch. Mixed into
:class:`.store.ElasticsearchStore` (uses its ``put``/``get_doc``/``count``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from elasticsearch import NotFoundError as EsNotFound

from ...errors import NotFoundError
from ...schema import User
from . import documents as D


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UsersMixin:
    def sync_users(self, users: Iterable[User]) -> None:
        """Make the configured users exist; a config password hash replaces the stored one."""
        for u in users:
            old = self.get_doc("users", u.username) or {}
            self.put("users", u.username, {
                "username": u.username, "name": u.name, "role": u.role, "unit": u.unit, "email": u.email,
                "password_hash": u.password_hash or old.get("password_hash", ""),
                "disabled": old.get("disabled", False), "created_at": old.get("created_at") or D.iso(_now())})

    def get_user(self, username: str) -> User | None:
        d = self.get_doc("users", username)
        if d is None or d.get("disabled"):
            return None
        return User(username=d["username"], role=d["role"], unit=d["unit"], name=d["name"], email=d["email"],
                    password_hash=d["password_hash"])

    def set_password_hash(self, username: str, password_hash: str) -> None:
        d = self.get_doc("users", username)
        if d is None:
            raise NotFoundError(f"没有用户 {username!r}：请先在配置文件 [[users]] 中添加")
        self.put("users", username, {**d, "password_hash": password_hash})

    def failed_logins(self, username: str, minutes: int) -> int:
        since = D.iso(_now() - timedelta(minutes=minutes))
        return self.count(self.ix("audit"), {"bool": {"filter": [
            {"term": {"actor": username}}, {"term": {"action": "login_failed"}}, {"range": {"at": {"gte": since}}}]}})

    def record_login_failure(self, username: str, client: str = "") -> None:
        self.put("login-failures", None, {"at": D.iso(_now()), "username": username, "client": client})

    def login_failures(self, *, username: str | None = None, client: str | None = None,
                       minutes: int = 15) -> tuple[int, int | None]:
        field, value = ("username", username) if username is not None else ("client", client)
        since = D.iso(_now() - timedelta(minutes=minutes))
        resp = self.search(self.ix("login-failures"), size=0, query={"bool": {"filter": [
            {"term": {field: value}}, {"range": {"at": {"gte": since}}}]}}, aggs={"last": {"max": {"field": "at"}}},
            track_total_hits=True)
        last = resp["aggregations"]["last"]["value"]
        return resp["hits"]["total"]["value"], None if last is None else int(last / 1000)

    def known_client(self, username: str, client: str, days: int = 30) -> bool:
        if not client:
            return False
        since = D.iso(_now() - timedelta(days=days))
        return self.count(self.ix("audit"), {"bool": {"filter": [
            {"term": {"actor": username}}, {"term": {"action": "login"}}, {"term": {"target": client}},
            {"range": {"at": {"gte": since}}}]}}) > 0

    def create_session(self, token: str, username: str, minutes: int, remember: bool = False) -> None:
        now = _now()
        self.es.delete_by_query(index=self.ix("sessions"), query={"range": {"expires_at": {"lt": D.iso(now)}}},
                                conflicts="proceed")
        self.put("sessions", token, {"token": token, "username": username, "created_at": D.iso(now),
                                     "expires_at": D.iso(now + timedelta(minutes=minutes)), "remember": remember})

    def session_user(self, token: str) -> str | None:
        d = self.get_doc("sessions", token)
        if d is None or D.parse(d["expires_at"]) < _now():
            return None
        return d["username"]

    def end_session(self, token: str) -> None:
        try:
            self.es.delete(index=self.ix("sessions"), id=token, refresh=self.refresh)
        except EsNotFound:
            pass

