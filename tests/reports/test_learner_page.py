"""One learner's page: its queries against raw rows, and the page per role."""

import csv
import io
import json
import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import plotly.graph_objects as go
import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import dataset, support
from tests.reports.support import RANGE, get
from webapp.models import LearnerRiskFlag, RiskEvaluation
from webapp.models.core.enums import FreezeStatus, Role
from webapp.reports.queries import learner as q

END = date(2024, 6, 30)


def flag(session, user_id: int, rule: str, as_of: date, detail: str = "idle 9 days", value=9.0):
    """Store one fired risk rule (and the evaluation of its day, as the refresh does)."""
    row = LearnerRiskFlag(as_of=as_of, user_id=user_id, rule=rule, value=value, detail=detail)
    session.add(row)
    evaluation = session.get(RiskEvaluation, as_of) or RiskEvaluation(as_of=as_of)
    session.add(evaluation)
    session.flush()
    flagged = select(func.count(func.distinct(LearnerRiskFlag.user_id))).where(LearnerRiskFlag.as_of == as_of)
    evaluation.learners_flagged = session.scalar(flagged)  # the district's count, as the refresh writes it
    session.flush()
    return row


def ctx_of(session, learner) -> dict:
    """The learner page's context of a learner."""
    return {"learner": q.learner(session, learner.id)}


def span(start: date, end: date):
    return support.span_filter(None, start, end, last_complete=end)


def test_only_learners_are_learners(session) -> None:
    pupil, teacher = f.make_learner(session, display_name="Asha"), f.make_teacher(session)
    group = f.make_group(session, name="Class 7A")
    f.make_member(session, group=group, user=pupil)
    assert q.learner(session, teacher.id) is None
    assert q.learner(session, 999_999) is None
    found = q.learner(session, pupil.id)
    assert found["name"] == "Asha"
    assert found["groups"] == [(group.id, "Class 7A")]


def test_streak_calendar_marks_active_days_and_used_freezes(session) -> None:
    pupil = f.make_learner(session)
    for day in (END, END - timedelta(days=1), END - timedelta(days=364), END - timedelta(days=365)):
        f.make_streak_activity(session, user=pupil, day=day)
    f.make_streak_freeze(session, user=pupil, status=FreezeStatus.USED, used_on=END - timedelta(days=2))
    f.make_streak_freeze(session, user=pupil, status=FreezeStatus.EQUIPPED)
    f.make_streak_activity(session, day=END)  # someone else's day
    days = dict(q.streak_days(session, span(END, END), ctx_of(session, pupil)))
    assert days == {
        END: "active",
        END - timedelta(days=1): "active",
        END - timedelta(days=2): "freeze",
        END - timedelta(days=364): "active",  # the window is 365 days, ending on END
    }


def test_quiz_history_lists_submitted_attempts_on_the_local_day_submitted(session) -> None:
    pupil = f.make_learner(session, timezone="Asia/Kolkata")
    # Started 23:50 on the 9th in India, submitted 00:10 on the 10th: 30 of 50.
    f.make_quiz_attempt(
        session, user=pupil, started_at=datetime(2024, 1, 9, 18, 20, tzinfo=UTC),
        submitted_at=datetime(2024, 1, 9, 18, 40, tzinfo=UTC), score=30, max_score=50,
    )  # fmt: skip
    # Started on the 10th and abandoned with a partial score: never listed.
    f.make_quiz_attempt(
        session, user=pupil, started_at=datetime(2024, 1, 10, 5, tzinfo=UTC), submitted_at=None, score=5
    )
    ctx = ctx_of(session, pupil)
    assert q.quiz_history(session, span(date(2024, 1, 9), date(2024, 1, 9)), ctx) == []
    (row,) = q.quiz_history(session, span(date(2024, 1, 10), date(2024, 1, 10)), ctx)
    assert row[2] == 60.0
    assert row[0] == datetime(2024, 1, 10, 0, 10)


def test_focus_trend_matches_the_raw_sessions(session) -> None:
    data = support.refreshed(session)
    oracle = dataset.oracle(session)
    asha = data.learners["asha"]
    focus, minutes = defaultdict(list), defaultdict(float)
    for s in oracle.sessions:
        if s["user"] == asha:
            minutes[s["day"]] += s["minutes"]
            if s["focus"] is not None:
                focus[s["day"]].append(s["focus"])
    ctx = {"learner": q.learner(session, asha)}
    rows = q.focus_trend(session, span(dataset.START, dataset.END), ctx)
    assert [r[0] for r in rows] == sorted(d for d in minutes if dataset.START <= d <= dataset.END)
    for day, focus_sum, focus_n, _sessions, mins in rows:
        assert focus_n == len(focus[day])
        assert focus_sum == pytest.approx(sum(focus[day]))
        assert mins == pytest.approx(minutes[day])


def test_risk_reasons_come_from_the_latest_evaluation_up_to_the_range_end(session) -> None:
    pupil, other = f.make_learner(session), f.make_learner(session)
    flag(session, pupil.id, "went_quiet", END - timedelta(days=1))
    flag(session, pupil.id, "streak_broken", END, detail="9-day streak lost on 2024-06-28")
    flag(session, other.id, "focus_down", END)
    found = q.risk_reasons(session, span(END - timedelta(days=6), END), ctx_of(session, pupil))
    assert found == {"as_of": END, "rows": [("streak_broken", 9.0, "9-day streak lost on 2024-06-28")]}
    earlier = q.risk_reasons(
        session, span(END - timedelta(days=6), END - timedelta(days=1)), ctx_of(session, pupil)
    )
    assert [r[0] for r in earlier["rows"]] == ["went_quiet"]
    assert q.risk_reasons(session, span(END, END), ctx_of(session, f.make_learner(session)))["rows"] == []


def test_points_badges_mastery_and_profile_default_to_nothing(session) -> None:
    pupil = f.make_learner(session)
    ctx, flt = ctx_of(session, pupil), span(END, END)
    assert q.summary(session, flt, ctx)["balance"] == 0
    assert q.badges(session, flt, ctx) == []
    assert q.masteries(session, flt, ctx) == []
    assert q.engagement_profile(session, flt, ctx) is None
    f.make_user_points(session, user=pupil, balance=70, lifetime_earned=90)
    f.make_mastery(session, user=pupil, mastery=0.8, skill=f.make_skill(session, name="Fractions"))
    f.make_mastery(session, user=pupil, mastery=0.2, skill=f.make_skill(session, name="Decimals"))
    f.make_user_badge(session, user=pupil, badge=f.make_badge(session, name="Week one"))
    assert q.summary(session, flt, ctx)["balance"] == 70
    assert [m[0] for m in q.masteries(session, flt, ctx)] == ["Decimals", "Fractions"]
    assert [b[0] for b in q.badges(session, flt, ctx)] == ["Week one"]
    assert q.learner(session, f.make_user(session, Role.ADMIN).id) is None


# The page ------------------------------------------------------------------------------

FIGURE = re.compile(r'<script type="application/json" id="figure-([\w-]+)">(.*?)</script>', re.S)


def figures(html: str) -> dict[str, dict]:
    """Return every chart figure embedded in a page, by chart id, each validated by Plotly."""
    found = {name: json.loads(blob) for name, blob in FIGURE.findall(html)}
    for figure in found.values():
        go.Figure(figure)  # raises on an invalid spec
    return found


def csv_rows(client, url: str, **args) -> tuple[int, list[list[str]]]:
    """GET a CSV; return (status, parsed rows)."""
    status, text = get(client, url, **args)
    return status, list(csv.reader(io.StringIO(text))) if status == 200 else []


LATER = dataset.AS_OF + timedelta(days=1)
TO_LATER = {"from": dataset.START.isoformat(), "to": LATER.isoformat()}


@pytest.fixture
def ds(session) -> dataset.Dataset:
    """The dataset with rollups and risk flags, and a risk flag of asha on a later day."""
    data = support.refreshed(session)
    flag(session, data.learners["asha"], "went_quiet", LATER, "idle 8 days", 8)
    session.commit()
    return data


def test_operator_sees_every_chart_of_a_learner(app, session, ds) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, f"/reports/learners/{ds.learners['dev']}", **RANGE)
    assert status == 200
    assert set(figures(html)) == {
        "learners-calendar",
        "learners-mastery",
        "learners-quizzes",
        "learners-focus",
    }
    assert "Dev" in html


def test_teacher_sees_their_learner_and_why_they_are_at_risk(app, session, ds) -> None:
    client = support.client_for(app, ds.teacher_email)
    status, html = get(client, f"/reports/learners/{ds.learners['asha']}", **TO_LATER)
    assert status == 200
    assert "Went quiet" in html
    assert "idle 8 days" in html
    assert f"as of {LATER.isoformat()}" in html
    assert len(figures(html)) == 4
    _, html = get(client, f"/reports/learners/{ds.learners['asha']}", **RANGE)  # as of the range's end
    assert "idle 8 days" not in html


@pytest.mark.parametrize("who", ["chen", "dev", "ema"])
@pytest.mark.parametrize("suffix", ["", "/calendar.csv", "/focus.csv"])
def test_teacher_gets_404_outside_their_groups(app, session, ds, who, suffix) -> None:
    client = support.client_for(app, ds.teacher_email)
    assert get(client, f"/reports/learners/{ds.learners[who]}{suffix}", **RANGE)[0] == 404


def test_non_learners_and_unknown_charts_are_404(app, session, ds) -> None:
    client, operator = staff_client(app, session, "operator")
    assert get(client, f"/reports/learners/{operator.id}")[0] == 404
    assert get(client, "/reports/learners/987654")[0] == 404
    assert get(client, "/reports/learners/99999999999999")[0] == 404  # beyond INTEGER: no 500
    assert get(client, f"/reports/learners/{ds.learners['asha']}/nope.csv")[0] == 404
    teacher = support.client_for(app, ds.teacher_email)
    assert get(teacher, f"/reports/learners/{ds.learners['asha']}", group=ds.groups["g2"])[0] == 404


def test_each_csv_is_exactly_its_chart(app, session, ds) -> None:
    client, _ = staff_client(app, session, "operator")
    url = f"/reports/learners/{ds.learners['asha']}"
    _, html = get(client, url, **RANGE)
    found = figures(html)
    _, calendar = csv_rows(client, f"{url}/calendar.csv", **RANGE)
    assert calendar[0] == ["day", "state"]
    assert len(calendar) == 1 + 365
    assert calendar[-1][0] == dataset.END.isoformat()
    cells = sum(v is not None for row in found["learners-calendar"]["data"][0]["z"] for v in row)
    assert cells == 365
    _, focus = csv_rows(client, f"{url}/focus.csv", **RANGE)
    assert [r[0] for r in focus[1:]] == found["learners-focus"]["data"][0]["x"]
    _, quizzes = csv_rows(client, f"{url}/quizzes.csv", **RANGE)
    assert [float(r[2]) for r in quizzes[1:]] == found["learners-quizzes"]["data"][0]["y"]


def test_an_inactive_learner_gets_empty_states(app, session) -> None:
    pupil = f.make_learner(session, display_name="=cmd")
    session.commit()
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, f"/reports/learners/{pupil.id}")
    assert status == 200
    assert figures(html) == {}
    for message in ("No streak day", "No skill mastery yet", "No quiz submitted", "No learning sessions"):
        assert message in html
    assert "have not been evaluated" in html
    status, rows = csv_rows(client, f"/reports/learners/{pupil.id}/mastery.csv")
    assert rows == [["skill", "subject", "mastery", "attempts"]]
