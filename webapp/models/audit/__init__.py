"""The audit log of staff changes made through the admin."""

from webapp.models.audit.log import AuditEntry

__all__ = ["AuditEntry"]
