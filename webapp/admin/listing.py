"""Hand-made list URLs and ids get a page or a 4xx, never a 500 (a mixin of the secured admin base)."""

from typing import Any

from flask import abort, current_app, flash, request
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError, StatementError

from webapp.errors import DATABASE_DOWN
from webapp.extensions import db

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
