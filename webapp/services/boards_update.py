"""Leaderboards brought up to date for a few learners, without re-reading everyone's activity.

The engine update (services/engine_update.py) calls `update_boards` for the
learners whose activity changed. For each board those learners are on and each
period from the first changed day to today, the stored entries of everyone else
are kept, the changed learners' scores are read from their own rows, and the
whole board is ranked again (ranks move for everyone); only rows that differ are
written. A period that has no stored entries yet (a new week) is computed from
all of its activity once, as a full snapshot would. The result is exactly what
`snapshot_leaderboards` writes, given that the other learners' entries were
current (their activity did not change: it would have been marked).
"""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import GroupMember, Leaderboard
from webapp.models.core.enums import GroupRole, LeaderboardMetric, LeaderboardPeriod
from webapp.services.leaderboards import (
    active_boards,
    board_scores,
    by_kind_and_metric,
    group_members,
    next_period,
    period_scores,
    period_start,
    periods,
    rank_scores,
    stored_entries,
    write_period,
)


def _boards_of(session: Session, user_ids: set[int]) -> list[Leaderboard]:
    """Return the active boards any of these learners can be on: global ones and their groups'."""
    groups: set[int] = set()
    ids = sorted(user_ids)
    for i in range(0, len(ids), 5000):
        query = select(GroupMember.group_id).where(
            GroupMember.user_id.in_(ids[i : i + 5000]), GroupMember.role == GroupRole.MEMBER
        )
        groups.update(session.scalars(query.distinct()))
    return [b for b in active_boards(session) if b.study_group_id is None or b.study_group_id in groups]


def update_boards(session: Session, user_ids: set[int], first: date, today: date) -> int:
    """Re-rank the boards these learners are on for every period from first's to today's; return rows."""
    if not user_ids or first > today:
        return 0
    boards = _boards_of(session, user_ids)
    members = group_members(session, boards)
    written = 0
    for (kind, metric), chosen in by_kind_and_metric(boards).items():
        written += _update_kind(session, kind, metric, chosen, members, user_ids, first, today)
    return written


class _Period:
    """One period of one (kind, metric): each set of scores read at most once."""

    def __init__(self, session, kind, metric, start: date, changed: set[int]) -> None:
        self.session, self.kind, self.metric, self.start = session, kind, metric, start
        self.end = next_period(kind, start)
        self.all_time = kind == LeaderboardPeriod.ALL_TIME
        self.changed_ids = changed
        self._cache: dict = {}

    def scores(self, user_ids: set[int] | None, cumulative: bool) -> dict[int, int]:
        """Scores in the period (from the beginning when cumulative), of some learners or all."""
        key = (None if user_ids is None else id(user_ids), cumulative)
        if key not in self._cache:
            since = None if cumulative else self.start
            self._cache[key] = period_scores(self.session, since, self.end, self.metric, user_ids)
        return self._cache[key]

    def changed(self) -> dict[int, int]:
        """The changed learners' scores (cumulative on all-time boards)."""
        return self.scores(self.changed_ids, self.all_time)

    def whole_board(self, board: Leaderboard, members: dict, before: dict[int, int]) -> dict[int, int]:
        """Every score of a board not stored for this period yet (a new week or month)."""
        if board.study_group_id is not None:  # a group: its members' own rows
            return board_scores(board, self.scores(members[board.study_group_id], self.all_time), members)
        if not self.all_time:
            return self.scores(None, False)
        if not before:  # no earlier week stored: read from the beginning
            return self.scores(None, True)
        added = self.scores(None, False)
        return {u: before.get(u, 0) + added.get(u, 0) for u in set(before) | set(added)}


def _update_kind(
    session: Session,
    kind: LeaderboardPeriod,
    metric: LeaderboardMetric,
    boards: list[Leaderboard],
    members: dict[int, set[int]],
    changed: set[int],
    first: date,
    today: date,
) -> int:
    ids = [b.id for b in boards]
    starts = list(periods(kind, first, today))
    earlier = stored_entries(session, ids, period_start(kind, starts[0] - timedelta(days=1)))
    before = {b: {u: v[2] for u, v in users.items()} for b, users in earlier.items()}
    scores_before = {b: {u: v[1] for u, v in users.items()} for b, users in earlier.items()}
    written = 0
    for start in starts:
        period = _Period(session, kind, metric, start, changed)
        stored = stored_entries(session, ids, start)
        ranked = {}
        for board in boards:
            if stored[board.id]:
                scores = {u: v[1] for u, v in stored[board.id].items() if u not in changed}
                scores.update(board_scores(board, period.changed(), members))
            else:
                scores = period.whole_board(board, members, scores_before[board.id])
            ranked[board.id] = rank_scores(scores)
        written += write_period(session, start, ranked, before)
        before = {b: {e.user_id: e.rank for e in entries} for b, entries in ranked.items()}
        scores_before = {b: {e.user_id: e.score for e in entries} for b, entries in ranked.items()}
    return written
