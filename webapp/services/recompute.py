"""Rebuild all derived gamification state from raw activity, safely and repeatably.

The steps run in dependency order; each writes only rows whose values change, so a second
run with the same `today` changes nothing and reports zeros.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from webapp.services.badges import evaluate_badges
from webapp.services.engagement import rebuild_engagement_profiles
from webapp.services.leaderboards import snapshot_leaderboards
from webapp.services.mastery import rebuild_mastery
from webapp.services.points import apply_activity_points, rebuild_balances
from webapp.services.streaks import rebuild_streaks

Progress = Callable[[str, int, int], None] | None

STEPS = (
    "activity_points",
    "streaks",
    "mastery",
    "balances",
    "badges",
    "leaderboards",
    "engagement",
)


class RecomputeError(ValueError):
    """Arguments that a recompute cannot work with."""


def recompute_all(
    session: Session, since: date | None = None, today: date | None = None, progress: Progress = None
) -> dict[str, int]:
    """Rebuild points, streaks, milestones, mastery, badges, balances, boards and profiles; return counts.

    `since` limits the work that only new activity can change (activity points, mastery,
    leaderboard periods); streaks, badges, balances and profiles always cover every learner,
    since the passing of days alone changes them. `today` is each learner's local "today"
    (by default the real one in their own timezone; UTC for boards and profiles).
    The caller commits.
    """
    if since is not None and today is not None and since > today:
        raise RecomputeError(f"since ({since}) is after today ({today})")
    day = today or datetime.now(UTC).date()
    counts: dict[str, int] = {}
    total = len(STEPS)

    def step(name: str, done: int) -> None:
        if progress:
            progress(name, done, total)

    counts["activity_points"] = apply_activity_points(session, since)
    step("activity_points", 1)
    streaks = rebuild_streaks(session, today=today, progress=progress)
    counts.update({k: streaks.get(k, 0) for k in ("streak_days", "streaks", "streak_freezes")})
    counts["milestone_points"] = streaks.get("milestone_points", 0)
    counts["milestone_badges"] = streaks.get("milestone_badges", 0)
    step("streaks", 2)
    counts["mastery"] = rebuild_mastery(session, since=since, progress=progress)
    step("mastery", 3)
    counts["balances"] = rebuild_balances(session)
    step("balances", 4)
    counts["badges"] = evaluate_badges(session)
    step("badges", 5)
    counts["leaderboard_entries"] = snapshot_leaderboards(session, since=since, today=day, progress=progress)
    step("leaderboards", 6)
    counts["engagement_profiles"] = rebuild_engagement_profiles(session, today=day, progress=progress)
    step("engagement", 7)
    session.flush()
    return counts
