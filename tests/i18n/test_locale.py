"""Which language a page is in: the staff member's choice > Accept-Language > English."""

import pytest

from tests.factories import make_teacher
from tests.helpers import csrf_token_from, login, logout
from webapp.extensions import db
from webapp.i18n import parse
from webapp.models import User

HINDI = {"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.8"}


def html_lang(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def choose(client, code: str, page: str = "/"):
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post("/language", data={"language": code, "csrf_token": token, "next": page})


@pytest.mark.parametrize(
    ("tag", "locale"),
    [("hi", "hi"), ("hi-IN", "hi"), ("en", "en"), ("en-GB", "en"), ("en-IN", "en_IN"), ("en_in", "en_IN"),
     ("fr", None), ("", None), (None, None)],
)  # fmt: skip
def test_parse(tag, locale):
    assert parse(tag) == locale


def test_login_page_follows_accept_language(client):
    assert html_lang(client.get("/login")) == "en"
    page = client.get("/login", headers=HINDI)
    assert html_lang(page) == "hi"
    assert "लॉग इन" in page.get_data(as_text=True)
    # The best offered language of the list wins; unknown ones are passed over.
    assert html_lang(client.get("/login", headers={"Accept-Language": "fr, hi;q=0.5, en;q=0.4"})) == "hi"
    assert html_lang(client.get("/login", headers={"Accept-Language": "fr, de"})) == "en"


def test_setting_beats_accept_language_and_outlives_the_session(app, client, session):
    teacher = make_teacher(session, email="t@example.org")
    login(client, "t@example.org")
    # No choice yet: the browser's language.
    assert html_lang(client.get("/", headers=HINDI)) == "hi"
    assert html_lang(client.get("/")) == "en"
    response = choose(client, "hi", "/reports/engagement?range=7")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/engagement?range=7")
    assert html_lang(client.get("/")) == "hi"
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "hi"
    stored = db.session.get(User, teacher.id)
    assert stored.locale == "hi"
    assert stored.locale_chosen_at is not None
    # A new session (another browser, after logging out) keeps it.
    logout(client, "/")
    other = app.test_client()
    login(other, "t@example.org")
    assert html_lang(other.get("/", headers={"Accept-Language": "en"})) == "hi"
    # Choosing English explicitly beats a Hindi browser too.
    choose(other, "en")
    assert html_lang(other.get("/", headers=HINDI)) == "en"


def test_switch_refuses_unknown_languages_and_anonymous_visitors(client, session):
    make_teacher(session, email="t@example.org")
    login(client, "t@example.org")
    assert choose(client, "fr").status_code == 400
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/language", data={"language": "hi"}).status_code == 400  # no CSRF token
    assert client.post("/language", data={"language": "hi", "csrf_token": token, "next": "//evil.example"}
                       ).headers["Location"] == "/"  # fmt: skip
    logout(client, "/")
    response = client.post("/language", data={"language": "hi", "csrf_token": token})
    assert response.status_code in (302, 400)  # to the login page, or a CSRF refusal of the stale token


def test_en_in_groups_digits_the_indian_way(app):
    from flask_babel import force_locale

    from webapp.i18n import number

    with app.test_request_context("/"):
        with force_locale("en_IN"):
            assert number(1234567) == "12,34,567"
        with force_locale("hi"):
            assert number(123456.5, 1) == "1,23,456.5"
        with force_locale("en"):
            assert number(1234567) == "1,234,567"
