"""Figures that were wrong once (issue 9), each against the raw rows that show it.

Streak broken fired on a streak still alive and counted freeze days as streak days;
low mastery as of a past day read today's mastery; quiz figures counted unsubmitted
attempts on the day they started; a refresh of a past range made newer retention
cohorts older.
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tests import factories as f
from webapp.extensions import db
from webapp.models import DailyMetric, LearnerDay, LearnerRiskFlag, RetentionCohort, UserStreak
from webapp.models.core.enums import Difficulty
from webapp.services.analytics import features
from webapp.services.analytics.rollups import refresh
from webapp.services.mastery import rebuild_mastery
from webapp.services.streaks import rebuild_streaks


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def _study(session, learner, days: list[date], hour: int = 10) -> None:
    """A completed 20-minute session at `hour` UTC on each day (the learners here live in UTC)."""
    for day in days:
        f.make_session(session, user=learner, started_at=datetime.combine(day, time(hour), tzinfo=UTC))


def _flags(session, user_id: int, as_of: date, rule: str) -> list[LearnerRiskFlag]:
    session.expire_all()
    query = select(LearnerRiskFlag).where(
        LearnerRiskFlag.user_id == user_id, LearnerRiskFlag.as_of == as_of, LearnerRiskFlag.rule == rule
    )
    return list(session.scalars(query))


def _evaluate(session, learner, first: date, as_of: date) -> None:
    """Rebuild the learner's streak as of as_of and refresh the rollups and flags up to it."""
    session.commit()
    rebuild_streaks(session, [learner.id], today=as_of)
    session.commit()
    refresh(db.engine, first, as_of, today=as_of + timedelta(days=1))


# 1. "Streak broken" fired on a streak that is still alive -------------------------------


def test_a_streak_kept_up_to_yesterday_is_not_broken_today(session):
    pupil = f.make_learner(session, timezone="UTC")
    _study(session, pupil, _days(date(2024, 3, 1), date(2024, 3, 8)))
    _evaluate(session, pupil, date(2024, 2, 20), date(2024, 3, 9))
    assert session.get(UserStreak, pupil.id).current_length == 8  # the learner page says 8
    assert _flags(session, pupil.id, date(2024, 3, 9), "streak_broken") == []


def test_a_streak_is_broken_once_a_whole_day_is_missed(session):
    pupil = f.make_learner(session, timezone="UTC")
    _study(session, pupil, _days(date(2024, 3, 1), date(2024, 3, 8)))
    _evaluate(session, pupil, date(2024, 2, 20), date(2024, 3, 10))
    (flag,) = _flags(session, pupil.id, date(2024, 3, 10), "streak_broken")
    assert flag.value == 8


# 2. "Streak broken" counted freeze days as streak days -----------------------------------


def _freezes(session, learner, n: int) -> None:
    for _ in range(n):
        f.make_streak_freeze(session, user=learner, acquired_at=datetime(2024, 10, 20, 8, tzinfo=UTC))


def test_a_broken_streak_counts_its_active_days_not_its_freeze_days(session):
    pupil = f.make_learner(session, timezone="UTC")
    _freezes(session, pupil, 1)
    _study(
        session,
        pupil,
        _days(date(2024, 10, 21), date(2024, 10, 24)) + _days(date(2024, 10, 26), date(2024, 10, 28)),
    )
    _evaluate(session, pupil, date(2024, 10, 1), date(2024, 10, 31))
    assert session.get(UserStreak, pupil.id).longest_length == 7
    (flag,) = _flags(session, pupil.id, date(2024, 10, 31), "streak_broken")
    assert flag.value == 7


def test_six_active_days_bridged_by_freezes_are_below_the_threshold(session):
    pupil = f.make_learner(session, timezone="UTC")
    _freezes(session, pupil, 2)
    _study(
        session,
        pupil,
        _days(date(2024, 10, 21), date(2024, 10, 23)) + _days(date(2024, 10, 26), date(2024, 10, 28)),
    )
    _evaluate(session, pupil, date(2024, 10, 1), date(2024, 10, 31))
    assert session.get(UserStreak, pupil.id).longest_length == 6
    assert _flags(session, pupil.id, date(2024, 10, 31), "streak_broken") == []


# 3. "Low mastery" as of a past day used today's mastery ----------------------------------


def _quiz(session, learner, skill, day: date, percent: int) -> None:
    at = datetime.combine(day, time(9), tzinfo=UTC)
    f.make_quiz_attempt(
        session, user=learner, skill=skill, started_at=at, submitted_at=at + timedelta(minutes=10),
        score=percent, max_score=100, difficulty=Difficulty.MEDIUM,
    )  # fmt: skip


def test_low_mastery_as_of_a_past_day_reads_the_mastery_of_that_day(session):
    pupil, skill = f.make_learner(session, timezone="UTC"), f.make_skill(session)
    as_of = date(2024, 5, 31)
    for day, percent in ((date(2024, 5, 3), 60), (date(2024, 5, 10), 60), (date(2024, 5, 20), 30),
                         (date(2024, 5, 25), 30)):  # fmt: skip
        _quiz(session, pupil, skill, day, percent)
    for k in range(10):  # practice after the as-of day lifts today's mastery far above 0.4
        _quiz(session, pupil, skill, as_of + timedelta(days=1 + k), 100)
    session.commit()
    rebuild_mastery(session)
    session.commit()
    refresh(db.engine, date(2024, 4, 15), as_of, today=date(2024, 6, 12))
    (flag,) = _flags(session, pupil.id, as_of, "low_mastery")
    assert flag.value < 0.4  # mastery as of May 31: 0.279 (0.98 today)


# 5. A refresh of a past range made newer retention cohorts older -------------------------


def test_a_backfill_of_a_past_range_keeps_the_newer_cohorts(session):
    today = date(2024, 4, 1)  # a Monday
    for week in range(8):
        learner = f.make_learner(session, timezone="UTC")  # one new learner a week, active twice
        first = date(2024, 2, 5) + timedelta(weeks=week)
        _study(session, learner, [first, first + timedelta(days=8)])
    session.commit()
    refresh(db.engine, today=today)
    weeks = set(session.scalars(select(RetentionCohort.cohort_week).where(RetentionCohort.scope == "all")))
    assert max(weeks) == date(2024, 3, 25)
    refresh(db.engine, date(2024, 2, 5), date(2024, 2, 14), today=today)
    session.expire_all()
    after = set(session.scalars(select(RetentionCohort.cohort_week).where(RetentionCohort.scope == "all")))
    assert after == weeks


# 6. Quiz figures counted unsubmitted attempts on the day they started ---------------------


def test_quiz_figures_count_submitted_attempts_on_the_day_submitted(session):
    pupil = f.make_learner(session, timezone="Asia/Kolkata")
    # Started 23:50 IST on 1 March and given up: a partial score, never submitted.
    f.make_quiz_attempt(
        session, user=pupil, started_at=datetime(2024, 3, 1, 18, 20, tzinfo=UTC), submitted_at=None,
        score=10, max_score=50,
    )  # fmt: skip
    # Started 23:55 IST on 1 March, submitted 00:20 IST on 2 March: 40 of 50.
    f.make_quiz_attempt(
        session, user=pupil, started_at=datetime(2024, 3, 1, 18, 25, tzinfo=UTC),
        submitted_at=datetime(2024, 3, 1, 18, 50, tzinfo=UTC), score=40, max_score=50,
    )  # fmt: skip
    session.commit()
    refresh(db.engine, date(2024, 2, 28), date(2024, 3, 3), today=date(2024, 3, 4))
    session.expire_all()
    days = {d.day: d for d in session.scalars(select(LearnerDay).where(LearnerDay.user_id == pupil.id))}
    assert date(2024, 3, 1) not in days or days[date(2024, 3, 1)].quiz_attempts == 0
    assert (days[date(2024, 3, 2)].quiz_attempts, days[date(2024, 3, 2)].quiz_percent_sum) == (1, 80.0)
    metric = session.scalars(
        select(DailyMetric).where(DailyMetric.scope == "all", DailyMetric.day == date(2024, 3, 2))
    ).one()
    assert metric.avg_quiz_score == 80.0
    (row,) = features.compute(session, date(2024, 3, 2))
    assert (row["quiz_attempts_30d"], row["quiz_accuracy_30d"]) == (1, 0.8)
    assert features.compute(session, date(2024, 3, 1)) == []  # nothing submitted by then
