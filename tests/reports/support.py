"""Helpers for the report tests: the dataset refreshed into rollups, signed-in clients, filters."""

from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import DEFAULT_PASSWORD, login
from tests.reports import dataset
from webapp.extensions import db
from webapp.reports import registry
from webapp.reports.filters import ReportFilter
from webapp.reports.scope import Scope
from webapp.services.analytics.rollups import refresh

RANGE = {"from": dataset.START.isoformat(), "to": dataset.END.isoformat()}


def refresh_dataset() -> None:
    """Refresh the dataset's whole span, as a run on the day after AS_OF would (AS_OF complete)."""
    refresh(
        db.engine, dataset.START - timedelta(days=1), dataset.AS_OF, today=dataset.AS_OF + timedelta(days=1)
    )


def refreshed(session) -> dataset.Dataset:
    """Build the hand-made dataset and refresh its rollups, cohorts and flags over its whole span."""
    ds = dataset.build(session)
    refresh_dataset()
    return ds


def client_for(app: Flask, email: str) -> FlaskClient:
    """A test client signed in as the staff member with this email."""
    client = app.test_client()
    response = login(client, email, DEFAULT_PASSWORD)
    assert response.status_code == 302, f"{email} could not log in"
    return client


def span_filter(
    scope_group: int | None = None, start: date = dataset.START, end: date = dataset.END,
    last_complete: date = dataset.AS_OF,
) -> ReportFilter:  # fmt: skip
    """A filter over the dataset's span for one group (or the whole platform), as an operator has it."""
    return ReportFilter(start=start, end=end, preset=None, scope=Scope.of(scope_group, None),
                        last_complete=last_complete)  # fmt: skip


def built(report: str, figure: str, session, flt: ReportFilter, ctx: dict[str, Any] | None = None):
    """One figure of a report as the page builds it (call inside a request context)."""
    return registry.build(registry.lookup(report), figure, session, flt, ctx or {})


def get(client: FlaskClient, url: str, **args):
    """GET url and return (status, text), closing the response."""
    response = client.get(url, query_string=args)
    try:
        return response.status_code, response.get_data(as_text=True)
    finally:
        response.close()
