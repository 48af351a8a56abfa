"""One account per email whatever its case: the database refuses a second, every lookup agrees."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests import factories as f
from tests.admin.support import staff_client, token
from tests.helpers import DEFAULT_PASSWORD, login
from webapp.auth.accounts import AccountError, email_key, find_user, store_email
from webapp.models import User
from webapp.models.core.enums import Role


def _accounts(session, email: str) -> list[User]:
    return session.scalars(select(User).where(func.lower(User.email) == email_key(email))).all()


def test_an_operator_cannot_shadow_the_admin_with_a_learner(app, session):
    admin = f.make_admin(session, email="admin@school.example")
    session.commit()
    operator, _ = staff_client(app, session, "operator")
    form = {
        "email": "ADMIN@School.example",
        "display_name": "Not the admin",
        "timezone": "UTC",
        "locale": "en",
    }
    response = operator.post(
        "/admin/learner/new/", data={**form, "csrf_token": token(operator, "/admin/learner/new/")}
    )
    assert response.status_code == 200
    assert "This email cannot be used" in response.get_data(as_text=True)
    assert [u.id for u in _accounts(session, "admin@school.example")] == [admin.id]
    assert login(app.test_client(), "admin@school.example").status_code == 302


def test_an_admin_cannot_give_a_staff_account_a_learners_email_in_another_case(app, session):
    f.make_learner(session, email="asha@school.example")
    session.commit()
    admin, _ = staff_client(app, session, "admin")
    form = {
        "email": "Asha@SCHOOL.example", "display_name": "Asha", "role": "teacher", "is_active": "y",
        "timezone": "UTC", "locale": "en", "new_password": DEFAULT_PASSWORD,
        "csrf_token": token(admin, "/admin/staffaccount/new/"),
    }  # fmt: skip
    response = admin.post("/admin/staffaccount/new/", data=form)
    assert "This email cannot be used" in response.get_data(as_text=True)
    assert len(_accounts(session, "asha@school.example")) == 1


def test_learner_emails_are_stored_in_their_lookup_form(app, session):
    operator, _ = staff_client(app, session, "operator")
    form = {"email": "  Ravi@School.Example ", "display_name": "Ravi", "timezone": "UTC", "locale": "en"}
    operator.post("/admin/learner/new/", data={**form, "csrf_token": token(operator, "/admin/learner/new/")})
    assert find_user(session, "RAVI@school.example").email == "ravi@school.example"


def test_editing_a_learner_keeps_their_own_email(app, session):
    learner = f.make_learner(session, email="meena@school.example")
    session.commit()
    operator, _ = staff_client(app, session, "operator")
    url = f"/admin/learner/edit/?id={learner.id}"
    form = {"email": "MEENA@school.example", "display_name": "Meena K", "timezone": "UTC", "locale": "en"}
    response = operator.post(url, data={**form, "csrf_token": token(operator, url)})
    assert response.status_code == 302
    session.refresh(learner)
    assert (learner.email, learner.display_name) == ("meena@school.example", "Meena K")


def test_the_database_refuses_the_same_address_in_another_case(session):
    f.make_learner(session, email="Dup@Example.org")
    with pytest.raises(IntegrityError):
        f.make_learner(session, email="dup@example.ORG")


def test_login_finds_the_account_whatever_the_case(client, session):
    f.make_teacher(session, email="priya@school.example")
    session.commit()
    assert login(client, "  PRIYA@School.Example ").status_code == 302


@pytest.mark.parametrize(
    "bad", ["", "no-at-sign", "two@@signs", "@start.example", "space in@x.example", "a@b\x00"]
)
def test_store_email_refuses_what_is_no_address(bad):
    with pytest.raises(AccountError):
        store_email(bad)


def test_the_points_form_and_the_template_preview_use_the_same_rule(app, session):
    learner = f.make_learner(session, email="kiran@school.example", display_name="Kiran")
    f.make_template(session)
    session.commit()
    operator, _ = staff_client(app, session, "operator")
    page = operator.post(
        "/admin/notificationtemplate/preview/",
        data={"body": "Hi {{ name }}", "learner": "KIRAN@School.example", "csrf_token": token(operator)},
    )
    assert "Hi Kiran" in page.get_data(as_text=True)
    assert learner.role == Role.LEARNER
