"""A learner's in-app inbox through the API: paged, filtered, read one or all, private to them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.api.support import api_client, bearer
from webapp.models import Notification
from webapp.models.core.enums import ApiScope, Channel, NotificationStatus

T0 = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
BOTH = [ApiScope.NOTIFICATIONS_READ.value, ApiScope.NOTIFICATIONS_WRITE.value]


def deliver(session, learner, n: int, start: int = 0) -> list[Notification]:
    """n delivered in-app messages to the learner, a minute apart ("Message 0" oldest)."""
    sent = {"recipient": learner, "status": NotificationStatus.SENT}
    return [
        f.make_notification(session, **sent, subject=f"Message {i}", sent_at=T0 + timedelta(minutes=i))
        for i in range(start, start + n)
    ]


@pytest.fixture
def inbox(session):
    """Learner L-1 with five delivered messages, one queued and one sent by push; L-2 with one."""
    asha = f.make_learner(session, external_id="L-1")
    made = deliver(session, asha, 5)
    f.make_notification(session, recipient=asha, subject="Not yet")  # queued: not delivered yet
    f.make_notification(session, recipient=asha, channel=Channel.PUSH, status=NotificationStatus.SENT,
                        sent_at=T0)  # fmt: skip
    ravi = f.make_learner(session, external_id="L-2")
    theirs = deliver(session, ravi, 1)[0]
    session.commit()
    _, headers = api_client(session, scopes=BOTH)
    return {"learner": asha, "made": made, "theirs": theirs, "headers": headers}


def url(learner: str, tail: str = "") -> str:
    return f"/api/v1/learners/{learner}/notifications{tail}"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_the_inbox_is_paged_newest_first(client, inbox):
    first = client.get(url("L-1"), query_string={"per_page": 2}, headers=inbox["headers"])
    assert first.status_code == 200
    body = first.get_json()
    assert [i["subject"] for i in body["items"]] == ["Message 4", "Message 3"]
    assert (body["page"], body["per_page"], body["pages"], body["total"], body["unread"]) == (1, 2, 3, 5, 5)
    assert body["items"][0] == {
        "id": inbox["made"][4].id, "category": "streak", "subject": "Message 4",
        "body": "You are on a 3-day streak.", "sent_at": "2024-06-03T09:04:00Z", "read_at": None,
        "is_read": False,
    }  # fmt: skip
    last = client.get(url("L-1"), query_string={"per_page": 2, "page": 3}, headers=inbox["headers"])
    assert [i["subject"] for i in last.get_json()["items"]] == ["Message 0"]
    past = client.get(url("L-1"), query_string={"page": 9}, headers=inbox["headers"]).get_json()
    assert (past["items"], past["total"]) == ([], 5)
    default = client.get(url("L-1"), headers=inbox["headers"]).get_json()
    assert (default["per_page"], len(default["items"])) == (20, 5)


def test_the_unread_filter_lists_only_what_is_not_read(client, inbox):
    headers = inbox["headers"]
    client.post(url("L-1", f"/{inbox['made'][4].id}/read"), headers=headers)
    unread = client.get(url("L-1"), query_string={"unread": "true"}, headers=headers).get_json()
    assert [i["subject"] for i in unread["items"]] == ["Message 3", "Message 2", "Message 1", "Message 0"]
    assert (unread["total"], unread["unread"]) == (4, 4)
    everything = client.get(url("L-1"), query_string={"unread": "false"}, headers=headers).get_json()
    assert (everything["total"], everything["unread"]) == (5, 4)
    assert everything["items"][0]["is_read"] is True


def test_a_page_holds_up_to_100_and_bad_queries_are_refused_by_name(client, session, inbox):
    deliver(session, inbox["learner"], 100, start=5)
    session.commit()
    full = client.get(url("L-1"), query_string={"per_page": 100}, headers=inbox["headers"]).get_json()
    assert (len(full["items"]), full["total"], full["pages"]) == (100, 105, 2)
    for query, name in (({"per_page": 101}, "/per_page"), ({"page": 0}, "/page"),
                        ({"unread": "maybe"}, "/unread"), ({"page": "two"}, "/page")):  # fmt: skip
        body = problem(client.get(url("L-1"), query_string=query, headers=inbox["headers"]), 422)
        assert [e["pointer"] for e in body["errors"]] == [name]


def test_marking_read_is_idempotent(client, session, inbox):
    target = inbox["made"][2]
    first = client.post(url("L-1", f"/{target.id}/read"), headers=inbox["headers"])
    assert first.status_code == 200
    assert first.get_json()["is_read"] is True
    again = client.post(url("L-1", f"/{target.id}/read"), headers=inbox["headers"]).get_json()
    assert again == first.get_json()  # the first read time stays
    session.expire_all()
    row = session.get(Notification, target.id)
    assert (row.status, row.read_at) == (NotificationStatus.READ, datetime.fromisoformat(again["read_at"]))


def test_marking_all_read_says_how_many_changed(client, session, inbox):
    client.post(url("L-1", f"/{inbox['made'][0].id}/read"), headers=inbox["headers"])
    assert client.post(url("L-1", "/read-all"), headers=inbox["headers"]).get_json() == {"marked": 4}
    assert client.post(url("L-1", "/read-all"), headers=inbox["headers"]).get_json() == {"marked": 0}
    assert client.get(url("L-1"), headers=inbox["headers"]).get_json()["unread"] == 0
    session.expire_all()
    assert session.get(Notification, inbox["theirs"].id).status == NotificationStatus.SENT  # L-2's: untouched


def test_another_learners_or_an_undelivered_notification_is_404(client, session, inbox):
    headers = inbox["headers"]
    theirs = inbox["theirs"].id
    assert "no in-app notification" in problem(client.post(url("L-1", f"/{theirs}/read"), headers=headers),
                                                404)["detail"]  # fmt: skip
    queued = session.scalar(select(Notification.id).where(Notification.subject == "Not yet"))
    problem(client.post(url("L-1", f"/{queued}/read"), headers=headers), 404)
    for tail in ("/abc/read", "/0/read", f"/{2**63}/read"):
        problem(client.post(url("L-1", tail), headers=headers), 404)
    session.expire_all()
    assert session.get(Notification, theirs).status == NotificationStatus.SENT


def test_an_unknown_learner_is_404_on_every_endpoint(client, session, inbox):
    f.make_teacher(session, external_id="T-1")  # staff are not learners, whatever their id
    session.commit()
    headers, made = inbox["headers"], inbox["made"][0].id
    for learner in ("nobody", "T-1"):
        assert "No learner" in problem(client.get(url(learner), headers=headers), 404)["detail"]
        problem(client.post(url(learner, f"/{made}/read"), headers=headers), 404)
        problem(client.post(url(learner, "/read-all"), headers=headers), 404)


def test_a_learner_id_with_a_slash_is_addressed_percent_encoded(client, session, inbox):
    learner = f.make_learner(session, external_id="school-7/L-1")
    made = deliver(session, learner, 1)[0]
    session.commit()
    listed = client.get(url("school-7%2FL-1"), headers=inbox["headers"]).get_json()
    assert [i["id"] for i in listed["items"]] == [made.id]
    read = client.post(url("school-7%2FL-1", f"/{made.id}/read"), headers=inbox["headers"])
    assert read.get_json()["is_read"] is True


def test_each_endpoint_needs_its_scope(client, session, inbox):
    _, reader = api_client(session, scopes=[ApiScope.NOTIFICATIONS_READ.value])
    _, writer = api_client(session, scopes=[ApiScope.NOTIFICATIONS_WRITE.value])
    _, sender = api_client(session, scopes=[ApiScope.ACTIVITY_WRITE.value, ApiScope.ROSTER_WRITE.value])
    made = inbox["made"][0].id
    assert client.get(url("L-1"), headers=reader).status_code == 200
    for headers, scope in ((writer, "notifications:read"), (sender, "notifications:read")):
        assert scope in problem(client.get(url("L-1"), headers=headers), 403)["detail"]
    for headers in (reader, sender):
        assert "notifications:write" in problem(client.post(url("L-1", "/read-all"), headers=headers),
                                                403)["detail"]  # fmt: skip
        problem(client.post(url("L-1", f"/{made}/read"), headers=headers), 403)
    assert client.post(url("L-1", f"/{made}/read"), headers=writer).status_code == 200
    session.expire_all()
    assert session.scalar(select(Notification.read_at).where(Notification.id == made)) is not None


def test_no_token_is_401_before_anything_is_looked_up(client, inbox):
    made = inbox["made"][0].id
    for learner in ("L-1", "nobody"):
        problem(client.get(url(learner)), 401)
        problem(client.post(url(learner, f"/{made}/read")), 401)
        problem(client.post(url(learner, "/read-all"), headers=bearer("sd_not-a-token")), 401)
    assert client.get(url("L-1"), headers=inbox["headers"]).get_json()["unread"] == 5


def test_a_client_made_from_the_shell_with_the_scopes_reads_and_marks(runner, client, inbox):
    result = runner.invoke(
        args=["api-clients", "create", "Learner app", "--scope", "notifications:read", "--scope",
              "notifications:write"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "notifications:read, notifications:write" in result.output
    headers = bearer(result.output.strip().splitlines()[-1])
    assert client.post(url("L-1", "/read-all"), headers=headers).get_json() == {"marked": 5}
    refused = runner.invoke(args=["api-clients", "create", "Other", "--scope", "notifications:delete"])
    assert refused.exit_code != 0
    assert "notifications:read" in refused.output  # the choices it offers
