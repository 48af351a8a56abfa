"""Learners as the reports name them: by name, told apart by their groups when names are shared."""

import string
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import GroupMember, StudyGroup, User
from webapp.models.core.enums import GroupRole, Role
from webapp.reports.definitions import phrase

# lower() as SQLite (and PostgreSQL in the C locale) does it: ASCII letters only.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _shared_names(session: Session, names: set[str]) -> set[str]:
    """The names that more than one learner has (exactly), found through the lower(display_name)
    index: each name lowered both as Python does and as an ASCII-only lower() does, so that it
    meets the database's own lower() whichever it is; exact names are then counted here."""
    lowered = {n.lower() for n in names} | {n.translate(_ASCII_LOWER) for n in names}
    # The role is checked here: given `role = 'learner'` too, SQLite walks the role index (every
    # learner) instead of the name index.
    query = select(User.display_name, User.role).where(func.lower(User.display_name).in_(lowered))
    counts = Counter(name for name, role in session.execute(query) if role == Role.LEARNER)
    return {found for found, n in counts.items() if n > 1 and found in names}


def _groups(session: Session, ids: set[int]) -> dict[int, list[str]]:
    query = (
        select(GroupMember.user_id, StudyGroup.name)
        .join(StudyGroup, StudyGroup.id == GroupMember.group_id)
        .where(GroupMember.user_id.in_(ids), GroupMember.role == GroupRole.MEMBER)
        .order_by(StudyGroup.name)
    )
    out: dict[int, list[str]] = defaultdict(list)
    for user_id, name in session.execute(query):
        out[user_id].append(name)
    return out


def labels(session: Session, people: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Return a label per learner id: the name, with the groups (else the id) when another learner has it."""
    people = dict(people)
    shared = _shared_names(session, set(people.values())) if people else set()
    if not shared:
        return people
    ambiguous = {uid for uid, name in people.items() if name in shared}
    groups = _groups(session, ambiguous)
    out = dict(people)
    for uid in ambiguous:
        names = ", ".join(groups.get(uid, []))
        out[uid] = phrase("learner_with_groups", name=people[uid], groups=names) if names else people[uid]
    counts: dict[str, int] = defaultdict(int)
    for uid in ambiguous:
        counts[out[uid]] += 1
    for uid in ambiguous:
        if counts[out[uid]] > 1 or out[uid] == people[uid]:
            out[uid] = phrase("learner_with_id", name=people[uid], id=uid)
    return out
