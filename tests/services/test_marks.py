"""Change marks: what ingest marks, each consumer claims and releases exactly once, late data survives."""

from datetime import date

from tests import factories as f
from webapp.services import marks

D1, D2 = date(2026, 10, 1), date(2026, 10, 2)


def test_mark_writes_one_mark_per_consumer_and_pair(session):
    a, b = f.make_learner(session), f.make_learner(session)
    written = marks.mark(session, [(a.id, D1), (a.id, D1), (b.id, D2)])
    assert written == 4  # two distinct pairs, two consumers
    assert marks.backlog(session, marks.ENGINE) == 2
    assert marks.backlog(session, marks.REFRESH) == 2


def test_claim_and_release_empty_the_backlog_of_that_consumer_only(session):
    a = f.make_learner(session)
    marks.mark(session, [(a.id, D1), (a.id, D2)])
    taken = marks.claim(session, marks.ENGINE)
    assert taken.pairs == [(a.id, D1), (a.id, D2)]
    assert taken.learners == [a.id]
    assert taken.days == [D1, D2]
    assert marks.release(session, taken) == 2
    assert marks.backlog(session, marks.ENGINE) == 0
    assert marks.backlog(session, marks.REFRESH) == 2


def test_a_pair_marked_again_after_the_claim_survives_the_release(session):
    a = f.make_learner(session)
    marks.mark(session, [(a.id, D1), (a.id, D2)])
    taken = marks.claim(session, marks.REFRESH)
    marks.mark(session, [(a.id, D2)])  # late data for D2 arrives while the job works
    assert marks.release(session, taken) == 1
    again = marks.claim(session, marks.REFRESH)
    assert again.pairs == [(a.id, D2)]
    assert again.marks[0][2] == 2


def test_claim_takes_the_oldest_days_first_up_to_the_limit(session):
    a, b = f.make_learner(session), f.make_learner(session)
    marks.mark(session, [(b.id, D2), (a.id, D2), (b.id, D1)], consumers=[marks.ENGINE])
    taken = marks.claim(session, marks.ENGINE, limit=2)
    assert taken.pairs == [(b.id, D1), (min(a.id, b.id), D2)]
    assert len(taken) == 2


def test_nothing_to_mark_writes_nothing(session):
    assert marks.mark(session, []) == 0
    assert marks.release(session, marks.claim(session, marks.ENGINE)) == 0
