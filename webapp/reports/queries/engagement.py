"""Queries of the engagement report: actives and stickiness, volumes, when learners learn, retention."""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models.analytics.breakdowns import RetentionCohort
from webapp.models.analytics.metrics import DailyMetric, HourlyMetric
from webapp.reports.filters import ReportFilter
from webapp.reports.queries.common import Context, Row, daily, ratio

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def active_learners(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (day, daily, weekly, monthly active learners, stickiness % = daily / monthly)."""
    m = DailyMetric
    rows = daily(session, flt, m.active_learners, m.weekly_active_learners, m.monthly_active_learners)
    return [(day, dau, wau, mau, ratio(dau, mau, 100)) for day, dau, wau, mau in rows]


def sessions_and_minutes(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (day, sessions, learning minutes)."""
    return [
        (day, n, float(m))
        for day, n, m in daily(session, flt, DailyMetric.sessions, DailyMetric.learning_minutes)
    ]


def activity_heatmap(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (weekday, hour, sessions, minutes): all 7 x 24 cells, or none without rollups."""
    h = HourlyMetric
    stmt = select(h.day, h.hour, h.sessions, h.learning_minutes).where(
        h.scope == flt.scope.key, h.day.between(flt.start, flt.end)
    )
    cells: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0])
    for day, hour, sessions, minutes in session.execute(stmt):
        cell = cells[(day.weekday(), hour)]
        cell[0] += sessions
        cell[1] += minutes
    if not cells:
        return []
    return [
        (WEEKDAYS[wd], hour, int(cells[(wd, hour)][0]), float(cells[(wd, hour)][1]))
        for wd in range(7)
        for hour in range(24)
    ]


def retention(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (cohort week, weeks later, cohort size, retained learners, retained %, as of) for the
    cohorts whose week (Monday first) overlaps the range."""
    c = RetentionCohort
    first_week = flt.start - timedelta(days=flt.start.weekday())
    stmt = (
        select(c.cohort_week, c.week_offset, c.cohort_size, c.retained_learners, c.as_of)
        .where(c.scope == flt.scope.key, c.cohort_week.between(first_week, flt.end))
        .order_by(c.cohort_week, c.week_offset)
    )
    return [
        (wk, off, size, kept, ratio(kept, size, 100), as_of)
        for wk, off, size, kept, as_of in session.execute(stmt)
    ]
