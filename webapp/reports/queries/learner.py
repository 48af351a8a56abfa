"""Queries of one learner's page: each reads that learner's rows through an index on user_id.

Local days are the learner's own (their timezone), as the rollups store them; quiz
attempts count once submitted, at the local time of submission.
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import (
    Badge,
    GroupMember,
    LearnerDay,
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
from webapp.reports.filters import ReportFilter
from webapp.reports.queries import risk
from webapp.reports.queries.common import Context, Row
from webapp.services.analytics.risk import latest_evaluation
from webapp.services.timezones import learner_zone

CALENDAR_DAYS = 365
QUIZ_LIMIT = 100


def learner(session: Session, learner_id: int) -> dict | None:
    """Return a learner's name, timezone and groups; None when the id is not a learner's."""
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
        "id": user.id,
        "name": user.display_name,
        "timezone": user.timezone,
        "is_active": user.is_active,
        "groups": [(g.id, g.name) for g in groups],
    }


def local_bounds(tz: str, start: date, end: date) -> tuple[datetime, datetime]:
    """Return the UTC instants bounding local days start..end (end inclusive) in tz."""
    z = learner_zone(tz)
    lo = datetime.combine(start, time(), tzinfo=z).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), tzinfo=z).astimezone(UTC)
    return lo, hi


def streak_days(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (local day, "active" | "freeze") of the year of days ending on the range's end."""
    learner_id, end = ctx["learner"]["id"], flt.end
    first = end - timedelta(days=CALENDAR_DAYS - 1)
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
    return sorted(out.items())


def summary(session: Session, flt: ReportFilter, ctx: Context) -> dict:
    """The learner's balance, lifetime points and streak figures (zeros before any)."""
    learner_id = ctx["learner"]["id"]
    points, streak = session.get(UserPoints, learner_id), session.get(UserStreak, learner_id)
    return {
        "balance": points.balance if points else 0,
        "lifetime_earned": points.lifetime_earned if points else 0,
        "current_streak": streak.current_length if streak else 0,
        "longest_streak": streak.longest_length if streak else 0,
        "freezes_equipped": streak.freezes_equipped if streak else 0,
    }


def badges(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (badge, tier, awarded day, how) of the learner's badges, newest first."""
    query = (
        select(Badge.name, Badge.tier, UserBadge.awarded_at, UserBadge.awarded_via)
        .join(Badge, Badge.id == UserBadge.badge_id)
        .where(UserBadge.user_id == ctx["learner"]["id"])
        .order_by(UserBadge.awarded_at.desc(), Badge.name)
    )
    return [(r.name, r.tier.value, r.awarded_at.date(), r.awarded_via) for r in session.execute(query)]


def masteries(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (skill, subject, mastery, attempts) of the learner's skills, weakest first."""
    query = (
        select(Skill.name, Skill.subject, SkillMastery.mastery, SkillMastery.attempts)
        .join(Skill, Skill.id == SkillMastery.skill_id)
        .where(SkillMastery.user_id == ctx["learner"]["id"])
        .order_by(SkillMastery.mastery, Skill.name)
    )
    return [(r.name, r.subject, float(r.mastery), r.attempts) for r in session.execute(query)]


def quiz_history(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (submitted at, local time; skill; percent; correct; questions) of the attempts submitted
    on local days of the range, oldest first (the latest QUIZ_LIMIT)."""
    person = ctx["learner"]
    lo, hi = local_bounds(person["timezone"], flt.start, flt.end)
    q = QuizAttempt
    query = (
        select(q.submitted_at, Skill.name, q.score, q.max_score, q.correct_count, q.total_questions)
        .outerjoin(Skill, Skill.id == q.skill_id)
        .where(q.user_id == person["id"], q.submitted_at >= lo, q.submitted_at < hi)
        .order_by(q.submitted_at.desc(), q.id.desc())
        .limit(QUIZ_LIMIT)
    )
    z = learner_zone(person["timezone"])
    rows = [
        (
            r.submitted_at.astimezone(z).replace(tzinfo=None),
            r.name or "-",
            100 * r.score / r.max_score,
            r.correct_count,
            r.total_questions,
        )
        for r in session.execute(query)
    ]
    return rows[::-1]


def focus_trend(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (local day, focus score sum, sessions with a focus score, sessions, minutes)."""
    ld = LearnerDay
    query = (
        select(ld.day, ld.focus_score_sum, ld.focus_sessions, ld.sessions, ld.learning_minutes)
        .where(ld.user_id == ctx["learner"]["id"], ld.day >= flt.start, ld.day <= flt.end)
        .where((ld.sessions > 0) | (ld.focus_sessions > 0))
        .order_by(ld.day)
    )
    return [
        (r.day, float(r.focus_score_sum), r.focus_sessions, r.sessions, float(r.learning_minutes))
        for r in session.execute(query)
    ]


def engagement_profile(session: Session, flt: ReportFilter, ctx: Context) -> dict | None:
    """The learner's derived engagement profile, or None before it is computed."""
    p = session.get(UserEngagementProfile, ctx["learner"]["id"])
    if p is None:
        return None
    return {
        "active_days_30": p.active_days_30,
        "sessions_30": p.sessions_30,
        "avg_session_minutes": p.avg_session_minutes,
        "preferred_hour": p.preferred_hour,
        "churn_risk": p.churn_risk,
    }


def risk_reasons(session: Session, flt: ReportFilter, ctx: Context) -> dict:
    """The learner's flags of the latest evaluation up to the range's end, and that day."""
    as_of = latest_evaluation(session, flt.end)
    return {"as_of": as_of, "rows": risk.learner_flags(session, ctx["learner"]["id"], as_of)}
