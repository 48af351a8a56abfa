"""Queries of the leaderboard report: boards a user may open, a period's table, trends, reasons.

Everything here reads the stored snapshots (LeaderboardEntry, written by
`webapp.services.leaderboards`) and the points-by-reason rollup, never the raw ledger of
the whole platform; ranks are the stored ones (ties share a rank). The period shown is the
one of the board that holds the end of the date range.
"""

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from webapp.models import Leaderboard, LeaderboardEntry, PointsReasonMetric, User, UserBadge
from webapp.models.analytics.metrics import group_scope
from webapp.models.core.enums import LeaderboardPeriod
from webapp.reports.filters import ReportFilter
from webapp.reports.queries.common import Context, Row
from webapp.reports.queries.people import labels
from webapp.reports.scope import Scope
from webapp.services.leaderboards import period_start

TABLE_LIMIT = 200
TOP_N = 10


def _board_rows(session: Session, query) -> list[dict]:
    return [
        {"id": r.id, "name": r.name, "period": r.period.value, "group_id": r.study_group_id}
        for r in session.execute(query)
    ]


def board_choices(
    session: Session, groups: frozenset[int] | None, group_id: int | None, board_id: int | None
) -> tuple[list[dict], dict | None]:
    """Return (the boards the chooser lists, the board to show): the global boards and those of the
    chosen group; the board asked for (None when the user may not open it) or, with none asked
    for, the first board the user may open by name. Only these rows are read, not every board of
    the district (a board per group and period: 1,500 at 500 groups)."""
    b = Leaderboard
    may = (
        b.is_active
        if groups is None
        else and_(b.is_active, or_(b.study_group_id.is_(None), b.study_group_id.in_(groups)))
    )
    columns = select(b.id, b.name, b.period, b.study_group_id).where(may)
    listed = (
        or_(b.study_group_id.is_(None), b.study_group_id == group_id)
        if group_id
        else b.study_group_id.is_(None)
    )
    shown = _board_rows(session, columns.where(listed).order_by(b.name, b.id))
    pick = (
        columns.where(b.id == board_id) if board_id is not None else columns.order_by(b.name, b.id).limit(1)
    )
    board = next(iter(_board_rows(session, pick)), None)
    if board is not None and all(x["id"] != board["id"] for x in shown):
        shown = sorted([*shown, board], key=lambda x: (x["name"], x["id"]))
    return shown, board


def period_of(board: dict, day: date) -> date:
    """Return the start of the board's period that holds day (all-time boards: its week)."""
    return period_start(LeaderboardPeriod(board["period"]), day)


def movement(rank: int, previous: int | None) -> dict:
    """Return how a learner moved since last period: up/down by n, same, or new."""
    if previous is None:
        return {"kind": "new", "delta": None, "label": "new"}
    if previous > rank:
        return {"kind": "up", "delta": previous - rank, "label": f"▲ {previous - rank}"}
    if previous < rank:
        return {"kind": "down", "delta": rank - previous, "label": f"▼ {rank - previous}"}
    return {"kind": "same", "delta": 0, "label": "="}


def learners_of(board: dict, scope: Scope) -> Scope:
    """Whose entries a board lists: a group's board its group; a global board the filter's scope."""
    if board["group_id"] is not None and not scope.is_empty:
        return Scope.of(board["group_id"], None)
    return scope


def board_table(session: Session, flt: ReportFilter, ctx: Context, limit: int = TABLE_LIMIT) -> list[dict]:
    """Return the ranked rows of the board's period that holds the range's end, of the learners in scope."""
    board, e = ctx["board"], LeaderboardEntry
    query = (
        select(e.user_id, User.display_name, e.score, e.rank, e.previous_rank)
        .join(User, User.id == e.user_id)
        .where(e.leaderboard_id == board["id"], e.period_start == period_of(board, flt.end))
        .where(learners_of(board, flt.scope).restrict(e.user_id))
        .order_by(e.rank, e.user_id)
        .limit(limit)
    )
    rows = session.execute(query).all()
    badges = badge_counts(session, [r.user_id for r in rows])
    names = labels(session, {(r.user_id, r.display_name) for r in rows})
    return [
        {
            "user_id": r.user_id,
            "name": names[r.user_id],
            "score": r.score,
            "rank": r.rank,
            "previous_rank": r.previous_rank,
            "movement": movement(r.rank, r.previous_rank),
            "badges": badges.get(r.user_id, 0),
        }
        for r in rows
    ]


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


def top_history(session: Session, flt: ReportFilter, ctx: Context) -> list[dict]:
    """Each score of the period's top learners on the board, per period starting in the range."""
    top = [r["user_id"] for r in board_table(session, flt, ctx, limit=TOP_N)]
    board = ctx["board"]
    return score_history(session, board["id"], top, period_of(board, flt.start), flt.end)


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
    rows = session.execute(query).all()
    names = labels(session, {(r.user_id, r.display_name) for r in rows})
    return [
        {
            "period_start": r.period_start,
            "user_id": r.user_id,
            "name": names[r.user_id],
            "score": r.score,
            "rank": r.rank,
        }
        for r in rows
    ]


def reason_scope(board_group: int | None, filter_scope: str | None) -> str | None:
    """Return the rollup scope that points by reason reads: the board's group, else the filter's."""
    return group_scope(board_group) if board_group is not None else filter_scope


def reasons(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (reason, net points, transactions) of the board's learners over the range, most points first."""
    scope = reason_scope(ctx["board"]["group_id"], flt.scope.key)
    return points_by_reason(session, scope, flt.start, flt.end) if scope else []


def points_by_reason(session: Session, scope: str, start: date, end: date) -> list[Row]:
    """Return (reason, net points, transactions) per reason of one scope over local days start..end."""
    m = PointsReasonMetric
    query = (
        select(m.reason, func.sum(m.points), func.sum(m.transactions))
        .where(m.scope == scope, m.day >= start, m.day <= end)
        .group_by(m.reason)
    )
    out = [(str(reason), int(points or 0), int(n or 0)) for reason, points, n in session.execute(query)]
    return sorted(out, key=lambda r: (-r[1], r[0]))
