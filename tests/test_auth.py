from __future__ import annotations

import pytest

from yuqing.auth import hash_password, login, resume, scope_for, verify_password
from yuqing.config import User
from yuqing.errors import AccessDenied


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
    store.end_session(token)
    assert store.session_user(token) is None


def test_config_hash_wins_but_stored_hash_is_kept_without_one(store):
    store.sync_users([User("u", "viewer", password_hash=hash_password("first-pass"))])
    store.set_password_hash("u", hash_password("second-pass"))
    store.sync_users([User("u", "monitor")])
    u = store.get_user("u")
    assert u.role == "monitor" and verify_password(u.password_hash, "second-pass")
    with pytest.raises(Exception, match="没有用户"):
        store.set_password_hash("ghost", "x")


def test_repeated_failures_lock_the_username(store):
    from yuqing.auth import MAX_FAILURES

    store.sync_users([User("u", "monitor", password_hash=hash_password("right-pass"))])
    for _ in range(MAX_FAILURES):
        with pytest.raises(AccessDenied, match="用户名或密码不正确"):
            login(store, "u", "wrong-pass", 30)
    with pytest.raises(AccessDenied, match="次数过多"):
        login(store, "u", "right-pass", 30)
    store.conn.execute("UPDATE audit_log SET at = at - 3600")
    assert login(store, "u", "right-pass", 30)[1].username == "u"
