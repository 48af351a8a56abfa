"""Every admin export: read to its end, one row per record, and no cell a spreadsheet would run."""

import csv
import io
import json
import re
from itertools import count

import pytest
from sqlalchemy import String, Text, update
from sqlalchemy.exc import SQLAlchemyError

from tests import factories as f
from tests.admin.support import admin_views, one_row_each, staff_client
from webapp.admin import export
from webapp.models import metadata
from webapp.services.analytics.csvsafe import neutralise

# What attackers put in names: a link, a DDE payload, and the other prefixes spreadsheets run.
PAYLOADS = ('=HYPERLINK("http://evil.example")', "@SUM(1+9)*cmd|' /C calc'!A0", "+cmd|x", "-2+3+cmd|x")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def poison_every_text_column(session) -> int:
    """Set every free-text column of every row to a formula; return how many columns took one."""
    serial = count()
    poisoned = 0
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text) or column.primary_key or column.foreign_keys:
                continue
            if getattr(column.type, "enums", None):
                continue
            payload = f"{PAYLOADS[next(serial) % len(PAYLOADS)]}{next(serial)}"
            if column.type.length:
                payload = payload[: column.type.length]
            try:
                with session.begin_nested():
                    session.execute(update(table).values({column.name: payload}))
                poisoned += 1
            except SQLAlchemyError:
                pass  # a CHECK (slug format, email shape...) refuses it: the column cannot hold one
    session.commit()
    session.expire_all()
    return poisoned


def read_export(client, endpoint: str) -> tuple[int, list[list[str]]]:
    """GET an export and read the whole body; return (status, rows without the header)."""
    response = client.get(f"/admin/{endpoint}/export/csv/")
    try:
        body = response.get_data(as_text=True)
    finally:
        response.close()
    rows = list(csv.reader(io.StringIO(body)))
    return response.status_code, rows[1:]


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells that a spreadsheet would evaluate (numbers, even negative ones, are plain values)."""
    return [c for row in rows for c in row if c.startswith(FORMULA_START) and not NUMBER.match(c)]


@pytest.fixture
def admin(app, session):
    client, _user = staff_client(app, session, "admin")
    return client


def test_every_export_reads_to_its_end_with_every_record(app, session, admin):
    one_row_each(session)
    failures = []
    for view in admin_views(app):
        status, rows = read_export(admin, view.endpoint)
        with app.test_request_context():
            expected = view.get_count_query().scalar()
        if status != 200 or len(rows) != expected:
            failures.append((view.endpoint, status, len(rows), expected))
    assert failures == []


def test_no_export_carries_a_formula_from_any_related_record(app, session, admin):
    one_row_each(session)
    assert poison_every_text_column(session) > 50
    raw = {}
    for view in admin_views(app):
        status, rows = read_export(admin, view.endpoint)
        assert status == 200, view.endpoint
        assert rows, f"{view.endpoint} exported no rows"
        if formula_cells(rows):
            raw[view.endpoint] = formula_cells(rows)[:3]
    assert raw == {}, f"{len(raw)} of {len(admin_views(app))} exports carry raw formulas"


def test_the_streamed_export_shows_what_the_list_shows(app, session, admin):
    """Cell for cell what Flask-Admin's own formatting gives for each record (neutralised)."""
    one_row_each(session)
    poison_every_text_column(session)
    for view in admin_views(app):
        _status, rows = read_export(admin, view.endpoint)
        with app.test_request_context(f"/admin/{view.endpoint}/export/csv/"):
            query, _count = export.filtered_query(view)
            expected = [
                [_as_csv(_shown(view, model, name)) for name, _ in view._export_columns] for model in query
            ]
        assert rows == expected, view.endpoint


def _shown(view, model, name):
    """The export value Flask-Admin gives; for a column computed in SQL, the list's own formatter."""
    if name in getattr(view, "column_export_sql", {}):
        return view.column_formatters[name](view, None, model, name)
    return view.get_export_value(model, name)


def _as_csv(value) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([value])
    return next(csv.reader(io.StringIO(buffer.getvalue())))[0]


def test_every_export_is_planned_in_sql(app):
    """No view falls back to loading ORM objects (the slow path) for its export."""
    with app.test_request_context():
        fallbacks = [view.endpoint for view in admin_views(app) if export.plan(view) is None]
    assert fallbacks == []


def test_an_export_over_the_limit_says_so_instead_of_streaming(app, session, admin):
    for n in range(3):
        f.make_badge(session, name=f"Badge {n}")
    session.commit()
    app.config["ADMIN_EXPORT_MAX_ROWS"] = 2
    try:
        response = admin.get("/admin/badge/export/csv/", follow_redirects=True)
    finally:
        app.config.pop("ADMIN_EXPORT_MAX_ROWS")
    assert "would hold 3 rows, more than 2" in response.get_data(as_text=True)


def test_exports_follow_the_list_filters_and_are_not_cached(app, session, admin):
    f.make_badge(session, name="Kept", is_active=True)
    f.make_badge(session, name="Dropped", is_active=False)
    session.commit()
    response = admin.get("/admin/badge/export/csv/?search=Kept")
    try:
        assert response.headers["Cache-Control"] == "no-store"
        body = response.get_data(as_text=True)
    finally:
        response.close()
    assert "Kept" in body
    assert "Dropped" not in body


def test_a_view_with_its_own_export_formatter_falls_back_safely(app, session, admin, monkeypatch):
    """A formatter SQL cannot express: ORM objects in batches, still neutralised, read to the end."""
    view = next(v for v in admin_views(app) if v.endpoint == "groupmember")
    monkeypatch.setitem(view.column_formatters_export, "user", lambda _v, _c, model, _n: model.user)
    for _ in range(3):
        f.make_member(session, user=f.make_learner(session, display_name='=HYPERLINK("x")'))
    session.commit()
    with app.test_request_context():
        assert export.plan(view) is None
    status, rows = read_export(admin, "groupmember")
    assert status == 200
    assert len(rows) == 3
    assert formula_cells(rows) == []


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"), ("  =1+2", "'  =1+2"), ("@SUM(1)", "'@SUM(1)"), ("-2+3", "'-2+3"), ("+1", "'+1"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("\nx", "'\nx"), ("a=b", "a=b"), (" ", " "), ("", ""),
        (None, ""), (5, 5), (-5, -5), (2.5, 2.5), (True, "True"),
    ],
)  # fmt: skip
def test_the_neutraliser(value, cell):
    assert neutralise(value) == cell


def test_json_columns_are_exported_as_their_json_text(admin, session):
    properties = {"naam": "Āsha", "n": 1.5, "list": [1, "=x"]}
    f.make_behavior_event(session, name="tap", properties=properties)
    f.make_behavior_event(session, name="idle", properties=None)
    session.commit()
    _status, rows = read_export(admin, "behaviorevent")
    cells = {row[2]: row[4] for row in rows}  # name -> properties
    assert json.loads(cells["tap"]) == properties
    assert "Āsha" in cells["tap"]  # as the list shows it, not escaped
    assert cells["idle"] == ""
