"""Queries of the overview: the daily rollups behind its headline figures and trends."""

from sqlalchemy.orm import Session

from webapp.models.analytics.metrics import DailyMetric
from webapp.reports.filters import ReportFilter
from webapp.reports.queries import risk
from webapp.reports.queries.common import Context, Row, bucket_count, daily, weighted_sum
from webapp.services.analytics.risk import latest_evaluation


def overview_daily(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (day, active, weekly active, monthly active, minutes, focus sessions, focus score sum)."""
    m = DailyMetric
    rows = daily(
        session,
        flt,
        m.active_learners,
        m.weekly_active_learners,
        m.monthly_active_learners,
        m.learning_minutes,
        m.avg_focus_score,
        m.focus_buckets,
    )
    return [
        (d, a, w, mo, float(mins), bucket_count(b), weighted_sum(f, bucket_count(b)))
        for d, a, w, mo, mins, f, b in rows
    ]


def at_risk_count(session: Session, flt: ReportFilter) -> tuple:
    """(the latest evaluation up to the range's end, learners in scope it flagged)."""
    as_of = latest_evaluation(session, flt.end)
    return as_of, risk.learners_flagged(session, flt.scope, as_of)


def headline(session: Session, flt: ReportFilter, ctx: Context) -> dict:
    """The rows of the KPI tiles: this range and the previous one of equal length."""
    before = flt.previous()
    return {
        "now": overview_daily(session, flt, ctx),
        "before": overview_daily(session, before, ctx),
        "risk": at_risk_count(session, flt),
        "risk_before": at_risk_count(session, before),
    }
