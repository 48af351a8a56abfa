"""Queries of the attention report: focus and attention span over time, distributions, breakdowns."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models.analytics.breakdowns import ContentTypeMetric
from webapp.models.analytics.metrics import DailyMetric, HourlyMetric
from webapp.reports.filters import ReportFilter
from webapp.reports.queries.common import Context, Row, bucket_count, daily, ratio, weighted_sum
from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS


def focus_over_time(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (day, average focus score, sessions with a focus score, sum of their scores)."""
    rows = daily(session, flt, DailyMetric.avg_focus_score, DailyMetric.focus_buckets)
    return [(day, avg, bucket_count(b), weighted_sum(avg, bucket_count(b))) for day, avg, b in rows]


def span_over_time(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (day, average attention span in minutes, spans recorded)."""
    rows = daily(session, flt, DailyMetric.avg_span_seconds, DailyMetric.span_buckets)
    return [(day, ratio(avg, 60), bucket_count(b)) for day, avg, b in rows]


def _bucket_totals(rows: Sequence[Row], labels: Sequence[str]) -> list[Row]:
    totals = dict.fromkeys(labels, 0)
    for _day, buckets in rows:
        for label, count in (buckets or {}).items():
            totals[label] = totals.get(label, 0) + int(count)
    return [(label, n) for label, n in totals.items()] if rows else []


def focus_distribution(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (focus-score bucket, sessions) over the range."""
    rows = daily(session, flt, DailyMetric.focus_buckets)
    return _bucket_totals(rows, [label for label, _ in FOCUS_BUCKETS])


def span_distribution(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (attention-span length bucket, spans) over the range."""
    rows = daily(session, flt, DailyMetric.span_buckets)
    return _bucket_totals(rows, [label for label, _ in SPAN_BUCKETS])


def focus_by_hour(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (local hour, average focus score, sessions with a focus score) for hours with sessions."""
    h = HourlyMetric
    stmt = (
        select(h.hour, func.sum(h.focus_score_sum), func.sum(h.focus_sessions), func.sum(h.sessions))
        .where(h.scope == flt.scope.key, h.day.between(flt.start, flt.end))
        .group_by(h.hour)
        .order_by(h.hour)
    )
    return [(hour, ratio(fsum, fn), int(fn)) for hour, fsum, fn, n in session.execute(stmt) if n]


def focus_by_content_type(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (content type, average focus score, sessions with a focus score, sessions, minutes)."""
    c = ContentTypeMetric
    stmt = (
        select(
            c.content_type,
            func.sum(c.focus_score_sum),
            func.sum(c.focus_sessions),
            func.sum(c.sessions),
            func.sum(c.learning_minutes),
        )
        .where(c.scope == flt.scope.key, c.day.between(flt.start, flt.end))
        .group_by(c.content_type)
    )
    rows = [(ct, ratio(fs, fn), int(fn), int(n), float(m)) for ct, fs, fn, n, m in session.execute(stmt)]
    return sorted(rows, key=lambda r: (-r[3], r[0]))


def interruptions_per_session(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (day, interruptions, sessions, interruptions per session)."""
    rows = daily(session, flt, DailyMetric.interruptions, DailyMetric.sessions)
    return [(day, i, n, ratio(i, n)) for day, i, n in rows]
