"""Staff sessions end after 30 idle minutes and 8 hours after the login; signed-in pages are no-store."""

import time

import pytest

from tests import factories as f
from tests.admin.support import staff_client
from tests.helpers import login
from webapp.auth.sessions import LOGIN_AT, SEEN_AT


def _age(client, **seconds_ago) -> None:
    """Move the session's clocks into the past."""
    with client.session_transaction() as sess:
        for key, ago in seconds_ago.items():
            sess[key] = time.time() - ago


def test_an_active_session_stays_open(app, session):
    client, _ = staff_client(app, session, "operator")
    _age(client, _seen_at=29 * 60, _login_at=7 * 3600)
    assert client.get("/admin/").status_code == 200
    with client.session_transaction() as sess:
        assert time.time() - sess[SEEN_AT] < 60  # this request counted as activity


def test_thirty_idle_minutes_end_the_session(app, session):
    client, _ = staff_client(app, session, "operator")
    _age(client, _seen_at=31 * 60)
    response = client.get("/admin/badge/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    page = client.get("/login").get_data(as_text=True)
    assert "logged out after 30 minutes without activity" in page
    assert client.get("/admin/").status_code == 302  # and it stays ended


def test_eight_hours_after_the_login_the_session_ends_however_active(app, session):
    client, _ = staff_client(app, session, "teacher")
    _age(client, _login_at=8 * 3600 + 60, _seen_at=10)
    response = client.get("/reports/engagement")
    assert response.status_code == 302
    assert "logged out 8 hours after logging in" in client.get("/login").get_data(as_text=True)


def test_the_idle_limit_is_configurable(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    client, _ = staff_client(app, session, "operator")
    _age(client, _seen_at=6 * 60)
    assert client.get("/admin/").status_code == 302


def test_a_session_without_its_clocks_is_ended(app, session):
    client, _ = staff_client(app, session, "operator")
    with client.session_transaction() as sess:
        del sess[LOGIN_AT]
    assert client.get("/admin/").status_code == 302


SIGNED_IN_PAGES = ["/", "/reports/engagement", "/admin/", "/admin/badge/", "/admin/badge/export/csv/"]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_and_exports_are_not_stored(app, session, path):
    client, _ = staff_client(app, session, "admin")
    f.make_badge(session)
    session.commit()
    response = client.get(path)
    try:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    finally:
        response.close()


def test_assets_stay_cacheable_for_signed_in_users(app, session):
    client, _ = staff_client(app, session, "admin")
    for path in ("/static/app.css", "/vendor/bootstrap.min.css"):
        response = client.get(path)
        response.close()
        assert "no-store" not in response.headers.get("Cache-Control", ""), path


def test_the_login_sets_both_clocks(app, session):
    user = f.make_teacher(session)
    session.commit()
    client = app.test_client()
    login(client, user.email)
    with client.session_transaction() as sess:
        assert abs(sess[LOGIN_AT] - time.time()) < 60
        assert sess[SEEN_AT] >= sess[LOGIN_AT]
