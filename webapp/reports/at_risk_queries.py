"""Queries of the at-risk report: the flags of the latest as-of day, scoped and sorted.

The flags are written by `analytics refresh` (webapp.services.analytics.risk),
one row per learner and rule that fired; pages only read them.
"""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import GroupMember, LearnerRiskFlag, User
from webapp.models.core.enums import GroupRole
from webapp.services.analytics.risk import RULES

# sort argument -> the columns it orders by; anything else falls back to DEFAULT_SORT.
SORTS = {
    "learner": (func.lower(User.display_name), User.id),
    "rule": (LearnerRiskFlag.rule, func.lower(User.display_name)),
    "value": (LearnerRiskFlag.value, func.lower(User.display_name)),
    "detail": (LearnerRiskFlag.detail, func.lower(User.display_name)),
}
DEFAULT_SORT = "learner"
CSV_HEADER = ("learner_id", "learner", "rule", "rule_title", "value", "detail", "as_of")


def parse_sort(raw: str | None) -> tuple[str, bool]:
    """Return (column, descending) from a `sort=` argument such as "rule" or "-value"."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def latest_as_of(session: Session, on_or_before: date | None = None) -> date | None:
    """Return the last day (not after on_or_before) the risk rules fired for, or None."""
    query = select(func.max(LearnerRiskFlag.as_of))
    if on_or_before is not None:
        query = query.where(LearnerRiskFlag.as_of <= on_or_before)
    return session.scalar(query)


def _scoped(query, as_of: date, groups: set[int] | None):
    """Restrict a query over LearnerRiskFlag to as_of and, when given, to the groups' learners."""
    query = query.where(LearnerRiskFlag.as_of == as_of)
    if groups is not None:
        members = select(GroupMember.user_id).where(
            GroupMember.group_id.in_(groups), GroupMember.role == GroupRole.MEMBER
        )
        query = query.where(LearnerRiskFlag.user_id.in_(members))
    return query


def flagged(
    session: Session,
    as_of: date,
    groups: set[int] | None,
    sort: str = DEFAULT_SORT,
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict]:
    """Return one row per learner and fired rule on as_of, only learners of groups when given;
    `limit`/`offset` give one page of them."""
    f = LearnerRiskFlag
    query = select(f.user_id, User.display_name, f.rule, f.value, f.detail).join(User, User.id == f.user_id)
    query = _scoped(query, as_of, groups)
    columns = SORTS.get(sort, SORTS[DEFAULT_SORT])
    order = [c.desc() if descending else c for c in columns[:1]] + list(columns[1:])
    query = query.order_by(*order, f.user_id, f.rule).offset(offset).limit(limit)
    return [
        {"user_id": r.user_id, "name": r.display_name, "rule": r.rule,
         "title": RULES.get(r.rule, (r.rule, ""))[0], "value": r.value, "detail": r.detail,
         "figure": figure_text(r.rule, r.value)}
        for r in session.execute(query)
    ]  # fmt: skip


def count_flags(session: Session, as_of: date, groups: set[int] | None) -> int:
    """How many (learner, rule) flags flagged() would return without a limit."""
    return session.scalar(_scoped(select(func.count()).select_from(LearnerRiskFlag), as_of, groups)) or 0


def rule_counts_of(session: Session, as_of: date, groups: set[int] | None) -> list[tuple[str, int]]:
    """Return (rule title, learners flagged) for every documented rule, counted in SQL."""
    f = LearnerRiskFlag
    query = _scoped(select(f.rule, func.count(func.distinct(f.user_id))), as_of, groups).group_by(f.rule)
    found = dict(session.execute(query).tuples().all())
    rules = list(RULES) + sorted(set(found) - set(RULES))
    return [(RULES.get(rule, (rule, ""))[0], found.get(rule, 0)) for rule in rules]


# How each rule's compared figure reads (see LearnerRiskFlag.value).
FIGURE_FORMATS = {
    "went_quiet": "{:.0f} days idle",
    "minutes_down": "{:+.0f}%",
    "focus_down": "{:+.0f}%",
    "streak_broken": "{:.0f}-day streak",
    "low_mastery": "mastery {:.2f}",
}


def figure_text(rule: str, value: float | None) -> str:
    """Return the figure a rule compared, in words ("-43%", "8 days idle", "mastery 0.32")."""
    if value is None:
        return "-"
    return FIGURE_FORMATS.get(rule, "{:g}").format(value)


def csv_rows(rows: list[dict], as_of: date) -> list[tuple]:
    """Return the CSV rows of the table (CSV_HEADER order)."""
    return [(r["user_id"], r["name"], r["rule"], r["title"], r["value"], r["detail"], as_of) for r in rows]
