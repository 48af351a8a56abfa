"""Freezes a streak earns; streaks and profiles brought forward by the passing of days alone."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update

from tests import factories as f
from webapp.models import StreakFreeze, UserStreak
from webapp.models.core.enums import FreezeOrigin
from webapp.services.freezes import grant_earned
from webapp.services.rollover import new_day, roll_streaks
from webapp.services.streaks import rebuild_streaks


def active_days(session, learner, backs) -> None:
    today = datetime.now(UTC).date()
    for back in backs:
        at = datetime.combine(today - timedelta(days=back), time(0, 10), tzinfo=UTC)
        f.make_session(session, user=learner, started_at=at, ended_at=at + timedelta(minutes=5))


def test_every_seventh_day_earns_one_freeze_while_there_is_room(session) -> None:
    seven, eight, full = (f.make_learner(session, timezone="UTC") for _ in range(3))
    active_days(session, seven, range(7))
    active_days(session, eight, range(8))
    active_days(session, full, range(7))
    for _ in range(2):
        f.make_streak_freeze(
            session,
            user=full,
            origin=FreezeOrigin.GRANTED,
            acquired_at=datetime.now(UTC) - timedelta(days=30),
        )
    rebuild_streaks(session, [seven.id, eight.id, full.id])
    assert session.get(UserStreak, full.id).freezes_equipped == 2
    counts = grant_earned(session)
    assert counts["freezes_granted"] == 1
    earned = session.scalars(
        select(StreakFreeze.user_id).where(StreakFreeze.origin == FreezeOrigin.EARNED)
    ).all()
    assert earned == [seven.id]
    session.expire_all()
    assert session.get(UserStreak, seven.id).freezes_equipped == 1
    assert grant_earned(session)["freezes_granted"] == 0  # once for the day the streak reached 7


def test_a_missed_local_day_ends_the_streak_at_the_next_rollover(session) -> None:
    learner = f.make_learner(session, timezone="UTC")
    active_days(session, learner, (2, 3, 4))
    rebuild_streaks(session, [learner.id], today=datetime.now(UTC).date() - timedelta(days=2))
    yesterday = datetime.now(UTC) - timedelta(days=1)
    session.execute(update(UserStreak).where(UserStreak.user_id == learner.id).values(updated_at=yesterday))
    assert session.get(UserStreak, learner.id).current_length == 3
    assert roll_streaks(session)["candidates"] == 1
    session.expire_all()
    assert session.get(UserStreak, learner.id).current_length == 0
    assert roll_streaks(session)["candidates"] == 0  # nothing running any more


def test_the_new_day_snapshots_the_current_periods_and_profiles(session) -> None:
    learner = f.make_learner(session, timezone="UTC")
    f.make_leaderboard(session)
    active_days(session, learner, (0,))
    f.make_points_transaction(session, user=learner, amount=10, created_at=datetime.now(UTC))
    counts = new_day(session)
    assert counts == {"leaderboard_entries": 1, "engagement_profiles": 1}
    assert new_day(session) == {"leaderboard_entries": 0, "engagement_profiles": 0}
