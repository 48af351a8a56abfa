"""Queries of one learner's page: each reads that learner's rows through an index on user_id.

Local days are the learner's own (their timezone), as the rollups store them.
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import (
    Badge,
    GroupMember,
    LearnerDay,
    LearnerRiskFlag,
    QuizAttempt,
    Skill,
    SkillMastery,
    StreakActivity,
    StreakFreeze,
    StudyGroup,
    User,
    UserBadge,
    UserEngagementProfile,
    UserPoints,
    UserStreak,
)
from webapp.models.core.enums import FreezeStatus, GroupRole, Role
from webapp.services.analytics.risk import RULES
from webapp.services.timezones import learner_zone

CALENDAR_DAYS = 365
QUIZ_LIMIT = 100


def learner(session: Session, learner_id: int) -> dict | None:
    """Return a learner's name, timezone and groups; None when the id is not a learner."""
    user = session.get(User, learner_id)
    if user is None or user.role != Role.LEARNER:
        return None
    groups = session.execute(
        select(StudyGroup.id, StudyGroup.name)
        .join(GroupMember, GroupMember.group_id == StudyGroup.id)
        .where(GroupMember.user_id == learner_id, GroupMember.role == GroupRole.MEMBER)
        .order_by(StudyGroup.name)
    ).all()
    return {
        "id": user.id, "name": user.display_name, "timezone": user.timezone,
        "is_active": user.is_active, "groups": [(g.id, g.name) for g in groups],
    }  # fmt: skip


def local_bounds(tz: str, start: date, end: date) -> tuple[datetime, datetime]:
    """Return the UTC instants bounding local days start..end (end inclusive) in tz."""
    z = learner_zone(tz)
    lo = datetime.combine(start, time(), tzinfo=z).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), tzinfo=z).astimezone(UTC)
    return lo, hi


def streak_days(session: Session, learner_id: int, end: date, days: int = CALENDAR_DAYS) -> dict[date, str]:
    """Return {local day: "active" | "freeze"} over the days ending on end (a used freeze kept it)."""
    first = end - timedelta(days=days - 1)
    out: dict[date, str] = {}
    freezes = select(StreakFreeze.used_on).where(
        StreakFreeze.user_id == learner_id,
        StreakFreeze.status == FreezeStatus.USED,
        StreakFreeze.used_on >= first,
        StreakFreeze.used_on <= end,
    )
    for (day,) in session.execute(freezes):
        out[day] = "freeze"
    active = select(StreakActivity.day).where(
        StreakActivity.user_id == learner_id, StreakActivity.day >= first, StreakActivity.day <= end
    )
    for (day,) in session.execute(active):
        out[day] = "active"  # an active day needs no freeze, whatever the freeze rows say
    return out


def points_and_streak(session: Session, learner_id: int) -> dict:
    """Return the learner's balance, lifetime points and streak figures (zeros when none yet)."""
    points = session.get(UserPoints, learner_id)
    streak = session.get(UserStreak, learner_id)
    return {
        "balance": points.balance if points else 0,
        "lifetime_earned": points.lifetime_earned if points else 0,
        "current_streak": streak.current_length if streak else 0,
        "longest_streak": streak.longest_length if streak else 0,
        "freezes_equipped": streak.freezes_equipped if streak else 0,
        "last_active_on": streak.last_active_on if streak else None,
    }


def badges(session: Session, learner_id: int) -> list[dict]:
    """Return the learner's badges, newest first."""
    query = (
        select(Badge.name, Badge.tier, UserBadge.awarded_at, UserBadge.awarded_via)
        .join(Badge, Badge.id == UserBadge.badge_id)
        .where(UserBadge.user_id == learner_id)
        .order_by(UserBadge.awarded_at.desc(), Badge.name)
    )
    return [
        {"name": r.name, "tier": r.tier.value, "awarded_at": r.awarded_at, "via": r.awarded_via}
        for r in session.execute(query)
    ]


def masteries(session: Session, learner_id: int) -> list[dict]:
    """Return the learner's mastery of each skill, weakest first."""
    query = (
        select(Skill.name, Skill.subject, SkillMastery.mastery, SkillMastery.attempts)
        .join(Skill, Skill.id == SkillMastery.skill_id)
        .where(SkillMastery.user_id == learner_id)
        .order_by(SkillMastery.mastery, Skill.name)
    )
    return [
        {"skill": r.name, "subject": r.subject, "mastery": float(r.mastery), "attempts": r.attempts}
        for r in session.execute(query)
    ]


def quiz_history(
    session: Session, learner_id: int, tz: str, start: date, end: date, limit: int = QUIZ_LIMIT
) -> list[dict]:
    """Return the learner's quiz attempts started on local days start..end, oldest first."""
    lo, hi = local_bounds(tz, start, end)
    query = (
        select(QuizAttempt, Skill.name)
        .outerjoin(Skill, Skill.id == QuizAttempt.skill_id)
        .where(QuizAttempt.user_id == learner_id)
        .where(QuizAttempt.started_at >= lo, QuizAttempt.started_at < hi)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        .limit(limit)
    )
    z = learner_zone(tz)
    rows = [
        {"started_at": a.started_at.astimezone(z).replace(tzinfo=None), "skill": skill or "-",
         "percent": round(a.percent, 1), "correct": a.correct_count, "questions": a.total_questions}
        for a, skill in session.execute(query)
    ]  # fmt: skip
    return rows[::-1]


def focus_trend(session: Session, learner_id: int, start: date, end: date) -> list[dict]:
    """Return per local day the learner's average focus score, sessions and minutes."""
    ld = LearnerDay
    query = (
        select(ld.day, ld.sessions, ld.learning_minutes, ld.focus_score_sum, ld.focus_sessions)
        .where(ld.user_id == learner_id, ld.day >= start, ld.day <= end)
        .where((ld.sessions > 0) | (ld.focus_sessions > 0))
        .order_by(ld.day)
    )
    return [
        {"day": r.day, "avg_focus": _mean(r.focus_score_sum, r.focus_sessions),
         "sessions": r.sessions, "minutes": round(float(r.learning_minutes), 1)}
        for r in session.execute(query)
    ]  # fmt: skip


def _mean(total: float, count: int) -> float | None:
    return round(float(total) / count, 1) if count else None


def engagement_profile(session: Session, learner_id: int) -> dict | None:
    """Return the learner's derived engagement profile, or None before it is computed."""
    p = session.get(UserEngagementProfile, learner_id)
    if p is None:
        return None
    return {
        "avg_session_minutes": round(p.avg_session_minutes, 1), "preferred_hour": p.preferred_hour,
        "active_days_30": p.active_days_30, "sessions_30": p.sessions_30, "churn_risk": p.churn_risk,
        "updated_at": p.updated_at,
    }  # fmt: skip


def risk_reasons(session: Session, learner_id: int) -> tuple[date | None, list[dict]]:
    """Return the latest as-of day of the risk flags and the learner's flags of that day."""
    latest = session.scalar(select(func.max(LearnerRiskFlag.as_of)))
    if latest is None:
        return None, []
    query = (
        select(LearnerRiskFlag.rule, LearnerRiskFlag.value, LearnerRiskFlag.detail)
        .where(LearnerRiskFlag.user_id == learner_id, LearnerRiskFlag.as_of == latest)
        .order_by(LearnerRiskFlag.rule)
    )
    return latest, [
        {"rule": r.rule, "title": RULES.get(r.rule, (r.rule, ""))[0],
         "explanation": RULES.get(r.rule, ("", ""))[1], "value": r.value, "detail": r.detail}
        for r in session.execute(query)
    ]  # fmt: skip
