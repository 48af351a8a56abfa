"""What the passing of time alone changes: streaks past local midnight, a new UTC day.

- `roll_streaks` (hourly, since local midnights come every hour somewhere): a learner
  whose running streak missed a whole local day uses a freeze or loses the streak.
  Only learners whose stored streak predates the local day that made a day missed
  are recomputed, so a quiet hour costs a query.
- `new_day` (daily, just after 00:00 UTC): the current period of every leaderboard
  (a new week or month starts; an all-time board carries its scores into the new week)
  and every engagement profile (their 30-day windows move by a day).
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import User, UserStreak
from webapp.models.core.mixins import utcnow
from webapp.services.engagement import rebuild_engagement_profiles
from webapp.services.jobs import prune_runs
from webapp.services.leaderboards import snapshot_leaderboards
from webapp.services.streaks import rebuild_streaks
from webapp.services.timezones import learner_zone

RUN_RETENTION = timedelta(days=30)


def stale_streaks(session: Session, now: datetime) -> list[int]:
    """Return learners with a running streak whose last active day is two or more local days ago,
    and whose stored streak was written before the local day began."""
    utc_today = now.date()
    query = (
        select(UserStreak.user_id, UserStreak.last_active_on, UserStreak.updated_at, User.timezone)
        .join(User, User.id == UserStreak.user_id)
        .where(UserStreak.current_length > 0, UserStreak.last_active_on < utc_today)
    )
    stale = []
    for user_id, last_active, updated_at, tz in session.execute(query):
        zone = learner_zone(tz)
        local_today = now.astimezone(zone).date()
        midnight = datetime.combine(local_today, time(), tzinfo=zone).astimezone(UTC)
        if last_active is not None and (local_today - last_active).days >= 2 and updated_at < midnight:
            stale.append(user_id)
    return stale


def roll_streaks(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Recompute the streaks that a passing local midnight changed; return counts."""
    stale = stale_streaks(session, now or utcnow())
    counts = rebuild_streaks(session, stale) if stale else {}
    return {
        "candidates": len(stale),
        **{k: v for k, v in counts.items() if k in ("streaks", "streak_freezes")},
    }


def new_day(session: Session, today: date | None = None) -> dict[str, int]:
    """Snapshot the current period of every leaderboard and rebuild every engagement profile."""
    today = today or utcnow().date()
    return {
        "leaderboard_entries": snapshot_leaderboards(session, since=today, today=today),
        "engagement_profiles": rebuild_engagement_profiles(session, today=today),
    }


def housekeeping(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Delete job runs older than RUN_RETENTION."""
    return {"job_runs_deleted": prune_runs(session, RUN_RETENTION, now)}
