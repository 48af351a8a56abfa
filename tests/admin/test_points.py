"""Points adjustments: only a new ledger transaction with a reason; the balance follows."""

import pytest

from tests import factories as f
from tests.admin.support import staff_client, token
from webapp.models import AuditEntry, PointsTransaction, UserPoints
from webapp.models.core.enums import PointsReason

URL = "/admin/pointsadjustment/"


@pytest.fixture
def operator(app, session):
    return staff_client(app, session, "operator")


def _adjust(client, email: str, amount: str, note: str = "helped a classmate", key: str = "k1"):
    data = {
        "csrf_token": token(client, URL),
        "learner_email": email,
        "amount": amount,
        "note": note,
        "key": key,
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
