"""The audit log: who changed what, with field-level before and after values.

Values are made JSON-safe (dates as ISO strings, enums as their values, long
text clipped) and secrets are never stored, only the fact that they changed.
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from webapp.models import AuditEntry
from webapp.models.core.enums import AuditAction

SECRET_FIELDS = frozenset({"password_hash", "password", "session_version"})
SECRET_MARKERS = ("password", "secret", "token", "api_key")
REDACTED = "[redacted]"
MAX_TEXT = 500


def is_secret(field: str) -> bool:
    """Whether a field's values must never be written to the log."""
    name = field.lower()
    return name in SECRET_FIELDS or any(marker in name for marker in SECRET_MARKERS)


def plain(value: Any) -> Any:
    """Return value as something JSON can store, clipped to a readable length."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        text = str(value)
        return value if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def column_values(obj: Any) -> dict[str, Any]:
    """Return the row's column values by attribute name (JSON-safe, secrets redacted)."""
    mapper = inspect(obj).mapper
    values = {}
    for attr in mapper.column_attrs:
        value = getattr(obj, attr.key)
        values[attr.key] = REDACTED if is_secret(attr.key) and value is not None else plain(value)
    return values


def pending_changes(obj: Any) -> dict[str, list[Any]]:
    """Return {field: [before, after]} for the columns changed on obj since it was loaded."""
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if plain(before) == plain(after):
            continue
        if is_secret(attr.key):
            changes[attr.key] = [REDACTED, REDACTED]
        else:
            changes[attr.key] = [plain(before), plain(after)]
    return changes


def created_changes(obj: Any) -> dict[str, list[Any]]:
    """Return {field: [None, value]} for a new row's set columns."""
    return {k: [None, v] for k, v in column_values(obj).items() if v is not None}


def deleted_changes(obj: Any) -> dict[str, list[Any]]:
    """Return {field: [value, None]} for a row about to be deleted."""
    return {k: [v, None] for k, v in column_values(obj).items() if v is not None}


def object_key(obj: Any) -> str:
    """Return the primary key of obj as text ("1", or "1,2" for composite keys)."""
    identity = inspect(obj).identity
    if identity is None:
        identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in identity)


def record(
    session: Session,
    *,
    actor: Any,
    action: AuditAction | str,
    model: str,
    object_id: str | None = None,
    changes: dict[str, Any] | None = None,
    summary: str | None = None,
    remote_addr: str | None = None,
) -> AuditEntry:
    """Add one audit entry to the session (committed with the change it describes)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        action=AuditAction(action),
        model=model[:64],
        object_id=None if object_id is None else str(object_id)[:64],
        changes=changes or None,
        summary=None if summary is None else summary[:2000],
        remote_addr=None if remote_addr is None else remote_addr[:64],
    )
    session.add(entry)
    return entry
