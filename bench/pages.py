"""Server time of the report pages, the overview and the admin list pages, in-process.

A page is requested through Flask's test client with a logged-in session and
timed around the call: routing, auth, queries, templates, no network.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, url_for
from sqlalchemy import Engine, event, select

from bench.stats import Timing, repeat
from webapp.extensions import db

BIG_TABLES = ("session_events", "behavior_events", "points_transactions")
SMALL_ADMIN_TABLES = ("badges", "streak_milestones", "skills", "notification_templates", "leaderboards")


@dataclass(frozen=True)
class Page:
    """One page to time."""

    label: str
    url: str


def report_pages(app: Flask, learner_id: int | None) -> list[Page]:
    """Return the overview and every registered report page (the learner page for learner_id)."""
    try:
        from webapp.reports.registry import REPORTS
    except ImportError:  # a build before the report registry
        return [Page("overview", "/")]
    pages: list[Page] = []
    with app.test_request_context():
        for key, report in REPORTS.items():
            if key == "overview":
                pages.append(Page("overview", url_for("reports.page", key=key)))
            elif key == "learners" and learner_id is not None:
                url = url_for("reports.page", key=key, context=learner_id)
                pages.append(Page("/reports/learners/<id>", url))
            elif report.url_context != "required" and key != "active":  # the drill-down needs a day
                pages.append(Page(f"/reports/{key}", url_for("reports.page", key=key)))
    return pages


def teacher_learner(app: Flask, teacher_email: str) -> int | None:
    """Return a learner the teacher may see (a member of one of their groups)."""
    from webapp.auth.access import visible_group_ids
    from webapp.models import GroupMember, User
    from webapp.models.core.enums import GroupRole

    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.email == teacher_email))
        if teacher is None:
            return None
        groups = visible_group_ids(db.session, teacher) or set()
        stmt = select(GroupMember.user_id).where(GroupMember.role == GroupRole.MEMBER)
        if groups:
            stmt = stmt.where(GroupMember.group_id == min(groups))
        return db.session.scalar(stmt.order_by(GroupMember.user_id).limit(1))


def time_page(client, url: str, repeats: int) -> tuple[int, Timing]:
    """Return the page's status and its server time over repeats requests."""
    status = client.get(url).status_code

    def fetch() -> None:
        client.get(url).close()

    return status, repeat(fetch, repeats, warmup=1)


def count_statements(engine: Engine, fn) -> int:
    """Return how many SQL statements the engine ran during fn (one request, say)."""
    seen = []

    def note(*_args) -> None:
        seen.append(1)

    event.listen(engine, "before_cursor_execute", note)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


def admin_views(app: Flask) -> Iterator[tuple[str, object]]:
    """Yield (table name, model view) for every Flask-Admin model view of the app."""
    for admin in app.extensions.get("admin", []):
        for view in getattr(admin, "_views", []):
            model = getattr(view, "model", None)
            if model is not None and hasattr(model, "__tablename__"):
                yield model.__tablename__, view


def admin_pages(app: Flask, tables: tuple[str, ...], learner_id: int | None) -> list[tuple[str, Page | None]]:
    """Return (table, page) for the first list page and a filtered one of each table (None if absent)."""
    found = dict(admin_views(app))
    email = learner_email(app, learner_id)
    pages: list[tuple[str, Page | None]] = []
    with app.test_request_context():
        for table in tables:
            view = found.get(table)
            if view is None:
                pages.append((table, None))
                continue
            base = url_for(f"{view.endpoint}.index_view")
            pages.append((table, Page(f"{table}: first page", base)))
            query = filter_query(view, learner_id, email)
            if query:
                shown = query.replace(urlencode({"": email})[1:], "<learner email>") if email else query
                pages.append((table, Page(f"{table}: filtered ({shown})", f"{base}?{query}")))
    return pages


def scale_admin_pages(app: Flask, learner_id: int | None) -> list[Page]:
    """Return the admin lists of issue 14's table: a sort on a raw table's column, searches by a
    learner's email, the leaderboard entries' first page and the badge list."""
    found = dict(admin_views(app))
    email = learner_email(app, learner_id) or "nobody@example.org"
    wanted = (
        ("session_events", "sorted by event type", "event_type", None),
        ("behavior_events", "searched by learner email", None, email),
        ("points_transactions", "searched by learner email", None, email),
        ("leaderboard_entries", "first page", None, None),
        ("badges", "first page", None, None),
    )
    out: list[Page] = []
    with app.test_request_context():
        for table, what, sort, search in wanted:
            view = found.get(table)
            if view is None:
                continue
            args = {}
            if sort is not None:
                columns = [name for name, _ in view._list_columns]
                args["sort"] = columns.index(sort) if sort in columns else 0
            if search is not None:
                args["search"] = search
            url = url_for(f"{view.endpoint}.index_view", **args)
            out.append(Page(f"{table}: {what}", url))
    return out


def learner_email(app: Flask, learner_id: int | None) -> str | None:
    """Return the learner's email (for admin filters on `user.email`)."""
    from webapp.models import User

    if learner_id is None:
        return None
    with app.app_context():
        return db.session.scalar(select(User.email).where(User.id == learner_id))


def filter_query(view, learner_id: int | None, email: str | None = None) -> str | None:
    """Return a query string selecting one learner's rows with the view's filters, or a search.

    A filter on a user id column gets the learner's id, one on the user's email
    gets the learner's email: a filter value matching no row would time the
    worst case (scanning the whole table for a LIMIT that never fills).
    """
    filters = getattr(view, "_filters", None) or []
    preferred = sorted(
        enumerate(filters),
        key=lambda item: ("user" not in str(getattr(item[1], "column", "")).lower(), item[0]),
    )
    for index, flt in preferred:
        operation = str(flt.operation()).lower()
        column = str(getattr(flt, "column", "")).lower()
        if operation not in {"equals", "equal"} or "user" not in column:
            continue
        value = email if "email" in column else learner_id
        if value is None:
            continue
        arg = view.get_filter_arg(index, flt) if hasattr(view, "get_filter_arg") else index
        return urlencode({f"flt0_{arg}": value})
    if getattr(view, "column_searchable_list", None):
        return "search=a"
    return None
