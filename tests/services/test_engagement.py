"""Engagement profiles and the churn-risk formula."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_learner, make_session
from webapp.models import UserEngagementProfile
from webapp.services.engagement import churn_risk, preferred_hour, rebuild_engagement_profiles
from webapp.services.streaks import rebuild_streaks

TODAY = date(2024, 3, 20)


@given(st.one_of(st.none(), st.integers(0, 400)), st.integers(0, 30))
def test_churn_risk_stays_within_0_and_1(days_since: int | None, active_days: int) -> None:
    assert 0.0 <= churn_risk(days_since, active_days) <= 1.0


def test_churn_risk_extremes() -> None:
    assert churn_risk(0, 20) == 0.0
    assert churn_risk(None, 0) == 1.0
    assert churn_risk(30, 0) == 1.0
    assert churn_risk(3, 10) < churn_risk(10, 10) < churn_risk(10, 2)


def test_preferred_hour_takes_the_earliest_on_a_tie() -> None:
    assert preferred_hour(Counter({17: 3, 9: 3, 20: 1})) == 9
    assert preferred_hour(Counter()) is None


def test_profile_in_local_time(session) -> None:
    learner = make_learner(session, timezone="Asia/Kolkata")
    idle = make_learner(session)
    zone = ZoneInfo("Asia/Kolkata")
    for back in (0, 1, 2, 40):
        local = datetime.combine(TODAY - timedelta(days=back), time(19, 30), tzinfo=zone).astimezone(UTC)
        make_session(
            session,
            user=learner,
            started_at=local,
            ended_at=local + timedelta(minutes=30),
            duration_seconds=1800 if back else 600,
        )
    rebuild_streaks(session, today=TODAY)
    assert rebuild_engagement_profiles(session, today=TODAY) == 2
    profile = session.get(UserEngagementProfile, learner.id)
    assert profile.preferred_hour == 19
    assert (profile.active_days_30, profile.sessions_30) == (3, 3)
    assert profile.avg_session_minutes == 25.0
    assert profile.churn_risk == churn_risk(0, 3)
    assert session.get(UserEngagementProfile, idle.id).churn_risk == 1.0
    assert rebuild_engagement_profiles(session, today=TODAY) == 0
