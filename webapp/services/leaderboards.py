"""Leaderboards: rank learners by a metric over a period, snapshot per period.

- Periods run on UTC calendar days: weekly boards start on Monday, monthly ones on the 1st.
  An all-time board is snapshotted weekly: its entry for a week holds the score earned up
  to the end of that week (or up to today, for the current week).
- The metrics (a learner enters a period's board when they have at least one of its items):
  - points: the sum of the ledger transactions created in the period;
  - learning_minutes: whole minutes (total seconds // 60) of the learning sessions started
    in the period, completed or not (the dashboards' "learning minutes");
  - quizzes_passed: quiz attempts submitted in the period that scored at least 60%.
  Study-group boards keep the group's members.
- Ranking is "competition" style: ties share a rank and the next rank skips (1, 2, 2, 4);
  equal scores are listed by user id. `previous_rank` is the rank on the same board in the
  previous period (None when the learner was not on it).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import (
    GroupMember,
    Leaderboard,
    LeaderboardEntry,
    LearningSession,
    PointsTransaction,
    QuizAttempt,
)
from webapp.models.core.enums import GroupRole, LeaderboardMetric, LeaderboardPeriod
from webapp.services.points import day_start, quiz_passed, write_changes

ENTRIES = LeaderboardEntry.__table__
Progress = Callable[[str, int, int], None] | None


@dataclass(frozen=True)
class Ranked:
    """One learner's place on a board."""

    user_id: int
    score: int
    rank: int


def rank_scores(scores: Mapping[int, int]) -> list[Ranked]:
    """Rank scores high to low; ties share a rank and the next one skips (1, 2, 2, 4)."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    ranked: list[Ranked] = []
    for position, (user_id, score) in enumerate(ordered, 1):
        tied = ranked and ranked[-1].score == score
        ranked.append(Ranked(user_id, score, ranked[-1].rank if tied else position))
    return ranked


def period_start(period: LeaderboardPeriod, day: date) -> date:
    """Return the first day of the period (a week for all-time snapshots) that holds day."""
    if period == LeaderboardPeriod.MONTHLY:
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def next_period(period: LeaderboardPeriod, start: date) -> date:
    """Return the first day of the period after the one starting on start."""
    if period == LeaderboardPeriod.MONTHLY:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def periods(period: LeaderboardPeriod, first: date, today: date) -> Iterator[date]:
    """Yield the start of every period from the one holding first to the one holding today."""
    start = period_start(period, first)
    while start <= today:
        yield start
        start = next_period(period, start)


def _metric_source(metric: LeaderboardMetric) -> tuple:
    """Return (user column, time column, aggregate, extra condition) of a metric."""
    if metric == LeaderboardMetric.LEARNING_MINUTES:
        ls = LearningSession
        return ls.user_id, ls.started_at, func.sum(func.coalesce(ls.duration_seconds, 0)), None
    if metric == LeaderboardMetric.QUIZZES_PASSED:
        return QuizAttempt.user_id, QuizAttempt.submitted_at, func.count(), quiz_passed()
    pt = PointsTransaction
    return pt.user_id, pt.created_at, func.sum(pt.amount), None


def period_scores(
    session: Session,
    start: date | None,
    end: date,
    metric: LeaderboardMetric = LeaderboardMetric.POINTS,
    user_ids: Iterable[int] | None = None,
) -> dict[int, int]:
    """Return each learner's score from start (or the beginning) until end (exclusive).

    Only the given learners when user_ids is set (in chunks, for long lists).
    """
    user, at, total, condition = _metric_source(metric)
    query = select(user, total).where(at < day_start(end)).group_by(user)
    if start is not None:
        query = query.where(at >= day_start(start))
    if condition is not None:
        query = query.where(condition)
    minutes = metric == LeaderboardMetric.LEARNING_MINUTES
    scores: dict[int, int] = {}
    for chunk in _id_chunks(user_ids):
        chosen = query if chunk is None else query.where(user.in_(chunk))
        for user_id, value in session.execute(chosen):
            scores[user_id] = int(value) // 60 if minutes else int(value)
    return scores


def _id_chunks(user_ids: Iterable[int] | None, size: int = 5000) -> Iterator[list[int] | None]:
    if user_ids is None:
        yield None
        return
    ids = sorted(user_ids)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def group_members(session: Session, boards: list[Leaderboard]) -> dict[int, set[int]]:
    groups = {b.study_group_id for b in boards if b.study_group_id is not None}
    result: dict[int, set[int]] = {g: set() for g in groups}
    if groups:
        query = select(GroupMember.group_id, GroupMember.user_id).where(
            GroupMember.group_id.in_(groups), GroupMember.role == GroupRole.MEMBER
        )
        for group_id, user_id in session.execute(query):
            result[group_id].add(user_id)
    return result


def stored_entries(session: Session, board_ids: list[int], start: date) -> dict[int, dict[int, tuple]]:
    cols = ENTRIES.c
    query = select(cols.id, cols.leaderboard_id, cols.user_id, cols.score, cols.rank, cols.previous_rank)
    query = query.where(cols.leaderboard_id.in_(board_ids), cols.period_start == start)
    result: dict[int, dict[int, tuple]] = {b: {} for b in board_ids}
    for row_id, board_id, user_id, score, rank, previous in session.execute(query):
        result[board_id][user_id] = (row_id, score, rank, previous)
    return result


def write_period(session: Session, start: date, ranked: dict[int, list[Ranked]], before: dict) -> int:
    """Store one period's ranking of every board; return rows written or deleted."""
    stored = stored_entries(session, list(ranked), start)
    rows, existing, stale = [], {}, []
    for board_id, entries in ranked.items():
        previous = before.get(board_id, {})
        keep = {e.user_id for e in entries}
        for user_id, (row_id, score, rank, prev) in stored[board_id].items():
            existing[(board_id, start, user_id)] = (score, rank, prev)
            if user_id not in keep:
                stale.append(row_id)
        rows += [
            {"leaderboard_id": board_id, "period_start": start, "user_id": e.user_id,
             "score": e.score, "rank": e.rank, "previous_rank": previous.get(e.user_id)}
            for e in entries
        ]  # fmt: skip
    written = write_changes(session, ENTRIES, ["leaderboard_id", "period_start", "user_id"], rows, existing)
    if stale:
        session.execute(ENTRIES.delete().where(ENTRIES.c.id.in_(stale)))
    return written + len(stale)


def _snapshot_kind(session, kind, metric, boards, members, first, today, progress) -> int:
    """Snapshot every board of one period kind and metric from the period holding first to today's."""
    starts = list(periods(kind, first, today))
    ids = [b.id for b in boards]
    before = previous_ranks(session, kind, ids, starts[0])
    cumulative = (
        period_scores(session, None, starts[0], metric) if kind == LeaderboardPeriod.ALL_TIME else None
    )
    written = 0
    for done, start in enumerate(starts, 1):
        scores = period_scores(session, start, next_period(kind, start), metric)
        if cumulative is not None:
            for user_id, points in scores.items():
                cumulative[user_id] = cumulative.get(user_id, 0) + points
            scores = dict(cumulative)
        ranked = {b.id: rank_scores(board_scores(b, scores, members)) for b in boards}
        written += write_period(session, start, ranked, before)
        before = {board_id: {e.user_id: e.rank for e in entries} for board_id, entries in ranked.items()}
        if progress:
            progress(f"leaderboards:{kind.value}", done, len(starts))
    return written


def previous_ranks(session: Session, kind: LeaderboardPeriod, ids: list[int], start: date) -> dict:
    """Return {board: {user: rank}} stored for the period before the one starting on start."""
    earlier = stored_entries(session, ids, _previous_start(kind, start))
    return {b: {u: v[2] for u, v in users.items()} for b, users in earlier.items()}


def board_scores(board: Leaderboard, scores: dict[int, int], members: dict[int, set[int]]) -> dict[int, int]:
    """Return the scores of the learners on a board (a study group's members, or everyone)."""
    if board.study_group_id is None:
        return scores
    group = members[board.study_group_id]
    return {user_id: score for user_id, score in scores.items() if user_id in group}


def _previous_start(kind: LeaderboardPeriod, start: date) -> date:
    return period_start(kind, start - timedelta(days=1))


def active_boards(session: Session) -> list[Leaderboard]:
    """Return every active board, by id."""
    return list(session.scalars(select(Leaderboard).where(Leaderboard.is_active).order_by(Leaderboard.id)))


def by_kind_and_metric(boards: list[Leaderboard]) -> dict[tuple, list[Leaderboard]]:
    """Group boards by (period kind, metric), in a fixed order."""
    grouped: dict[tuple, list[Leaderboard]] = {}
    for board in boards:
        grouped.setdefault((board.period, board.metric), []).append(board)
    return dict(sorted(grouped.items(), key=lambda item: (item[0][0].value, item[0][1].value)))


def snapshot_leaderboards(
    session: Session, since: date | None = None, today: date | None = None, progress: Progress = None
) -> int:
    """Snapshot every active board for each period from since (or its metric's first item) to today."""
    today = today or datetime.now(UTC).date()
    boards = active_boards(session)
    members = group_members(session, boards)
    written = 0
    for (kind, metric), chosen in by_kind_and_metric(boards).items():
        first = since or _first_day(session, metric)
        if first is not None and first <= today:
            written += _snapshot_kind(session, kind, metric, chosen, members, first, today, progress)
    return written


def _first_day(session: Session, metric: LeaderboardMetric) -> date | None:
    _, at, _, condition = _metric_source(metric)
    query = select(func.min(at))
    first = session.scalar(query if condition is None else query.where(condition))
    return first.date() if first else None
