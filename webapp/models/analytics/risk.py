"""At-risk flags: which documented rule fired for which learner, as of a day, and which days
the rules were evaluated for (a day with no flag is a figure, zero; a day never evaluated is not)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.base import Base
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import JSONType, UTCDateTime, big_id


class LearnerRiskFlag(Base):
    """One rule of `webapp.services.analytics.risk` that fired for a learner on `as_of`."""

    __tablename__ = "learner_risk_flags"
    __table_args__ = (
        UniqueConstraint("as_of", "user_id", "rule"),
        Index("ix_learner_risk_flags_user_as_of", "user_id", "as_of"),
        # The at-risk page: a day's flags by rule, and learners per rule over a range, from the index alone.
        Index("ix_learner_risk_flags_as_of_rule_user", "as_of", "rule", "user_id"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    as_of: Mapped[date] = mapped_column(nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(32), nullable=False)
    # The figure the rule compared (days idle, % change, streak length, mastery).
    value: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(String(200), nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RiskEvaluation(Base):
    """One evaluation of the at-risk rules as of a local day (written once that day is over)."""

    __tablename__ = "risk_evaluations"

    as_of: Mapped[date] = mapped_column(primary_key=True)
    learners_flagged: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The district's learners flagged by each rule on any day of the report presets' ranges ending
    # on as_of: {"30": {"went_quiet": 1204, ...}, ...} (written for the newest evaluated day).
    rule_learners: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<RiskEvaluation {self.as_of} {self.learners_flagged}>"
