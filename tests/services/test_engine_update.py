"""The engine update after ingest equals a full recompute, and touches only the marked learners."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import factories as f
from tests.conftest import _empty_all_tables
from webapp.models import (
    ChangeMark,
    LeaderboardEntry,
    PointsTransaction,
    SkillMastery,
    StreakActivity,
    StreakFreeze,
    UserBadge,
    UserEngagementProfile,
    UserPoints,
    UserStreak,
)
from webapp.models.core.enums import BadgeMetric, LeaderboardMetric, LeaderboardPeriod, LeaderboardScope
from webapp.services import marks
from webapp.services.engine_update import update_marked
from webapp.services.recompute import recompute_all

TODAY = date(2024, 3, 20)  # a Wednesday
ZONES = ("Asia/Kolkata", "America/Los_Angeles", "Pacific/Auckland", "UTC", "Europe/London")
DERIVED = (
    PointsTransaction,
    UserPoints,
    UserStreak,
    StreakActivity,
    StreakFreeze,
    UserBadge,
    LeaderboardEntry,
    SkillMastery,
    UserEngagementProfile,
)
# Columns that say when a row was written, not what it holds.
STAMPS = {"updated_at", "computed_at", "created_at"}

activity = st.tuples(
    st.integers(0, 5),  # learner
    st.integers(0, 30),  # days before TODAY
    st.integers(0, 23),  # local hour
    st.sampled_from(["session", "quiz_pass", "quiz_fail", "open_session"]),
)


def local(tz: str, back: int, hour: int) -> datetime:
    day = TODAY - timedelta(days=back)
    return datetime.combine(day, time(hour, 10), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def build_world(session) -> list:
    """Six learners in five zones, two groups, boards of every kind and metric, badges, milestones."""
    learners = [f.make_learner(session, timezone=ZONES[i % len(ZONES)]) for i in range(6)]
    groups = [f.make_group(session), f.make_group(session)]
    for i, learner in enumerate(learners):
        f.make_member(session, group=groups[i % 2], user=learner)
    for period in LeaderboardPeriod:
        for metric in LeaderboardMetric:
            f.make_leaderboard(session, period=period, metric=metric)
    f.make_leaderboard(
        session, period=LeaderboardPeriod.WEEKLY, scope=LeaderboardScope.STUDY_GROUP, study_group=groups[0]
    )
    f.make_leaderboard(
        session,
        period=LeaderboardPeriod.ALL_TIME,
        scope=LeaderboardScope.STUDY_GROUP,
        study_group=groups[1],
        metric=LeaderboardMetric.LEARNING_MINUTES,
    )
    f.make_badge(session, criteria_metric=BadgeMetric.STREAK_DAYS, criteria_threshold=3)
    f.make_badge(session, criteria_metric=BadgeMetric.TOTAL_POINTS, criteria_threshold=60, points_reward=15)
    f.make_badge(session, criteria_metric=BadgeMetric.QUIZZES_PASSED, criteria_threshold=2, points_reward=5)
    f.make_badge(session, criteria_metric=BadgeMetric.SKILLS_MASTERED, criteria_threshold=1)
    f.make_streak_milestone(session, days=2, points=20, badge=f.make_badge(session, criteria_threshold=10**6))
    f.make_streak_milestone(session, days=5, points=50)
    f.make_streak_freeze(session, user=learners[1], acquired_at=local(ZONES[1], 20, 9))
    return learners


def add_activity(session, learners, rows, skill) -> set[tuple[int, date]]:
    """Write raw rows; return the (learner, local day) pairs that ingest would mark."""
    touched = set()
    for index, back, hour, kind in rows:
        learner = learners[index]
        at = local(learner.timezone, back, hour)
        if kind.startswith("quiz"):
            score = 90.0 if kind == "quiz_pass" else 30.0
            f.make_quiz_attempt(
                session,
                user=learner,
                skill=skill,
                started_at=at,
                submitted_at=at + timedelta(minutes=7),
                score=score,
            )
        else:
            done = kind == "session"
            f.make_session(
                session,
                user=learner,
                started_at=at,
                is_completed=done,
                ended_at=at + timedelta(minutes=25) if done else None,
            )
        touched.add((learner.id, at.astimezone(ZoneInfo(learner.timezone)).date()))
    return touched


def derived(session) -> dict[str, list]:
    session.expire_all()
    out = {}
    for model in DERIVED:
        columns = [c for c in model.__table__.c if c.name not in STAMPS]
        out[model.__tablename__] = sorted(map(tuple, session.execute(select(*columns)).all()), key=repr)
    return out


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(activity, max_size=40), changes=st.lists(activity, min_size=1, max_size=12))
def test_update_after_ingest_equals_a_full_recompute(session, history, changes) -> None:
    _empty_all_tables()
    learners = build_world(session)
    skill = f.make_skill(session)
    add_activity(session, learners, history, skill)
    recompute_all(session, today=TODAY)
    session.commit()

    touched = add_activity(session, learners, changes, skill)
    marks.mark(session, touched)
    session.commit()
    counts = update_marked(session, today=TODAY, notify_awards=False)
    session.commit()
    assert counts["learners"] == len({user for user, _ in touched})
    assert marks.backlog(session, marks.ENGINE) == 0
    assert marks.backlog(session, marks.REFRESH) == len(touched)  # the refresh's own marks stay

    after = derived(session)
    again = recompute_all(session, today=TODAY)
    assert set(again.values()) == {0}, again
    assert derived(session) == after


def test_only_marked_learners_change(session) -> None:
    learners = build_world(session)
    skill = f.make_skill(session)
    add_activity(session, learners, [(0, 1, 10, "session"), (1, 1, 10, "session")], skill)
    # Learner 1's session is not marked: the engine must not see it (a full recompute would).
    touched = add_activity(session, learners, [(0, 0, 10, "quiz_pass")], skill)
    touched |= {(learners[0].id, TODAY - timedelta(days=1))}
    marks.mark(session, touched)
    session.commit()
    update_marked(session, today=TODAY, notify_awards=False)
    session.commit()
    owners = set(session.scalars(select(PointsTransaction.user_id).distinct()))
    assert owners == {learners[0].id}
    assert session.get(UserStreak, learners[0].id).current_length == 2
    assert session.get(UserStreak, learners[1].id) is None
    assert session.scalar(select(func.count()).select_from(ChangeMark)) == len(touched)  # refresh's


def test_a_mark_made_during_the_update_survives_it(session) -> None:
    learners = build_world(session)
    touched = add_activity(session, learners, [(2, 0, 9, "session")], f.make_skill(session))
    marks.mark(session, touched)
    session.commit()
    taken = marks.claim(session, marks.ENGINE)
    marks.mark(session, touched, consumers=[marks.ENGINE])  # late data for the same day, meanwhile
    assert marks.release(session, taken) == 0
    assert marks.backlog(session, marks.ENGINE) == 1
