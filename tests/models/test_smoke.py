from webapp.models import User
from webapp.models.core.enums import Role


def test_user_round_trip(session):
    session.add(User(email="a@example.org", display_name="Asha", role=Role.LEARNER))
    session.commit()
    assert session.query(User).one().timezone == "UTC"
