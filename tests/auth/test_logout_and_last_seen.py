"""Logging out says so on the login page; logging in fills "Last seen" on the staff accounts."""

from datetime import UTC, datetime

from tests import factories as f
from tests.admin.support import staff_client
from tests.helpers import csrf_token_from, login, logout
from webapp.models import User


def test_logging_out_says_so_on_the_login_page(app, session):
    client, _ = staff_client(app, session, "teacher")
    response = logout(client, page="/reports/saved")
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<div class="alert alert-success" role="alert">You have logged out.</div>' in html
    assert "You have logged out." not in client.get("/login").get_data(as_text=True)  # said once


def test_a_visitor_who_was_not_signed_in_is_not_told_they_logged_out(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "You have logged out." not in client.get("/login").get_data(as_text=True)


def test_logging_in_fills_last_seen(app, session):
    teacher = f.make_teacher(session)
    session.commit()
    assert teacher.last_seen_at is None
    before = datetime.now(UTC)
    assert login(app.test_client(), teacher.email).status_code == 302
    session.expire_all()
    seen = session.get(User, teacher.id).last_seen_at
    assert seen is not None
    assert before <= seen <= datetime.now(UTC)


def test_a_failed_login_leaves_last_seen_alone(app, session):
    teacher = f.make_teacher(session)
    session.commit()
    assert login(app.test_client(), teacher.email, "wrong password").status_code == 200
    session.expire_all()
    assert session.get(User, teacher.id).last_seen_at is None


def test_the_staff_list_shows_last_seen(app, session):
    teacher = f.make_teacher(session, display_name="Meera Iyer")
    session.commit()
    login(app.test_client(), teacher.email)
    session.expire_all()
    seen = session.get(User, teacher.id).last_seen_at
    admin, _ = staff_client(app, session, "admin")
    html = admin.get("/admin/staffaccount/").get_data(as_text=True)
    row = html[html.index("Meera Iyer") :]
    assert f"{seen:%Y-%m-%d %H:%M}" in row[: row.index("</tr>")]
