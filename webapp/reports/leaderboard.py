"""The leaderboard report: a board's current table, its top 10 over time, points by reason.

The board is part of the path (`/reports/leaderboard/<board_id>`), so the filter
bar's links and forms, which keep the path, keep the chosen board too.
"""

from flask import abort, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from webapp.auth.access import visible_group_ids
from webapp.extensions import db
from webapp.models.core.enums import LeaderboardPeriod
from webapp.reports import bp
from webapp.reports import leaderboard_queries as q
from webapp.reports.charts import NO_GROUPS, Chart, bar, csv_response
from webapp.reports.filters import ReportFilter
from webapp.reports.views import current_filter
from webapp.services.leaderboards import period_start

TABLE_HEADER = ("rank", "movement", "previous_rank", "learner_id", "learner", "points", "badges")
NO_BOARDS = "There is no active leaderboard you can open yet (operators create them in the admin)."
NO_ENTRIES = (
    "Nobody shown here is on this board up to the end of the range: no learner of the group has "
    "earned points in the period yet, or the board has no snapshot "
    "(`flask --app wsgi gamification recompute`)."
)


def table_rows(rows: list[dict]) -> list[tuple]:
    """Return the table as CSV rows (TABLE_HEADER order)."""
    return [
        (
            r["rank"],
            r["movement"]["label"],
            r["previous_rank"],
            r["user_id"],
            r["name"],
            r["score"],
            r["badges"],
        )
        for r in rows
    ]


def trend_chart(history: list[dict]) -> Chart:
    """Points per period of the top learners: one line each."""
    rows = [(h["period_start"], h["user_id"], h["name"], h["score"], h["rank"]) for h in history]
    traces = []
    for user_id in dict.fromkeys(r[1] for r in rows):
        mine = [r for r in rows if r[1] == user_id]
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": mine[0][2],
            "x": [r[0].isoformat() for r in mine], "y": [r[3] for r in mine],
            "customdata": [r[4] for r in mine],
            "hovertemplate": "%{fullData.name}<br>period from %{x}<br>%{y} points, rank %{customdata}"
                             "<extra></extra>",
        })  # fmt: skip
    return Chart(
        id="trend", title="Points over time, top 10 of this period",
        header=["period_start", "learner_id", "learner", "points", "rank"], rows=rows, traces=traces,
        x_title="Period starting", y_title="Points on the board",
        empty_message="None of this period's top 10 has a snapshot in the chosen date range.",
    )  # fmt: skip


def reasons_chart(reasons: list[dict]) -> Chart:
    """Net points per reason (ledger reasons) over the date range."""
    rows = [(r["reason"].replace("_", " "), r["points"], r["transactions"]) for r in reasons]
    return Chart(
        id="reasons", title="Points by reason", header=["reason", "net_points", "transactions"], rows=rows,
        traces=[bar(rows, 0, 1, "Net points", "%{x}<br>%{y} net points")],
        x_title="Reason", y_title="Net points",
        empty_message="No points were earned or spent in this range (or the rollups are not refreshed yet).",
    )  # fmt: skip


def _choose(boards: list[dict], board_id: int | None) -> dict | None:
    if board_id is None:
        return boards[0] if boards else None
    board = next((b for b in boards if b["id"] == board_id), None)
    if board is None:
        abort(404)  # no such board, or a group board of a group the user may not see
    return board


def build(session: Session, flt: ReportFilter, board_id: int | None) -> dict:
    """Return everything the page shows: boards, the chosen board, its table and charts."""
    visible = q.visible_boards(session, visible_group_ids(session, current_user))
    board = _choose(visible, board_id)
    # The chooser lists the global boards and those of the chosen group (a district has a board
    # per group and period: 1,500 links at the large demo size, most of the page's time).
    boards = [b for b in visible if b["group_id"] is None or b["group_id"] == flt.group_id or b is board]
    page = {"boards": boards, "board": board, "period": None, "rows": [], "charts": {}}
    if board is None:
        return page
    period = q.current_period(session, board["id"], flt.end)
    learners = set() if flt.no_groups else q.board_learners(board["group_id"], flt.group_id)
    rows = q.board_table(session, board["id"], period, learners) if period else []
    first = period_start(LeaderboardPeriod(board["period"]), flt.start)
    top = [r["user_id"] for r in rows[: q.TOP_N]]
    scope = q.reason_scope(board["group_id"], flt.scope)
    charts = {
        "trend": trend_chart(q.score_history(session, board["id"], top, first, flt.end)),
        "reasons": reasons_chart(q.points_by_reason(session, scope, flt.start, flt.end) if scope else []),
    }
    for name, chart in charts.items():
        chart.id = f"leaderboard-{name}"
        chart.empty_message = NO_GROUPS if flt.no_groups else chart.empty_message
        chart.csv_url = url_for("reports.leaderboard_csv", board_id=board["id"], chart=name, **flt.to_args())
    page.update(period=period, rows=rows, charts=charts)
    return page


@bp.get("/reports/leaderboard", defaults={"board_id": None})
@bp.get("/reports/leaderboard/<int(max=2147483647):board_id>")
def leaderboard(board_id: int | None):
    """A leaderboard's current table (rank, movement, points, badges) and its charts."""
    flt = current_filter()
    page = build(db.session, flt, board_id)
    return render_template(
        "reports/leaderboard.html", flt=flt, report_key="leaderboard", page=page,
        empty_table=_empty_table(flt, page),
    )  # fmt: skip


def _empty_table(flt: ReportFilter, page: dict) -> str:
    if flt.no_groups:
        return NO_GROUPS
    return NO_BOARDS if page["board"] is None else NO_ENTRIES


@bp.get("/reports/leaderboard/<int(max=2147483647):board_id>/<chart>.csv")
def leaderboard_csv(board_id: int, chart: str):
    """The table or one chart of a board as CSV, for the same filter."""
    flt = current_filter()
    page = build(db.session, flt, board_id)
    name = f"leaderboard-{board_id}-{chart}-{flt.end.isoformat()}.csv"
    if chart == "table":
        return csv_response(name, TABLE_HEADER, table_rows(page["rows"]))
    if chart not in page["charts"]:
        abort(404)
    result = page["charts"][chart]
    return csv_response(name, result.header, result.rows)
