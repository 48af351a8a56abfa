"""The audit log: read-only, filterable by actor, model and date; "history" of one row."""

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from webapp.admin.base import SecureModelView
from webapp.extensions import db
from webapp.models import AuditEntry

CATEGORY = _l("Audit")


def _changes(view: Any, context: Any, model: AuditEntry, name: str) -> Any:
    if not model.changes:
        return ""
    rows = "".join(
        f"<li><code>{escape(field)}</code>: {escape(_short(pair[0]))} → {escape(_short(pair[1]))}</li>"
        if isinstance(pair, list) and len(pair) == 2
        else f"<li><code>{escape(field)}</code>: {escape(_short(pair))}</li>"
        for field, pair in model.changes.items()
    )
    return Markup(f"<ul class='mb-0 pl-3'>{rows}</ul>")  # noqa: S704 - every part escaped above


def _short(value: Any) -> str:
    text = "∅" if value is None else str(value)
    return text if len(text) <= 120 else text[:120] + "…"


class AuditEntryView(SecureModelView):
    """Who changed what; `?model=Badge&object_id=3` narrows to one row's history."""

    simple_list_pager = True
    column_list = ("created_at", "actor_email", "action", "model", "object_id", "summary", "changes")
    column_labels = {"actor_email": "Actor", "object_id": "Id"}
    column_formatters = {"changes": _changes}
    column_formatters_export = {}
    column_searchable_list = ("actor_email", "model", "object_id", "summary")
    column_filters = ("created_at", "actor_email", "model", "action", "object_id")
    column_default_sort = ("id", True)

    def _narrowed(self, query: Any) -> Any:
        model = request.args.get("model")
        object_id = request.args.get("object_id")
        if model:
            query = query.filter(AuditEntry.model == model[:64])
        if object_id:
            query = query.filter(AuditEntry.object_id == object_id[:64])
        return query

    def get_query(self) -> Any:
        return self._narrowed(super().get_query())

    def get_count_query(self) -> Any:
        return self._narrowed(db.session.query(db.func.count(AuditEntry.id)))

    def history_url(self, model: Any) -> None:
        return None


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [AuditEntryView(AuditEntry, name=_l("Audit log"), category=CATEGORY)]
