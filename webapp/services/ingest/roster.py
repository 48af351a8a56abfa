"""Roster items: learners and study groups upserted by the platform's ids, then memberships
and teachers' assignments, which may name learners and groups created earlier in the batch.

Set-based, so that a 10,000-row roster file takes a few statements per kind: read what is
stored, insert what is new (ON CONFLICT DO NOTHING: a racing writer wins, and its row is
then compared), update what changed. An item equal to what is stored is a duplicate.
Emails are compared and stored by `webapp.auth.accounts.email_key`: one email, one
account. Teachers are staff accounts made by an admin here; an assignment names one by
email and is refused when there is none.
An id sent twice in one batch: the later item is the one that counts (the earlier is
reported as superseded).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from sqlalchemy import bindparam, func, select, tuple_, update
from sqlalchemy.orm import Session

from webapp.auth.accounts import email_key
from webapp.models import GroupMember, LearnerDay, StudyGroup, User, UserProfile
from webapp.models.core.enums import GroupRole, Role
from webapp.models.core.schemas import IngestItem
from webapp.services.ingest import refs
from webapp.services.ingest.batch import Batch
from webapp.services.points import dialect_insert
from webapp.services.timezones import learner_zone

USERS, PROFILES, GROUPS, MEMBERS = (m.__table__ for m in (User, UserProfile, StudyGroup, GroupMember))
CHUNK = 1000
Items = list[tuple[int, IngestItem]]


def local_midnight(day: date, timezone: str | None) -> datetime:
    """Return the UTC moment a local day starts in a time zone."""
    return datetime.combine(day, time(), tzinfo=learner_zone(timezone)).astimezone(UTC)


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def email_owners(session: Session, emails: Iterable[str]) -> dict[str, tuple[int, str | None]]:
    """Return {lower-cased email: (user id, external id)} of the accounts holding these emails."""
    found: dict[str, tuple[int, str | None]] = {}
    for part in _chunks(sorted({email_key(e) for e in emails if e})):
        query = select(func.lower(User.email), User.id, User.external_id).where(
            func.lower(User.email).in_(part)
        )
        found.update({email: (uid, ext) for email, uid, ext in session.execute(query)})
    return found


def _rows_by(session: Session, table, column, keys: list) -> dict:
    found = {}
    for part in _chunks(sorted(set(keys))):
        found.update(
            {row._mapping[column.name]: row for row in session.execute(select(table).where(column.in_(part)))}
        )
    return found


def _last_of_each(batch: Batch, items: Items, key=lambda item: item.id) -> Items:
    """Keep the last item of each key; the earlier ones are superseded within the batch."""
    last: dict = {}
    for index, item in items:
        if key(item) in last:
            earlier = last[key(item)]
            batch.duplicate(earlier[0], earlier[1], "superseded by a later item of this batch")
        last[key(item)] = (index, item)
    return sorted(last.values(), key=lambda entry: entry[0])


def _changes(old, values: dict) -> dict:
    return {k: v for k, v in values.items() if old._mapping[k] != v}


class RosterWriter:
    """Writes one batch's roster items, kind by kind."""

    def __init__(self, batch: Batch, items: Items) -> None:
        self.batch = batch
        self.by_type: dict[str, Items] = defaultdict(list)
        for index, item in items:
            self.by_type[item.type].append((index, item))

    # learners --------------------------------------------------------------------------

    def learners(self) -> None:
        """Create or update learners (and their profile) by the platform's learner id."""
        session = self.batch.session
        items = self._free_emails(_last_of_each(self.batch, self.by_type.get("learner", [])))
        stored = _rows_by(session, USERS, USERS.c.external_id, [item.id for _, item in items])
        new = [(i, item) for i, item in items if item.id not in stored]
        created = self._insert_learners(new)
        raced = [(i, item) for i, item in new if item.id not in created]
        stored.update(_rows_by(session, USERS, USERS.c.external_id, [item.id for _, item in raced]))
        changed_ids = self._update_learners(
            [(i, item) for i, item in items if item.id not in created], stored
        )
        profiled = self._profiles(items, {**{k: r.id for k, r in stored.items()}, **created})
        for index, item in items:
            if item.id in created:
                self.batch.accept(index, item, "created")
            elif self.batch.is_open(index):
                user_id = stored[item.id].id
                if user_id in changed_ids or user_id in profiled:
                    self.batch.accept(index, item, "updated")
                else:
                    self.batch.duplicate(index, item)

    def _free_emails(self, items: Items) -> Items:
        """Refuse items whose email belongs to another account (or to an earlier item)."""
        owners = email_owners(self.batch.session, (item.email for _, item in items if item.email))
        kept = []
        for index, item in items:
            owner = owners.get(email_key(item.email)) if item.email else None
            if owner is not None and owner[1] != item.id:
                self.batch.reject(index, item, "email", "another account has this email")
                continue
            if item.email:
                owners[email_key(item.email)] = (0, item.id)
            kept.append((index, item))
        return kept

    @staticmethod
    def _values(item: IngestItem) -> dict:
        email = email_key(item.email) if item.email else None  # stored as compared (webapp.auth.accounts)
        return {"display_name": item.name, "email": email, "timezone": item.timezone,
                "locale": item.locale, "is_active": item.active}  # fmt: skip

    def _insert_learners(self, new: Items) -> dict[str, int]:
        if not new:
            return {}
        rows = [{**self._values(item), "role": Role.LEARNER, "external_id": item.id} for _, item in new]
        stmt = dialect_insert(self.batch.session, USERS).on_conflict_do_nothing()
        result = self.batch.session.execute(stmt.returning(USERS.c.external_id, USERS.c.id), rows)
        return dict(result.tuples().all())

    def _update_learners(self, items: Items, stored: dict) -> set[int]:
        """Update what changed; refuse ids held by staff or lost to another writer's email."""
        updates = []
        for index, item in items:
            old = stored.get(item.id)
            if old is None or old.role != Role.LEARNER:
                reason = (
                    "another account has this email" if old is None else "this id belongs to a staff account"
                )
                self.batch.reject(index, item, "email" if old is None else "id", reason)
            elif _changes(old, self._values(item)):
                updates.append({"b_id": old.id, **self._values(item)})
        if updates:
            values = {name: bindparam(name) for name in self._values_names()}
            self.batch.session.execute(
                update(USERS).where(USERS.c.id == bindparam("b_id")).values(values), updates
            )
        return {row["b_id"] for row in updates}

    @staticmethod
    def _values_names() -> tuple[str, ...]:
        return ("display_name", "email", "timezone", "locale", "is_active")

    def _profiles(self, items: Items, ids: dict[str, int]) -> set[int]:
        """Store grades and schools that changed; return the learners whose profile changed."""
        wanted = {ids[item.id]: {"grade_level": item.grade, "school": item.school}
                  for index, item in items if item.id in ids and self.batch.is_open(index)}  # fmt: skip
        stored = _rows_by(self.batch.session, PROFILES, PROFILES.c.user_id, list(wanted))
        rows = [
            {"user_id": uid, **values}
            for uid, values in wanted.items()
            if (uid in stored and _changes(stored[uid], values))
            or (uid not in stored and any(values.values()))
        ]
        if rows:
            stmt = dialect_insert(self.batch.session, PROFILES)
            stmt = stmt.on_conflict_do_update(
                index_elements=["user_id"],
                set_={"grade_level": stmt.excluded.grade_level, "school": stmt.excluded.school},
            )
            self.batch.session.execute(stmt, rows)
        return {row["user_id"] for row in rows}

    # groups ----------------------------------------------------------------------------

    def groups(self) -> None:
        """Create or update study groups by the platform's group id (names are unique too)."""
        session = self.batch.session
        items = _last_of_each(self.batch, self.by_type.get("study_group", []))
        names = _rows_by(session, GROUPS, GROUPS.c.name, [item.name for _, item in items])
        for index, item in items:
            values = {"name": item.name, "description": item.description, "is_active": item.active}
            holder = names.get(item.name)
            if holder is not None and holder.external_id != item.id:
                self.batch.reject(index, item, "name", "another study group has this name")
                continue
            stmt = dialect_insert(session, GROUPS).on_conflict_do_nothing()
            if session.execute(stmt.returning(GROUPS.c.id), [{**values, "external_id": item.id}]).scalar():
                self.batch.accept(index, item, "created")
                continue
            old = session.execute(select(GROUPS).where(GROUPS.c.external_id == item.id)).first()
            if old is None:
                self.batch.reject(index, item, "name", "another study group has this name")
            elif changes := _changes(old, values):
                session.execute(update(GROUPS).where(GROUPS.c.id == old.id).values(changes))
                self.batch.accept(index, item, "updated")
            else:
                self.batch.duplicate(index, item)

    # memberships -----------------------------------------------------------------------

    def memberships(self) -> None:
        """Learners' memberships of groups: joined on a day, left on a later one (if so)."""
        items = _last_of_each(self.batch, self.by_type.get("membership", []), lambda i: (i.learner, i.group))
        learners = refs.learners(self.batch.session, {i.learner for _, i in items})
        groups = refs.groups(self.batch.session, {i.group for _, i in items})
        wanted = []
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
                wanted.append((index, item, group_id, learner.id, joined))
        touched = self._members(wanted, GroupRole.MEMBER)
        self.batch.mark(self._learner_days(touched))

    def teachers(self) -> None:
        """Teachers' assignments to groups: the teacher is a staff account, named by email."""
        items = _last_of_each(self.batch, self.by_type.get("teacher_assignment", []),
                              lambda i: (email_key(i.teacher_email), i.group))  # fmt: skip
        groups = refs.groups(self.batch.session, {i.group for _, i in items})
        wanted_emails = sorted({email_key(i.teacher_email) for _, i in items})
        teachers = {}
        for part in _chunks(wanted_emails):
            query = select(func.lower(User.email), User.id, User.timezone).where(
                func.lower(User.email).in_(part), User.role == Role.TEACHER
            )
            teachers.update({email: (uid, tz) for email, uid, tz in self.batch.session.execute(query)})
        wanted = []
        for index, item in items:
            teacher, group_id = teachers.get(email_key(item.teacher_email)), groups.get(item.group)
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
                wanted.append(
                    (index, item, group_id, teacher[0], local_midnight(item.assigned_on, teacher[1]))
                )
        self._members(wanted, GroupRole.TEACHER)

    def _members(self, wanted: list, role: GroupRole) -> set[int]:
        """Create or update memberships (index, item, group id, user id, joined); return users changed."""
        session = self.batch.session
        pairs = [(group_id, user_id) for _, _, group_id, user_id, _ in wanted]
        stored = {}
        for part in _chunks(sorted(set(pairs))):
            query = select(MEMBERS).where(tuple_(MEMBERS.c.group_id, MEMBERS.c.user_id).in_(part))
            stored.update({(row.group_id, row.user_id): row for row in session.execute(query)})
        new = [w for w in wanted if (w[2], w[3]) not in stored]
        rows = [{"group_id": g, "user_id": u, "role": role, "joined_at": j, "left_on": item.left_on}
                for _, item, g, u, j in new]  # fmt: skip
        created = set()
        if rows:
            stmt = dialect_insert(session, MEMBERS).on_conflict_do_nothing(
                index_elements=["group_id", "user_id"]
            )
            created = set(
                session.execute(stmt.returning(MEMBERS.c.group_id, MEMBERS.c.user_id), rows).tuples()
            )
        for part in _chunks(sorted({(w[2], w[3]) for w in new} - created)):  # lost a race: read the winner
            query = select(MEMBERS).where(tuple_(MEMBERS.c.group_id, MEMBERS.c.user_id).in_(part))
            stored.update({(row.group_id, row.user_id): row for row in session.execute(query)})
        return self._settle_members(wanted, role, stored, created)

    def _settle_members(self, wanted: list, role: GroupRole, stored: dict, created: set) -> set[int]:
        changed, updates = set(), []
        for index, item, group_id, user_id, joined in wanted:
            if (group_id, user_id) in created:
                self.batch.accept(index, item, "created")
                changed.add(user_id)
                continue
            old = stored[(group_id, user_id)]
            values = {"joined_at": joined, "left_on": item.left_on}
            if old.role != role:
                self.batch.reject(
                    index, item, None, f"this person is already in the group as a {old.role.value}"
                )
            elif _changes(old, values):
                updates.append({"b_id": old.id, **values})
                self.batch.accept(index, item, "updated")
                changed.add(user_id)
            else:
                self.batch.duplicate(index, item)
        if updates:
            stmt = update(MEMBERS).where(MEMBERS.c.id == bindparam("b_id"))
            self.batch.session.execute(
                stmt.values(joined_at=bindparam("joined_at"), left_on=bindparam("left_on")), updates
            )
        return changed

    def _learner_days(self, user_ids: set[int]) -> list[tuple[int, date]]:
        """The learners' days with rollups: a membership change alters their groups' figures."""
        found: list[tuple[int, date]] = []
        for part in _chunks(sorted(user_ids)):
            query = select(LearnerDay.user_id, LearnerDay.day).where(LearnerDay.user_id.in_(part))
            found.extend((uid, day) for uid, day in self.batch.session.execute(query))
        return found
