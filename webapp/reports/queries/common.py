"""Helpers shared by the report queries: the daily rollups of a filter, sums and counts."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models.analytics.metrics import DailyMetric
from webapp.reports.filters import ReportFilter

Row = tuple[Any, ...]
Context = Mapping[str, Any]


def ratio(num: float | None, den: float | None, scale: float = 1.0) -> float | None:
    """num / den times scale, or None without a denominator (never rounded: specs round to show)."""
    return scale * float(num) / den if num is not None and den else None


def daily(session: Session, flt: ReportFilter, *columns: Any) -> list[Row]:
    """Return (day, *columns) of the daily rollups of the filter's scope and range, by day."""
    if flt.scope.key is None:
        return []
    stmt = (
        select(DailyMetric.day, *columns)
        .where(DailyMetric.scope == flt.scope.key, DailyMetric.day.between(flt.start, flt.end))
        .order_by(DailyMetric.day)
    )
    return [tuple(row) for row in session.execute(stmt)]


def bucket_count(buckets: dict | None) -> int:
    """How many values a day's distribution counted (its buckets add up to it)."""
    return sum(int(v) for v in (buckets or {}).values())


def weighted_sum(average: float | None, count: int) -> float:
    """The sum behind a stored average (average x count; 0 without one)."""
    return float(average) * count if average is not None else 0.0
