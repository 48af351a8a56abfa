"""Admin CSV exports: one streamed query, constant memory, every cell through the neutraliser.

Flask-Admin's own export loads up to `export_max_rows` ORM objects into memory
before writing a byte, formats each cell through several layers, may run a
query per row for a related record, and reads relations after the request's
session is gone (a body cut mid-stream). Here an export is one SELECT over the
list's own filters, search and sort, read in batches on a connection of its
own and written in chunks.

A related record's cell is what the list shows, `str(record)`, built from its
columns (every model's `__str__` reads columns only): the export selects the
key, and the records a batch names are read in one query and remembered for
the next batches (up to LABEL_MEMORY of them). A JSON column is read as its
text: building a dict per row only to print it again cost more than the rest
of the row. A column the plan cannot express in SQL (a custom formatter
without a `column_export_sql` entry, a to-many relation) makes the view fall
back to ORM objects in batches: slower, equally safe.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, current_app, flash, redirect, stream_with_context
from flask_babel import force_locale, gettext
from sqlalchemy import JSON, Text, cast, inspect, select
from sqlalchemy.orm import RelationshipProperty, Session, joinedload
from sqlalchemy.orm.properties import ColumnProperty
from werkzeug.utils import secure_filename

from webapp.extensions import db
from webapp.i18n import number
from webapp.services.analytics.csvsafe import neutralise

BATCH_ROWS = 2000
LABEL_MEMORY = 50_000  # related-record labels kept between batches (bounded: constant memory)
DEFAULT_MAX_ROWS = 1_000_000


class Cell:
    """One export column: the expression it selects and how its value becomes the cell."""

    def __init__(self, expression: Any, fmt: Callable[[Any], Any]) -> None:
        self.expression, self.fmt = expression, fmt

    def prepare(self, engine: Any, values: list) -> None:
        """Get ready to format this batch of values (plain values need nothing)."""


class RelatedCell(Cell):
    """A many-to-one column: selects the key, shows str(record) loaded once per batch of new keys."""

    def __init__(self, relation: RelationshipProperty) -> None:
        (local,) = relation.local_columns
        super().__init__(local, self.label)
        self.target = relation.mapper
        self.keys = [p.key for p in self.target.column_attrs]
        model = self.target.class_
        methods = {"__mapper__": self.target, "__str__": model.__str__, "__repr__": model.__repr__}
        self.stand_in = type(model.__name__, (_Record,), methods)
        self.labels: dict[Any, str] = {}

    def prepare(self, engine: Any, values: list) -> None:
        """Load the labels of the related records this batch names that are not known yet."""
        missing = {v for v in values if v is not None and v not in self.labels}
        if not missing:
            return
        if len(self.labels) + len(missing) > LABEL_MEMORY:
            self.labels.clear()
        (pk,) = self.target.primary_key
        model = self.target.class_
        columns = [getattr(model, key) for key in self.keys]
        with engine.connect() as conn:
            for row in conn.execute(select(*columns).where(pk.in_(missing))):
                record = self.stand_in()
                record.__dict__.update(zip(self.keys, row, strict=True))
                self.labels[getattr(record, self.target.get_property_by_column(pk).key)] = str(record)

    def label(self, value: Any) -> str:
        return "" if value is None else self.labels.get(value, "")


class _Record:
    """A stand-in for a related row: its column attributes only, enough for the model's __str__."""


def _formatter(view: Any, name: str) -> Callable[[Any], Any]:
    """The list's formatting of a plain value: choices, then the type formatters, as Flask-Admin does."""
    choices = view._column_choices_map.get(name, {})
    by_type = list(view.column_type_formatters_export.items())
    chosen: dict[type, Any] = {}

    def fmt(value: Any) -> Any:
        if choices:
            return choices.get(value) or value
        kind = type(value)
        if kind not in chosen:
            chosen[kind] = next((f for t, f in by_type if isinstance(value, t)), None)
        formatter = chosen[kind]
        return formatter(view, value, name) if formatter is not None else value

    return fmt


def _json_text(text: str | None) -> str:
    """A JSON column read as its text (no dict built per row), as the list shows it: "" for null."""
    if text is None or text == "null":
        return ""
    if "\\u" in text:  # SQLite keeps non-ASCII escaped; show it as Flask-Admin does
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _simple_relation(prop: Any) -> bool:
    """A many-to-one relation on one local column to a table with a one-column key."""
    return (
        isinstance(prop, RelationshipProperty)
        and not prop.uselist
        and prop.secondary is None
        and len(prop.local_columns) == 1
        and len(prop.mapper.primary_key) == 1
        and next(iter(prop.local_columns)).table is inspect(prop.parent).local_table
    )


def plan(view: Any) -> list[Cell] | None:
    """Return the cells of the export, or None when SQL cannot express one of its columns."""
    mapper = inspect(view.model)
    extra_sql = getattr(view, "column_export_sql", {})
    formatters = view.column_formatters_export or {}
    cells: list[Cell] = []
    for name, _label in view._export_columns:
        prop = mapper.attrs.get(name) if isinstance(name, str) else None
        if name in extra_sql:
            cells.append(Cell(extra_sql[name](), _formatter(view, name)))
        elif name in formatters:
            return None
        elif isinstance(prop, ColumnProperty) and isinstance(prop.columns[0].type, JSON):
            cells.append(Cell(cast(getattr(view.model, name), Text), _json_text))
        elif isinstance(prop, ColumnProperty):
            cells.append(Cell(getattr(view.model, name), _formatter(view, name)))
        elif _simple_relation(prop):
            cells.append(RelatedCell(prop))
        else:
            return None
    return cells


def filtered_query(view: Any) -> tuple[Any, Any]:
    """Return the list's query with its search, filters and sort (no paging), and its count query."""
    args = view._get_list_extra_args()
    sort = view._get_column_by_idx(args.sort)
    query = view.get_query()
    count_query = view.get_count_query() if not view.simple_list_pager else None
    joins: dict = {}
    count_joins: dict = {}
    if view._search_supported and args.search:
        query, count_query, joins, count_joins = view._apply_search(
            query, count_query, joins, count_joins, args.search
        )
    if args.filters and view._filters:
        query, count_query, joins, count_joins = view._apply_filters(
            query, count_query, joins, count_joins, args.filters
        )
    query, _joins = view._apply_sorting(query, joins, sort[0] if sort else None, args.sort_desc)
    return query, count_query


def _rows_core(engine: Any, statement: Any, cells: list[Cell]) -> Iterator[Iterator[list]]:
    related = [(i, cell) for i, cell in enumerate(cells) if isinstance(cell, RelatedCell)]
    formats = [cell.fmt for cell in cells]
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH_ROWS).execute(statement)
        try:
            for batch in result.partitions():
                for i, cell in related:
                    cell.prepare(engine, [row[i] for row in batch])
                # A generator, not a list: each row's cells are written and freed at once, so a
                # batch leaves no thousands of live lists for the garbage collector to scan.
                yield ([neutralise(fmt(v)) for fmt, v in zip(formats, row, strict=True)] for row in batch)
        finally:
            result.close()  # also when the client goes away mid-download (a server-side cursor)


def _rows_orm(view: Any, engine: Any, statement: Any) -> Iterator[Iterator[list]]:
    names = [name for name, _label in view._export_columns]
    with Session(engine) as session:
        result = session.execute(statement.execution_options(yield_per=BATCH_ROWS)).scalars()
        try:
            for batch in result.partitions():
                yield ([view.get_export_value(model, name) for name in names] for model in batch)
        finally:
            result.close()


def _orm_statement(view: Any, query: Any) -> Any:
    mapper = inspect(view.model)
    for name, _label in view._export_columns:
        prop = mapper.attrs.get(name) if isinstance(name, str) else None
        if isinstance(prop, RelationshipProperty) and not prop.uselist:
            query = query.options(joinedload(getattr(view.model, name)))
    return query.statement


def _csv_chunks(header: list[str], batches: Iterator[Iterator[list]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for batch in batches:
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def count_rows(query: Any, count_query: Any) -> int:
    """Return how many rows the export would write."""
    if count_query is not None:
        return count_query.scalar() or 0
    return query.order_by(None).count()


def stream_csv(view: Any, return_url: str) -> Response:
    """Answer the export: a streamed CSV, or a message when it is too large to stream."""
    query, count_query = filtered_query(view)
    limit = current_app.config.get("ADMIN_EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    total = count_rows(query, count_query)
    if total > limit:
        message = gettext(
            "This export would hold %(total)s rows, more than %(limit)s: narrow it with filters.",
            total=number(total),
            limit=number(limit),
        )
        flash(message, "error")
        return redirect(return_url)
    engine = db.engine
    with force_locale("en"):  # machine-readable: the same headers whatever the staff member's language
        header = [str(label) for _name, label in view._export_columns]
    cells = plan(view)
    if cells is None:
        batches = _rows_orm(view, engine, _orm_statement(view, query))
    else:
        statement = query.with_entities(*(cell.expression for cell in cells)).statement
        batches = _rows_core(engine, statement, cells)
    filename = secure_filename(view.get_export_name(export_type="csv"))
    return Response(
        stream_with_context(_csv_chunks(header, batches)),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment;filename={filename}", "Cache-Control": "no-store"},
    )
