"""Learners as the reports name them: by name, told apart by their groups when names are shared."""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import GroupMember, StudyGroup, User
from webapp.models.core.enums import GroupRole, Role
from webapp.reports.definitions import phrase


def _shared_names(session: Session, names: set[str]) -> set[str]:
    query = (
        select(User.display_name)
        .where(User.role == Role.LEARNER, User.display_name.in_(names))
        .group_by(User.display_name)
        .having(func.count() > 1)
    )
    return set(session.scalars(query))


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
