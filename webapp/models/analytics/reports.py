"""Saved report views: a report and its filters, owned by a staff member.

`report_type` is the key of a registered report (webapp.reports), kept as plain
text so that adding a report page needs no migration; a view whose report is gone
is listed without a link. A view is shared as a link only while `is_shared` is set and it
holds a `share_token`; following the link grants no access of its own.
"""

from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.mixins import TimestampMixin
from webapp.models.core.types import JSONType


class ReportDefinition(TimestampMixin, Base):
    """A bookmarked report: which page, with which filters."""

    __tablename__ = "report_definitions"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    report_type: Mapped[str] = mapped_column(String(40), nullable=False)
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A shared view opens for whoever follows its link (/reports/shared/<share_token>) and may
    # see its report; the token is unguessable, and a new one is drawn each time it is shared.
    is_shared: Mapped[bool] = mapped_column(default=False, server_default=false())
    share_token: Mapped[str | None] = mapped_column(String(32), unique=True)

    owner: Mapped["User"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return self.name
