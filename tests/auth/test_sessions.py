"""Sessions end for good: a cookie captured before logout, deactivation or a password change
no longer opens anything; cookies are HttpOnly, SameSite=Lax, Secure outside development."""

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories as f
from tests.helpers import DEFAULT_PASSWORD, login, logout
from webapp.auth.accounts import deactivate, set_password
from webapp.config import Config, DevelopmentConfig
from webapp.models import User


def _signed_in(app: Flask, session) -> tuple[FlaskClient, User, str]:
    """A client signed in as a new operator, the operator, and the session cookie it holds."""
    user = f.make_operator(session)
    session.commit()
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client, user, client.get_cookie("session").value


def _opens_admin(app: Flask, cookie: str) -> bool:
    """Whether a fresh client carrying only this session cookie gets into the admin."""
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/admin/")
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def test_captured_cookie_works_while_the_session_lives(app, session):
    _client, _user, cookie = _signed_in(app, session)
    assert _opens_admin(app, cookie)


def test_cookie_replay_after_logout_fails(app, session):
    client, _user, cookie = _signed_in(app, session)
    assert logout(client, page="/admin/").status_code == 302
    assert not _opens_admin(app, cookie)


def test_cookie_replay_after_deactivation_fails(app, session):
    _client, user, cookie = _signed_in(app, session)
    deactivate(user)
    session.commit()
    assert not _opens_admin(app, cookie)


def test_cookie_replay_after_password_change_fails(app, session):
    _client, user, cookie = _signed_in(app, session)
    set_password(user, "a brand new passphrase")
    session.commit()
    assert not _opens_admin(app, cookie)
    fresh = app.test_client()
    assert login(fresh, user.email, DEFAULT_PASSWORD).status_code == 200  # the old one is refused
    assert login(fresh, user.email, "a brand new passphrase").status_code == 302


def test_cookie_replay_after_role_change_in_the_admin_fails(app, session):
    admin = f.make_admin(session)
    _client, user, cookie = _signed_in(app, session)
    admin_client = app.test_client()
    login(admin_client, admin.email)
    from tests.admin.support import token

    data = {
        "csrf_token": token(admin_client, f"/admin/staffaccount/edit/?id={user.id}"),
        "email": user.email,
        "display_name": user.display_name,
        "role": "teacher",
        "is_active": "y",
        "timezone": user.timezone,
        "locale": user.locale,
    }
    assert admin_client.post(f"/admin/staffaccount/edit/?id={user.id}", data=data).status_code == 302
    assert not _opens_admin(app, cookie)


def test_session_cookie_is_httponly_lax_and_bounded(app, session):
    user = f.make_teacher(session)
    session.commit()
    client = app.test_client()
    response = login(client, user.email)
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session, bounded by PERMANENT_SESSION_LIFETIME
    assert timedelta(0) < app.permanent_session_lifetime <= timedelta(hours=12)


def test_cookies_are_secure_outside_development(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    production = Config()
    assert production.SESSION_COOKIE_SECURE is True
    assert production.REMEMBER_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.SESSION_COOKIE_SAMESITE == "Lax"
    assert DevelopmentConfig().SESSION_COOKIE_SECURE is False


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "https://evil.example/",
        "/\t/evil.example",
        "///evil.example",
        "http:/evil.example",
    ],
)
def test_open_redirect_probes_go_home(client, session, target):
    user = f.make_teacher(session)
    session.commit()
    response = login(client, user.email, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
