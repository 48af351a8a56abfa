"""Schemas of audit log entries (secrets are refused, never logged)."""

import re
from typing import Any

from pydantic import field_validator

from webapp.models.core.enums import AuditAction
from webapp.models.core.schemas import Email, ReadSchema, RowId, Schema, UTCDatetime, WriteSchema, text

SECRET_FIELD = re.compile(r"password|secret|token", re.IGNORECASE)


class AuditEntryFields(Schema):
    actor_id: RowId | None = None
    actor_email: Email | None = None
    action: AuditAction
    model: text(64)
    object_id: text(64) | None = None
    # {"field": [before, after], ...}
    changes: dict[str, tuple[Any, Any]] | None = None
    summary: text(5000, 0) | None = None
    remote_addr: text(64) | None = None

    @field_validator("changes")
    @classmethod
    def _no_secrets(cls, value: dict[str, tuple[Any, Any]] | None) -> dict[str, tuple[Any, Any]] | None:
        secret = sorted(name for name in value or {} if SECRET_FIELD.search(name))
        if secret:
            raise ValueError(f"secrets are never audited: {', '.join(secret)}")
        return value


class AuditEntryCreate(AuditEntryFields, WriteSchema):
    created_at: UTCDatetime | None = None


class AuditEntryRead(AuditEntryFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
