"""User accounts (learners and staff) and learner profiles."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import AgeBand, Role, str_enum
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin
from webapp.models.core.types import UTCDateTime

STAFF_ROLES = frozenset({Role.TEACHER, Role.OPERATOR, Role.ADMIN})


def _many(back: str, foreign_keys: str | None = None) -> Any:
    """A one-to-many of the user's rows that raises instead of loading itself, deleted by the database."""
    return relationship(back_populates=back, lazy="raise", passive_deletes=True, foreign_keys=foreign_keys)


class User(TimestampMixin, ActiveFlagMixin, Base):
    """Anyone the platform knows: learners, and staff who may log in here."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role != 'learner' OR password_hash IS NULL", name="learner_no_password"),
        CheckConstraint("session_version >= 0", name="session_version_non_negative"),
        CheckConstraint("role = 'learner' OR email IS NOT NULL", name="staff_have_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Staff log in with it; a learner sent by the platform may have none.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # The platform's own id of a learner, shared by every API client (roster upserts key on it).
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), nullable=False, index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    locale: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    # When a staff member picked their language (navbar). Until then "en" is only the default,
    # and the browser's Accept-Language chooses the pages' language (webapp/i18n.py).
    locale_chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Bumped on logout, deactivation and password change: older cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    profile: Mapped["UserProfile | None"] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan", passive_deletes=True
    )
    streak: Mapped["UserStreak | None"] = relationship(  # noqa: F821
        back_populates="user", uselist=False, passive_deletes=True
    )
    points: Mapped["UserPoints | None"] = relationship(  # noqa: F821
        back_populates="user", uselist=False, passive_deletes=True
    )
    engagement_profile: Mapped["UserEngagementProfile | None"] = relationship(  # noqa: F821
        back_populates="user", uselist=False, passive_deletes=True
    )
    memberships: Mapped[list["GroupMember"]] = relationship(  # noqa: F821
        back_populates="user", passive_deletes=True
    )
    # A learner's activity and records: never loaded by accident (lazy="raise"); query them,
    # or ask for them with selectinload() where a page needs them.
    daily_logins: Mapped[list["DailyLogin"]] = _many("user")  # noqa: F821
    sessions: Mapped[list["LearningSession"]] = _many("user")  # noqa: F821
    behavior_events: Mapped[list["BehaviorEvent"]] = _many("user")  # noqa: F821
    badges: Mapped[list["UserBadge"]] = _many("user", "UserBadge.user_id")  # noqa: F821
    duels: Mapped[list["DuelParticipant"]] = _many("user")  # noqa: F821
    skill_mastery: Mapped[list["SkillMastery"]] = _many("user")  # noqa: F821
    quiz_attempts: Mapped[list["QuizAttempt"]] = _many("user")  # noqa: F821
    connections: Mapped[list["UserConnection"]] = _many("follower", "UserConnection.follower_id")  # noqa: F821
    notifications: Mapped[list["Notification"]] = _many("recipient")  # noqa: F821
    learning_paths: Mapped[list["PathEnrolment"]] = _many("user")  # noqa: F821

    # The three attributes and get_id() that session libraries (Flask-Login) expect.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """Return the session identity: id and session version, so a bump logs out old cookies."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        """Whether the role is one that may log in to this app."""
        return self.role in STAFF_ROLES

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>" if self.email else self.display_name


# One account per address, whatever its case: "ADMIN@x" must not shadow "admin@x" at login.
# Lookups use the same rule (webapp.auth.accounts.find_user).
Index("uq_users_email_lower", func.lower(User.email), unique=True)
# Lists sorted by learner name (the at-risk table): the first 100 by walking this index.
Index("ix_users_display_name_lower", func.lower(User.display_name), User.id)
# The learners' time zones (every page's "last complete day") read by a walk of the index.
Index("ix_users_role_timezone", User.role, User.timezone)


class UserProfile(TimestampMixin, Base):
    """A learner's descriptive profile, one per user."""

    __tablename__ = "user_profiles"
    __table_args__ = (
        CheckConstraint("grade_level IS NULL OR grade_level BETWEEN 1 AND 12", name="grade_range"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    grade_level: Mapped[int | None] = mapped_column(Integer)
    school: Mapped[str | None] = mapped_column(String(200))
    bio: Mapped[str | None] = mapped_column(Text)
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    date_of_birth: Mapped[date | None] = mapped_column()
    age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, "age_band"))
    goals: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(back_populates="profile")

    def __str__(self) -> str:
        return f"profile of user {self.user_id}"
