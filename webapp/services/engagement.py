"""Engagement profiles: a per-learner summary of how, when and how often they learn."""

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from webapp.models import LearningSession, StreakActivity, UserEngagementProfile
from webapp.services.points import day_start, learner_chunks, write_changes

WINDOW_DAYS = 30
RECENCY_WEIGHT = 0.6
FREQUENCY_WEIGHT = 0.4
REGULAR_DAYS = 20  # active days in 30 at which frequency stops adding risk
PROFILES = UserEngagementProfile.__table__
Progress = Callable[[str, int, int], None] | None


def churn_risk(days_since_active: int | None, active_days_30: int) -> float:
    """Return the churn risk in 0..1 from recency and frequency.

    risk = 0.6 * min(days_since_active, 30) / 30 + 0.4 * (1 - min(active_days_30, 20) / 20),
    where days_since_active is counted from the last active local day to today (None, never
    active, counts as 30). A learner active today on 20+ of the last 30 days scores 0; one
    silent for 30 days scores 1; rounded to 4 places.
    """
    recency = WINDOW_DAYS if days_since_active is None else min(max(days_since_active, 0), WINDOW_DAYS)
    frequency = min(active_days_30, REGULAR_DAYS) / REGULAR_DAYS
    return round(RECENCY_WEIGHT * recency / WINDOW_DAYS + FREQUENCY_WEIGHT * (1 - frequency), 4)


def preferred_hour(hours: Counter) -> int | None:
    """Return the local hour with most session starts (the earliest on a tie), or None."""
    if not hours:
        return None
    return min(hours, key=lambda hour: (-hours[hour], hour))


def _hours(session: Session, ids: list[int]) -> dict[int, Counter]:
    """Count each learner's session starts per local hour of day (stored on each session)."""
    ls = LearningSession
    query = select(ls.user_id, ls.local_hour, func.count()).where(ls.user_id.in_(ids))
    result: dict[int, Counter] = {}
    for user_id, hour, n in session.execute(query.group_by(ls.user_id, ls.local_hour)):
        result.setdefault(user_id, Counter())[int(hour)] += n
    return result


def _session_stats(session: Session, ids: list[int], today: date) -> dict[int, tuple[float, int]]:
    ls = LearningSession
    recent = func.sum(case((ls.started_at >= day_start(today - timedelta(days=WINDOW_DAYS - 1)), 1), else_=0))
    query = select(ls.user_id, func.avg(ls.duration_seconds), recent).where(ls.user_id.in_(ids))
    query = query.where(ls.started_at < day_start(today + timedelta(days=1))).group_by(ls.user_id)
    return {u: (float(avg or 0) / 60, int(n or 0)) for u, avg, n in session.execute(query)}


def _day_stats(session: Session, ids: list[int], today: date) -> dict[int, tuple[date, int]]:
    sa = StreakActivity
    recent = func.sum(case((sa.day >= today - timedelta(days=WINDOW_DAYS - 1), 1), else_=0))
    query = select(sa.user_id, func.max(sa.day), recent).where(sa.user_id.in_(ids), sa.day <= today)
    return {u: (last, int(n or 0)) for u, last, n in session.execute(query.group_by(sa.user_id))}


def _profile(user_id: int, sessions, days, hours, today: date) -> dict:
    avg_minutes, sessions_30 = sessions.get(user_id, (0.0, 0))
    last_active, active_30 = days.get(user_id, (None, 0))
    since = None if last_active is None else (today - last_active).days
    return {
        "user_id": user_id,
        "avg_session_minutes": round(avg_minutes, 2),
        "preferred_hour": preferred_hour(hours.get(user_id, Counter())),
        "active_days_30": min(active_30, WINDOW_DAYS),
        "sessions_30": sessions_30,
        "churn_risk": churn_risk(since, active_30),
    }


def rebuild_engagement_profiles(
    session: Session, user_ids=None, today: date | None = None, progress: Progress = None
) -> int:
    """Recompute every learner's engagement profile as of today; return rows changed.

    avg_session_minutes: mean duration of all sessions up to today; preferred_hour: the local
    hour with most session starts; active_days_30: StreakActivity days (the days that count
    for the streak, so rebuild streaks first) within today-29..today; sessions_30: sessions
    started in those 30 UTC days; churn_risk: see churn_risk().
    """
    today = today or datetime.now(UTC).date()
    chunks = list(learner_chunks(session, user_ids))
    cols = PROFILES.c
    names = ["avg_session_minutes", "preferred_hour", "active_days_30", "sessions_30", "churn_risk"]
    changed = 0
    for done, ids in enumerate(chunks, 1):
        stored = session.execute(select(cols.user_id, *(cols[n] for n in names)).where(cols.user_id.in_(ids)))
        existing = {(r[0],): tuple(r[1:]) for r in stored}
        sessions, days, hours = (
            _session_stats(session, ids, today),
            _day_stats(session, ids, today),
            _hours(session, ids),
        )
        rows = [_profile(u, sessions, days, hours, today) for u in ids]
        changed += write_changes(session, PROFILES, ["user_id"], rows, existing)
        if progress:
            progress("engagement", done, len(chunks))
    return changed
