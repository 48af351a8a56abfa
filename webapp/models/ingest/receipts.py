"""Receipts of sent items whose rows aggregate many items (a day's logins): each is counted once."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.base import Base
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime


class IngestReceipt(Base):
    """One item a client sent (by its own id), for kinds whose rows sum items up.

    Items that become one row each carry their key on the row itself (`IngestKeyMixin`);
    a daily login adds to the learner's row of that day, so its id is kept here.
    """

    __tablename__ = "ingest_receipts"

    api_client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<IngestReceipt {self.api_client_id} {self.kind} {self.external_id}>"
