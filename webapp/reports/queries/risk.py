"""Queries of risk, for every page that shows it: the overview, the at-risk report, a learner's page.

The flags are written by the analytics refresh (webapp.services.analytics.risk), one row per
learner and rule that fired, and one RiskEvaluation row per evaluated day; pages only read
them. "The flags as of a day" are always those of `risk.latest_evaluation(session, day)`.

The whole district's count per day is the evaluation's own `learners_flagged`, written by the
refresh: a district-wide page reads one row per day, never the day's thousands of flags. A
group's count is counted over its members' flags (as many as the group has learners).
"""

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from webapp.models import LearnerRiskFlag, RiskEvaluation, User
from webapp.reports.filters import ReportFilter
from webapp.reports.queries.common import Context, Row
from webapp.reports.queries.people import labels
from webapp.reports.scope import Scope
from webapp.services.analytics.risk import RULE_WINDOWS, RULES, latest_evaluation, stored_rule_windows

# sort argument -> the columns it orders by; anything else falls back to DEFAULT_SORT.
SORTS = {
    "learner": (func.lower(User.display_name), User.id),
    "rule": (LearnerRiskFlag.rule, func.lower(User.display_name)),
    "value": (LearnerRiskFlag.value, func.lower(User.display_name)),
    "detail": (LearnerRiskFlag.detail, func.lower(User.display_name)),
}
DEFAULT_SORT = "learner"
# Rows per page of the table: a district can have thousands of flags; the CSV has them all.
PAGE_SIZE = 100


def parse_sort(raw: str | None) -> tuple[str, bool]:
    """Return (column, descending) from a `sort=` argument such as "rule" or "-value"."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def _scoped(query: Select, scope: Scope) -> Select:
    return query.where(scope.restrict(LearnerRiskFlag.user_id))


def series(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (day, learners flagged in scope) for every evaluated day of the range (0 when none was)."""
    f, e = LearnerRiskFlag, RiskEvaluation
    if flt.scope.group_ids is None:  # the district: the refresh counted each day
        query = select(e.as_of, e.learners_flagged).where(e.as_of.between(flt.start, flt.end))
        return [(day, int(n)) for day, n in session.execute(query.order_by(e.as_of))]
    days = session.scalars(select(e.as_of).where(e.as_of.between(flt.start, flt.end)).order_by(e.as_of))
    counts = select(f.as_of, func.count(func.distinct(f.user_id))).where(f.as_of.between(flt.start, flt.end))
    found = dict(session.execute(_scoped(counts, flt.scope).group_by(f.as_of)).tuples().all())
    return [(day, int(found.get(day, 0))) for day in days]


def flagged_on(session: Session, flt: ReportFilter, ctx: Context) -> dict:
    """The flags of the latest evaluation up to the range's end, in scope: one page of them
    (every one for a CSV), sorted as ctx says, with their total and the day they are as of."""
    as_of = latest_evaluation(session, flt.end)
    out = {"as_of": as_of, "total": 0, "rows": []}
    if as_of is None:
        return out
    f = LearnerRiskFlag
    where = _scoped(select(func.count()).select_from(f).where(f.as_of == as_of), flt.scope)
    out["total"] = session.scalar(where) or 0
    query = select(f.user_id, User.display_name, f.rule, f.value, f.detail).join(User, User.id == f.user_id)
    query = _scoped(query.where(f.as_of == as_of), flt.scope)
    columns = SORTS[ctx.get("sort", DEFAULT_SORT)]
    order = [c.desc() if ctx.get("desc") else c for c in columns[:1]] + list(columns[1:])
    query = query.order_by(*order, f.user_id, f.rule)
    if not ctx.get("all_rows"):  # one page; past the last one, the last one
        page = min(ctx.get("page", 1), max(1, -(-out["total"] // PAGE_SIZE)))
        query = query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    rows = session.execute(query).all()
    names = labels(session, {(r.user_id, r.display_name) for r in rows})
    out["rows"] = [(r.user_id, names[r.user_id], r.rule, r.value, r.detail) for r in rows]
    return out


def rule_counts(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (rule, learners flagged by it on any evaluated day of the range, in scope) for every rule.

    The district over a preset range ending on an evaluated day reads what the refresh counted
    then (risk.rule_windows: the same count); any other scope or range counts the flags.
    """
    days = (flt.end - flt.start).days + 1
    if flt.scope.group_ids is None and days in RULE_WINDOWS:
        stored = (stored_rule_windows(session, flt.end) or {}).get(str(days))
        if stored is not None:
            return _per_rule(stored)
    f = LearnerRiskFlag
    # Each (rule, learner) once, then counted per rule: a hash of the pairs on PostgreSQL, read
    # from the (as_of, rule, user_id) index, where count(DISTINCT) would sort every flag of the range.
    pairs = _scoped(select(f.rule, f.user_id).where(f.as_of.between(flt.start, flt.end)), flt.scope)
    pairs = pairs.distinct().subquery()
    query = select(pairs.c.rule, func.count()).group_by(pairs.c.rule)
    return _per_rule(dict(session.execute(query).tuples().all()))


def _per_rule(found: dict[str, int]) -> list[Row]:
    """Rows (rule, count) for every documented rule (0 when none), then any other rule found."""
    rules = list(RULES) + sorted(set(found) - set(RULES))
    return [(rule, int(found.get(rule, 0))) for rule in rules]


def learners_flagged(session: Session, scope: Scope, as_of: date | None) -> int | None:
    """How many learners in scope were flagged as of that evaluated day (None: no evaluation)."""
    if as_of is None:
        return None
    if scope.group_ids is None:  # the district: the refresh counted it
        e = RiskEvaluation
        return session.scalar(select(e.learners_flagged).where(e.as_of == as_of)) or 0
    f = LearnerRiskFlag
    query = select(func.count(func.distinct(f.user_id))).where(f.as_of == as_of)
    return session.scalar(_scoped(query, scope)) or 0


def learner_flags(session: Session, learner_id: int, as_of: date | None) -> list[Row]:
    """Rows (rule, value, detail) of one learner's flags of an evaluated day."""
    if as_of is None:
        return []
    f = LearnerRiskFlag
    query = (
        select(f.rule, f.value, f.detail).where(f.user_id == learner_id, f.as_of == as_of).order_by(f.rule)
    )
    return [tuple(r) for r in session.execute(query)]
