"""Saved views: a report, its filter (and context) kept by name for the user who saved it."""

from flask import flash, redirect, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import ReportDefinition, User
from webapp.reports import registry
from webapp.reports.filters import ReportFilter

# A fixed key order (JSONB reorders keys), so that a saved URL reads like the page's own.
ARG_ORDER = {"range": 0, "from": 1, "to": 2, "group": 3}
MESSAGES = {
    "refused": "That report cannot be saved.",
    "no_name": "Give the view a name to save it.",
    "saved": "Saved the view \u201c{name}\u201d.",
}


def url_of(view: ReportDefinition) -> str | None:
    """The URL a saved view opens (None when its report is gone)."""
    report = registry.REPORTS.get(registry.ALIASES.get(view.report_type, view.report_type))
    if report is None:
        return None
    filters = dict(view.filters or {})
    context = filters.pop("context", None)
    args = {k: str(filters[k]) for k in sorted(filters, key=lambda k: (ARG_ORDER.get(k, 9), k))}
    return url_for("reports.page", key=report.key, context=context, **args)


def views(session: Session, user: User) -> list[tuple[ReportDefinition, str | None, str]]:
    """The user's own saved views, by name, each with its URL and the title of its report."""
    stmt = (
        select(ReportDefinition).where(ReportDefinition.owner_id == user.id).order_by(ReportDefinition.name)
    )
    out = []
    for view in session.scalars(stmt):
        report = registry.REPORTS.get(registry.ALIASES.get(view.report_type, view.report_type))
        out.append((view, url_of(view), report.title if report else view.report_type))
    return out


def refuse():
    """Answer a save of a report that cannot be saved."""
    flash(MESSAGES["refused"], "danger")
    return redirect(url_for("reports.saved"))


def save(session: Session, user: User, key: str, name: str, flt: ReportFilter, context: str | None):
    """Save (or update, by name) the user's view of a report; redirect back to the page."""
    back = url_for("reports.page", key=key, context=context, **flt.to_args())
    name = name.strip()[:120]
    if not name:
        flash(MESSAGES["no_name"], "warning")
        return redirect(back)
    stmt = select(ReportDefinition).where(ReportDefinition.owner_id == user.id, ReportDefinition.name == name)
    view = session.scalar(stmt) or ReportDefinition(owner_id=user.id, name=name)
    view.report_type = key
    view.filters = {**flt.to_args(), **({"context": context} if context else {})}
    session.add(view)
    session.commit()
    flash(MESSAGES["saved"].format(name=name), "success")
    return redirect(back)
