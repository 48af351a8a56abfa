"""Skill mastery from quiz attempts: a difficulty-weighted exponential moving average.

The rule, per learner and skill, over submitted attempts in the order they were submitted,
starting from m = 0:

    c = score / max_score                      (correctness, clipped to 0..1)
    m <- m + RATE * WEIGHT[difficulty] * (c - m)

with RATE = 0.25 and WEIGHT = easy 0.6, medium 1.0, hard 1.4. Since RATE * WEIGHT < 1 the new
value is a convex combination of m and c, so m stays within 0..1 (it is clipped as well, to
absorb float rounding). Harder quizzes move mastery further; recent attempts count most.
A skill counts as mastered at m >= 0.8 (see badges.MASTERED_AT).
"""

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import QuizAttempt, SkillMastery
from webapp.models.core.enums import Difficulty
from webapp.services.points import day_start, learner_chunks, write_changes

RATE = 0.25
WEIGHT = {Difficulty.EASY: 0.6, Difficulty.MEDIUM: 1.0, Difficulty.HARD: 1.4}
MASTERIES = SkillMastery.__table__


def update_mastery(mastery: float, correctness: float, difficulty: Difficulty | str) -> float:
    """Return the mastery after one attempt of the given correctness (0..1) and difficulty."""
    c = min(max(correctness, 0.0), 1.0)
    step = RATE * WEIGHT[Difficulty(difficulty)]
    return min(max(mastery + step * (c - mastery), 0.0), 1.0)


def fold_attempts(attempts: Iterable[tuple[float, float, str]]) -> float:
    """Return the mastery after (score, max_score, difficulty) attempts in submission order."""
    mastery = 0.0
    for score, max_score, difficulty in attempts:
        mastery = update_mastery(mastery, score / max_score if max_score else 0.0, difficulty)
    return mastery


def _attempts(session: Session, ids: list[int]) -> Iterator[tuple]:
    qa = QuizAttempt
    query = (
        select(qa.user_id, qa.skill_id, qa.score, qa.max_score, qa.difficulty, qa.submitted_at)
        .where(qa.user_id.in_(ids), qa.skill_id.is_not(None), qa.submitted_at.is_not(None))
        .order_by(qa.user_id, qa.skill_id, qa.submitted_at, qa.id)
    )
    return iter(session.execute(query))


def _rows(attempts: Iterator[tuple]) -> list[dict]:
    state: dict[tuple[int, int], list] = {}
    for user_id, skill_id, score, max_score, difficulty, at in attempts:
        entry = state.setdefault((user_id, skill_id), [0.0, 0, None])
        entry[0] = update_mastery(entry[0], score / max_score if max_score else 0.0, difficulty)
        entry[1] += 1
        entry[2] = at
    return [
        {"user_id": u, "skill_id": s, "mastery": round(m, 6), "attempts": n, "last_practiced_at": at}
        for (u, s), (m, n, at) in state.items()
    ]


def _learners_since(session: Session, since: date) -> list[int]:
    query = select(QuizAttempt.user_id).where(QuizAttempt.submitted_at >= day_start(since)).distinct()
    return list(session.scalars(query))


def rebuild_mastery(
    session: Session, user_ids: Iterable[int] | None = None, since: date | None = None, progress=None
) -> int:
    """Recompute SkillMastery from quiz attempts (of learners active since `since`); return rows changed."""
    if since is not None:
        wanted = set(_learners_since(session, since))
        user_ids = wanted if user_ids is None else wanted & set(user_ids)
    chunks = list(learner_chunks(session, user_ids))
    cols = MASTERIES.c
    changed = 0
    for done, ids in enumerate(chunks, 1):
        query = select(cols.user_id, cols.skill_id, cols.mastery, cols.attempts, cols.last_practiced_at)
        existing = {(r[0], r[1]): tuple(r[2:]) for r in session.execute(query.where(cols.user_id.in_(ids)))}
        rows = _rows(_attempts(session, ids))
        changed += write_changes(session, MASTERIES, ["user_id", "skill_id"], rows, existing)
        if progress:
            progress("mastery", done, len(chunks))
    return changed
