"""The secured base of every admin view.

Access: every exposed method maps to a policy action (list, details, create,
edit, delete, export) and `webapp.auth.access.can` decides, per request; a
method with no mapping is denied. Anonymous visitors go to the login page,
signed-in staff without the right get 403.

Safety: Flask-WTF CSRF on every form, export cells that a spreadsheet would run
as formulas are neutralised, database errors become human messages, bad ids
and query strings give 4xx (never 500), every change is written to the audit log.
"""

from enum import Enum
from typing import Any, ClassVar

from flask import abort, current_app, flash, has_request_context, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.babel import gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_admin.model.helpers import get_mdict_item_or_list
from flask_login import current_user
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError, StatementError
from wtforms.validators import ValidationError

from webapp.admin import export
from webapp.admin.forms import ModelConverter, SecureForm, UTCFilterConverter
from webapp.admin.integrity import human_message
from webapp.auth.access import Action, can, can_use_admin
from webapp.errors import DATABASE_DOWN
from webapp.extensions import db
from webapp.models.core.enums import AuditAction
from webapp.services import audit
from webapp.services.analytics.csvsafe import neutralise

MAX_PAGE = 100_000

# Flask-Admin's exposed methods and the policy action each one needs.
VIEW_ACTIONS: dict[str, Action | tuple[Action, ...]] = {
    "index_view": Action.LIST,
    "details_view": Action.DETAILS,
    "create_view": Action.CREATE,
    "edit_view": Action.EDIT,
    "delete_view": Action.DELETE,
    "export": Action.EXPORT,
    "action_view": Action.LIST,  # each action checks its own right as well
    "ajax_lookup": (Action.CREATE, Action.EDIT),
    "ajax_update": Action.EDIT,
}


def _enum_value(view: Any, value: Enum, name: str) -> str:
    # Show what operators type and filter on ("bronze"), not the Python member name ("BRONZE").
    return str(value.value)


LIST_FORMATTERS = {**typefmt.BASE_FORMATTERS, Enum: _enum_value}
DETAIL_FORMATTERS = {**typefmt.DETAIL_FORMATTERS, Enum: _enum_value}
EXPORT_FORMATTERS = {**typefmt.EXPORT_FORMATTERS, Enum: _enum_value}


def deny(name: str = "") -> Any:
    """Send anonymous visitors to the login page; refuse everyone else with 403."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


class SecuredMixin:
    """Access checks shared by model views and custom admin pages."""

    resource: ClassVar[str] = ""
    # Extra exposed methods of a subclass: method name -> action(s), any of which suffices.
    extra_view_actions: ClassVar[dict[str, Action | tuple[Action, ...]]] = {}

    def allowed(self, action: Action | str) -> bool:
        """Whether the current user may take action on this view's resource."""
        return can(current_user, self.resource, action)

    def is_accessible(self) -> bool:
        return can_use_admin(current_user) and self.allowed(Action.LIST)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        return deny(name)

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if not can_use_admin(current_user):
            return deny(name)
        needed = {**VIEW_ACTIONS, **self.extra_view_actions}.get(name)
        if needed is None:
            abort(403)  # deny by default: a method nobody mapped is nobody's
        options = needed if isinstance(needed, tuple) else (needed,)
        if not any(self.allowed(action) for action in options):
            abort(403)
        return None


class SecureIndexView(AdminIndexView):
    """The admin home, for operators and admins only."""

    def is_accessible(self) -> bool:
        return can_use_admin(current_user)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        return deny(name)

    @expose()
    def index(self) -> str:
        return self.render("admin/shiksha_index.html")


class SecurePage(SecuredMixin, BaseView):
    """A custom admin page (not a model CRUD) under the same access rules."""


class SecureModelView(SecuredMixin, ModelView):
    """A model view whose rights come from the policy, per request."""

    form_base_class = SecureForm
    model_form_converter = ModelConverter
    filter_converter = UTCFilterConverter()
    can_view_details = True
    export_types = ["csv"]
    export_max_rows = 50_000
    page_size = 25
    can_set_page_size = True
    page_size_options = (25, 50, 100)
    details_template = "admin/shiksha_details.html"
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_detail = DETAIL_FORMATTERS
    column_type_formatters_export = EXPORT_FORMATTERS
    # Set True on event tables: no count(*) per page load, a simple pager instead.
    simple_list_pager = False
    # The human name of one row in messages ("badge", "staff account").
    thing: ClassVar[str] = "record"

    def __init__(self, model: type, name: str | None = None, **kwargs: Any) -> None:
        if not self.resource:
            self.resource = model.__name__
        super().__init__(model, db, name=name, **kwargs)

    # Rights, asked per request (outside a request, e.g. while scaffolding, the class defaults).
    @property
    def can_create(self) -> bool:
        return self.allowed(Action.CREATE)

    @property
    def can_edit(self) -> bool:
        return self.allowed(Action.EDIT)

    @property
    def can_delete(self) -> bool:
        return self.allowed(Action.DELETE)

    @property
    def can_export(self) -> bool:  # type: ignore[override]
        return self.allowed(Action.EXPORT)

    def allowed(self, action: Action | str) -> bool:
        if not has_request_context():
            return True
        return super().allowed(action)

    # Bad input: clamp the page, coerce ids, and turn database errors into 400.
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

    # Errors: a sentence for the person, the details for the log.
    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, ValidationError):
            flash(str(exc), "error")
            return True
        if isinstance(exc, DATABASE_DOWN):
            return False  # re-raised: the app's 503 page
        if isinstance(exc, SQLAlchemyError):
            current_app.logger.info("admin save refused: %s", exc.__class__.__name__)
            flash(human_message(exc, self.thing), "error")
            return True
        current_app.logger.exception("admin save failed", exc_info=exc)
        flash(f"The {self.thing} could not be saved. The error has been logged.", "error")
        return True

    # Export: what the list shows, streamed, with formula cells neutralised (webapp.admin.export).
    def _export_csv(self, return_url: Any) -> Any:
        return export.stream_csv(self, return_url)

    def get_export_value(self, model: Any, name: Any) -> Any:
        return neutralise(super().get_export_value(model, name))

    # Audit: written in the same transaction as the change.
    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        self.validate_model(form, model, is_created)
        if is_created:
            db.session.flush()
            self.audit(AuditAction.CREATE, model, audit.created_changes(model))
        else:
            changes = audit.pending_changes(model)
            if changes:
                self.audit(AuditAction.UPDATE, model, changes)

    def validate_model(self, form: Any, model: Any, is_created: bool) -> None:
        """Check rules across fields; raise ValidationError with a readable message."""

    def on_model_delete(self, model: Any) -> None:
        self.audit(AuditAction.DELETE, model, audit.deleted_changes(model))

    def audit(
        self,
        action: AuditAction,
        model: Any,
        changes: dict | None,
        summary: str | None = None,
        resource: str | None = None,
    ) -> None:
        """Add an audit entry about model (of this view's resource unless named) by the current user."""
        audit.record(
            db.session,
            actor=current_user,
            action=action,
            model=resource or self.resource,
            object_id=audit.object_key(model) if model is not None else None,
            changes=changes,
            summary=summary or f"{action.value} {self.thing} {model}",
            remote_addr=request.remote_addr,
        )

    @action("delete", "Delete", "Delete the selected records?")
    def action_delete(self, ids: Any) -> None:
        if not self.allowed(Action.DELETE):
            abort(403)
        deleted = 0
        for id_ in ids:
            model = self.get_one(id_)
            if model is not None and self.delete_model(model):
                deleted += 1
        if deleted:
            flash(f"{deleted} record(s) deleted.", "success")

    def history_url(self, model: Any) -> str | None:
        """The audit log filtered to this row, for the "history" link."""
        if not can(current_user, "AuditEntry", Action.LIST):
            return None
        return url_for("auditentry.index_view", model=self.resource, object_id=audit.object_key(model))


def record_id() -> Any:
    """Return the `id` query argument (as Flask-Admin reads it)."""
    return get_mdict_item_or_list(request.args, "id")


__all__ = ["SecureIndexView", "SecureModelView", "SecurePage", "deny", "gettext", "neutralise", "record_id"]
