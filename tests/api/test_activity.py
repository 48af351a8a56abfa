"""POST /api/v1/activity: what a batch stores, what it refuses and why, and what a retry changes."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.api.support import ago, api_client, errors_of, learner_item, post, session_item, statuses
from webapp.models import (
    AuditEntry,
    ChangeMark,
    DailyLogin,
    FocusMetrics,
    LearningSession,
    PointsTransaction,
    QuizAttempt,
    SessionEvent,
    UserPoints,
)
from webapp.services.timezones import local_day_hour


def _setup(client, session, *learners: tuple[str, str]):
    _, headers = api_client(session)
    items = [learner_item(ext, timezone=tz) for ext, tz in learners]
    assert statuses(post(client, "roster", headers, items)) == ["accepted"] * len(items)
    return headers


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_batch_mixing_good_and_bad_items_stores_the_good_and_says_why_for_the_bad(client, session):
    headers = _setup(client, session, ("L1", "Asia/Kolkata"))
    ahead = (datetime.now(UTC) + timedelta(minutes=30)).isoformat()
    items = [
        session_item("s1", "L1", ago(hours=3)),
        session_item("s2", "L1", ago(hours=2), ended_at=ago(hours=3)),  # ends before it starts
        session_item("s3", "L1", ahead),  # half an hour ahead
        session_item("s4", "nobody", ago(hours=2)),
        {"type": "session_event", "id": "e1", "learner": "L1", "session": "s1", "event_type": "video_play",
         "occurred_at": ago(hours=3)},
        {"type": "quiz_attempt", "id": "q1", "learner": "L1", "started_at": ago(hours=1),
         "total_questions": 10, "score": 120, "max_score": 100},
        {"type": "behavior_event", "id": "b1", "learner": "L1", "name": "click",
         "occurred_at": "2026-01-01T10:00"},
        {"type": "teleport", "id": "t1"},
    ]  # fmt: skip
    response = post(client, "activity", headers, items)
    assert response.status_code == 200
    body = response.get_json()
    assert (
        statuses(response) == ["accepted", "rejected", "rejected", "rejected", "accepted"] + ["rejected"] * 3
    )
    assert (body["received"], body["accepted"], body["duplicate"], body["rejected"]) == (8, 2, 0, 6)
    assert errors_of(response, 1) == [("/items/1", "the session ends before it starts")]
    assert errors_of(response, 2)[0][0] == "/items/2/started_at"
    assert "5 minutes ahead" in errors_of(response, 2)[0][1]
    assert errors_of(response, 3)[0][0] == "/items/3/learner"
    assert errors_of(response, 5) == [("/items/5", "score is above max_score")]
    assert errors_of(response, 6) == [("/items/6/occurred_at", "Input should have timezone info")]
    assert errors_of(response, 7)[0][0] == "/items/7/type"
    assert [r["id"] for r in body["results"]] == [i["id"] for i in items]
    assert _count(session, LearningSession) == 1
    assert _count(session, SessionEvent) == 1


def test_a_retried_batch_is_stored_once_and_comes_back_duplicate(client, session):
    headers = _setup(client, session, ("L1", "UTC"))
    items = [
        session_item("s1", "L1", ago(hours=3), ended_at=ago(hours=2), duration_seconds=3000, completed=True),
        {"type": "session_event", "id": "e1", "learner": "L1", "session": "s1", "event_type": "start",
         "occurred_at": ago(hours=3)},
        {"type": "attention_span", "id": "a1", "learner": "L1", "session": "s1", "started_at": ago(hours=3),
         "ended_at": ago(hours=2, minutes=50), "focus_seconds": 500},
        {"type": "focus_metrics", "id": "f1", "learner": "L1", "session": "s1", "focus_score": 81.5,
         "avg_span_seconds": 300, "longest_span_seconds": 500},
        {"type": "daily_login", "id": "d1", "learner": "L1", "at": ago(hours=3)},
        {"type": "points", "id": "p1", "learner": "L1", "amount": 15, "earned_at": ago(hours=2)},
        {"type": "behavior_event", "id": "b1", "learner": "L1", "name": "open", "occurred_at": ago(hours=3)},
    ]  # fmt: skip
    assert set(statuses(post(client, "activity", headers, items))) == {"accepted"}
    again = post(client, "activity", headers, items)
    assert statuses(again) == ["duplicate"] * len(items)
    for model in (LearningSession, SessionEvent, FocusMetrics, DailyLogin, PointsTransaction):
        assert _count(session, model) == 1, model.__name__
    assert session.scalar(select(DailyLogin.login_count)) == 1
    assert session.scalar(select(UserPoints.balance)) == 15


def test_the_same_id_with_other_values_is_refused_not_overwritten(client, session):
    headers = _setup(client, session, ("L1", "UTC"))
    started = ago(hours=3)
    post(client, "activity", headers, [session_item("s1", "L1", started, content_type="video")])
    response = post(client, "activity", headers, [session_item("s1", "L1", started, content_type="game")])
    assert errors_of(response, 0)[0][0] == "/items/0/content_type"
    points = {"type": "points", "id": "p1", "learner": "L1", "amount": 15, "earned_at": ago(hours=2)}
    post(client, "activity", headers, [points])
    assert statuses(post(client, "activity", headers, [{**points, "amount": 50}])) == ["rejected"]
    assert session.scalar(select(UserPoints.balance)) == 15
    assert session.scalar(select(LearningSession.content_type)).value == "video"


def test_a_session_sent_at_start_is_completed_by_its_end_once(client, session):
    headers = _setup(client, session, ("L1", "UTC"))
    started = ago(hours=3)
    start = session_item("s1", "L1", started)
    end = session_item("s1", "L1", started, ended_at=ago(hours=2), duration_seconds=3600, completed=True)
    assert statuses(post(client, "activity", headers, [start])) == ["accepted"]
    response = post(client, "activity", headers, [end, start])
    assert statuses(response) == ["accepted", "duplicate"]
    assert response.get_json()["results"][0]["detail"] == "completed"
    row = session.scalars(select(LearningSession)).one()
    assert (row.duration_seconds, row.is_completed) == (3600, True)
    assert statuses(post(client, "activity", headers, [end])) == ["duplicate"]


def test_a_quiz_belongs_to_the_local_day_it_was_submitted(client, session):
    headers = _setup(client, session, ("L1", "Asia/Kolkata"))
    # Started 23:00 IST on one day, submitted 00:20 IST on the next.
    start = datetime.now(UTC).replace(hour=17, minute=30, second=0, microsecond=0) - timedelta(days=2)
    quiz = {"type": "quiz_attempt", "id": "q1", "learner": "L1", "started_at": start.isoformat(),
            "total_questions": 10}  # fmt: skip
    post(client, "activity", headers, [quiz])
    first_day = session.scalar(select(QuizAttempt.local_day))
    submitted = start + timedelta(minutes=80)
    done = {**quiz, "submitted_at": submitted.isoformat(), "score": 70, "correct_count": 7}
    assert statuses(post(client, "activity", headers, [done])) == ["accepted"]
    session.expire_all()
    row = session.scalars(select(QuizAttempt)).one()
    assert row.local_day == first_day + timedelta(days=1) == local_day_hour(submitted, "Asia/Kolkata")[0]
    assert (row.score, row.correct_count) == (70, 7)
    marked = set(session.scalars(select(ChangeMark.day).where(ChangeMark.consumer == "refresh")))
    assert marked == {first_day, row.local_day}


def test_rows_store_the_learners_local_day_and_late_data_marks_its_old_day(client, session):
    headers = _setup(client, session, ("L1", "Asia/Kolkata"), ("L2", "America/Los_Angeles"))
    old = datetime.now(UTC).replace(hour=18, minute=40, second=0, microsecond=0) - timedelta(days=40)
    items = [session_item("s1", "L1", old.isoformat()), session_item("s2", "L2", old.isoformat())]
    post(client, "activity", headers, items)
    rows = {r.external_id: r for r in session.scalars(select(LearningSession))}
    assert (rows["s1"].local_day, rows["s1"].local_hour) == ((old + timedelta(days=1)).date(), 0)
    in_la = old.astimezone(ZoneInfo("America/Los_Angeles"))  # 10:40 or 11:40, with summer time
    assert (rows["s2"].local_day, rows["s2"].local_hour) == (in_la.date(), in_la.hour)
    marks = set(session.execute(select(ChangeMark.consumer, ChangeMark.user_id, ChangeMark.day)).tuples())
    assert marks == {
        (consumer, rows[ext].user_id, rows[ext].local_day)
        for consumer in ("engine", "refresh")
        for ext in rows
    }


def test_each_login_counts_once_on_its_local_day(client, session):
    headers = _setup(client, session, ("L1", "UTC"))
    day = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=1)
    logins = [
        {"type": "daily_login", "id": f"d{n}", "learner": "L1", "at": (day + timedelta(hours=n)).isoformat(),
         "device": device}
        for n, device in ((0, "web"), (5, "android"), (2, "ios"))
    ]  # fmt: skip
    assert statuses(post(client, "activity", headers, logins[:2])) == ["accepted"] * 2
    assert statuses(post(client, "activity", headers, logins)) == ["duplicate", "duplicate", "accepted"]
    row = session.scalars(select(DailyLogin)).one()
    assert (row.day, row.login_count, row.device.value) == (day.date(), 3, "android")
    assert (row.first_login_at, row.last_login_at) == (day, day + timedelta(hours=5))


def test_items_inside_sessions_must_name_this_clients_session_of_the_same_learner(client, session):
    headers = _setup(client, session, ("L1", "UTC"), ("L2", "UTC"))
    _, other_client = api_client(session)
    post(client, "activity", headers, [session_item("s1", "L1", ago(hours=3))])
    event = {"type": "session_event", "id": "e1", "learner": "L2", "session": "s1", "event_type": "pause",
             "occurred_at": ago(hours=3)}  # fmt: skip
    assert errors_of(post(client, "activity", headers, [event]), 0)[0][0] == "/items/0/learner"
    response = post(client, "activity", other_client, [{**event, "learner": "L1"}])
    assert errors_of(response, 0) == [("/items/0/session", "this client sent no session with this id")]
    focus = {"type": "focus_metrics", "learner": "L1", "session": "s1", "focus_score": 50,
             "avg_span_seconds": 10, "longest_span_seconds": 20}  # fmt: skip
    post(client, "activity", headers, [{**focus, "id": "f1"}])
    assert statuses(post(client, "activity", headers, [{**focus, "id": "f2"}])) == ["rejected"]


def test_each_batch_is_audited_once_with_its_counts(client, session):
    headers = _setup(client, session, ("L1", "UTC"))
    before = _count(session, AuditEntry)
    items = [session_item(f"s{n}", "L1", ago(hours=n + 1)) for n in range(20)]
    post(client, "activity", headers, [*items, session_item("bad", "nobody", ago(hours=1))])
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[before:]
    assert len(entries) == 1
    counts = {"kind": "activity", "received": 21, "accepted": 20, "duplicate": 0, "rejected": 1}
    assert entries[0].changes["batch"][1] == counts
    assert entries[0].model == "ApiClient"


def test_path_progress_keeps_the_latest_state(client, session):
    from tests import factories as f
    from webapp.models import PathEnrolment

    headers = _setup(client, session, ("L1", "UTC"))
    path = f.make_path(session, slug="algebra-7")
    for _ in range(3):
        f.make_path_module(session, path=path)
    session.commit()
    progress = {"type": "path_progress", "id": "p1", "learner": "L1", "path": "algebra-7",
                "enrolled_at": ago(days=5), "modules_completed": 1, "current_module_position": 2,
                "last_activity_at": ago(days=1)}  # fmt: skip
    assert statuses(post(client, "activity", headers, [progress])) == ["accepted"]
    newer = {
        **progress,
        "id": "p2",
        "modules_completed": 2,
        "current_module_position": 3,
        "last_activity_at": ago(hours=1),
    }
    older = {**progress, "id": "p3", "modules_completed": 0, "last_activity_at": ago(days=3)}
    too_far = {**progress, "id": "p4", "modules_completed": 4}
    response = post(client, "activity", headers, [newer, older, too_far])
    assert statuses(response) == ["accepted", "duplicate", "rejected"]
    assert errors_of(response, 2) == [("/items/2/modules_completed", "the path has 3 modules")]
    row = session.scalars(select(PathEnrolment)).one()
    assert (row.modules_completed, row.current_module.position) == (2, 3)
    assert date.today() - row.enrolled_at.date() <= timedelta(days=6)
