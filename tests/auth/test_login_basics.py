"""The login core: staff in, learners out, sessions end on logout."""

import pytest
from werkzeug.security import generate_password_hash

from tests.helpers import DEFAULT_PASSWORD, login, logout
from webapp.models import User
from webapp.models.core.enums import Role


def _user(session, role: Role, *, password: str | None = DEFAULT_PASSWORD, active: bool = True) -> User:
    user = User(
        email=f"{role.value}@example.org",
        display_name=role.value.title(),
        role=role,
        is_active=active,
        password_hash=generate_password_hash(password) if password else None,
    )
    session.add(user)
    session.commit()
    return user


@pytest.mark.parametrize("role", [Role.TEACHER, Role.OPERATOR, Role.ADMIN])
def test_staff_can_log_in(client, session, role):
    user = _user(session, role)
    response = login(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_learner_never_logs_in(client, session):
    learner = _user(session, Role.LEARNER, password=None)
    response = login(client, learner.email, "anything")
    assert response.status_code == 200
    assert "Invalid email or password." in response.get_data(as_text=True)


def test_unknown_email_and_wrong_password_look_the_same(client, session):
    _user(session, Role.TEACHER)
    unknown = login(client, "nobody@example.org").get_data(as_text=True)
    wrong = login(client, "teacher@example.org", "wrong password").get_data(as_text=True)
    strip = lambda html: html.split('name="csrf_token"')[0]  # noqa: E731
    assert strip(unknown) == strip(wrong)


def test_inactive_staff_refused(client, session):
    user = _user(session, Role.ADMIN, active=False)
    assert login(client, user.email).status_code == 200


def test_login_page_not_cached(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_cookie_replay_after_logout_fails(app, session):
    user = _user(session, Role.OPERATOR)
    client = app.test_client()
    login(client, user.email)
    captured = client.get_cookie("session").value
    logout(client, page="/login")
    replay = app.test_client()
    replay.set_cookie("session", captured)
    with replay.session_transaction() as sess:
        assert sess.get("_user_id") == f"{user.id}:0"
    from webapp.auth.sessions import load_user

    assert load_user(f"{user.id}:0") is None


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "javascript:alert(1)", "https://evil.example/"]
)
def test_open_redirects_refused(client, session, target):
    user = _user(session, Role.TEACHER)
    response = login(client, user.email, next_url=target)
    assert response.headers["Location"] == "/"


def test_relative_next_accepted(client, session):
    user = _user(session, Role.TEACHER)
    assert (
        login(client, user.email, next_url="/reports/engagement").headers["Location"] == "/reports/engagement"
    )


def test_post_without_csrf_token_is_rejected(client, session):
    _user(session, Role.TEACHER)
    response = client.post("/login", data={"email": "teacher@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
