"""Shared building blocks of every model: base class, column types, mixins, enums."""

from webapp.models.core.base import Base, metadata
from webapp.models.core.mixins import TimestampMixin
from webapp.models.core.types import JSONType, UTCDateTime, big_id

__all__ = ["Base", "JSONType", "TimestampMixin", "UTCDateTime", "big_id", "metadata"]
