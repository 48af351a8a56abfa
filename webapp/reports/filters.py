"""The filter bar of every report: date range and study group, parsed from the URL.

The state lives in the query string (`range`, `from`, `to`, `group`), so a view
can be bookmarked, shared and saved. Bad input never fails a page: dates that
are not YYYY-MM-DD in ASCII digits, or outside FIRST_DAY..LAST_DAY (pages and
charts step days back and forth from them), and a group that is not a number,
give a message and the default. A group outside the user's groups is a 404.

Teachers and groups: a teacher always looks at exactly one of their groups.
With no `group` in the URL the first of their groups (by name) is chosen; there
is no "all my groups" view, because per-group rows cannot be summed (a learner
in two of the teacher's groups would count twice, and distinct counts such as
weekly actives do not add up). A teacher with no group gets `scope = None`,
which every query answers with no rows. Operators and admins may pick any group
or none ("all": the platform-wide rollups).
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.auth.access import visible_group_ids
from webapp.models import StudyGroup, User
from webapp.models.analytics.metrics import PLATFORM_SCOPE, group_scope

PRESETS = (7, 30, 90)
DEFAULT_PRESET = 30
MAX_DAYS = 366
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GROUP_ID = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class ReportFilter:
    """A date range (inclusive local days) and a scope, as chosen in the filter bar."""

    start: date
    end: date
    preset: int | None = DEFAULT_PRESET
    group_id: int | None = None
    # Groups the user may pick, as (id, name); all_allowed: "all groups" may be picked.
    group_choices: tuple[tuple[int, str], ...] = ()
    all_allowed: bool = True
    no_groups: bool = False
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def scope(self) -> str | None:
        """The rollup scope: "all", "group:<id>", or None (a teacher without groups: no data)."""
        if self.group_id is not None:
            return group_scope(self.group_id)
        return None if self.no_groups else PLATFORM_SCOPE

    @property
    def days(self) -> int:
        """How many days the range holds."""
        return (self.end - self.start).days + 1

    def to_args(self, **changes: Any) -> dict[str, str]:
        """Return the query-string arguments of this filter (with changes), for url_for."""
        preset = changes.get("preset", self.preset)
        group_id = changes.get("group_id", self.group_id)
        args: dict[str, str] = {}
        if preset:
            args["range"] = str(preset)
        else:
            args["from"] = changes.get("start", self.start).isoformat()
            args["to"] = changes.get("end", self.end).isoformat()
        if group_id is not None:
            args["group"] = str(group_id)
        return args

    def cache_params(self) -> dict[str, Any]:
        """What a cached query result depends on."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "scope": self.scope}


def _parse_day(text: str | None) -> date | None:
    if not text or not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_range(args: MultiDict, today: date) -> tuple[date, date, int | None, list[str]]:
    """Return (start, end, preset, errors) from `range` or `from`/`to`; bad input gives the default."""
    errors: list[str] = []
    raw_from, raw_to = args.get("from"), args.get("to")
    if raw_from or raw_to:
        start, end = _parse_day(raw_from), _parse_day(raw_to)
        if start is None or end is None:
            errors.append("Dates must be given as YYYY-MM-DD, both from and to; showing the last 30 days.")
        elif not (start >= FIRST_DAY and end <= LAST_DAY):
            errors.append(f"Dates must lie between {FIRST_DAY} and {LAST_DAY}; showing the last 30 days.")
        elif start > end:
            errors.append("The start date is after the end date; showing the last 30 days.")
        elif (end - start).days + 1 > MAX_DAYS:
            errors.append(f"A range may span at most {MAX_DAYS} days; showing the last 30 days.")
        else:
            return start, end, None, errors
    elif args.get("range"):
        preset = int(args["range"]) if args["range"] in {str(p) for p in PRESETS} else None
        if preset in PRESETS:
            return today - timedelta(days=preset - 1), today, preset, errors
        errors.append("The range must be 7, 30 or 90 days; showing the last 30 days.")
    return today - timedelta(days=DEFAULT_PRESET - 1), today, DEFAULT_PRESET, errors


def _group_choices(session: Session, visible: set[int] | None) -> tuple[tuple[int, str], ...]:
    stmt = select(StudyGroup.id, StudyGroup.name).order_by(StudyGroup.name, StudyGroup.id)
    if visible is not None:
        if not visible:
            return ()
        stmt = stmt.where(StudyGroup.id.in_(visible))
    return tuple((gid, name) for gid, name in session.execute(stmt))


def parse_filter(session: Session, user: User, args: MultiDict, today: date) -> ReportFilter:
    """Parse the filter of a report request for user; abort 404 for a group they may not see."""
    start, end, preset, errors = parse_range(args, today)
    visible = visible_group_ids(session, user)
    choices = _group_choices(session, visible)
    raw = args.get("group", "").strip()
    group_id: int | None = None
    if raw and raw != "all" and not _GROUP_ID.fullmatch(raw):
        errors.append("The group in the address is not a group number; showing the default group.")
        raw = ""
    if raw and raw != "all":
        if int(raw) not in {gid for gid, _ in choices}:
            abort(404)
        group_id = int(raw)
    elif raw == "all" and visible is not None:
        abort(404)
    elif visible is not None and choices:
        group_id = choices[0][0]  # a teacher's default: their first group (see module docstring)
    return ReportFilter(
        start=start, end=end, preset=preset, group_id=group_id, group_choices=choices,
        all_allowed=visible is None, no_groups=visible is not None and not choices,
        errors=tuple(errors),
    )  # fmt: skip
