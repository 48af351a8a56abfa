"""Saved views: a report, its filter (and context) kept by name for the user who saved it.

Only its owner lists, renames, deletes or shares a view (anyone else gets 404, as for a view
that does not exist). Sharing draws an unguessable token: the link /reports/shared/<token>
opens the view's page and filter for whoever follows it, but grants nothing: the follower
must be signed in, and sees only what their own role and groups allow (404 otherwise).
Stopping the share drops the token, so the old link never opens again.
"""

import secrets
from typing import NamedTuple

from flask import abort, flash, redirect, url_for
from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.models import ReportDefinition, User
from webapp.reports import registry
from webapp.reports.definitions import SAVED
from webapp.reports.filters import ReportFilter

# A fixed key order (JSONB reorders keys), so that a saved URL reads like the page's own.
ARG_ORDER = {"range": 0, "from": 1, "to": 2, "group": 3}
NAME_LENGTH = 120


class Listed(NamedTuple):
    """A saved view as its owner's list shows it."""

    view: ReportDefinition
    url: str | None  # the page it opens (None when its report is gone)
    title: str  # the title of its report
    share_url: str | None  # the link to share (None while not shared)


def report_of(view: ReportDefinition) -> registry.Report | None:
    """The registered report of a view (None when its report is gone)."""
    return registry.REPORTS.get(registry.ALIASES.get(view.report_type, view.report_type))


def args_of(view: ReportDefinition) -> tuple[str | None, dict[str, str]]:
    """The view's context and its filter's query-string arguments, in the page's own order."""
    filters = dict(view.filters or {})
    context = filters.pop("context", None)
    return context, {k: str(filters[k]) for k in sorted(filters, key=lambda k: (ARG_ORDER.get(k, 9), k))}


def url_of(view: ReportDefinition) -> str | None:
    """The URL a saved view opens (None when its report is gone)."""
    report = report_of(view)
    if report is None:
        return None
    context, args = args_of(view)
    return url_for("reports.page", key=report.key, context=context, **args)


def is_shared(view: ReportDefinition) -> bool:
    """Whether the view's link opens it."""
    return bool(view.is_shared and view.share_token)


def views(session: Session, user: User) -> list[Listed]:
    """The user's own saved views, by name, each with its URL, its report's title and its link."""
    stmt = (
        select(ReportDefinition).where(ReportDefinition.owner_id == user.id).order_by(ReportDefinition.name)
    )
    out = []
    for view in session.scalars(stmt):
        report = report_of(view)
        link = url_for("reports.shared", token=view.share_token, _external=True) if is_shared(view) else None
        out.append(Listed(view, url_of(view), report.title if report else view.report_type, link))
    return out


def owned(session: Session, user: User, view_id: int) -> ReportDefinition:
    """The user's own view of this id; 404 for any other (another's view is not said to exist)."""
    view = session.get(ReportDefinition, view_id)
    if view is None or view.owner_id != user.id:
        abort(404)
    return view


def by_token(session: Session, token: str) -> ReportDefinition:
    """The shared view of a link's token; 404 when no view is shared under it."""
    view = session.scalar(select(ReportDefinition).where(ReportDefinition.share_token == token[:32]))
    if view is None or not is_shared(view):
        abort(404)
    return view


def follow_args(view: ReportDefinition) -> tuple[registry.Report, str | None, MultiDict]:
    """What following a shared view asks for: its report, context and filter (404: report gone).

    A view of "all groups" (no group in its filter) asks for all of them, which a teacher
    may not see: following it is a 404 for them rather than a view of another scope.
    """
    report = report_of(view)
    if report is None:
        abort(404)
    context, args = args_of(view)
    if report.group_filter and "group" not in args:
        args["group"] = "all"
    return report, context, MultiDict(args)


def _named(user: User, name: str) -> Select:
    return select(ReportDefinition).where(ReportDefinition.owner_id == user.id, ReportDefinition.name == name)


def name_taken(session: Session, user: User, name: str, but: int | None = None) -> bool:
    """Whether another of the user's views already has this name."""
    view = session.scalar(_named(user, name))
    return view is not None and view.id != but


def rename(session: Session, view: ReportDefinition, name: str) -> None:
    """Give the view a new name (the caller checked that the owner has no other view of it)."""
    view.name = name.strip()[:NAME_LENGTH]
    session.commit()


def delete(session: Session, view: ReportDefinition) -> None:
    """Delete the view (its link, if shared, stops opening it)."""
    session.delete(view)
    session.commit()


def share(session: Session, view: ReportDefinition) -> str:
    """Share the view as a link; return its token (a view already shared keeps its link)."""
    if not is_shared(view):
        view.share_token = secrets.token_urlsafe(16)
        view.is_shared = True
        session.commit()
    return view.share_token


def unshare(session: Session, view: ReportDefinition) -> None:
    """Stop sharing the view: its link stops opening it, even if shared again later."""
    view.is_shared, view.share_token = False, None
    session.commit()


def refuse():
    """Answer a save of a report that cannot be saved."""
    flash(SAVED["refused"], "danger")
    return redirect(url_for("reports.saved"))


def save(session: Session, user: User, key: str, name: str, flt: ReportFilter, context: str | None):
    """Save (or update, by name) the user's view of a report; redirect back to the page."""
    back = url_for("reports.page", key=key, context=context, **flt.to_args())
    name = name.strip()[:NAME_LENGTH]
    if not name:
        flash(SAVED["no_name"], "warning")
        return redirect(back)
    view = session.scalar(_named(user, name)) or ReportDefinition(owner_id=user.id, name=name)
    view.report_type = key
    view.filters = {**flt.to_args(), **({"context": context} if context else {})}
    session.add(view)
    session.commit()
    flash(SAVED["saved"].format(name=name), "success")
    return redirect(back)
