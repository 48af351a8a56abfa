"""`flask users ...`: create, set-password, deactivate, list; bad input is one clear line."""

import pytest

from tests import factories as f
from tests.helpers import login
from webapp.auth.accounts import find_user
from webapp.models.core.enums import Role

PASSWORD = "a long enough passphrase"


def _run(runner, *args: str, input: str | None = None):
    return runner.invoke(args=["users", *args], input=input)


def _error_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("Error")]


def test_create_with_password_from_stdin_can_log_in(app, runner, session, client):
    result = _run(
        runner, "create", "Op@Example.org", "--role", "operator", "--password-stdin", input=PASSWORD
    )
    assert result.exit_code == 0, result.output
    user = find_user(session, "op@example.org")
    assert user.role == Role.OPERATOR
    assert user.is_active
    assert user.password_hash != PASSWORD
    assert login(client, "op@example.org", PASSWORD).status_code == 302


def test_create_prompts_for_the_password_twice(runner, session):
    result = _run(runner, "create", "t@example.org", "--role", "teacher", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("assword") == 2
    assert find_user(session, "t@example.org").role == Role.TEACHER


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("create", "a@example.org", "--role", "learner", "--password-stdin"), PASSWORD, "unknown role"),
        (("create", "a@example.org", "--role", "boss", "--password-stdin"), PASSWORD, "unknown role"),
        (("create", "a@example.org", "--password-stdin"), PASSWORD, "--role is required"),
        (("create", "a@example.org", "--role", "admin", "--password-stdin"), "short", "at least 12"),
        (("create", "not-an-email", "--role", "admin", "--password-stdin"), PASSWORD, "valid email"),
        (("create", "a@example.org", "--role", "admin", "--password-stdin"), "", "no password"),
        (("create", "a@example.org", "--role", "admin"), f"{PASSWORD}\nsomething else 123\n", "do not match"),
        (("set-password", "nobody@example.org", "--password-stdin"), PASSWORD, "no account"),
        (("deactivate", "nobody@example.org"), None, "no account"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(runner, session, args, stdin, message):
    result = _run(runner, *args, input=stdin)
    assert result.exit_code != 0
    errors = _error_lines(result)
    assert len(errors) == 1, result.output
    assert message in errors[0]
    assert "Usage:" not in result.output
    assert "Traceback" not in result.output
    assert find_user(session, "a@example.org") is None


def test_duplicate_email_is_refused(runner, session):
    f.make_admin(session, email="dup@example.org")
    session.commit()
    result = _run(
        runner, "create", "DUP@example.org", "--role", "teacher", "--password-stdin", input=PASSWORD
    )
    assert result.exit_code == 1
    assert _error_lines(result) == ["Error: an account with the email dup@example.org already exists"]


def test_set_password_ends_sessions_and_changes_the_login(runner, session, client):
    user = f.make_teacher(session)
    session.commit()
    before = user.session_version
    result = _run(runner, "set-password", user.email, "--password-stdin", input=PASSWORD)
    assert result.exit_code == 0, result.output
    session.refresh(user)
    assert user.session_version == before + 1
    assert login(client, user.email, PASSWORD).status_code == 302


def test_set_password_refuses_short_and_learners(runner, session):
    teacher, learner = f.make_teacher(session), f.make_learner(session)
    session.commit()
    assert _run(runner, "set-password", teacher.email, "--password-stdin", input="short").exit_code == 1
    result = _run(runner, "set-password", learner.email, "--password-stdin", input=PASSWORD)
    assert result.exit_code == 1
    assert "learner" in _error_lines(result)[0]


def test_deactivate_refuses_further_logins(runner, session, client):
    user = f.make_operator(session)
    session.commit()
    result = _run(runner, "deactivate", user.email)
    assert result.exit_code == 0, result.output
    session.refresh(user)
    assert not user.is_active
    assert login(client, user.email).status_code == 200


def test_list_shows_staff_only(runner, session):
    f.make_admin(session, email="boss@example.org")
    f.make_teacher(session, email="off@example.org", is_active=False)
    f.make_learner(session, email="kid@example.org")
    session.commit()
    result = _run(runner, "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "boss@example.org\tadmin\tactive" in lines
    assert "off@example.org\tteacher\tinactive" in lines
    assert "kid@example.org" not in result.output
