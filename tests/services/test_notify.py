"""Triggers: templates in the learner's locale with fallback, preferences, local evening, once each."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests import factories as f
from webapp.models import Notification
from webapp.models.core.enums import BadgeMetric, Channel, NotificationCategory
from webapp.services import marks
from webapp.services.engine_update import update_marked
from webapp.services.notify import Event, create, locale_chain, run_triggers

STREAK = NotificationCategory.STREAK


def template(session, key, channel=Channel.PUSH, locale="en", body=None, category=STREAK, subject=None):
    return f.make_template(
        session,
        key=key,
        channel=channel,
        locale=locale,
        category=category,
        subject=subject or "{{ first_name }}",
        body=body or f"{key} {locale}: {{{{ streak_days }}}}",
    )


def rows(session) -> list[tuple]:
    session.expire_all()
    query = select(
        Notification.recipient_id,
        Notification.channel,
        Notification.locale,
        Notification.body,
        Notification.idempotency_key,
    ).order_by(Notification.id)
    return [tuple(r) for r in session.execute(query)]


def test_the_locale_falls_back_to_the_language_then_english() -> None:
    assert locale_chain("hi-IN") == ["hi-IN", "hi", "en"]
    assert locale_chain("pt_BR") == ["pt-BR", "pt", "en"]
    assert locale_chain(None) == ["en"]


def test_each_learner_gets_their_locale_or_the_fallback(session) -> None:
    template(session, "streak_reminder", locale="en")
    template(session, "streak_reminder", locale="hi", body="Aapki streak {{ streak_days }} din ki hai")
    # A template that cannot render (saved before the editor checked it) falls back too.
    template(session, "streak_reminder", locale="ta", body="{{ unknown_variable }}")
    hindi, tamil, french = (f.make_learner(session, locale=loc) for loc in ("hi-IN", "ta", "fr"))
    events = [Event(u.id, "streak_reminder", f"k:{u.id}", {"streak_days": 4}) for u in (hindi, tamil, french)]
    assert create(session, events)["notifications"] == 3
    got = {r[0]: (r[2], r[3]) for r in rows(session)}
    assert got == {
        hindi.id: ("hi", "Aapki streak 4 din ki hai"),
        tamil.id: ("en", "streak_reminder en: 4"),
        french.id: ("en", "streak_reminder en: 4"),
    }


def test_one_row_per_allowed_channel_and_never_twice(session) -> None:
    for channel in (Channel.PUSH, Channel.IN_APP, Channel.EMAIL):
        template(
            session,
            "badge_awarded",
            channel=channel,
            category=NotificationCategory.BADGE,
            body="You earned {{ badge_name }}",
        )
    learner = f.make_learner(session)
    f.make_notification_preference(
        session, user=learner, channel=Channel.EMAIL, category=NotificationCategory.BADGE, is_enabled=False
    )
    event = Event(learner.id, "badge_awarded", f"badge:{learner.id}:7", {"badge_name": "Week Warrior"})
    assert create(session, [event])["notifications"] == 2
    assert create(session, [event])["notifications"] == 0
    assert sorted(r[1] for r in rows(session)) == [Channel.IN_APP, Channel.PUSH]
    assert {r[3] for r in rows(session)} == {"You earned Week Warrior"}


def evening_world(session, now_utc: datetime):
    template(session, "streak_reminder")
    found = {}
    for name, tz in (("kolkata", "Asia/Kolkata"), ("la", "America/Los_Angeles"), ("ny", "America/New_York")):
        learner = f.make_learner(session, timezone=tz)
        today = now_utc.astimezone(ZoneInfo(tz)).date()
        f.make_streak(
            session,
            user=learner,
            current_length=5,
            longest_length=5,
            last_active_on=today - timedelta(days=1),
        )
        found[name] = (learner, today)
    return found


def test_streak_at_risk_fires_in_each_learners_evening(session) -> None:
    now = datetime(2024, 6, 3, 14, 0, tzinfo=UTC)  # 19:30 in Kolkata, 07:00 in Los Angeles, 10:00 in NY
    world = evening_world(session, now)
    busy = f.make_learner(
        session, timezone="Asia/Kolkata"
    )  # active today already, by a mark the engine has yet to see
    f.make_streak(session, user=busy, current_length=3, longest_length=3, last_active_on=date(2024, 6, 2))
    marks.mark(session, [(busy.id, date(2024, 6, 3))])
    assert run_triggers(session, now)["streak_at_risk"] == 1
    (row,) = session.scalars(select(Notification)).all()
    kolkata, today = world["kolkata"]
    assert (row.recipient_id, row.idempotency_key) == (kolkata.id, f"streak_at_risk:{kolkata.id}:{today}")
    assert row.expires_at == datetime(2024, 6, 3, 18, 30, tzinfo=UTC)  # local midnight
    assert run_triggers(session, now + timedelta(minutes=5))["streak_at_risk"] == 0


def test_streak_at_risk_across_a_dst_change(session) -> None:
    # 2024-03-10, the day New York springs forward: 19:00 EDT is 23:00 UTC (not 00:00).
    now = datetime(2024, 3, 10, 23, 0, tzinfo=UTC)
    world = evening_world(session, now)
    run_triggers(session, now - timedelta(minutes=1))
    assert world["ny"][0].id not in {r[0] for r in rows(session)}  # 18:59 EDT: not yet
    run_triggers(session, now)
    ny = session.scalars(select(Notification).where(Notification.recipient_id == world["ny"][0].id)).one()
    assert ny.expires_at == datetime(2024, 3, 11, 4, 0, tzinfo=UTC)  # midnight EDT


def test_duels_received_and_weekly_summaries(session) -> None:
    template(session, "duel_challenge", category=NotificationCategory.DUEL, body="{{ first_name }}, a duel!")
    template(session, "weekly_summary", category=NotificationCategory.REMINDER, body="Your week")
    monday_8am_kolkata = datetime(2024, 6, 3, 2, 30, tzinfo=UTC)
    ann, bob = (
        f.make_learner(session, timezone="Asia/Kolkata"),
        f.make_learner(session, timezone="Asia/Kolkata"),
    )
    idle = f.make_learner(session, timezone="Asia/Kolkata")
    duel = f.make_duel(
        session,
        challenger=ann,
        opponent=bob,
        created_at=monday_8am_kolkata - timedelta(hours=1),
        expires_at=monday_8am_kolkata + timedelta(days=2),
    )
    f.make_streak_activity(session, user=ann, day=date(2024, 5, 31))
    f.make_streak_activity(session, user=idle, day=date(2024, 5, 20))  # not in the week before
    counts = run_triggers(session, monday_8am_kolkata)
    assert (counts["duel_received"], counts["weekly_summary"]) == (1, 1)
    got = {r[4]: r[0] for r in rows(session)}
    assert got == {f"duel_received:{duel.id}": bob.id, f"weekly_summary:{ann.id}:2024-06-03": ann.id}
    assert run_triggers(session, monday_8am_kolkata - timedelta(minutes=1) + timedelta(hours=1)) == {
        "streak_at_risk": 0,
        "duel_received": 0,
        "weekly_summary": 0,
    }


def test_the_engine_update_notifies_new_badges_and_milestones(session) -> None:
    template(session, "badge_awarded", category=NotificationCategory.BADGE, body="Badge: {{ badge_name }}")
    template(session, "streak_milestone", body="{{ streak_days }} days in a row!")
    learner = f.make_learner(session, timezone="UTC")
    f.make_badge(
        session, name="Three quizzes", criteria_metric=BadgeMetric.QUIZZES_PASSED, criteria_threshold=1
    )
    f.make_streak_milestone(session, days=2, points=10, badge=f.make_badge(session, criteria_threshold=10**6))
    today = datetime.now(UTC).date()
    for back in (1, 0):
        at = datetime.combine(today - timedelta(days=back), time(0, 5), tzinfo=UTC)
        f.make_quiz_attempt(session, user=learner, started_at=at, submitted_at=at + timedelta(minutes=1))
    marks.mark(session, [(learner.id, today - timedelta(days=1)), (learner.id, today)])
    session.commit()
    update_marked(session, today=today)
    bodies = sorted(r[3] for r in rows(session))
    assert bodies == [
        "2 days in a row!",
        "Badge: Three quizzes",
    ]  # the milestone's own badge is not told twice
