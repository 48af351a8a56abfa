"""The local-day rule: one function, its memoised form for bulk writers, the ORM hook, relocalising."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests import factories as f
from webapp.models import ChangeMark, LearningSession, QuizAttempt
from webapp.services.relocalise import relocalise
from webapp.services.timezones import LocalClock, local_day_hour

ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "America/Los_Angeles", "Europe/London", "Pacific/Chatham",
         "Australia/Lord_Howe", "America/St_Johns", "UTC", "Africa/Monrovia", "Not/AZone"]  # fmt: skip


@settings(deadline=None, max_examples=400)
@given(
    moment=st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
)
def test_the_memoised_clock_agrees_with_the_rule(moment, zone):
    """Including quarter hours in which an offset changes (summer time, historic odd offsets)."""
    clock = LocalClock()
    assert clock.at(moment, zone) == local_day_hour(moment, zone)
    epoch = int(moment.timestamp())
    assert clock.at_epoch(epoch, zone) == local_day_hour(datetime.fromtimestamp(epoch, UTC), zone)


def test_around_a_summer_time_change_every_minute_agrees():
    clock, start = LocalClock(), datetime(2026, 3, 8, 9, 0, tzinfo=UTC)  # 02:00 in Los Angeles jumps to 03:00
    for minute in range(0, 180):
        moment = start + timedelta(minutes=minute, seconds=7)
        expected = moment.astimezone(ZoneInfo("America/Los_Angeles"))
        assert clock.at(moment, "America/Los_Angeles") == (expected.date(), expected.hour)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="naive"):
        local_day_hour(datetime(2026, 1, 1), "UTC")


def test_rows_written_through_the_orm_get_their_local_day(session):
    learner = f.make_learner(session, timezone="Asia/Kolkata")
    row = f.make_session(session, user=learner, started_at=datetime(2026, 1, 9, 18, 40, tzinfo=UTC))
    assert (row.local_day, row.local_hour) == (date(2026, 1, 10), 0)
    quiz = f.make_quiz_attempt(session, user=learner, started_at=datetime(2026, 1, 9, 17, 0, tzinfo=UTC),
                               submitted_at=None)  # fmt: skip
    assert quiz.local_day == date(2026, 1, 9)
    quiz.submitted_at = datetime(2026, 1, 9, 19, 0, tzinfo=UTC)  # 00:30 on the 10th in Kolkata
    session.flush()
    assert (quiz.local_day, quiz.local_hour) == (date(2026, 1, 10), 0)


def test_a_wrong_zone_fixed_later_moves_the_stored_days_and_marks_them(session):
    learner = f.make_learner(session, timezone="America/Los_Angeles")
    f.make_session(session, user=learner, started_at=datetime(2026, 1, 9, 18, 40, tzinfo=UTC))
    f.make_quiz_attempt(session, user=learner, started_at=datetime(2026, 1, 9, 18, 0, tzinfo=UTC),
                        submitted_at=datetime(2026, 1, 9, 18, 30, tzinfo=UTC))  # fmt: skip
    session.commit()
    assert session.scalar(select(LearningSession.local_day)) == date(2026, 1, 9)
    learner.timezone = "Asia/Kolkata"
    session.commit()
    assert session.scalar(select(LearningSession.local_day)) == date(2026, 1, 9)  # kept as written
    assert relocalise(session, learner.id) == 2
    assert session.scalar(select(LearningSession.local_day)) == date(2026, 1, 10)
    assert session.scalar(select(QuizAttempt.local_day)) == date(2026, 1, 10)
    marked = set(session.scalars(select(ChangeMark.day).where(ChangeMark.consumer == "refresh")))
    assert marked == {date(2026, 1, 9), date(2026, 1, 10)}
    assert relocalise(session, learner.id) == 0


def test_the_relocalise_command_names_the_learner_by_id_or_email(runner, session):
    learner = f.make_learner(session, timezone="UTC", external_id="L-7", email="asha@example.org")
    f.make_session(session, user=learner, started_at=datetime(2026, 1, 9, 18, 40, tzinfo=UTC))
    learner.timezone = "Asia/Kolkata"
    session.commit()
    result = runner.invoke(args=["analytics", "relocalise", "L-7"])
    assert result.exit_code == 0, result.output
    assert "1 rows moved" in result.output
    assert runner.invoke(args=["analytics", "relocalise", "ASHA@example.org"]).exit_code == 0
    missing = runner.invoke(args=["analytics", "relocalise", "nobody"])
    assert missing.exit_code == 1
    assert "no learner" in missing.output
