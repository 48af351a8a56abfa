"""The filter bar of every report: date range and study group, parsed from the URL.

The state lives in the query string (`range`, `from`, `to`, `group`), so a view
can be bookmarked, shared and saved. Bad input never fails a page: dates that
are not YYYY-MM-DD in ASCII digits, or outside FIRST_DAY..LAST_DAY (pages and
charts step days back and forth from them), and a group that is not a number,
give a message and the default range or group; a range in the future is refused the
same way, and one that ends in the future is cut short at the latest day begun, with
a message. A group outside the user's groups is a 404.
Preset ranges end on the last complete day (`webapp.services.analytics.asof`): the
rollups of a later day hold only part of it, and charts draw such days as partial.

Teachers and groups: a teacher always looks at exactly one of their groups.
With no `group` in the URL the first of their groups (by name) is chosen; there
is no "all my groups" view, because per-group rows cannot be summed (a learner
in two of the teacher's groups would count twice, and distinct counts such as
weekly actives do not add up). A teacher with no group gets `scope = None`,
which every query answers with no rows. Operators and admins may pick any group
or none ("all": the platform-wide rollups). The filter carries the request's Scope
(webapp.reports.scope), worked out once here.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.auth.access import visible_group_ids
from webapp.i18n import day_text
from webapp.models import StudyGroup, User
from webapp.reports.definitions import RANGE
from webapp.reports.scope import Scope

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
    scope: Scope = field(default_factory=lambda: Scope.of(None, None))
    # The last day complete for every learner: later days of the range are drawn as partial.
    last_complete: date | None = None
    # The latest day begun for any learner: later days are the future (the date inputs' max).
    latest: date | None = None
    # Groups the user may pick, as (id, name).
    group_choices: tuple[tuple[int, str], ...] = ()
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def group_id(self) -> int | None:
        """The group chosen in the filter bar (None: all groups, or none to choose)."""
        return self.scope.group_id

    @property
    def no_groups(self) -> bool:
        """Whether the user is a teacher without any group (nothing to show)."""
        return self.scope.is_empty

    @property
    def all_allowed(self) -> bool:
        """Whether "all groups" may be picked (operators and admins)."""
        return self.scope.visible is None

    @property
    def days(self) -> int:
        """How many days the range holds."""
        return (self.end - self.start).days + 1

    @property
    def partial_from(self) -> date | None:
        """The first day of the range that is not complete yet (None: every day is)."""
        if self.last_complete is None or self.end <= self.last_complete:
            return None
        return max(self.start, self.last_complete + timedelta(days=1))

    def previous(self) -> "ReportFilter":
        """The period of equal length just before this one (for KPI changes)."""
        shift = timedelta(days=self.days)
        return replace(self, start=self.start - shift, end=self.end - shift, preset=None, errors=())

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
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "scope": self.scope.key}


def _parse_day(text: str | None) -> date | None:
    if not text or not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _custom_range(
    raw_from: str | None, raw_to: str | None, latest: date, errors: list[str]
) -> tuple[date, date] | None:
    """The range of `from`/`to`, its end brought back to latest; None (with a message) when unusable."""
    start, end = _parse_day(raw_from), _parse_day(raw_to)
    shown = {"days": DEFAULT_PRESET}
    if start is None or end is None:
        errors.append(RANGE["bad_dates"].format(**shown))
    elif not (start >= FIRST_DAY and end <= LAST_DAY):
        errors.append(RANGE["out_of_window"].format(first=FIRST_DAY, last=LAST_DAY, **shown))
    elif start > end:
        errors.append(RANGE["reversed"].format(**shown))
    elif (end - start).days + 1 > MAX_DAYS:
        errors.append(RANGE["too_long"].format(max=MAX_DAYS, **shown))
    elif start > latest:
        errors.append(RANGE["future"].format(start=day_text(start), end=day_text(end), **shown))
    elif end > latest:
        errors.append(
            RANGE["ends_in_future"].format(start=day_text(start), end=day_text(end), latest=day_text(latest))
        )
        return start, latest
    else:
        return start, end
    return None


def parse_range(
    args: MultiDict, today: date, latest: date | None = None
) -> tuple[date, date, int | None, list[str]]:
    """Return (start, end, preset, errors) from `range` or `from`/`to`; bad input gives the default.

    Presets end on `today`: the caller passes the last complete day. No day after `latest`
    (the latest day begun for any learner; default: the day after today) is shown: a range
    that starts later is refused, one that ends later is cut short, each with a message.
    """
    errors: list[str] = []
    raw_from, raw_to = args.get("from"), args.get("to")
    if raw_from or raw_to:
        custom = _custom_range(raw_from, raw_to, latest or today + timedelta(days=1), errors)
        if custom:
            return *custom, None, errors
    elif args.get("range"):
        preset = int(args["range"]) if args["range"] in {str(p) for p in PRESETS} else None
        if preset in PRESETS:
            return today - timedelta(days=preset - 1), today, preset, errors
        errors.append(RANGE["bad_preset"].format(days=DEFAULT_PRESET))
    return today - timedelta(days=DEFAULT_PRESET - 1), today, DEFAULT_PRESET, errors


def _group_choices(session: Session, visible: set[int] | None) -> tuple[tuple[int, str], ...]:
    stmt = select(StudyGroup.id, StudyGroup.name).order_by(StudyGroup.name, StudyGroup.id)
    if visible is not None:
        if not visible:
            return ()
        stmt = stmt.where(StudyGroup.id.in_(visible))
    return tuple((gid, name) for gid, name in session.execute(stmt))


def parse_filter(
    session: Session, user: User, args: MultiDict, last_complete: date, latest: date | None = None
) -> ReportFilter:
    """Parse the filter of a report request for user; abort 404 for a group they may not see."""
    start, end, preset, errors = parse_range(args, last_complete, latest)
    visible = visible_group_ids(session, user)
    choices = _group_choices(session, visible)
    raw = args.get("group", "").strip()
    group_id: int | None = None
    if raw and raw != "all" and not _GROUP_ID.fullmatch(raw):
        errors.append(RANGE["bad_group"])
        raw = ""
    if raw and raw != "all":
        if int(raw) not in {gid for gid, _ in choices}:
            abort(404)
        group_id = int(raw)
    elif raw == "all" and visible is not None:
        abort(404)
    elif visible is not None and choices:
        group_id = choices[0][0]  # a teacher's default: their first group (see module docstring)
    scope = Scope.of(group_id, visible, no_groups=visible is not None and not choices)
    return ReportFilter(
        start=start, end=end, preset=preset, scope=scope, last_complete=last_complete,
        latest=latest, group_choices=choices, errors=tuple(errors),
    )  # fmt: skip
