"""The at-risk flags of every evaluated day against the rules read from the raw rows of the dataset."""

from datetime import timedelta

from sqlalchemy import select

from tests.reports import dataset, support
from webapp.models import LearnerRiskFlag, RiskEvaluation


def test_every_evaluated_day_flags_what_the_raw_rows_say(session):
    dataset.build(session)
    support.refresh_dataset()
    oracle = dataset.oracle(session)
    evaluated = set(session.scalars(select(RiskEvaluation.as_of)))
    span = {
        dataset.START - timedelta(days=1) + timedelta(days=k)
        for k in range((dataset.AS_OF - dataset.START).days + 2)
    }
    assert span <= evaluated  # every day of a backfill is evaluated, nothing later than AS_OF
    assert max(evaluated) == dataset.AS_OF
    got: dict = {}
    for flag in session.scalars(select(LearnerRiskFlag)):
        got.setdefault(flag.as_of, set()).add((flag.user_id, flag.rule))
    fired = 0
    for day in sorted(span):
        expected = oracle.flags(day)
        assert got.get(day, set()) == expected, day
        fired += len(expected)
    assert fired > 50, "the dataset should exercise the rules"
    rules = {rule for flags in got.values() for _, rule in flags}
    assert rules == {"went_quiet", "minutes_down", "focus_down", "streak_broken", "low_mastery"}, rules
    counts = {e.as_of: e.learners_flagged for e in session.scalars(select(RiskEvaluation))}
    assert all(counts[day] == len({u for u, _ in got.get(day, set())}) for day in span)
