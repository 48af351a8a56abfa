"""Badges: evaluate each active badge's rule and award it once, with its points reward.

A badge's rule is a metric reaching a threshold. The metrics, per learner:
- streak_days: the longest streak ever (UserStreak.longest_length);
- total_points: points ever earned (UserPoints.lifetime_earned; spending does not un-earn);
- quizzes_passed: submitted quiz attempts scoring at least 60%;
- skills_mastered: skills with mastery >= 0.8 (SkillMastery);
- duels_won: duels with outcome "won";
- sessions_completed: completed learning sessions.
A badge is held at most once (UserBadge is unique per learner and badge); its points reward
goes through the ledger with the key `badge:<badge id>:<user id>`.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from webapp.models import (
    Badge,
    DuelParticipant,
    LearningSession,
    QuizAttempt,
    SkillMastery,
    User,
    UserBadge,
    UserPoints,
    UserStreak,
)
from webapp.models.core.enums import BadgeMetric, DuelOutcome, PointsReason, Role
from webapp.models.core.mixins import utcnow
from webapp.services.points import dialect_insert, insert_ledger_rows, quiz_passed
from webapp.services.timezones import fill_local_times

MASTERED_AT = 0.8
HOLDINGS = UserBadge.__table__


class BadgeError(ValueError):
    """A badge that cannot be awarded (unknown badge or learner)."""


def _counted(column: Any, user_ids: list[int] | None, *where: Any) -> Select:
    query = select(column.label("user_id"), func.count().label("value")).where(*where)
    if user_ids is not None:
        query = query.where(column.in_(user_ids))
    return query.group_by(column)


def metric_query(metric: BadgeMetric, user_ids: list[int] | None = None) -> Select:
    """Return a SELECT of (user_id, value) for a badge metric, one row per learner that has it.

    With user_ids, only those learners are counted: the filter sits inside the aggregate, so
    the engine update's cost follows the learners it looks at (not every database pushes an
    outer filter down into a GROUP BY).
    """
    if metric == BadgeMetric.STREAK_DAYS:
        query = select(UserStreak.user_id, UserStreak.longest_length.label("value"))
        return query if user_ids is None else query.where(UserStreak.user_id.in_(user_ids))
    if metric == BadgeMetric.TOTAL_POINTS:
        query = select(UserPoints.user_id, UserPoints.lifetime_earned.label("value"))
        return query if user_ids is None else query.where(UserPoints.user_id.in_(user_ids))
    if metric == BadgeMetric.QUIZZES_PASSED:
        return _counted(QuizAttempt.user_id, user_ids, quiz_passed())
    if metric == BadgeMetric.SKILLS_MASTERED:
        return _counted(SkillMastery.user_id, user_ids, SkillMastery.mastery >= MASTERED_AT)
    if metric == BadgeMetric.DUELS_WON:
        return _counted(DuelParticipant.user_id, user_ids, DuelParticipant.outcome == DuelOutcome.WON)
    if metric == BadgeMetric.SESSIONS_COMPLETED:
        return _counted(LearningSession.user_id, user_ids, LearningSession.is_completed.is_(True))
    raise BadgeError(f"unknown badge metric: {metric}")


def _pay_rewards(session: Session, granted: Sequence[Any]) -> int:
    """Pay the points reward of newly granted (user_id, badge_id, awarded_at) holdings."""
    rewards = dict(
        session.execute(select(Badge.id, Badge.points_reward).where(Badge.points_reward > 0)).all()
    )
    rows = [
        {
            "user_id": user_id,
            "amount": rewards[badge_id],
            "reason": PointsReason.BADGE_AWARDED,
            "source_type": "badge",
            "source_id": str(badge_id),
            "idempotency_key": f"badge:{badge_id}:{user_id}",
            "created_at": awarded_at,
        }
        for user_id, badge_id, awarded_at in granted
        if badge_id in rewards
    ]
    return insert_ledger_rows(session, rows)


def grant_badges(session: Session, holdings: Sequence[Mapping[str, Any]]) -> int:
    """Insert the holdings not held yet and pay their rewards; return how many were new."""
    if not holdings:
        return 0
    rows = fill_local_times(session, [dict(h) for h in holdings], "awarded_at")
    stmt = dialect_insert(session, HOLDINGS).on_conflict_do_nothing(index_elements=["user_id", "badge_id"])
    returning = (HOLDINGS.c.user_id, HOLDINGS.c.badge_id, HOLDINGS.c.awarded_at)
    granted = session.execute(stmt.returning(*returning), rows).all()
    _pay_rewards(session, granted)
    return len(granted)


def award_badge(session: Session, user_id: int, badge_id: int, via: str, by_id: int | None = None) -> bool:
    """Award a badge to a learner once (and its points reward); return whether it is new."""
    if session.get(Badge, badge_id) is None:
        raise BadgeError(f"no badge {badge_id}")
    if session.get(User, user_id) is None:
        raise BadgeError(f"no user {user_id}")
    row = {"user_id": user_id, "badge_id": badge_id, "awarded_at": utcnow(), "awarded_via": via}
    return grant_badges(session, [{**row, "awarded_by_id": by_id}]) == 1


def _evaluate_one(session: Session, badge: Badge, user_ids: list[int] | None) -> int:
    # The learners are filtered inside the metric's aggregate (PostgreSQL does not push an outer IN down).
    metric = metric_query(badge.criteria_metric, user_ids).subquery()
    held = select(HOLDINGS.c.id).where(
        HOLDINGS.c.user_id == metric.c.user_id, HOLDINGS.c.badge_id == badge.id
    )
    query = (
        select(metric.c.user_id)
        .join(User, User.id == metric.c.user_id)
        .where(User.role == Role.LEARNER, metric.c.value >= badge.criteria_threshold, ~held.exists())
        .order_by(metric.c.user_id)  # holdings numbered in learner order, whatever the scan order
    )
    now = utcnow()
    rows = [
        {"user_id": user_id, "badge_id": badge.id, "awarded_at": now, "awarded_via": "rule"}
        for user_id in session.scalars(query)
    ]
    return grant_badges(session, rows)


def evaluate_badges(session: Session, user_ids: Iterable[int] | None = None) -> int:
    """Award every active badge whose rule a learner meets (one learner, some, or all); return count."""
    wanted = None if user_ids is None else list(user_ids)
    badges = list(session.scalars(select(Badge).where(Badge.is_active).order_by(Badge.id)))
    total = 0
    # Rewards raise total_points, which can earn further badges: repeat until nothing changes.
    for _ in range(len(badges) + 1):
        awarded = sum(_evaluate_one(session, badge, wanted) for badge in badges)
        total += awarded
        if not awarded:
            break
    return total
