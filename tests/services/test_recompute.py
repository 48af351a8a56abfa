"""Recompute: derived state from raw activity, idempotent; milestones and badges once; the CLI."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_badge,
    make_group,
    make_leaderboard,
    make_learner,
    make_member,
    make_quiz_attempt,
    make_session,
    make_skill,
    make_streak_freeze,
    make_streak_milestone,
)
from webapp.models import (
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
from webapp.models.core.enums import BadgeMetric, LeaderboardPeriod
from webapp.services.badges import award_badge, evaluate_badges
from webapp.services.duels import accept, challenge, complete
from webapp.services.recompute import RecomputeError, recompute_all

TODAY = date(2024, 3, 20)
DERIVED = [
    PointsTransaction,
    UserPoints,
    UserStreak,
    StreakActivity,
    StreakFreeze,
    UserBadge,
    LeaderboardEntry,
    SkillMastery,
    UserEngagementProfile,
]


def at(tz: str, back: int, hour: int = 18) -> datetime:
    day = TODAY - timedelta(days=back)
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def snapshot(session) -> dict[str, list]:
    session.expire_all()
    return {
        model.__tablename__: sorted(map(tuple, session.execute(select(*model.__table__.c)).all()), key=repr)
        for model in DERIVED
    }


@pytest.fixture
def world(session):
    """Two learners with a week of activity, a milestone, badges, boards, a duel and a group."""
    ann = make_learner(session, timezone="Asia/Kolkata")
    bob = make_learner(session, timezone="America/Los_Angeles")
    skill = make_skill(session)
    for back in range(7):
        make_session(
            session, user=ann, started_at=at(ann.timezone, back), ended_at=at(ann.timezone, back, 19)
        )
    for back in (0, 1, 3):
        start = at(bob.timezone, back)
        make_quiz_attempt(
            session, user=bob, skill=skill, started_at=start, submitted_at=start + timedelta(minutes=9)
        )
    make_streak_freeze(session, user=bob, acquired_at=at(bob.timezone, 10))
    streak_badge = make_badge(session, criteria_metric=BadgeMetric.STREAK_DAYS, criteria_threshold=5)
    make_streak_milestone(session, days=3, points=25, badge=make_badge(session, criteria_threshold=999))
    make_badge(session, criteria_metric=BadgeMetric.TOTAL_POINTS, criteria_threshold=120, points_reward=5)
    make_badge(session, criteria_metric=BadgeMetric.QUIZZES_PASSED, criteria_threshold=3, points_reward=0)
    group = make_group(session)
    make_member(session, group=group, user=bob)
    for period in LeaderboardPeriod:
        make_leaderboard(session, period=period)
    make_leaderboard(session, period=LeaderboardPeriod.WEEKLY, study_group=group)
    duel = challenge(session, ann.id, bob.id, now=at("UTC", 2))
    accept(session, duel.id, bob.id, now=at("UTC", 2))
    complete(session, duel.id, {ann.id: 3, bob.id: 5}, now=at("UTC", 2, 19))
    return {"ann": ann, "bob": bob, "streak_badge": streak_badge}


def test_recompute_twice_changes_nothing(session, world) -> None:
    first = recompute_all(session, today=TODAY)
    assert first["activity_points"] == 7 + 3
    before = snapshot(session)
    second = recompute_all(session, today=TODAY)
    assert set(second.values()) == {0}, second
    assert snapshot(session) == before
    assert recompute_all(session, since=TODAY - timedelta(days=2), today=TODAY) == second


def test_derived_state_follows_the_rules(session, world) -> None:
    steps: list[str] = []
    recompute_all(session, today=TODAY, progress=lambda step, done, total: steps.append(step))
    ann, bob = world["ann"], world["bob"]
    assert "badges" in steps
    assert "engagement" in steps
    assert (
        session.get(UserStreak, ann.id).current_length,
        session.get(UserStreak, bob.id).current_length,
    ) == (7, 3)
    assert session.scalars(select(StreakFreeze.used_on)).one() == TODAY - timedelta(days=2)
    held = {(b.user_id, b.badge_id) for b in session.scalars(select(UserBadge))}
    assert (ann.id, world["streak_badge"].id) in held
    assert len([h for h in held if h[0] == bob.id]) == 3
    ledger = session.execute(
        select(PointsTransaction.user_id, func.sum(PointsTransaction.amount)).group_by("user_id")
    )
    for user_id, total in ledger:
        assert session.get(UserPoints, user_id).balance == total
    assert session.scalar(select(func.count()).select_from(LeaderboardEntry)) > 0
    assert session.scalar(select(func.count()).select_from(SkillMastery)) == 1


def test_milestones_are_awarded_once_even_when_the_streak_restarts(session) -> None:
    learner = make_learner(session)
    badge = make_badge(session, criteria_threshold=999, points_reward=0)
    make_streak_milestone(session, days=2, points=25, badge=badge)
    for back in (9, 8, 2, 1):
        make_session(session, user=learner, started_at=at("UTC", back), ended_at=at("UTC", back, 19))
    recompute_all(session, today=TODAY)
    recompute_all(session, today=TODAY + timedelta(days=1))
    milestone = select(PointsTransaction).where(PointsTransaction.idempotency_key.like("milestone:%"))
    (award,) = session.scalars(milestone).all()
    assert (award.amount, award.created_at.date()) == (25, TODAY - timedelta(days=8))
    holding = session.scalars(select(UserBadge).where(UserBadge.user_id == learner.id)).one()
    assert holding.awarded_via == "milestone:2"


def test_manual_awards_are_idempotent_and_pay_once(session) -> None:
    learner = make_learner(session)
    badge = make_badge(session, criteria_metric=BadgeMetric.SESSIONS_COMPLETED, criteria_threshold=1)
    assert award_badge(session, learner.id, badge.id, "manual", by_id=None) is True
    assert award_badge(session, learner.id, badge.id, "manual") is False
    make_session(session, user=learner)
    assert evaluate_badges(session, [learner.id]) == 0
    assert session.get(UserPoints, learner.id).balance == badge.points_reward


def test_since_after_today_is_refused(session) -> None:
    with pytest.raises(RecomputeError, match="after today"):
        recompute_all(session, since=TODAY + timedelta(days=1), today=TODAY)


def test_cli_recompute_prints_a_summary(runner, world) -> None:
    result = runner.invoke(args=["gamification", "recompute", "--since", "2024-03-01"])
    assert result.exit_code == 0, result.output
    assert "recomputed in" in result.output
    assert "activity_points" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "must be a date as YYYY-MM-DD"),
        (["--since", "2999-01-01"], "is in the future"),
    ],
)
def test_cli_rejects_bad_dates_in_one_line(runner, args: list[str], message: str) -> None:
    result = runner.invoke(args=["gamification", "recompute", *args])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [f"Error: {result.output.strip().removeprefix('Error: ')}"]
    assert message in result.output
