"""The leaderboard report: a board's period that holds the range's end, its top 10 over the
range, and points by reason over the range.

The board is part of the path (`/reports/leaderboard/<board_id>`); without one, the first
board the user may open (by name). The chooser lists the global boards and those of the
chosen group (a district has a board per group and period).
"""

from datetime import UTC, date, datetime, timedelta

from babel import dates
from flask import abort
from flask_babel import get_locale
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.i18n import N_, day_text, lazy_tr, tr
from webapp.models.core.enums import LeaderboardPeriod
from webapp.reports.charts import Chart, Column, bar, table
from webapp.reports.definitions import EMPTY, define
from webapp.reports.filters import ReportFilter
from webapp.reports.labels import labelled
from webapp.reports.queries import leaderboard as q
from webapp.reports.queries.common import Context, Row
from webapp.reports.registry import Report, register
from webapp.services.leaderboards import next_period

MAX_ID = 2_147_483_647
COLUMNS = (
    Column("rank", lazy_tr("Rank"), kind="number"),
    Column("movement", lazy_tr("Movement"), kind="label"),
    Column("previous_rank", lazy_tr("Previous rank"), hidden=True),
    Column("learner_id", lazy_tr("Learner id"), hidden=True),
    Column("learner", lazy_tr("Learner"), kind="learner", link="learner_id"),
    Column("points", lazy_tr("Points"), kind="number"),
    Column("badges", lazy_tr("Badges"), kind="number"),
)
# The periods as the board list names them (template: tr(period)).
PERIOD_NAMES = (N_("weekly"), N_("monthly"), N_("all time"))
HEADINGS = {
    "weekly": N_("{board}: week of {start} to {end} (UTC)"),
    "monthly": N_("{board}: {month} (UTC)"),
    "all_time": N_("{board}: all-time points up to {end} (UTC)"),
}


def load(session: Session, flt: ReportFilter, raw: str | None, args: MultiDict) -> Context:
    """The board of the URL (or the first one), and the boards the chooser lists."""
    if raw is not None and (not raw.isdigit() or int(raw) > MAX_ID):
        abort(404)
    board_id = int(raw) if raw is not None else None
    shown, board = q.board_choices(session, flt.scope.visible, flt.group_id, board_id)
    if raw is not None and board is None:
        abort(404)  # no such board, or a group board of a group the user may not see
    if board is None:
        return {"board": None, "boards": shown, "cache_key": None}
    return {
        "board": board,
        "boards": shown,
        "cache_key": f"board:{board['id']}",
        "url_context": board["id"],
        "today": datetime.now(UTC).date(),
    }


REPORT = register(
    Report(
        "leaderboard",
        lazy_tr("Leaderboard"),
        "reports/leaderboard.html",
        nav=4,
        load=load,
        url_context="optional",
    )
)


def _when_board(query):
    """A query that answers nothing when there is no board to show."""
    return lambda session, flt, ctx: query(session, flt, ctx) if ctx.get("board") else []


def heading(board: dict, flt: ReportFilter, today: date) -> str:
    """What the table shows: the board and its period, in words (an all-time board: up to when)."""
    kind = LeaderboardPeriod(board["period"])
    start = q.period_of(board, flt.end)
    end = next_period(kind, start) - timedelta(days=1)
    text = tr(HEADINGS["monthly" if kind == LeaderboardPeriod.MONTHLY else kind.value])
    month = dates.format_date(start, "LLLL y", locale=get_locale()) if get_locale() else f"{start:%B %Y}"
    return text.format(board=board["name"], start=day_text(start), end=day_text(min(end, today)), month=month)


@REPORT.figure("table", _when_board(q.board_table))
def board_table(rows: list[dict], flt: ReportFilter, ctx: Context) -> Chart:
    """The period's ranks, movement since the previous period, points and badges."""
    cells = [
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
    board = ctx.get("board")
    title = heading(board, flt, ctx["today"]) if board else REPORT.title
    return table(
        "table",
        title,
        COLUMNS,
        cells,
        definition=define("board_period", "movement"),
        empty_message=EMPTY["no_entries"] if board else EMPTY["no_boards"],
        extra={"moves": [r["movement"]["kind"] for r in rows]},
    )


@REPORT.figure("trend", _when_board(q.top_history))
def trend_chart(history: list[dict], flt: ReportFilter, ctx: Context) -> Chart:
    """Points per period of the period's top 10 on the board: one line each."""
    rows = [(h["period_start"], h["user_id"], h["name"], h["score"], h["rank"]) for h in history]
    traces = []
    for user_id in dict.fromkeys(r[1] for r in rows):
        mine = [r for r in rows if r[1] == user_id]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": mine[0][2],
                "x": [r[0].isoformat() for r in mine],
                "y": [r[3] for r in mine],
                "customdata": [r[4] for r in mine],
                "hovertemplate": tr(
                    "%{fullData.name}<br>period from %{x}<br>%{y:,} points, rank %{customdata}<extra></extra>"
                ),
            }
        )
    return Chart(
        id="trend",
        title=tr("Points over time, top 10 of this period"),
        header=["period_start", "learner_id", "learner", "points", "rank"],
        rows=rows,
        traces=traces,
        x_title=tr("Period starting (UTC)"),
        y_title=tr("Points on the board"),
        definition=define("board_period"),
        empty_message=EMPTY["no_snapshots"],
    )


@REPORT.figure("reasons", _when_board(q.reasons))
def reasons_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Net points per reason (ledger reasons) over the date range."""
    rows = [(reason.replace("_", " "), points, n) for reason, points, n in rows]
    return Chart(
        id="reasons",
        title=tr("Points by reason"),
        header=["reason", "net_points", "transactions"],
        rows=rows,
        traces=[bar(labelled(rows, 0), 0, 1, tr("Net points"), tr("%{x}<br>%{y:,} net points"))],
        x_title=tr("Reason"),
        y_title=tr("Net points"),
        definition=define("points"),
        empty_message=EMPTY["no_points"],
    )
