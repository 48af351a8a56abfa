"""Engine update after ingest: derived state for exactly the learners and days ingest marked.

`update_marked` claims the engine's change marks (services/marks.py), recomputes
those learners with the same rules as `gamification recompute` (services/recompute.py),
each step narrowed to them:

| step | narrowed to |
|---|---|
| activity points | their sessions, quizzes and duels from the first marked day (less a day of slack) |
| streaks, milestones | their whole calendar (a streak is a walk over all of it) |
| mastery, balances, badges | their rows |
| leaderboards | their boards, each period from the first marked day to today (boards_update.py) |
| engagement profiles | their rows |

then notifies the badges and streak milestones it awarded, and releases the marks,
all in the caller's transaction: a worker that dies mid-way leaves nothing half
done, and the marks are still there for the next run. Afterwards a full
`gamification recompute` with the same `today` changes nothing (tested).

The cost is that of the marked learners' own rows, plus one read of the stored
entries of each board they are on: not that of the district.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import StreakMilestone, UserBadge, UserStreak
from webapp.services import marks
from webapp.services.badges import evaluate_badges
from webapp.services.boards_update import update_boards
from webapp.services.engagement import rebuild_engagement_profiles
from webapp.services.mastery import rebuild_mastery
from webapp.services.points import apply_activity_points, rebuild_balances
from webapp.services.streaks import rebuild_streaks

CHUNK = 5000  # learners per IN list (SQLite allows 32,766 bound values per statement)
BATCH_MARKS = 20_000  # marks per transaction: bounded locks and memory on a backlog
SLACK = timedelta(days=2)  # local days run 14 hours either side of UTC; sessions end after they start


@dataclass
class Awards:
    """What an update awarded, to notify: (learner, badge id) and (learner, milestone days)."""

    badges: list[tuple[int, int]] = field(default_factory=list)
    milestones: list[tuple[int, int]] = field(default_factory=list)


def update_learners(
    session: Session, user_ids: list[int], first_day: date, today: date | None = None
) -> dict[str, int]:
    """Recompute every derived figure of these learners whose activity changed from first_day on.

    `today` as in recompute_all: each learner's local today for streaks when None, UTC's
    for boards and profiles. The caller commits.
    """
    day = today or datetime.now(UTC).date()
    counts = {"activity_points": apply_activity_points(session, since=first_day, user_ids=user_ids)}
    streaks = rebuild_streaks(session, user_ids, today=today)
    for kind in ("streak_days", "streaks", "streak_freezes", "milestone_points", "milestone_badges"):
        counts[kind] = streaks.get(kind, 0)
    counts["mastery"] = rebuild_mastery(session, user_ids)
    chunks = [user_ids[i : i + CHUNK] for i in range(0, len(user_ids), CHUNK)]
    counts["balances"] = sum(rebuild_balances(session, chunk) for chunk in chunks)
    counts["badges"] = sum(evaluate_badges(session, chunk) for chunk in chunks)
    counts["leaderboard_entries"] = update_boards(session, set(user_ids), first_day - SLACK, day)
    counts["engagement_profiles"] = rebuild_engagement_profiles(session, user_ids, today=day)
    session.flush()
    return counts


def update_marked(
    session: Session, today: date | None = None, limit: int = BATCH_MARKS, notify_awards: bool = True
) -> dict[str, int]:
    """Bring the marked learners up to date, notify their awards, release the marks; return counts.

    One batch of at most `limit` marks; the caller commits (and calls again while marks remain).
    """
    taken = marks.claim(session, marks.ENGINE, limit)
    if not taken:
        return {"marks": 0, "learners": 0}
    learners = taken.learners
    before = _holdings(session, learners)
    counts = {"marks": len(taken), "learners": len(learners)}
    counts.update(update_learners(session, learners, min(taken.days), today))
    if notify_awards:
        from webapp.services.notify import notify_awards as send

        counts["notifications"] = send(session, _awards(session, learners, before))
    counts["marks_released"] = marks.release(session, taken)
    return counts


def _holdings(session: Session, learners: list[int]) -> tuple[set, dict[int, int]]:
    """Return the learners' (user, badge) holdings and their longest streaks."""
    held: set[tuple[int, int]] = set()
    longest: dict[int, int] = {}
    for i in range(0, len(learners), 5000):
        chunk = learners[i : i + 5000]
        query = select(UserBadge.user_id, UserBadge.badge_id, UserBadge.awarded_via)
        held.update((u, b, via) for u, b, via in session.execute(query.where(UserBadge.user_id.in_(chunk))))
        streaks = select(UserStreak.user_id, UserStreak.longest_length).where(UserStreak.user_id.in_(chunk))
        longest.update(session.execute(streaks).tuples().all())
    return held, longest


def _awards(session: Session, learners: list[int], before: tuple[set, dict[int, int]]) -> Awards:
    held_before, longest_before = before
    held_after, longest_after = _holdings(session, learners)
    awards = Awards()
    for user_id, badge_id, via in sorted(held_after - held_before):
        if not (via or "").startswith("milestone:"):  # the milestone's own message tells of it
            awards.badges.append((user_id, badge_id))
    days = sorted(session.scalars(select(StreakMilestone.days).where(StreakMilestone.is_active)))
    for user_id, longest in sorted(longest_after.items()):
        old = longest_before.get(user_id, 0)
        awards.milestones += [(user_id, d) for d in days if old < d <= longest]
    return awards


def run_engine(
    session: Session, today: date | None = None, limit: int = BATCH_MARKS, max_batches: int = 50
) -> dict[str, int]:
    """Work through the engine's marks batch by batch, committing each; return the summed counts.

    Stops after max_batches (the next run goes on) so that one run stays within its lease.
    """
    totals: dict[str, int] = {"batches": 0}
    for _ in range(max_batches):
        counts = update_marked(session, today=today, limit=limit)
        session.commit()
        if not counts["marks"]:
            break
        totals["batches"] += 1
        for kind, n in counts.items():
            totals[kind] = totals.get(kind, 0) + n
        if counts["marks"] < limit:
            break
    if totals.get("marks"):
        invalidate_report_cache()
    return totals


def invalidate_report_cache() -> None:
    """Make dashboards read the new figures (the report cache lives in the app, when there is one)."""
    from flask import has_app_context

    if has_app_context():
        from webapp.services.cache import invalidate_reports

        invalidate_reports()
