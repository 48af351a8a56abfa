"""The data of every report figure: one function per figure, reading rollup tables only.

Each function takes a session and a `ReportFilter` and returns plain rows
(tuples), the same rows a chart plots and its CSV holds. They never read raw
event tables, so a page costs the same at any data volume. A filter whose scope
is None (a teacher without groups) gives no rows.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import GroupMember
from webapp.models.analytics.breakdowns import ContentTypeMetric, RetentionCohort
from webapp.models.analytics.metrics import DailyMetric, HourlyMetric
from webapp.models.analytics.risk import LearnerRiskFlag
from webapp.models.core.enums import GroupRole
from webapp.reports.filters import ReportFilter
from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS

Row = tuple[Any, ...]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ratio(num: float | None, den: float | None, scale: float = 1.0) -> float | None:
    return round(scale * num / den, 2) if num is not None and den else None


def _daily(session: Session, flt: ReportFilter, *columns: Any) -> list[Row]:
    """Return (day, *columns) of the daily rollups of the filter's scope and range, by day."""
    if flt.scope is None:
        return []
    stmt = (
        select(DailyMetric.day, *columns)
        .where(DailyMetric.scope == flt.scope, DailyMetric.day.between(flt.start, flt.end))
        .order_by(DailyMetric.day)
    )
    return [tuple(row) for row in session.execute(stmt)]


def _focus_sessions(buckets: dict | None) -> int:
    """Sessions with a focus score on a day: the buckets of the focus distribution add up to it."""
    return sum(int(v) for v in (buckets or {}).values())


def active_learners(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (day, daily, weekly, monthly active learners, stickiness % = daily / monthly)."""
    rows = _daily(
        session, flt, DailyMetric.active_learners, DailyMetric.weekly_active_learners,
        DailyMetric.monthly_active_learners,
    )  # fmt: skip
    return [(day, dau, wau, mau, _ratio(dau, mau, 100)) for day, dau, wau, mau in rows]


def sessions_and_minutes(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (day, sessions, learning minutes)."""
    rows = _daily(session, flt, DailyMetric.sessions, DailyMetric.learning_minutes)
    return [(day, n, round(float(m), 2)) for day, n, m in rows]


def activity_heatmap(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (weekday, hour, sessions, minutes): all 7 x 24 cells, or none without rollups."""
    if flt.scope is None:
        return []
    stmt = select(
        HourlyMetric.day, HourlyMetric.hour, HourlyMetric.sessions, HourlyMetric.learning_minutes
    ).where(HourlyMetric.scope == flt.scope, HourlyMetric.day.between(flt.start, flt.end))
    cells: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0])
    for day, hour, sessions, minutes in session.execute(stmt):
        cell = cells[(day.weekday(), hour)]
        cell[0] += sessions
        cell[1] += minutes
    if not cells:
        return []
    return [
        (WEEKDAYS[wd], hour, int(cells[(wd, hour)][0]), round(cells[(wd, hour)][1], 2))
        for wd in range(7)
        for hour in range(24)
    ]


def retention(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (cohort week, weeks later, cohort size, retained learners, retained %) for the cohorts
    whose week (Monday first) overlaps the range."""
    if flt.scope is None:
        return []
    c = RetentionCohort
    first_week = flt.start - timedelta(days=flt.start.weekday())
    stmt = (
        select(c.cohort_week, c.week_offset, c.cohort_size, c.retained_learners)
        .where(c.scope == flt.scope, c.cohort_week.between(first_week, flt.end))
        .order_by(c.cohort_week, c.week_offset)
    )
    return [(wk, off, size, kept, _ratio(kept, size, 100)) for wk, off, size, kept in session.execute(stmt)]


def focus_over_time(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (day, average focus score, sessions with a focus score)."""
    rows = _daily(session, flt, DailyMetric.avg_focus_score, DailyMetric.focus_buckets)
    return [(day, _round(avg), _focus_sessions(b)) for day, avg, b in rows]


def span_over_time(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (day, average attention span in minutes, spans recorded)."""
    rows = _daily(session, flt, DailyMetric.avg_span_seconds, DailyMetric.span_buckets)
    return [(day, _ratio(avg, 60), _focus_sessions(b)) for day, avg, b in rows]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _bucket_totals(rows: Sequence[Row], labels: Sequence[str]) -> list[Row]:
    totals = dict.fromkeys(labels, 0)
    for _day, buckets in rows:
        for label, count in (buckets or {}).items():
            totals[label] = totals.get(label, 0) + int(count)
    return [(label, n) for label, n in totals.items()] if rows else []


def focus_distribution(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (focus-score bucket, sessions) over the range."""
    rows = _daily(session, flt, DailyMetric.focus_buckets)
    return _bucket_totals(rows, [label for label, _ in FOCUS_BUCKETS])


def span_distribution(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (attention-span length bucket, spans) over the range."""
    rows = _daily(session, flt, DailyMetric.span_buckets)
    return _bucket_totals(rows, [label for label, _ in SPAN_BUCKETS])


def focus_by_hour(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (local hour, average focus score, sessions with a focus score) for hours with sessions."""
    if flt.scope is None:
        return []
    h = HourlyMetric
    stmt = (
        select(h.hour, func.sum(h.focus_score_sum), func.sum(h.focus_sessions), func.sum(h.sessions))
        .where(h.scope == flt.scope, h.day.between(flt.start, flt.end))
        .group_by(h.hour)
        .order_by(h.hour)
    )
    return [(hour, _ratio(fsum, fn), int(fn)) for hour, fsum, fn, n in session.execute(stmt) if n]


def focus_by_content_type(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (content type, average focus score, sessions, minutes), most sessions first."""
    if flt.scope is None:
        return []
    c = ContentTypeMetric
    stmt = (
        select(c.content_type, func.sum(c.focus_score_sum), func.sum(c.focus_sessions),
               func.sum(c.sessions), func.sum(c.learning_minutes))
        .where(c.scope == flt.scope, c.day.between(flt.start, flt.end))
        .group_by(c.content_type)
    )  # fmt: skip
    rows = [(ct, _ratio(fs, fn), int(n), round(float(m), 2)) for ct, fs, fn, n, m in session.execute(stmt)]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def interruptions_per_session(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (day, interruptions, sessions, interruptions per session)."""
    rows = _daily(session, flt, DailyMetric.interruptions, DailyMetric.sessions)
    return [(day, i, n, _ratio(i, n)) for day, i, n in rows]


def learners_at_risk(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (as-of day, learners flagged) for the flag days in the range, scoped to the group."""
    if flt.scope is None:
        return []
    r = LearnerRiskFlag
    stmt = select(r.as_of, func.count(func.distinct(r.user_id))).where(r.as_of.between(flt.start, flt.end))
    if flt.group_id is not None:
        members = select(GroupMember.user_id).where(
            GroupMember.group_id == flt.group_id, GroupMember.role == GroupRole.MEMBER
        )
        stmt = stmt.where(r.user_id.in_(members))
    stmt = stmt.group_by(r.as_of).order_by(r.as_of)
    return [(day, int(n)) for day, n in session.execute(stmt)]


def overview_daily(session: Session, flt: ReportFilter) -> list[Row]:
    """Rows (day, active, weekly active, monthly active, minutes, average focus, focus sessions)."""
    rows = _daily(
        session, flt, DailyMetric.active_learners, DailyMetric.weekly_active_learners,
        DailyMetric.monthly_active_learners, DailyMetric.learning_minutes, DailyMetric.avg_focus_score,
        DailyMetric.focus_buckets,
    )  # fmt: skip
    return [
        (d, a, w, m, round(float(mins), 2), _round(f), _focus_sessions(b)) for d, a, w, m, mins, f, b in rows
    ]


def kpis(daily: Sequence[Row], risk: Sequence[Row]) -> dict[str, Any]:
    """Return the overview's headline figures from overview_daily and learners_at_risk rows."""
    last: Row = daily[-1] if daily else (None, None, None, None, None, None, 0)
    focus_n = sum(r[6] for r in daily)
    focus_sum = sum(r[5] * r[6] for r in daily if r[5] is not None)
    return {
        "day": last[0],
        "active_today": last[1],
        "active_7": last[2],
        "active_30": last[3],
        "minutes": round(sum(r[4] for r in daily), 2) if daily else None,
        "avg_focus": round(focus_sum / focus_n, 2) if focus_n else None,
        "at_risk": risk[-1][1] if risk else None,
        "at_risk_day": risk[-1][0] if risk else None,
    }


def last_day(rows: Sequence[Row]) -> date | None:
    """The last day of day-keyed rows."""
    return rows[-1][0] if rows else None
