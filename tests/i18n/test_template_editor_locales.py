"""The template editor shows each key's locales and warns (never refuses) about a language learners miss."""

import pytest

from tests import factories as f
from tests.admin.support import staff_client, token
from webapp.models import NotificationTemplate
from webapp.models.core.enums import Channel


@pytest.fixture
def operator(app, session):
    client, _user = staff_client(app, session, "operator")
    return client


def key_templates(session, *locales, key="streak_reminder", channel=Channel.PUSH):
    return [f.make_template(session, key=key, channel=channel, locale=loc, body=f"{loc}") for loc in locales]


def test_the_list_shows_each_keys_locales_and_a_warning_badge(operator, session):
    key_templates(session, "en", "hi")
    key_templates(session, "en", key="badge_awarded")
    f.make_learner(session, locale="hi-IN")
    f.make_learner(session, locale="en")
    session.commit()
    html = operator.get("/admin/notificationtemplate/").get_data(as_text=True)
    assert "Locales of this key" in html
    assert html.count("en, hi") == 2  # both rows of streak_reminder
    # badge_awarded has no Hindi: a badge names it, with the sentence as its title.
    assert html.count('class="badge badge-warning"') == 1
    assert ">no hi</span>" in html
    assert "1 learner with the language “hi” gets this message in “en”" in html


def test_the_edit_form_lists_the_locales_and_warns_about_a_missing_one(operator, session):
    (english,) = key_templates(session, "en")
    for _ in range(3):
        f.make_learner(session, locale="hi-IN")
    session.commit()
    page = operator.get(f"/admin/notificationtemplate/edit/?id={english.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="template-locales"' in html
    assert "Locales of the key streak_reminder on this channel:" in html
    assert 'class="alert alert-warning" id="template-locale-warnings"' in html
    assert "3 learners with the language “hi” get this message in “en”" in html
    details = operator.get(f"/admin/notificationtemplate/details/?id={english.id}").get_data(as_text=True)
    assert "3 learners with the language “hi” get this message in “en”" in details


def test_a_missing_english_version_is_warned_about_and_saving_still_works(operator, session):
    f.make_learner(session, locale="en")
    session.commit()
    data = {
        "csrf_token": token(operator, "/admin/notificationtemplate/new/"),
        "key": "weekly_summary", "channel": "push", "locale": "hi", "category": "reminder",
        "subject": "", "body": "आपका साप्ताहिक सारांश तैयार है", "is_active": "y",
    }  # fmt: skip
    response = operator.post("/admin/notificationtemplate/new/?url=/admin/", data=data)
    assert response.status_code == 302  # a warning, never a refusal
    saved = session.query(NotificationTemplate).filter_by(key="weekly_summary").one()
    html = operator.get(f"/admin/notificationtemplate/edit/?id={saved.id}").get_data(as_text=True)
    assert "1 learner with the language “en” gets no message" in html


def test_no_warning_when_every_learners_language_is_there(operator, session):
    (english, _hindi) = key_templates(session, "en", "hi_IN")
    f.make_learner(session, locale="hi-IN")
    f.make_learner(session, locale="en")
    session.commit()
    html = operator.get(f"/admin/notificationtemplate/edit/?id={english.id}").get_data(as_text=True)
    assert "en, hi-IN" in html
    assert "template-locale-warnings" not in html


def test_the_warning_is_in_hindi_for_a_hindi_operator(app, session):
    client, _user = staff_client(app, session, "operator", locale="hi")
    (english,) = key_templates(session, "en")
    f.make_learner(session, locale="hi")
    session.commit()
    html = client.get(f"/admin/notificationtemplate/edit/?id={english.id}").get_data(as_text=True)
    assert "इस चैनल पर कुंजी streak_reminder के लोकेल:" in html
    assert "भाषा “hi” वाले 1 शिक्षार्थी को यह संदेश “en” में मिलता है" in html
    listing = client.get("/admin/notificationtemplate/").get_data(as_text=True)
    assert "इस कुंजी के लोकेल" in listing
    assert ">hi नहीं</span>" in listing
