"""Notifications in the learner's locale: hi-IN, then hi, then en; the editor's locale gaps."""

from collections import Counter

from sqlalchemy import select

from tests import factories as f
from webapp.models import Notification
from webapp.models.core.enums import Channel, NotificationCategory
from webapp.services import template_locales
from webapp.services.notify import Event, canonical_locale, create, locale_chain


def template(session, locale: str, body: str, channel=Channel.PUSH, key="streak_reminder"):
    return f.make_template(
        session, key=key, channel=channel, locale=locale, category=NotificationCategory.STREAK, body=body
    )


def sent(session, learner) -> tuple[str, str]:
    row = session.execute(
        select(Notification.locale, Notification.body).where(Notification.recipient_id == learner.id)
    ).one()
    return tuple(row)


def notify(session, *learners) -> None:
    events = [Event(u.id, "streak_reminder", f"k:{u.id}", {"streak_days": 4}) for u in learners]
    create(session, events)
    session.expire_all()


def test_the_chain_is_the_locale_its_language_then_english() -> None:
    assert locale_chain("hi-IN") == ["hi-IN", "hi", "en"]
    assert locale_chain("hi_in") == ["hi-IN", "hi", "en"]
    assert locale_chain("HI") == ["hi", "en"]
    assert locale_chain("") == ["en"]
    assert canonical_locale("zh_hant_tw") == "zh-Hant-TW"


def test_a_hi_in_learner_with_only_an_english_template_gets_english(session) -> None:
    template(session, "en", "Your streak is {{ streak_days }} days")
    learner = f.make_learner(session, locale="hi-IN")
    notify(session, learner)
    assert sent(session, learner) == ("en", "Your streak is 4 days")


def test_a_hi_in_learner_gets_the_hindi_template_when_there_is_one(session) -> None:
    template(session, "en", "Your streak is {{ streak_days }} days")
    template(session, "hi", "आपकी लगातार पढ़ाई {{ streak_days }} दिन से चल रही है")
    hindi, english = f.make_learner(session, locale="hi-IN"), f.make_learner(session, locale="en")
    notify(session, hindi, english)
    assert sent(session, hindi) == ("hi", "आपकी लगातार पढ़ाई 4 दिन से चल रही है")
    assert sent(session, english) == ("en", "Your streak is 4 days")


def test_the_exact_locale_wins_over_its_language_whatever_its_spelling(session) -> None:
    template(session, "en", "en")
    template(session, "hi", "hi")
    template(session, "hi_in", "hi-IN")  # an operator's spelling of hi-IN
    learner = f.make_learner(session, locale="hi-IN")
    notify(session, learner)
    assert sent(session, learner) == ("hi-IN", "hi-IN")


def test_gaps_name_the_languages_learners_would_miss() -> None:
    learners = Counter({"hi-IN": 3, "hi": 2, "en": 5, "ta": 1})
    assert template_locales.gaps(["en"], learners) == [
        template_locales.Gap("hi", 5, "en"),
        template_locales.Gap("ta", 1, "en"),
    ]
    assert template_locales.gaps(["hi"], Counter({"hi-IN": 3, "en": 5})) == [
        template_locales.Gap("en", 5, None)
    ]
    assert template_locales.gaps(["en", "hi"], Counter({"hi-IN": 3, "en": 5})) == []
    assert template_locales.gaps([], Counter()) == []


def test_key_locales_and_learner_locales_read_the_database(session) -> None:
    template(session, "en", "a")
    template(session, "hi_IN", "b")
    template(session, "ta", "c", channel=Channel.EMAIL)
    f.make_template(session, key="streak_reminder", channel=Channel.PUSH, locale="mr", is_active=False)
    f.make_learner(session, locale="hi-IN")
    f.make_learner(session, locale="hi_in")
    f.make_learner(session, locale="en", is_active=False)
    assert template_locales.key_locales(session) == {
        ("streak_reminder", "push"): ["en", "hi-IN"],
        ("streak_reminder", "email"): ["ta"],
    }
    assert template_locales.learner_locales(session) == Counter({"hi-IN": 2})
