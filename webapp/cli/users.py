"""`flask users ...`: staff accounts from the command line."""

import sys

import click
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from webapp.auth.accounts import (
    REPAIR_COLUMNS,
    STAFF_ROLE_NAMES,
    AccountError,
    change_email,
    create_staff,
    deactivate,
    duplicate_emails,
    email_key,
    set_password,
)
from webapp.extensions import db
from webapp.models import User
from webapp.models.core.enums import Role

users = click.Group("users", help="Create and manage staff accounts.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            _fail("no password on stdin")
        return password
    # Asked twice by hand (not click's confirmation loop): a mismatch is one clear error line.
    password = click.prompt("Password", hide_input=True, default="", show_default=False)
    again = click.prompt("Repeat the password", hide_input=True, default="", show_default=False)
    if password != again:
        _fail("the two passwords do not match")
    return password


def _account(ref: str) -> User:
    """The account an argument names: an id (digits), or an email in any case that only one account has."""
    ref = ref.strip()
    if ref.isascii() and ref.isdigit():
        user = db.session.get(User, int(ref), options=[load_only(*REPAIR_COLUMNS)]) if len(ref) < 19 else None
        if user is None:
            _fail(f"no account with the id {ref}")
        return user
    matches = db.session.scalars(
        select(User)
        .options(load_only(*REPAIR_COLUMNS))
        .where(func.lower(User.email) == email_key(ref))
        .order_by(User.id)
    ).all()
    if not matches:
        _fail(f"no account with the email {ref}")
    if len(matches) > 1:
        ids = ", ".join(f"#{u.id} ({u.role.value})" for u in matches)
        _fail(f"{len(matches)} accounts have the email {ref} in some case: {ids}; name one by its id")
    return matches[0]


def _staff(ref: str) -> User:
    user = _account(ref)
    if not user.is_staff:
        _fail(f"{ref} is a learner account, not staff")
    return user


@users.command("create")
@click.argument("email")
# A plain string checked by the service: an unknown role is one error line, not a usage text.
@click.option("--role", default=None, metavar="ROLE", help=f"The staff role: {', '.join(STAFF_ROLE_NAMES)}.")
@click.option("--name", "display_name", default=None, help="Display name (default: from the email).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def create(email: str, role: str | None, display_name: str | None, password_stdin: bool) -> None:
    """Create a staff account (password prompted twice, or read from stdin)."""
    if role is None:
        _fail(f"--role is required: one of {', '.join(STAFF_ROLE_NAMES)}")
    if role not in STAFF_ROLE_NAMES:
        _fail(f"unknown role {role!r}: use one of {', '.join(STAFF_ROLE_NAMES)}")
    password = _read_password(password_stdin)
    try:
        user = create_staff(db.session, email, role, password, display_name)
    except AccountError as exc:
        db.session.rollback()
        _fail(str(exc))
    db.session.commit()
    click.echo(f"created {user.role.value} {user.email}")


@users.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def set_password_command(email: str, password_stdin: bool) -> None:
    """Set a staff member's password; their existing sessions end."""
    user = _staff(email)
    try:
        set_password(user, _read_password(password_stdin))
    except AccountError as exc:
        db.session.rollback()
        _fail(str(exc))
    db.session.commit()
    click.echo(f"password changed for {user.email}; their sessions have ended")


@users.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Switch a staff account off; its sessions end at once."""
    user = _staff(email)
    deactivate(user)
    db.session.commit()
    click.echo(f"deactivated {user.email}")


@users.command("list")
def list_command() -> None:
    """List staff accounts: email, role, active."""
    staff = db.session.scalars(
        select(User).where(User.role != Role.LEARNER).order_by(User.role, User.email)
    ).all()
    for user in staff:
        state = "active" if user.is_active else "inactive"
        click.echo(f"{user.email}\t{user.role.value}\t{state}")
    if not staff:
        click.echo("no staff accounts")


@users.command("duplicates")
def duplicates_command() -> None:
    """List addresses that several accounts share in different cases (they block the upgrade)."""
    groups = duplicate_emails(db.session)
    for address, accounts in groups.items():
        listed = ", ".join(f"#{u.id} {u.email} ({u.role.value})" for u in accounts)
        click.echo(f"{address}\t{listed}")
    if not groups:
        click.echo("no email is shared by two accounts")


@users.command("change-email")
@click.argument("account")
@click.argument("new_email")
def change_email_command(account: str, new_email: str) -> None:
    """Give an account (an id, or its email) a new email; a staff member's sessions end."""
    user = _account(account)
    try:
        old = change_email(db.session, user, new_email)
    except AccountError as exc:
        db.session.rollback()
        _fail(str(exc))
    # Said before the commit: reading the account after it would reload every column, and a
    # database stopped at an earlier revision lacks the later ones (e.g. users.locale_chosen_at).
    said = f"account #{user.id} ({user.role.value}): {old} -> {user.email}"
    db.session.commit()
    click.echo(said)
