"""Admin lists: hand-made URLs and ids get a page or a 4xx, never a 500; large tables list in
index-sized work (mixins of the secured admin base).

Large tables (a view with `simple_list_pager`: raw events, the ledger, leaderboard entries) run
to millions of rows, so their lists never do what costs a pass over the table: no count(*)
per page (a simple pager), sorts only on columns that lead an index (or the primary key), and
a search for a learner's email resolves the learners first (one lookup on users, through
the lower(email) index when the address is whole) and then reads `user_id IN (...)`.

A filter on the learner's email (`user.email` in column_filters) is resolved the same way: the
filter's own condition is run on users, and the large table is read by `user_id IN (<ids>)`
instead of through a join to users. With the ids as constants PostgreSQL reads a learner's
rows through the table's (user_id, <time>) index, partition by partition, whatever its
statistics say; through the join it had to guess which learner, and could walk the time index
of every partition backwards looking for them (a few hundred ms at 10 M rows).

Their pages read the rows they name (the learner, the board...) after the page, by id, rather
than joining them into the large table's query. The events', sessions' and ledger's lists
sort newest first by the time column that follows user_id in their (user_id, <time>) index,
ties by id (engagement.py, gamification.py).
"""

from typing import Any

from flask import abort, current_app, flash, request
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy import false, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError, StatementError
from sqlalchemy.orm import selectinload

from webapp.errors import DATABASE_DOWN
from webapp.extensions import db
from webapp.models import User

# A partial address matches at most this many learners (their ids go into one IN list).
MAX_SEARCH_USERS = 500

MAX_PAGE = 100_000


class ForgivingInputMixin:
    """Clamp pages, read filters and ids defensively, and turn database errors into 400."""

    def _apply_pagination(self, query: Any, page: int | None, page_size: int | None) -> Any:
        page = min(max(page or 0, 0), MAX_PAGE)
        return super()._apply_pagination(query, page, page_size)

    def _get_list_filter_args(self) -> Any:
        # Flask-Admin's own loop, except that a filter whose value cannot even be parsed
        # (KeyError, OverflowError... from a hand-made URL) is flashed as invalid, not a 500.
        if not self._filters:
            return None
        chosen = []
        for arg, value in request.args.items(multi=True):
            if not arg.startswith("flt") or "_" not in arg:
                continue
            pos, key = arg[3:].split("_", 1)
            if key not in self._filter_args:
                continue
            idx, flt = self._filter_args[key]
            try:
                valid = flt.validate(value)
            except Exception:
                valid = False
            if valid:
                chosen.append((pos, (idx, str(flt.name), value)))
            else:
                flash(self.get_invalid_value_msg(value[:100], flt), "error")
        return [item for _pos, item in sorted(chosen, key=lambda n: n[0])]

    def _apply_search(self, query: Any, count_query: Any, joins: Any, count_joins: Any, search: str) -> Any:
        search = search.replace("\x00", "")[:200]
        return super()._apply_search(query, count_query, joins, count_joins, search)

    def get_one(self, id: Any) -> Any:
        column = inspect(self.model).primary_key[0]
        try:
            value = column.type.python_type(id)
        except (TypeError, ValueError, NotImplementedError):
            return None
        if isinstance(value, int) and not -(2**63) < value < 2**63:
            return None
        return db.session.get(self.model, value)

    def _run_view(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._run_view(fn, *args, **kwargs)
        except DATABASE_DOWN:
            raise  # the app's 503 page, not a 400
        except (StatementError, SQLAlchemyError):
            db.session.rollback()
            current_app.logger.warning("admin request refused after a database error", exc_info=True)
            abort(400)


def indexed_columns(model: type) -> set[str]:
    """Names of the columns of a model's table that lead an index, a unique constraint or the key."""
    table = inspect(model).local_table
    leading = {table.primary_key.columns.values()[0].name} if table.primary_key.columns else set()
    for index in table.indexes:
        first = next(iter(index.expressions), None)
        if getattr(first, "table", None) is table:
            leading.add(first.name)
    for constraint in table.constraints:
        columns = getattr(constraint, "columns", None)
        if columns is not None and len(columns):
            leading.add(columns.values()[0].name)
    return leading


def users_matching(term: str) -> list[int]:
    """Ids of the accounts whose email is term (any case, by the index), else that contain it."""
    term = term.strip()
    exact = db.session.scalars(select(User.id).where(func.lower(User.email) == term.lower())).all()
    if exact:
        return list(exact)
    pattern = "%" + term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = select(User.id).where(func.lower(User.email).like(pattern, escape="\\")).limit(MAX_SEARCH_USERS)
    return list(db.session.scalars(query))


class LargeListMixin:
    """Lists of large tables (`simple_list_pager`): indexed sorts, searches by learner through ids."""

    simple_list_pager: bool

    def get_sortable_columns(self) -> Any:
        columns = super().get_sortable_columns()
        if not self.simple_list_pager:
            return columns
        indexed = indexed_columns(self.model)
        return {
            name: column
            for name, column in columns.items()
            if name not in getattr(self, "_sortable_joins", {}) and getattr(column, "name", None) in indexed
        }

    def scaffold_auto_joins(self) -> Any:
        # The page's learners (and other rows it names) are read after the page, by id (one
        # `IN (...)` per relation), not joined into the large table's query: joined, PostgreSQL
        # may join every row that ties on the sort key before it keeps 25 (7,664 ledger rows
        # share the newest created_at at 20,000 learners).
        joins = super().scaffold_auto_joins()
        if not self.simple_list_pager:
            return joins
        self._page_relations = list(joins)
        return []

    def _apply_pagination(self, query: Any, page: int | None, page_size: int | None) -> Any:
        query = super()._apply_pagination(query, page, page_size)
        for relation in getattr(self, "_page_relations", ()):
            query = query.options(selectinload(relation))
        return query

    def _searches_learner_email(self) -> bool:
        return "user.email" in (self.column_searchable_list or ()) and hasattr(self.model, "user_id")

    def _apply_search(self, query: Any, count_query: Any, joins: Any, count_joins: Any, search: str) -> Any:
        if not self._searches_learner_email():
            return super()._apply_search(query, count_query, joins, count_joins, search)
        # A term with an @ is a learner's email: resolved to ids first, then `user_id IN (...)`;
        # the other terms search as Flask-Admin does.
        rest = []
        for term in search.split(" "):
            if "@" not in term:
                rest.append(term)
                continue
            ids = users_matching(term)
            condition = self.model.user_id.in_(ids) if ids else false()
            query = query.filter(condition)
            if count_query is not None:
                count_query = count_query.filter(condition)
        if any(rest):
            return super()._apply_search(query, count_query, joins, count_joins, " ".join(rest))
        return query, count_query, joins, count_joins

    def _filters_learner_email(self, flt: Any) -> bool:
        """Whether flt filters on the row's learner's email, through a user_id that is never null
        (so "its learner's email matches" is exactly "user_id is one of the matching users")."""
        user_id = inspect(self.model).local_table.c.get("user_id")
        return (
            isinstance(flt, BaseSQLAFilter)
            and flt.column is User.__table__.c.email
            and str(flt.key_name or "").startswith("user.")
            and user_id is not None
            and not user_id.nullable
        )

    def _learner_email_condition(self, flt: Any, value: Any) -> Any:
        """`user_id IN (...)` for the users the filter keeps: their ids when they are few, else
        the lookup on users as a subquery."""
        users = flt.apply(db.session.query(User.id), value, None)
        ids = [row.id for row in users.limit(MAX_SEARCH_USERS + 1)]
        if len(ids) > MAX_SEARCH_USERS:
            return self.model.user_id.in_(users.scalar_subquery())
        return self.model.user_id.in_(ids) if ids else false()

    def _apply_filters(self, query: Any, count_query: Any, joins: Any, count_joins: Any, filters: Any) -> Any:
        rest = []
        for chosen in filters:
            idx, _name, value = chosen
            flt = self._filters[idx]
            if not self._filters_learner_email(flt):
                rest.append(chosen)
                continue
            condition = self._learner_email_condition(flt, flt.clean(value))
            query = query.filter(condition)
            if count_query is not None:
                count_query = count_query.filter(condition)
        if not rest:
            return query, count_query, joins, count_joins
        return super()._apply_filters(query, count_query, joins, count_joins, rest)
