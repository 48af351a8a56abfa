"""The teachers' digest in the teacher's locale: Hindi texts, Indian digit grouping; English otherwise."""

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.digest.test_digest import SEVEN_AM, run_digest, world  # noqa: F401 - the fixture
from webapp.digest.mail import digest_locale, render_digest
from webapp.models import Notification
from webapp.services.digest import KPIS, GroupDigest

MONDAY = date(2024, 6, 3)


def section(**figures) -> GroupDigest:
    values = dict.fromkeys(KPIS, (0, 0))
    values.update(figures)
    return GroupDigest(7, "कक्षा 7 विज्ञान", values, [], None)


@pytest.mark.parametrize(
    ("locale", "chosen"), [("hi", "hi"), ("hi-IN", "hi"), ("hi_IN", "hi"), ("en-IN", "en_IN"), ("en", "en"),
                           ("ta", "en"), ("", "en")],
)  # fmt: skip
def test_the_digest_locale_falls_back_to_english(session, locale, chosen):
    assert digest_locale(f.make_teacher(session, locale=locale)) == chosen


def render(app, teacher, *sections):
    with app.test_request_context("/", base_url="https://admin.example.org"):
        return render_digest(teacher, MONDAY, list(sections))


def test_a_hindi_teachers_digest_is_in_hindi_with_indian_grouping(app, session):
    teacher = f.make_teacher(session, locale="hi-IN", display_name="आशा अय्यर")
    subject, text, html, _unsubscribe = render(
        app, teacher, section(points_earned=(123456, 61728), learning_minutes=(1234567, None))
    )
    assert subject == "आपके समूहों का सप्ताह: 27 मई से 2 जून 2024"
    for body in (text, html):
        assert "नमस्ते आशा अय्यर," in body
        assert "अर्जित अंक" in body  # a figure's label
        assert "सप्ताह में समूह के शिक्षार्थियों के अर्जित अंक।" in body  # and its definition
        assert "1,23,456" in body
        assert "61,728" in body
        assert "12,34,567" in body
        assert "+100%" in body
        assert "सोमवार 27 मई" in body
        assert "सदस्यता छोड़ें" in body
        for english in ("Hello", "Points earned", "Unsubscribe", "Monday", "123,456"):
            assert english not in body, english
    assert "पिछला सप्ताह" in html  # the table's heading
    assert '<html lang="hi">' in html
    assert "पिछले सप्ताह इस समूह में कोई नया शिक्षार्थी जोखिम में नहीं आया।" in html


def test_an_english_teacher_keeps_english_and_en_in_groups_the_indian_way(app, session):
    english = f.make_teacher(session, locale="en")
    _subject, text, _html, _u = render(app, english, section(points_earned=(123456, 61728)))
    assert "Points earned: 123,456 (+100% on the week before: 61,728)" in text
    indian = f.make_teacher(session, locale="en-IN")
    _subject, text, _html, _u = render(app, indian, section(points_earned=(123456, 61728)))
    assert "Points earned: 1,23,456 (+100% on the week before: 61,728)" in text


def test_the_queued_digest_is_in_the_teachers_locale(session, world):  # noqa: F811 - the fixture
    world["teacher"].locale = "hi"
    session.commit()
    assert run_digest(SEVEN_AM)["digests_queued"] == 1
    (row,) = session.scalars(select(Notification)).all()
    assert row.locale == "hi"
    assert row.subject.startswith("आपके समूहों का सप्ताह")
    assert "नए जोखिम वाले शिक्षार्थी (3 जून 2024 तक): 1" in row.body
    assert "पढ़ाई के सत्र: 3 (+200%; उससे पहले के सप्ताह में: 1)" in row.body


def test_the_unsubscribe_page_is_in_the_language_of_its_link(app, client, session):
    from webapp.digest import unsubscribe_token

    hindi, english = f.make_teacher(session, locale="hi"), f.make_teacher(session, locale="en")
    session.commit()
    with app.test_request_context():
        links = [f"/digest/unsubscribe/{unsubscribe_token(u.id)}" for u in (hindi, english)]
    hindi_link, english_link = links
    page = client.get(hindi_link).get_data(as_text=True)
    assert '<html lang="hi">' in page
    assert "साप्ताहिक सारांश की सदस्यता छोड़ें" in page
    done = client.post(hindi_link).get_data(as_text=True)
    assert "हो गया: अब आपको साप्ताहिक सारांश नहीं मिलेगा।" in done
    assert "Unsubscribe from the weekly digest" in client.get(english_link).get_data(as_text=True)


def test_the_at_risk_rules_and_details_are_in_hindi(app, session):
    from webapp.services.analytics.risk import DETAILS, RULES

    teacher = f.make_teacher(session, locale="hi")
    title, explanation = RULES["went_quiet"]
    flagged = {"user_id": 5, "name": "बॉब", "rules": [{
        "rule": "went_quiet", "title": title, "explanation": explanation,
        "detail": DETAILS["went_quiet"].format(days=9, idle=7),
    }]}  # fmt: skip
    group = GroupDigest(7, "कक्षा 7", dict.fromkeys(KPIS, (1, 1)), [flagged], MONDAY)
    _subject, text, html, _u = render(app, teacher, group)
    for body in (text, html):
        assert "बॉब" in body
        assert "निष्क्रिय हो गए" in body
        assert "पहले के 4 सप्ताहों में 9 सक्रिय दिन; 7 दिन से निष्क्रिय" in body
        assert "Went quiet" not in body
        assert "idle" not in body
        assert "active days" not in body
