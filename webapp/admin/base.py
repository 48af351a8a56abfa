"""The secured base of every admin view.

Access: every exposed method maps to a policy action (list, details, create,
edit, delete, export) and `webapp.auth.access.can` decides, per request; a
method with no mapping is denied. Anonymous visitors go to the login page,
signed-in staff without the right get 403.

Safety: Flask-WTF CSRF on every form, user fields that offer learners only (staff to
admins only, `people_fields`), export cells that a spreadsheet would run
as formulas are neutralised, database errors become human messages, bad ids
and query strings give 4xx (never 500), every change is written to the audit log.
"""

from enum import Enum
from typing import Any, ClassVar

from flask import abort, current_app, flash, has_request_context, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_admin.model.helpers import get_mdict_item_or_list
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError
from wtforms.validators import ValidationError

from webapp.admin import export
from webapp.admin.forms import ModelConverter, SecureForm, UTCFilterConverter
from webapp.admin.integrity import human_message
from webapp.admin.labels import labelled
from webapp.admin.listing import ForgivingInputMixin, LargeListMixin
from webapp.admin.people import Pick, is_admin, people_lookups, staff_only_fields
from webapp.auth.access import Action, can, can_use_admin
from webapp.errors import DATABASE_DOWN
from webapp.extensions import db
from webapp.i18n import N_, tr
from webapp.models.core.enums import AuditAction
from webapp.services import audit
from webapp.services.analytics.csvsafe import neutralise

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


class SecureModelView(SecuredMixin, ForgivingInputMixin, LargeListMixin, ModelView):
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
    # Set True on large tables: no count(*) per page load (a simple pager), sorts on indexed
    # columns only, a learner's email resolved to ids (webapp.admin.listing.LargeListMixin).
    simple_list_pager = False
    # The human name of one row in messages ("badge", "staff account").
    thing: ClassVar[str] = N_("record")

    # Fields that may hold staff, with the roles admins may pick (every other user field: learners only).
    people_fields: ClassVar[dict[str, Pick]] = {}

    def __init__(self, model: type, name: str | None = None, **kwargs: Any) -> None:
        if not self.resource:
            self.resource = model.__name__
        # Columns the system writes (local day and hour, the sending client's keys) are no form field.
        system = [a.key for a in inspect(model).column_attrs if a.columns[0].info.get("system")]
        if system:
            self.form_excluded_columns = (*(self.form_excluded_columns or ()), *system)
        # Every user field is a lookup that offers what the signed-in user may pick (webapp.admin.people).
        self.form_ajax_refs = {**(self.form_ajax_refs or {}), **people_lookups(model, self.people_fields)}
        # Every column's label follows the staff member's language (webapp/admin/labels.py).
        named = (
            *(self.column_list or ()),
            *(self.column_filters or ()),
            *(self.column_searchable_list or ()),
        )
        self.column_labels = labelled(model, named, self.column_labels)
        super().__init__(model, db, name=name, **kwargs)

    def create_form(self, obj: Any = None) -> Any:
        return self._without_staff_fields(super().create_form(obj))

    def edit_form(self, obj: Any = None) -> Any:
        return self._without_staff_fields(super().edit_form(obj))

    def _without_staff_fields(self, form: Any) -> Any:
        if not is_admin():
            for name in staff_only_fields(self.people_fields):
                if name in form:
                    del form[name]
        return form

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

    # Errors: a sentence for the person, the details for the log.
    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, ValidationError):
            message = exc.args[0] if exc.args and isinstance(exc.args[0], Markup) else str(exc)
            flash(message, "error")  # a Markup message is a rendered template (e.g. with a button)
            return True
        if isinstance(exc, DATABASE_DOWN):
            raise exc  # the app's 503 page (Flask-Admin would flash the database's text)
        if isinstance(exc, SQLAlchemyError):
            current_app.logger.info("admin save refused: %s", exc.__class__.__name__)
            flash(human_message(exc, self.thing), "error")
            return True
        current_app.logger.exception("admin save failed", exc_info=exc)
        flash(
            gettext("The %(thing)s could not be saved. The error has been logged.", thing=tr(self.thing)),
            "error",
        )
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

    @action("delete", _l("Delete"), _l("Delete the selected records?"))
    def action_delete(self, ids: Any) -> None:
        if not self.allowed(Action.DELETE):
            abort(403)
        deleted = 0
        for id_ in ids:
            model = self.get_one(id_)
            if model is not None and self.delete_model(model):
                deleted += 1
        if deleted:
            flash(ngettext("%(num)d record deleted.", "%(num)d records deleted.", deleted), "success")

    def history_url(self, model: Any) -> str | None:
        """The audit log filtered to this row, for the "history" link."""
        if not can(current_user, "AuditEntry", Action.LIST):
            return None
        return url_for("auditentry.index_view", model=self.resource, object_id=audit.object_key(model))


def record_id() -> Any:
    """Return the `id` query argument (as Flask-Admin reads it)."""
    return get_mdict_item_or_list(request.args, "id")


__all__ = ["SecureIndexView", "SecureModelView", "SecurePage", "deny", "gettext", "neutralise", "record_id"]
