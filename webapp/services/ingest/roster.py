"""Roster items: learners and study groups upserted by the platform's ids, then memberships
and teachers' assignments, which may name learners and groups created earlier in the batch.

An item equal to what is stored is a duplicate; a changed one updates the row. Emails are
compared lower-cased: one email, one account. Teachers are staff accounts made by an admin
here; an assignment names one by email and is refused when there is none.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from webapp.models import GroupMember, LearnerDay, StudyGroup, User, UserProfile
from webapp.models.core.enums import GroupRole, Role
from webapp.models.core.schemas import IngestItem
from webapp.services.ingest import refs
from webapp.services.ingest.batch import Batch
from webapp.services.points import dialect_insert
from webapp.services.timezones import learner_zone

USERS, PROFILES, GROUPS, MEMBERS = (m.__table__ for m in (User, UserProfile, StudyGroup, GroupMember))


def local_midnight(day: date, timezone: str | None) -> datetime:
    """Return the UTC moment a local day starts in a time zone."""
    return datetime.combine(day, time(), tzinfo=learner_zone(timezone)).astimezone(UTC)


def email_owners(session: Session, emails: Iterable[str]) -> dict[str, tuple[int, str | None]]:
    """Return {lower-cased email: (user id, external id)} of the accounts holding these emails."""
    wanted = sorted({e.lower() for e in emails if e})
    if not wanted:
        return {}
    query = select(func.lower(User.email), User.id, User.external_id).where(
        func.lower(User.email).in_(wanted)
    )
    return {email: (uid, ext) for email, uid, ext in session.execute(query)}


class RosterWriter:
    """Writes one batch's roster items, kind by kind."""

    def __init__(self, batch: Batch, items: list[tuple[int, IngestItem]]) -> None:
        self.batch = batch
        self.by_type: dict[str, list[tuple[int, IngestItem]]] = defaultdict(list)
        for index, item in items:
            self.by_type[item.type].append((index, item))

    # learners --------------------------------------------------------------------------

    def learners(self) -> None:
        """Create or update learners (and their profile) by the platform's learner id."""
        items = self.by_type.get("learner", [])
        owners = email_owners(self.batch.session, (i.email for _, i in items if i.email))
        for index, item in items:
            owner = owners.get(item.email.lower()) if item.email else None
            if owner is not None and owner[1] != item.id:
                self.batch.reject(index, item, "email", "another account has this email")
                continue
            self._learner(index, item)
            if item.email:
                owners[item.email.lower()] = (0, item.id)

    def _learner(self, index: int, item: IngestItem) -> None:
        session = self.batch.session
        values = {"display_name": item.name, "email": item.email, "timezone": item.timezone,
                  "locale": item.locale, "is_active": item.active}  # fmt: skip
        stmt = dialect_insert(session, USERS).on_conflict_do_nothing()
        new_id = session.execute(
            stmt.returning(USERS.c.id), [{**values, "role": Role.LEARNER, "external_id": item.id}]
        ).scalar()
        if new_id is not None:
            self._profile(new_id, item)
            self.batch.accept(index, item, "created")
            return
        old = session.execute(select(USERS).where(USERS.c.external_id == item.id)).first()
        if old is None or old.role != Role.LEARNER:
            reason = "another account has this email" if old is None else "this id belongs to a staff account"
            self.batch.reject(index, item, "email" if old is None else "id", reason)
            return
        changed = {k: v for k, v in values.items() if old._mapping[k] != v}
        if changed:
            session.execute(update(USERS).where(USERS.c.id == old.id).values(changed))
        if self._profile(old.id, item) or changed:
            self.batch.accept(index, item, "updated")
        else:
            self.batch.duplicate(index, item)

    def _profile(self, user_id: int, item: IngestItem) -> bool:
        """Store the grade and school of a learner; return whether anything changed."""
        session = self.batch.session
        values = {"grade_level": item.grade, "school": item.school}
        old = session.execute(select(PROFILES).where(PROFILES.c.user_id == user_id)).first()
        if old is None:
            if item.grade is None and item.school is None:
                return False
            session.execute(PROFILES.insert().values(user_id=user_id, **values))
            return True
        if all(old._mapping[k] == v for k, v in values.items()):
            return False
        session.execute(update(PROFILES).where(PROFILES.c.user_id == user_id).values(values))
        return True

    # groups ----------------------------------------------------------------------------

    def groups(self) -> None:
        """Create or update study groups by the platform's group id (names are unique too)."""
        session = self.batch.session
        for index, item in self.by_type.get("study_group", []):
            values = {"name": item.name, "description": item.description, "is_active": item.active}
            stmt = dialect_insert(session, GROUPS).on_conflict_do_nothing()
            if session.execute(stmt.returning(GROUPS.c.id), [{**values, "external_id": item.id}]).scalar():
                self.batch.accept(index, item, "created")
                continue
            old = session.execute(select(GROUPS).where(GROUPS.c.external_id == item.id)).first()
            named = session.scalar(select(GROUPS.c.external_id).where(GROUPS.c.name == item.name))
            if old is None or (named is not None and named != item.id):
                self.batch.reject(index, item, "name", "another study group has this name")
            elif all(old._mapping[k] == v for k, v in values.items()):
                self.batch.duplicate(index, item)
            else:
                session.execute(update(GROUPS).where(GROUPS.c.id == old.id).values(values))
                self.batch.accept(index, item, "updated")

    # memberships -----------------------------------------------------------------------

    def memberships(self) -> None:
        """Learners' memberships of groups: joined on a day, left on a later one (if so)."""
        items = self.by_type.get("membership", [])
        learners = refs.learners(self.batch.session, {i.learner for _, i in items})
        groups = refs.groups(self.batch.session, {i.group for _, i in items})
        for index, item in items:
            learner, group_id = learners.get(item.learner), groups.get(item.group)
            if learner is None:
                self.batch.reject(
                    index,
                    item,
                    "learner",
                    "no learner has this id (send it earlier in this batch, or before)",
                )
            elif group_id is None:
                self.batch.reject(index, item, "group", "no study group has this id")
            else:
                joined = local_midnight(item.joined_on, learner.timezone)
                if self._member(index, item, group_id, learner.id, GroupRole.MEMBER, joined):
                    self.batch.mark(self._learner_days(learner.id))

    def teachers(self) -> None:
        """Teachers' assignments to groups: the teacher is a staff account, named by email."""
        items = self.by_type.get("teacher_assignment", [])
        groups = refs.groups(self.batch.session, {i.group for _, i in items})
        wanted = sorted({i.teacher_email.lower() for _, i in items})
        query = select(func.lower(User.email), User.id, User.timezone).where(
            func.lower(User.email).in_(wanted), User.role == Role.TEACHER
        )
        teachers = (
            {email: (uid, tz) for email, uid, tz in self.batch.session.execute(query)} if wanted else {}
        )
        for index, item in items:
            teacher, group_id = teachers.get(item.teacher_email.lower()), groups.get(item.group)
            if teacher is None:
                self.batch.reject(
                    index,
                    item,
                    "teacher_email",
                    "no teacher account has this email (an admin creates staff accounts)",
                )
            elif group_id is None:
                self.batch.reject(index, item, "group", "no study group has this id")
            else:
                joined = local_midnight(item.assigned_on, teacher[1])
                self._member(index, item, group_id, teacher[0], GroupRole.TEACHER, joined)

    def _member(
        self, index: int, item: IngestItem, group_id: int, user_id: int, role: GroupRole, joined: datetime
    ) -> bool:
        """Create or update one membership; return whether it changed."""
        session = self.batch.session
        values = {"joined_at": joined, "left_on": item.left_on}
        stmt = dialect_insert(session, MEMBERS).on_conflict_do_nothing(index_elements=["group_id", "user_id"])
        row = {"group_id": group_id, "user_id": user_id, "role": role, **values}
        if session.execute(stmt.returning(MEMBERS.c.id), [row]).scalar():
            self.batch.accept(index, item, "created")
            return True
        key = (MEMBERS.c.group_id == group_id) & (MEMBERS.c.user_id == user_id)
        old = session.execute(select(MEMBERS).where(key)).one()
        if old.role != role:
            self.batch.reject(index, item, None, f"this person is already in the group as a {old.role.value}")
            return False
        if all(old._mapping[k] == v for k, v in values.items()):
            self.batch.duplicate(index, item)
            return False
        session.execute(update(MEMBERS).where(key).values(values))
        self.batch.accept(index, item, "updated")
        return True

    def _learner_days(self, user_id: int) -> list[tuple[int, date]]:
        """The learner's days with rollups: a membership change alters their groups' figures."""
        query = select(LearnerDay.user_id, LearnerDay.day).where(LearnerDay.user_id == user_id)
        return [(uid, day) for uid, day in self.batch.session.execute(query)]
