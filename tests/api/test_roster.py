"""POST /api/v1/roster: learners and groups upserted by the platform's ids, memberships, teachers."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests import factories as f
from tests.api.support import api_client, errors_of, learner_item, post, statuses
from webapp.auth.access import can_see_learner
from webapp.models import GroupMember, User, UserProfile
from webapp.models.core.enums import GroupRole


def test_learners_are_created_updated_and_left_alone_by_their_id(client, session):
    _, headers = api_client(session)
    asha = learner_item("L1", name="Asha Iyer", timezone="Asia/Kolkata", grade=7, email="Asha@School.in")
    response = post(client, "roster", headers, [asha, learner_item("L2")])
    assert [r["detail"] for r in response.get_json()["results"]] == ["created", "created"]
    assert statuses(post(client, "roster", headers, [asha])) == ["duplicate"]
    moved = {**asha, "grade": 8, "locale": "hi"}
    assert post(client, "roster", headers, [moved]).get_json()["results"][0]["detail"] == "updated"
    user = session.scalars(select(User).where(User.external_id == "L1")).one()
    assert (user.display_name, user.email, user.locale, user.password_hash) == (
        "Asha Iyer",
        "asha@school.in",  # stored as compared: lower-cased (webapp.auth.accounts.email_key)
        "hi",
        None,
    )
    assert session.get(UserProfile, user.id).grade_level == 8
    assert session.scalars(select(User).where(User.external_id == "L2")).one().email is None


def test_one_email_one_account_whatever_its_case(client, session):
    _, headers = api_client(session)
    f.make_teacher(session, email="ravi@school.in")
    session.commit()
    response = post(client, "roster", headers, [
        learner_item("L1", email="RAVI@school.in"),
        learner_item("L2", email="new@school.in"),
        learner_item("L3", email="NEW@School.in"),
    ])  # fmt: skip
    assert statuses(response) == ["rejected", "accepted", "rejected"]
    assert errors_of(response, 0) == [("/items/0/email", "another account has this email")]


def test_a_membership_may_name_a_learner_and_group_made_earlier_in_the_batch(client, session):
    _, headers = api_client(session)
    response = post(client, "roster", headers, [
        {"type": "membership", "id": "m0", "learner": "L1", "group": "G1", "joined_on": "2026-06-01"},
        learner_item("L1", timezone="Asia/Kolkata"),
        {"type": "study_group", "id": "G1", "name": "Class 7A"},
        {"type": "membership", "id": "m1", "learner": "L1", "group": "G1", "joined_on": "2026-06-01"},
        {"type": "membership", "id": "m2", "learner": "L1", "group": "G9", "joined_on": "2026-06-01"},
        {"type": "membership", "id": "m3", "learner": "L1", "group": "G1", "joined_on": "2026-06-02",
         "left_on": "2026-06-01"},
    ])  # fmt: skip
    # Memberships are stored after learners and groups, whatever their place in the batch; the
    # later item about the same membership is the one that counts.
    assert statuses(response) == ["duplicate", "accepted", "accepted", "accepted", "rejected", "rejected"]
    assert response.get_json()["results"][0]["detail"] == "superseded by a later item of this batch"
    assert errors_of(response, 4)[0][0] == "/items/4/group"
    assert errors_of(response, 5) == [("/items/5", "left_on must come after joined_on")]
    member = session.scalars(select(GroupMember)).one()
    assert member.joined_at == datetime(2026, 5, 31, 18, 30, tzinfo=UTC)  # midnight in Kolkata


def test_a_teacher_assignment_names_a_staff_account_and_ends_with_left_on(client, session):
    _, headers = api_client(session)
    teacher = f.make_teacher(session, email="asha.t@school.in")
    session.commit()
    post(client, "roster", headers, [
        learner_item("L1"), {"type": "study_group", "id": "G1", "name": "Class 7A"},
        {"type": "membership", "id": "m1", "learner": "L1", "group": "G1", "joined_on": "2026-01-05"},
    ])  # fmt: skip
    assign = {"type": "teacher_assignment", "id": "t1", "group": "G1", "teacher_email": "ASHA.T@school.in",
              "assigned_on": "2026-01-05"}  # fmt: skip
    unknown = {**assign, "id": "t2", "teacher_email": "nobody@school.in"}
    response = post(client, "roster", headers, [assign, unknown])
    assert statuses(response) == ["accepted", "rejected"]
    assert errors_of(response, 1)[0][0] == "/items/1/teacher_email"
    learner = session.scalars(select(User).where(User.external_id == "L1")).one()
    assert can_see_learner(session, teacher, learner.id)
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    left = {"type": "membership", "id": "m1", "learner": "L1", "group": "G1", "joined_on": "2026-01-05",
            "left_on": yesterday}  # fmt: skip
    assert post(client, "roster", headers, [left]).get_json()["results"][0]["detail"] == "updated"
    assert not can_see_learner(session, teacher, learner.id)
    roles = session.execute(select(GroupMember.role, GroupMember.left_on).order_by(GroupMember.role)).all()
    assert roles == [(GroupRole.MEMBER, date.fromisoformat(yesterday)), (GroupRole.TEACHER, None)]
