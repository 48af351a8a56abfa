"""Account operations shared by the login, the CLI, the admin and imports.

One lookup rule everywhere: an email names an account whatever its case or
surrounding spaces (`email_key`), the database refuses a second account with
the same lower-cased address (index `uq_users_email_lower`), and every caller
finds accounts through `find_user`, asks `email_owner` before it stores an
address, and stores what `store_email` returns.
"""

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from webapp.auth.passwords import hash_password
from webapp.auth.sessions import end_sessions
from webapp.models import User
from webapp.models.core.enums import Role

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
STAFF_ROLE_NAMES = ("teacher", "operator", "admin")


class AccountError(ValueError):
    """An account operation was refused; the message is fit to show."""


def email_key(email: str) -> str:
    """Return the form in which emails are compared and stored: stripped and lower-cased."""
    return email.strip().lower()


def store_email(email: str) -> str:
    """Return the address to store for a learner (as given by the platform): its email_key, if plausible."""
    key = email_key(email)
    if not 3 <= len(key) <= 254 or key.count("@") != 1 or key.startswith("@") or key.endswith("@"):
        raise AccountError(f"not a valid email address: {email!r}")
    if any(ch.isspace() or not ch.isprintable() for ch in key):
        raise AccountError(f"not a valid email address: {email!r}")
    return key


def normalise_email(email: str) -> str:
    """Return the email lower-cased and checked, or raise AccountError."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"not a valid email address: {email!r}") from exc


def check_password(password: str) -> None:
    """Raise AccountError unless the password is long enough (and not absurdly long)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")


def find_user(session: Session, email: str) -> User | None:
    """Return the account with this email, whatever its case (the one lookup rule), if any."""
    return session.scalar(select(User).where(func.lower(User.email) == email_key(email)))


def email_owner(session: Session, email: str, exclude_id: int | None = None) -> User | None:
    """Return another account that already has this email (any case), if any."""
    query = select(User).options(load_only(*REPAIR_COLUMNS)).where(func.lower(User.email) == email_key(email))
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    return session.scalar(query.limit(1))


# What the repair commands read and write of an account: they run while an upgrade is stopped at
# the email-uniqueness revision, when columns of later revisions do not exist yet.
REPAIR_COLUMNS = (User.id, User.email, User.role, User.session_version, User.is_active)


def duplicate_emails(session: Session) -> dict[str, list[User]]:
    """Return the addresses that several accounts share case-insensitively, with those accounts."""
    shared = select(func.lower(User.email)).group_by(func.lower(User.email)).having(func.count() > 1)
    users = session.scalars(
        select(User)
        .options(load_only(*REPAIR_COLUMNS))
        .where(func.lower(User.email).in_(shared))
        .order_by(func.lower(User.email), User.id)
    )
    groups: dict[str, list[User]] = {}
    for user in users:
        groups.setdefault(email_key(user.email), []).append(user)
    return groups


def change_email(session: Session, user: User, new_email: str) -> str:
    """Give an account a new address, unique whatever its case; staff sessions end. Return the old one."""
    new = normalise_email(new_email) if user.is_staff else store_email(new_email)
    other = email_owner(session, new, exclude_id=user.id)
    if other is not None:
        raise AccountError(f"account #{other.id} already has the email {other.email}")
    old, user.email = user.email, new
    if user.is_staff:
        end_sessions(user)
    session.flush()
    return old


def create_staff(
    session: Session, email: str, role: str, password: str, display_name: str | None = None
) -> User:
    """Add an active staff account; raise AccountError on bad input or a taken email."""
    if role not in STAFF_ROLE_NAMES:
        raise AccountError(f"role must be one of {', '.join(STAFF_ROLE_NAMES)}")
    email = normalise_email(email)
    check_password(password)
    if email_owner(session, email) is not None:
        raise AccountError(f"an account with the email {email} already exists")
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0])[:120],
        role=Role(role),
        is_active=True,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Give a staff user a new password and end their sessions."""
    if not user.is_staff:
        raise AccountError("learners have no password here")
    check_password(password)
    user.password_hash = hash_password(password)
    end_sessions(user)


def deactivate(user: User) -> None:
    """Switch an account off and end its sessions."""
    user.is_active = False
    end_sessions(user)
