"""Looking up what items name: learners and groups by the platform's ids, a client's sessions
by its own ids, skills and paths by slug. One query per kind of reference and batch."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from webapp.models import LearningPath, LearningSession, PathModule, Skill, StudyGroup, User
from webapp.models.core.enums import Role

CHUNK = 1000


@dataclass(frozen=True)
class LearnerRef:
    """A learner as items need them: their row id and time zone."""

    id: int
    timezone: str


def _chunks(values: Iterable) -> list[list]:
    wanted = sorted(set(values))
    return [wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)]


def learners(session: Session, external_ids: Iterable[str]) -> dict[str, LearnerRef]:
    """Return the learners with these platform ids (other roles are not learners)."""
    found: dict[str, LearnerRef] = {}
    for part in _chunks(external_ids):
        query = select(User.external_id, User.id, User.timezone).where(
            User.external_id.in_(part), User.role == Role.LEARNER
        )
        found.update({ext: LearnerRef(uid, tz) for ext, uid, tz in session.execute(query)})
    return found


def client_sessions(
    session: Session, client_id: int, external_ids: Iterable[str]
) -> dict[str, tuple[int, int, date]]:
    """Return {client's session id: (row id, learner id, local day)} of this client's sessions."""
    found: dict[str, tuple[int, int, date]] = {}
    ls = LearningSession
    for part in _chunks(external_ids):
        query = select(ls.external_id, ls.id, ls.user_id, ls.local_day).where(
            ls.api_client_id == client_id, ls.external_id.in_(part)
        )
        found.update({ext: (row_id, uid, day) for ext, row_id, uid, day in session.execute(query)})
    return found


def skills(session: Session, slugs: Iterable[str]) -> dict[str, int]:
    """Return {slug: id} of these skills."""
    found: dict[str, int] = {}
    for part in _chunks(s for s in slugs if s):
        query = select(Skill.slug, Skill.id).where(Skill.slug.in_(part))
        found.update(session.execute(query).tuples().all())
    return found


def paths(session: Session, slugs: Iterable[str]) -> dict[str, int]:
    """Return {slug: id} of these learning paths."""
    found: dict[str, int] = {}
    for part in _chunks(s for s in slugs if s):
        query = select(LearningPath.slug, LearningPath.id).where(LearningPath.slug.in_(part))
        found.update(session.execute(query).tuples().all())
    return found


def modules(session: Session, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Return {(path slug, position): module id} of these path modules."""
    found: dict[tuple[str, int], int] = {}
    for part in _chunks(wanted):
        query = (
            select(LearningPath.slug, PathModule.position, PathModule.id)
            .join(PathModule, PathModule.path_id == LearningPath.id)
            .where(tuple_(LearningPath.slug, PathModule.position).in_(part))
        )
        found.update({(slug, pos): mid for slug, pos, mid in session.execute(query)})
    return found


def groups(session: Session, external_ids: Iterable[str]) -> dict[str, int]:
    """Return {platform group id: row id} of these study groups."""
    found: dict[str, int] = {}
    for part in _chunks(external_ids):
        query = select(StudyGroup.external_id, StudyGroup.id).where(StudyGroup.external_id.in_(part))
        found.update(session.execute(query).tuples().all())
    return found
