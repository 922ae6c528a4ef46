from __future__ import annotations

import pytest

from yuqing.auth import (
    ACCOUNT_MAX_DELAY,
    CLIENT_FREE,
    CLIENT_MAX_DELAY,
    growing_delay,
    hash_password,
    login,
    logout,
    resume,
    scope_for,
    token_hash,
    verify_password,
    wait_seconds,
)
from yuqing.errors import AccessDenied
from yuqing.schema import User


def test_hash_roundtrip_and_wrong_password():
    h = hash_password("s3cret-pass")
    assert h.startswith("$argon2id$") and "s3cret-pass" not in h
    assert verify_password(h, "s3cret-pass")
    assert not verify_password(h, "s3cret-pasS")
    assert not verify_password("", "anything")
    assert not verify_password("not-a-hash", "anything")
    with pytest.raises(AccessDenied):
        hash_password("short")


def test_scope_by_role(units):
    assert scope_for(User("m", "monitor"), units) is None
    assert scope_for(User("a", "admin", unit="M1"), units) is None
    assert scope_for(User("c", "cadre", unit="M1"), units) == {"M1", "M1-ZC"}
    assert scope_for(User("v", "viewer", unit="M2"), units) == {"M2"}
    assert scope_for(User("v", "viewer"), units) is None
    with pytest.raises(AccessDenied):
        scope_for(User("c", "cadre"), units)


def test_login_session_expiry_and_audit(store, units, sources):
    store.sync_config(units, sources)
    store.sync_users([User("ganbu", "cadre", unit="M1", password_hash=hash_password("pass-word-1"))])
    with pytest.raises(AccessDenied, match="用户名或密码不正确"):
        login(store, "ganbu", "wrong-password", 30)
    with pytest.raises(AccessDenied, match="用户名或密码不正确"):
        login(store, "nobody", "pass-word-1", 30)
    token, user = login(store, "ganbu", "pass-word-1", 30)
    assert user.units == {"M1", "M1-ZC"} and not user.sees_pii and user.can_work_issues and not user.can_edit
    assert resume(store, token) == user
    assert resume(store, "forged") is None
    actions = [(e["actor"], e["action"]) for e in store.audit_entries()]
    assert actions[:3] == [("ganbu", "login"), ("nobody", "login_failed"), ("ganbu", "login_failed")]
    store.conn.execute("UPDATE sessions SET expires_at = expires_at - 3600")
    assert resume(store, token) is None


def test_config_hash_wins_but_stored_hash_is_kept_without_one(store):
    store.sync_users([User("u", "viewer", password_hash=hash_password("first-pass"))])
    store.set_password_hash("u", hash_password("second-pass"))
    store.sync_users([User("u", "monitor")])
    u = store.get_user("u")
    assert u.role == "monitor" and verify_password(u.password_hash, "second-pass")
    with pytest.raises(Exception, match="没有用户"):
        store.set_password_hash("ghost", "x")


def age_failures(store, seconds: int) -> None:
    store.conn.execute("UPDATE login_failures SET at = at - ?", (seconds,))


def test_a_client_failing_repeatedly_waits_longer_each_time(store):
    store.sync_users([User("u", "monitor", password_hash=hash_password("right-pass"))])
    for _ in range(CLIENT_FREE):
        with pytest.raises(AccessDenied, match="用户名或密码不正确"):
            login(store, "u", "wrong-pass", 30, client="10.0.0.9")
    # now even the right password waits (the attempt is not checked at all)
    with pytest.raises(AccessDenied, match=r"登录尝试过于频繁，请 2 秒后再试"):
        login(store, "u", "right-pass", 30, client="10.0.0.9")
    age_failures(store, 3)
    with pytest.raises(AccessDenied, match="用户名或密码不正确"):
        login(store, "u", "wrong-pass", 30, client="10.0.0.9")
    with pytest.raises(AccessDenied, match=r"请 4 秒后再试"):
        login(store, "u", "right-pass", 30, client="10.0.0.9")
    assert growing_delay(40, CLIENT_FREE, CLIENT_MAX_DELAY) == CLIENT_MAX_DELAY
    # another client is not slowed by this one, and the waiting one gets in once the delay passed
    assert login(store, "u", "right-pass", 30, client="10.0.0.10")[1].username == "u"
    age_failures(store, 5)
    assert login(store, "u", "right-pass", 30, client="10.0.0.9")[1].username == "u"


def test_strangers_can_slow_an_account_but_never_lock_it(store):
    store.sync_users([User("admin", "admin", password_hash=hash_password("admin-pass"))])
    assert login(store, "admin", "admin-pass", 30, client="192.168.1.5")  # the admin's own browser, earlier
    for i in range(40):  # forty strangers, each from another address
        with pytest.raises(AccessDenied, match="用户名或密码不正确"):
            login(store, "admin", f"guess-{i}", 30, client=f"203.0.113.{i}")
        age_failures(store, 61)  # each stranger spaced so that the account delay never stops them
    # the admin's known browser is never slowed by what strangers did
    assert login(store, "admin", "admin-pass", 30, client="192.168.1.5")[1].username == "admin"
    # from a new place the admin waits at most ACCOUNT_MAX_DELAY after the latest stranger, then gets in
    assert wait_seconds(store, "admin", "198.51.100.7") <= ACCOUNT_MAX_DELAY
    age_failures(store, ACCOUNT_MAX_DELAY)
    assert login(store, "admin", "admin-pass", 30, client="198.51.100.7")[1].username == "admin"


def test_tokens_are_stored_hashed_remembered_sessions_last_and_logout_revokes(store):
    store.sync_users([User("u", "viewer", password_hash=hash_password("right-pass"))])
    token, _ = login(store, "u", "right-pass", 30, remember_days=14)
    rows = store.conn.execute("SELECT token, expires_at - created_at, remember FROM sessions").fetchall()
    assert [tuple(r) for r in rows] == [(token_hash(token), 14 * 86400, 1)] and token not in str(rows)
    assert resume(store, token).username == "u" and resume(store, token_hash(token)) is None
    logout(store, token, "u")
    assert resume(store, token) is None
    assert ("u", "logout") in [(e["actor"], e["action"]) for e in store.audit_entries()]
