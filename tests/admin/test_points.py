"""Points adjustments: only a new ledger transaction with a reason; the balance follows."""

import pytest

from tests import factories as f
from tests.admin.support import staff_client, token
from webapp.models import AuditEntry, ChangeMark, LeaderboardEntry, PointsTransaction, UserPoints
from webapp.models.core.enums import PointsReason
from webapp.services.leaderboards import snapshot_leaderboards

URL = "/admin/pointsadjustment/"


@pytest.fixture
def operator(app, session):
    return staff_client(app, session, "operator")


def _adjust(
    client, email: str, amount: str, note: str = "helped a classmate", key: str = "k1", confirmed: bool = True
):
    data = {
        "csrf_token": token(client, URL),
        "learner_email": email,
        "amount": amount,
        "note": note,
        "key": key,
        "confirmed": "yes" if confirmed else "",
    }
    return client.post(URL, data=data)


def test_adjustment_writes_a_ledger_row_and_the_balance_follows(operator, session):
    client, user = operator
    learner = f.make_learner(session)
    session.commit()
    assert _adjust(client, learner.email, "40", key="a").status_code == 302
    assert _adjust(client, learner.email, "-15", note="duplicate quiz credit", key="b").status_code == 302
    rows = session.query(PointsTransaction).filter_by(user_id=learner.id).order_by(PointsTransaction.id).all()
    assert [(r.amount, r.reason, r.note, r.created_by_id) for r in rows] == [
        (40, PointsReason.ADJUSTMENT, "helped a classmate", user.id),
        (-15, PointsReason.ADJUSTMENT, "duplicate quiz credit", user.id),
    ]
    session.expire_all()
    assert session.get(UserPoints, learner.id).balance == 25
    audited = session.query(AuditEntry).filter_by(model="PointsTransaction").all()
    assert sorted(e.changes["amount"][1] for e in audited) == [-15, 40]


def test_a_double_submit_records_once(operator, session):
    client, _user = operator
    learner = f.make_learner(session)
    session.commit()
    _adjust(client, learner.email, "10", key="same")
    _adjust(client, learner.email, "10", key="same")
    assert session.query(PointsTransaction).filter_by(user_id=learner.id).count() == 1


@pytest.mark.parametrize(
    ("amount", "note", "message"),
    [
        ("0", "a good reason", "Give a non-zero number of points."),
        ("ten", "a good reason", "Not a valid integer value."),
        ("5", "", "This field is required."),
        ("99999999999", "a good reason", "Number must be between"),
    ],
)
def test_bad_adjustments_are_refused_with_a_reason(operator, session, amount, note, message):
    client, _user = operator
    learner = f.make_learner(session)
    session.commit()
    response = _adjust(client, learner.email, amount, note=note)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert session.query(PointsTransaction).count() == 0


def test_only_learners_can_be_adjusted(operator, session):
    client, _user = operator
    teacher = f.make_teacher(session)
    session.commit()
    response = _adjust(client, teacher.email, "5")
    assert "No learner has this email." in response.get_data(as_text=True)
    assert session.query(PointsTransaction).count() == 0


def test_balances_and_ledger_cannot_be_edited(operator, session):
    client, _user = operator
    balance = f.make_user_points(session)
    tx = f.make_points_transaction(session)
    session.commit()
    assert client.get(f"/admin/userpoints/edit/?id={balance.user_id}").status_code == 403
    assert client.get(f"/admin/pointstransaction/edit/?id={tx.id}").status_code == 403
    assert client.get("/admin/pointstransaction/new/").status_code == 403


def _points(session, learner, amount: int) -> None:
    f.make_points_transaction(session, user=learner, amount=amount)
    f.make_user_points(session, user=learner, balance=amount, lifetime_earned=amount)
    session.commit()


def test_the_first_step_shows_the_resulting_balance_and_records_nothing(operator, session):
    client, _user = operator
    learner = f.make_learner(session, display_name="Ravi")
    _points(session, learner, 480)
    response = _adjust(client, learner.email, "-100", confirmed=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="balance-now">480<' in html
    assert 'id="adjustment-amount">-100<' in html
    assert 'id="balance-after"><strong>380</strong>' in html
    assert session.query(PointsTransaction).count() == 1  # only the earlier one
    changed = client.post(URL, data={**_form(client, learner, "-100"), "change": "1"})
    assert 'value="-100"' in changed.get_data(as_text=True)  # back to the form, values kept


def _form(client, learner, amount):
    return {"csrf_token": token(client, URL), "learner_email": learner.email, "amount": amount,
            "note": "a good reason", "key": "kk", "confirmed": "yes"}  # fmt: skip


@pytest.mark.parametrize("confirmed", [False, True])
def test_an_adjustment_may_not_take_a_balance_below_zero(operator, session, confirmed):
    client, _user = operator
    learner = f.make_learner(session, display_name="Ravi")
    _points(session, learner, 505)
    html = _adjust(client, learner.email, "-100000", confirmed=confirmed).get_data(as_text=True)
    assert "An adjustment may add or remove at most 5,000 points." in html
    html = _adjust(client, learner.email, "-600", confirmed=confirmed).get_data(as_text=True)
    assert "This would leave -95 points: Ravi has 505, and a balance may not go below 0." in html
    assert session.query(PointsTransaction).count() == 1
    session.expire_all()
    assert session.get(UserPoints, learner.id).balance == 505


def test_the_bounds_are_configurable(app, operator, session, monkeypatch):
    client, _user = operator
    learner = f.make_learner(session)
    _points(session, learner, 50)
    monkeypatch.setitem(app.config, "POINTS_ADJUSTMENT_LIMIT", 20)
    monkeypatch.setitem(app.config, "POINTS_LOWEST_BALANCE", -100)
    assert "at most 20 points" in _adjust(client, learner.email, "25").get_data(as_text=True)
    assert _adjust(client, learner.email, "-20", key="a").status_code == 302
    session.expire_all()
    assert session.get(UserPoints, learner.id).balance == 30


def test_boards_follow_the_ledger_and_the_day_is_marked(operator, session):
    client, _user = operator
    learner = f.make_learner(session)
    board = f.make_leaderboard(session, name="This week")
    _points(session, learner, 480)
    snapshot_leaderboards(session)
    session.commit()
    assert _score(session, board, learner) == 480
    assert _adjust(client, learner.email, "-100", note="duplicate credit").status_code == 302
    session.expire_all()
    assert _score(session, board, learner) == 380
    marked = session.query(ChangeMark).filter_by(user_id=learner.id).all()
    assert sorted(m.consumer for m in marked) == ["engine", "refresh"]


def _score(session, board, learner) -> int:
    entry = (
        session.query(LeaderboardEntry)
        .filter_by(leaderboard_id=board.id, user_id=learner.id)
        .order_by(LeaderboardEntry.period_start.desc())
        .first()
    )
    return entry.score
