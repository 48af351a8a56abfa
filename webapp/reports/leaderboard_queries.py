"""Queries of the leaderboard report: boards a user may open, a period's table, trends.

Everything here reads the stored snapshots (LeaderboardEntry, written by
`webapp.services.leaderboards`) and the points-by-reason rollup, never the raw
ledger of the whole platform; ranks are the stored ones (ties share a rank).
"""

from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from webapp.models import (
    GroupMember,
    Leaderboard,
    LeaderboardEntry,
    PointsReasonMetric,
    User,
    UserBadge,
)
from webapp.models.analytics.metrics import group_scope
from webapp.models.core.enums import GroupRole

TABLE_LIMIT = 200
TOP_N = 10


def members_of(groups: set[int]) -> Select:
    """Return a select of the ids of the learners (members) of these groups."""
    return select(GroupMember.user_id).where(
        GroupMember.group_id.in_(groups), GroupMember.role == GroupRole.MEMBER
    )


def visible_boards(session: Session, groups: set[int] | None) -> list[dict]:
    """Return the active boards a user may open: all, or global ones and those of their groups."""
    b = Leaderboard  # columns, not ORM objects: a district has a board per group and period
    query = select(b.id, b.name, b.period, b.study_group_id).where(b.is_active).order_by(b.name, b.id)
    if groups is not None:
        query = query.where(or_(b.study_group_id.is_(None), b.study_group_id.in_(groups)))
    return [
        {"id": r.id, "name": r.name, "period": r.period.value, "group_id": r.study_group_id}
        for r in session.execute(query)
    ]


def current_period(session: Session, board_id: int, on_or_before: date | None = None) -> date | None:
    """Return the latest snapshotted period start of a board (not after on_or_before)."""
    query = select(func.max(LeaderboardEntry.period_start)).where(LeaderboardEntry.leaderboard_id == board_id)
    if on_or_before is not None:
        query = query.where(LeaderboardEntry.period_start <= on_or_before)
    return session.scalar(query)


def movement(rank: int, previous: int | None) -> dict:
    """Return how a learner moved since last period: up/down by n, same, or new."""
    if previous is None:
        return {"kind": "new", "delta": None, "label": "new"}
    if previous > rank:
        return {"kind": "up", "delta": previous - rank, "label": f"▲ {previous - rank}"}
    if previous < rank:
        return {"kind": "down", "delta": rank - previous, "label": f"▼ {rank - previous}"}
    return {"kind": "same", "delta": 0, "label": "="}


def board_table(
    session: Session, board_id: int, period: date, learners: set[int] | None, limit: int = TABLE_LIMIT
) -> list[dict]:
    """Return one period's ranked rows of a board, only of the learners of groups when given."""
    e = LeaderboardEntry
    query = (
        select(e.user_id, User.display_name, e.score, e.rank, e.previous_rank)
        .join(User, User.id == e.user_id)
        .where(e.leaderboard_id == board_id, e.period_start == period)
        .order_by(e.rank, e.user_id)
        .limit(limit)
    )
    if learners is not None:
        query = query.where(e.user_id.in_(members_of(learners)))
    rows = session.execute(query).all()
    badges = badge_counts(session, [r.user_id for r in rows])
    return [
        {"user_id": r.user_id, "name": r.display_name, "score": r.score, "rank": r.rank,
         "previous_rank": r.previous_rank, "movement": movement(r.rank, r.previous_rank),
         "badges": badges.get(r.user_id, 0)}
        for r in rows
    ]  # fmt: skip


def badge_counts(session: Session, user_ids: list[int]) -> dict[int, int]:
    """Return how many badges each of these learners holds."""
    if not user_ids:
        return {}
    query = (
        select(UserBadge.user_id, func.count())
        .where(UserBadge.user_id.in_(user_ids))
        .group_by(UserBadge.user_id)
    )
    return {user_id: int(n) for user_id, n in session.execute(query)}


def score_history(session: Session, board_id: int, user_ids: list[int], start: date, end: date) -> list[dict]:
    """Return each learner's score on the board per period starting between start and end."""
    if not user_ids:
        return []
    e = LeaderboardEntry
    query = (
        select(e.period_start, e.user_id, User.display_name, e.score, e.rank)
        .join(User, User.id == e.user_id)
        # `+ 0` keeps SQLite off the (board, period) index, which would walk every learner's entry of
        # every period in range (20,000 per week at the large size): the few learners' own rows are
        # found through the user_id index instead (78 -> see bench/FINDINGS.md).
        .where((e.leaderboard_id + 0) == board_id, e.user_id.in_(user_ids))
        .where(e.period_start >= start, e.period_start <= end)
        .order_by(e.period_start, e.rank, e.user_id)
    )
    return [
        {"period_start": r.period_start, "user_id": r.user_id, "name": r.display_name,
         "score": r.score, "rank": r.rank}
        for r in session.execute(query)
    ]  # fmt: skip


def board_learners(board_group: int | None, chosen_group: int | None) -> set[int] | None:
    """Return the groups whose learners a board's table lists (None: everyone on the board).

    A group's board always shows its own group; the filter's group narrows a global board
    (for a teacher it is always set, so they never see other groups' learners).
    """
    if board_group is not None:
        return {board_group}
    return None if chosen_group is None else {chosen_group}


def reason_scope(board_group: int | None, filter_scope: str | None) -> str | None:
    """Return the rollup scope that points by reason reads: the board's group, else the filter's."""
    return group_scope(board_group) if board_group is not None else filter_scope


def points_by_reason(session: Session, scope: str, start: date, end: date) -> list[dict]:
    """Return net points and transactions per reason of one scope over local days start..end."""
    m = PointsReasonMetric
    query = (
        select(m.reason, func.sum(m.points), func.sum(m.transactions))
        .where(m.scope == scope, m.day >= start, m.day <= end)
        .group_by(m.reason)
    )
    return _reason_rows(session.execute(query))


def _reason_rows(rows) -> list[dict]:
    out = [
        {"reason": str(reason), "points": int(points or 0), "transactions": int(n or 0)}
        for reason, points, n in rows
    ]
    return sorted(out, key=lambda r: (-r["points"], r["reason"]))
