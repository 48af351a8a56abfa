"""The batched risk evaluation (one reading of the learner-days for many as-of days) against the
per-day one (two queries per day): the same flags, figures and details, day by day.

Minutes, focus scores and quiz percentages here are thirds and sevenths, so that their sums
round: both paths add a window's rows in day order, whatever order the learner-days were stored
in (here: the calendar's random order), and must then agree to the last bit.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from tests import factories as f
from tests.reports import dataset, support
from tests.services import test_risk_rules as rules
from webapp.extensions import db
from webapp.models import LearnerDay, LearnerRiskFlag, QuizAttempt, StreakActivity, StreakFreeze
from webapp.models.core.enums import FreezeOrigin, FreezeStatus, StreakSource
from webapp.services.analytics import risk
from webapp.services.analytics.sql import connection


def both_paths(days: list[date]) -> tuple[dict, dict]:
    with connection(db.engine) as (conn, dialect):
        batched = risk.evaluate_days(conn, dialect, days, batched=True)
        per_day = risk.evaluate_days(conn, dialect, days, batched=False)
    return batched, per_day


def same(flags: list[dict]) -> list[tuple]:
    """A day's flags in a fixed order (the paths list learners in different orders)."""
    return sorted((f["user_id"], f["rule"], f["value"], f["detail"]) for f in flags)


def assert_identical(batched: dict, per_day: dict) -> int:
    assert batched.keys() == per_day.keys()
    for day in per_day:
        assert same(batched[day]) == same(per_day[day]), day
    return sum(len(flags) for flags in per_day.values())


def store(session, user_id: int, spec: dict) -> None:
    """rules.store, with fractional minutes, focus scores and quiz percentages."""
    for day, r in rules.calendar(spec).items():
        session.add(
            LearnerDay(
                user_id=user_id, day=day, is_active=r["is_active"],
                learning_minutes=r["learning_minutes"] / 3, focus_sessions=r["focus_sessions"],
                focus_score_sum=r["focus_score"] * r["focus_sessions"] / 7,
                quiz_attempts=r["quiz_attempts"], quiz_percent_sum=r["quiz_percent"] / 3,
            )
        )  # fmt: skip
    active, frozen = rules.streak_days(spec)
    session.add_all(StreakActivity(user_id=user_id, day=d, source=StreakSource.SESSION) for d in active)
    session.add_all(
        StreakFreeze(user_id=user_id, origin=FreezeOrigin.EARNED, status=FreezeStatus.USED, used_on=d)
        for d in frozen
    )
    for k, q in enumerate(spec["quizzes"]):
        at = datetime.combine(rules.AS_OF - timedelta(days=q["offset"]), time(12), tzinfo=UTC)
        session.add(QuizAttempt(
            user_id=user_id, skill_id=rules.SKILLS[q["skill"]], started_at=at + timedelta(seconds=k),
            submitted_at=at + timedelta(seconds=k), score=q["percent"], max_score=100, total_questions=10,
            difficulty=q["difficulty"],
        ))  # fmt: skip


@settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(learners=st.lists(rules.learner, min_size=1, max_size=5), span=st.integers(1, 60))
def test_batched_and_per_day_flags_are_identical_over_random_calendars(session, learners, span):
    for model in (LearnerRiskFlag, LearnerDay, StreakActivity, StreakFreeze, QuizAttempt):
        session.execute(delete(model))
    rules.SKILLS[:] = [f.make_skill(session).id for _ in range(2)]
    for spec in learners:
        store(session, f.make_learner(session, timezone="UTC").id, spec)
    session.commit()
    days = [rules.AS_OF - timedelta(days=k) for k in range(span)]
    assert_identical(*both_paths(days))


def test_batched_and_per_day_flags_are_identical_on_the_dataset(session):
    dataset.build(session)
    support.refresh_dataset()
    days = [
        dataset.START - timedelta(days=1) + timedelta(days=k)
        for k in range((dataset.AS_OF - dataset.START).days + 2)
    ]
    assert assert_identical(*both_paths(days)) > 50
