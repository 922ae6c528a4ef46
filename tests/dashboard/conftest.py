from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from .fixture_store import build


@pytest.fixture(scope="session")
def dash_config(tmp_path_factory) -> Path:
    """The dashboard fixture store and config, built once per test run."""
    return build(tmp_path_factory.mktemp("dash"))


@pytest.fixture
def app_for(dash_config, monkeypatch):
    """``app_for("ganbu1")`` → an AppTest of the dashboard logged in as that user."""
    from streamlit.testing.v1 import AppTest

    from yuqing.auth import token_hash
    from yuqing.config import load_config
    from yuqing.storage.sqlite import SqliteStore

    monkeypatch.setenv("YUQING_CONFIG", str(dash_config))
    cfg = load_config(dash_config, env={})

    def make(username: str | None) -> AppTest:
        at = AppTest.from_file(str(Path(__file__).parents[2] / "yuqing/dashboard/app.py"), default_timeout=30)
        if username:
            store = SqliteStore(cfg.db_path)
            store.sync_users(cfg.users)
            token = secrets.token_urlsafe(16)
            store.create_session(token_hash(token), username, 30)
            store.close()
            at.session_state["auth_token"] = token
        return at

    return make
