"""The scheduled analytics refresh: the days ingest marked, the trailing window, any missing day.

The refresh itself (services/analytics/rollups.py) commits chunk by chunk on its own
connection, so the marks are released after it, in a transaction of their own: a
run that dies in between leaves the marks, and the next run recomputes those days
again (an upsert: harmless).
"""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from webapp.services import marks
from webapp.services.analytics.rollups import TRAILING_DAYS, refresh, utc_today


def refresh_marked(session: Session, today: date | None = None) -> dict[str, int]:
    """Refresh the marked days outside the trailing window, then the default refresh; release the marks.

    Marked days are refreshed as a set of days (not as a backfill range), so the at-risk
    flags and cohorts are evaluated only for as-of days not evaluated yet: late data shows
    in the following days' flags instead of re-evaluating weeks of history every run.
    """
    taken = marks.claim(session, marks.REFRESH)
    session.commit()  # end the read: the refresh runs on its own connection
    engine = session.get_bind()
    last = today or utc_today()
    window_start = last - timedelta(days=TRAILING_DAYS - 1)
    # Late data (before the window) and local days already begun east of UTC (after it).
    late = [day for day in taken.days if day < window_start or day > last]
    counts = {"marks": len(taken), "late_days": len(late), "days": 0, "rollup_rows": 0}
    runs = [refresh(engine, days=late, today=today)] if late else []
    runs.append(refresh(engine, today=today))  # the trailing window and every missing day
    for stats in runs:
        counts["days"] += stats.days
        counts["rollup_rows"] += stats.rows
    counts["marks_released"] = marks.release(session, taken)
    session.commit()
    _invalidate()
    return counts


def _invalidate() -> None:
    from webapp.services.engine_update import invalidate_report_cache

    invalidate_report_cache()
